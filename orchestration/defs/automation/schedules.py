"""The daily run of the whole pipeline, fired by the Dagster daemon.

Cron and time zone come from VRO_SCHEDULE_CRON (default "0 6 * * *") and VRO_SCHEDULE_TIMEZONE
(default "UTC"), read when the definitions load (restart the daemon after changing them).
VRO_AUTOMATION=off makes the schedule and the landing sensor start stopped (turn them on in the UI).
"""

from __future__ import annotations

import os

import dagster as dg

from orchestration.ingest_assets import ingest_only_selection
from orchestration.run_state import nothing_new
from orchestration.settings import VroPaths

DEFAULT_CRON = "0 6 * * *"
DEFAULT_TIMEZONE = "UTC"
SCHEDULE_NAME = "vro_daily"


class AutomationConfigError(ValueError):
    pass


def automation_enabled() -> bool:
    """True unless VRO_AUTOMATION is "off": unattended means the daemon fires without a click."""
    value = os.environ.get("VRO_AUTOMATION", "on").strip().lower()
    if value not in ("on", "off"):
        raise AutomationConfigError(f"VRO_AUTOMATION={value!r}: expected 'on' or 'off'")
    return value == "on"


def schedule_settings() -> tuple[str, str]:
    """(cron, time zone) from the environment."""
    cron = os.environ.get("VRO_SCHEDULE_CRON", "").strip() or DEFAULT_CRON
    timezone = os.environ.get("VRO_SCHEDULE_TIMEZONE", "").strip() or DEFAULT_TIMEZONE
    return cron, timezone


def build_daily_schedule(job_name: str) -> dg.ScheduleDefinition:
    cron, timezone = schedule_settings()
    status = dg.DefaultScheduleStatus.RUNNING if automation_enabled() else dg.DefaultScheduleStatus.STOPPED

    def vro_daily(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        # One run per scheduled time: a re-evaluated tick does not launch twice.
        when = context.scheduled_execution_time
        run_key = f"schedule:{when.isoformat()}" if when is not None else None
        # A quiet day: only ingest is planned (it looks at the landing folder again and finds nothing,
        # or loads what came in since; the landing sensor then asks for the full run).
        selection = ingest_only_selection() if nothing_new(VroPaths.from_env()) else None
        return dg.RunRequest(run_key=run_key, tags={"vro/trigger": "schedule"}, asset_selection=selection)

    try:  # a typo must fail at load with the variable's name, not leave a schedule that never fires
        return dg.schedule(
            name=SCHEDULE_NAME,
            job_name=job_name,
            cron_schedule=cron,
            execution_timezone=timezone,
            default_status=status,
            description=f"The whole pipeline ({job_name}) at '{cron}' ({timezone}); "
            "VRO_SCHEDULE_CRON / VRO_SCHEDULE_TIMEZONE change it.",
        )(vro_daily)
    except dg.DagsterInvalidDefinitionError as exc:
        raise AutomationConfigError(
            f"VRO_SCHEDULE_CRON={cron!r}, VRO_SCHEDULE_TIMEZONE={timezone!r}: not a valid cron expression "
            f"and IANA time zone (e.g. '0 6 * * *', 'Europe/Paris'): {exc}"
        ) from None
