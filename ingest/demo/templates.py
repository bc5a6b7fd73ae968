"""Demo value-office templates: project registry, strategy, benefits register, plan and measurements.

The benefits tell one story as of the demo's as-of month (2026-10, `org.TODAY`). Each benefit's
plan (benefit_plan.csv) starts in `Story.plan_from`, ramps linearly to the latest register's target over
`ramp_months` and holds it until the end of 2028 (PLAN_UNTIL). Its KPI is read monthly from its lead
project's start: readings before plan_from scatter around the baseline (the baseline period, 2 %
noise); from plan_from on they are baseline + the planned improvement x `attainment` (+ noise).
'vs plan' is the realization % the attainment gives by 2026-10 (cumulative realized / planned).

| benefit | project(s)      | plan from | ramp | vs plan | by 2026-10                                        |
|---------|-----------------|-----------|------|---------|---------------------------------------------------|
| B01     | P001            | 2025-11   | 12   | ~100 %  | on track: first claim types automated             |
| B02     | P001            | 2025-11   | 12   | ~100 %  | on track; not monetised                           |
| B03     | P002            | 2026-01   | 12   | ~60 %   | lagging: old CRM licences kept in dual running    |
| B04     | P002            | 2025-09   | 18+6 | ~95 %   | re-baselined 2026-03-31: 32 -> 28, 6 months later |
| B05     | P003            | 2025-10   | 9    | ~105 %  | after P003 closed (2025-12-19); not monetised     |
| B06     | P003            | 2025-10   | 9    | ~100 %  | realizing after close: pays P003 back             |
| B07     | P004 .7 P001 .3 | 2026-02   | 9    | ~60 %   | lagging: the fraud model flags fewer cases        |
| B08     | P005            | 2026-05   | 6    | ~130 %  | ahead: the first policy books migrated early      |
| B09     | P006            | 2025-12   | 12   | ~100 %  | on track; not monetised                           |
| B10     | P011            | 2026-03   | 9    | ~70 %   | lagging: callers keep phoning                     |
| B11     | P007            | 2026-06   | 6    | ~55 %   | lagging (re-baselined project); not monetised     |
| B12     | P008            | 2027-01   | 9    | -       | not started: no realization % before its plan     |
| B13     | P008            | 2025-10   | 12   | ~100 %  | on track; not monetised                           |
| B14     | P009            | 2026-01   | 12   | ~100 %  | on track: old warehouse loads switched off        |
| B15     | P010            | 2025-11   | 12   | ~70 %   | lagging, and stale: no reading after 2026-06      |
| B16     | P011            | 2026-03   | 9    | ~100 %  | on track                                          |
| B17     | P012            | 2026-02   | 10   | ~100 %  | on track; not monetised                           |
| B18     | P013            | 2026-04   | 6    | ~97 %   | on track; societal, not monetised                 |
| B19     | P014            | 2025-09   | 12   | ~105 %  | on track                                          |
| B20     | P015            | 2026-06   | 6    | ~97 %   | on track; names OBJ-2 (P015 serves OBJ-4)         |
| B21     | P016            | 2026-04   | 12   | ~60 %   | lagging; not monetised                            |
| B22     | P017            | 2026-06   | 6    | ~100 %  | on track; not monetised                           |
| B23     | P018            | 2025-05   | 12   | ~100 %  | on track: the earliest plan                       |
| B24     | P019            | 2026-02   | 12   | ~60 %   | lagging; societal, not monetised                  |
| B25     | P009            | 2026-01   | 6    | ~110 %  | dis-benefit: cloud bill 10 % above its plan       |
| B26     | P020            | 2026-03   | 6    | ~100 %  | on track; not monetised                           |

Only B20 names an objective in the register; every other benefit follows its projects' alignment.
Whole-life NPV (the investment case: AC and ETC from the GL and MS Project files, r = 8 %/12):
positive for P001, P003, P004, P005, P011 and P018, whose monetised benefits outweigh their cost;
negative for P002 and P009 (P009's dis-benefit eats most of its saving), P014 and P015 (benefits too
small for their cost; P015 also finished 26 days late) and for the projects whose benefits are not
monetised (P006, P007, P008, P010, P012, P013, P016, P017, P019, P020). tests/unit/test_demo.py checks the
story from the files.

P012, P013 and P018 are mandatory in the registry (MANDATORY_PROJECTS); registry/portfolio_scenarios.csv
holds three budget scenarios for the next 12 months (PORTFOLIO_SCENARIOS). As of 2026-10 the value
optimization stops P009 (what its saving still brings does not cover what it still costs) and
tests/e2e/test_optimize_e2e.py checks the recommendations and scenarios on the demo run.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from ingest.demo.org import (
    HISTORY_START,
    TODAY,
    Project,
    add_months,
    month_end,
    month_start,
    months_between,
)

REGISTER_DATES = (dt.date(2025, 6, 30), dt.date(2026, 3, 31))
PLAN_UNTIL = dt.date(2028, 12, 1)  # every benefit plan runs to the end of the 2028 planning horizon
MOVED_PROJECT = "P009"
MOVE_ON = dt.date(2026, 1, 1)
REBASELINED_BENEFIT = "B04"
REBASELINED_TARGET = (28, 6)  # the latest register's target for B04, and its months of delay
OWN_OBJECTIVE = ("B20", "OBJ-2")  # the one benefit whose register row names its objective
STALE_KPI = "KPI-BRK-ADOPT"
STALE_FROM = dt.date(2026, 7, 1)
# Mandatory in the registry (regulatory): the data quality programme (the regulator's data standards),
# security hardening (an audit finding) and regulatory reporting.
MANDATORY_PROJECTS = ("P012", "P013", "P018")
OBJECTIVES = [  # id, name, parent, level, owner, kpi, target, target date
    ("TH-1", "Customer first", "", "theme", "Chief Customer Officer", "", "", ""),
    ("TH-2", "Efficient and resilient operations", "", "theme", "Chief Operating Officer", "", "", ""),
    (
        "OBJ-1",
        "Reduce cost to serve by 15%",
        "TH-2",
        "objective",
        "Chief Financial Officer",
        "KPI-CRM-LIC",
        "52000",
        "2027-12-31",
    ),
    (
        "OBJ-2",
        "Settle claims faster",
        "TH-1",
        "objective",
        "Claims Director",
        "KPI-CLM-CYC",
        "12",
        "2027-06-30",
    ),
    (
        "OBJ-3",
        "Trusted data and secure systems",
        "TH-2",
        "objective",
        "Chief Information Officer",
        "KPI-DQ-SCORE",
        "95",
        "2027-12-31",
    ),
    (
        "OBJ-4",
        "Grow digital distribution",
        "TH-1",
        "objective",
        "Distribution Director",
        "KPI-APP-SS",
        "55",
        "2027-12-31",
    ),
]
# id, name, category, kpi, unit, direction, aggregation, baseline, target, value per unit,
# attribution [(project, share)], objective named in the register ("" = the projects' alignment),
# measurement source
BENEFITS = [
    (
        "B01",
        "Manual claims handling hours saved",
        "cash_releasing",
        "KPI-CLM-HRS",
        "hours",
        "decrease",
        "sum",
        12000,
        7000,
        38,
        [("P001", "1")],
        "",
        "Claims MI",
    ),
    (
        "B02",
        "Faster claim settlement",
        "non_cash_releasing",
        "KPI-CLM-CYC",
        "days",
        "decrease",
        "latest",
        21,
        12,
        None,
        [("P001", "1")],
        "",
        "Claims MI",
    ),
    (
        "B03",
        "Lower CRM licence and support cost",
        "cash_releasing",
        "KPI-CRM-LIC",
        "EUR",
        "decrease",
        "sum",
        85000,
        52000,
        1,
        [("P002", "1")],
        "",
        "Finance ledger",
    ),
    (
        "B04",
        "Higher customer satisfaction",
        "non_cash_releasing",
        "KPI-NPS",
        "points",
        "increase",
        "latest",
        18,
        32,
        None,
        [("P002", "1")],
        "",
        "Customer survey",
    ),
    (
        "B05",
        "More payments made online",
        "non_cash_releasing",
        "KPI-PAY-SHR",
        "%",
        "increase",
        "latest",
        35,
        70,
        None,
        [("P003", "1")],
        "",
        "Payments MI",
    ),
    (
        "B06",
        "Lower payment processing cost",
        "cash_releasing",
        "KPI-PAY-COST",
        "EUR",
        "decrease",
        "sum",
        96000,
        52000,
        1,
        [("P003", "1")],
        "",
        "Finance ledger",
    ),
    (
        "B07",
        "Fraud losses avoided",
        "cash_releasing",
        "KPI-FRD-LOSS",
        "EUR",
        "decrease",
        "sum",
        410000,
        330000,
        1,
        [("P004", "0.7"), ("P001", "0.3")],
        "",
        "Fraud MI",
    ),
    (
        "B08",
        "Lower admin cost per policy",
        "cash_releasing",
        "KPI-POL-CPP",
        "EUR per policy",
        "decrease",
        "latest",
        42,
        31,
        9500,
        [("P005", "1")],
        "",
        "Finance ledger",
    ),
    (
        "B09",
        "More self-service transactions",
        "non_cash_releasing",
        "KPI-APP-SS",
        "%",
        "increase",
        "latest",
        22,
        55,
        None,
        [("P006", "1")],
        "",
        "App analytics",
    ),
    (
        "B10",
        "Fewer inbound calls",
        "cash_releasing",
        "KPI-CALLS",
        "calls",
        "decrease",
        "sum",
        140000,
        122000,
        4.2,
        [("P011", "1")],
        "",
        "Telephony MI",
    ),
    (
        "B11",
        "Faster document retrieval",
        "non_cash_releasing",
        "KPI-DMS-RET",
        "minutes",
        "decrease",
        "latest",
        14,
        3,
        None,
        [("P007", "1")],
        "",
        "Operations MI",
    ),
    (
        "B12",
        "Faster quote turnaround",
        "non_cash_releasing",
        "KPI-UW-TAT",
        "hours",
        "decrease",
        "latest",
        48,
        8,
        None,
        [("P008", "1")],
        "",
        "Underwriting MI",
    ),
    (
        "B13",
        "Policies per underwriter",
        "non_cash_releasing",
        "KPI-UW-CAP",
        "policies",
        "increase",
        "latest",
        310,
        380,
        None,
        [("P008", "1")],
        "",
        "Underwriting MI",
    ),
    (
        "B14",
        "Lower data warehouse run cost",
        "cash_releasing",
        "KPI-DWH-RUN",
        "EUR",
        "decrease",
        "sum",
        58000,
        31000,
        1,
        [("P009", "1")],
        "",
        "Finance ledger",
    ),
    (
        "B15",
        "Broker portal adoption",
        "non_cash_releasing",
        STALE_KPI,
        "%",
        "increase",
        "latest",
        0,
        80,
        None,
        [("P010", "1")],
        "",
        "Broker MI",
    ),
    (
        "B16",
        "Shorter call handling time",
        "cash_releasing",
        "KPI-AHT",
        "seconds",
        "decrease",
        "latest",
        420,
        340,
        260,
        [("P011", "1")],
        "",
        "Telephony MI",
    ),
    (
        "B17",
        "Better data quality",
        "non_cash_releasing",
        "KPI-DQ-SCORE",
        "%",
        "increase",
        "latest",
        78,
        95,
        None,
        [("P012", "1")],
        "",
        "Data quality dashboard",
    ),
    (
        "B18",
        "Fewer customer data incidents",
        "societal",
        "KPI-SEC-INC",
        "incidents",
        "decrease",
        "sum",
        6,
        1,
        None,
        [("P013", "1")],
        "",
        "Security operations",
    ),
    (
        "B19",
        "Payroll processing hours saved",
        "cash_releasing",
        "KPI-PAYROLL-HRS",
        "hours",
        "decrease",
        "sum",
        900,
        450,
        35,
        [("P014", "1")],
        "",
        "HR MI",
    ),
    (
        "B20",
        "Fewer paper claims handled",
        "cash_releasing",
        "KPI-UKC-PAPER",
        "claims",
        "decrease",
        "sum",
        5200,
        1200,
        6.5,
        [("P015", "1")],
        OWN_OBJECTIVE[1],
        "UK claims MI",
    ),
    (
        "B21",
        "Higher quote conversion",
        "non_cash_releasing",
        "KPI-UKP-CONV",
        "%",
        "increase",
        "latest",
        11,
        14,
        None,
        [("P016", "1")],
        "",
        "UK pricing MI",
    ),
    (
        "B22",
        "Faster agent onboarding",
        "non_cash_releasing",
        "KPI-UKA-DAYS",
        "days",
        "decrease",
        "latest",
        30,
        10,
        None,
        [("P017", "1")],
        "",
        "UK distribution MI",
    ),
    (
        "B23",
        "Regulatory reporting hours saved",
        "cash_releasing",
        "KPI-UKR-HRS",
        "hours",
        "decrease",
        "sum",
        1600,
        700,
        45,
        [("P018", "1")],
        "",
        "UK finance MI",
    ),
    (
        "B24",
        "Less printed post (CO2)",
        "societal",
        "KPI-UKM-CO2",
        "tonnes CO2e",
        "decrease",
        "sum",
        12,
        5,
        None,
        [("P019", "1")],
        "",
        "UK sustainability report",
    ),
    (
        "B25",
        "Additional cloud running cost",
        "dis_benefit",
        "KPI-CLOUD-RUN",
        "EUR",
        "decrease",
        "sum",
        0,
        18000,
        1,
        [("P009", "1")],
        "",
        "Finance ledger",
    ),
    (
        "B26",
        "Faster ledger close",
        "non_cash_releasing",
        "KPI-UKL-CLOSE",
        "days",
        "decrease",
        "latest",
        9,
        5,
        None,
        [("P020", "1")],
        "",
        "UK finance MI",
    ),
]


@dataclass(frozen=True)
class Story:
    """What one benefit does: its plan and how its readings follow the plan."""

    plan_from: dt.date  # first month with a planned improvement; readings before it are the baseline period
    ramp_months: int  # months from plan_from until the full improvement (target_value) is planned
    attainment: float  # realized improvement / planned improvement in every month since plan_from


def _story(month: str, ramp_months: int, attainment: float) -> Story:
    return Story(dt.date.fromisoformat(month + "-01"), ramp_months, attainment)


# The curated benefits' story (the module docstring tells it as a table).
STORY = {
    "B01": _story("2025-11", 12, 1.02),
    "B02": _story("2025-11", 12, 1.02),
    "B03": _story("2026-01", 12, 0.60),
    "B04": _story("2025-09", 18, 0.96),
    "B05": _story("2025-10", 9, 1.05),
    "B06": _story("2025-10", 9, 1.00),
    "B07": _story("2026-02", 9, 0.60),
    "B08": _story("2026-05", 6, 1.30),
    "B09": _story("2025-12", 12, 1.00),
    "B10": _story("2026-03", 9, 0.65),
    "B11": _story("2026-06", 6, 0.55),
    "B12": _story("2027-01", 9, 1.00),
    "B13": _story("2025-10", 12, 1.00),
    "B14": _story("2026-01", 12, 1.00),
    "B15": _story("2025-11", 12, 0.70),
    "B16": _story("2026-03", 9, 1.00),
    "B17": _story("2026-02", 10, 1.00),
    "B18": _story("2026-04", 6, 0.97),
    "B19": _story("2025-09", 12, 1.05),
    "B20": _story("2026-06", 6, 0.97),
    "B21": _story("2026-04", 12, 0.62),
    "B22": _story("2026-06", 6, 1.00),
    "B23": _story("2025-05", 12, 1.00),
    "B24": _story("2026-02", 12, 0.60),
    "B25": _story("2026-01", 6, 1.10),
    "B26": _story("2026-03", 6, 1.00),
}


@dataclass
class TemplateCounts:
    registry: int
    objectives: int
    alignment: int
    benefits: int  # in the latest register
    register_rows: dict[str, int]
    attribution: int
    plan: int
    measurements: int


def _writer_rows(path: Path, header: list[str], rows: list[list]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return len(rows)


def _iso(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def write_registry(landing: Path, projects: list[Project]) -> int:
    rows = [
        [
            p.pid,
            p.name,
            p.portfolio,
            p.programme,
            p.sponsor,
            p.manager,
            p.status,
            _iso(p.start),
            _iso(p.planned_go_live()),
            _iso(p.closed_on),
            ";".join(p.jira_keys),
            ";".join(p.epic_keys),
            p.msp_name,
            ";".join(p.finance_codes),
            "true" if p.pid in MANDATORY_PROJECTS else "",
            ";".join(p.tempo_account_keys),
        ]
        for p in projects
    ]
    header = [
        "project_id",
        "project_name",
        "portfolio",
        "programme",
        "sponsor",
        "manager",
        "status",
        "start_date",
        "planned_finish_date",
        "closed_date",
        "jira_project_keys",
        "jira_epic_keys",
        "msproject_names",
        "finance_codes",
        "mandatory",
        "tempo_account_keys",
    ]
    return _writer_rows(landing / "registry" / "projects.csv", header, rows)


# The value office's portfolio scenarios for the next 12 months' spend (the dbt var
# optimize_horizon_months), in EUR: a cap below what the best selection would spend, a customer-first
# portfolio weighted by alignment with the two customer projects whose benefits are not monetised
# forced in, and a freeze below what the mandatory projects need (reported infeasible, with both amounts).
PORTFOLIO_SCENARIOS = [  # scenario, budget cap, alignment weighted, force in, force out, description
    ("Hold at 1.2 M", "1200000", "false", "", "", "Next 12 months' spend held at EUR 1.2 M"),
    (
        "Customer first",
        "1500000",
        "true",
        "P006;P010",
        "P009",
        "EUR 1.5 M by alignment; self-service app and broker portal kept, warehouse migration stopped",
    ),
    ("Freeze", "100000", "false", "", "", "Discretionary spend frozen: EUR 100 k for the next 12 months"),
]


def write_portfolio_scenarios(landing: Path) -> int:
    header = ["scenario", "budget_cap", "alignment_weighted", "force_in", "force_out", "description"]
    rows = [list(row) for row in PORTFOLIO_SCENARIOS]
    return _writer_rows(landing / "registry" / "portfolio_scenarios.csv", header, rows)


def alignment_rows(rng: random.Random, projects: list[Project]) -> list[list]:
    objectives = ["OBJ-1", "OBJ-2", "OBJ-3", "OBJ-4"]
    rows = []
    for p in projects:
        start = month_start(p.start)
        end = month_end(p.closed_on) if p.closed_on else None
        if p.pid == MOVED_PROJECT:
            rows.append([p.pid, "OBJ-3", "1", _iso(start), _iso(MOVE_ON - dt.timedelta(days=1))])
            rows.append([p.pid, "OBJ-1", "1", _iso(MOVE_ON), _iso(end)])
            continue
        first = rng.choice(objectives)
        shape = rng.random()
        if shape < 0.5:
            rows.append([p.pid, first, "1", _iso(start), _iso(end)])
        elif shape < 0.8:
            second = rng.choice([o for o in objectives if o != first])
            rows.append([p.pid, first, "0.6", _iso(start), _iso(end)])
            rows.append([p.pid, second, "0.4", _iso(start), _iso(end)])
        else:  # partly unaligned
            rows.append([p.pid, first, "0.7", _iso(start), _iso(end)])
    return rows


def write_strategy(landing: Path, rng: random.Random, projects: list[Project]) -> tuple[int, int]:
    header = [
        "objective_id",
        "objective_name",
        "parent_objective_id",
        "level",
        "owner",
        "kpi_id",
        "target_value",
        "target_date",
        "valid_from",
        "valid_to",
    ]
    rows = [[*o, "2024-01-01", ""] for o in OBJECTIVES]
    n_obj = _writer_rows(landing / "strategy" / "objectives.csv", header, rows)
    n_align = _writer_rows(
        landing / "strategy" / "alignment.csv",
        ["project_id", "objective_id", "weight", "effective_from", "effective_to"],
        alignment_rows(rng, projects),
    )
    return n_obj, n_align


def _fmt(value: float) -> str:
    text = f"{value:.2f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _improvement(total: float, months_live: int, ramp: int) -> float:
    if months_live <= 0:
        return 0.0
    return total * min(1.0, months_live / ramp)


def _months_from(first: dt.date, month: dt.date) -> int:
    """1 for first's month, 2 for the next, ...; 0 or less before it."""
    return (month.year - first.year) * 12 + month.month - first.month + 1


COUNT_UNITS = {"calls", "claims", "incidents"}  # readings of these KPIs are whole numbers
BENEFITS_CURATED_PROJECTS = 20  # BENEFITS refer to P001-P020 only
# Benefits generated for the non-curated projects of larger scales:
# name, category, unit, direction, aggregation, value per unit
GENERATED_KINDS = [
    ("Process hours saved", "cash_releasing", "hours", "decrease", "sum", 40),
    ("Cycle time", "non_cash_releasing", "days", "decrease", "latest", None),
    ("Digital adoption", "non_cash_releasing", "%", "increase", "latest", None),
    ("Run cost", "cash_releasing", "EUR", "decrease", "sum", 1),
]


def generated_benefits(rng: random.Random, projects: list[Project], per_project: int) -> list[tuple]:
    """`per_project` benefits (one KPI each, measured monthly) for every project after the curated ones.
    They name no objective: their value follows the project's alignment."""
    out: list[tuple] = []
    if per_project <= 0:
        return out
    for p in projects[BENEFITS_CURATED_PROJECTS:]:
        for k in range(1, per_project + 1):
            kind = GENERATED_KINDS[(int(p.pid[1:]) + k) % len(GENERATED_KINDS)]
            name, cat, unit, direction, agg, vpu = kind
            base = 35 if unit == "%" else round(rng.uniform(50, 5000))
            change = rng.uniform(0.1, 0.4)
            target = round(base * (1 + change) if direction == "increase" else base * (1 - change))
            out.append(
                (
                    f"B{p.pid[1:]}-{k}",
                    f"{name} ({p.name})",
                    cat,
                    f"KPI-{p.pid}-{k}",
                    unit,
                    direction,
                    agg,
                    base,
                    target,
                    vpu,
                    [(p.pid, "1")],
                    "",
                    "Initiative MI",
                )
            )
    return out


def generated_story(rng: random.Random, lead: Project) -> Story:
    """A generated benefit's plan starts with a first release 6-14 months into its project (at the
    latest the month after its planned finish) and is realized at 50-120 % of plan."""
    first_release = add_months(month_start(lead.start), rng.randint(6, 14))
    plan_from = min(first_release, add_months(month_start(lead.planned_go_live()), 1))
    return Story(plan_from, rng.randint(6, 12), round(rng.uniform(0.5, 1.2), 2))


def _target(bid: str, target: float, story: Story, as_of: dt.date) -> tuple[float, dt.date, int]:
    """The target value, target date and ramp (months) in the register of `as_of`: the month the plan
    reaches its full improvement. The re-baselined benefit aims lower and later from the second snapshot."""
    ramp = story.ramp_months
    if bid == REBASELINED_BENEFIT and as_of >= REGISTER_DATES[1]:
        target, delay = REBASELINED_TARGET
        ramp += delay
    return target, month_end(add_months(story.plan_from, ramp - 1)), ramp


def write_benefits(
    landing: Path, rng: random.Random, projects: list[Project], extra_per_project: int = 0
) -> TemplateCounts:
    by_id = {p.pid: p for p in projects}
    folder = landing / "benefits"
    register_header = [
        "benefit_id",
        "benefit_name",
        "category",
        "kpi_id",
        "unit",
        "direction",
        "aggregation",
        "owner",
        "baseline_value",
        "baseline_date",
        "target_value",
        "target_date",
        "value_per_unit",
        "currency",
        "objective_id",
        "status",
    ]
    benefits = [b for b in BENEFITS if all(pid in by_id for pid, _ in b[10])]
    generated = generated_benefits(rng, projects, extra_per_project)
    stories = {b[0]: STORY[b[0]] for b in benefits}
    stories |= {b[0]: generated_story(rng, by_id[b[10][0][0]]) for b in generated}
    benefits += generated
    owners = {b[0]: by_id[b[10][0][0]].sponsor for b in benefits}
    register_rows: dict[str, int] = {}
    for as_of in REGISTER_DATES:
        rows = []
        for b in benefits:
            bid, name, cat, kpi, unit, direction, agg, base, target, vpu, attrib, obj, _ = b
            lead = by_id[attrib[0][0]]
            if lead.start > as_of:
                continue
            target_value, target_on, _ = _target(bid, target, stories[bid], as_of)
            rows.append(
                [
                    bid,
                    name,
                    cat,
                    kpi,
                    unit,
                    direction,
                    agg,
                    owners[bid],
                    _fmt(base),
                    _iso(month_start(lead.start)),
                    _fmt(target_value),
                    _iso(target_on),
                    "" if vpu is None else _fmt(vpu),
                    lead.currency if vpu is not None else "",
                    obj,
                    # a benefit keeps realizing after its project closed: it is tracked, not closed
                    "realizing" if stories[bid].plan_from <= as_of else "planned",
                ]
            )
        register_rows[as_of.isoformat()] = _writer_rows(
            folder / f"benefits_register_{as_of:%Y-%m-%d}.csv", register_header, rows
        )
    attribution = [[b[0], pid, share] for b in benefits for pid, share in b[10]]
    n_attr = _writer_rows(folder / "attribution.csv", ["benefit_id", "project_id", "share"], attribution)
    plan_rows, measurement_rows = [], []
    for b in benefits:
        bid, _, cat, kpi, unit, direction, agg, base, target, _, attrib, _, source = b
        lead = by_id[attrib[0][0]]
        story = stories[bid]
        sign = 1 if direction == "increase" else -1
        # the plan is the latest register's: planned improvement at full ramp, positive when good
        latest_target, _, ramp = _target(bid, target, story, REGISTER_DATES[-1])
        full = sign * (latest_target - base)
        for month in months_between(story.plan_from, PLAN_UNTIL):
            planned = _improvement(full, _months_from(story.plan_from, month), ramp)
            plan_rows.append([bid, f"{month:%Y-%m}", _fmt(planned)])
        for month in months_between(max(month_start(lead.start), HISTORY_START), TODAY):
            if kpi == STALE_KPI and month >= STALE_FROM:
                continue
            # before plan_from the readings scatter around the baseline (the baseline period)
            improvement = _improvement(full, _months_from(story.plan_from, month), ramp) * story.attainment
            expected = base + sign * improvement
            value = expected + rng.gauss(0, 0.02) * (abs(base) or abs(expected))
            if agg == "sum" or unit in ("%",):
                value = max(0.0, value)
            if unit in COUNT_UNITS:
                value = round(value)
            note = "provisional" if month == month_start(TODAY) else ""
            measurement_rows.append([kpi, _iso(month_end(month)), _fmt(value), source, note])
    n_plan = _writer_rows(folder / "benefit_plan.csv", ["benefit_id", "period", "planned_value"], plan_rows)
    n_meas = _writer_rows(
        folder / "kpi_measurements.csv",
        ["kpi_id", "measured_on", "value", "source", "note"],
        measurement_rows,
    )
    return TemplateCounts(
        registry=0,
        objectives=0,
        alignment=0,
        benefits=register_rows[REGISTER_DATES[-1].isoformat()],
        register_rows=register_rows,
        attribution=n_attr,
        plan=n_plan,
        measurements=n_meas,
    )
