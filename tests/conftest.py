from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _samples_folder() -> Path:
    """The real export samples (Jira, MS Project, ECB): VRO_SAMPLES when set, else `shared/samples`
    beside this checkout (CI lays a copy there), else beside the local repository this one was cloned
    from (a throw-away clone in a temporary folder)."""
    if os.environ.get("VRO_SAMPLES"):
        return Path(os.environ["VRO_SAMPLES"]).resolve()
    beside = REPO.parent / "shared" / "samples"
    if beside.is_dir():
        return beside.resolve()
    origin = subprocess.run(
        ["git", "-C", str(REPO), "remote", "get-url", "origin"], capture_output=True, text=True
    ).stdout.strip()
    if origin and Path(origin).is_dir():
        cloned_from = Path(origin).resolve().parent / "shared" / "samples"
        if cloned_from.is_dir():
            return cloned_from
    return beside


SAMPLES = _samples_folder()
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


VRO = str(Path(sys.executable).parent / "vro")


def vro(*args, timeout: int = 900) -> subprocess.CompletedProcess:
    """The `vro` command in its own process, with no VRO_/DAGSTER_ variables leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VRO_", "DAGSTER_"))}
    env.update(TQDM_DISABLE="1", DO_NOT_TRACK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    return subprocess.run([VRO, *map(str, args)], capture_output=True, text=True, env=env, timeout=timeout)


@dataclass(frozen=True)
class DemoRun:
    landing: Path
    home: Path
    summary: dict  # what `vro demo` says it wrote
    run: subprocess.CompletedProcess  # the first `vro run` on it


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory) -> DemoRun:
    """One real `vro demo` + `vro run` for the whole test session (the pipeline's slowest step).

    Tests that change the landing or home folder copy them first (`copy_home`).
    """
    root = tmp_path_factory.mktemp("demo_run")
    landing, home = root / "landing", root / "home"
    demo = vro("demo", "--landing", landing)
    assert demo.returncode == 0, demo.stderr
    summary = json.loads(demo.stdout[demo.stdout.index("{") :])
    run = vro("run", "--landing", landing, "--home", home)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]
    return DemoRun(landing, home, summary, run)


def copy_home(demo: DemoRun, target: Path, parts: tuple[str, ...] = ("published", "reports")) -> Path:
    """A private copy of parts of the demo run's home (symlinks kept, e.g. published/parquet)."""
    home = target / "home"
    for part in parts:
        shutil.copytree(demo.home / part, home / part, symlinks=True)
    return home


def check_parse_result(result) -> None:
    """A parser's result keeps the accounting rule and gives every table its raw schema + _source_ref."""
    import pyarrow as pa

    from ingest.contract import RAW_TABLES

    assert result.rows_read == result.rows_loaded + result.rows_rejected
    for name, table in result.tables.items():
        assert table.schema == RAW_TABLES[name].append(pa.field("_source_ref", pa.string()))


def check_writes_into_raw_zone(result, home: Path, source_file: str, sha: str, as_of, ingested_at) -> None:
    """Every table of a parser's result goes into the raw zone whole (one file version, lineage given)."""
    from ingest.raw_zone import lineage_values, write_table

    lineage = lineage_values(source_file, sha, as_of, ingested_at)
    for name, table in result.tables.items():
        assert write_table(home, name, table, lineage, sha) == table.num_rows
