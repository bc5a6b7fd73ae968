"""The daily run of the whole pipeline, fired by the Dagster daemon.

Cron and time zone: AutomationSettings (VRO_SCHEDULE_CRON, VRO_SCHEDULE_TIMEZONE, read when the
definitions load); with VRO_AUTOMATION=off the schedule starts stopped (turn it on in the UI).
What each run does is the plan's (defs/automation/plan.py): on a quiet day, ingest only.
"""

from __future__ import annotations

import dagster as dg

from orchestration.defs.automation.plan import plan
from orchestration.settings import AutomationConfigError, AutomationSettings, VroPaths

SCHEDULE_NAME = "vro_daily"


def build_daily_schedule(
    job_name: str, automation: AutomationSettings, paths: VroPaths
) -> dg.ScheduleDefinition:
    cron, timezone = automation.cron, automation.timezone
    status = dg.DefaultScheduleStatus.RUNNING if automation.enabled else dg.DefaultScheduleStatus.STOPPED

    def vro_daily(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        # One run per scheduled time: a re-evaluated tick does not launch twice.
        when = context.scheduled_execution_time
        run_key = f"schedule:{when.isoformat()}" if when is not None else None
        # A quiet day: only ingest is planned (it looks at the landing folder again and finds nothing,
        # or loads what came in since; the landing sensor then asks for the full run).
        planned = plan(paths)
        tags = {"vro/trigger": "schedule", **planned.tags}
        return dg.RunRequest(run_key=run_key, tags=tags, asset_selection=planned.selection)

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
