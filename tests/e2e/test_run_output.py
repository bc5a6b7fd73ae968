"""What `vro run` prints: one line per stage, dbt's node lines in a log file under the home unless `-v`,
failing checks as a short table, and sources nobody delivered as "not provided".

The default output is the session's demo run (`demo_run`, not a TTY: captured by subprocess); the
other runs work on copies of its landing folder.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from support.vro_command import vro

DBT_NODE_LINE = re.compile(r"^\d+ of \d+ (START|OK|PASS|WARN|FAIL|ERROR|SKIP)\b", re.MULTILINE)
STAGE_LINE = re.compile(r"^  (ingest|dbt build|checks|publish) +(.*)$", re.MULTILINE)
NEW = ("loaded", "partial", "rejected", "failed")


def _log_named_in(stdout: str) -> Path:
    match = re.search(r"^Log: +(\S+\.log)", stdout, re.MULTILINE)
    assert match, stdout
    return Path(match.group(1))


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
    assert "OK created sql table model marts.mart_value_scorecard" in text  # dbt logs the schema


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
