"""The landing sensor: complete files new or changed since the last ingest start one pipeline run.

Each tick asks ingest which landing files the raw zone does not hold as they are now
(ingest.runner.landing_changes: a listing, a stat per file, the ingest manifest; nothing is hashed).
The home's ingest state is the sensor's memory, so a restart of the UI or the daemon on a home that is
up to date starts no run, and the sensor keeps no cursor of its own. A file is left for a later tick
while it may still be being written: a partial or temporary name (`.part`, `~$...`) or an mtime
younger than IngestSettings.settle_seconds. Hidden names, symlinks out of the folder and files over
the size limit are refused by every run, so they start none; a deletion alone starts none either.

All new or changed complete files of a tick make one run. Its run_key is a hash of those files'
paths, sizes, modification and inode change times: until a run has ingested them every tick asks
for the same key, and Dagster launches a run key once, so a batch starts one run however many ticks
see it (a file that cannot be read, retried by every run, starts no more runs on its own). The
daily schedule runs the pipeline whatever the sensor did.

The tick interval is VRO_SENSOR_INTERVAL_SECONDS (default 60; AutomationSettings). A batch is
always new data, so its run is the whole pipeline; the plan says whether its dbt build is a full
refresh, and why (defs/automation/plan.py).
"""

from __future__ import annotations

import hashlib
import json

import dagster as dg

from ingest.runner import landing_changes
from ingest.settings import IngestSettings
from orchestration.defs.automation.plan import plan
from orchestration.settings import AutomationSettings, VroPaths

SENSOR_NAME = "vro_landing_sensor"


def batch_run_key(batch: dict[str, tuple[int, int, int]]) -> str:
    """The same key for the same files in the same state (path, size, mtime_ns, ctime_ns)."""
    text = json.dumps(sorted([path, *identity] for path, identity in batch.items()), separators=(",", ":"))
    return f"landing:{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def build_landing_sensor(
    job_name: str, automation: AutomationSettings, paths: VroPaths
) -> dg.SensorDefinition:
    status = dg.DefaultSensorStatus.RUNNING if automation.enabled else dg.DefaultSensorStatus.STOPPED

    @dg.sensor(
        name=SENSOR_NAME,
        job_name=job_name,
        minimum_interval_seconds=automation.sensor_interval_seconds,
        default_status=status,
        description=(
            "Starts one run of the whole pipeline when complete files in the landing folder are new or "
            "changed since the last ingest (partial names and files written in the last settle_seconds "
            "wait for a later tick)."
        ),
    )
    def vro_landing_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
        settings = IngestSettings.load(home=paths.home)
        changes = landing_changes(paths.landing, paths.home, settings, settings.settle_seconds)
        notes = []
        waiting = changes.partial + changes.settling
        if waiting:
            notes.append(f"{len(waiting)} still being written ({', '.join(waiting[:5])})")
        if changes.unreadable:
            notes.append(f"{len(changes.unreadable)} unreadable ({', '.join(changes.unreadable[:5])})")
        if not changes.ready:
            reason = f"no complete file in {paths.landing} is new or changed since the last ingest"
            return dg.SensorResult(skip_reason=reason + "".join(f"; {n}" for n in notes))
        names = sorted(changes.ready)
        context.log.info(
            f"landing batch of {len(names)} file(s): {', '.join(names)}" + "".join(f"; {n}" for n in notes)
        )
        request = dg.RunRequest(
            run_key=batch_run_key(changes.ready),
            tags={
                "vro/trigger": "landing_sensor",
                "vro/batch_files": str(len(names)),
                "vro/batch_first": names[0][:200],
                **plan(paths).tags,
            },
        )
        return dg.SensorResult(run_requests=[request])

    return vro_landing_sensor


def build_run_report_sensors(job_name: str, paths: VroPaths) -> list[dg.SensorDefinition]:
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
            _write_report(context, paths)

    @dg.run_failure_sensor(
        name="vro_run_report_on_failure",
        monitor_all_code_locations=False,
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=30,
    )
    def _on_failure(context: dg.RunFailureSensorContext):
        if context.dagster_run.job_name == job_name:
            _write_report(context, paths)

    return [_on_success, _on_failure]


def _write_report(context, paths: VroPaths) -> None:
    from orchestration.run_report import build_run_report, write_run_report

    write_run_report(build_run_report(context.instance, context.dagster_run.run_id, paths), paths)
