"""The landing sensor: new or changed complete files start one pipeline run per batch.

Each tick lists the landing folder (ingest.landing.list_landing) and compares every file's
(size, mtime_ns) with the sensor cursor, a JSON object {relative path: [size, mtime_ns]} that Dagster
stores with the sensor (so it survives restarts of the daemon). A file is left out of the batch, and
taken at a later tick, while it is still being written: a partial or temporary name (`.part`, `~$...`,
see ingest.landing.is_partial_name) or an mtime younger than IngestSettings.settle_seconds. A hidden
name (a temporary copy; runs refuse it) starts no run.
All new or changed complete files of a tick make one run; its run_key is a hash of the batch and of
the cursor it was compared with, so a re-evaluated tick never launches twice. A deletion alone starts
no run (there is nothing new to ingest); the daily schedule covers anything else.

The tick interval is VRO_SENSOR_INTERVAL_SECONDS (default 60).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass, field

import dagster as dg

from ingest.landing import is_hidden_name, is_partial_name, list_landing
from ingest.settings import IngestSettings
from orchestration.paths import VroPaths
from orchestration.schedules import AutomationConfigError, automation_enabled

SENSOR_NAME = "vro_landing_sensor"
DEFAULT_INTERVAL_SECONDS = 60

Cursor = dict[str, list[int]]


@dataclass
class LandingScan:
    """What one tick saw: the batch to run, the files not ready yet, the cursor to store."""

    batch: Cursor = field(default_factory=dict)  # new or changed complete files
    waiting: list[str] = field(default_factory=list)  # partial names and files written too recently
    unreadable: list[str] = field(default_factory=list)  # e.g. a broken symlink: the run will report it
    cursor: Cursor = field(default_factory=dict)


def parse_cursor(text: str | None) -> Cursor:
    if not text:
        return {}
    data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"landing sensor cursor is not a JSON object: {text[:200]!r}")
    return {str(k): [int(v[0]), int(v[1])] for k, v in data.items()}


def dump_cursor(cursor: Cursor) -> str:
    return json.dumps(cursor, sort_keys=True, separators=(",", ":"))


def scan_landing(paths: VroPaths, previous: Cursor, settle_seconds: float, now_ns: int) -> LandingScan:
    scan = LandingScan()
    settle_ns = int(settle_seconds * 1e9)
    files, _stray = list_landing(paths.landing)  # stray files are reported by the runs, never read
    for file in files:
        rel = file.relative
        if is_hidden_name(file.path.name):  # refused by every run: no reason to start one
            continue
        if is_partial_name(file.path.name):
            scan.waiting.append(rel)
            continue
        try:
            size, mtime_ns = file.stat_key()
        except OSError:
            # A broken symlink or a file removed since the listing: the next run accounts for it.
            scan.unreadable.append(rel)
            continue
        if 0 <= now_ns - mtime_ns < settle_ns:
            scan.waiting.append(rel)
            if rel in previous:  # keep what we knew, so the change is seen once it settles
                scan.cursor[rel] = previous[rel]
            continue
        key = [size, mtime_ns]
        scan.cursor[rel] = key
        if previous.get(rel) != key:
            scan.batch[rel] = key
    return scan


def batch_run_key(previous: Cursor, batch: Cursor) -> str:
    digest = hashlib.sha256(f"{dump_cursor(previous)}\n{dump_cursor(batch)}".encode()).hexdigest()
    return f"landing:{digest[:32]}"


def sensor_interval_seconds() -> int:
    raw = os.environ.get("VRO_SENSOR_INTERVAL_SECONDS", "").strip()
    if not raw:
        return DEFAULT_INTERVAL_SECONDS
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise AutomationConfigError(
            f"VRO_SENSOR_INTERVAL_SECONDS={raw!r}: expected a whole number of seconds >= 1"
        )
    return value


def build_landing_sensor(job_name: str) -> dg.SensorDefinition:
    status = dg.DefaultSensorStatus.RUNNING if automation_enabled() else dg.DefaultSensorStatus.STOPPED

    @dg.sensor(
        name=SENSOR_NAME,
        job_name=job_name,
        minimum_interval_seconds=sensor_interval_seconds(),
        default_status=status,
        description=(
            "Starts one run of the whole pipeline when complete files are new or changed in the landing "
            "folder (partial names and files written in the last settle_seconds wait for a later tick)."
        ),
    )
    def vro_landing_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
        paths = VroPaths.from_env()
        settings = IngestSettings.load()
        previous = parse_cursor(context.cursor)
        scan = scan_landing(paths, previous, settings.settle_seconds, time.time_ns())
        cursor = dump_cursor(scan.cursor)
        notes = []
        if scan.waiting:
            notes.append(f"{len(scan.waiting)} still being written ({', '.join(scan.waiting[:5])})")
        if scan.unreadable:
            notes.append(f"{len(scan.unreadable)} unreadable ({', '.join(scan.unreadable[:5])})")
        if not scan.batch:
            reason = f"no new or changed complete file in {paths.landing}"
            return dg.SensorResult(
                skip_reason=reason + (f"; {'; '.join(notes)}" if notes else ""), cursor=cursor
            )
        names = sorted(scan.batch)
        context.log.info(
            f"landing batch of {len(names)} file(s): {', '.join(names)}" + "".join(f"; {n}" for n in notes)
        )
        request = dg.RunRequest(
            run_key=batch_run_key(previous, scan.batch),
            tags={
                "vro/trigger": "landing_sensor",
                "vro/batch_files": str(len(names)),
                "vro/batch_first": names[0][:200],
            },
        )
        return dg.SensorResult(run_requests=[request], cursor=cursor)

    return vro_landing_sensor


def build_run_report_sensors(job_name: str) -> list[dg.SensorDefinition]:
    """reports/last_run.json for every finished run of the pipeline, whoever started it.

    `vro run` writes the report itself; runs launched by the daemon (schedule, landing sensor, UI)
    get theirs from this sensor, so the dashboard's data-trust page is never a run behind.
    """

    @dg.run_status_sensor(
        name="vro_run_report",
        run_status=dg.DagsterRunStatus.SUCCESS,
        monitor_all_code_locations=False,
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=30,
    )
    def _on_success(context: dg.RunStatusSensorContext):
        if context.dagster_run.job_name == job_name:
            _write_report(context)

    @dg.run_failure_sensor(
        name="vro_run_report_on_failure",
        monitor_all_code_locations=False,
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=30,
    )
    def _on_failure(context: dg.RunFailureSensorContext):
        if context.dagster_run.job_name == job_name:
            _write_report(context)

    return [_on_success, _on_failure]


def _write_report(context) -> None:
    from orchestration.run_report import build_run_report, write_run_report

    paths = VroPaths.from_env()
    write_run_report(build_run_report(context.instance, context.dagster_run.run_id, paths), paths)
