"""MS Project Export Wizard task table (CSV, or XLSX with a sheet `Task_Table...`) -> msp_tasks.

Cells are display strings in the exporting user's locale. Supported locales:
- "en_US": `1/6/2025 8:00 AM`, `1/6/25`, `Mon 1/6/25`, `January 6, 2025 8:00 AM`
- "en_GB": `06/01/2025 08:00`, `06/01/25`, `Mon 06/01/25`, `06 January 2025 08:00`
ISO dates (`2025-01-06`, `2025-01-06 08:00:00`, what an XLSX date cell gives) are read in both.
`NA` (MS Project's "no date") and an empty cell are no value. The locale is the ingest setting
`msp_wizard_locale` (default en_US; `parse(..., locale="en_GB")` overrides it).

Durations `5 days`, `5d`, `5 days?` (estimated), `2 wks`, `4 hrs`, `30 mins`, `1 mon` become
working days at `minutes_per_day` (480), 5 days a week, 20 days a month. Elapsed durations
(`5 edays`) and percentage lags are rejected, not converted by guess.
Money `$1,234.00`, `1.234,00 €`, `(£12.50)`; percentages `45%`; flags `Yes`/`No`.
Predecessors `3FS+2 days;5` (ids of the ID column, `;` or `,` between entries) become links.

The task key is Unique_ID; without that column the ID (row number) stands in for it.
The project name is the file stem. Baseline columns give a baseline 0 row when the task has a
baseline (a baseline date, or a non-zero baseline cost / duration / work).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import zipfile
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path

from ingest.parsers.common import amounts
from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult, Reject, rows_to_table
from ingest.parsers.common.tabular import XLSX_SUFFIXES, header_index, read_text_table

KIND = "msp_wizard"
SHEET_PREFIX = "Task_Table"
DEFAULT_LOCALE = "en_US"
MAX_MONEY = Decimal(10) ** 16  # decimal(18, 2)
MAX_DURATION = 1e12  # minutes, days or weeks: far beyond any schedule, far within a double
DEFAULT_MINUTES_PER_DAY = 480
TABLES = ("msp_tasks", "msp_task_baselines", "msp_predecessor_links")
CENT = Decimal("0.01")

# canonical column -> accepted header names (case-insensitive), first present wins
COLUMNS: dict[str, tuple[str, ...]] = {
    "id": ("ID",),
    "unique_id": ("Unique_ID",),
    "name": ("Name", "Task_Name"),
    "duration": ("Duration",),
    "work": ("Work",),
    "start": ("Start_Date", "Start"),
    "finish": ("Finish_Date", "Finish"),
    "actual_start": ("Actual_Start",),
    "actual_finish": ("Actual_Finish",),
    "outline_level": ("Outline_Level",),
    "outline_number": ("Outline_Number",),
    "wbs": ("WBS",),
    "percent_complete": ("Percent_Complete", "%_Complete"),
    "percent_work_complete": ("Percent_Work_Complete",),
    "cost": ("Cost",),
    "actual_cost": ("Actual_Cost",),
    "remaining_cost": ("Remaining_Cost",),
    "bcws": ("BCWS",),
    "bcwp": ("BCWP",),
    "acwp": ("ACWP",),
    "baseline_cost": ("Baseline_Cost",),
    "baseline_start": ("Baseline_Start",),
    "baseline_finish": ("Baseline_Finish",),
    "baseline_duration": ("Baseline_Duration",),
    "baseline_work": ("Baseline_Work",),
    "resource_names": ("Resource_Names",),
    "predecessors": ("Predecessors",),
    "summary": ("Summary",),
    "milestone": ("Milestone",),
}
BASELINE_COLUMNS = (
    "baseline_cost",
    "baseline_start",
    "baseline_finish",
    "baseline_duration",
    "baseline_work",
)
# Headers only an MS Project export writes: one of them (with ID and Name) marks a wizard file.
MARKER_HEADERS = {
    "unique_id",
    "start_date",
    "finish_date",
    "outline_level",
    "outline_number",
    "resource_names",
    "percent_complete",
    "baseline_start",
    "actual_start",
    "predecessors",
}

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
LOCALE_DATE_FORMATS: dict[str, tuple[str, ...]] = {
    "en_US": (
        "%m/%d/%Y %I:%M %p",
        "%m/%d/%y %I:%M %p",
        "%m/%d/%Y",
        "%m/%d/%y",
        "%B %d, %Y %I:%M %p",
        "%B %d, %Y",
        "%b %d, %Y",
    ),
    "en_GB": (
        "%d/%m/%Y %H:%M",
        "%d/%m/%y %H:%M",
        "%d/%m/%Y",
        "%d/%m/%y",
        "%d %B %Y %H:%M",
        "%d %B %Y",
        "%d %b %Y",
    ),
}
ISO_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
_WEEKDAY = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+", re.IGNORECASE)

DURATION_UNITS: dict[str, str] = {
    **dict.fromkeys(("m", "min", "mins", "minute", "minutes"), "minute"),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), "hour"),
    **dict.fromkeys(("d", "dy", "dys", "day", "days"), "day"),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), "week"),
    **dict.fromkeys(("mo", "mon", "mons", "month", "months"), "month"),
}
_DURATION = re.compile(r"^([+-]?\d+(?:[.,]\d+)?)\s*([a-z]+)?\s*\??$", re.IGNORECASE)
_PREDECESSOR = re.compile(r"^(\d+)\s*(FS|SS|FF|SF)?\s*(?:([+-])\s*(.+))?$", re.IGNORECASE)
_CURRENCY = re.compile(r"^(?:[$€£¥]|[A-Z]{3})\s*|\s*(?:[$€£¥]|[A-Z]{3})$")


class _Bad(Exception):
    def __init__(self, column: str, value: str, reason: str):
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


def sniff(path: Path, head: str) -> str | None:
    if path.suffix.lower() in XLSX_SUFFIXES:
        return KIND if _xlsx_task_sheet(path) else None
    if not head:
        return None
    first = head.splitlines()[0] if head.splitlines() else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    names = {h.strip().strip('"').lower() for h in first.split(delimiter)}
    markers = len(names & MARKER_HEADERS)
    # Two MS Project headers claim the file even without ID/Name, so parse can name what is missing.
    if markers >= 2 or (markers and ("id" in names or "unique_id" in names) and "name" in names):
        return KIND
    return None


def _xlsx_task_sheet(path: Path) -> str | None:
    """The name of the workbook's Task_Table sheet, read from xl/workbook.xml (no full load)."""
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo("xl/workbook.xml")
            if info.file_size > 5 * 1024**2:
                return None
            text = zf.read(info).decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    for name in re.findall(r'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', text):
        if name.startswith(SHEET_PREFIX):
            return name
    return None


@dataclass
class _Values:
    """Locale-aware readers of display strings."""

    locale: str
    minutes_per_day: int

    def date(self, column: str, raw: str) -> dt.datetime | None:
        text = " ".join(raw.split())
        if text == "" or text.upper() == "NA":
            return None
        weekday = None
        m = _WEEKDAY.match(text)
        if m:
            weekday, text = m.group(1).title(), text[m.end() :]
        for fmt in LOCALE_DATE_FORMATS[self.locale] + ISO_FORMATS:
            try:
                value = dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
            if weekday and value.strftime("%a") != weekday:
                raise _Bad(
                    column,
                    raw,
                    f"{column} {raw!r}: {value.date().isoformat()} is a "
                    f"{value.strftime('%a')}, not a {weekday}",
                )
            return value
        examples = ", ".join(LOCALE_DATE_FORMATS[self.locale][:4])
        raise _Bad(
            column,
            raw,
            f"{column} {raw!r} matches none of the {self.locale} date formats "
            f"({examples}, ...) nor ISO; if the file was exported in another locale, set "
            f"msp_wizard_locale (one of {', '.join(sorted(LOCALE_DATE_FORMATS))}) in the settings file "
            "(vro.yaml)",
        )

    def minutes(self, column: str, raw: str) -> float | None:
        text = raw.strip()
        if text == "":
            return None
        m = _DURATION.match(text)
        unit_text = (m.group(2) or "").lower() if m else ""
        if m and unit_text.startswith("e") and unit_text[1:] in DURATION_UNITS:
            raise _Bad(
                column,
                raw,
                f"{column} {raw!r} is an elapsed duration; only working time converts to working days",
            )
        unit = DURATION_UNITS.get(unit_text) if m and unit_text else ("day" if m else None)
        if m is None or unit is None:
            raise _Bad(
                column, raw, f"{column} {raw!r} is not a duration like '5 days', '5d', '2 wks', '4 hrs'"
            )
        value = float(m.group(1).replace(",", "."))
        if not math.isfinite(value) or value > MAX_DURATION:
            raise _Bad(column, raw, f"{column} {raw!r} is out of range for a duration")
        per = {
            "minute": 1,
            "hour": 60,
            "day": self.minutes_per_day,
            "week": 5 * self.minutes_per_day,
            "month": 20 * self.minutes_per_day,
        }[unit]
        return value * per

    def days(self, column: str, raw: str) -> float | None:
        minutes = self.minutes(column, raw)
        return None if minutes is None else minutes / self.minutes_per_day

    def hours(self, column: str, raw: str) -> float | None:
        minutes = self.minutes(column, raw)
        return None if minutes is None else minutes / 60

    def money(self, column: str, raw: str) -> Decimal | None:
        text = raw.strip()
        if text == "":
            return None
        negative = text.startswith("(") and text.endswith(")")
        body = text.strip("()").strip()
        if body.startswith("-") or body.endswith("-"):
            negative, body = True, body.strip("-").strip()
        body = _CURRENCY.sub("", body).strip()  # a currency symbol or ISO code either side
        if body.startswith("-"):
            negative, body = True, body[1:]
        number = _decimal_text(body)
        try:
            if number is None:
                raise InvalidOperation
            value = Decimal(number)
        except InvalidOperation:
            raise _Bad(
                column, raw, f"{column} {raw!r} is not an amount like $1,234.00 or 1.234,00 €"
            ) from None
        value = -value if negative else value
        if not value.is_finite() or abs(value) >= MAX_MONEY:
            raise _Bad(column, raw, f"{column} {raw!r} is too large for an amount with 16 integer digits")
        return value.quantize(CENT, rounding=ROUND_HALF_EVEN)

    def percent(self, column: str, raw: str) -> float | None:
        text = raw.strip()
        if text == "":
            return None
        number = _decimal_text(text.removesuffix("%").strip())
        try:
            value = float(number) if number is not None else float("nan")
        except ValueError:
            value = float("nan")
        if value != value:
            raise _Bad(column, raw, f"{column} {raw!r} is not a percentage like 45%")
        if not 0 <= value <= 100:
            raise _Bad(column, raw, f"{column} {raw!r} is outside 0..100%")
        return value

    def integer(self, column: str, raw: str) -> int | None:
        text = raw.strip()
        if text == "":
            return None
        if not re.fullmatch(r"\d+", text):
            raise _Bad(column, raw, f"{column} {raw!r} is not a whole number")
        if len(text.lstrip("0")) > 18:
            raise _Bad(column, raw, f"{column} {raw!r} has more digits than a 64-bit whole number holds")
        return int(text)

    def flag(self, column: str, raw: str) -> bool | None:
        try:
            return amounts.parse_flag(raw)
        except amounts.ValueProblem:
            raise _Bad(column, raw, f"{column} {raw!r} is not Yes or No") from None


def _decimal_text(body: str) -> str | None:
    """`1,234.00` / `1.234,00` / `1234,5` / `1234` -> a Decimal string; None when ambiguous or bad.

    With both separators the right-most is the decimal mark. With only one: groups of exactly
    three digits after each mark are thousands; anything else is a decimal mark.
    """
    if not re.fullmatch(r"\d[\d.,]*", body or ""):
        return None
    if "." in body and "," in body:
        decimal_mark = "." if body.rfind(".") > body.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        integer, _, fraction = body.rpartition(decimal_mark)
        if not re.fullmatch(rf"\d{{1,3}}(\{group_mark}\d{{3}})*", integer) or not fraction.isdigit():
            return None
        return integer.replace(group_mark, "") + "." + fraction
    for mark in (",", "."):
        if mark in body:
            if re.fullmatch(rf"\d{{1,3}}(\{mark}\d{{3}})+", body):
                return body.replace(mark, "")
            if body.count(mark) == 1:
                return body.replace(mark, ".")
            return None
    return body


def _links(raw: str, values: _Values, column: str) -> list[tuple[int, str, float]]:
    """`3FS+2 days;5` -> [(3, 'FS', 2.0), (5, 'FS', 0.0)]: predecessor id, type, lag in days."""
    links = []
    for entry in re.split(r"[;,]", raw):
        entry = entry.strip()
        if not entry:
            continue
        m = _PREDECESSOR.match(entry)
        if not m:
            raise _Bad(
                column,
                raw,
                f"{column} entry {entry!r} is not like '3', '3FS' or '3FS+2 days' "
                "(links to other projects are not supported)",
            )
        pred, link_type, sign, lag_text = m.groups()
        lag = 0.0
        if lag_text:
            if lag_text.strip().endswith("%"):
                raise _Bad(column, raw, f"{column} entry {entry!r} has a percentage lag, not a time")
            minutes = values.minutes(column, lag_text)
            lag = (minutes or 0.0) / values.minutes_per_day * (-1 if sign == "-" else 1)
        links.append((int(pred), (link_type or "FS").upper(), lag))
    return links


def parse(
    path: Path,
    ctx: ParseContext,
    kind: str = KIND,
    locale: str | None = None,
    minutes_per_day: int = DEFAULT_MINUTES_PER_DAY,
) -> ParseResult:
    locale = locale or ctx.settings.msp_wizard_locale or DEFAULT_LOCALE
    if locale not in LOCALE_DATE_FORMATS:
        raise ValueError(f"unknown locale {locale!r}; known: {sorted(LOCALE_DATE_FORMATS)}")
    sheet = _xlsx_task_sheet(path) if path.suffix.lower() in XLSX_SUFFIXES else None
    if path.suffix.lower() in XLSX_SUFFIXES and sheet is None:
        raise FileRejected(f"{path.name}: no sheet named {SHEET_PREFIX!r} (the Export Wizard's task table)")
    table = read_text_table(path, ctx.settings, sheet)
    index = header_index(table.header)
    cols = {
        key: next((index[n.lower()] for n in names if n.lower() in index), None)
        for key, names in COLUMNS.items()
    }
    missing = []
    if cols["id"] is None and cols["unique_id"] is None:
        missing.append("ID or Unique_ID")
    if cols["name"] is None:
        missing.append("Name")
    if missing:
        raise FileRejected(
            f"{path.name}: missing required column(s) {', '.join(missing)}; header is {table.header}",
            rows_read=table.rows_read,
        )
    key_col = "unique_id" if cols["unique_id"] is not None else "id"
    has_baseline = any(cols[c] is not None for c in BASELINE_COLUMNS)
    values = _Values(locale, minutes_per_day)
    project = path.stem
    data = {key: table.table.column(f"c{i}").to_pylist() for key, i in cols.items() if i is not None}
    header_name = {key: table.header[i] for key, i in cols.items() if i is not None}
    n = table.table.num_rows

    def cell(key: str, r: int) -> str:
        return data[key][r] if key in data else ""

    rejects: list[Reject] = list(table.bad_rows)
    tasks: list[dict] = []
    baselines: list[dict] = []
    pending_links: list[tuple[int, str, list[tuple[int, str, float]]]] = []
    id_to_uid = _id_map(data, key_col, n)
    seen_uids: dict[int, str] = {}
    for r in range(n):
        ref = table.ref(r)
        errors: list[_Bad] = []

        def read(key: str, fn, r: int = r, errors: list[_Bad] = errors):
            if key not in data:
                return None
            try:
                return fn(header_name[key], data[key][r])
            except _Bad as bad:
                errors.append(bad)
                return None

        uid = read(key_col, values.integer)
        task_id = uid if key_col == "id" else read("id", values.integer)
        name = cell("name", r)
        if uid is None and not any(b.column == header_name[key_col] for b in errors):
            errors.append(_Bad(header_name[key_col], cell(key_col, r), f"{header_name[key_col]} is empty"))
        if uid is not None and uid in seen_uids:
            errors.append(
                _Bad(
                    header_name[key_col],
                    cell(key_col, r),
                    f"{header_name[key_col]} {uid} is used by {seen_uids[uid]} too",
                )
            )
        start, finish = read("start", values.date), read("finish", values.date)
        actual_start, actual_finish = read("actual_start", values.date), read("actual_finish", values.date)
        for (a_key, a), (b_key, b) in (
            (("start", start), ("finish", finish)),
            (("actual_start", actual_start), ("actual_finish", actual_finish)),
        ):
            if a is not None and b is not None and a > b:
                errors.append(
                    _Bad(
                        header_name[a_key],
                        cell(a_key, r),
                        f"{header_name[a_key]} {a.isoformat()} is after {header_name[b_key]} {b.isoformat()}",
                    )
                )
        row = {
            "project_name": project,
            "task_uid": uid,
            "task_id": task_id,
            "task_name": name if name != "" else None,
            "wbs": cell("wbs", r) or None,
            "outline_number": cell("outline_number", r) or None,
            "outline_level": read("outline_level", values.integer),
            "is_summary": read("summary", values.flag),
            "is_milestone": read("milestone", values.flag),
            "start_at": start,
            "finish_at": finish,
            "actual_start_at": actual_start,
            "actual_finish_at": actual_finish,
            "duration_days": read("duration", values.days),
            "duration_is_elapsed": False,  # elapsed durations are rejects here
            "work_hours": read("work", values.hours),
            "percent_complete": read("percent_complete", values.percent),
            "percent_work_complete": read("percent_work_complete", values.percent),
            "cost_amount": read("cost", values.money),
            "actual_cost_amount": read("actual_cost", values.money),
            "remaining_cost_amount": read("remaining_cost", values.money),
            "bcws_amount": read("bcws", values.money),
            "bcwp_amount": read("bcwp", values.money),
            "acwp_amount": read("acwp", values.money),
            "_source_ref": ref,
        }
        baseline = None
        if has_baseline:
            baseline = {
                "project_name": project,
                "task_uid": uid,
                "baseline_number": 0,
                "baseline_start_at": read("baseline_start", values.date),
                "baseline_finish_at": read("baseline_finish", values.date),
                "baseline_duration_days": read("baseline_duration", values.days),
                "baseline_work_hours": read("baseline_work", values.hours),
                "baseline_cost_amount": read("baseline_cost", values.money),
                "_source_ref": ref,
            }
        links = read("predecessors", lambda c, v: _resolve(_links(v, values, c), id_to_uid, c, v)) or []
        if errors:
            label = f"task {name!r}: " if name else ""
            rejects.extend(
                Reject(ref=ref, column=b.column, value=b.value, reason=label + b.reason) for b in errors
            )
            continue
        seen_uids[uid] = ref
        tasks.append(row)
        if baseline is not None and _has_baseline(baseline):
            baselines.append(baseline)
        pending_links.append((uid, ref, links))

    link_rows = [
        {
            "project_name": project,
            "task_uid": uid,
            "predecessor_uid": pred_uid,
            "link_type": link_type,
            "lag_days": lag,
            "_source_ref": ref,
        }
        for uid, ref, links in pending_links
        for pred_uid, link_type, lag in links
    ]

    return ParseResult(
        tables={
            "msp_tasks": rows_to_table("msp_tasks", tasks),
            "msp_task_baselines": rows_to_table("msp_task_baselines", baselines),
            "msp_predecessor_links": rows_to_table("msp_predecessor_links", link_rows),
        },
        rejects=rejects,
        rows_read=table.rows_read,
        rows_loaded=len(tasks),
        file_kind=KIND,
    )


def _id_map(data: dict[str, list[str]], key_col: str, n: int) -> dict[int, int]:
    """ID (what Predecessors cite) -> task key, over every row whose cells are whole numbers."""
    ids = data.get("id")
    if ids is None:
        return {}
    keys = data[key_col]
    return {
        int(ids[r].strip()): int(keys[r].strip())
        for r in range(n)
        if _small_int(ids[r]) and _small_int(keys[r])
    }


def _small_int(text: str) -> bool:
    t = text.strip()
    return t.isascii() and t.isdigit() and len(t.lstrip("0")) <= 18


def _resolve(
    links: list[tuple[int, str, float]], id_to_uid: dict[int, int], column: str, raw: str
) -> list[tuple[int, str, float]]:
    """Predecessor IDs -> task keys; an ID that is no row of the file is an error."""
    resolved = []
    for pred_id, link_type, lag in links:
        if pred_id not in id_to_uid:
            raise _Bad(column, raw, f"{column} names task ID {pred_id}, which is no row of this file")
        resolved.append((id_to_uid[pred_id], link_type, lag))
    return resolved


def _has_baseline(row: dict) -> bool:
    if row["baseline_start_at"] is not None or row["baseline_finish_at"] is not None:
        return True
    return any(
        row[k] not in (None, 0)
        for k in ("baseline_duration_days", "baseline_work_hours", "baseline_cost_amount")
    )
