"""Tempo Timesheets worklog exports (CSV or XLSX), English or German headers.

Tempo's worklog report export ("Export -> CSV / Excel") writes one row per worklog with the columns
`Issue Key, Issue summary, Hours, Work date, Username, Full name, Period, Account Key, Account Name,
Account Lead, Account Category, Account Customer, Activity Name, Component, ..., Project Key,
Project Name, Epic, Epic Link, Work Description, Parent Key, Reporter, External Hours, Billed Hours,
...`, plus `Worklog Id` / `Jira Worklog Id` and one column per custom worklog attribute (an SAP
`PSP Element`, a `Team`, ...). Users with a German profile get German headers (`Vorgangsschlüssel`,
`Stunden`, `Arbeitsdatum`, ...) and decimal commas (`1,5` hours).

Recognised by its headers (Issue Key, Hours and Work date in English or German), in landing/worklogs/
and in landing/jira/. Columns are found by name (case-insensitive, any order). Issue Key, Hours and
Work date are required in the header (the file is rejected whole otherwise) and in every row, with a
username or full name; a row missing one, or with hours that are not a number >= 0, or a date in none
of the accepted formats, is rejected naming its row and column. Every column the raw table has no
place for is kept, by its header as written, in `attributes` (a JSON object of the row's non-empty
cells), so a WBS / PSP element can map a worklog to a project.

Work date: `YYYY-MM-DD HH:MM` (Tempo's default), `YYYY-MM-DD`, `DD.MM.YYYY[ HH:MM]`, and the Jira
date formats of the settings (`jira_csv_date_formats`, date part alone too). It is the day as the
timesheet shows it (`work_on`); a time of day other than 00:00 is the start, taken in
`jira_export_timezone` and stored in UTC (`started_at`), else started_at is null.
Decimal separator: a comma in German exports (headers in German), a point otherwise.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zoneinfo
from pathlib import Path

from ingest.parsers.common.amounts import ValueProblem, finite
from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult, Reject, rows_to_table
from ingest.parsers.common.tabular import XLSX_SUFFIXES, header_index, read_text_table, sniff_header

KIND = "tempo_worklogs"

# raw column -> the headers Tempo writes for it (lower case), English first then German.
COLUMNS: dict[str, tuple[str, ...]] = {
    "issue_key": ("issue key", "vorgangsschlüssel", "vorgangsschluessel"),
    "hours": ("hours", "stunden"),
    "work_on": ("work date", "arbeitsdatum"),
    "person_id": ("username", "user", "benutzername", "benutzer"),
    "person_name": ("full name", "vollständiger name", "vollstaendiger name"),
    "account_key": ("account key", "kontoschlüssel", "kontoschluessel"),
    "account_name": ("account name", "kontoname"),
    "activity": ("activity name", "tätigkeitsname", "taetigkeitsname"),
    "project_key": ("project key", "projektschlüssel", "projektschluessel"),
    "epic_key": ("epic link", "epic-verknüpfung", "epic-link"),
    "parent_key": ("parent key", "übergeordneter schlüssel", "übergeordneter vorgang"),
    "billed_hours": ("billed hours", "abgerechnete stunden"),
    # Jira's worklog id first: the same worklog in a Jira export carries it (de-duplication).
    "worklog_id": ("jira worklog id", "jira-worklog-id", "worklog id", "worklog-id", "tempo worklog id"),
    "comment": ("work description", "arbeitsbeschreibung", "beschreibung"),
}
REQUIRED = ("issue_key", "hours", "work_on")
ENGLISH = {"issue key", "hours", "work date", "username", "user", "full name", "account key", "account name"}
ENGLISH |= {"activity name", "project key", "epic link", "parent key", "billed hours", "work description"}
ENGLISH |= {"worklog id", "jira worklog id", "tempo worklog id"}
# A German header means German number formatting: hours with a decimal comma.
GERMAN = {alias for aliases in COLUMNS.values() for alias in aliases} - ENGLISH
ISSUE_KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_]*-[0-9]+$")
WORK_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d", "%d.%m.%Y %H:%M", "%d.%m.%Y")
# Hours: digits, one decimal separator; thousands separators are not written in hours.
HOURS_POINT = re.compile(r"^[0-9]{1,9}(\.[0-9]+)?$")
HOURS_COMMA = re.compile(r"^[0-9]{1,9}(,[0-9]+)?$")


def _find(header: list[str]) -> dict[str, int]:
    """raw column -> header position, for the columns present."""
    index = header_index(header)
    found = {}
    for column, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in index:
                found[column] = index[alias]
                break
    return found


def sniff(path: Path, head: str) -> str | None:
    if path.suffix.lower() not in {".csv", ".txt", *XLSX_SUFFIXES}:
        return None
    if path.suffix.lower() not in XLSX_SUFFIXES and not head.strip():
        return None
    try:
        header = sniff_header(path, head)
    except Exception:  # noqa: BLE001 - not a workbook this reader can open: not a Tempo export
        return None
    found = _find(header)
    # Issue Key plus Hours and Work date, or two of them with a Tempo-only column (a file missing one
    # required column is claimed, and rejected naming it, rather than going unrecognised).
    present = [c for c in REQUIRED if c in found]
    tempo_only = {"account_key", "billed_hours", "activity", "worklog_id"} & set(found)
    if len(present) == 3 or (len(present) == 2 and tempo_only):
        return KIND
    return None


def _work_date(text: str, formats: tuple[str, ...], zone: zoneinfo.ZoneInfo | None):
    """(work_on, started_at UTC or None) of a Work date cell; ValueProblem names the formats."""
    t = text.strip()
    for fmt in formats:
        try:
            value = dt.datetime.strptime(t, fmt)
        except ValueError:
            continue
        if value.time() == dt.time() or "%H" not in fmt and "%I" not in fmt:
            return value.date(), None
        started = value if zone is None else value.replace(tzinfo=zone).astimezone(dt.timezone.utc)
        return value.date(), started.replace(tzinfo=None)
    shown = ", ".join(formats)
    raise ValueProblem(f"date '{t}' matches none of the formats {shown} (settings.jira_csv_date_formats)")


def _hours(text: str, decimal_comma: bool, what: str) -> float:
    t = text.strip()
    pattern = HOURS_COMMA if decimal_comma else HOURS_POINT
    if not pattern.fullmatch(t):
        sep = "a decimal comma (1,5)" if decimal_comma else "a decimal point (1.5)"
        raise ValueProblem(f"{what} '{t}' is not a number of hours >= 0 written with {sep}")
    return finite(float(t.replace(",", ".")))


def parse(path: Path, ctx: ParseContext, kind: str = KIND) -> ParseResult:
    if kind != KIND:
        raise ValueError(f"ingest.parsers.jira.tempo_worklogs does not read kind {kind!r}")
    text = read_text_table(path, ctx.settings)
    found = _find(text.header)
    missing = [COLUMNS[c][0].title() for c in REQUIRED if c not in found]
    if missing:
        raise FileRejected(
            f"{path.name}: a Tempo worklog export needs the columns {missing} (or their German names "
            f"Vorgangsschlüssel, Stunden, Arbeitsdatum); headers found: {text.header} "
            "(ingest/EXPORTS.md lists the worklog columns)",
            rows_read=text.rows_read,
        )
    if "person_id" not in found and "person_name" not in found:
        raise FileRejected(
            f"{path.name}: a Tempo worklog export needs a Username or Full name column (whose hours "
            f"they are); headers found: {text.header}",
            rows_read=text.rows_read,
        )
    text.require_rows(path.name, "worklog rows")
    lowered = {h.strip().lower() for h in text.header}
    decimal_comma = bool(lowered & GERMAN)
    date_only = tuple(f.split(" ")[0] for f in ctx.settings.jira_csv_date_formats)
    formats = tuple(dict.fromkeys(WORK_DATE_FORMATS + ctx.settings.jira_csv_date_formats + date_only))
    zone = None
    if ctx.settings.jira_export_timezone.upper() != "UTC":
        zone = zoneinfo.ZoneInfo(ctx.settings.jira_export_timezone)

    used = set(found.values())
    extra = [(i, name) for i, name in enumerate(text.header) if i not in used and name.strip()]
    cells = [text.table.column(f"c{i}").to_pylist() for i in range(len(text.header))]
    shown = {column: text.header[i] for column, i in found.items()}
    rows: list[dict] = []
    rejects: list[Reject] = list(text.bad_rows)
    for r in range(text.table.num_rows):
        ref = text.ref(r)
        raw = {column: (cells[i][r] or "").strip() for column, i in found.items()}
        row: dict = {"source_format": "tempo", "_source_ref": ref}
        problems: list[Reject] = []

        def bad(column: str, reason: str, raw=raw, ref=ref, problems=problems) -> None:
            problems.append(Reject(ref, shown[column], raw.get(column) or None, reason))

        for column in ("issue_key", "hours", "work_on"):
            if not raw[column]:
                bad(column, f"the {shown[column]} is empty")
        if raw["issue_key"] and not ISSUE_KEY_PATTERN.fullmatch(raw["issue_key"]):
            bad("issue_key", f"'{raw['issue_key']}' is not a Jira issue key (PROJECT-123)")
        if not raw.get("person_id") and not raw.get("person_name"):
            column = "person_id" if "person_id" in found else "person_name"
            bad(column, "whose hours these are is empty (Username and Full name)")
        for column in ("hours", "billed_hours"):
            if raw.get(column):
                try:
                    row[column] = _hours(raw[column], decimal_comma, shown[column])
                except ValueProblem as exc:
                    bad(column, str(exc))
        if raw["work_on"]:
            try:
                row["work_on"], row["started_at"] = _work_date(raw["work_on"], formats, zone)
            except ValueProblem as exc:
                bad("work_on", str(exc))
        if problems:
            rejects.extend(problems)
            continue
        for column in COLUMNS:
            if column not in ("hours", "billed_hours", "work_on"):
                row[column] = raw.get(column) or None
        attributes = {name: cells[i][r].strip() for i, name in extra if (cells[i][r] or "").strip()}
        row["attributes"] = json.dumps(attributes, ensure_ascii=False) if attributes else None
        rows.append(row)
    return ParseResult(
        tables={"worklogs": rows_to_table("worklogs", rows)},
        rejects=rejects,
        rows_read=text.rows_read,
        rows_loaded=len(rows),
        file_kind=KIND,
    )
