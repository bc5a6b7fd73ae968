"""Jira CSV exports (issue navigator "All fields" / "Current fields", Cloud and Server/Data Center).

Columns are found by name, never by position. Multi-valued fields repeat their column name once per
value (`Labels,Labels,Sprint,Sprint,...`) and the count differs between exports and between pages of
one export, so each file is read alone and keyed by (name, occurrence); values are joined with ';'.
All column work is vectorised with pyarrow.compute (and numpy for dates): no Python loop over rows.
Only the columns used are converted from the CSV text.

Dates carry no zone: they are read with settings.jira_csv_date_formats in
settings.jira_export_timezone and stored as naive UTC. A cell matching none of the formats (or naming
a day that does not exist, e.g. 31/Feb) rejects its row; nothing is guessed. Local times that are
ambiguous at a daylight-saving change are taken as the earlier instant.

Duplicate issue keys within one file are all loaded: dbt keeps the latest (by updated_at) per key.

Exports carry only the columns the user chose. `Issue key` identifies an issue and is the one
column a file cannot do without (rejected whole otherwise). Every other column may be absent: the
issues load with nulls there, and the outcome's note names the measures the missing columns cannot
feed (e.g. a Server export of `Issue Type, Issue key, Issue id, Parent id, Summary, Status,
Resolution` has no Created / Updated: no lead or cycle times, no throughput dates, and as it has no
Updated its issues lose to any export that has one). A column that is present but empty in a row is
still a reject where the full export requires it (Issue id, Created, Updated).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ingest.contract import RAW_TABLES, TS
from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult, Reject, rows_to_table
from ingest.parsers.common.tabular import TextTable, first_line_of, read_csv_text

KIND = "jira_csv"

IDENTIFYING = ("Issue key",)
# Read when present; a full export has them all. (column, what it feeds when present)
EXPECTED = (
    ("Issue id", "parent links by id"),
    ("Summary", "issue names"),
    ("Issue Type", "epic and sub-task hierarchy"),
    ("Status", "status names"),
    ("Created", "lead times, WIP and throughput from creation"),
    ("Updated", "the latest-wins choice between exports of one issue"),
)
REQUIRED = (*IDENTIFYING, *(name for name, _ in EXPECTED))
# Header names that only a Jira export has; three of them are enough to claim a CSV file.
MARKERS = {
    "issue key",
    "issue id",
    "issue type",
    "summary",
    "status",
    "created",
    "updated",
    "project key",
    "resolution",
    "assignee",
    "reporter",
    "priority",
    "status category",
    "sprint",
    "parent key",
}
STATUS_CATEGORIES = {
    "to do": "new",
    "in progress": "indeterminate",
    "done": "done",
    "new": "new",
    "indeterminate": "indeterminate",
}
STORY_POINT_COLUMNS = (
    "Custom field (Story Points)",
    "Custom field (Story point estimate)",
    "Story Points",
    "Story point estimate",
)
SUBTASK_TYPES = {"sub-task", "subtask", "sub task"}
# The columns read (lower case); the others are not converted.
COLUMNS_READ = {
    name.lower()
    for name in (
        *REQUIRED,
        *STORY_POINT_COLUMNS,
        "Project key",
        "Status Category",
        "Priority",
        "Assignee",
        "Reporter",
        "Parent key",
        "Parent id",
        "Custom field (Epic Link)",
        "Epic Link",
        "Labels",
        "Component/s",
        "Components",
        "Fix versions",
        "Fix Version/s",
        "Original estimate",
        "Time Spent",
        "Resolved",
        "Due date",
        "Sprint",
        "Log Work",
    )
}
ISSUE_KEY_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*-[0-9]+$"
# Digits bounded so that every match fits its column: a double stays finite, an int64 does not overflow.
NUMBER_PATTERN = r"^-?[0-9]{1,15}(\.[0-9]+)?$"
INTEGER_PATTERN = r"^-?[0-9]{1,18}$"


def sniff(path: Path, head: str) -> str | None:
    if path.suffix.lower() not in {".csv", ".txt"} or not head.strip():
        return None
    first = first_line_of(head)
    delimiter = max((",", ";", "\t", "|"), key=first.count)
    names = {name.strip().strip('"').strip().lower() for name in first.split(delimiter)}
    return KIND if len(names & MARKERS) >= 3 and ("issue key" in names or "issue id" in names) else None


@dataclass
class _Columns:
    """The file's columns keyed by lower-cased header name, each with its occurrences in order."""

    text: TextTable

    def __post_init__(self) -> None:
        self.by_name: dict[str, list[int]] = {}
        for i, name in enumerate(self.text.header):
            self.by_name.setdefault(name.strip().lower(), []).append(i)
        self._cells: dict[int, pa.ChunkedArray] = {}

    def has(self, name: str) -> bool:
        return name.lower() in self.by_name

    def _column(self, i: int) -> pa.ChunkedArray:
        """Column i (one of COLUMNS_READ), blank cells as null (computed once)."""
        if i not in self._cells:
            self._cells[i] = _blank_to_null(self.text.table.column(f"c{i}"))
        return self._cells[i]

    def all(self, name: str) -> list[pa.ChunkedArray]:
        """Every occurrence of a (repeated) column, blank cells as null."""
        return [self._column(i) for i in self.by_name.get(name.lower(), [])]

    def first(self, *names: str) -> pa.ChunkedArray:
        """The first occurrence of the first of `names` present, blank cells as null."""
        for name in names:
            found = self.by_name.get(name.lower())
            if found:
                return self._column(found[0])
        return pa.chunked_array([pa.nulls(self.text.table.num_rows, pa.string())])

    def name_of(self, *names: str) -> str:
        for name in names:
            if self.has(name):
                return self.text.header[self.by_name[name.lower()][0]]
        return names[0]


def _blank_to_null(col: pa.ChunkedArray) -> pa.ChunkedArray:
    trimmed = pc.utf8_trim_whitespace(col)
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)


def _joined(cols: list[pa.ChunkedArray], n: int) -> pa.ChunkedArray:
    """The filled cells of repeated columns, per row, joined with ';' (null when none is filled).

    Built as a list array (row-major take over the stacked columns) then pc.binary_join: pyarrow's
    binary_join_element_wise(null_handling="skip") drops rows whose inputs are all null (pyarrow 26).
    """
    if not cols:
        return pa.chunked_array([pa.nulls(n, pa.string())])
    if len(cols) == 1:
        return cols[0]
    k = len(cols)
    stacked = pa.concat_arrays([c.combine_chunks() for c in cols])  # column j, row i at j*n + i
    order = (np.arange(k, dtype=np.int64)[None, :] * n + np.arange(n, dtype=np.int64)[:, None]).ravel()
    values = stacked.take(pa.array(order))
    values = values.filter(pc.is_valid(values))
    counts = np.sum([pc.is_valid(c).to_numpy(zero_copy_only=False) for c in cols], axis=0, dtype=np.int64)
    offsets = pa.array(np.concatenate([[0], np.cumsum(counts)]), pa.int32())
    joined = pc.binary_join(pa.ListArray.from_arrays(offsets, values), ";")
    return _blank_to_null(pa.chunked_array([joined]))


class _RowRejects:
    """Collects rejects per data row as a boolean mask plus the Reject records."""

    def __init__(self, text: TextTable, numbers: list[int]):
        self.text = text
        self.numbers = numbers
        self.rejects: list[Reject] = []
        self.mask = pa.chunked_array([pa.array([False] * text.table.num_rows, pa.bool_())])

    def add(self, bad: pa.ChunkedArray, column: str, values: pa.ChunkedArray, reason: str) -> None:
        """Reject the rows where `bad` is true; `reason` may use {value}."""
        bad = pc.fill_null(bad, False)
        indices = pc.indices_nonzero(bad).to_pylist()  # only the (few) bad rows are visited
        if not indices:
            return
        found = pc.take(values, pa.array(indices)).to_pylist()
        for index, value in zip(indices, found, strict=True):
            self.rejects.append(
                Reject(f"row {self.numbers[index]}", column, value, reason.format(value=value))
            )
        self.mask = pc.or_(self.mask, bad)

    def add_rows(self, found: list[tuple[int, str, str | None, str]]) -> None:
        """Reject rows by (row index, column, value, reason)."""
        if not found:
            return
        bad = np.zeros(self.text.table.num_rows, bool)
        for index, column, value, reason in found:
            self.rejects.append(Reject(f"row {self.numbers[index]}", column, value, reason))
            bad[index] = True
        self.mask = pc.or_(self.mask, pa.chunked_array([pa.array(bad)]))


def _normalised(col: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    """Lower case, single spaces, no leading zeros in numbers: to compare a date with its re-rendering."""
    out = pc.replace_substring_regex(pc.utf8_trim_whitespace(col), r"\s+", " ")
    out = pc.replace_substring_regex(out, r"(^|\D)0+(\d)", r"\1\2")
    return pc.utf8_lower(out)


def _strptime_exact(cells: pa.Array, fmt: str) -> pa.Array:
    """Naive local timestamps; null where the cell does not match `fmt` exactly."""
    parsed = pc.strptime(cells, format=fmt, unit="us", error_is_null=True)
    # strptime rolls 31/Feb over to 3/Mar: keep only values that render back to the cell.
    same = pc.equal(_normalised(pc.strftime(parsed, format=fmt)), _normalised(cells))
    return pc.if_else(pc.fill_null(same, False), parsed, pa.scalar(None, TS))


# Jira's own date formats are read without strptime (about 10x faster): a cell in exactly the shape
# Jira writes (13/Nov/24 9:05 AM) that names a real day and time is converted with numpy; any other
# cell goes through _strptime_exact, so the values and the rejects are the same either way.
_DAY_MON_YY = r"^[0-9]{1,2}/(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/[0-9]{2}"
_FAST_FORMATS = {  # format: (the cells read, clock)
    "%d/%b/%y %I:%M %p": (_DAY_MON_YY + r" [0-9]{1,2}:[0-9]{2} [AP]M$", "12h"),
    "%d/%b/%y %H:%M": (_DAY_MON_YY + r" [0-9]{1,2}:[0-9]{2}$", "24h"),
    "%d/%b/%y": (_DAY_MON_YY + "$", ""),
}
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_OF = np.zeros((256, 256), np.int64)  # month - 1 by the 2nd and 3rd letters, unique among the 12
_MONTH_OF[[ord(m[1]) for m in _MONTHS], [ord(m[2]) for m in _MONTHS]] = np.arange(12)
# %y: 69-99 are 1969-1999, 00-68 are 2000-2068 (POSIX). Indexed [yy, month - 1].
_YEARS = [1900 + yy if yy >= 69 else 2000 + yy for yy in range(100)]
_EPOCH = dt.date(1970, 1, 1).toordinal()
_MONTH_START = np.array(
    [[dt.date(y, m, 1).toordinal() - _EPOCH for m in range(1, 13)] for y in _YEARS], np.int64
)
_MONTH_DAYS = np.array([[calendar.monthrange(y, m)[1] for m in range(1, 13)] for y in _YEARS], np.int64)


def _read_jira_dates(cells: pa.Array, pattern: str, clock: str) -> tuple[np.ndarray, np.ndarray]:
    """(rows, microseconds): the cells of `cells` (a string array) in Jira's shape `pattern` that
    name a real day (and a real time on a `clock` of "12h" or "24h"), and their naive values."""
    match = pc.fill_null(pc.match_substring_regex(cells, pattern), False)
    rows = np.flatnonzero(match.to_numpy(zero_copy_only=False))
    if not len(rows):
        return rows, np.zeros(0, np.int64)
    offsets = np.frombuffer(cells.buffers()[1], np.int32, len(cells) + 1, cells.offset * 4)
    data = np.frombuffer(cells.buffers()[2], np.uint8)
    at = offsets[rows].astype(np.int64)
    # Each cell's characters as a row of a matrix, aligned as if day and hour had 2 digits: where
    # one has 1 digit ("9/Nov/24 9:05 AM") the row starts a character early and that one is not read.
    short_day = data[at + 1] == 47  # '/'
    at -= short_day
    date = data[at[:, None] + np.arange(9)]  # "dd/Mon/yy"
    digit = date.astype(np.int64) - 48
    day = np.where(short_day, 0, digit[:, 0]) * 10 + digit[:, 1]
    month = _MONTH_OF[date[:, 4], date[:, 5]]  # by the 2nd and 3rd letters of the name
    yy = digit[:, 7] * 10 + digit[:, 8]
    ok = (day >= 1) & (day <= _MONTH_DAYS[yy, month])
    minutes = (_MONTH_START[yy, month] + day - 1) * 1440
    if clock:
        short_hour = data[at + 11] == 58  # ':'
        at += 10 - short_hour
        time = data[at[:, None] + np.arange(8 if clock == "12h" else 5)]  # "hh:mm AM" or "hh:mm"
        digit = time.astype(np.int64) - 48
        hour = np.where(short_hour, 0, digit[:, 0]) * 10 + digit[:, 1]
        minute = digit[:, 3] * 10 + digit[:, 4]
        ok &= minute <= 59
        if clock == "12h":
            ok &= (hour >= 1) & (hour <= 12)
            hour = hour % 12 + 12 * (time[:, 6] == 80)  # 'P' of PM
        else:
            ok &= hour <= 23
        minutes += hour * 60 + minute
    return rows[ok], minutes[ok] * 60_000_000


def _parse_local(col: pa.ChunkedArray, formats: tuple[str, ...]) -> pa.ChunkedArray:
    """Naive local timestamps; null where the cell matches none of the formats exactly.

    Each format reads only the cells that no earlier format has read.
    """
    cells = col.combine_chunks()
    n = len(cells)
    micros = np.zeros(n, np.int64)
    found = np.zeros(n, bool)
    pending = np.flatnonzero(cells.is_valid().to_numpy(zero_copy_only=False))
    for fmt in formats:
        if not len(pending):
            break
        todo = cells if len(pending) == n else cells.take(pending)
        left = np.ones(len(pending), bool)
        fast = _FAST_FORMATS.get(fmt)
        if fast is not None and todo.type == pa.string():
            rows, values = _read_jira_dates(todo, *fast)
            micros[pending[rows]] = values
            found[pending[rows]] = True
            left[rows] = False
        rest = np.flatnonzero(left)
        if len(rest):
            parsed = _strptime_exact(todo if len(rest) == len(pending) else todo.take(rest), fmt)
            ok = parsed.is_valid().to_numpy(zero_copy_only=False)
            micros[pending[rest[ok]]] = parsed.filter(ok).cast(pa.int64()).to_numpy()
            found[pending[rest[ok]]] = True
        pending = pending[~found[pending]]
    return pa.chunked_array([pa.array(micros, TS, mask=~found)] if n else [], TS)


def _to_utc(local: pa.ChunkedArray, timezone: str) -> pa.ChunkedArray:
    if timezone.upper() == "UTC":
        return local
    zoned = pc.assume_timezone(local, timezone, ambiguous="earliest", nonexistent="earliest")
    return zoned.cast(TS)


def _formats_text(formats: tuple[str, ...]) -> str:
    return ", ".join(formats)


def _date_column(cols: _Columns, rejects: _RowRejects, ctx: ParseContext, *names: str) -> pa.ChunkedArray:
    col = cols.first(*names)
    formats = ctx.settings.jira_csv_date_formats
    local = _parse_local(col, formats)
    rejects.add(
        pc.and_(pc.is_valid(col), pc.is_null(local)),
        cols.name_of(*names),
        col,
        "date '{value}' matches none of the formats "
        + _formats_text(formats)
        + " (settings.jira_csv_date_formats)",
    )
    return _to_utc(local, ctx.settings.jira_export_timezone)


def _due_date_column(cols: _Columns, rejects: _RowRejects, ctx: ParseContext) -> pa.ChunkedArray:
    col = cols.first("Due date", "Due Date")
    formats = ctx.settings.jira_csv_date_formats
    date_only = tuple(dict.fromkeys(f.split(" ")[0] for f in formats))
    local = _parse_local(col, formats + date_only)
    rejects.add(
        pc.and_(pc.is_valid(col), pc.is_null(local)),
        cols.name_of("Due date", "Due Date"),
        col,
        "date '{value}' matches none of the formats " + _formats_text(formats + date_only),
    )
    return local.cast(pa.date32())  # a due date is a calendar day: no time zone shift


def _number_column(
    cols: _Columns, rejects: _RowRejects, names: tuple[str, ...], pattern: str, dtype: pa.DataType
) -> pa.ChunkedArray:
    present = [name for name in names if cols.has(name)]
    if not present:
        return pa.chunked_array([pa.nulls(cols.text.table.num_rows, dtype)])
    col = pc.coalesce(*[cols.first(name) for name in present])
    ok = pc.match_substring_regex(col, pattern)
    bad = pc.and_(pc.is_valid(col), pc.invert(pc.fill_null(ok, False)))
    what = (
        "a whole number of seconds (at most 18 digits)"
        if dtype == pa.int64()
        else "a number (at most 15 digits before the point)"
    )
    label = " / ".join(cols.name_of(name) for name in present)
    rejects.add(bad, label, col, "'{value}' is not " + what)
    clean = pc.if_else(pc.fill_null(ok, False), col, pa.scalar(None, pa.string()))
    return clean.cast(dtype)


def _check_required(path: Path, cols: _Columns, rows_read: int) -> None:
    missing = [name for name in IDENTIFYING if not cols.has(name)]
    if missing:
        raise FileRejected(
            f"{path.name}: not a usable Jira CSV export: without the column {', '.join(missing)} no "
            f"issue can be identified; export it with that column (header has: "
            f"{', '.join(cols.text.header[:12])}{', ...' if len(cols.text.header) > 12 else ''})",
            rows_read=rows_read,
        )


def _missing_note(cols: _Columns) -> str:
    """What the absent expected columns cannot feed ("" for a full export)."""
    absent = [(name, feeds) for name, feeds in EXPECTED if not cols.has(name)]
    if not absent:
        return ""
    return "loaded without the columns " + "; ".join(f"{name} (no {feeds})" for name, feeds in absent)


def _export_format(cols: _Columns) -> str:
    server_marks = ("parent id", "fix version/s", "component/s", "custom field (epic link)")
    if not cols.has("Parent key") and any(cols.has(name) for name in server_marks):
        return "csv_server"
    return "csv_cloud"


def _parent_and_epic(
    cols: _Columns, keys: pa.ChunkedArray, ids: pa.ChunkedArray, types: pa.ChunkedArray
) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    n = len(keys)
    parent_key = cols.first("Parent key")
    if cols.has("Parent id"):
        # Server/Data Center gives the parent's numeric id: resolve it to a key within this file.
        parent_id = cols.first("Parent id")
        found = pc.take(keys, pc.index_in(parent_id, value_set=ids.combine_chunks(), skip_nulls=True))
        parent_key = pc.coalesce(parent_key, found)
    epic_link = cols.first("Custom field (Epic Link)", "Epic Link")
    # A parent is an Epic when this file says so; otherwise by Jira's hierarchy a standard issue's
    # parent is an epic and a sub-task's parent is a standard issue (an Epic's parent is above epic).
    type_lower = pc.utf8_lower(pc.fill_null(types, ""))
    parent_index = pc.index_in(parent_key, value_set=keys.combine_chunks(), skip_nulls=True)
    parent_type = pc.take(type_lower, parent_index)
    own_level_ok = pc.invert(pc.is_in(type_lower, value_set=pa.array(sorted(SUBTASK_TYPES | {"epic"}))))
    parent_is_epic = pc.if_else(pc.is_valid(parent_type), pc.equal(parent_type, "epic"), own_level_ok)
    epic_from_parent = pc.if_else(
        pc.fill_null(parent_is_epic, False), parent_key, pa.scalar(None, pa.string())
    )
    epic_key = pc.coalesce(epic_link, epic_from_parent) if n else epic_link
    return parent_key, epic_key


def parse(path: Path, ctx: ParseContext, kind: str = KIND) -> ParseResult:
    if kind != KIND:
        raise FileRejected(f"{path.name}: jira_csv cannot read files of kind {kind!r}")
    text = read_csv_text(path, wanted=lambda name: name.strip().lower() in COLUMNS_READ)
    numbers = text.row_numbers()
    n = text.table.num_rows
    rows_read = text.rows_read
    cols = _Columns(text)
    _check_required(path, cols, rows_read)
    if rows_read == 0:
        raise FileRejected(f"{path.name}: the Jira CSV export has a header but no issue rows")

    rejects = _RowRejects(text, numbers)
    issue_key = cols.first("Issue key")
    issue_id = cols.first("Issue id")
    rejects.add(pc.is_null(issue_key), cols.name_of("Issue key"), issue_key, "the issue key is empty")
    rejects.add(
        pc.invert(pc.fill_null(pc.match_substring_regex(issue_key, ISSUE_KEY_PATTERN), True)),
        cols.name_of("Issue key"),
        issue_key,
        "'{value}' is not a Jira issue key (PROJECT-123)",
    )
    # Required in a row where the export has the column.
    for name, what in (
        ("Issue id", "the issue id"),
        ("Created", "the Created date"),
        ("Updated", "the Updated date"),
    ):
        if cols.has(name):
            col = cols.first(name)
            rejects.add(pc.is_null(col), cols.name_of(name), col, f"{what} is empty")

    project_key = cols.first("Project key")
    if not cols.has("Project key") or project_key.null_count:  # else taken from the issue key
        project_key = pc.coalesce(project_key, pc.replace_substring_regex(issue_key, r"-[0-9]+$", ""))
    category_text = cols.first("Status Category")
    category = pc.take(
        pa.array(list(STATUS_CATEGORIES.values()), pa.string()),
        pc.index_in(pc.utf8_lower(category_text), value_set=pa.array(list(STATUS_CATEGORIES))),
    )
    rejects.add(
        pc.and_(pc.is_valid(category_text), pc.is_null(category)),
        cols.name_of("Status Category"),
        category_text,
        "status category '{value}' is none of To Do, In Progress, Done",
    )
    issue_type = cols.first("Issue Type")
    parent_key, epic_key = _parent_and_epic(cols, issue_key, issue_id, issue_type)
    log_work = _log_work(cols, rejects, ctx)

    columns: dict[str, pa.ChunkedArray] = {
        "issue_key": issue_key,
        "issue_id": issue_id,
        "project_key": project_key,
        "issue_type": issue_type,
        "summary": cols.first("Summary"),
        "status_id": pa.chunked_array([pa.nulls(n, pa.string())]),
        "status_name": cols.first("Status"),
        "status_category": category,
        "priority": cols.first("Priority"),
        "assignee": cols.first("Assignee"),
        "reporter": cols.first("Reporter"),
        "parent_key": parent_key,
        "epic_key": epic_key,
        "labels": _joined(cols.all("Labels"), n),
        "components": _joined(cols.all("Component/s") + cols.all("Components"), n),
        "fix_versions": _joined(cols.all("Fix versions") + cols.all("Fix Version/s"), n),
        "story_points": _number_column(cols, rejects, STORY_POINT_COLUMNS, NUMBER_PATTERN, pa.float64()),
        "original_estimate_seconds": _number_column(
            cols, rejects, ("Original estimate", "Original Estimate"), INTEGER_PATTERN, pa.int64()
        ),
        "time_spent_seconds": _number_column(cols, rejects, ("Time Spent",), INTEGER_PATTERN, pa.int64()),
        "created_at": _date_column(cols, rejects, ctx, "Created"),
        "updated_at": _date_column(cols, rejects, ctx, "Updated"),
        "resolved_at": _date_column(cols, rejects, ctx, "Resolved"),
        "due_on": _due_date_column(cols, rejects, ctx),
        "export_format": pa.chunked_array([pa.array([_export_format(cols)] * n, pa.string())]),
        "_source_ref": pa.chunked_array(
            [pc.binary_join_element_wise("row ", pa.array(numbers).cast(pa.string()), "")]
        ),
    }
    schema = RAW_TABLES["jira_issues"].append(pa.field("_source_ref", pa.string()))
    issues = pa.table([columns[f.name].cast(f.type) for f in schema], schema=schema)
    keep = pc.invert(rejects.mask)
    if rejects.rejects:
        issues = issues.filter(keep)
    sprints = _sprint_membership(cols, issue_key, columns["_source_ref"], keep)
    worklogs = _worklogs(log_work, issues, keep)

    return ParseResult(
        tables={"jira_issues": issues, "jira_sprint_membership": sprints, "worklogs": worklogs},
        rejects=_unreadable_records(text) + rejects.rejects,
        rows_read=rows_read,
        rows_loaded=issues.num_rows,
        file_kind=KIND,
        note=_missing_note(cols),
    )


def _sprint_membership(
    cols: _Columns, issue_key: pa.ChunkedArray, refs: pa.ChunkedArray, keep: pa.ChunkedArray
) -> pa.Table:
    schema = RAW_TABLES["jira_sprint_membership"].append(pa.field("_source_ref", pa.string()))
    parts = []
    for col in cols.all("Sprint"):
        mask = pc.and_(keep, pc.is_valid(col))
        names = col.filter(mask)
        m = len(names)
        parts.append(
            pa.table(
                {
                    "issue_key": issue_key.filter(mask),
                    "sprint_id": pa.nulls(m, pa.string()),
                    "sprint_name": names,
                    "sprint_state": pa.nulls(m, pa.string()),
                    "board_id": pa.nulls(m, pa.string()),
                    "sprint_start_at": pa.nulls(m, TS),
                    "sprint_end_at": pa.nulls(m, TS),
                    "sprint_complete_at": pa.nulls(m, TS),
                    "_source_ref": refs.filter(mask),
                },
                schema=schema,
            )
        )
    if not parts:
        return schema.empty_table()
    return pa.concat_tables(parts)


def _log_work(cols: _Columns, rejects: _RowRejects, ctx: ParseContext) -> list[tuple]:
    """(row index, comment, author, seconds, local start, UTC start) of every `Log Work` cell.

    Jira writes each worklog as `comment;date;author;seconds` (one repeated Log Work column per
    worklog), the date in the export's format and zone; the comment may itself contain ';', so the
    cell is read from the right. A cell of another shape rejects its issue row (a row is loaded
    whole or not at all), naming the column and the cell."""
    found: list[tuple[int, str, str, str, int]] = []
    problems: list[tuple[int, str, str | None, str]] = []
    name = cols.name_of("Log Work")
    for col in cols.all("Log Work"):
        for index, cell in enumerate(col.to_pylist()):
            if cell is None:
                continue
            parts = cell.rsplit(";", 3)
            if len(parts) != 4:
                reason = f"a Log Work cell is comment;date;author;seconds, this one has {len(parts)} parts"
                problems.append((index, name, cell, reason))
                continue
            comment, when, author, seconds = (p.strip() for p in parts)
            if not re.fullmatch(r"[0-9]{1,9}", seconds):
                reason = f"the time spent '{seconds}' is not a whole number of seconds"
                problems.append((index, name, cell, reason))
            elif not author:
                problems.append((index, name, cell, "the worklog's author is empty"))
            else:
                found.append((index, comment, author, when, int(seconds)))
    formats = ctx.settings.jira_csv_date_formats
    local = _parse_local(pa.chunked_array([pa.array([f[3] for f in found], pa.string())]), formats)
    utc = _to_utc(local, ctx.settings.jira_export_timezone)
    out = []
    for (index, comment, author, when, seconds), at_local, at_utc in zip(
        found, local.to_pylist(), utc.to_pylist(), strict=True
    ):
        if at_local is None:
            shown = _formats_text(formats)
            reason = f"date '{when}' matches none of the formats {shown} (settings.jira_csv_date_formats)"
            problems.append((index, name, when, reason))
            continue
        out.append((index, comment or None, author, seconds, at_local, at_utc))
    rejects.add_rows(problems)
    return out


def _worklogs(log_work: list[tuple], issues: pa.Table, keep: pa.ChunkedArray) -> pa.Table:
    """The worklogs of the issue rows loaded, with the issue's project, epic and parent keys.
    A CSV export gives no worklog id: null (dbt matches such worklogs by issue, person, day and hours)."""
    kept = np.flatnonzero(keep.to_numpy(zero_copy_only=False))
    position = {int(index): i for i, index in enumerate(kept)}  # file row index -> row of `issues`
    issue = {c: issues.column(c).to_pylist() for c in ("issue_key", "project_key", "epic_key", "parent_key")}
    refs = issues.column("_source_ref").to_pylist()
    rows = []
    for index, comment, author, seconds, at_local, at_utc in log_work:
        i = position.get(index)
        if i is None:  # the issue row was rejected (for this cell or another reason)
            continue
        rows.append(
            {
                "source_format": "jira_csv",
                **{c: values[i] for c, values in issue.items()},
                "person_id": author,
                "work_on": at_local.date(),
                "started_at": at_utc,
                "hours": seconds / 3600,
                "comment": comment,
                "_source_ref": refs[i],
            }
        )
    return rows_to_table("worklogs", rows)


def _unreadable_records(text: TextTable) -> list[Reject]:
    """tabular's rejects of the records with the wrong number of fields ("row N" like the others);
    a record pyarrow did not number keeps tabular's ref, made unique."""
    seen: set[str] = set()
    rejects = []
    for i, reject in enumerate(text.bad_rows):
        ref = reject.ref if reject.ref not in seen else f"{reject.ref} (record {i + 1})"
        seen.add(ref)
        rejects.append(Reject(ref, reject.column, reject.value, reject.reason))
    return rejects
