"""The ingest checks of orchestration/defs/gate/suites.py that guard against unreadable and conflicting
files: files_readable (per source, from the run's ingest report) and one_snapshot_per_date."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ingest.runner import ingest_landing, outcomes_to_json
from orchestration.defs.gate.runner import run_suite
from orchestration.defs.gate.suites import SEVERITY, SUITES


def suite(name: str):
    return next(s for s in SUITES if s.name == name)


def ingest(landing: Path, home: Path, source: str) -> None:
    """What the ingest asset of `source` does: ingest, then write the run's report."""
    outcomes = ingest_landing(landing, home, sources=[source])
    report = home / "reports" / "ingest" / f"{source}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps(outcomes_to_json(outcomes)))


def test_files_readable_fails_while_an_unreadable_file_is_in_the_landing_folder(tmp_path):
    landing, home = tmp_path / "landing", tmp_path / "home"
    (landing / "finance").mkdir(parents=True)
    fx = "date,from_currency,to_currency,rate\n2025-01-31,GBP,EUR,1.19\n"
    (landing / "finance" / "fx.csv").write_text(fx)
    readable = suite("gx_ingest_finance_files_readable")
    ingest(landing, home, "finance")
    assert run_suite(readable, raw_dir=home / "raw").success
    # A file rejected whole (no mapping profile, no known shape): the check fails and names it.
    (landing / "finance" / "erp.csv").write_text("Buchungskreis;Betrag\n1000;1,00\n")
    ingest(landing, home, "finance")
    outcome = run_suite(readable, raw_dir=home / "raw")
    assert not outcome.success
    (failure,) = outcome.failures
    assert failure.unexpected_count == 1 and failure.sample[0]["path"] == "finance/erp.csv"
    # Unchanged on the next run: still unreadable, still failing.
    ingest(landing, home, "finance")
    assert not run_suite(readable, raw_dir=home / "raw").success
    # Removed from the landing folder: passes again (the raw zone keeps its record).
    (landing / "finance" / "erp.csv").unlink()
    ingest(landing, home, "finance")
    assert run_suite(readable, raw_dir=home / "raw").success


def test_files_readable_severity_defaults():
    assert not suite("gx_ingest_jira_files_readable").blocking
    assert not suite("gx_ingest_msproject_files_readable").blocking
    for source in ("finance", "benefits", "strategy", "registry"):
        assert suite(f"gx_ingest_{source}_files_readable").blocking
        assert f"gx_ingest_{source}_files_readable" not in SEVERITY  # blocking by default
    assert not suite("gx_ingest_finance_files_readable").cacheable


def test_two_snapshots_of_one_date_are_a_warning_naming_both_files(tmp_path):
    landing, home = tmp_path / "landing", tmp_path / "home"
    (landing / "benefits").mkdir(parents=True)
    header = "benefit_id,project_id,share\n"
    (landing / "benefits" / "attribution_2026-06-30.csv").write_text(header + "B1,P1,0.5\n")
    (landing / "benefits" / "attribution_b_2026-06-30.csv").write_text(header + "B1,P2,0.5\n")
    (landing / "benefits" / "attribution_2026-05-31.csv").write_text(header + "B1,P3,1\n")
    for path in (landing / "benefits").iterdir():
        os.utime(path, (1_700_000_000, 1_700_000_000))
    ingest(landing, home, "benefits")
    check = suite("gx_ingest_benefits_benefits_attribution_one_snapshot_per_date")
    outcome = run_suite(check, raw_dir=home / "raw")
    assert not outcome.success and not check.blocking
    (row,) = outcome.failures[0].sample
    assert row["snapshot_on"] == "2026-06-30"
    assert set(row["files"].split(", ")) == {
        "benefits/attribution_2026-06-30.csv",
        "benefits/attribution_b_2026-06-30.csv",
    }
    # One file for the newest date: fine (an older date may have had two).
    (landing / "benefits" / "attribution_2026-07-31.csv").write_text(header + "B1,P4,1\n")
    ingest(landing, home, "benefits")
    assert run_suite(check, raw_dir=home / "raw").success


def test_created_is_required_only_in_exports_that_have_the_column(tmp_path):
    """gx_ingest_jira_issues: an issue without Created fails in an export that has the column; the
    issues of a minimal export (no Created column at all) pass."""
    import datetime as dt

    from ingest import raw_zone
    from ingest.parsers.common.base import rows_to_table

    home = tmp_path
    raw_zone.ensure_empty_tables(home)

    def write(source_file: str, sha: str, created: list) -> None:
        rows = [
            {"issue_key": f"PAY-{i}", "project_key": "PAY", "created_at": c, "_source_ref": f"row {i + 2}"}
            for i, c in enumerate(created)
        ]
        lineage = raw_zone.lineage_values(source_file, sha, dt.date(2026, 10, 31), dt.datetime(2026, 11, 1))
        raw_zone.write_table(home, "jira_issues", rows_to_table("jira_issues", rows), lineage, sha)

    check = suite("gx_ingest_jira_issues")
    write("jira/minimal.csv", "a" * 64, [None, None])
    assert run_suite(check, raw_dir=home / "raw").success
    write("jira/full.csv", "b" * 64, [dt.datetime(2026, 1, 5, 9), None])
    outcome = run_suite(check, raw_dir=home / "raw")
    assert not outcome.success
    (failure,) = outcome.failures
    assert failure.unexpected_count == 1 and failure.sample[0]["_source_file"] == "jira/full.csv"
