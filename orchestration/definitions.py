"""The one set of Dagster definitions behind `dagster dev`, the schedule, the sensor and `vro run`.

Wiring only: the folders and the automation settings come from orchestration/settings.py, the
value office's settings from vro.yaml (ingest/settings.py), each read once when the definitions load
(restart the daemon after changing them); nothing here changes the process's environment.
"""

from __future__ import annotations

import dagster as dg

from ingest.settings import Settings, load_settings
from orchestration.defs.automation.schedules import build_daily_schedule
from orchestration.defs.automation.sensors import build_landing_sensor, build_run_report_sensors
from orchestration.defs.dbt.assets import build_dbt_assets, dbt_resource
from orchestration.defs.gate.checks import build_gx_checks, build_publish_asset
from orchestration.defs.gate.suites import CHECK_NAMES
from orchestration.defs.ingest.assets import ingest_accounting, ingest_assets
from orchestration.resources import PipelineLock
from orchestration.settings import AutomationSettings, VroPaths

JOB_NAME = "vro_pipeline"


def build_definitions(
    paths: VroPaths | None = None,
    settings: Settings | None = None,
    automation: AutomationSettings | None = None,
) -> dg.Definitions:
    """The definitions for these folders and settings (by default: those the environment names)."""
    paths = paths or VroPaths.from_env()
    settings = settings or load_settings(home=paths.home, check_names=CHECK_NAMES)
    automation = automation or AutomationSettings.from_env()

    dbt_models = build_dbt_assets(settings)
    published_keys = [spec.key for spec in dbt_models.specs if spec.group_name in ("core", "marts")]
    ingest = [*ingest_assets, ingest_accounting]
    checks = build_gx_checks(
        [key for asset in [*ingest, dbt_models] for key in asset.keys], settings.severity
    )
    publish_asset = build_publish_asset(published_keys)

    pipeline_job = dg.define_asset_job(
        JOB_NAME,
        selection=dg.AssetSelection.all(),
        description="Ingest every landing source, build and test the dbt models, run the GX gate, publish.",
    )
    return dg.Definitions(
        assets=[*ingest, dbt_models, publish_asset],
        asset_checks=checks,
        jobs=[pipeline_job],
        schedules=[build_daily_schedule(JOB_NAME, automation, paths)],
        sensors=[
            build_landing_sensor(JOB_NAME, automation, paths),
            *build_run_report_sensors(JOB_NAME, paths),
        ],
        resources={"dbt": dbt_resource(), "pipeline_lock": PipelineLock.for_paths(paths)},
        # In-process: one process, so one writer on warehouse.duckdb (dagster issue 18746).
        executor=dg.in_process_executor,
    )


@dg.definitions
def defs() -> dg.Definitions:
    """What `dagster dev -m orchestration.definitions` loads."""
    return build_definitions()
