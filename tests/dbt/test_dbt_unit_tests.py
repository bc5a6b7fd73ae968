"""dbt's unit tests (the hand-computed EVM / ES, PV spreading, FX, NPV / ROI / payback, latest-wins
cases in the models' YAML) check the SQL, not the data, so the pipeline's `dbt build` leaves them
out and they run here. dbt needs every input model to exist to know its columns: they are built
empty (`dbt run --empty`) over an empty raw zone, so this needs no pipeline run and sits in the fast
selection."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from support.paths import REPO

from ingest.raw_zone import ensure_empty_tables

DBT = str(Path(sys.executable).parent / "dbt")
EXPECTED_UNIT_TESTS = 55


def _dbt(home: Path, target: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "VRO_HOME": str(home), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    return subprocess.run(
        [DBT, *args, "--target-path", str(target), "--log-path", str(target)],
        cwd=REPO / "dbt_project",
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_every_dbt_unit_test_passes(tmp_path):
    home, target = tmp_path / "home", tmp_path / "target"
    ensure_empty_tables(home)
    built = _dbt(home, target, "run", "--empty")
    assert built.returncode == 0, built.stdout[-4000:]
    result = _dbt(home, target, "test", "--select", "test_type:unit")
    assert result.returncode == 0, result.stdout[-4000:]
    results = json.loads((target / "run_results.json").read_text())["results"]
    assert len(results) == EXPECTED_UNIT_TESTS
    assert {r["status"] for r in results} == {"pass"}
    assert all(r["unique_id"].startswith("unit_test.") for r in results)
