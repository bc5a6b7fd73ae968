"""The whole pipeline on the demo organisation, through the real `vro` command, tied out by hand.

One real run per module (about a minute on a quiet 2-core machine): `vro demo` then `vro run` in
subprocesses, exactly as `make run` does. The expectations are computed here independently, from the
demo's export files with the csv module and ElementTree, not from the pipeline's own tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from conftest import copy_home, vro

from ingest.demo_delta import write_delta
from orchestration.schedules import build_daily_schedule

pytestmark = pytest.mark.e2e
# A quiet run plans one ingest asset per landing folder and the accounting asset, nothing else.
INGEST_ONLY = {
    dg.AssetKey(name)
    for name in (
        "ingest_jira",
        "ingest_msproject",
        "ingest_finance",
        "ingest_benefits",
        "ingest_strategy",
        "ingest_registry",
        "ingest_accounting",
    )
}
MSP_NS = {"p": "http://schemas.microsoft.com/project"}


@pytest.fixture(scope="module")
def published(demo_run):
    con = duckdb.connect(str(demo_run.home / "published" / "vro.duckdb"), read_only=True)
    yield con
    con.close()


def test_run_publishes_and_reports_every_file_and_check(demo_run, published):
    landing, home, summary, run = demo_run.landing, demo_run.home, demo_run.summary, demo_run.run
    report = json.loads((home / "reports" / "last_run.json").read_text())
    assert report["published"] is True
    files = {f["path"]: f for f in report["files"]}
    landed = {p.relative_to(landing).as_posix() for p in landing.rglob("*") if p.is_file()}
    assert set(files) == landed
    assert {f["status"] for f in files.values()} == {"loaded"}
    assert all(f["rows_read"] == f["rows_loaded"] + f["rows_rejected"] for f in files.values())
    for path, lines in summary["gl_lines"].items():
        assert files[path]["rows_loaded"] == lines
    jira_json = sum(f["rows_loaded"] for p, f in files.items() if p.startswith("jira/search_jql"))
    assert jira_json == summary["jira_issues"]
    assert (
        sum(f["rows_loaded"] for p, f in files.items() if p.startswith("msproject/")) == summary["msp_tasks"]
    )
    assert report["checks"] and all(c["passed"] for c in report["checks"] if c["blocking"])
    assert set(report["stages"]) == {"ingest", "dbt", "quality", "publish"}
    assert "mart_value_scorecard" in run.stdout and "Per source" in run.stdout


def test_published_file_holds_the_six_marts(published):
    tables = {r[0] for r in published.execute("select table_name from information_schema.tables").fetchall()}
    marts = {
        "mart_project_evm",
        "mart_delivery_flow",
        "mart_benefits_realization",
        "mart_strategic_alignment",
        "mart_value_scorecard",
        "mart_reconciliation",
    }
    assert marts <= tables
    assert not {t for t in tables if t.startswith(("stg_", "int_"))}
    assert published.execute("select count(*) from mart_value_scorecard").fetchone()[0] == 20


def test_every_published_mart_and_column_carries_its_description(demo_run, published):
    """BI tools show COMMENT ON; Parquet readers the footer's vro.* key-value metadata."""
    import pyarrow.parquet as pq

    marts = dict(
        published.execute(
            "select table_name, comment from duckdb_tables() "
            "where database_name = current_database() and table_name like 'mart_%'"
        ).fetchall()
    )
    assert len(marts) >= 6 and all(marts.values()), marts
    undocumented = published.execute(
        "select table_name, column_name from duckdb_columns() where database_name = current_database() "
        "and table_name like 'mart_%' and coalesce(comment, '') = ''"
    ).fetchall()
    assert undocumented == []
    for mart in marts:
        schema = pq.read_schema(demo_run.home / "published" / "parquet" / f"{mart}.parquet")
        keys = {k.decode() for k in schema.metadata}
        assert "vro.description" in keys and {f"vro.column.{c}" for c in schema.names} <= keys, mart


def test_gl_spend_ties_to_the_exports_per_currency_to_the_cent(demo_run, published):
    summary = demo_run.summary
    fact = dict(published.execute("select currency, sum(amount) from fct_gl_line group by 1").fetchall())
    assert {c: f"{v:.2f}" for c, v in fact.items()} == summary["gl_totals"]
    recon = published.execute(
        "select entity_id, expected_amount, actual_amount, difference_amount from mart_reconciliation "
        "where check_name = 'gl_control_total'"
    ).fetchall()
    assert sorted(r[0] for r in recon) == sorted(summary["gl_lines"])
    assert all(r[3] == 0 and r[1] == r[2] for r in recon)
    # Spend in the scorecard plus unmapped lines is all the spend: nothing dropped on the way.
    mapped = published.execute("select sum(cost_to_date_amount) from mart_value_scorecard").fetchone()[0]
    unmapped = published.execute(
        "select sum(amount_reporting) from fct_gl_line where project_id is null"
    ).fetchone()[0]
    total = published.execute("select sum(amount_reporting) from fct_gl_line").fetchone()[0]
    assert abs(Decimal(mapped) + Decimal(unmapped) - Decimal(total)) < Decimal("0.01")


def test_scorecard_benefits_equal_attributed_benefits(published):
    scorecard = published.execute(
        "select sum(benefits_realized_to_date_amount) from mart_value_scorecard"
    ).fetchone()[0]
    attributed = published.execute(
        """
        with last_month as (
            select benefit_id, max(month_start_on) as month_start_on from mart_benefits_realization group by 1
        )
        select sum(r.cumulative_realized_value_reporting_amount * b.share)
        from mart_benefits_realization r
        join last_month l on l.benefit_id = r.benefit_id and l.month_start_on = r.month_start_on
        join bridge_benefit_project b on b.benefit_id = r.benefit_id
        """
    ).fetchone()[0]
    assert scorecard != 0
    assert abs(float(scorecard) - attributed) < 0.01


def _registry_row(landing: Path, project_id: str) -> dict:
    with (landing / "registry" / "projects.csv").open(newline="", encoding="utf-8") as fh:
        return next(r for r in csv.DictReader(fh) if r["project_id"] == project_id)


def _cji3_amount(row: dict) -> Decimal:
    amount = Decimal(row["Value TranCurr"].replace(",", ""))
    return amount if row["Debit/Credit ind"] == "S" else -amount


def test_evm_of_one_project_checked_by_hand(demo_run, published):
    """P001 books in EUR: BAC and EV from its latest MSPDI file, AC from the CJI3 export."""
    landing = demo_run.landing
    project = _registry_row(landing, "P001")
    codes = set(project["finance_codes"].split(";"))
    schedule = sorted((landing / "msproject").glob(f"{project['msproject_names']}_*.xml"))[-1]
    tasks = ET.parse(schedule).getroot().find("p:Tasks", MSP_NS)
    bac = ev = Decimal(0)
    for task in tasks.findall("p:Task", MSP_NS):
        if (
            task.findtext("p:UID", namespaces=MSP_NS) == "0"
            or task.findtext("p:Summary", namespaces=MSP_NS) == "1"
        ):
            continue
        for baseline in task.findall("p:Baseline", MSP_NS):
            if baseline.findtext("p:Number", namespaces=MSP_NS) == "0":
                cost = Decimal(baseline.findtext("p:Cost", namespaces=MSP_NS)) / 100
                bac += cost
                ev += cost * Decimal(task.findtext("p:PercentComplete", namespaces=MSP_NS)) / 100
    ac = Decimal(0)
    with (landing / "finance" / "gl_actuals_1000_cji3.csv").open(newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            posted = dt.datetime.strptime(row["Posting Date"], "%d.%m.%Y").date()
            if row["WBS Element"] in codes and posted <= dt.date(2026, 10, 31):
                ac += _cji3_amount(row)
    row = published.execute(
        "select bac_amount, ev_amount, ac_amount, cpi, status_on, baseline_number from mart_project_evm "
        "where project_id = 'P001' and month_start_on = date '2026-10-01'"
    ).fetchone()
    assert row is not None
    assert abs(Decimal(str(row[0])) - bac) < Decimal("0.01")
    assert abs(Decimal(str(row[1])) - ev) < Decimal("0.01")
    assert abs(Decimal(str(row[2])) - ac) < Decimal("0.01")
    assert row[3] == pytest.approx(float(ev / ac), rel=1e-9)
    assert (row[4], row[5]) == (dt.date(2026, 10, 31), 0)


def test_bad_usage_exits_2_with_a_one_line_reason(tmp_path):
    result = vro("run", "--landing", str(tmp_path / "nowhere"), "--home", str(tmp_path / "home"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert vro("frobnicate").returncode == 2


def test_run_with_nothing_new_stops_after_ingest_and_keeps_the_published_file(demo_run, tmp_path):
    home = copy_home(demo_run, tmp_path, parts=("raw", "published"))
    published_db = home / "published" / "vro.duckdb"
    before = hashlib.sha256(published_db.read_bytes()).hexdigest()
    again = vro("run", "--landing", demo_run.landing, "--home", home)
    assert again.returncode == 0, again.stdout[-3000:]
    assert "Nothing new since the last publish" in again.stdout
    report = json.loads((home / "reports" / "last_run.json").read_text())
    assert (report["published"], report["up_to_date"]) == (False, True)
    assert set(report["stages"]) == {"ingest"}  # no dbt, no mart checks, no publish
    assert hashlib.sha256(published_db.read_bytes()).hexdigest() == before
    # Only the ingest assets were planned (not the ~400 dbt and GX checks): that is what keeps it fast.
    with dg.DagsterInstance.from_config(str(home / "dagster")) as instance:
        run = instance.get_run_by_id(report["run_id"])
        assert run.asset_selection == INGEST_ONLY


def test_schedule_plans_only_ingest_on_a_quiet_day_and_everything_after_a_new_file(
    demo_run, tmp_path, monkeypatch
):
    home = copy_home(demo_run, tmp_path, parts=("raw", "published"))
    landing = tmp_path / "landing"
    shutil.copytree(demo_run.landing, landing, copy_function=shutil.copy2)  # keeps mtimes
    monkeypatch.setenv("VRO_HOME", str(home))
    monkeypatch.setenv("VRO_LANDING", str(landing))
    schedule = build_daily_schedule("vro_pipeline")
    when = dt.datetime(2026, 11, 2, 6, 0, tzinfo=dt.timezone.utc)
    quiet = schedule(dg.build_schedule_context(scheduled_execution_time=when))
    assert set(quiet.asset_selection) == INGEST_ONLY
    (landing / "registry" / "project_registry_extra.csv").write_bytes(
        next((landing / "registry").iterdir()).read_bytes() + b"\n"
    )
    busy = schedule(dg.build_schedule_context(scheduled_execution_time=when))
    assert busy.asset_selection is None  # the whole job


def test_published_file_opens_in_the_duckdb_1x_that_bi_connectors_bundle(demo_run, tmp_path):
    """BI connectors bundle DuckDB 1.x (Evidence ships 1.4): read the published file with one."""
    venv = tmp_path / "duckdb14"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    install = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", "duckdb==1.4.5"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]
    script = (
        "import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
        "print(duckdb.__version__, con.execute('select count(*) from mart_value_scorecard').fetchone()[0])"
    )
    published_db = demo_run.home / "published" / "vro.duckdb"
    read = subprocess.run(
        [str(venv / "bin" / "python"), "-c", script, str(published_db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert read.returncode == 0, read.stderr[-2000:]
    assert read.stdout.split() == ["1.4.5", "20"]


def test_a_delta_run_extends_the_incremental_models_exactly_as_a_full_rebuild_would(demo_run, tmp_path):
    """Also: a run on a home with the raw zone but no published file reads only the new files and
    publishes."""
    home = copy_home(demo_run, tmp_path, parts=("raw", "dbt"))
    shutil.copy(demo_run.home / "warehouse.duckdb", home / "warehouse.duckdb")
    landing = tmp_path / "landing"
    shutil.copytree(demo_run.landing, landing, copy_function=shutil.copy2)  # keeps mtimes: untouched
    before = _latest_counts(home)
    delta = write_delta(landing, seed=7, scale="S")
    run = vro("run", "--landing", landing, "--home", home)
    assert run.returncode == 0, run.stdout[-3000:]
    report = json.loads((home / "reports" / "last_run.json").read_text())
    assert report["published"] is True
    statuses = {f["path"]: f["status"] for f in report["files"]}
    assert {statuses[p] for p in delta.files} == {"loaded"}
    assert {s for p, s in statuses.items() if p not in delta.files} == {"unchanged"}
    (results,) = [json.loads(p.read_text()) for p in home.glob(f"dbt/run-{_run_id(home)}/run_results.json")]
    assert results["args"].get("full_refresh") in (None, False)  # the same code: incremental
    after = _latest_counts(home)
    assert after["gl"] == before["gl"] + delta.gl_lines  # every supplementary line has a new key
    assert after["jira"] == before["jira"] + delta.jira_issues
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        for model, staging, key, order, extra_key in LATEST_WINS:
            rebuilt = (
                f"select * exclude (rn) from (select *, row_number() over (partition by {key} "
                f"order by {order}) as rn from {staging}) where rn = 1"
            )
            extended = f"select * exclude ({extra_key}) from {model}" if extra_key else f"from {model}"
            for a, b in ((rebuilt, extended), (extended, rebuilt)):
                assert con.execute(f"select count(*) from ({a} except all {b})").fetchone()[0] == 0, model
    finally:
        con.close()


LATEST_WINS = [  # model, its staging input, key, order, the model's key column: written out here
    (
        "int_gl__lines_latest",
        "stg_finance__gl_line_items",
        "company_code, fiscal_year, document_number, line_item",
        "ingested_at desc, file_as_of desc nulls last, file_sha256 desc",
        "gl_line_key",
    ),
    (
        "int_jira__issues_latest",
        "stg_jira__issues",
        "issue_key",
        "updated_at desc nulls last, ingested_at desc, "
        "case when export_format like 'rest%' then 0 else 1 end, file_sha256 desc",
        None,
    ),
    (
        "int_jira__status_changes_latest",
        "stg_jira__status_changes",
        "issue_key, history_id, to_status_id",
        "ingested_at desc, file_sha256 desc",
        "status_change_key",
    ),
]


def _latest_counts(home: Path) -> dict[str, int]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return {
            "gl": con.execute("select count(*) from int_gl__lines_latest").fetchone()[0],
            "jira": con.execute("select count(*) from int_jira__issues_latest").fetchone()[0],
        }
    finally:
        con.close()


def _run_id(home: Path) -> str:
    return json.loads((home / "reports" / "last_run.json").read_text())["run_id"]
