"""`vro ui` starts quietly and stops whole: on a home that has ingested the demo landing folder the
landing sensor requests no run, a new file requests one (once), and SIGTERM ends `vro ui` and every
process it started within seconds. Plus the supervisor (orchestration/ui.py) on stand-in processes.

One real `dagster dev` for the module (slow on a busy machine: up to a minute to answer). Its instance
queues runs and never starts them (`max_concurrent_runs: 0`), so no pipeline runs in these tests.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from support.paths import REPO
from support.ui_server import Webserver, free_port
from support.vro_command import VRO, vro

SENSOR = "vro_landing_sensor"
TICK_SECONDS = 5  # VRO_SENSOR_INTERVAL_SECONDS for the UI under test
NEW_FILE = "jira/cloud_all_fields_sprint_watchers.csv"  # a real export the demo does not hold
TICKS = """query Ticks($selector: SensorSelector!) {
  sensorOrError(sensorSelector: $selector) {
    __typename
    ... on Sensor { sensorState { status ticks(limit: 100) { tickId status timestamp runIds skipReason
      error { message } } } }
    ... on PythonError { message }
  }
}"""
RUNS = "{ runsOrError { ... on Runs { results { runId status tags { key value } } } } }"


def wait_for(predicate: Callable[[], object], seconds: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + seconds
    while not (value := predicate()):
        if time.monotonic() > deadline:
            tail = f"\n{log.read_text()[-4000:]}" if log else ""
            raise AssertionError(f"timed out after {seconds} s waiting for {what}{tail}")
        time.sleep(0.5)
    return value


def _stat(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (state, ppid, pgrp, session, ...)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()


def descendants(root: int) -> dict[int, str]:
    """pid -> command line of every live process under `root`."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) and fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = {}, [root]
    while todo:
        for pid in children.get(todo.pop(), []):
            try:
                found[pid] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            todo.append(pid)
    return found


def alive(pid: int) -> bool:
    fields = _stat(pid)
    return fields is not None and fields[0] != "Z"


def processes_naming(text: str) -> list[int]:
    """Live processes whose command line holds `text` (dagster's carry the instance's folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and alive(int(entry.name)):
            try:
                if text.encode() in Path(f"/proc/{entry.name}/cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


# --- the supervisor on stand-in processes (fast) ---------------------------------------------------

STAND_IN = """
import os, signal, subprocess, sys, time
sleep = [sys.executable, "-c", "import time; time.sleep(600)"]
stubborn = subprocess.Popen([sys.executable, "-c",
    "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(600)"])
parent = subprocess.run([sys.executable, "-c",
    f"import subprocess as s; print(s.Popen({sleep!r}, stdout=s.DEVNULL, stderr=s.DEVNULL).pid)"],
    capture_output=True, text=True, check=True)
with open(sys.argv[1] + ".tmp", "w") as fh:
    fh.write(f"{os.getpid()} {stubborn.pid} {int(parent.stdout)}")
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
if sys.argv[2] == "exit":
    stubborn.kill()
    stubborn.wait()
    sys.exit(3)
time.sleep(600)
"""

SERVE = "import sys; from orchestration.ui import serve; sys.exit(serve(sys.argv[2:], float(sys.argv[1])))"


@pytest.fixture
def supervise(tmp_path):
    """Start orchestration.ui.serve on the stand-in: it starts a child that ignores SIGINT and a
    grandchild whose parent exits at once (an orphan), then sleeps (mode "sleep") or exits 3 ("exit").
    Returns the supervisor and the stand-in's, the child's and the orphan's pids; kills leftovers."""
    started: list[tuple[subprocess.Popen, list[int]]] = []

    def start(mode: str, grace: float) -> tuple[subprocess.Popen, list[int]]:
        script, pids = tmp_path / "stand_in.py", tmp_path / "pids"
        script.write_text(STAND_IN)
        proc = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(grace), sys.executable, str(script), str(pids), mode],
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )
        started.append((proc, []))
        wait_for(pids.exists, 30, "the stand-in to start its processes")
        started[-1] = (proc, [int(p) for p in pids.read_text().split()])
        return started[-1]

    yield start
    for proc, pids in started:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for pid in pids:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_sigterm_interrupts_the_group_and_kills_what_ignores_it(supervise):
    proc, (stand_in, stubborn, orphan) = supervise("sleep", grace=1.0)
    assert _stat(orphan)[1] == str(proc.pid)  # the orphan was handed to the supervisor, not to init
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=10) == 0  # a requested stop
    seconds = time.monotonic() - started
    assert [pid for pid in (stand_in, stubborn, orphan) if alive(pid)] == []
    assert 1.0 <= seconds < 6.0  # the stubborn child outlived the 1 s grace period, then SIGKILL
    stderr = proc.stderr.read()
    assert "SIGTERM: stopping the Dagster UI" in stderr
    assert "still running 1 s after the interrupt: killed" in stderr


def test_a_second_signal_kills_at_once(supervise):
    proc, pids = supervise("sleep", grace=60.0)
    started = time.monotonic()
    proc.send_signal(signal.SIGINT)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=10) == 0  # a requested stop
    assert time.monotonic() - started < 6.0  # not the 60 s grace period
    assert [pid for pid in pids if alive(pid)] == []
    assert "the Dagster UI killed" in proc.stderr.read()


def test_a_closed_terminal_does_not_stop_the_shutdown(supervise):
    """SIGHUP with stderr gone (the terminal closed): writing the message fails, the stop goes on."""
    proc, pids = supervise("sleep", grace=1.0)
    proc.stderr.close()
    proc.send_signal(signal.SIGHUP)
    assert proc.wait(timeout=10) == 0  # a requested stop
    assert [pid for pid in pids if alive(pid)] == []


def test_a_child_that_exits_by_itself_gives_its_exit_code_and_leaves_nothing(supervise):
    proc, (_, _, orphan) = supervise("exit", grace=30.0)
    assert proc.wait(timeout=20) == 3
    assert not alive(orphan)  # interrupted with the group (it does not ignore SIGINT)


# --- the real UI (one `dagster dev` for the module) ------------------------------------------------


class UI:
    def __init__(self, base: Path):
        self.base = base
        self.landing, self.home = base / "landing", base / "home"
        self.log = base / "ui.log"
        self.proc: subprocess.Popen | None = None
        self.server: Webserver | None = None
        self.selector: dict | None = None

    def start(self) -> None:
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VRO_", "DAGSTER_"))}
        env.update(
            VRO_SENSOR_INTERVAL_SECONDS=str(TICK_SECONDS),
            DO_NOT_TRACK="1",
            DBT_SEND_ANONYMOUS_USAGE_STATS="false",
            TQDM_DISABLE="1",
        )
        cmd = [VRO, "ui", "--landing", str(self.landing), "--home", str(self.home)]
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [*cmd, "--port", str(port)],
                cwd=REPO,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.server = Webserver(url=f"http://127.0.0.1:{port}", log=self.log)
        wait_for(self._answers, 300, "the Dagster UI to answer", self.log)
        repos = self.server.graphql(
            "{ repositoriesOrError { ... on RepositoryConnection { nodes { name location { name } } } } }"
        )["repositoriesOrError"]["nodes"]
        assert len(repos) == 1, repos
        self.selector = {
            "repositoryLocationName": repos[0]["location"]["name"],
            "repositoryName": repos[0]["name"],
            "sensorName": SENSOR,
        }

    def _answers(self) -> bool:
        if self.proc.poll() is not None:
            raise AssertionError(
                f"vro ui exited with {self.proc.returncode}:\n{self.log.read_text()[-4000:]}"
            )
        try:
            self.server.graphql("{ version }", timeout=5)
        except (OSError, AssertionError):
            return False
        return True

    def ticks(self) -> list[dict]:
        """The landing sensor's finished ticks, oldest first."""
        result = self.server.graphql(TICKS, {"selector": self.selector})["sensorOrError"]
        assert result["__typename"] == "Sensor", result
        ticks = result["sensorState"]["ticks"]
        return sorted((t for t in ticks if t["status"] != "STARTED"), key=lambda t: t["timestamp"])

    def runs(self) -> list[dict]:
        return self.server.graphql(RUNS)["runsOrError"]["results"]

    def stop(self) -> None:
        """Safety net for a failed test: end whatever is left."""
        if self.proc is None:
            return
        left = descendants(self.proc.pid)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
        for pid in left:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def ui(tmp_path_factory, samples):
    """`vro demo`, `vro ingest`, then `vro ui` on that home: the landing folder is up to date."""
    base = tmp_path_factory.mktemp("ui_lifecycle")
    server = UI(base)
    demo = vro("demo", "--landing", server.landing)
    assert demo.returncode == 0, demo.stderr
    ingest = vro("ingest", "--landing", server.landing, "--home", server.home)
    assert ingest.returncode == 0, ingest.stdout[-3000:] + ingest.stderr[-3000:]
    assert " loaded " in ingest.stdout and not (server.landing / NEW_FILE).exists()
    dagster_home = server.home / "dagster"
    dagster_home.mkdir(parents=True)
    # Runs are queued, never started: the tests see what the sensor asks for, and nothing runs.
    (dagster_home / "dagster.yaml").write_text(
        "run_queue:\n  max_concurrent_runs: 0\ntelemetry:\n  enabled: false\n"
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()


def test_starting_on_an_ingested_home_requests_no_run(ui):
    ticks = wait_for(lambda: len(t := ui.ticks()) >= 2 and t, 240, "two ticks of the landing sensor", ui.log)
    assert [t["status"] for t in ticks] == ["SKIPPED"] * len(ticks), ticks
    assert all("is new or changed since the last ingest" in t["skipReason"] for t in ticks), ticks
    assert ui.runs() == []
    assert "is superseded" not in ui.log.read_text()  # dagster dev's notice about `dg dev`, silenced


def test_a_new_file_requests_one_run_and_later_ticks_do_not_repeat_it(ui, samples):
    target = ui.landing / NEW_FILE
    shutil.copy(samples / NEW_FILE, target.with_name(target.name + ".part"))  # as a download lands
    os.replace(target.with_name(target.name + ".part"), target)
    dropped = time.time()

    def run_tick():
        return next((t for t in ui.ticks() if t["runIds"]), None)

    tick = wait_for(run_tick, 300, "a tick that requests a run", ui.log)
    assert tick["timestamp"] >= dropped - 1
    # Two more ticks while that run waits in the queue: the same run key, so no second run.
    wait_for(
        lambda: len([t for t in ui.ticks() if t["timestamp"] > tick["timestamp"]]) >= 2, 120, "two more ticks"
    )
    later = [t for t in ui.ticks() if t["timestamp"] > tick["timestamp"]]
    assert [t["runIds"] for t in later] == [[]] * len(later), later
    runs = ui.runs()
    assert [r["runId"] for r in runs] == tick["runIds"]
    tags = {t["key"]: t["value"] for t in runs[0]["tags"]}
    assert runs[0]["status"] == "QUEUED"
    assert (tags["vro/trigger"], tags["vro/batch_files"], tags["vro/batch_first"]) == (
        "landing_sensor",
        "1",
        NEW_FILE,
    )
    assert tags["dagster/sensor_name"] == SENSOR and tags["dagster/run_key"].startswith("landing:")


def test_sigterm_stops_vro_ui_and_every_process_it_started_within_10_s(ui):
    started_by_ui = descendants(ui.proc.pid)
    commands = " | ".join(started_by_ui.values())
    for part in ("dagster dev", "dagster_webserver", "dagster._daemon", "code-server start", "api grpc"):
        assert part in commands, f"no {part!r} process under vro ui: {commands}"
    started = time.monotonic()
    ui.proc.send_signal(signal.SIGTERM)
    code = ui.proc.wait(timeout=30)
    seconds = time.monotonic() - started
    assert code == 0
    assert seconds < 10, f"vro ui took {seconds:.1f} s to stop"
    assert [pid for pid in started_by_ui if alive(pid)] == []
    assert processes_naming(str(ui.home)) == []  # nothing else of this instance either
    assert "SIGTERM: stopping the Dagster UI" in ui.log.read_text()
