"""dbt's unit tests (the hand-computed EVM / ES, PV spreading, FX, NPV / ROI / payback, latest-wins
cases in the models' YAML) check the SQL, not the data, so the pipeline's `dbt build` leaves them
out and they run here, against a copy of the demo run's warehouse (dbt needs the input models to
exist to know their columns)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, copy_home

pytestmark = pytest.mark.e2e
DBT = str(Path(sys.executable).parent / "dbt")
EXPECTED_UNIT_TESTS = 18


def test_every_dbt_unit_test_passes(demo_run, tmp_path):
    home = copy_home(demo_run, tmp_path, parts=("raw",))
    (home / "warehouse.duckdb").write_bytes((demo_run.home / "warehouse.duckdb").read_bytes())
    target = tmp_path / "target"
    env = {**os.environ, "VRO_HOME": str(home), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    args = ["test", "--select", "test_type:unit", "--target-path", str(target), "--log-path", str(tmp_path)]
    result = subprocess.run(
        [DBT, *args],
        cwd=REPO / "dbt_project",
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    results = json.loads((target / "run_results.json").read_text())["results"]
    assert len(results) == EXPECTED_UNIT_TESTS
    assert {r["status"] for r in results} == {"pass"}
    assert all(r["unique_id"].startswith("unit_test.") for r in results)
