"""Jira REST JSON pages: /search (v2/v3), /search/jql, agile board issues, /changelog, /worklog and /field.

One file is one page and is parsed alone (memory bounded by that file). Custom field ids are resolved
through a `/rest/api/2/field` list lying in the same folder as the page, else through
settings.jira_field_mapping. Timestamps (`2020-06-12T09:27:39.141+0800`) are stored as naive UTC.

Rows loaded per kind (the primary record): an issue for jira_search / jira_agile, a history entry
for jira_changelog, a worklog for jira_worklog, a field for jira_fields (which loads no raw table).
Sprint memberships, status changes and the worklogs embedded in fields.worklog ride along with their
issue; a rejected issue contributes none of them. Jira embeds at most 20 worklogs per issue: an
issue whose fields.worklog total exceeds what it holds loads with a warning in the rejects (not
counted as a rejected row) saying to export its /issue/{key}/worklog pages.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
import re
from pathlib import Path
from typing import Any, Required, TypedDict

import msgspec
import pyarrow as pa

from ingest.contract import RAW_TABLES
from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult, Reject, gc_paused
from ingest.settings import IngestSettings

KINDS = ("jira_search", "jira_agile", "jira_changelog", "jira_fields", "jira_worklog")
EXPORT_FORMAT = {"jira_search": "rest_search", "jira_agile": "rest_agile"}
STATUS_CATEGORY_KEYS = {"new", "indeterminate", "done"}
SPRINT_SCHEMA = "com.pyxis.greenhopper.jira:gh-sprint"
EPIC_LINK_SCHEMA = "com.pyxis.greenhopper.jira:gh-epic-link"
STORY_POINT_NAMES = ("story points", "story point estimate")
LEGACY_SPRINT = re.compile(r"Sprint@[0-9a-fA-F]*\[(?P<body>.*)\]\s*$", re.S)
LEGACY_SPRINT_PAIR = re.compile(r"(?:^|,)(?P<k>[A-Za-z]+)=(?P<v>.*?)(?=,[A-Za-z]+=|$)", re.S)
CHANGELOG_URL_ID = re.compile(r"/issue/(?P<id>[0-9]+)/changelog")
CHANGELOG_NAME_ID = re.compile(
    r"(?:issue|changelog)[_\-]?(?P<a>[0-9]+)|(?P<b>[0-9]+)[_\-]?changelog|^(?P<c>[0-9]+)$", re.I
)


# ---- recognising a page -------------------------------------------------------------------------


def sniff(path: Path, head: str) -> str | None:
    if path.suffix.lower() != ".json":
        return None
    text = head.lstrip()
    if text.startswith("["):
        is_fields = '"id"' in text and '"name"' in text and ('"custom"' in text or '"schema"' in text)
        return "jira_fields" if is_fields else None
    if not text.startswith("{"):
        return None
    if '"issues"' in text:
        return "jira_agile" if "/rest/agile/" in text else "jira_search"
    if '"values"' in text and ('"items"' in text or '"fieldtype"' in text or "changelog" in text):
        return "jira_changelog"
    if '"worklogs"' in text:
        return "jira_worklog"
    return None


# ---- reading a page -----------------------------------------------------------------------------

_BOM = b"\xef\xbb\xbf"
_JSON = msgspec.json.Decoder()


def _read(path: Path, settings: IngestSettings) -> bytes:
    size = path.stat().st_size
    if size > settings.max_file_bytes:
        raise FileRejected(f"{path.name}: {size:,} bytes is over the limit of {settings.max_file_bytes:,}")
    return path.read_bytes()


def _decode(path: Path, raw: bytes) -> Any:
    """The whole document as json.loads reads it, with its messages for what it cannot read.

    msgspec reads valid JSON as json.loads does (same values, integers of any size, same key order,
    the last of duplicate keys wins), faster; what it refuses (NaN, Infinity, lone surrogates, every
    error) goes to json.loads, so values and messages stay what they were.
    """
    try:
        return _JSON.decode(raw[3:] if raw.startswith(_BOM) else raw)
    except (ValueError, RecursionError):  # msgspec.DecodeError, UnicodeDecodeError, ...
        pass
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRejected(f"{path.name}: not UTF-8 text at byte {exc.start} ({exc.reason})") from exc
    if not text.strip():
        raise FileRejected(f"{path.name}: the file is empty")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileRejected(
            f"{path.name}: not valid JSON (truncated or damaged?): {exc.msg} at line {exc.lineno} "
            f"column {exc.colno}"
        ) from exc


# An issue page decoded with only the keys the issue-page code below reads: msgspec skips the rest
# (URLs, avatars, descriptions, watchers, other custom fields: most of a page) without building it,
# in about a third of json.loads' time, and the code walks a smaller tree. Every key the code reads
# from an object of these kinds must be listed here (test_pruned_page_keeps_every_key_read checks it
# on the samples); Any keeps a value whole. A page whose shape does not fit, or with anything
# rejected (a reject quotes the value in full), is parsed again from the whole document.


def _keys(name: str, keys: dict[str, Any]) -> Any:
    """A JSON object read for these keys only (an absent one stays absent)."""
    return TypedDict(name, keys, total=False)


_PERSON = _keys("Person", dict.fromkeys(("displayName", "accountId", "name", "key"), Any)) | None
_STATUS = _keys("Status", dict.fromkeys(("id", "name", "statusCategory"), Any)) | None
_ISSUE_TYPE = _keys("IssueType", dict.fromkeys(("name", "hierarchyLevel", "subtask"), Any)) | None
_PARENT_FIELDS = _keys("ParentFields", {"status": _STATUS, "issuetype": _ISSUE_TYPE}) | None
_FIELDS = {
    "summary": Any,
    "issuetype": _ISSUE_TYPE,
    "project": _keys("Project", {"key": Any}) | None,
    "status": _STATUS,
    "priority": _keys("Priority", {"name": Any}) | None,
    "assignee": _PERSON,
    "reporter": _PERSON,
    "parent": _keys("Parent", {"key": Any, "fields": _PARENT_FIELDS}) | None,
    "epic": Any,
    "labels": Any,
    "components": Any,
    "fixVersions": Any,
    "timeoriginalestimate": Any,
    "timespent": Any,
    "created": Any,
    "updated": Any,
    "resolutiondate": Any,
    "duedate": Any,
    "sprint": Any,
    "closedSprints": Any,
    "worklog": Any,
}
_ITEM = _keys("Item", dict.fromkeys(("fieldId", "field", "from", "to", "fromString", "toString"), Any))
_HISTORY = _keys("History", {"id": Any, "created": Any, "author": _PERSON, "items": list[_ITEM] | None})
_CHANGELOG = _keys("Changelog", {"histories": list[_HISTORY] | None}) | None


def _page_decoder(roles: dict[str, list[str]]) -> msgspec.json.Decoder:
    """A decoder of issue pages keeping the keys above plus the custom fields of these roles."""
    return _page_decoder_for(
        tuple(dict.fromkeys(roles["sprint"] + roles["epic_link"] + roles["story_points"]))
    )


@functools.lru_cache(maxsize=16)
def _page_decoder_for(custom_fields: tuple[str, ...]) -> msgspec.json.Decoder:
    fields = _keys("Fields", _FIELDS | dict.fromkeys(custom_fields, Any)) | None
    issue = _keys("Issue", {"key": Any, "id": Any, "fields": fields, "changelog": _CHANGELOG})
    return msgspec.json.Decoder(_keys("Page", {"issues": Required[list[issue]]}))


def _parse_pruned_issue_page(path: Path, ctx: ParseContext, kind: str, raw: bytes) -> ParseResult | None:
    """The page parsed from its pruned decoding; None when it must be parsed from the whole document:
    it does not fit the pruned shape, or anything on it is rejected or raises."""
    try:
        roles, _ = _resolve_fields(path, ctx.settings)
        data = _page_decoder(roles).decode(raw[3:] if raw.startswith(_BOM) else raw)
        result = _parse_issue_page(path, ctx, kind, data, roles)
    except Exception:  # the whole-document parse below decides, and reports, as it always did
        return None
    return None if result.rejects else result


# ---- custom field ids ---------------------------------------------------------------------------


def _is_field_list(data: Any) -> bool:
    return (
        isinstance(data, list)
        and len(data) > 0
        and all(isinstance(f, dict) and "id" in f and "name" in f for f in data)
        and any("custom" in f for f in data)
    )


def field_roles(fields: list[dict]) -> dict[str, list[str]]:
    """Custom field ids per role (story_points, sprint, epic_link) from a /field list."""
    roles: dict[str, list[str]] = {"sprint": [], "epic_link": []}
    points: list[tuple[int, str]] = []
    for f in fields:
        name = str(f.get("name") or "").strip().lower()
        custom = str((f.get("schema") or {}).get("custom") or "")
        if custom == SPRINT_SCHEMA or (not custom and name == "sprint"):
            roles["sprint"].append(str(f["id"]))
        elif custom == EPIC_LINK_SCHEMA or (not custom and name == "epic link"):
            roles["epic_link"].append(str(f["id"]))
        elif name in STORY_POINT_NAMES:
            points.append((STORY_POINT_NAMES.index(name), str(f["id"])))
    roles["story_points"] = [fid for _, fid in sorted(points)]
    return roles


# What a sibling file version, (path, size, mtime_ns), holds: every page of a folder looks at all its
# siblings, so each is opened once, not once per page. None: not a /field list.
_SIBLINGS: dict[tuple[str, int, int], dict[str, list[str]] | None] = {}
_SIBLINGS_SIZE = 100_000


def _sibling_roles(sibling: Path) -> dict[str, list[str]] | None:
    """Field roles when this file is a /field list, else None."""
    with sibling.open("rb") as fh:
        start = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not start.startswith(b"["):
        return None
    try:
        data = _decode(sibling, sibling.read_bytes())
    except FileRejected:
        return None
    return field_roles(data) if _is_field_list(data) else None


def _resolve_fields(path: Path, settings: IngestSettings) -> tuple[dict[str, list[str]], str]:
    """Field roles from a /field list beside the page, else from the settings mapping."""
    for sibling in sorted(path.parent.glob("*.json"), key=lambda p: p.name):  # = sorted(paths), faster
        if sibling == path:
            continue
        stat = sibling.stat()
        if stat.st_size > settings.max_file_bytes:
            continue
        version = (str(sibling), stat.st_size, stat.st_mtime_ns)
        if version in _SIBLINGS:
            roles = _SIBLINGS[version]
        else:
            roles = _sibling_roles(sibling)
            if len(_SIBLINGS) >= _SIBLINGS_SIZE:
                _SIBLINGS.clear()
            _SIBLINGS[version] = roles
        if roles is not None:
            return {role: list(ids) for role, ids in roles.items()}, sibling.name
    mapping = settings.jira_field_mapping
    roles = {
        role: [mapping[role]] if mapping.get(role) else [] for role in ("story_points", "sprint", "epic_link")
    }
    return roles, "settings.jira_field_mapping"


# ---- values -------------------------------------------------------------------------------------


class _Bad(Exception):
    """One value of a record that cannot be read: becomes a Reject of the whole record."""

    def __init__(self, ref: str, column: str | None, value: Any, reason: str):
        super().__init__(reason)
        self.reject = Reject(ref, column, None if value is None else _short(value), reason)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text[:200]


_EPOCH = dt.datetime(1970, 1, 1)
_EPOCH_UTC = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MICROSECOND = dt.timedelta(microseconds=1)


def to_utc(value: Any, ref: str, column: str) -> dt.datetime | None:
    """`2020-06-12T09:27:39.141+0800` (or `...Z`) as a naive UTC datetime; None when absent."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _Bad(ref, column, value, "expected a timestamp text like 2020-06-12T09:27:39.141+0800")
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(ref, column, value, f"'{value}' is not an ISO timestamp with a UTC offset") from None
    if parsed.tzinfo is None:
        raise _Bad(ref, column, value, f"'{value}' has no UTC offset, so its instant is unknown")
    # = parsed.astimezone(utc).replace(tzinfo=None), same OverflowError at the ends of the calendar,
    # without replace(), which costs more than all the rest
    return _EPOCH + (parsed - _EPOCH_UTC)


_UTC_US: dict[str, int] = {}  # timestamp text -> its to_utc as microseconds (pages repeat dates)
_UTC_US_SIZE = 200_000


def _utc_us(value: Any, ref: str, column: str) -> int | None:
    """to_utc as microseconds since 1970-01-01, the value a timestamp[us] column holds: Arrow builds
    a column from these ints many times faster than from datetime objects."""
    if value.__class__ is str:
        known = _UTC_US.get(value)
        if known is not None:
            return known
    at = to_utc(value, ref, column)
    if at is None:
        return None
    us = (at - _EPOCH) // _MICROSECOND
    if len(_UTC_US) >= _UTC_US_SIZE:
        _UTC_US.clear()
    _UTC_US[value] = us
    return us


def _date(value: Any, ref: str, column: str) -> dt.date | None:
    if value is None or value == "":
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _Bad(ref, column, value, f"'{value}' is not a date YYYY-MM-DD") from None


def _number(value: Any, ref: str, column: str) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise _Bad(ref, column, value, "expected a number")
    try:
        number = float(value)
    except ValueError:
        raise _Bad(ref, column, value, f"'{value}' is not a number") from None
    except OverflowError:  # an integer of hundreds of digits
        raise _Bad(ref, column, value, f"'{value}' is out of range for a number") from None
    if not math.isfinite(number):
        raise _Bad(ref, column, value, f"'{value}' is out of range (infinite or not a number)")
    return number


def _seconds(value: Any, ref: str, column: str) -> int | None:
    number = _number(value, ref, column)
    if number is None:
        return None
    if not number.is_integer():
        raise _Bad(ref, column, value, f"'{value}' is not a whole number of seconds")
    if abs(number) >= 2**63:
        raise _Bad(ref, column, value, f"'{value}' seconds is beyond a 64-bit whole number")
    return int(number)


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict) and value.get("type") == "doc":
        return adf_to_text(value)
    text = str(value)
    return text if text.strip() else None


def _person(value: Any) -> str | None:
    if not isinstance(value, dict):
        return _text(value)
    return value.get("displayName") or value.get("accountId") or value.get("name") or value.get("key")


def _name(value: Any) -> str | None:
    return value.get("name") if isinstance(value, dict) else _text(value)


def _names(values: Any) -> str | None:
    if not values:
        return None
    items = values if isinstance(values, list) else [values]
    names = [n for n in (_name(v) for v in items) if n]
    return ";".join(names) or None


def adf_to_text(node: Any) -> str:
    """Atlassian Document Format (v3 rich text) flattened to plain text, blocks on separate lines."""
    if isinstance(node, list):
        return "".join(adf_to_text(n) for n in node)
    if not isinstance(node, dict):
        return ""
    kind = node.get("type")
    if kind == "text":
        return str(node.get("text", ""))
    if kind == "hardBreak":
        return "\n"
    if kind in ("mention", "emoji", "status", "date", "inlineCard"):
        attrs = node.get("attrs") or {}
        return str(attrs.get("text") or attrs.get("shortName") or attrs.get("url") or "")
    inner = adf_to_text(node.get("content") or [])
    if kind == "doc":
        return inner.strip("\n")
    if kind in ("paragraph", "heading", "codeBlock", "blockquote", "rule", "listItem", "mediaSingle"):
        return inner.rstrip("\n") + "\n"
    return inner


# ---- building tables ----------------------------------------------------------------------------


def _table(table: str, rows: list[tuple]) -> pa.Table:
    """A raw table from row tuples in the table's column order, `_source_ref` last: one Arrow
    conversion per column with the declared types (as `base.rows_to_table` does from dicts)."""
    schema = RAW_TABLES[table].append(pa.field("_source_ref", pa.string()))
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    if len(columns) != len(schema):
        raise ValueError(f"{table}: rows of {len(columns)} values for {len(schema)} columns")
    return pa.Table.from_arrays(
        [pa.array(values, type=f.type) for values, f in zip(columns, schema, strict=True)], schema=schema
    )


# ---- sprints ------------------------------------------------------------------------------------


def _sprint(value: Any, ref: str, column: str) -> tuple:
    """One sprint value (Cloud object or legacy greenhopper string) as the sprint membership columns
    sprint_id, sprint_name, sprint_state, board_id, sprint_start_at, sprint_end_at, sprint_complete_at."""
    if isinstance(value, dict):
        raw = value
        board = value.get("boardId", value.get("originBoardId", value.get("rapidViewId")))
    elif isinstance(value, str):
        match = LEGACY_SPRINT.search(value)
        if not match:
            raise _Bad(ref, column, value, "a sprint text that is not a Sprint@...[id=...,name=...] string")
        raw = {m.group("k"): m.group("v") for m in LEGACY_SPRINT_PAIR.finditer(match.group("body"))}
        raw = {k: (None if v in ("<null>", "") else v) for k, v in raw.items()}
        board = raw.get("rapidViewId")
    else:
        raise _Bad(ref, column, value, "a sprint value that is neither an object nor a Sprint@ string")
    get = raw.get
    sprint_id, name = get("id"), get("name")
    if sprint_id is None and not name:
        raise _Bad(ref, column, value, "a sprint without id or name")
    state = get("state")
    return (
        None if sprint_id is None else str(sprint_id),
        name,
        str(state).lower() if state else None,
        None if board is None else str(board),
        _utc_us(get("startDate"), ref, f"{column}.startDate"),
        _utc_us(get("endDate"), ref, f"{column}.endDate"),
        _utc_us(get("completeDate"), ref, f"{column}.completeDate"),
    )


def _sprints(fields: dict, roles: dict[str, list[str]], ref: str) -> list[tuple]:
    found: list[tuple] = []
    for fid in roles["sprint"]:
        value = fields.get(fid)
        for i, item in enumerate(value if isinstance(value, list) else [] if value is None else [value]):
            found.append(_sprint(item, ref, f"fields.{fid}[{i}]"))
    if not found:  # agile pages also carry the sprints as fields.sprint / fields.closedSprints
        agile = ([fields["sprint"]] if isinstance(fields.get("sprint"), dict) else []) + list(
            fields.get("closedSprints") or []
        )
        for i, item in enumerate(agile):
            found.append(_sprint(item, ref, f"fields.closedSprints[{i}]"))
    unique: dict[tuple, tuple] = {}
    for sprint in found:
        unique.setdefault((sprint[0], sprint[1]), sprint)
    return list(unique.values())


# ---- status changes -----------------------------------------------------------------------------


def _status_changes(
    history: Any, ref: str, issue_key: str | None, issue_id: str | None, categories: dict[str, str]
) -> list[tuple]:
    """The status items of one changelog history as jira_status_changes rows (column order)."""
    if not isinstance(history, dict):
        raise _Bad(ref, None, history, "a changelog history that is not an object")
    items = history.get("items")
    if not isinstance(items, list):
        raise _Bad(ref, "items", items, "a changelog history without an items[] list")
    status_items = [
        it
        for it in items
        if isinstance(it, dict) and (it.get("fieldId") or it.get("field") or "").lower() == "status"
    ]
    if not status_items:
        return []
    history_id = history.get("id")
    if history_id is None:
        raise _Bad(ref, "id", None, "a changelog history without an id")
    changed_at = _utc_us(history.get("created"), ref, "created")
    if changed_at is None:
        raise _Bad(ref, "created", None, "a status change without its created timestamp")
    author = _person(history.get("author"))
    history_id = str(history_id)
    rows = []
    for it in status_items:
        from_id, to_id = it.get("from"), it.get("to")
        rows.append(
            (
                issue_key,
                issue_id,
                history_id,
                changed_at,
                author,
                None if from_id is None or from_id == "" else str(from_id),
                it.get("fromString"),
                categories.get(str(from_id)) if from_id is not None else None,
                None if to_id is None or to_id == "" else str(to_id),
                it.get("toString"),
                categories.get(str(to_id)) if to_id is not None else None,
                ref,
            )
        )
    return rows


# ---- issue pages --------------------------------------------------------------------------------


def _status_category_map(issues: list) -> dict[str, str]:
    """Status id -> category key for every status whose category this page states."""
    found: dict[str, str] = {}
    for issue in issues:
        fields = issue.get("fields") if isinstance(issue, dict) else None
        if not isinstance(fields, dict):
            continue
        parent_fields = (fields.get("parent") or {}).get("fields") or {}
        for status in (fields.get("status"), parent_fields.get("status")):
            if isinstance(status, dict) and status.get("id") is not None:
                key = (status.get("statusCategory") or {}).get("key")
                if key in STATUS_CATEGORY_KEYS:
                    found.setdefault(str(status["id"]), key)
    return found


def _is_epic(issuetype: Any) -> bool | None:
    """True/False when the issue type says whether it is an Epic; None when it does not tell."""
    if not isinstance(issuetype, dict):
        return None
    if issuetype.get("hierarchyLevel") is not None:
        return issuetype.get("hierarchyLevel") == 1
    if issuetype.get("name"):
        return str(issuetype["name"]).lower() == "epic"
    return None


def _parent_is_epic(fields: dict, parent: dict, page_types: dict[str, Any]) -> bool:
    """Whether the parent is an Epic: from its issue type (embedded, or its own row on this page),
    else by Jira's hierarchy: a standard issue's parent is an epic, a sub-task's parent is not."""
    for issuetype in ((parent.get("fields") or {}).get("issuetype"), page_types.get(parent.get("key"))):
        known = _is_epic(issuetype)
        if known is not None:
            return known
    own = fields.get("issuetype") if isinstance(fields.get("issuetype"), dict) else {}
    if own.get("hierarchyLevel") is not None:
        return own["hierarchyLevel"] == 0
    return own.get("subtask") is False and _is_epic(own) is False


def _issue(
    issue: Any,
    ref: str,
    export_format: str,
    roles: dict[str, list[str]],
    categories: dict[str, str],
    page_types: dict[str, Any],
) -> tuple[tuple, list[tuple], list[tuple], list[tuple], Reject | None]:
    """One issue as its jira_issues row, sprint membership rows, status change rows and worklog rows
    (each a tuple in its table's column order), and a warning when fields.worklog is incomplete.
    Values are read in column order: the first bad one is the reject."""
    if not isinstance(issue, dict):
        raise _Bad(ref, None, issue, "an issue that is not an object")
    fields = issue.get("fields")
    if not isinstance(fields, dict):
        raise _Bad(ref, "fields", fields, "an issue without a fields object")
    key, issue_id = issue.get("key"), issue.get("id")
    if not key:
        raise _Bad(ref, "key", key, "the issue has no key")
    if issue_id is None or issue_id == "":
        raise _Bad(ref, "id", issue_id, f"issue {key} has no id")
    get = fields.get
    created = _utc_us(get("created"), ref, "fields.created")
    if created is None:
        raise _Bad(ref, "fields.created", None, f"issue {key} has no created timestamp")
    status = get("status")
    if not isinstance(status, dict):
        status = {}
    category = (status.get("statusCategory") or {}).get("key")
    if category is not None and category not in STATUS_CATEGORY_KEYS:
        raise _Bad(
            ref,
            "fields.status.statusCategory.key",
            category,
            f"status category key '{category}' is none of new, indeterminate, done",
        )
    project = get("project")
    if not isinstance(project, dict):
        project = {}
    parent = get("parent")
    if not isinstance(parent, dict):
        parent = {}
    parent_key = parent.get("key")
    epic_key = None
    for fid in roles["epic_link"]:
        value = get(fid)
        if value:
            epic_key = value.get("key") if isinstance(value, dict) else str(value)
            break
    if epic_key is None and isinstance(get("epic"), dict):
        epic_key = fields["epic"].get("key")
    if epic_key is None and parent_key and _parent_is_epic(fields, parent, page_types):
        epic_key = parent_key
    story_points = None
    for fid in roles["story_points"]:
        story_points = _number(get(fid), ref, f"fields.{fid}")
        if story_points is not None:
            break
    key = str(key)
    issue_id = str(issue_id)
    status_id = status.get("id")
    estimate, spent = get("timeoriginalestimate"), get("timespent")
    updated, resolved, due = get("updated"), get("resolutiondate"), get("duedate")
    row = (
        key,
        issue_id,
        project.get("key") or key.rsplit("-", 1)[0],
        _name(get("issuetype")),
        _text(get("summary")),
        None if status_id is None else str(status_id),
        status.get("name"),
        category,
        _name(get("priority")),
        _person(get("assignee")),
        _person(get("reporter")),
        parent_key,
        epic_key,
        _names(get("labels")),
        _names(get("components")),
        _names(get("fixVersions")),
        story_points,
        None if estimate is None else _seconds(estimate, ref, "fields.timeoriginalestimate"),
        None if spent is None else _seconds(spent, ref, "fields.timespent"),
        created,
        None if updated is None else _utc_us(updated, ref, "fields.updated"),
        None if resolved is None else _utc_us(resolved, ref, "fields.resolutiondate"),
        None if due is None else _date(due, ref, "fields.duedate"),
        export_format,
        ref,
    )
    sprints = [(key, *s, ref) for s in _sprints(fields, roles, ref)]
    changes: list[tuple] = []
    changelog = issue.get("changelog")
    if isinstance(changelog, dict):
        histories = changelog.get("histories") or []
        if not isinstance(histories, list):
            raise _Bad(f"{ref}.changelog", "histories", histories, "changelog histories is not a list")
        for h, history in enumerate(histories):
            changes += _status_changes(history, f"{ref}.changelog.histories[{h}]", key, issue_id, categories)
    worklogs, warning = _embedded_worklogs(get("worklog"), ref, row)
    return row, sprints, changes, worklogs, warning


def _parse_issue_page(
    path: Path, ctx: ParseContext, kind: str, data: Any, roles: dict[str, list[str]] | None = None
) -> ParseResult:
    if not isinstance(data, dict) or not isinstance(data.get("issues"), list):
        found = (
            f"an object with keys {', '.join(list(data)[:8])}"
            if isinstance(data, dict)
            else (f"a JSON {type(data).__name__}")
        )
        raise FileRejected(
            f"{path.name}: not a Jira issue page: expected a JSON object with an issues[] list, found {found}"
        )
    issues = data["issues"]
    if roles is None:
        roles, _ = _resolve_fields(path, ctx.settings)
    categories = _status_category_map(issues)
    page_types = {
        issue.get("key"): (issue.get("fields") or {}).get("issuetype")
        for issue in issues
        if isinstance(issue, dict) and isinstance(issue.get("fields"), dict)
    }
    export_format = EXPORT_FORMAT[kind]
    rows: list[tuple] = []
    sprints: list[tuple] = []
    changes: list[tuple] = []
    worklogs: list[tuple] = []
    rejects: list[Reject] = []
    warnings: list[Reject] = []
    for i, issue in enumerate(issues):
        try:
            row, issue_sprints, issue_changes, issue_worklogs, warning = _issue(
                issue, f"issues[{i}]", export_format, roles, categories, page_types
            )
        except _Bad as bad:
            rejects.append(bad.reject)
            continue
        except (AttributeError, TypeError, ValueError, KeyError) as exc:  # a shape no Jira version writes
            reason = f"unexpected issue structure: {exc!r}"
            rejects.append(Reject(f"issues[{i}]", None, _short(issue), reason))
            continue
        rows.append(row)
        sprints += issue_sprints
        changes += issue_changes
        worklogs += issue_worklogs
        if warning is not None:
            warnings.append(warning)
    note = ""
    if warnings:  # said in the rejects (as warnings: the issues load) and in the file's note
        note = (
            f"{len(warnings)} issues embed only part of their worklogs (fields.worklog total > maxResults): "
            "see the warnings in rejects; export their /worklog pages"
        )
    return ParseResult(
        tables={
            "jira_issues": _table("jira_issues", rows),
            "jira_sprint_membership": _table("jira_sprint_membership", sprints),
            "jira_status_changes": _table("jira_status_changes", changes),
            "worklogs": _table("worklogs", worklogs),
        },
        rejects=rejects + warnings,
        rows_read=len(issues),
        rows_loaded=len(rows),
        file_kind=kind,
        rows_rejected_override=len({r.ref for r in rejects}) if warnings else None,
        note=note,
    )


# ---- worklogs (fields.worklog of issue pages, /issue/{key}/worklog pages) -------------------------

ISSUE_KEY_IN_NAME = re.compile(r"(?<![A-Za-z0-9])([A-Z][A-Z0-9_]*-[0-9]+)(?![0-9])")


def _worklog(
    value: Any,
    ref: str,
    issue_key: str,
    project_key: str | None,
    epic_key: str | None,
    parent_key: str | None,
) -> tuple:
    """One REST worklog object as a worklogs row (column order, `_source_ref` last)."""
    if not isinstance(value, dict):
        raise _Bad(ref, None, value, "a worklog that is not an object")
    worklog_id = value.get("id")
    author = value.get("author") if isinstance(value.get("author"), dict) else {}
    person_id = author.get("accountId") or author.get("name") or author.get("key")
    if not person_id and not author.get("displayName"):
        raise _Bad(ref, "author", value.get("author"), "the worklog has no author (accountId or displayName)")
    started = value.get("started")
    if not isinstance(started, str) or not started:
        raise _Bad(ref, "started", started, "the worklog has no started timestamp")
    try:
        local = dt.datetime.fromisoformat(started)
    except ValueError:
        raise _Bad(
            ref, "started", started, f"'{started}' is not an ISO timestamp with a UTC offset"
        ) from None
    if local.tzinfo is None:
        raise _Bad(ref, "started", started, f"'{started}' has no UTC offset, so its instant is unknown")
    seconds = _seconds(value.get("timeSpentSeconds"), ref, "timeSpentSeconds")
    if seconds is None or seconds < 0:
        raise _Bad(
            ref, "timeSpentSeconds", value.get("timeSpentSeconds"), "the time spent is missing or negative"
        )
    return (
        None if worklog_id in (None, "") else str(worklog_id),
        "jira_rest",
        issue_key,
        project_key,
        epic_key,
        parent_key,
        None,  # account_key: Tempo only
        None,
        None,
        person_id,
        author.get("displayName"),
        local.date(),  # the day in the worklog's own offset, as the author's timesheet shows it
        to_utc(started, ref, "started"),
        seconds / 3600,
        None,
        _text(value.get("comment")),
        None,
        ref,
    )


def _embedded_worklogs(block: Any, ref: str, row: tuple) -> tuple[list[tuple], Reject | None]:
    """The worklogs of an issue's fields.worklog, and a warning when the block holds fewer than its
    total (Jira embeds at most 20: the rest are not loaded, and the warning says how to get them)."""
    if block is None:
        return [], None
    if not isinstance(block, dict) or not isinstance(block.get("worklogs", []), list):
        raise _Bad(ref, "fields.worklog", block, "fields.worklog is not an object with a worklogs[] list")
    key, project_key, parent_key, epic_key = row[0], row[2], row[11], row[12]
    items = block.get("worklogs") or []
    rows = [
        _worklog(w, f"{ref}.fields.worklog.worklogs[{j}]", key, project_key, epic_key, parent_key)
        for j, w in enumerate(items)
    ]
    total = block.get("total")
    if isinstance(total, int) and total > len(items):
        warning = Reject(
            f"{ref}.fields.worklog",
            "total",
            str(total),
            f"warning: issue {key} has {total} worklogs but this page embeds only {len(items)} "
            f"(maxResults {block.get('maxResults')}); the other {total - len(items)} are not loaded from "
            f"it: export /rest/api/3/issue/{key}/worklog into landing/jira/ (named after the issue) for all",
        )
        return rows, warning
    return rows, None


def worklog_issue_key(path: Path, data: dict) -> str | None:
    """The issue a /worklog page belongs to (its worklogs name only the issue id): a top-level
    issueKey, else an issue key in the file name (PAY-12_worklog.json)."""
    for key in ("issueKey", "issue_key", "_issue_key", "_issueKey"):
        if isinstance(data.get(key), str) and data[key].strip():
            return data[key].strip()
    match = ISSUE_KEY_IN_NAME.search(path.stem)
    return match.group(1) if match else None


def _parse_worklog_page(path: Path, data: Any) -> ParseResult:
    if not isinstance(data, dict) or not isinstance(data.get("worklogs"), list):
        raise FileRejected(f"{path.name}: not a Jira /worklog page: expected a JSON object with worklogs[]")
    issue_key = worklog_issue_key(path, data)
    values = data["worklogs"]
    if issue_key is None:
        raise FileRejected(
            f"{path.name}: cannot tell which issue this /worklog page belongs to (its worklogs name only "
            "the issue id): name the file after the issue key (e.g. PAY-12_worklog.json) or add a "
            'top-level "issueKey"',
            rows_read=len(values),
        )
    project_key = issue_key.rsplit("-", 1)[0]
    rows: list[tuple] = []
    rejects: list[Reject] = []
    for i, value in enumerate(values):
        try:
            rows.append(_worklog(value, f"worklogs[{i}]", issue_key, project_key, None, None))
        except _Bad as bad:
            rejects.append(bad.reject)
        except (AttributeError, TypeError, ValueError, KeyError, OverflowError) as exc:
            rejects.append(
                Reject(f"worklogs[{i}]", None, _short(value), f"unexpected worklog structure: {exc!r}")
            )
    total = data.get("total")
    note = ""
    if (
        isinstance(total, int)
        and isinstance(data.get("startAt"), int)
        and data["startAt"] + len(values) < total
    ):
        note = (
            f"worklogs {data['startAt'] + 1} to {data['startAt'] + len(values)} of {total} of {issue_key}: "
            "the other pages (startAt) load when they are in the landing folder"
        )
    return ParseResult(
        tables={"worklogs": _table("worklogs", rows)},
        rejects=rejects,
        rows_read=len(values),
        rows_loaded=len(rows),
        file_kind="jira_worklog",
        note=note,
    )


# ---- changelog pages ----------------------------------------------------------------------------


def changelog_issue_id(path: Path, data: dict) -> str | None:
    """The issue a /changelog page belongs to: a top-level key, the file name, or a source URL."""
    for key in ("issueId", "issue_id", "_issue_id", "_issueId"):
        if data.get(key) not in (None, ""):
            return str(data[key])
    match = CHANGELOG_NAME_ID.search(path.stem)
    if match:
        return match.group("a") or match.group("b") or match.group("c")
    for key, value in data.items():
        if key.startswith("_") and isinstance(value, str):
            url = CHANGELOG_URL_ID.search(value)
            if url:
                return url.group("id")
    return None


def _parse_changelog_page(path: Path, data: Any) -> ParseResult:
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise FileRejected(f"{path.name}: not a Jira /changelog page: expected a JSON object with values[]")
    issue_id = changelog_issue_id(path, data)
    if issue_id is None:
        raise FileRejected(
            f"{path.name}: cannot tell which issue this /changelog page belongs to: no issueId key, "
            "no issue id in the file name (e.g. issue_10085_changelog.json), no /issue/<id>/changelog URL"
        )
    issue_key = data.get("issueKey") or data.get("_issue_key")
    values = data["values"]
    changes: list[tuple] = []
    rejects: list[Reject] = []
    for h, history in enumerate(values):
        try:
            if not isinstance(history, dict) or history.get("id") is None:
                raise _Bad(f"values[{h}]", "id", history, "a history entry without an id")
            changes += _status_changes(history, f"values[{h}]", issue_key, issue_id, {})
        except _Bad as bad:
            rejects.append(bad.reject)
        except (AttributeError, TypeError, ValueError, KeyError) as exc:  # a shape no Jira version writes
            reason = f"unexpected history structure: {exc!r}"
            rejects.append(Reject(f"values[{h}]", None, _short(history), reason))
    return ParseResult(
        tables={"jira_status_changes": _table("jira_status_changes", changes)},
        rejects=rejects,
        rows_read=len(values),
        rows_loaded=len(values) - len(rejects),
        file_kind="jira_changelog",
    )


# ---- /field lists -------------------------------------------------------------------------------


def _parse_field_list(path: Path, data: Any) -> ParseResult:
    if not isinstance(data, list):
        raise FileRejected(f"{path.name}: not a Jira /field list: expected a JSON array of fields")
    rejects = [
        Reject(f"[{i}]", "id", _short(f), "a field entry without id and name")
        for i, f in enumerate(data)
        if not (isinstance(f, dict) and f.get("id") and f.get("name"))
    ]
    return ParseResult(
        tables={},
        rejects=rejects,
        rows_read=len(data),
        rows_loaded=len(data) - len(rejects),
        file_kind="jira_fields",
    )


def parse(path: Path, ctx: ParseContext, kind: str) -> ParseResult:
    if kind not in KINDS:
        raise FileRejected(f"{path.name}: jira_json cannot read files of kind {kind!r}")
    with gc_paused():  # the page's JSON tree is freed (by reference counting) before GC resumes
        return _parse_page(path, ctx, kind)


def _parse_page(path: Path, ctx: ParseContext, kind: str) -> ParseResult:
    raw = _read(path, ctx.settings)
    if kind in EXPORT_FORMAT:
        result = _parse_pruned_issue_page(path, ctx, kind, raw)
        if result is not None:
            return result
    data = _decode(path, raw)
    if kind == "jira_fields":
        return _parse_field_list(path, data)
    if kind == "jira_changelog":
        return _parse_changelog_page(path, data)
    if kind == "jira_worklog":
        return _parse_worklog_page(path, data)
    return _parse_issue_page(path, ctx, kind, data)
