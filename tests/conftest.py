from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# The real export samples live in shared/ beside the clone (CI lays a copy there); VRO_SAMPLES overrides.
SAMPLES = Path(os.environ.get("VRO_SAMPLES", REPO.parent / "shared" / "samples")).resolve()
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="session")
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.fail(f"the shared samples are missing: {SAMPLES}")
    return SAMPLES


@pytest.fixture
def vro_env(tmp_path, monkeypatch):
    """A fresh landing and home folder, exported as VRO_LANDING / VRO_HOME."""
    landing, home = tmp_path / "landing", tmp_path / "home"
    landing.mkdir()
    monkeypatch.setenv("VRO_LANDING", str(landing))
    monkeypatch.setenv("VRO_HOME", str(home))
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    (tmp_path / "dagster").mkdir()
    return landing, home


def pytest_configure(config):
    os.environ.setdefault("TQDM_DISABLE", "1")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
