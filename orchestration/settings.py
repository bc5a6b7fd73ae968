"""Where the pipeline reads and writes: one landing folder and one home folder.

Defaults `data/landing` and `data/home` (relative to the working directory), overridden by the
environment variables VRO_LANDING and VRO_HOME (the `vro` command sets them from its options).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


@dataclass(frozen=True)
class VroPaths:
    landing: Path
    home: Path

    @classmethod
    def from_env(cls) -> VroPaths:
        return cls(
            landing=Path(os.environ.get("VRO_LANDING", "data/landing")).resolve(),
            home=Path(os.environ.get("VRO_HOME", "data/home")).resolve(),
        )

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
    def published_parquet(self) -> Path:
        return self.published_dir / "parquet"

    @property
    def reports(self) -> Path:
        return self.home / "reports"

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"
