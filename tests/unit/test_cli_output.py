"""What `vro run` and `vro ingest` print, without a pipeline run: one line per stage with a counter (in
place on a terminal, plain lines elsewhere), failing checks as a short table, and sources nobody
delivered as "not provided" rather than stale. The output of whole runs is in
tests/e2e/test_run_output.py.
"""

from __future__ import annotations

import io
import os
import pty
import re
import subprocess
import time

from support.vro_command import VRO, vro

from ingest.runner import ingest_landing
from orchestration.defs.gate.runner import run_suite
from orchestration.defs.gate.suites import SUITES
from orchestration.progress import StageLines, report
from orchestration.run_report import check_table


def test_freshness_of_a_source_never_delivered_is_not_provided_and_of_an_old_one_stale(tmp_path):
    landing, home = tmp_path / "landing", tmp_path / "home"
    (landing / "registry").mkdir(parents=True)
    # A registry snapshot dated 2020-01-31 by its name; no schedule loaded, so the reference is today.
    (landing / "registry" / "projects_2020-01-31.csv").write_text(
        "project_id,project_name,status\nP1,One,active\n", encoding="utf-8"
    )
    ingest_landing(landing, home, workers=1)
    suites = {s.name: s for s in SUITES}
    jira = run_suite(suites["gx_ingest_jira_freshness"], raw_dir=home / "raw")
    assert (jira.success, jira.not_provided, jira.rows) == (True, True, 0)
    registry = run_suite(suites["gx_ingest_registry_freshness"], raw_dir=home / "raw")
    assert (registry.success, registry.not_provided) == (False, False)
    lag = next(f for f in registry.failures if f.column == "lag_days")
    assert lag.unexpected_count == 1 and lag.sample[0]["latest_on"] == "2020-01-31"


def _feed(lines: StageLines) -> None:
    with lines.listening():
        for source in ("finance", "jira"):
            report("ingest", source, 0, 2)
            report("ingest", source, 1, 2, item=f"{source}/a.csv")
            report("ingest", source, 2, 2)
        report("dbt", "dbt", 0, 3)
        for done in (1, 2, 3):
            report("dbt", "dbt", done, 3, item=f"model_{done}", failed=int(done == 3))
        report("checks", "gx_a", 1, 1, failed=0)
        report("checks", "gx_b", 1, 1, failed=1)
    lines.finish({"publish": "not run: a blocking check failed"})


def test_stage_lines_not_on_a_terminal_are_one_plain_line_per_stage():
    out = io.StringIO()
    _feed(StageLines(out, {"ingest": 2, "dbt": 1, "checks": 3, "publish": 1}, live=False))
    assert out.getvalue().splitlines() == [
        "  ingest     4/4 files parsed",
        "  dbt build  3/3 nodes, 1 failed",
        "  checks     2/3 GX suites, 1 failed",  # the third suite never reported
        "  publish    not run: a blocking check failed",
    ]


def test_stage_lines_on_a_terminal_are_redrawn_in_place():
    out = io.StringIO()
    lines = StageLines(out, {"ingest": 2, "dbt": 1, "checks": 3, "publish": 1}, live=True)
    _feed(lines)
    text = out.getvalue()
    assert "\x1b[2K" in text  # each line cleared before it is rewritten
    *_, final = re.split(r"\x1b\[\d+A\r", text)  # the last redraw: the cursor moved up the block
    assert final.replace("\x1b[2K", "").splitlines() == [
        "  ingest     4/4 files parsed",
        "  dbt build  3/3 nodes, 1 failed",
        "  checks     2/3 GX suites, 1 failed",
        "  publish    not run: a blocking check failed",
    ]


def test_report_without_a_listener_prints_nothing(capfd):
    report("dbt", "dbt", 1, 3)
    assert capfd.readouterr() == ("", "")


def test_vro_ingest_on_a_terminal_updates_its_counter_in_place(tmp_path):
    """`vro ingest` in a pseudo-terminal: the counter is redrawn (cursor up), the accounting follows."""
    landing, home = tmp_path / "landing", tmp_path / "home"
    (landing / "registry").mkdir(parents=True)
    for n in (1, 2):
        (landing / "registry" / f"projects_2026-0{n}-28.csv").write_text(
            f"project_id,project_name,status\nP{n},Project {n},active\n", encoding="utf-8"
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VRO_", "DAGSTER_"))}
    env["TERM"] = "xterm"
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [VRO, "ingest", "--landing", str(landing), "--home", str(home)],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
    )
    os.close(follower)
    chunks = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert proc.wait(timeout=60) == 0
    text = b"".join(chunks).decode()
    assert "\x1b[1A\r\x1b[2K  ingest     2/2 files parsed" in text, text
    assert "projects_2026-02-28.csv" in text  # the accounting table after the counter
    again = vro("ingest", "--landing", landing, "--home", home)  # not a terminal: one plain line
    assert again.returncode == 0 and "\x1b" not in again.stdout and "\r" not in again.stdout
    assert again.stdout.splitlines()[0] == "  ingest     0/0 files parsed, 2 unchanged"


def test_failing_checks_table_fits_120_columns_keeping_the_file_and_the_sample():
    """Checks as the run report records them: a GX suite with a failing row naming its file, a GX
    suite whose sample names no file, a dbt test, a check that passed (not listed)."""
    shares = {
        "name": "raw/benefits_attribution:gx_ingest_benefits_attribution_shares",
        "passed": False,
        "blocking": True,
        "details": {
            "failures": [
                {
                    "expectation": "expect_column_values_to_be_between",
                    "column": "share_total",
                    "unexpected": 1,
                    "sample": [
                        {
                            "_source_file": "benefits/attribution_correction.csv",
                            "benefit_id": "B01",
                            "share_total": 1.4,
                        }
                    ],
                }
            ]
        },
    }
    snapshot = {
        "name": "raw/benefits_attribution:gx_ingest_benefits_benefits_attribution_one_snapshot_per_date",
        "passed": False,
        "blocking": False,
        "details": {
            "failures": [
                {
                    "expectation": "expect_column_values_to_be_between",
                    "column": "versions",
                    "unexpected": 1,
                    "sample": [
                        {"versions": 2, "snapshot_on": "2026-12-02", "raw_table": "benefits_attribution"}
                    ],
                }
            ]
        },
    }
    dbt_test = {
        "name": "fct_jira_issue:not_null_fct_jira_issue_created_at",
        "passed": False,
        "blocking": True,
        "details": {"status": "fail", "dagster_dbt/failed_row_count": 3},
    }
    passed = {
        "name": "mart_value_scorecard:gx_mart_value_scorecard",
        "passed": True,
        "blocking": True,
        "details": {},
    }
    lines = check_table([snapshot, passed, shares, dbt_test])
    assert all(len(line) <= 120 for line in lines), lines
    header, *rows = lines
    assert header.split() == ["level", "check", "file", "or", "model", "rows", "sample"]
    assert [r.split()[:4] for r in rows] == [  # blocking first, then by name
        ["[BLOCKING]", "not_null_fct_jira_issue_created_at", "fct_jira_issue", "3"],
        ["[BLOCKING]", "gx_ingest_benefits_attribution_shares", "attribution_correction.csv", "1"],
        ["[warn]", "gx_ingest_benefits_~_snapshot_per_date", "benefits/", "1"],  # name: start and end
    ]
    assert rows[1].endswith("share_total=1.4 benefit_id=B01")  # the failing column first
    assert rows[2].split()[4] == "versions=2"
    # the columns line up: each row's file starts where the header's does
    files = ("fct_jira_issue", "attribution_correction.csv", "benefits/")
    starts = {r.index(f" {f} ") + 1 for r, f in zip(rows, files, strict=True)}
    assert starts == {header.index("file or model")}
