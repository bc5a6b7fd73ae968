"""reports/last_run.json: what a run read, checked and published, built from Dagster's event log."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import dagster as dg

from ingest.settings import Settings, SettingsError, load_settings
from orchestration.ingest_assets import read_ingest_reports
from orchestration.paths import VroPaths


def stage_of(step_key: str) -> str:
    if step_key.startswith("ingest_"):
        return "ingest"
    if step_key == "publish":
        return "publish"
    if step_key.startswith("vro_dbt_models"):
        return "dbt"
    return "quality"


def settings_report(paths: VroPaths, settings: Settings | None = None) -> dict:
    """The settings in force and where each came from (default, or the file and how it was found).
    `settings`: those the run was started with (`vro run`); else read now from the home."""
    try:
        settings = settings or load_settings(home=paths.home)
    except SettingsError as exc:
        return {"file": None, "error": str(exc), "values": []}
    return {"file": str(settings.file) if settings.file else None, "values": settings.rows()}


def build_run_report(
    instance: dg.DagsterInstance, run_id: str, paths: VroPaths, settings: Settings | None = None
) -> dict:
    run = instance.get_run_by_id(run_id)
    started_at = instance.get_run_stats(run_id).start_time if run else None
    starts: dict[str, float] = {}
    stages: dict[str, float] = defaultdict(float)
    checks: list[dict] = []
    failed_steps: list[dict] = []
    published = False
    accounted = False
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None:
            continue
        kind = event.event_type
        if kind == dg.DagsterEventType.STEP_START:
            starts[event.step_key] = entry.timestamp
        elif kind in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            if event.step_key in starts:
                stages[stage_of(event.step_key)] += entry.timestamp - starts[event.step_key]
            if kind == dg.DagsterEventType.STEP_FAILURE:
                failed_steps.append(
                    {"step": event.step_key, "error": _error_text(event.step_failure_data.error)}
                )
        elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            ev = event.event_specific_data
            metadata = {k: getattr(v, "value", v) for k, v in (ev.metadata or {}).items()}
            checks.append(
                {
                    "name": f"{ev.asset_key.to_user_string()}:{ev.check_name}",
                    "passed": bool(ev.passed),
                    "blocking": ev.blocking
                    if ev.blocking is not None
                    else ev.severity == dg.AssetCheckSeverity.ERROR,
                    "severity": ev.severity.value,
                    "details": _jsonable(metadata),
                }
            )
        elif kind == dg.DagsterEventType.ASSET_MATERIALIZATION:
            if event.asset_key == dg.AssetKey("publish"):
                published = True
            elif event.asset_key == dg.AssetKey("ingest_accounting"):
                accounted = True
    files = read_ingest_reports(paths, since=started_at)
    return {
        "run_id": run_id,
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "landing": str(paths.landing),
        "home": str(paths.home),
        "published": published,
        # nothing new since the last publish: ingest ran, the rest was skipped, the marts are current
        "up_to_date": not published
        and not accounted
        and not failed_steps
        and not any(c["blocking"] and not c["passed"] for c in checks),
        "files": files,
        "checks": checks,
        "failed_steps": failed_steps,
        "stages": {k: round(v, 3) for k, v in stages.items()},
        "settings": settings_report(paths, settings),
    }


def _error_text(error) -> str:
    """The innermost cause's message: what actually went wrong, not Dagster's wrapper."""
    messages = []
    while error is not None:
        messages.append(error.message.strip())
        error = error.cause
    return messages[-1] if messages else ""


def _jsonable(value):
    try:
        json.dumps(value)
        return value
    except TypeError:
        if isinstance(value, dict):
            return {str(k): _jsonable(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [_jsonable(v) for v in value]
        return str(value)


def write_run_report(report: dict, paths: VroPaths) -> Path:
    paths.reports.mkdir(parents=True, exist_ok=True)
    target = paths.reports / "last_run.json"
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(report, indent=1, default=str))
    tmp.replace(target)
    return target
