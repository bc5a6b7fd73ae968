"""What `vro run` and `vro ingest` print: one line per stage with a counter (in place on a terminal,
plain lines elsewhere), dbt's node lines in a log file under the home unless `-v`, failing checks as
a short table, and sources nobody delivered as "not provided" rather than stale.

The default output is the session's demo run (`demo_run`, not a TTY: captured by subprocess); the
other runs work on copies of its landing folder.
"""

from __future__ import annotations

import io
import json
import os
import pty
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from conftest import VRO, vro

from ingest.runner import ingest_landing
from orchestration.defs.gate.runner import run_suite
from orchestration.defs.gate.suites import SUITES
from orchestration.progress import StageLines, report
from orchestration.run_report import check_table

DBT_NODE_LINE = re.compile(r"^\d+ of \d+ (START|OK|PASS|WARN|FAIL|ERROR|SKIP)\b", re.MULTILINE)
STAGE_LINE = re.compile(r"^  (ingest|dbt build|checks|publish) +(.*)$", re.MULTILINE)
NEW = ("loaded", "partial", "rejected", "failed")


def _log_named_in(stdout: str) -> Path:
    match = re.search(r"^Log: +(\S+\.log)", stdout, re.MULTILINE)
    assert match, stdout
    return Path(match.group(1))


@pytest.mark.e2e
def test_default_run_output_is_one_screen_a_line_per_stage_and_names_the_log(demo_run):
    out = demo_run.run.stdout
    lines = out.splitlines()
    assert len(lines) <= 40, out
    assert max(len(line) for line in lines) <= 120, out
    assert "\r" not in out and "\x1b" not in out  # not a terminal: plain lines
    assert not DBT_NODE_LINE.search(out), out
    assert "{" not in out and "}" not in out  # no JSON
    stages = dict(STAGE_LINE.findall(out))
    assert list(stages) == ["ingest", "dbt build", "checks", "publish"], out
    # Each counter against an independent count: the run report's files and checks, dbt's own total.
    report_ = json.loads((demo_run.home / "reports" / "last_run.json").read_text())
    parsed = sum(f["status"] in NEW for f in report_["files"])
    assert parsed == len([p for p in demo_run.landing.rglob("*") if p.is_file()])  # the demo: all new
    assert stages["ingest"] == f"{parsed}/{parsed} files parsed"
    gx = sum(":gx_" in c["name"] for c in report_["checks"])
    assert stages["checks"] == f"{gx}/{gx} GX suites"
    published = json.loads((demo_run.home / "reports" / "last_publish.json").read_text())["tables"]
    assert stages["publish"] == f"done, {sum(t.startswith('mart_') for t in published)} marts"
    log = _log_named_in(out)
    assert log.parent == demo_run.home / "logs" and log.is_file()
    text = log.read_text()
    total = int(re.search(r"^Done\. PASS=\d+ .*TOTAL=(\d+)", text, re.MULTILINE).group(1))
    assert stages["dbt build"] == f"{total}/{total} nodes"
    assert len(DBT_NODE_LINE.findall(text)) >= 2 * total  # a START and a result line per node
    assert "OK created sql table model main.mart_value_scorecard" in text


@pytest.mark.e2e
def test_a_run_without_jira_benefits_or_strategy_says_not_provided_and_tables_the_failing_check(
    demo_run, tmp_path
):
    """Three sources never delivered, and a finance file no profile reads (its files_readable check
    blocks): the sources are "not provided", not stale; the check is one row of the table."""
    landing, home = tmp_path / "landing", tmp_path / "home"
    shutil.copytree(demo_run.landing, landing)
    for source in ("jira", "benefits", "strategy"):
        shutil.rmtree(landing / source)
    (landing / "finance" / "gl_export_unknown_erp.csv").write_text(
        "Buchungskreis;Betrag;Waehrung\n1000;12,50;EUR\n1000;7,10;EUR\n", encoding="utf-8"
    )
    run = vro("run", "--landing", landing, "--home", home)
    out = run.stdout
    assert run.returncode == 1, out[-3000:] + run.stderr[-3000:]
    assert "Traceback" not in run.stderr
    assert "{" not in out and "}" not in out and "freshness" not in out  # no JSON, no stale warning
    assert re.search(r"^Not provided .*: benefits, jira, strategy$", out, re.MULTILINE), out
    header = next(line for line in out.splitlines() if line.split()[:2] == ["level", "check"])
    assert header.split() == ["level", "check", "file", "or", "model", "rows", "sample"]
    row = next(line for line in out.splitlines() if line.strip().startswith("[BLOCKING]"))
    assert row.split()[1:4] == ["gx_ingest_finance_files_readable", "finance/gl_export_unknown_erp.csv", "1"]
    assert "status=rejected" in row
    assert len(header) <= 120 and len(row) <= 120
    stages = dict(STAGE_LINE.findall(out))
    assert stages["publish"] == "not run: a blocking check failed" and stages["dbt build"] == "not run"
    report_ = json.loads((home / "reports" / "last_run.json").read_text())
    assert report_["not_provided"] == ["benefits", "jira", "strategy"]
    fresh = {c["name"].split(":")[1]: c for c in report_["checks"] if c["name"].endswith("_freshness")}
    assert {n for n, c in fresh.items() if c["details"]["not_provided"]} == {
        "gx_ingest_jira_freshness",
        "gx_ingest_benefits_freshness",
        "gx_ingest_strategy_freshness",
    }
    assert all(c["passed"] for c in fresh.values())


@pytest.mark.e2e
def test_verbose_run_streams_dbt_node_lines_and_tables_a_warning(demo_run, tmp_path):
    """`-v` on a copy of the demo with a broken Jira page (rejected whole: a warning, so dbt runs)."""
    landing, home = tmp_path / "landing", tmp_path / "home"
    shutil.copytree(demo_run.landing, landing, copy_function=shutil.copy2)
    shutil.copytree(demo_run.home, home, symlinks=True, ignore=shutil.ignore_patterns("dagster", "logs"))
    (landing / "jira" / "search_jql_page_9.json").write_text('{"issues": [', encoding="utf-8")
    run = vro("run", "-v", "--landing", landing, "--home", home)
    out = run.stdout
    assert run.returncode == 0, out[-3000:] + run.stderr[-3000:]
    assert len(DBT_NODE_LINE.findall(out)) > 100
    assert "Log:" not in out and not (home / "logs").exists()  # streamed, not logged
    row = next(line for line in out.splitlines() if line.strip().startswith("[warn]"))
    assert row.split()[1:4] == ["gx_ingest_jira_files_readable", "jira/search_jql_page_9.json", "1"]


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
        "name": "ingest_benefits:gx_ingest_benefits_attribution_shares",
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
        "name": "ingest_benefits:gx_ingest_benefits_benefits_attribution_one_snapshot_per_date",
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
