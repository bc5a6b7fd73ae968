"""What the orchestration reads from its environment, read here and nowhere else.

- Paths: one landing folder and one home folder. Defaults `data/landing` and `data/home` (relative to
  the working directory), overridden by VRO_LANDING and VRO_HOME (the `vro` command sets them from
  its options, so a run and the processes it starts see the same folders).
- Automation: VRO_AUTOMATION=off makes the schedule and the landing sensor start stopped; the daily
  run's cron and time zone come from VRO_SCHEDULE_CRON (default "0 6 * * *") and
  VRO_SCHEDULE_TIMEZONE (default "UTC"); the landing sensor ticks every VRO_SENSOR_INTERVAL_SECONDS
  (default 60). Read when the definitions load: restart the daemon after changing them.
- The value office's settings (vro.yaml) are ingest.settings.load_settings, read once by whoever
  starts the work (the CLI, the definitions).
- DuckDB memory limits: DUCKDB_MEMORY_LIMIT and GX_READ_MEMORY_LIMIT, defined in ingest/settings.py
  (ingest's GL parser uses the first and cannot import orchestration), re-exported here.
- The tools of this virtualenv (dbt, dagster) by absolute path, whether or not its bin folder is on PATH.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ingest.settings import DUCKDB_MEMORY_LIMIT, GX_READ_MEMORY_LIMIT  # noqa: F401 (re-exported)

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"
VENV_BIN = Path(sys.executable).parent
DBT_EXECUTABLE = VENV_BIN / "dbt"

DEFAULT_CRON = "0 6 * * *"
DEFAULT_TIMEZONE = "UTC"
DEFAULT_SENSOR_INTERVAL_SECONDS = 60


class AutomationConfigError(ValueError):
    pass


@dataclass(frozen=True)
class VroPaths:
    landing: Path
    home: Path

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> VroPaths:
        return cls(
            landing=Path(environ.get("VRO_LANDING", "data/landing")).resolve(),
            home=Path(environ.get("VRO_HOME", "data/home")).resolve(),
        )

    def as_env(self) -> dict[str, str]:
        """The variables that name these folders to another process (dbt, dagster dev)."""
        return {"VRO_LANDING": str(self.landing), "VRO_HOME": str(self.home)}

    @property
    def raw(self) -> Path:
        return self.home / "raw"

    @property
    def warehouse(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def published_dir(self) -> Path:
        return self.home / "published"

    @property
    def published_db(self) -> Path:
        return self.published_dir / "vro.duckdb"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"


@dataclass(frozen=True)
class AutomationSettings:
    """When the daemon runs the pipeline by itself: the daily schedule and the landing sensor."""

    enabled: bool = True
    cron: str = DEFAULT_CRON
    timezone: str = DEFAULT_TIMEZONE
    sensor_interval_seconds: int = DEFAULT_SENSOR_INTERVAL_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> AutomationSettings:
        switch = environ.get("VRO_AUTOMATION", "on").strip().lower()
        if switch not in ("on", "off"):
            raise AutomationConfigError(f"VRO_AUTOMATION={switch!r}: expected 'on' or 'off'")
        return cls(
            enabled=switch == "on",
            cron=environ.get("VRO_SCHEDULE_CRON", "").strip() or DEFAULT_CRON,
            timezone=environ.get("VRO_SCHEDULE_TIMEZONE", "").strip() or DEFAULT_TIMEZONE,
            sensor_interval_seconds=_sensor_interval(environ.get("VRO_SENSOR_INTERVAL_SECONDS", "").strip()),
        )


def _sensor_interval(raw: str) -> int:
    if not raw:
        return DEFAULT_SENSOR_INTERVAL_SECONDS
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise AutomationConfigError(
            f"VRO_SENSOR_INTERVAL_SECONDS={raw!r}: expected a whole number of seconds >= 1"
        )
    return value
