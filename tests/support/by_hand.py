"""Figures derived by hand from the demo's export files (MSPDI XML, the CJI3 CSV, the registry, the
Tempo worklog exports, the rate card and people templates, the ECB history), never from the
pipeline's tables: the expected values of the e2e and dashboard tests."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import openpyxl

MSP_NS = {"p": "http://schemas.microsoft.com/project"}
CJI3_FILE = "finance/gl_actuals_1000_cji3.csv"


def registry_row(landing: Path, project_id: str) -> dict:
    with (landing / "registry" / "projects.csv").open(newline="", encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh) if r["project_id"] == project_id)


def cji3_amount(row: dict) -> Decimal:
    amount = Decimal(row["Value TranCurr"].replace(",", ""))
    return amount if row["Debit/Credit ind"] == "S" else -amount


def msp_date(text: str) -> dt.date:
    return dt.datetime.fromisoformat(text).date()


def leaf_baselines(schedule: Path) -> list[tuple[dt.date, dt.date, Decimal, Decimal]]:
    """(baseline start, baseline finish, baseline cost, % complete) of every leaf task's baseline 0."""
    tasks = ET.parse(schedule).getroot().find("p:Tasks", MSP_NS)
    leaves = []
    for task in tasks.findall("p:Task", MSP_NS):
        if (
            task.findtext("p:UID", namespaces=MSP_NS) == "0"
            or task.findtext("p:Summary", namespaces=MSP_NS) == "1"
        ):
            continue
        for baseline in task.findall("p:Baseline", MSP_NS):
            if baseline.findtext("p:Number", namespaces=MSP_NS) == "0":
                leaves.append(
                    (
                        msp_date(baseline.findtext("p:Start", namespaces=MSP_NS)),
                        msp_date(baseline.findtext("p:Finish", namespaces=MSP_NS)),
                        Decimal(baseline.findtext("p:Cost", namespaces=MSP_NS)) / 100,
                        Decimal(task.findtext("p:PercentComplete", namespaces=MSP_NS)),
                    )
                )
    return leaves


def planned_to(leaves, day: dt.date) -> Decimal:
    """PV to `day`: each leaf's baseline cost spread evenly over its Monday-Friday days."""
    pv = Decimal(0)
    for start, finish, cost, _ in leaves:
        days = [start + dt.timedelta(n) for n in range((finish - start).days + 1)]
        working = [d for d in days if d.weekday() < 5]
        if working:
            pv += cost * sum(1 for d in working if d <= day) / len(working)
        elif finish <= day:
            pv += cost
    return pv


@functools.cache
def _csv_file(path: Path) -> tuple[dict, ...]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        return tuple(csv.DictReader(fh))


def _template_rows(path: Path) -> list[dict]:
    """The rows of a CSV export as dicts (each file read once per test session; copies returned)."""
    return [dict(r) for r in _csv_file(path)]


def tempo_worklogs(landing: Path) -> list[dict]:
    """Every row of the Tempo exports in landing/worklogs (CSV and XLSX, header in the first row),
    with work_on (date) and hours (Decimal) added."""
    rows: list[dict] = []
    for path in sorted((landing / "worklogs").glob("*.csv")):
        rows += _template_rows(path)
    for path in sorted((landing / "worklogs").glob("*.xlsx")):
        sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
        values = sheet.iter_rows(values_only=True)
        header = next(values)
        rows += [dict(zip(header, r, strict=False)) for r in values if any(v is not None for v in r)]
    for row in rows:
        day = row["Work date"]
        row["work_on"] = day.date() if isinstance(day, dt.datetime) else dt.date.fromisoformat(str(day)[:10])
        row["hours"] = Decimal(str(row["Hours"]))
    return rows


def _in_force(row: dict, day: dt.date) -> bool:
    start = dt.date.fromisoformat(row["valid_from"]) if row["valid_from"] else dt.date.min
    end = dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else dt.date.max
    return start <= day <= end


def rate_in_force(landing: Path, person: str, project_id: str, day: dt.date) -> tuple[Decimal, str] | None:
    """(hourly rate, currency) of the rate card for a person on a project and day, most specific
    first: person + project, person, role + project, role, group + project, group (role and group
    from people.csv on that day); None when the person has no rate."""
    card = [r for r in _template_rows(landing / "rates" / "rate_card.csv") if _in_force(r, day)]
    people = _template_rows(landing / "rates" / "people.csv")
    who = next(
        (r for r in people if r["person"] == person and _in_force(r, day)), {"role": "", "resource_group": ""}
    )
    levels = (("person", person), ("role", who["role"]), ("resource_group", who["resource_group"]))
    for column, value in levels:
        for project in (project_id, ""):
            for rate in card:
                if value and rate[column] == value and rate["project_id"] == project:
                    return Decimal(rate["hourly_rate"]), rate["currency"]
    return None


def ecb_units_per_eur(landing: Path, currency: str, day: dt.date) -> Decimal:
    """The ECB reference rate (units of `currency` per EUR) of `day`, or the latest earlier one."""
    rates = {
        dt.date.fromisoformat(r["Date"]): r[currency]
        for r in _template_rows(landing / "finance" / "eurofxref-hist.csv")
        if r.get(currency) not in (None, "", "N/A")
    }
    return Decimal(rates[max(d for d in rates if d <= day)])


def worklog_project(landing: Path, row: dict) -> str | None:
    """The registry project of a Tempo worklog, first match: its Account Key in tempo_account_keys,
    its Epic Link or Parent Key in jira_epic_keys, its PSP Element in finance_codes, its Project Key
    in jira_project_keys; None when nothing matches."""
    registry = _template_rows(landing / "registry" / "projects.csv")
    for column, values in (
        ("tempo_account_keys", [row.get("Account Key")]),
        ("jira_epic_keys", [row.get("Epic Link"), row.get("Parent Key")]),
        ("finance_codes", [row.get("PSP Element")]),
        ("jira_project_keys", [row.get("Project Key")]),
    ):
        for project in registry:
            keys = {k.strip() for k in (project[column] or "").split(";") if k.strip()}
            if any(v and v in keys for v in values):
                return project["project_id"]
    return None


def labour_to(landing: Path, project_id: str, day: dt.date) -> Decimal:
    """Internal labour of a EUR project worked up to `day`: the Tempo worklogs that map to it
    (worklog_project) x the rate in force on the work date, each to the cent in the rate's currency,
    converted to EUR at the work date's ECB rate; unrated hours cost nothing. Tempo rows are unique
    by Worklog Id (the Jira copies of some of them are not read here at all)."""
    total = Decimal(0)
    for row in tempo_worklogs(landing):
        if row["work_on"] > day or worklog_project(landing, row) != project_id:
            continue
        rate = rate_in_force(landing, row["Full name"], project_id, row["work_on"])
        if rate is None:
            continue
        cost = (row["hours"] * rate[0]).quantize(Decimal("0.01"))
        total += cost if rate[1] == "EUR" else cost / ecb_units_per_eur(landing, rate[1], row["work_on"])
    return total


def evm_at_status(landing: Path, project_id: str, status_on: dt.date) -> dict[str, Decimal]:
    """BAC, EV and PV to the status date from the project's MSPDI file of that status date, AC posted
    up to it from the CJI3 export (a project that books in EUR on company 1000) plus its internal
    labour worked up to it (labour_to)."""
    project = registry_row(landing, project_id)
    codes = set(project["finance_codes"].split(";"))
    leaves = leaf_baselines(
        landing / "msproject" / f"{project['msproject_names']}_{status_on.isoformat()}.xml"
    )
    with (landing / CJI3_FILE).open(newline="", encoding="utf-8-sig") as fh:
        ac = sum(
            (
                cji3_amount(r)
                for r in csv.DictReader(fh)
                if r["WBS Element"] in codes
                and dt.datetime.strptime(r["Posting Date"], "%d.%m.%Y").date() <= status_on
            ),
            Decimal(0),
        )
    return {
        "bac": sum((cost for _, _, cost, _ in leaves), Decimal(0)),
        "ev": sum((cost * done / 100 for _, _, cost, done in leaves), Decimal(0)),
        "pv": planned_to(leaves, status_on),
        "ac": ac + labour_to(landing, project_id, status_on),
    }


def latest_status_on(landing: Path, project_id: str) -> dt.date:
    """The status date in the name of the project's latest MSPDI file."""
    name = registry_row(landing, project_id)["msproject_names"]
    latest = sorted((landing / "msproject").glob(f"{name}_*.xml"))[-1]
    return dt.date.fromisoformat(latest.stem.rsplit("_", 1)[1])
