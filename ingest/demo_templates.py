"""Demo value-office templates: project registry, strategy, benefits register, plan and measurements."""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass
from pathlib import Path

from ingest.demo_org import (
    HISTORY_START,
    TODAY,
    Project,
    add_months,
    month_end,
    month_start,
    months_between,
)

REGISTER_DATES = (dt.date(2025, 6, 30), dt.date(2026, 3, 31))
PLAN_UNTIL = dt.date(2027, 12, 1)
MOVED_PROJECT = "P009"
MOVE_ON = dt.date(2026, 1, 1)
REBASELINED_BENEFIT = "B04"
STALE_KPI = "KPI-BRK-ADOPT"
STALE_FROM = dt.date(2026, 7, 1)
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
# attribution [(project, share)], objective, measurement source
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
        "OBJ-1",
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
        "OBJ-2",
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
        "OBJ-1",
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
        "OBJ-4",
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
        "OBJ-4",
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
        64000,
        41000,
        1,
        [("P003", "1")],
        "OBJ-1",
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
        "OBJ-1",
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
        "OBJ-1",
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
        "OBJ-4",
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
        110000,
        4.2,
        [("P011", "1")],
        "OBJ-1",
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
        "OBJ-2",
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
        "OBJ-4",
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
        "OBJ-1",
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
        "OBJ-1",
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
        "OBJ-4",
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
        "OBJ-1",
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
        "OBJ-3",
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
        "OBJ-3",
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
        "OBJ-1",
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
        "OBJ-2",
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
        "OBJ-4",
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
        "OBJ-4",
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
        "OBJ-1",
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
        "OBJ-3",
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
        "OBJ-1",
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
        "OBJ-1",
        "UK finance MI",
    ),
]


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
    ]
    return _writer_rows(landing / "registry" / "projects.csv", header, rows)


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
    """`per_project` benefits (one KPI each, measured monthly) for every project after the curated ones."""
    out: list[tuple] = []
    if per_project <= 0:
        return out
    objectives = ["OBJ-1", "OBJ-2", "OBJ-3", "OBJ-4"]
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
                    rng.choice(objectives),
                    "Initiative MI",
                )
            )
    return out


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
    benefits += generated_benefits(rng, projects, extra_per_project)
    ramps = {b[0]: rng.randint(6, 12) for b in benefits}
    realisation = {b[0]: rng.uniform(0.6, 1.15) for b in benefits}
    owners = {b[0]: by_id[b[10][0][0]].sponsor for b in benefits}
    register_rows: dict[str, int] = {}
    for as_of in REGISTER_DATES:
        rows = []
        for b in benefits:
            bid, name, cat, kpi, unit, direction, agg, base, target, vpu, attrib, obj, _ = b
            lead = by_id[attrib[0][0]]
            if lead.start > as_of:
                continue
            target_on = month_end(add_months(lead.planned_go_live(), ramps[bid]))
            target_value = target
            if bid == REBASELINED_BENEFIT and as_of == REGISTER_DATES[1]:
                target_value = 28  # re-baselined: less ambitious and later
                target_on = month_end(add_months(target_on, 6))
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
                    "closed" if lead.closed_on and lead.closed_on <= as_of else "active",
                ]
            )
        register_rows[as_of.isoformat()] = _writer_rows(
            folder / f"benefits_register_{as_of:%Y-%m-%d}.csv", register_header, rows
        )
    attribution = [[b[0], pid, share] for b in benefits for pid, share in b[10]]
    n_attr = _writer_rows(folder / "attribution.csv", ["benefit_id", "project_id", "share"], attribution)
    plan_rows, measurement_rows = [], []
    for b in benefits:
        bid, _, cat, kpi, _, direction, agg, base, target, _, attrib, _, source = b
        lead = by_id[attrib[0][0]]
        sign = 1 if direction == "increase" else -1
        full = sign * (target - base)  # planned improvement at full ramp: positive when good
        planned_live = add_months(month_start(lead.planned_go_live()), 1)
        for month in months_between(planned_live, PLAN_UNTIL):
            months_live = (month.year - planned_live.year) * 12 + month.month - planned_live.month + 1
            plan_rows.append([bid, f"{month:%Y-%m}", _fmt(_improvement(full, months_live, ramps[bid]))])
        real_live = add_months(month_start(lead.go_live()), 1)
        scale = abs(base) or abs(target)
        for month in months_between(max(month_start(lead.start), HISTORY_START), TODAY):
            if kpi == STALE_KPI and month >= STALE_FROM:
                continue
            months_live = (month.year - real_live.year) * 12 + month.month - real_live.month + 1
            improvement = _improvement(full, months_live, ramps[bid]) * realisation[bid]
            value = base + sign * improvement + rng.gauss(0, 0.02) * scale
            if agg == "sum" or unit in ("%",):
                value = max(0.0, value)
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
