"""The one set of Dagster definitions behind `dagster dev`, the schedule, the sensor and `vro run`."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import dagster as dg

from ingest.settings import load_settings
from orchestration.dbt_assets import build_dbt_assets, dbt_resource
from orchestration.defs.gate.checks import build_gx_checks, build_publish_asset
from orchestration.defs.gate.suites import CHECK_NAMES
from orchestration.ingest_assets import ingest_accounting, ingest_assets
from orchestration.paths import VroPaths
from orchestration.resources import pipeline_lock
from orchestration.schedules import build_daily_schedule
from orchestration.sensors import build_landing_sensor, build_run_report_sensors

JOB_NAME = "vro_pipeline"


def build_definitions() -> dg.Definitions:
    # dbt runs in a subprocess from the dbt project folder: give it absolute paths.
    paths = VroPaths.from_env()
    os.environ["VRO_HOME"] = str(paths.home)
    os.environ["VRO_LANDING"] = str(paths.landing)
    # The dbt of this virtualenv, whether or not its bin folder is on PATH (e.g. `.venv/bin/vro`).
    venv_bin = str(Path(sys.executable).parent)
    if venv_bin not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = venv_bin + os.pathsep + os.environ.get("PATH", "")

    # The settings in force (vro.yaml), read once here: restart the daemon after changing them.
    settings = load_settings(home=paths.home, check_names=CHECK_NAMES)

    dbt_models = build_dbt_assets(settings)
    mart_keys = [spec.key for spec in dbt_models.specs if spec.group_name == "marts"]
    ingest = [*ingest_assets, ingest_accounting]
    checks = build_gx_checks(
        [key for asset in [*ingest, dbt_models] for key in asset.keys], settings.severity
    )
    publish_asset = build_publish_asset(mart_keys)

    # In-process: one process, so one writer on warehouse.duckdb (dagster issue 18746).
    pipeline_job = dg.define_asset_job(
        JOB_NAME,
        selection=dg.AssetSelection.all(),
        executor_def=dg.in_process_executor,
        description="Ingest every landing source, build and test the dbt models, run the GX gate, publish.",
    )
    return dg.Definitions(
        assets=[*ingest, dbt_models, publish_asset],
        asset_checks=checks,
        jobs=[pipeline_job],
        schedules=[build_daily_schedule(JOB_NAME)],
        sensors=[build_landing_sensor(JOB_NAME), *build_run_report_sensors(JOB_NAME)],
        resources={"dbt": dbt_resource(), "pipeline_lock": pipeline_lock},
        executor=dg.in_process_executor,
    )


defs = build_definitions()
