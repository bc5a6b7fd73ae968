"""The quality gate end to end: a good run publishes exactly the warehouse marts; a bad-but-parseable
export stops publication with the failing check and its rows named, and changes no published byte.

Real processes: the demo exports and `vro run`. The good run is the one test_kill.py ends with
(shared per session, see `support.killed_runs.shared_e2e_home`); variants copy its landing and home folders.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from support.killed_runs import shared_e2e_home, start_run
from support.published_state import PUBLISHED_MARTS, mart_fingerprints, published_state, sha256

from orchestration.defs.gate.suites import SUITES
from orchestration.warehouse import open_warehouse


def published_bytes(published: Path) -> dict[str, str]:
    """Every path under published/ (relative), with its content hash, or its target for a link."""
    out = {}
    for p in sorted(published.rglob("*")):
        rel = str(p.relative_to(published))
        if p.is_symlink():
            out[rel] = "-> " + os.readlink(p)
        elif p.is_file():
            out[rel] = sha256(p)
    return out


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> dict:
    obs = shared_e2e_home(tmp_path_factory)
    assert obs["good_run"]["exit"] == 0, obs["good_run"]["output"][-3000:]
    return obs


@pytest.fixture(scope="module")
def blocked(good, tmp_path_factory) -> dict:
    """A copy of the good home and landing plus an attribution snapshot giving benefit B01 shares 1.4."""
    base = tmp_path_factory.mktemp("blocked")
    landing, home = base / "landing", base / "home"
    shutil.copytree(good["landing"], landing)
    shutil.copytree(good["home"], home, symlinks=True)  # published/ holds links
    before = published_bytes(home / "published")
    # The header of the value office's attribution template; no date in the name: the file's mtime
    # (now) makes it the latest snapshot mentioning B01, so its shares are B01's shares.
    (landing / "benefits" / "attribution_correction.csv").write_text(
        "benefit_id,project_id,share\nB01,P001,0.8\nB01,P002,0.6\n", encoding="utf-8"
    )
    log = base / "run.log"
    proc = start_run(landing, home, log)
    rc = proc.wait(timeout=900)
    after = published_bytes(home / "published")
    report = json.loads((home / "reports" / "last_run.json").read_text())
    return {
        "rc": rc,
        "output": log.read_text(),
        "before": before,
        "after": after,
        "report": report,
        "home": home,
    }


def test_published_marts_are_identical_to_the_warehouse_marts(good):
    home = Path(good["home"])
    con = open_warehouse(home / "warehouse.duckdb")
    try:
        warehouse = mart_fingerprints(con, "marts")
    finally:
        con.close()
    published = published_state(home)
    assert set(PUBLISHED_MARTS) <= set(warehouse)
    assert published["marts"] == warehouse
    # the Parquet copies carry the same rows and checksums
    con = duckdb.connect()
    for name, (count, checksum) in warehouse.items():
        path = home / "published" / "parquet" / f"{name}.parquet"
        got = con.execute(f"select count(*), sum(hash(t)) from read_parquet('{path}') t").fetchone()
        assert [got[0], str(got[1])] == [count, checksum], name
    con.close()


def test_good_run_reports_every_suite_and_one_html_report(good):
    home = Path(good["home"])
    report = json.loads((home / "reports" / "last_run.json").read_text())
    assert report["published"] is True
    gx = {c["name"].split(":", 1)[1]: c for c in report["checks"] if ":gx_" in c["name"]}
    assert set(gx) == {s.name for s in SUITES}
    failed_blocking = [n for n, c in gx.items() if not c["passed"] and c["blocking"]]
    assert failed_blocking == []
    html_path = Path(gx["gx_mart_project_evm"]["details"]["report"])
    assert html_path.name == f"run_{report['run_id']}.html"
    text = html_path.read_text()
    assert all(f"id='{s.name}'" in text for s in SUITES)
    assert ">not run<" not in text  # every suite ran in the good run
    assert gx["gx_mart_project_evm"]["details"]["report_url"].endswith("#gx_mart_project_evm")


def test_blocking_check_stops_publish_and_exits_1(blocked):
    assert blocked["rc"] == 1, blocked["output"][-3000:]
    assert blocked["report"]["published"] is False
    assert "NOT published" in blocked["output"]


def test_blocked_run_leaves_published_files_byte_identical(blocked):
    before = blocked["before"]
    assert before["vro.duckdb"] == "-> current/vro.duckdb" and before["parquet"] == "-> current/parquet"
    assert before["current"].startswith("-> versions/")
    version = before["current"][3:]
    assert f"{version}/vro.duckdb" in before and f"{version}/parquet/mart_project_evm.parquet" in before
    assert blocked["after"] == before


def test_failing_check_and_its_rows_are_in_the_output_and_last_run_json(blocked):
    checks = {c["name"]: c for c in blocked["report"]["checks"]}
    check = checks["raw/benefits_attribution:gx_ingest_benefits_attribution_shares"]
    assert check["passed"] is False and check["blocking"] is True
    failure = next(f for f in check["details"]["failures"] if f["column"] == "share_total")
    assert failure["unexpected"] == 1
    sample = failure["sample"][0]
    assert sample["benefit_id"] == "B01"
    assert sample["share_total"] == pytest.approx(1.4)
    assert sample["_source_file"] == "benefits/attribution_correction.csv"
    # every other blocking check passed: the run was stopped by this one alone
    others = [n for n, c in checks.items() if not c["passed"] and c["blocking"] and c is not check]
    assert others == []
    # the command's own output names the check and the benefit
    line = next(x for x in blocked["output"].splitlines() if x.strip().startswith("[BLOCKING]"))
    assert "gx_ingest_benefits_attribution_shares" in line
    assert "B01" in line and re.search(r"share_total\W+1\.4\b", line)
    # nothing downstream of the blocked source ran: no mart was checked in this run
    assert not any(":gx_mart_" in n for n in checks)
    html = Path(check["details"]["report"]).read_text()
    assert "B01" in html and ">not run<" in html
