"""The GX suites on small hand-made raw zones and warehouses: each rule fails on the row it should.

Raw tables are written through ingest.raw_zone (the real Parquet layout, lineage columns included);
the marts are tiny DuckDB tables. Every figure below is worked out by hand in the comments.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest
import yaml
from support.paths import REPO

from ingest import raw_zone
from ingest.contract import RAW_TABLES
from orchestration.defs.gate.report import load_outcomes, save_outcome, write_html_report
from orchestration.defs.gate.runner import SuiteOutcome, expand_query, run_suite
from orchestration.defs.gate.suites import FRESHNESS_DAYS, SEVERITY, SUITES

D = decimal.Decimal


def suite(name: str):
    return next(s for s in SUITES if s.name == name)


def write_raw(home: Path, table: str, rows: list[dict], source_file: str, as_of: dt.date, n: int = 0) -> str:
    """One file version of one raw table; returns its sha256 (made up, unique per call)."""
    sha = hashlib.sha256(f"{table}{source_file}{as_of}{n}".encode()).hexdigest()
    schema = RAW_TABLES[table].append(pa.field("_source_ref", pa.string()))
    rows = [{**r, "_source_ref": f"row {i + 2}"} for i, r in enumerate(rows)]
    data = pa.Table.from_pylist(rows, schema=schema)
    ingested = dt.datetime(2026, 11, 1, 8, 0) + dt.timedelta(minutes=n)
    raw_zone.write_table(home, table, data, raw_zone.lineage_values(source_file, sha, as_of, ingested), sha)
    return sha


def run_raw(home: Path, name: str) -> SuiteOutcome:
    return run_suite(suite(name), raw_dir=home / "raw")


@pytest.fixture
def home(tmp_path) -> Path:
    raw_zone.ensure_empty_tables(tmp_path)
    return tmp_path


def _failure(outcome: SuiteOutcome, column: str):
    matches = [f for f in outcome.failures if f.column == column]
    assert matches, f"no failure on {column}: {outcome.failures}"
    return matches[0]


def test_attribution_shares_above_one_fail_with_the_benefit_in_the_sample(home):
    rows = [
        {"benefit_id": "B01", "project_id": "P001", "share": 0.8},
        {"benefit_id": "B01", "project_id": "P002", "share": 0.6},  # B01: 0.8 + 0.6 = 1.4
        {"benefit_id": "B02", "project_id": "P001", "share": 0.3},
        {"benefit_id": "B02", "project_id": "P003", "share": 0.7},  # B02: exactly 1 (0.3 + 0.7 in floats)
    ]
    write_raw(home, "benefits_attribution", rows, "benefits/attribution.csv", dt.date(2026, 6, 30))
    outcome = run_raw(home, "gx_ingest_benefits_attribution_shares")
    assert not outcome.success and outcome.suite.blocking
    assert outcome.rows == 2  # one row per benefit
    f = _failure(outcome, "share_total")
    assert f.unexpected_count == 1
    assert f.sample[0]["benefit_id"] == "B01"
    assert f.sample[0]["share_total"] == pytest.approx(1.4)
    assert f.sample[0]["_source_file"] == "benefits/attribution.csv"


def test_a_later_attribution_snapshot_supersedes_the_shares_of_the_benefits_it_mentions(home):
    write_raw(
        home,
        "benefits_attribution",
        [
            {"benefit_id": "B01", "project_id": "P001", "share": 0.8},
            {"benefit_id": "B01", "project_id": "P002", "share": 0.6},
        ],
        "benefits/attribution_2026-06-30.csv",
        dt.date(2026, 6, 30),
    )
    write_raw(
        home,
        "benefits_attribution",
        [
            {"benefit_id": "B01", "project_id": "P001", "share": 0.4},
            {"benefit_id": "B01", "project_id": "P002", "share": 0.6},
        ],
        "benefits/attribution_2026-09-30.csv",
        dt.date(2026, 9, 30),
        n=1,
    )
    outcome = run_raw(home, "gx_ingest_benefits_attribution_shares")
    assert outcome.success, outcome.failures
    assert outcome.rows == 1


def test_gl_control_totals_tie_to_the_cent(home):
    lines = [
        {
            "company_code": "1000",
            "fiscal_year": 2026,
            "fiscal_period": 3,
            "posting_on": dt.date(2026, 3, 5),
            "document_number": "D1",
            "line_item": "1",
            "amount": D("100.00"),
            "currency": "EUR",
        },
        {
            "company_code": "1000",
            "fiscal_year": 2026,
            "fiscal_period": 3,
            "posting_on": dt.date(2026, 3, 6),
            "document_number": "D1",
            "line_item": "2",
            "amount": D("50.25"),
            "currency": "EUR",
        },
        {
            "company_code": "1000",
            "fiscal_year": 2026,
            "fiscal_period": 4,
            "posting_on": dt.date(2026, 4, 1),
            "document_number": "D2",
            "line_item": "1",
            "amount": D("-20.00"),
            "currency": "EUR",
        },
    ]  # sum 130.25 EUR over 3 lines
    as_of = dt.date(2026, 4, 30)
    sha = write_raw(home, "gl_line_items", lines, "finance/gl.csv", as_of)
    lineage = raw_zone.lineage_values("finance/gl.csv", sha, as_of, dt.datetime(2026, 11, 1, 8, 0))
    schema = RAW_TABLES["gl_file_control_totals"].append(pa.field("_source_ref", pa.string()))

    def control(total: str) -> None:
        data = pa.Table.from_pylist(
            [{"currency": "EUR", "line_count": 3, "amount_total": D(total), "_source_ref": "file"}],
            schema=schema,
        )
        raw_zone.write_table(home, "gl_file_control_totals", data, lineage, sha)

    control("130.25")
    assert run_raw(home, "gx_ingest_finance_gl_control_totals").success
    assert run_raw(home, "gx_ingest_finance_gl_lines").success
    assert run_raw(home, "gx_ingest_finance_gl_keys_unique").success
    control("130.26")  # a cent off: lines - control = -0.01
    outcome = run_raw(home, "gx_ingest_finance_gl_control_totals")
    assert not outcome.success
    f = _failure(outcome, "difference_amount")
    assert f.sample[0]["difference_amount"] == pytest.approx(-0.01)
    assert f.sample[0]["currency"] == "EUR"
    assert f.sample[0]["_source_file"] == "finance/gl.csv"


def test_a_gl_key_twice_in_one_file_is_named_in_the_sample(home):
    line = {
        "company_code": "1000",
        "fiscal_year": 2026,
        "fiscal_period": 3,
        "posting_on": dt.date(2026, 3, 5),
        "document_number": "D9",
        "line_item": "1",
        "amount": D("1.00"),
        "currency": "EUR",
    }
    write_raw(
        home,
        "gl_line_items",
        [line, line, {**line, "line_item": "2"}],
        "finance/gl.csv",
        dt.date(2026, 4, 30),
    )
    outcome = run_raw(home, "gx_ingest_finance_gl_keys_unique")
    assert not outcome.success
    assert outcome.rows == 1  # only violations come back: one duplicated key
    sample = _failure(outcome, "copies").sample[0]
    assert (sample["document_number"], sample["line_item"], sample["copies"]) == ("D9", "1", 2)


def test_registry_latest_snapshot_wins_and_start_after_finish_fails(home):
    old = [{"project_id": "P001", "project_name": "A", "status": "active"}] * 2  # duplicate, but superseded
    write_raw(home, "registry_projects", old, "registry/projects_2026-01-31.csv", dt.date(2026, 1, 31))
    new = [
        {
            "project_id": "P001",
            "project_name": "A",
            "status": "active",
            "start_on": dt.date(2026, 2, 1),
            "planned_finish_on": dt.date(2026, 1, 15),
        },  # finish before start
        {
            "project_id": "P002",
            "project_name": "B",
            "status": "closed",
            "start_on": dt.date(2025, 1, 1),
            "planned_finish_on": dt.date(2025, 6, 30),
            "closed_on": dt.date(2025, 7, 1),
        },
    ]
    write_raw(home, "registry_projects", new, "registry/projects_2026-02-28.csv", dt.date(2026, 2, 28), n=1)
    outcome = run_raw(home, "gx_ingest_registry_projects")
    assert outcome.rows == 2  # the latest snapshot only
    assert [f.column for f in outcome.failures] == ["planned_finish_on, start_on"]
    assert outcome.failures[0].sample[0]["project_id"] == "P001"


def test_alignment_weights_per_project_and_period(home):
    rows = [  # P1: 0.6 from January, plus 0.5 from March while the first still runs -> 1.1 from March
        {"project_id": "P1", "objective_id": "O1", "weight": 0.6, "effective_from": dt.date(2026, 1, 1)},
        {"project_id": "P1", "objective_id": "O2", "weight": 0.5, "effective_from": dt.date(2026, 3, 1)},
        # P2: 0.7 until June, then 0.5 + 0.5 from July: never above 1
        {
            "project_id": "P2",
            "objective_id": "O1",
            "weight": 0.7,
            "effective_from": dt.date(2026, 1, 1),
            "effective_to": dt.date(2026, 6, 30),
        },
        {"project_id": "P2", "objective_id": "O2", "weight": 0.5, "effective_from": dt.date(2026, 7, 1)},
        {"project_id": "P2", "objective_id": "O3", "weight": 0.5, "effective_from": dt.date(2026, 7, 1)},
    ]
    write_raw(home, "strategy_alignment", rows, "strategy/alignment.csv", dt.date(2026, 7, 31))
    outcome = run_raw(home, "gx_ingest_strategy_alignment_weights")
    assert outcome.rows == 4  # P1 Jan, P1 Mar, P2 Jan, P2 Jul
    f = _failure(outcome, "weight_total")
    assert f.unexpected_count == 1
    assert f.sample[0]["project_id"] == "P1"
    assert f.sample[0]["period_from"] == "2026-03-01"
    assert f.sample[0]["weight_total"] == pytest.approx(1.1)


def test_freshness_is_a_warning_measured_against_the_latest_status_date(home):
    write_raw(
        home,
        "msp_projects",
        [{"project_name": "X", "status_on": dt.date(2026, 10, 31)}],
        "msproject/x.xml",
        dt.date(2026, 10, 31),
    )
    readings = [{"kpi_id": "K1", "measured_on": dt.date(2026, 1, 31), "value": 1.0}]
    write_raw(home, "benefits_measurements", readings, "benefits/kpi.csv", dt.date(2026, 1, 31))
    outcome = run_raw(home, "gx_ingest_benefits_freshness")
    assert not outcome.success and not outcome.suite.blocking  # 2026-01-31 -> 2026-10-31: 273 days > 62
    sample = _failure(outcome, "lag_days").sample[0]
    assert sample["lag_days"] == 273
    assert sample["reference_on"] == "2026-10-31"
    readings.append({"kpi_id": "K1", "measured_on": dt.date(2026, 9, 30), "value": 2.0})  # 31 days: fresh
    write_raw(home, "benefits_measurements", readings, "benefits/kpi.csv", dt.date(2026, 9, 30), n=1)
    assert run_raw(home, "gx_ingest_benefits_freshness").success


def test_gl_control_total_difference_of_a_cent_fails_the_dbt_test_and_names_the_file(tmp_path):
    """GL lines tie to the control totals: owned by the dbt test on mart_reconciliation (no GX suite
    repeats it). Its SQL, run on rows flagged as the mart flags them (is_issue: any difference; the
    mart's own rule has its dbt unit test), returns the file a cent off and nothing else."""
    test_sql = (REPO / "dbt_project" / "tests" / "assert_gl_lines_tie_to_control_totals.sql").read_text()
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute(
        "create table mart_reconciliation as select *, difference_amount <> 0 as is_issue from (values "
        "('gl_control_total', 'finance/a.csv', 'EUR', 0.0000::decimal(18,4)), "
        "('gl_control_total', 'finance/b.csv', 'GBP', 0.0100::decimal(18,4)), "
        "('unmapped_gl_line', '1000/2026/D1/1', 'EUR', 55.0000::decimal(18,4))"
        ") t(check_name, entity_id, currency, difference_amount)"
    )
    failing = con.execute(
        test_sql.replace("{{ ref('mart_reconciliation') }}", "mart_reconciliation")
    ).fetchall()
    assert len(failing) == 1  # the unmapped line's 55.00 is not a control-total row
    assert failing[0][1] == "finance/b.csv"
    assert not any(s.table == "mart_reconciliation" for s in SUITES)  # one owner


def test_missing_table_is_an_error_not_a_pass(tmp_path):
    wh = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(wh)).close()
    outcome = run_suite(suite("gx_mart_project_evm"), warehouse=wh)
    assert not outcome.success and "does not exist" in outcome.error


def dbt_tested_models() -> set[str]:
    """Models with a data test of their own in the dbt YAML (severity error unless it says warn)."""
    tested = set()
    for path in (REPO / "dbt_project" / "models").rglob("*.yml"):
        for model in (yaml.safe_load(path.read_text()) or {}).get("models") or []:
            columns = model.get("columns") or []
            if model.get("data_tests") or any(c.get("data_tests") for c in columns):
                tested.add(model["name"])
    return tested


def test_every_raw_source_and_every_published_mart_has_a_blocking_suite():
    """Every mart is gated: by a blocking GX suite, or by the dbt tests that own its keys and rules."""
    mart_models = {p.stem for p in (REPO / "dbt_project" / "models" / "marts").rglob("mart_*.sql")}
    assert mart_models, "no mart models found"
    blocking_tables = {s.table for s in SUITES if s.blocking}
    assert mart_models <= blocking_tables | dbt_tested_models()
    sources = {f"ingest_{s}" for s in FRESHNESS_DAYS}
    assert sources == {
        "ingest_jira",
        "ingest_msproject",
        "ingest_finance",
        "ingest_benefits",
        "ingest_strategy",
        "ingest_registry",
    }
    assert sources <= blocking_tables
    assert {f"gx_{s}_freshness" for s in sources} <= {s.name for s in SUITES if s.severity == "warn"}
    assert len({s.name for s in SUITES}) == len(SUITES)
    assert set(SEVERITY.values()) <= {"error", "warn"}


# A dbt test's severity as its config must write it: a lookup of its own entry in the one table.
SEVERITY_LOOKUP = re.compile(r"var\('vro_severity'\)\.get\('(?P<test>[^']+)', 'error'\)")


def test_every_severity_is_written_in_the_one_table():
    """The dbt var vro_severity in dbt_project.yml decides the severity of every check, GX suite or dbt
    test: a `severity` anywhere else in the dbt project is a lookup of the test's own entry there,
    and every entry names a GX suite or a dbt test that looks it up (no stale names). That the name
    looked up is the test's own, tests/test_defs.py shows: the snapshot lists each check's blocking."""
    dbt = REPO / "dbt_project"
    files = [
        *(dbt / "models").rglob("*.yml"),
        *(dbt / "tests").rglob("*.sql"),
        *(dbt / "macros").rglob("*.sql"),
    ]
    looked_up = []
    for path in filter(Path.is_file, files):
        for line in path.read_text().splitlines():
            if "severity" in line:
                lookup = SEVERITY_LOOKUP.search(line)
                assert lookup, f"{path.relative_to(REPO)}: a severity outside the table: {line.strip()}"
                looked_up.append(lookup["test"])
    assert looked_up and len(looked_up) == len(set(looked_up))
    project = yaml.safe_load((dbt / "dbt_project.yml").read_text())
    assert "severity" not in str(project.get("data_tests", ""))  # no folder-wide severity either
    assert SEVERITY == project["vars"]["vro_severity"]  # the gate reads the same table
    suite_names = {s.name for s in SUITES}
    assert set(SEVERITY) - suite_names == set(looked_up)
    assert "accepted_values_int_project_keys_key_conflict_count__1" in looked_up  # a dbt test that warns
    assert suite("gx_ingest_jira_freshness").severity == "warn"  # a GX suite named in the table
    assert suite("gx_ingest_finance_files_readable").severity == "error"  # one not named


def test_raw_queries_read_only_the_raw_parquet_folders(tmp_path):
    sql = expand_query(
        "select * from {latest:gl_line_items} join {snapshot:registry_projects} on true", tmp_path
    )
    assert f"read_parquet('{tmp_path}/gl_line_items/*.parquet', union_by_name = true)" in sql
    assert f"read_parquet('{tmp_path}/registry_projects/*.parquet', union_by_name = true)" in sql
    assert "{" not in sql


def test_html_report_lists_every_suite_once_with_failures_and_not_run(home, tmp_path):
    write_raw(
        home,
        "benefits_attribution",
        [{"benefit_id": "B7", "project_id": "P1", "share": 1.2}],
        "benefits/attribution.csv",
        dt.date(2026, 6, 30),
    )
    folder = tmp_path / "outcomes"
    save_outcome(run_raw(home, "gx_ingest_benefits_attribution_shares"), folder)
    outcomes = load_outcomes(folder)
    assert [o.suite.name for o in outcomes] == ["gx_ingest_benefits_attribution_shares"]
    text = write_html_report(outcomes, tmp_path / "report.html").read_text()
    for s in SUITES:
        assert f"id='{s.name}'" in text
    assert "FAILED" in text and "B7" in text
    assert text.count(">not run<") == len(SUITES) - 1  # every other suite, in the index
