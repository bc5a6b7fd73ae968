"""What the published marts were built from, and the raw-suite outcomes reused on the same state."""

from __future__ import annotations

import shutil

from ingest.runner import ingest_landing
from orchestration.defs.gate.report import cached_outcome, record_cached_outcome
from orchestration.defs.gate.runner import CheckOutcome, SuiteOutcome
from orchestration.defs.gate.suites import SUITES
from orchestration.run_state import current_state, published_is_current, record_published_state
from orchestration.settings import VroPaths


def test_state_changes_with_a_new_file_version_and_gates_the_reuse(tmp_path, samples):
    landing, home = tmp_path / "landing", tmp_path / "home"
    (landing / "jira").mkdir(parents=True)
    shutil.copy(samples / "jira" / "cloud_all_fields_sprint_watchers.csv", landing / "jira" / "a.csv")
    ingest_landing(landing, home)
    paths = VroPaths(landing=landing, home=home)
    before = current_state(paths)
    assert current_state(paths) == before  # deterministic

    assert not published_is_current(paths, before)  # nothing published yet
    (home / "published").mkdir()
    (home / "published" / "vro.duckdb").write_bytes(b"")
    record_published_state(paths, before)
    assert published_is_current(paths, before)

    jira_issues, other = (
        next(s for s in SUITES if s.name == n) for n in ("gx_ingest_jira_issues", "gx_ingest_jira_freshness")
    )
    sample = [{"_source_file": "jira/a.csv", "issue_key": None, "story_points": 1.5}]
    outcome = SuiteOutcome(
        jira_issues, False, 3, [CheckOutcome("ExpectColumnValuesToNotBeNull", "issue_key", False, 1, sample)]
    )
    record_cached_outcome(paths, outcome, before)
    assert cached_outcome(paths, jira_issues, before) == outcome  # stored as JSON, read back whole
    assert [p.suffix for p in (home / "reports").rglob("gx_*")] == [".json"]  # JSON only, no pickle
    assert cached_outcome(paths, other, before) is None

    shutil.copy(samples / "jira" / "agile_board_issues_expand_changelog.json", landing / "jira" / "b.json")
    ingest_landing(landing, home)
    after = current_state(paths)
    assert after["raw_state"] != before["raw_state"] and after["code_state"] == before["code_state"]
    assert not published_is_current(paths, after)
    assert cached_outcome(paths, jira_issues, after) is None
