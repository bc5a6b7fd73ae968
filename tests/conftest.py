from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from support.demo_run import DemoRun
from support.paths import SAMPLES
from support.vro_command import vro

TESTS = Path(__file__).resolve().parent


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


def pytest_collection_modifyitems(items):
    """The markers, in this one place: `e2e` for every test under e2e/ and every test that needs the
    session's demo run (the whole pipeline), `browser` for every test under browser/."""
    for item in items:
        folder = item.path.relative_to(TESTS).parts[0] if item.path.is_relative_to(TESTS) else None
        if folder == "e2e" or "demo_run" in item.fixturenames:
            item.add_marker(pytest.mark.e2e)
        if folder == "browser":
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> DemoRun:
    """One real `vro demo` + `vro run` for the whole test session (the pipeline's slowest step).

    Tests that change the landing or home folder copy them first (`support.demo_run.copy_home`).
    """
    root = tmp_path_factory.mktemp("demo_run")
    landing, home = root / "landing", root / "home"
    demo = vro("demo", "--landing", landing)
    assert demo.returncode == 0, demo.stderr
    summary = json.loads(demo.stdout[demo.stdout.index("{") :])
    run = vro("run", "--landing", landing, "--home", home)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    return DemoRun(landing, home, summary, run)
