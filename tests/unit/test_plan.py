"""The one decision of what a run does (orchestration/defs/automation/plan.py), on a real home."""

from __future__ import annotations

import shutil

from ingest.runner import ingest_landing
from orchestration.defs.automation.plan import INGEST_ONLY, plan, plan_after_ingest, recorded_plan
from orchestration.run_state import code_state, current_state, record_built_with, record_published_state
from orchestration.settings import VroPaths


def _publish(paths: VroPaths) -> None:
    """What a run that published leaves: the published file and the states it was built from."""
    (paths.home / "dbt").mkdir(parents=True, exist_ok=True)
    paths.published_dir.mkdir(parents=True, exist_ok=True)
    paths.published_db.write_bytes(b"")
    record_built_with(paths.home, code_state())
    record_published_state(paths, current_state(paths))


def test_nothing_new_plans_ingest_only_and_a_new_file_the_whole_pipeline(tmp_path, samples, monkeypatch):
    monkeypatch.delenv("VRO_CONFIG", raising=False)
    monkeypatch.delenv("VRO_INGEST_CONFIG", raising=False)
    monkeypatch.setenv("VRO_HOME", str(tmp_path / "home"))  # code_state reads the settings of this home
    paths = VroPaths(landing=tmp_path / "landing", home=tmp_path / "home")
    (paths.landing / "jira").mkdir(parents=True)
    shutil.copy(samples / "jira" / "cloud_all_fields_sprint_watchers.csv", paths.landing / "jira" / "a.csv")

    first = plan(paths)  # a new home: the whole pipeline, its dbt build in full
    assert (first.ingest_only, first.full_refresh, first.selection) == (False, True, None)
    assert first.reason.startswith("no dbt build has succeeded in this home yet")

    ingest_landing(paths.landing, paths.home)
    _publish(paths)
    quiet = plan(paths)
    assert (quiet.ingest_only, quiet.full_refresh) == (True, False)
    assert quiet.reason == "nothing new since the last publish"
    assert quiet.selection and all(k.path[0] == "raw" for k in quiet.selection)
    assert recorded_plan(quiet.tags) == {"selection": INGEST_ONLY, "reason": quiet.reason}
    assert plan_after_ingest(paths, quiet) == quiet  # ingest found nothing: still quiet

    shutil.copy(
        samples / "jira" / "agile_board_issues_expand_changelog.json", paths.landing / "jira" / "b.json"
    )
    busy = plan(paths)  # same code: the incremental models may be extended
    assert (busy.ingest_only, busy.full_refresh, busy.selection) == (False, False, None)
    ingest_landing(paths.landing, paths.home)  # a file came in while an ingest-only run looked
    after = plan_after_ingest(paths, quiet)
    assert (after.ingest_only, after.full_refresh) == (False, False)
    assert after.reason.startswith("files came in while ingest looked")


def test_changed_code_or_settings_plan_a_full_refresh(tmp_path, monkeypatch):
    monkeypatch.delenv("VRO_CONFIG", raising=False)
    monkeypatch.delenv("VRO_INGEST_CONFIG", raising=False)
    monkeypatch.setenv("VRO_HOME", str(tmp_path / "home"))
    paths = VroPaths(landing=tmp_path / "landing", home=tmp_path / "home")
    paths.landing.mkdir()
    _publish(paths)
    assert plan(paths).ingest_only
    record_built_with(paths.home, "another code state")  # the last build ran other code
    assert plan(paths).ingest_only  # the published marts are current: nothing to build
    (paths.home / "vro.yaml").write_text("discount_rate: 0.035\n")  # a setting the marts read
    changed = plan(paths)
    assert (changed.ingest_only, changed.full_refresh) == (False, True)
    assert changed.reason.startswith("dbt project or settings changed since the last build here")
    assert recorded_plan(changed.tags) == {"selection": "all", "reason": changed.reason}
    assert recorded_plan({}) is None  # a run started from the UI carries no plan
