"""The kill sequence of tests/e2e/test_kill.py: `vro run` killed with SIGKILL during ingest, during dbt
and during publish, then a good run, on one home. It runs once per test session; test_gate.py reuses the
good run's home (`shared_e2e_home`), so the whole pipeline runs to completion only twice (kill C
reaches publish, run D)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.defs.publish.publish import PublishedTable, publish
from support.paths import REPO
from support.published_state import published_state, warehouse_marts

RUN_TIMEOUT = 900  # s; a full run takes 1-4 min on a busy 2-core machine


def start_run(landing: Path, home: Path, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("VRO_HOME", "VRO_LANDING", "DAGSTER_HOME")}
    env.update(TQDM_DISABLE="1", DO_NOT_TRACK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    return subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "run", "--landing", str(landing), "--home", str(home)],
        cwd=REPO,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: the kill reaches dbt too
    )


def kill_when(proc: subprocess.Popen, ready, timeout: float, poll: float = 0.02) -> float:
    """SIGKILL the run's process group as soon as ready() is true; returns seconds waited."""
    started = time.monotonic()
    while not ready():
        if proc.poll() is not None:
            raise AssertionError(f"the run ended (exit {proc.returncode}) before the kill point")
        if time.monotonic() - started > timeout:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise AssertionError(f"kill point not reached within {timeout} s")
        time.sleep(poll)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=60)
    return round(time.monotonic() - started, 2)


def _old_published(base: Path, home: Path) -> None:
    """A previously published state: 3 rows of mart_project_evm, published the production way."""
    wh = base / "old_warehouse.duckdb"
    con = duckdb.connect(str(wh))
    con.execute("create schema marts")
    con.execute("create table marts.mart_project_evm as select range as month_no from range(3)")
    con.close()
    publish(wh, home / "published", {"mart_project_evm": PublishedTable("marts")})


def _version_files(home: Path) -> list[Path]:
    return [p for p in (home / "raw").glob("*/*.parquet") if p.name != "_empty.parquet"]


def _build(base: Path) -> dict:
    from ingest.demo.build import write_demo

    landing, home = base / "landing", base / "home"
    summary = write_demo(landing).to_dict()
    _old_published(base, home)
    obs: dict = {
        "landing": str(landing),
        "home": str(home),
        "summary": summary,
        "old": published_state(home),
        "kills": [],
    }

    def kill(phase: str, ready, timeout: float) -> None:
        log = base / f"kill_{phase}.log"
        proc = start_run(landing, home, log)
        waited = kill_when(proc, ready, timeout)
        state = published_state(home)
        entry = {"phase": phase, "seconds": waited, "state": state}
        if state["sha256"] != obs["old"]["sha256"]:  # the rename happened: it must be the whole new file
            entry["warehouse"] = warehouse_marts(home)
        obs["kills"].append(entry)

    kill("ingest", lambda: bool(_version_files(home)), timeout=180)
    # dbt creates the warehouse file when it starts; let it build models for a few seconds.
    wh = home / "warehouse.duckdb"
    dbt_seen: list[float] = []

    def dbt_running() -> bool:
        if wh.exists() and not dbt_seen:
            dbt_seen.append(time.monotonic())
        return bool(dbt_seen) and time.monotonic() - dbt_seen[0] > 5

    kill("dbt", dbt_running, timeout=300)
    kill("publish", lambda: any((home / "published" / "versions").glob(".*.partial")), timeout=RUN_TIMEOUT)

    log = base / "good_run.log"
    proc = start_run(landing, home, log)
    rc = proc.wait(timeout=RUN_TIMEOUT)
    obs["good_run"] = {"exit": rc, "output": log.read_text()[-20000:]}
    obs["final"] = published_state(home)
    obs["final_warehouse"] = warehouse_marts(home)
    return obs


def shared_e2e_home(tmp_path_factory) -> dict:
    """Runs the kill sequence once per test session (cached under the session's base temp folder)."""
    base = tmp_path_factory.getbasetemp() / "vro_e2e"
    marker = base / "observations.json"
    if not marker.exists():
        if base.exists():
            shutil.rmtree(base)
        base.mkdir(parents=True)
        try:
            obs = _build(base)
        except Exception as exc:  # recorded, so the other module does not run it all again
            obs = {"error": f"{type(exc).__name__}: {exc}"}
        marker.write_text(json.dumps(obs, indent=1))
    obs = json.loads(marker.read_text())
    if "error" in obs:
        pytest.fail(f"the e2e kill sequence failed: {obs['error']}")
    return obs
