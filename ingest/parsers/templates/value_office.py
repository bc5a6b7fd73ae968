"""The value office's templates (CSV or XLSX): registry, strategy, benefits, rate card and people.

Recognised by their headers (case-insensitive, any column order, extra columns ignored). Each
template has required columns (the file is rejected whole without them) and required values (a
row without them is rejected, naming row and column). Enumerations are matched case-insensitively
and stored in lower case; dates are ISO `YYYY-MM-DD` (XLSX date cells arrive as ISO text);
a plan period `YYYY-MM` becomes the first day of that month; weight and share lie in 0..1.
Multi-valued cells keep `;` separators, with spaces around them and empty items removed.
Cross-row rules (weights per project summing to <= 1, shares per benefit <= 1) belong to the dbt
tests: they need every row, and history across loads.

The spec below is also what the blank templates (`vro templates`, ingest/template_files.py) are written
from: each converter is a Format that says what a cell takes (its shape, an enumeration's values), and
each Column carries a note for the user and an example value the parser accepts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ingest.parsers.common import amounts
from ingest.parsers.common.amounts import ValueProblem
from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult, Reject
from ingest.parsers.common.tabular import RowCheck, convert_rows, header_index, read_text_table, sniff_header

Converter = Callable[[str | None], Any]


@dataclass(frozen=True)
class Format:
    """A cell converter and what it accepts, in words a blank template can show its user
    (ingest/template_files.py writes the notes and data validations from `shape` and `allowed`)."""

    convert: Converter
    shape: str  # text | list | date | month | number | whole | fraction | currency | enum
    allowed: tuple[str, ...] = ()  # enum: the values accepted (lower case)

    def __call__(self, text: str | None) -> Any:
        return self.convert(text)


def _enum(*allowed: str) -> Format:
    def convert(text: str | None) -> str:
        t = (text or "").strip().lower()
        if t not in allowed:
            raise ValueProblem(f"must be one of {', '.join(allowed)}")
        return t

    return Format(convert, "enum", allowed)


def _between_0_and_1(text: str | None) -> float:
    value = amounts.parse_number(text)
    if not 0 <= value <= 1:
        raise ValueProblem("must lie between 0 and 1")
    return value


def _joined(text: str | None) -> str | None:
    items = [part.strip() for part in (text or "").split(";")]
    joined = ";".join(item for item in items if item)
    return joined or None


def _optional(convert: Converter) -> Converter:
    def wrapped(text: str | None) -> Any:
        return None if (text or "").strip() == "" else convert(text)

    return wrapped


def _currency_or_none(text: str | None) -> str | None:
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


_fraction = Format(_between_0_and_1, "fraction")
_multi = Format(_joined, "list")
_optional_currency = Format(_currency_or_none, "currency")
_currency = Format(amounts.parse_currency, "currency")
_rate = Format(_hourly_rate, "number")


def _not_negative(text: str | None) -> float:
    value = amounts.parse_number(text)
    if value < 0:
        raise ValueProblem("must not be negative")
    return value


_flag = Format(lambda text: bool(amounts.parse_flag(text)), "enum", ("true", "false"))  # empty = false
_optional_flag = Format(amounts.parse_flag, "enum", ("true", "false"))
_positive_amount = Format(_not_negative, "number")


@dataclass(frozen=True)
class Column:
    header: str  # as in ingest/EXPORTS.md (matched case-insensitively)
    convert: Converter  # a Format, so that a blank template can say what the cell takes
    required: bool = False  # required in the header and non-empty in every row
    target: str = ""  # raw table column; empty: the same as the header
    note: str = ""  # what goes in the cell, for the user (a blank template's header comment)
    example: str = ""  # a value the parser accepts, as typed in a CSV cell (a blank template's example row)

    def __post_init__(self) -> None:
        if not self.target:
            object.__setattr__(self, "target", self.header)


TEXT = Format(amounts.required_text, "text")
OPT_TEXT = Format(amounts.optional_text, "text")
DATE = Format(amounts.parse_iso_date, "date")
OPT_DATE = Format(_optional(amounts.parse_iso_date), "date")
MONTH = Format(amounts.parse_period, "month")
NUMBER = Format(amounts.parse_number, "number")
OPT_NUMBER = Format(_optional(amounts.parse_number), "number")

CATEGORY = _enum("cash_releasing", "non_cash_releasing", "societal", "dis_benefit")

# The notes and examples are what a blank template shows (`vro templates`): the example row of each
# template is accepted by the parser, and the examples agree with each other (project P001 serves
# objective OBJ-1 and is credited with benefit B001, measured by KPI-001).
TEMPLATES: dict[str, tuple[Column, ...]] = {
    "registry_projects": (
        Column(
            "project_id",
            TEXT,
            True,
            note="Your id for the project; the alignment and attribution templates refer to it.",
            example="P001",
        ),
        Column(
            "project_name",
            TEXT,
            True,
            note="The project's name as people know it.",
            example="Claims Automation",
        ),
        Column("portfolio", OPT_TEXT, note="The portfolio the project belongs to.", example="Claims"),
        Column(
            "programme",
            OPT_TEXT,
            note="The programme the project belongs to, if any.",
            example="Claims Transformation",
        ),
        Column("sponsor", OPT_TEXT, note="The project's sponsor.", example="Grace Thompson"),
        Column("manager", OPT_TEXT, note="The project manager.", example="Lukas Meier"),
        Column(
            "status",
            _enum("proposed", "active", "on_hold", "closed", "cancelled"),
            True,
            note="Where the project stands today.",
            example="active",
        ),
        Column(
            "start_date",
            OPT_DATE,
            target="start_on",
            note="The day the project started (or starts).",
            example="2025-04-07",
        ),
        Column(
            "planned_finish_date",
            OPT_DATE,
            target="planned_finish_on",
            note="The day the project is planned to finish.",
            example="2027-06-10",
        ),
        Column(
            "closed_date",
            OPT_DATE,
            target="closed_on",
            note="The day the project closed; empty while it is open.",
            example="",
        ),
        Column(
            "jira_project_keys",
            _multi,
            note="Keys of the Jira projects whose issues all belong to this project.",
            example="CLM",
        ),
        Column(
            "jira_epic_keys",
            _multi,
            note="Keys of Jira epics that belong to this project inside a Jira project shared with others.",
            example="PLAT-12;PLAT-40",
        ),
        Column(
            "msproject_names",
            _multi,
            note="The project name inside each MS Project plan of the project (its Name, else its Title, "
            "else the file name without .xml).",
            example="Claims Automation",
        ),
        Column(
            "finance_codes",
            _multi,
            note="The codes the general ledger and the budgets book the project's costs on (SAP WBS "
            "elements, internal orders).",
            example="PR-1001.01;PR-1001.02",
        ),
        Column(
            "mandatory",
            _flag,
            target="is_mandatory",
            note="true for a project the organisation must do (regulatory, contractual): never recommended "
            "to stop, and in every portfolio scenario; empty means false.",
            example="false",
        ),
        Column(
            "tempo_account_keys",
            _multi,
            note="Tempo accounts whose worklogs are this project's internal labour (Tempo's Account Key).",
            example="CLM-DEV",
        ),
    ),
    "strategy_objectives": (
        Column(
            "objective_id",
            TEXT,
            True,
            note="Your id for the theme, objective or key result; the alignment template and the benefits "
            "register refer to it.",
            example="OBJ-1",
        ),
        Column("objective_name", TEXT, True, note="The objective's name.", example="Cut the cost to serve"),
        Column(
            "parent_objective_id",
            OPT_TEXT,
            note="The objective_id of the theme or objective above this one; empty at the top.",
            example="",
        ),
        Column(
            "level",
            _enum("theme", "objective", "key_result"),
            True,
            note="Where it sits in the strategy.",
            example="objective",
        ),
        Column(
            "owner", OPT_TEXT, note="Who is accountable for the objective.", example="Chief Operating Officer"
        ),
        Column(
            "kpi_id",
            OPT_TEXT,
            note="The KPI that measures the objective, as in the KPI measurements template.",
            example="KPI-001",
        ),
        Column(
            "target_value",
            OPT_NUMBER,
            note="The KPI value aimed for by target_date, in the KPI's unit.",
            example="7000",
        ),
        Column(
            "target_date",
            OPT_DATE,
            target="target_on",
            note="The day by which the target should be reached.",
            example="2026-12-31",
        ),
        Column(
            "valid_from",
            OPT_DATE,
            note="The first day the objective is part of the strategy.",
            example="2025-01-01",
        ),
        Column(
            "valid_to",
            OPT_DATE,
            note="The last day the objective is part of the strategy; empty while it is.",
            example="",
        ),
    ),
    "strategy_alignment": (
        Column("project_id", TEXT, True, note="The project, as in the project registry.", example="P001"),
        Column(
            "objective_id",
            TEXT,
            True,
            note="The objective the project serves, as in the objectives template.",
            example="OBJ-1",
        ),
        Column(
            "weight",
            _fraction,
            True,
            note="The share of the project that serves the objective; a project's weights in force on one "
            "day add up to at most 1 (the rest is unaligned).",
            example="0.6",
        ),
        Column(
            "effective_from", OPT_DATE, note="The first day the weight is in force.", example="2025-04-01"
        ),
        Column(
            "effective_to",
            OPT_DATE,
            note="The last day the weight is in force (inclusive); empty while it is.",
            example="",
        ),
    ),
    "benefits_register": (
        Column(
            "benefit_id",
            TEXT,
            True,
            note="Your id for the benefit; the attribution and plan templates refer to it.",
            example="B001",
        ),
        Column(
            "benefit_name",
            TEXT,
            True,
            note="The benefit's name.",
            example="Manual claims handling hours saved",
        ),
        Column(
            "category",
            CATEGORY,
            True,
            note="The kind of benefit; a dis_benefit is a negative one and counts negative in every total.",
            example="cash_releasing",
        ),
        Column(
            "kpi_id",
            TEXT,
            True,
            note="The KPI whose readings measure the benefit, as in the KPI measurements template.",
            example="KPI-001",
        ),
        Column("unit", OPT_TEXT, note="The KPI's unit (hours, days, score, ...).", example="hours"),
        Column(
            "direction",
            _enum("increase", "decrease"),
            True,
            note="Which way of the KPI is better.",
            example="decrease",
        ),
        Column(
            "aggregation",
            _enum("sum", "latest"),
            True,
            note="sum: the KPI is a flow (a month's readings add up, e.g. hours spent); latest: a level (a "
            "month's last reading counts, e.g. a satisfaction score).",
            example="sum",
        ),
        Column(
            "owner",
            OPT_TEXT,
            note="Who owns the benefit, also after the project closed.",
            example="Grace Thompson",
        ),
        Column(
            "baseline_value",
            OPT_NUMBER,
            note="The KPI's value before the change, in its unit (per month for a sum KPI).",
            example="12000",
        ),
        Column(
            "baseline_date",
            OPT_DATE,
            target="baseline_on",
            note="The day the baseline was measured.",
            example="2025-04-01",
        ),
        Column(
            "target_value",
            OPT_NUMBER,
            note="The KPI value aimed for by target_date, in its unit.",
            example="7000",
        ),
        Column(
            "target_date",
            OPT_DATE,
            target="target_on",
            note="The day by which the target should be reached.",
            example="2026-10-31",
        ),
        Column(
            "value_per_unit",
            OPT_NUMBER,
            note="Money (in currency) per unit of improvement of the KPI; empty for a benefit not valued in "
            "money.",
            example="38",
        ),
        Column(
            "currency",
            _optional_currency,
            note="The currency of value_per_unit; empty when it is empty.",
            example="EUR",
        ),
        Column(
            "objective_id",
            OPT_TEXT,
            note="The objective the benefit contributes to, as in the objectives template; empty: the "
            "objectives of its projects.",
            example="OBJ-1",
        ),
        Column(
            "status",
            OPT_TEXT,
            note="The benefit's status in your own words (planned, realizing, realized, ...).",
            example="planned",
        ),
    ),
    "benefits_attribution": (
        Column("benefit_id", TEXT, True, note="The benefit, as in the benefits register.", example="B001"),
        Column(
            "project_id",
            TEXT,
            True,
            note="A project credited with a share of the benefit, as in the project registry.",
            example="P001",
        ),
        Column(
            "share",
            _fraction,
            True,
            note="The share of the benefit credited to the project; the shares of one benefit add up to at "
            "most 1.",
            example="1",
        ),
    ),
    "benefits_plan": (
        Column("benefit_id", TEXT, True, note="The benefit, as in the benefits register.", example="B001"),
        Column(
            "period",
            MONTH,
            True,
            target="period_month",
            note="The month planned: one row per benefit and month.",
            example="2025-11",
        ),
        Column(
            "planned_value",
            NUMBER,
            True,
            note="The improvement over the baseline planned in that month, in the KPI's unit, positive when "
            "good.",
            example="416.67",
        ),
    ),
    # Portfolio scenarios (landing folder registry/): a budget cap for the next N months (dbt var
    # optimize_horizon_months) in the reporting currency, projects forced in or out (';'-separated ids).
    "portfolio_scenarios": (
        Column(
            "scenario",
            TEXT,
            True,
            note="A name for the scenario, unique in the file.",
            example="Hold at 1.2 M",
        ),
        Column(
            "budget_cap",
            _positive_amount,
            True,
            target="budget_cap_amount",
            note="The most the selected projects may spend in the next optimize_horizon_months months, in "
            "the reporting currency.",
            example="1200000",
        ),
        Column(
            "alignment_weighted",
            _optional_flag,
            target="is_alignment_weighted",
            note="true: maximise marginal NPV x strategic alignment score; empty: the setting "
            "optimize_alignment_weighted.",
            example="false",
        ),
        Column(
            "force_in",
            _multi,
            target="forced_in_project_ids",
            note="Projects (ids, ';'-separated) the scenario keeps whatever their value.",
            example="P004",
        ),
        Column(
            "force_out",
            _multi,
            target="forced_out_project_ids",
            note="Projects (ids, ';'-separated) the scenario stops whatever their value.",
            example="P009",
        ),
        Column("description", OPT_TEXT, note="What the scenario asks, in words.", example="Hold spend flat"),
    ),
    "benefits_measurements": (
        Column("kpi_id", TEXT, True, note="The KPI read, as in the benefits register.", example="KPI-001"),
        Column("measured_on", DATE, True, note="The day of the reading.", example="2025-11-30"),
        Column("value", NUMBER, True, note="The reading, in the KPI's unit.", example="11500"),
        Column(
            "source",
            OPT_TEXT,
            note="Where the reading comes from (a system or a report).",
            example="Claims MI",
        ),
        Column("note", OPT_TEXT, note="Anything worth knowing about the reading.", example="Monthly report"),
    ),
    # Labour (landing/rates/): what an hour costs, and who is in which role when.
    "rate_card": (
        Column(
            "person",
            OPT_TEXT,
            note="A rate for this one person (as worklogs name them: username or full name). Fill exactly "
            "one of person, role, resource_group.",
            example="",
        ),
        Column(
            "role",
            OPT_TEXT,
            note="A rate for everyone in this role (the role the people template gives them on the day).",
            example="Developer",
        ),
        Column(
            "resource_group",
            OPT_TEXT,
            note="A rate for everyone in this resource group (e.g. Internal, Contractors).",
            example="",
        ),
        Column(
            "project_id",
            OPT_TEXT,
            note="Only for this registry project; empty: for every project.",
            example="",
        ),
        Column(
            "hourly_rate",
            _rate,
            True,
            note="What one hour costs, in the currency beside it; at most 4 decimals.",
            example="81.50",
        ),
        Column("currency", _currency, True, note="The rate's ISO 4217 currency.", example="EUR"),
        Column("valid_from", DATE, True, note="The first day the rate applies.", example="2025-07-01"),
        Column(
            "valid_to",
            OPT_DATE,
            note="The last day the rate applies; empty: until further notice.",
            example="",
        ),
    ),
    "people": (
        Column(
            "person",
            TEXT,
            True,
            note="The person as worklogs name them: the username / account id, or the full name.",
            example="Anna Smith",
        ),
        Column("full_name", OPT_TEXT, note="The person's full name.", example="Anna Smith"),
        Column("role", OPT_TEXT, note="The person's role (the rate card's role rates).", example="Developer"),
        Column(
            "resource_group",
            OPT_TEXT,
            note="The person's resource group (the rate card's group rates).",
            example="Internal",
        ),
        Column("valid_from", DATE, True, note="The first day in this role.", example="2025-01-01"),
        Column(
            "valid_to",
            OPT_DATE,
            note="The last day in this role; empty: still in it.",
            example="",
        ),
    ),
}
# The landing folder of a template is the first word of its name (registry_projects -> registry/),
# unless this names another (a template read in a folder its name does not start with).
FOLDERS: dict[str, str] = {"portfolio_scenarios": "registry", "rate_card": "rates", "people": "rates"}


def landing_folder(kind: str) -> str:
    return FOLDERS.get(kind, kind.split("_", 1)[0])


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
        raise ValueError(f"ingest.parsers.templates.value_office does not read kind {kind!r}")
    text = read_text_table(path, ctx.settings)
    index = header_index(text.header)
    columns = TEMPLATES[kind]
    missing = [c.header for c in columns if c.required and c.header not in index]
    if missing:
        raise FileRejected(
            f"{path.name}: a {kind} template needs the columns {missing}; headers found: {text.header} "
            "(ingest/EXPORTS.md lists every template's columns)",
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
