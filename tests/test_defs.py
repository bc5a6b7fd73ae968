"""The Dagster definitions as text: every asset (group, owners, upstream assets), check, job, schedule,
sensor and resource, compared with tests/fixtures/defs_snapshot.txt.

A change of the wiring shows here as a diff to read. When the change is meant, refresh the snapshot
with one command and commit it with the change:

    VRO_UPDATE_DEFS_SNAPSHOT=1 .venv/bin/pytest tests/test_defs.py
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import dagster as dg
import pytest

SNAPSHOT = Path(__file__).resolve().parent / "fixtures" / "defs_snapshot.txt"
REFRESH = "VRO_UPDATE_DEFS_SNAPSHOT=1 .venv/bin/pytest tests/test_defs.py"


def _keys(keys) -> str:
    return ", ".join(sorted(k.to_user_string() for k in keys)) or "-"


def describe(defs: dg.Definitions) -> list[str]:
    """One sorted line per definition; nothing that depends on the machine or the home folder."""
    graph = defs.resolve_asset_graph()
    lines = []
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        kind = "asset" if node.is_materializable else "source"
        owners = ",".join(sorted(node.owners)) or "-"
        lines.append(
            f"{kind} {key.to_user_string()} group={node.group_name} owners={owners} "
            f"deps=[{_keys(node.parent_keys)}]"
        )
    for check_key in graph.asset_check_keys:
        blocking = graph.get_check_spec(check_key).blocking
        lines.append(f"check {check_key.asset_key.to_user_string()}:{check_key.name} blocking={blocking}")
    for job in defs.resolve_all_job_defs():
        if not job.name.startswith("__"):  # Dagster's implicit job of all assets
            lines.append(f"job {job.name} executor={job.executor_def.name}")
    for schedule in defs.schedules or []:
        lines.append(
            f"schedule {schedule.name} job={schedule.job_name} cron={schedule.cron_schedule} "
            f"timezone={schedule.execution_timezone} status={schedule.default_status.value}"
        )
    for sensor in defs.sensors or []:
        lines.append(
            f"sensor {sensor.name} interval={sensor.minimum_interval_seconds} "
            f"status={sensor.default_status.value}"
        )
    for name, resource in sorted((defs.resources or {}).items()):
        lines.append(f"resource {name} {type(resource).__name__}")
    lines.append(f"executor {defs.executor.name if defs.executor else '-'}")
    return sorted(lines)


@pytest.fixture(scope="module")
def defs(tmp_path_factory) -> dg.Definitions:
    base = tmp_path_factory.mktemp("defs")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VRO_HOME", str(base / "home"))
        mp.setenv("VRO_LANDING", str(base / "landing"))
        for name in ("VRO_CONFIG", "VRO_INGEST_CONFIG", "VRO_AUTOMATION", "VRO_SCHEDULE_CRON"):
            mp.delenv(name, raising=False)
        for name in ("VRO_SCHEDULE_TIMEZONE", "VRO_SENSOR_INTERVAL_SECONDS"):
            mp.delenv(name, raising=False)
        from orchestration.definitions import build_definitions

        yield build_definitions()


def test_the_definitions_are_those_of_the_snapshot(defs):
    lines = describe(defs)
    text = "\n".join(lines) + "\n"
    if os.environ.get("VRO_UPDATE_DEFS_SNAPSHOT") == "1":
        SNAPSHOT.write_text(text)
    expected = SNAPSHOT.read_text() if SNAPSHOT.exists() else ""
    diff = list(difflib.unified_diff(expected.splitlines(), lines, "snapshot", "definitions", lineterm=""))
    assert not diff, (
        f"The Dagster definitions differ from {SNAPSHOT.name} ({len(diff)} diff lines below). If the "
        f"change is meant, refresh the snapshot with `{REFRESH}` and commit it.\n" + "\n".join(diff[:80])
    )
