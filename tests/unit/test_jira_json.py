"""Jira REST JSON parser: the real agile board and changelog samples, hand-written /search, /search/jql
and /field fixtures, and broken inputs. Every expected value below was read by hand from the file."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import types
import typing
from pathlib import Path

import pytest
from support.parser_checks import check_parse_result, check_writes_into_raw_zone
from support.paths import TEST_FIXTURES

from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult
from ingest.parsers.formats import read_head
from ingest.parsers.jira import rest_json as jira_json
from ingest.settings import IngestSettings

FIXTURES = TEST_FIXTURES / "jira"


def _parse(
    path: Path, tmp_path: Path, kind: str | None = None, settings: IngestSettings | None = None
) -> ParseResult:
    kind = kind or jira_json.sniff(path, read_head(path))
    assert kind is not None, f"{path.name} not recognised"
    ctx = ParseContext(path.parent, path.name, tmp_path, settings or IngestSettings())
    result = jira_json.parse(path, ctx, kind)
    check_parse_result(result)
    return result


def _by_key(result: ParseResult) -> dict[str, dict]:
    return {row["issue_key"]: row for row in result.tables["jira_issues"].to_pylist()}


# ---- recognising pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("samples:agile_board_issues_expand_changelog.json", "jira_agile"),
        ("samples:v3_issue_changelog_values.json", "jira_changelog"),
        ("search_jql/search_jql_page_1.json", "jira_search"),
        ("search_v2/search_startAt_0.json", "jira_search"),
        ("search_v2/field.json", "jira_fields"),
        ("broken/not_jira.json", None),
    ],
)
def test_sniff(path: str, kind: str | None, samples: Path):
    file = samples / "jira" / path.split(":", 1)[1] if path.startswith("samples:") else FIXTURES / path
    assert jira_json.sniff(file, read_head(file)) == kind


# ---- the real samples -----------------------------------------------------------------------------


def test_agile_board_sample(samples: Path, tmp_path: Path):
    result = _parse(samples / "jira" / "agile_board_issues_expand_changelog.json", tmp_path)
    assert (result.file_kind, result.rows_read, result.rows_loaded, result.rejects) == (
        "jira_agile",
        4,
        4,
        [],
    )
    issues = _by_key(result)
    assert list(issues) == ["EE-23", "EE-19", "EE-25", "EE-27"]
    ee23 = issues["EE-23"]
    assert ee23["issue_id"] == "10085"
    assert ee23["created_at"] == dt.datetime(2020, 6, 12, 0, 33, 57, 204000)  # 08:33:57.204+0800
    assert ee23["resolved_at"] == dt.datetime(2020, 6, 15, 9, 7, 56, 798000)
    assert ee23["status_id"] == "10068"
    assert ee23["status_category"] == "done"  # the key; the name is localized (已完成)
    assert ee23["status_name"] == "已完成"
    assert ee23["fix_versions"] == "v2.5.4"
    assert ee23["time_spent_seconds"] == 3600
    assert ee23["export_format"] == "rest_agile"
    # EE-25's parent EE-1 is a story (hierarchyLevel 0): a parent, not an epic
    assert (issues["EE-25"]["parent_key"], issues["EE-25"]["epic_key"]) == ("EE-1", None)

    sprints = result.tables["jira_sprint_membership"].to_pylist()
    assert [s["issue_key"] for s in sprints] == ["EE-23", "EE-25", "EE-27"]  # EE-19 has no sprint
    assert sprints[0] | {"_source_ref": None} == {
        "issue_key": "EE-23",
        "sprint_id": "7",
        "sprint_name": "EE Sprint 7",
        "sprint_state": "closed",
        "board_id": "8",
        "sprint_start_at": dt.datetime(2020, 6, 12, 0, 38, 51, 882000),
        "sprint_end_at": dt.datetime(2020, 6, 26, 0, 38),
        "sprint_complete_at": dt.datetime(2020, 6, 22, 5, 59, 58, 980000),
        "_source_ref": None,
    }

    changes = result.tables["jira_status_changes"].to_pylist()
    per_issue = {k: sum(c["issue_key"] == k for c in changes) for k in issues}
    assert per_issue == {"EE-23": 9, "EE-19": 8, "EE-25": 7, "EE-27": 7}
    first = next(c for c in changes if c["history_id"] == "10898")
    assert first["changed_at"] == dt.datetime(2020, 6, 12, 1, 27, 39, 141000)  # 09:27:39.141+0800
    assert (first["from_status_id"], first["from_status_name"]) == ("1", "Open")
    assert (first["to_status_id"], first["to_status_name"]) == ("3", "In Development")
    assert (first["from_status_category"], first["to_status_category"]) == (None, None)  # not known here
    assert first["author"] == "Rankin Zheng"
    last = next(c for c in changes if c["history_id"] == "86178")
    assert (last["from_status_name"], last["to_status_id"], last["to_status_category"]) == (
        "Closed",
        "10068",
        "done",
    )


def test_changelog_sample(samples: Path, tmp_path: Path):
    result = _parse(samples / "jira" / "v3_issue_changelog_values.json", tmp_path)
    assert (result.file_kind, result.rows_read, result.rows_loaded, result.rejects) == (
        "jira_changelog",
        15,
        15,
        [],
    )
    changes = result.tables["jira_status_changes"].to_pylist()
    assert len(changes) == 8  # 8 of the 15 entries carry a status item
    assert {c["issue_id"] for c in changes} == {"13383"}  # from _source_url_example, not the "3" of "v3"
    assert {c["issue_key"] for c in changes} == {None}
    closed = next(c for c in changes if c["history_id"] == "59151")
    assert closed["changed_at"] == dt.datetime(2021, 1, 27, 6, 46, 18, 86000)  # 14:46:18.086+0800
    assert (closed["from_status_id"], closed["from_status_name"]) == ("10074", "开发中")
    assert (closed["to_status_id"], closed["to_status_name"]) == ("6", "Closed")
    assert closed["author"] == "Runjuu"
    assert closed["_source_ref"] == "values[2]"


# ---- hand-written pages ---------------------------------------------------------------------------


def test_search_jql_pages(tmp_path: Path):
    page1 = _parse(FIXTURES / "search_jql" / "search_jql_page_1.json", tmp_path)
    page2 = _parse(FIXTURES / "search_jql" / "search_jql_page_2.json", tmp_path)
    issues = _by_key(page1) | _by_key(page2)
    assert list(issues) == ["PAY-1", "PAY-2", "PAY-3"]
    pay2 = issues["PAY-2"]
    assert pay2["export_format"] == "rest_search"
    assert pay2["story_points"] == 5.0  # customfield_10016 through settings.jira_field_mapping
    assert (pay2["parent_key"], pay2["epic_key"]) == ("PAY-1", "PAY-1")
    assert pay2["labels"] == "payments;security;pci"
    assert pay2["fix_versions"] == "2026.1;2026.2"
    assert pay2["updated_at"] == dt.datetime(2026, 2, 15, 15, 37)  # 16:37 +0100
    assert issues["PAY-1"]["due_on"] == dt.date(2026, 6, 30)
    assert issues["PAY-3"]["story_points"] == 3.0
    sprints = page1.tables["jira_sprint_membership"].to_pylist()
    assert [(s["sprint_id"], s["sprint_state"]) for s in sprints] == [("11", "closed"), ("12", "active")]
    assert sprints[1]["sprint_complete_at"] is None
    changes = {c["history_id"]: c for c in page1.tables["jira_status_changes"].to_pylist()}
    assert set(changes) == {"901", "902"}  # history 900 changed labels only
    # status 3 (In Progress) is nobody's current status on page 1: its category stays unknown
    assert (changes["901"]["from_status_category"], changes["901"]["to_status_category"]) == ("new", None)
    assert (changes["902"]["from_status_category"], changes["902"]["to_status_category"]) == (None, "done")
    # on page 2, PAY-3 is In Progress, so the same transition is fully categorised
    only = page2.tables["jira_status_changes"].to_pylist()[0]
    assert (only["from_status_category"], only["to_status_category"]) == ("new", "indeterminate")


def test_v2_search_with_field_list_and_legacy_sprints(tmp_path: Path):
    result = _parse(FIXTURES / "search_v2" / "search_startAt_0.json", tmp_path)
    issues = _by_key(result)
    srv2 = issues["SRV-2"]
    assert srv2["story_points"] == 3.0  # customfield_10106 per field.json (10016 is Rank here)
    assert srv2["epic_key"] == "SRV-1"  # Epic Link customfield_10008
    assert srv2["assignee"] == "J. Doe"
    assert srv2["created_at"] == dt.datetime(2021, 10, 4, 8, 30)
    sprints = result.tables["jira_sprint_membership"].to_pylist()
    assert [(s["sprint_id"], s["sprint_name"], s["sprint_state"], s["board_id"]) for s in sprints] == [
        ("2", "Sprint 2", "closed", "1"),
        ("3", "Sprint 3, hardening", "active", "1"),
    ]
    assert sprints[0]["sprint_complete_at"] == dt.datetime(2021, 10, 18, 15, 30)  # 17:30+02:00
    assert sprints[1]["sprint_end_at"] == dt.datetime(2021, 11, 1, 8, 0)  # 09:00+01:00
    assert sprints[1]["sprint_complete_at"] is None  # <null>


def test_without_the_field_list_the_settings_mapping_applies(tmp_path: Path):
    page = tmp_path / "alone" / "search_startAt_0.json"
    page.parent.mkdir()
    shutil.copy(FIXTURES / "search_v2" / "search_startAt_0.json", page)
    settings = IngestSettings(
        jira_field_mapping={
            "story_points": "customfield_10106",
            "sprint": "customfield_10104",
            "epic_link": "",
        }
    )
    issues = _by_key(_parse(page, tmp_path, settings=settings))
    assert issues["SRV-2"]["story_points"] == 3.0
    assert issues["SRV-2"]["epic_key"] is None  # no epic link field configured, parent absent


def test_field_list_loads_no_table(tmp_path: Path):
    result = _parse(FIXTURES / "search_v2" / "field.json", tmp_path)
    assert (result.rows_read, result.rows_loaded, result.tables) == (5, 5, {})
    fields = json.loads((FIXTURES / "search_v2" / "field.json").read_text())
    assert jira_json.field_roles(fields) == {
        "sprint": ["customfield_10104"],
        "epic_link": ["customfield_10008"],
        "story_points": ["customfield_10106"],
    }


def test_adf_flattened_to_text():
    page = json.loads((FIXTURES / "search_jql" / "search_jql_page_1.json").read_text())
    description = page["issues"][1]["fields"]["description"]
    assert jira_json.adf_to_text(description) == "Tokenise cards before storage\nPCI scope"
    assert jira_json.adf_to_text({"type": "doc", "version": 1, "content": []}) == ""


def test_pages_write_into_the_raw_zone(tmp_path: Path):
    result = _parse(FIXTURES / "search_jql" / "search_jql_page_1.json", tmp_path)
    home, as_of, ingested = tmp_path / "home", dt.date(2026, 10, 31), dt.datetime(2026, 11, 1)
    check_writes_into_raw_zone(result, home, "jira/p1.json", "cd" * 32, as_of, ingested)


# ---- broken inputs --------------------------------------------------------------------------------


def test_truncated_json_is_rejected_with_position(tmp_path: Path):
    with pytest.raises(FileRejected, match=r"not valid JSON .* line 1 column"):
        _parse(FIXTURES / "broken" / "truncated_search.json", tmp_path, "jira_search")


def test_not_a_jira_page(tmp_path: Path):
    with pytest.raises(
        FileRejected,
        match="expected a JSON object with an issues.. list, found an object with keys results, count",
    ):
        _parse(FIXTURES / "broken" / "not_jira.json", tmp_path, "jira_search")
    with pytest.raises(FileRejected, match="/changelog page"):
        _parse(FIXTURES / "broken" / "not_jira.json", tmp_path, "jira_changelog")


def test_bad_issues_are_named_rejects(tmp_path: Path):
    # broken/ also holds truncated_fields.json: a damaged field list beside the page is skipped
    result = _parse(FIXTURES / "broken" / "issues_with_problems.json", tmp_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (6, 1, 5)
    got = {(r.ref, r.column, r.value) for r in result.rejects}
    assert got == {
        ("issues[1]", "key", None),
        ("issues[2]", "fields.created", None),
        ("issues[3]", "fields.created", "2026-02-02 12:05:00"),
        ("issues[4]", "fields.customfield_10020[0]", "Sprint 7 (no object)"),
        ("issues[5]", None, "not an issue"),
    }
    assert "no UTC offset" in next(r.reason for r in result.rejects if r.ref == "issues[3]")
    assert list(_by_key(result)) == ["PAY-3"]
    assert result.tables["jira_status_changes"].column("issue_key").to_pylist() == ["PAY-3"]


def test_changelog_page_issue_from_file_name_and_bad_history(tmp_path: Path):
    result = _parse(FIXTURES / "broken" / "issue_20002_changelog.json", tmp_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 2, 1)
    assert result.rejects[0].ref == "values[1]" and result.rejects[0].column == "created"
    changes = result.tables["jira_status_changes"].to_pylist()
    assert [(c["issue_id"], c["history_id"], c["changed_at"]) for c in changes] == [
        ("20002", "11", dt.datetime(2026, 2, 10, 8, 0))
    ]


def test_changelog_page_of_unknown_issue_is_rejected(tmp_path: Path):
    with pytest.raises(FileRejected, match="cannot tell which issue"):
        _parse(FIXTURES / "broken" / "changelog_unknown_issue.json", tmp_path)


def test_empty_and_non_utf8_files(tmp_path: Path):
    empty = tmp_path / "empty.json"
    empty.write_bytes(b"")
    with pytest.raises(FileRejected, match="empty"):
        _parse(empty, tmp_path, "jira_search")
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"issues": [{"key": "Café"}]}'.encode("cp1252"))
    with pytest.raises(FileRejected, match="not UTF-8"):
        _parse(latin, tmp_path, "jira_search")


def test_parent_without_issue_type_follows_the_hierarchy(tmp_path: Path):
    """A page may give the parent as {"key": ...} only: a story's parent is its epic, a sub-task's is not."""
    page = json.loads((FIXTURES / "search_jql" / "search_jql_page_2.json").read_text())
    story = page["issues"][0]
    story["fields"]["parent"] = {"id": "20001", "key": "PAY-1"}
    subtask = json.loads(json.dumps(story))
    subtask.update(id="20009", key="PAY-9")
    subtask["fields"]["issuetype"] = {
        "id": "10003",
        "name": "Sub-task",
        "subtask": True,
        "hierarchyLevel": -1,
    }
    subtask["fields"]["parent"] = {"id": "20003", "key": "PAY-3"}
    page["issues"].append(subtask)
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page))
    issues = _by_key(_parse(path, tmp_path))
    assert (issues["PAY-3"]["parent_key"], issues["PAY-3"]["epic_key"]) == ("PAY-1", "PAY-1")
    assert (issues["PAY-9"]["parent_key"], issues["PAY-9"]["epic_key"]) == ("PAY-3", None)


# ---- the pruned decoding of issue pages ------------------------------------------------------------


class _Reads(dict):
    """A JSON object that records which keys the parser reads from it."""

    def __init__(self, data: dict, declared: set[str]):
        super().__init__(data)
        self.declared, self.read = declared, set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)


def _watched(value, declared_type, objects: list[_Reads]):
    """`value` with each object of a pruned kind (a TypedDict of the page decoder) made a _Reads."""
    while typing.get_origin(declared_type) in (typing.Required, types.UnionType):
        declared_type = next(a for a in typing.get_args(declared_type) if a is not type(None))
    if declared_type is typing.Any:
        return value
    if typing.get_origin(declared_type) is list:
        (item_type,) = typing.get_args(declared_type)
        return [_watched(v, item_type, objects) for v in value] if isinstance(value, list) else value
    assert typing.is_typeddict(declared_type), declared_type
    if not isinstance(value, dict):
        return value
    hints = declared_type.__annotations__
    watched = _Reads(
        {k: _watched(v, hints[k], objects) if k in hints else v for k, v in value.items()}, set(hints)
    )
    objects.append(watched)
    return watched


def _issue_pages(samples: Path, tmp_path: Path) -> list[Path]:
    """The issue pages above, and one taking the paths they do not: persons known by key or name only,
    issue types without hierarchyLevel, a parent not on the page, an agile epic and sprints, a changelog
    item without fieldId."""
    at = "2026-02-02T10:00:00.000+0000"
    rare = {
        "issues": [
            {
                "id": "1",
                "key": "X-1",
                "fields": {
                    "created": at,
                    "issuetype": {"name": "Story", "subtask": False},
                    "parent": {"key": "X-9"},
                    "assignee": {"key": "jdoe"},
                    "reporter": {"name": "jd"},
                    "status": {"id": "1", "name": "Open"},
                    "sprint": {"id": 4, "name": "S4", "originBoardId": 2},
                    "closedSprints": [{"id": 3, "name": "S3", "rapidViewId": 2}],
                },
                "changelog": {
                    "histories": [
                        {
                            "id": "5",
                            "created": at,
                            "author": {"accountId": "a1"},
                            "items": [{"field": "Status", "from": "1", "to": "2", "toString": "Done"}],
                        }
                    ]
                },
            },
            {
                "id": "2",
                "key": "X-2",
                "fields": {
                    "created": at,
                    "epic": {"key": "X-7"},
                    "parent": {
                        "key": "X-8",
                        "fields": {"issuetype": {"name": "Epic"}, "status": {"id": "2"}},
                    },
                },
            },
        ]
    }
    folder = tmp_path / "rare"
    folder.mkdir(exist_ok=True)
    (folder / "rare_paths.json").write_text(json.dumps(rare))
    return [
        samples / "jira" / "agile_board_issues_expand_changelog.json",
        FIXTURES / "search_jql" / "search_jql_page_1.json",
        FIXTURES / "search_jql" / "search_jql_page_2.json",
        FIXTURES / "search_v2" / "search_startAt_0.json",  # legacy sprints, a /field list beside it
        FIXTURES / "broken" / "issues_with_problems.json",
        folder / "rare_paths.json",
    ]


def test_pruned_page_keeps_every_key_read(samples: Path, tmp_path: Path):
    """Issue pages are first decoded keeping only the keys the parser reads: a key read but not kept
    would silently read as absent. Here every object of a pruned kind records the keys read from it."""
    for path in _issue_pages(samples, tmp_path):
        kind = jira_json.sniff(path, read_head(path))
        ctx = ParseContext(path.parent, path.name, tmp_path, IngestSettings())
        roles, _ = jira_json._resolve_fields(path, ctx.settings)
        objects: list[_Reads] = []
        page = _watched(json.loads(path.read_text()), jira_json._page_decoder(roles).type, objects)
        jira_json._parse_issue_page(path, ctx, kind, page, roles)
        assert len(objects) > 10
        for obj in objects:
            assert obj.read <= obj.declared, f"{path.name}: read but not kept: {obj.read - obj.declared}"


def test_pruned_and_whole_decoding_agree(samples: Path, tmp_path: Path):
    for path in _issue_pages(samples, tmp_path):
        kind = jira_json.sniff(path, read_head(path))
        ctx = ParseContext(path.parent, path.name, tmp_path, IngestSettings())
        whole = jira_json._parse_issue_page(path, ctx, kind, json.loads(path.read_text()))
        pruned = jira_json._parse_pruned_issue_page(path, ctx, kind, path.read_bytes())
        if whole.rejects:  # a reject quotes the whole value: such a page is parsed from the whole document
            assert pruned is None
            continue
        assert pruned is not None
        assert pruned.tables.keys() == whole.tables.keys()
        for name, table in whole.tables.items():
            assert pruned.tables[name].equals(table), name
        assert (pruned.rows_read, pruned.rows_loaded, pruned.rows_rejected) == (
            whole.rows_read,
            whole.rows_loaded,
            whole.rows_rejected,
        )


def test_a_reject_quotes_the_whole_value(tmp_path: Path):
    page = json.loads((FIXTURES / "search_jql" / "search_jql_page_1.json").read_text())
    page["issues"][0]["fields"]["customfield_10020"] = [{"goal": "ship it", "state": "active"}]
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page))
    result = _parse(path, tmp_path)
    assert [(r.ref, r.column, r.value, r.reason) for r in result.rejects] == [
        (
            "issues[0]",
            "fields.customfield_10020[0]",
            '{"goal": "ship it", "state": "active"}',  # "goal" is no key the parser reads
            "a sprint without id or name",
        )
    ]
    assert (result.rows_read, result.rows_loaded) == (2, 1)


def test_json_msgspec_refuses_reads_as_json_loads_does(tmp_path: Path):
    """NaN, integers beyond 64 bits, lone surrogates and a BOM: read as json.loads reads them."""
    text = (FIXTURES / "search_jql" / "search_jql_page_1.json").read_text()
    page = json.loads(text)
    page["issues"][0]["id"] = 123456789012345678901234567890
    page["issues"][0]["fields"]["customfield_10016"] = float("nan")
    page["issues"][0]["fields"]["description"] = "\ud800"  # a lone surrogate, in a key no column reads
    path = tmp_path / "page.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(page).encode())
    result = _parse(path, tmp_path)
    # The page reads as json.loads reads it; the NaN story points are then a reject, never loaded.
    assert result.rows_loaded == 1
    (reject,) = result.rejects
    assert reject.column.endswith("customfield_10016") and "out of range" in reject.reason
    page["issues"][0]["fields"]["customfield_10016"] = 5  # the same page with finite points
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(page).encode())
    result = _parse(path, tmp_path)
    assert (result.rows_loaded, result.rejects) == (2, [])
    assert _by_key(result)["PAY-1"]["issue_id"] == "123456789012345678901234567890"


def test_a_changed_field_list_is_read_again(tmp_path: Path):
    folder = tmp_path / "jira"
    folder.mkdir()
    page = folder / "search_startAt_0.json"
    shutil.copy(FIXTURES / "search_v2" / "search_startAt_0.json", page)
    field_list = folder / "field.json"
    shutil.copy(FIXTURES / "search_v2" / "field.json", field_list)
    assert _by_key(_parse(page, tmp_path))["SRV-2"]["story_points"] == 3.0
    fields = json.loads(field_list.read_text())
    for f in fields:
        if f["id"] == "customfield_10106":
            f["name"] = "Rank (was story points)"
    field_list.write_text(json.dumps(fields))
    assert _by_key(_parse(page, tmp_path))["SRV-2"]["story_points"] is None
