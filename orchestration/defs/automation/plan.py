"""What a run of the pipeline has to do, and why: the one decision the CLI, the schedule and the
sensor ask before they start a run, recorded on the run (its tags) and in its report.

- Nothing new (no landing file to read, and the published marts were built from this raw zone and
  this code): only ingest runs; it looks at the landing folder again and finds nothing, or loads
  what came in since (then the next plan asks for the whole pipeline).
- Else the whole pipeline. Its dbt build is a full refresh when the dbt project or the settings
  changed since the last build that succeeded in this home (or there was none): the incremental
  models (latest-wins GL lines and Jira issues) may only be extended by the code that built them.

A run started some other way (the UI) plans its dbt build the same way (`dbt_full_refresh`), and
its ingest step still skips dbt, the checks and publish when the raw zone turns out unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

import dagster as dg

from ingest.runner import files_to_read
from orchestration.defs.ingest.assets import ingest_only_selection
from orchestration.run_state import built_with, code_state, current_state, published_is_current
from orchestration.settings import VroPaths

PLAN_TAG = "vro/plan"
REASON_TAG = "vro/plan_reason"
INGEST_ONLY = "ingest_only"
WHOLE_PIPELINE = "all"


@dataclass(frozen=True)
class Plan:
    ingest_only: bool
    full_refresh: bool
    reason: str

    @property
    def selection(self) -> list[dg.AssetKey] | None:
        """The assets to run: the ingest assets alone, or None for every asset of the job."""
        return ingest_only_selection() if self.ingest_only else None

    @property
    def tags(self) -> dict[str, str]:
        return {PLAN_TAG: INGEST_ONLY if self.ingest_only else WHOLE_PIPELINE, REASON_TAG: self.reason}


def published_is_up_to_date(paths: VroPaths) -> bool:
    """The published marts were built from the raw zone and the code as they are now."""
    return published_is_current(paths, current_state(paths))


def dbt_full_refresh(paths: VroPaths) -> str | None:
    """Why the dbt build must rebuild its incremental models in full, or None when it may extend them."""
    built = built_with(paths.home)
    if built is None:
        return "no dbt build has succeeded in this home yet: incremental models built in full"
    if built != code_state():
        return "dbt project or settings changed since the last build here: incremental models rebuilt in full"
    return None


def plan(paths: VroPaths) -> Plan:
    if not files_to_read(paths.landing, paths.home) and published_is_up_to_date(paths):
        return Plan(ingest_only=True, full_refresh=False, reason="nothing new since the last publish")
    return _whole_pipeline(paths, "new landing files, or the published marts are not current")


def plan_after_ingest(paths: VroPaths, planned: Plan) -> Plan:
    """After an ingest-only run: the same plan while the published marts are current, else (a file
    came in while ingest looked) the whole pipeline."""
    if not planned.ingest_only or published_is_up_to_date(paths):
        return planned
    return _whole_pipeline(paths, "files came in while ingest looked: the published marts are not current")


def _whole_pipeline(paths: VroPaths, reason: str) -> Plan:
    refresh = dbt_full_refresh(paths)
    return Plan(ingest_only=False, full_refresh=refresh is not None, reason=refresh or reason)


def recorded_plan(tags: dict[str, str]) -> dict[str, str] | None:
    """The plan a run was started with (its tags), for the run report; None for a run started
    without one (the UI)."""
    if PLAN_TAG not in tags:
        return None
    return {"selection": tags[PLAN_TAG], "reason": tags.get(REASON_TAG, "")}
