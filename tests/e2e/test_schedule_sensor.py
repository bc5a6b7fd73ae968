"""The daily schedule, the landing sensor and the per-home run lock (no DuckDB lock errors)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pyarrow.parquet as pq
import pytest
from support.paths import SAMPLES

from ingest.runner import ingest_landing
from orchestration.defs.automation.schedules import AutomationConfigError, build_daily_schedule
from orchestration.defs.automation.sensors import build_landing_sensor
from orchestration.resources import home_lock
from orchestration.settings import AutomationSettings, VroPaths

JIRA_SAMPLES = SAMPLES / "jira"
OLD = time.time() - 3600  # an mtime well past settle_seconds


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """The definitions, built once for the module (the first build may run `dbt parse`)."""
    base = tmp_path_factory.mktemp("defs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VRO_HOME", str(base / "home"))
        mp.setenv("VRO_LANDING", str(base / "landing"))
        mp.delenv("VRO_INGEST_CONFIG", raising=False)
        for name in ("VRO_SCHEDULE_CRON", "VRO_SCHEDULE_TIMEZONE", "VRO_AUTOMATION"):
            mp.delenv(name, raising=False)
        mp.delenv("VRO_SENSOR_INTERVAL_SECONDS", raising=False)
        from orchestration.definitions import JOB_NAME, build_definitions

        defs = build_definitions()
        yield defs, JOB_NAME


@pytest.fixture
def landing(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "landing"
    (root / "jira").mkdir(parents=True)
    (root / "finance").mkdir()
    monkeypatch.setenv("VRO_LANDING", str(root))
    monkeypatch.setenv("VRO_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("VRO_INGEST_CONFIG", raising=False)  # settle_seconds = 2.0
    return root


def landing_sensor() -> dg.SensorDefinition:
    """The landing sensor as the definitions build it, on the folders and settings the environment
    names now (the definitions read them once, when they load)."""
    return build_landing_sensor("vro_pipeline", AutomationSettings.from_env(), VroPaths.from_env())


def put(path: Path, text: str, mtime: float | None = OLD) -> Path:
    path.write_text(text)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


def tick(sensor: dg.SensorDefinition, cursor: str | None) -> dg.SensorResult:
    result = sensor(dg.build_sensor_context(cursor=cursor))
    assert isinstance(result, dg.SensorResult)
    return result


def test_definitions_hold_job_schedule_and_sensor(loaded):
    defs, job_name = loaded
    job = defs.resolve_job_def(job_name)
    assert job.name == "vro_pipeline"
    schedule = defs.resolve_schedule_def("vro_daily")
    assert (schedule.job_name, schedule.cron_schedule, schedule.execution_timezone) == (
        "vro_pipeline",
        "0 6 * * *",
        "UTC",
    )
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    sensor = defs.resolve_sensor_def("vro_landing_sensor")
    assert sensor.job_name == "vro_pipeline"
    assert sensor.minimum_interval_seconds == 60
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_schedule_evaluates_to_a_run_of_the_job(loaded):
    defs, _ = loaded
    schedule = defs.resolve_schedule_def("vro_daily")
    when = dt.datetime(2025, 3, 4, 6, 0, tzinfo=dt.timezone.utc)
    request = schedule(dg.build_schedule_context(scheduled_execution_time=when))
    assert isinstance(request, dg.RunRequest)
    assert request.run_key == "schedule:2025-03-04T06:00:00+00:00"
    assert request.tags["vro/trigger"] == "schedule"
    # Through the tick path the daemon uses: one run request, for the schedule's job.
    data = schedule.evaluate_tick(dg.build_schedule_context(scheduled_execution_time=when))
    assert [r.run_key for r in data.run_requests] == ["schedule:2025-03-04T06:00:00+00:00"]
    assert schedule.job_name == "vro_pipeline"


def test_schedule_cron_and_zone_come_from_env(monkeypatch):
    monkeypatch.setenv("VRO_SCHEDULE_CRON", "30 5 * * 1-5")
    monkeypatch.setenv("VRO_SCHEDULE_TIMEZONE", "Europe/Paris")
    monkeypatch.setenv("VRO_AUTOMATION", "off")
    schedule = build_daily_schedule("vro_pipeline", AutomationSettings.from_env(), VroPaths.from_env())
    assert (schedule.cron_schedule, schedule.execution_timezone) == ("30 5 * * 1-5", "Europe/Paris")
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    monkeypatch.setenv("VRO_SCHEDULE_CRON", "every morning")
    with pytest.raises(AutomationConfigError, match="VRO_SCHEDULE_CRON='every morning'"):
        build_daily_schedule("vro_pipeline", AutomationSettings.from_env(), VroPaths.from_env())
    monkeypatch.setenv("VRO_SCHEDULE_CRON", "0 6 * * *")
    monkeypatch.setenv("VRO_SCHEDULE_TIMEZONE", "Mars/Olympus")
    with pytest.raises(AutomationConfigError, match="Mars/Olympus"):
        build_daily_schedule("vro_pipeline", AutomationSettings.from_env(), VroPaths.from_env())


def test_sensor_interval_from_env(monkeypatch):
    monkeypatch.setenv("VRO_SENSOR_INTERVAL_SECONDS", "15")
    assert landing_sensor().minimum_interval_seconds == 15
    monkeypatch.setenv("VRO_SENSOR_INTERVAL_SECONDS", "0")
    with pytest.raises(AutomationConfigError, match="VRO_SENSOR_INTERVAL_SECONDS='0'"):
        landing_sensor()


def test_three_new_files_make_one_run_until_ingested(landing):
    sensor = landing_sensor()
    put(landing / "jira" / "a.csv", "Summary,Issue key\nx,ABC-1\n")
    put(landing / "jira" / "b.json", '{"issues": []}')
    put(landing / "finance" / "gl.csv", "account,amount\n6100,12.50\n")
    first = tick(sensor, None)
    assert first.skip_reason is None
    assert len(first.run_requests) == 1  # one run per batch, not one per file
    request = first.run_requests[0]
    assert request.tags["vro/batch_files"] == "3"
    assert request.tags["vro/batch_first"] == "finance/gl.csv"
    assert request.tags["vro/trigger"] == "landing_sensor"
    assert request.job_name is None  # the sensor's job: vro_pipeline
    assert request.run_key.startswith("landing:")

    # Until a run has ingested them, every tick asks for the same run_key: Dagster launches it once.
    assert tick(sensor, None).run_requests[0].run_key == request.run_key
    assert tick(sensor, first.cursor).run_requests[0].run_key == request.run_key

    # Once ingested, nothing is new; a file rejected whole (a.csv and gl.csv match no export format)
    # counts as ingested too: the next file, not the next tick, makes the next run.
    outcomes = {o.path: o.status for o in ingest_landing(landing, landing.parent / "home")}
    assert outcomes == {"jira/a.csv": "rejected", "jira/b.json": "loaded", "finance/gl.csv": "rejected"}
    again = tick(sensor, None)
    assert again.run_requests in (None, [])
    assert "is new or changed since the last ingest" in again.skip_reason.skip_message


def test_partial_and_young_files_wait(landing):
    sensor = landing_sensor()
    put(landing / "jira" / "export.csv.part", "Summary\n")
    put(landing / "finance" / "~$budget.xlsx", "lock")
    young = put(landing / "jira" / "writing.csv", "Summary,Issue key\n", mtime=None)  # mtime = now
    result = tick(sensor, None)
    assert result.run_requests in (None, [])
    message = result.skip_reason.skip_message
    assert "3 still being written" in message and "jira/writing.csv" in message

    # Once it has settled (mtime older than settle_seconds) it is picked up, alone.
    os.utime(young, (OLD, OLD))
    later = tick(sensor, result.cursor)
    assert [(r.tags["vro/batch_files"], r.tags["vro/batch_first"]) for r in later.run_requests] == [
        ("1", "jira/writing.csv")
    ]


def test_changed_file_starts_a_run_of_just_that_file(landing):
    sensor = landing_sensor()
    put(landing / "jira" / "a.csv", "Summary,Issue key\nx,ABC-1\n")
    gl = put(landing / "finance" / "gl.csv", "account,amount\n6100,12.50\n")
    first = tick(sensor, None).run_requests[0]
    ingest_landing(landing, landing.parent / "home")
    put(gl, "account,amount\n6100,12.50\n6200,3.00\n", mtime=OLD + 60)
    second = tick(sensor, None)
    assert len(second.run_requests) == 1
    assert second.run_requests[0].tags["vro/batch_files"] == "1"
    assert second.run_requests[0].tags["vro/batch_first"] == "finance/gl.csv"
    assert second.run_requests[0].run_key != first.run_key

    # Written again before a run took it: a new state of the file, so a new run_key.
    put(gl, "account,amount\n6100,12.50\n6200,3.50\n", mtime=OLD + 120)
    third = tick(sensor, None)
    assert third.run_requests[0].tags["vro/batch_first"] == "finance/gl.csv"
    assert third.run_requests[0].run_key not in (first.run_key, second.run_requests[0].run_key)


def test_a_restart_on_an_ingested_home_starts_no_run(landing):
    """The UI or the daemon starts again (no cursor, or one an older version stored): the home's ingest
    state says nothing is new, so no run; a deletion starts none either."""
    put(landing / "jira" / "a.csv", "Summary,Issue key\nx,ABC-1\n")
    put(landing / "jira" / "b.csv", "Summary,Issue key\ny,ABC-2\n")
    ingest_landing(landing, landing.parent / "home")
    restarted = landing_sensor()
    assert tick(restarted, None).skip_reason is not None
    assert tick(restarted, '{"jira/a.csv":[1,2]}').skip_reason is not None  # an old cursor is ignored
    (landing / "jira" / "b.csv").unlink()
    assert tick(restarted, None).skip_reason is not None


def _wait_for(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for {what}")
        time.sleep(0.1)


def test_two_runs_at_once_on_one_home_wait_for_each_other(tmp_path):
    """Two `vro ingest` processes fire together on the same home: both succeed, one after the other."""
    landing, home = tmp_path / "landing", tmp_path / "home"
    (landing / "jira").mkdir(parents=True)
    names = sorted(p.name for p in JIRA_SAMPLES.iterdir())
    for name in names:
        shutil.copy(JIRA_SAMPLES / name, landing / "jira" / name)
    assert len(names) == 3
    vro = Path(sys.executable).parent / "vro"
    env = {k: v for k, v in os.environ.items() if k != "VRO_INGEST_CONFIG"}
    procs = []
    # The test holds the home lock while both start, so they really are in flight together.
    with home_lock(home, wait_seconds=5):
        for i in range(2):
            out, err = (tmp_path / f"out{i}").open("w"), (tmp_path / f"err{i}").open("w")
            cmd = [str(vro), "ingest", "--landing", str(landing), "--home", str(home)]
            procs.append((subprocess.Popen(cmd, stdout=out, stderr=err, env=env), out, err))
        _wait_for(
            lambda: all("another run holds" in (tmp_path / f"err{i}").read_text() for i in range(2)),
            60,
            "both processes to report that they wait for the lock",
        )
    outputs = []
    for i, (proc, out, err) in enumerate(procs):
        assert proc.wait(timeout=120) == 0, (tmp_path / f"err{i}").read_text()
        out.close()
        err.close()
        outputs.append((tmp_path / f"out{i}").read_text() + (tmp_path / f"err{i}").read_text())
    for text in outputs:
        # DuckDB's "Could not set lock on file", or any other failure, would show here.
        assert "Could not set lock" not in text and "Error" not in text and "Traceback" not in text
    statuses = sorted(
        tuple(sorted(line.split()[2] for line in text.splitlines() if line.startswith("jira/")))
        for text in outputs
    )
    # One took the lock first and loaded the three files; the other waited, then found them done.
    assert statuses == [("loaded",) * 3, ("unchanged",) * 3]
    manifest = pq.read_table(home / "raw" / "ingest_manifest").to_pylist()
    assert len(manifest) == 3
    assert len({row["_file_sha256"] for row in manifest}) == 3
    assert sorted(row["_source_file"] for row in manifest) == [f"jira/{n}" for n in names]
    assert sorted(row["rows_read"] for row in manifest) == [4, 15, 22]


def _stand_in_pipeline(fail: bool):
    """The pipeline's job name and step names (ingest, publish), with trivial bodies: the sensors and
    the report read only the event log, which these produce as the real steps do."""
    import dagster as dg

    from orchestration.definitions import JOB_NAME

    @dg.asset(name="ingest_finance")
    def ingest_finance():
        if fail:
            raise ValueError("finance/gl_actuals.csv: the file cannot be read")
        return 1

    @dg.asset(name="publish", deps=[ingest_finance])
    def publish():
        return 1

    defs = dg.Definitions(assets=[ingest_finance, publish], jobs=[dg.define_asset_job(JOB_NAME)])
    return defs.resolve_job_def(JOB_NAME)


def test_run_report_sensors_write_last_run_json_for_daemon_runs(tmp_path, monkeypatch):
    """Runs the daemon launched (not `vro run`) still leave reports/last_run.json behind: the success
    sensor for a published run, the failure sensor for a run whose ingest step failed."""
    import dagster as dg

    from orchestration.definitions import JOB_NAME
    from orchestration.defs.automation.sensors import build_run_report_sensors

    monkeypatch.setenv("VRO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VRO_LANDING", str(tmp_path / "landing"))
    on_success, on_failure = build_run_report_sensors(JOB_NAME, VroPaths.from_env())
    report_path = tmp_path / "home" / "reports" / "last_run.json"
    with dg.DagsterInstance.ephemeral() as instance:
        good = _stand_in_pipeline(fail=False).execute_in_process(instance=instance)
        on_success(
            dg.build_run_status_sensor_context(
                sensor_name=on_success.name,
                dagster_event=good.get_run_success_event(),
                dagster_instance=instance,
                dagster_run=good.dagster_run,
            )
        )
        report = json.loads(report_path.read_text())
        assert report["run_id"] == good.run_id
        assert (report["published"], report["failed_steps"]) == (True, [])
        assert set(report["stages"]) == {"ingest", "publish"}  # both steps, timed from the event log

        bad = _stand_in_pipeline(fail=True).execute_in_process(instance=instance, raise_on_error=False)
        assert not bad.success
        failure_event = next(e for e in bad.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE)
        on_failure(
            dg.build_run_status_sensor_context(
                sensor_name=on_failure.name,
                dagster_event=failure_event,
                dagster_instance=instance,
                dagster_run=bad.dagster_run,
            ).for_run_failure()
        )
        report = json.loads(report_path.read_text())
    assert report["run_id"] == bad.run_id
    assert report["published"] is False and report["up_to_date"] is False
    assert report["failed_steps"] == [
        {"step": "ingest_finance", "error": "ValueError: finance/gl_actuals.csv: the file cannot be read"}
    ]
