"""The value office's templates (CSV or XLSX): registry, strategy, benefits, rate card and people.

Recognised by their headers (case-insensitive, any column order, extra columns ignored). Each
template has required columns (the file is rejected whole without them) and required values (a
row without them is rejected, naming row and column). Enumerations are matched case-insensitively
and stored in lower case; dates are ISO `YYYY-MM-DD` (XLSX date cells arrive as ISO text);
a plan period `YYYY-MM` becomes the first day of that month; weight and share lie in 0..1.
Multi-valued cells keep `;` separators, with spaces around them and empty items removed.
Cross-row rules (weights per project summing to <= 1, shares per benefit <= 1) belong to the dbt
tests: they need every row, and history across loads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ingest import amounts
from ingest.amounts import ValueProblem
from ingest.base import FileRejected, ParseContext, ParseResult, Reject
from ingest.finance import sniff_header
from ingest.tabular import RowCheck, convert_rows, header_index, read_text_table

Converter = Callable[[str | None], Any]


def _enum(*allowed: str) -> Converter:
    def convert(text: str | None) -> str:
        t = (text or "").strip().lower()
        if t not in allowed:
            raise ValueProblem(f"must be one of {', '.join(allowed)}")
        return t

    return convert


def _fraction(text: str | None) -> float:
    value = amounts.parse_number(text)
    if not 0 <= value <= 1:
        raise ValueProblem("must lie between 0 and 1")
    return value


def _multi(text: str | None) -> str | None:
    items = [part.strip() for part in (text or "").split(";")]
    joined = ";".join(item for item in items if item)
    return joined or None


def _optional(convert: Converter) -> Converter:
    def wrapped(text: str | None) -> Any:
        return None if (text or "").strip() == "" else convert(text)

    return wrapped


def _optional_currency(text: str | None) -> str | None:
    return None if (text or "").strip() == "" else amounts.parse_currency(text)


RATE_DECIMALS = 4  # rate_card.hourly_rate is decimal(18,4)


def _hourly_rate(text: str | None) -> Decimal:
    """A rate per hour: a plain non-negative number with at most 4 decimals (never rounded)."""
    amounts.parse_number(text)  # the same spellings as any template number, and its messages
    value = Decimal((text or "").strip().replace(",", ""))
    if value < 0:
        raise ValueProblem("an hourly rate cannot be negative")
    if value != value.quantize(Decimal(1).scaleb(-RATE_DECIMALS)):
        raise ValueProblem(f"the rate has more than {RATE_DECIMALS} decimals (stored exactly, never rounded)")
    if value >= Decimal(10) ** (18 - RATE_DECIMALS):
        raise ValueProblem(f"the rate has more than {18 - RATE_DECIMALS} integer digits")
    return value.quantize(Decimal(1).scaleb(-RATE_DECIMALS))


@dataclass(frozen=True)
class Column:
    header: str  # as in ingest/FORMATS.md (matched case-insensitively)
    convert: Converter
    required: bool = False  # required in the header and non-empty in every row
    target: str = ""  # raw table column; empty: the same as the header

    def __post_init__(self) -> None:
        if not self.target:
            object.__setattr__(self, "target", self.header)


TEXT = amounts.required_text
OPT_TEXT = amounts.optional_text
OPT_DATE = _optional(amounts.parse_iso_date)
OPT_NUMBER = _optional(amounts.parse_number)

CATEGORY = _enum("cash_releasing", "non_cash_releasing", "societal", "dis_benefit")

TEMPLATES: dict[str, tuple[Column, ...]] = {
    "registry_projects": (
        Column("project_id", TEXT, True),
        Column("project_name", TEXT, True),
        Column("portfolio", OPT_TEXT),
        Column("programme", OPT_TEXT),
        Column("sponsor", OPT_TEXT),
        Column("manager", OPT_TEXT),
        Column("status", _enum("proposed", "active", "on_hold", "closed", "cancelled"), True),
        Column("start_date", OPT_DATE, target="start_on"),
        Column("planned_finish_date", OPT_DATE, target="planned_finish_on"),
        Column("closed_date", OPT_DATE, target="closed_on"),
        Column("jira_project_keys", _multi),
        Column("jira_epic_keys", _multi),
        Column("msproject_names", _multi),
        Column("finance_codes", _multi),
        Column("tempo_account_keys", _multi),
    ),
    "strategy_objectives": (
        Column("objective_id", TEXT, True),
        Column("objective_name", TEXT, True),
        Column("parent_objective_id", OPT_TEXT),
        Column("level", _enum("theme", "objective", "key_result"), True),
        Column("owner", OPT_TEXT),
        Column("kpi_id", OPT_TEXT),
        Column("target_value", OPT_NUMBER),
        Column("target_date", OPT_DATE, target="target_on"),
        Column("valid_from", OPT_DATE),
        Column("valid_to", OPT_DATE),
    ),
    "strategy_alignment": (
        Column("project_id", TEXT, True),
        Column("objective_id", TEXT, True),
        Column("weight", _fraction, True),
        Column("effective_from", OPT_DATE),
        Column("effective_to", OPT_DATE),
    ),
    "benefits_register": (
        Column("benefit_id", TEXT, True),
        Column("benefit_name", TEXT, True),
        Column("category", CATEGORY, True),
        Column("kpi_id", TEXT, True),
        Column("unit", OPT_TEXT),
        Column("direction", _enum("increase", "decrease"), True),
        Column("aggregation", _enum("sum", "latest"), True),
        Column("owner", OPT_TEXT),
        Column("baseline_value", OPT_NUMBER),
        Column("baseline_date", OPT_DATE, target="baseline_on"),
        Column("target_value", OPT_NUMBER),
        Column("target_date", OPT_DATE, target="target_on"),
        Column("value_per_unit", OPT_NUMBER),
        Column("currency", _optional_currency),
        Column("objective_id", OPT_TEXT),
        Column("status", OPT_TEXT),
    ),
    "benefits_attribution": (
        Column("benefit_id", TEXT, True),
        Column("project_id", TEXT, True),
        Column("share", _fraction, True),
    ),
    "benefits_plan": (
        Column("benefit_id", TEXT, True),
        Column("period", amounts.parse_period, True, target="period_month"),
        Column("planned_value", amounts.parse_number, True),
    ),
    "benefits_measurements": (
        Column("kpi_id", TEXT, True),
        Column("measured_on", amounts.parse_iso_date, True),
        Column("value", amounts.parse_number, True),
        Column("source", OPT_TEXT),
        Column("note", OPT_TEXT),
    ),
    # Labour (landing/rates/): what an hour costs, and who is in which role when.
    "rate_card": (
        Column("person", OPT_TEXT),  # exactly one of person, role, resource_group (checked per row)
        Column("role", OPT_TEXT),
        Column("resource_group", OPT_TEXT),
        Column("project_id", OPT_TEXT),
        Column("hourly_rate", _hourly_rate, True),
        Column("currency", amounts.parse_currency, True),
        Column("valid_from", amounts.parse_iso_date, True),
        Column("valid_to", OPT_DATE),
    ),
    "people": (
        Column("person", TEXT, True),
        Column("full_name", OPT_TEXT),
        Column("role", OPT_TEXT),
        Column("resource_group", OPT_TEXT),
        Column("valid_from", amounts.parse_iso_date, True),
        Column("valid_to", OPT_DATE),
    ),
}
# A file is claimed when at least this many of a template's required columns are present, so that
# a template missing one column is rejected with its name instead of going unrecognised.
SNIFF_MIN_REQUIRED = 2
# Date ranges checked within a row: (from column, to column).
DATE_RANGES = {
    "strategy_alignment": ("effective_from", "effective_to"),
    "strategy_objectives": ("valid_from", "valid_to"),
    "rate_card": ("valid_from", "valid_to"),
    "people": ("valid_from", "valid_to"),
}
# A rate applies to exactly one of these (the row names its person, or role, or resource group).
RATE_SUBJECTS = ("person", "role", "resource_group")


def best_template(header: list[str]) -> tuple[str, list[str]] | None:
    """(kind, missing required headers) of the template these headers fit best, or None."""
    names = {h.strip().lower() for h in header}
    best = None
    for kind, columns in TEMPLATES.items():
        required = [c.header for c in columns if c.required]
        present = [h for h in required if h in names]
        missing = [h for h in required if h not in names]
        matched = sum(1 for c in columns if c.header in names)
        score = (not missing, len(present), matched)
        if len(present) >= SNIFF_MIN_REQUIRED and (best is None or score > best[0]):
            best = (score, kind, missing)
    return (best[1], best[2]) if best else None


def sniff(path: Path, head: str) -> str | None:
    found = best_template(sniff_header(path, head))
    return found[0] if found else None


def parse(path: Path, ctx: ParseContext, kind: str) -> ParseResult:
    if kind not in TEMPLATES:
        raise ValueError(f"ingest.templates does not read kind {kind!r}")
    text = read_text_table(path, ctx.settings)
    index = header_index(text.header)
    columns = TEMPLATES[kind]
    missing = [c.header for c in columns if c.required and c.header not in index]
    if missing:
        raise FileRejected(
            f"{path.name}: a {kind} template needs the columns {missing}; headers found: {text.header} "
            "(ingest/FORMATS.md lists every template's columns)",
            rows_read=text.rows_read,
        )
    lowered = [h.strip().lower() for h in text.header]
    dupes = sorted({c.header for c in columns if lowered.count(c.header) > 1})
    if dupes:
        raise FileRejected(
            f"{path.name}: the columns {dupes} appear more than once; which one is meant is unclear",
            rows_read=text.rows_read,
        )
    text.require_rows(path.name, "data rows")
    fields = [(c.header, c.target, c.convert) for c in columns if c.header in index]
    check = _date_range_check(kind) if kind in DATE_RANGES else None
    if kind == "rate_card":
        check = _rate_card_check(check, [c for c in RATE_SUBJECTS if c in index])
    return convert_rows(text, fields, kind, kind, check)


def _rate_card_check(date_check: RowCheck, subjects_present: list[str]) -> RowCheck:
    """A rate card row names exactly one of person, role, resource_group (which rate applies to whom
    must never be guessed), and its dates are in order."""

    def check(ref: str, values: dict, shown: dict[str, str], cells: dict[str, str | None]) -> list[Reject]:
        named = [c for c in subjects_present if values.get(c) is not None]
        if len(named) != 1:
            found = "; ".join(f"{shown[c]}={cells[c]!r}" for c in named) or "none of them"
            where = shown[named[1]] if len(named) > 1 else "person"
            return [
                Reject(
                    ref,
                    where,
                    found,
                    "a rate names exactly one of person, role, resource_group (one rate per row); "
                    f"found {found}",
                )
            ]
        return date_check(ref, values, shown, cells)

    return check


def _date_range_check(kind: str) -> RowCheck:
    """A row whose end date (DATE_RANGES) lies before its start date is rejected at the end column."""
    start_header, end_header = DATE_RANGES[kind]
    target = {c.header: c.target for c in TEMPLATES[kind]}

    def check(ref: str, values: dict, shown: dict[str, str], cells: dict[str, str | None]) -> list[Reject]:
        start, end = values.get(target[start_header]), values.get(target[end_header])
        if start is not None and end is not None and end < start:
            return [Reject(ref, shown[end_header], cells[end_header], f"ends before {start_header} {start}")]
        return []

    return check
