"""A `vro run` killed with SIGKILL during ingest, during dbt and during publish, then a good run.

Real processes, no mocks: the demo exports, the `vro run` command in its own process group (so the dbt
subprocess dies with it, as on a machine that loses power), polled for its progress on disk. Before
the first kill the home holds an "old" published file (a tiny warehouse published with
orchestration.defs.publish.publish): after each kill the published file must still open with
readable marts and be the old file or the complete new one, never a mix; after the final good run
the raw zone holds each file version once and the new marts are published.

The kill sequence ends with a good run; test_gate.py reuses that home (`shared_e2e_home`), so the
whole pipeline runs to completion only twice in the test session (kill C reaches publish, run D).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from support.killed_runs import shared_e2e_home
from support.published_state import PUBLISHED_MARTS

MAIN_TABLE = {
    "jira_csv": "jira_issues",
    "jira_search": "jira_issues",
    "mspdi": "msp_tasks",
    "gl_actuals": "gl_line_items",
    "budgets": "budgets",
    "benefits_attribution": "benefits_attribution",
    "benefits_plan": "benefits_plan",
    "benefits_register": "benefits_register",
    "benefits_measurements": "benefits_measurements",
    "registry_projects": "registry_projects",
    "portfolio_scenarios": "portfolio_scenarios",
    "strategy_objectives": "strategy_objectives",
    "strategy_alignment": "strategy_alignment",
}


@pytest.fixture(scope="module")
def e2e(tmp_path_factory) -> dict:
    return shared_e2e_home(tmp_path_factory)


def test_kills_before_publish_leave_the_old_published_file_byte_identical(e2e):
    old = e2e["old"]
    assert old["marts"] == {"mart_project_evm": [3, old["marts"]["mart_project_evm"][1]]}
    for entry in e2e["kills"][:2]:
        assert entry["phase"] in ("ingest", "dbt")
        assert entry["state"] == old, entry["phase"]


def test_kill_during_publish_leaves_the_old_or_the_complete_new_file(e2e):
    entry = e2e["kills"][2]
    assert entry["phase"] == "publish"
    state = entry["state"]
    if state["sha256"] == e2e["old"]["sha256"]:
        assert state["marts"] == e2e["old"]["marts"]
    else:  # renamed before the kill: every mart whole, equal to the warehouse it came from
        assert state["marts"] == entry["warehouse"]
    # the Parquet set the link points to is the same version as the DuckDB file, whichever it is
    assert state["parquet"] == state["marts"]


def test_good_run_after_the_kills_publishes_the_new_marts(e2e):
    assert e2e["good_run"]["exit"] == 0, e2e["good_run"]["output"][-3000:]
    final = e2e["final"]
    assert final["sha256"] != e2e["old"]["sha256"]
    assert set(final["marts"]) >= set(PUBLISHED_MARTS)
    assert final["marts"] == e2e["final_warehouse"]
    assert all(rows > 0 for name, (rows, _checksum) in final["marts"].items())
    home = Path(e2e["home"])
    assert not list((home / "published").rglob(".*"))  # no half-written version or link left


def test_raw_zone_holds_each_file_version_once_after_the_kills(e2e):
    home = Path(e2e["home"])
    raw = home / "raw"
    con = duckdb.connect()
    manifest = con.execute(
        f"select _file_sha256, file_kind, rows_loaded from read_parquet('{raw}/ingest_manifest/*.parquet')"
    ).fetchall()
    shas = [r[0] for r in manifest]
    assert len(shas) == len(set(shas)), "a file version has two manifest rows"
    summary = e2e["summary"]  # what the demo generator says it wrote
    assert len(shas) == sum(summary["files"].values())
    expected: dict[str, int] = {}
    for _sha, kind, loaded in manifest:
        if kind in MAIN_TABLE:
            expected[MAIN_TABLE[kind]] = expected.get(MAIN_TABLE[kind], 0) + loaded
    for table, loaded in expected.items():
        rows = con.execute(f"select count(*) from read_parquet('{raw}/{table}/*.parquet')").fetchone()[0]
        assert rows == loaded, table
    assert expected["gl_line_items"] == sum(summary["gl_lines"].values())
    assert expected["msp_tasks"] == summary["msp_tasks"]
    # no file version in the raw zone without its manifest row (a killed ingest is redone, not doubled)
    raw_shas = {
        r[0]
        for r in con.execute(
            f"select distinct _file_sha256 from read_parquet('{raw}/*/*.parquet', union_by_name = true)"
        ).fetchall()
    }
    assert raw_shas <= set(shas)
    con.close()
