"""Figures derived by hand from the demo's export files (MSPDI XML, the CJI3 CSV, the registry),
never from the pipeline's tables: the expected values of the e2e and dashboard tests."""

from __future__ import annotations

import csv
import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

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


def evm_at_status(landing: Path, project_id: str, status_on: dt.date) -> dict[str, Decimal]:
    """BAC, EV and PV to the status date from the project's MSPDI file of that status date, AC posted
    up to it from the CJI3 export (a project that books in EUR on company 1000)."""
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
        "ac": ac,
    }


def latest_status_on(landing: Path, project_id: str) -> dt.date:
    """The status date in the name of the project's latest MSPDI file."""
    name = registry_row(landing, project_id)["msproject_names"]
    latest = sorted((landing / "msproject").glob(f"{name}_*.xml"))[-1]
    return dt.date.fromisoformat(latest.stem.rsplit("_", 1)[1])
