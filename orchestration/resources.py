"""One pipeline run per home folder at a time, whoever starts it (CLI, schedule, sensor, UI).

DuckDB allows one writer per file; dbt-duckdb plus concurrent runs give lock errors (dagster issue
18746). Every run holds an exclusive flock on <home>/.run.lock from its first step to its last, as a
run-scoped resource; a second run waits for it (queued runs are also limited to one in dagster.yaml).
"""

from __future__ import annotations

import fcntl
import os
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from orchestration.settings import VroPaths

LOCK_WAIT_SECONDS = 3600


class LockTimeout(Exception):
    pass


@contextmanager
def home_lock(home: Path, wait_seconds: float = LOCK_WAIT_SECONDS, log=None) -> Iterator[None]:
    home.mkdir(parents=True, exist_ok=True)
    path = home / ".run.lock"
    with open(path, "w") as fh:
        deadline = time.monotonic() + wait_seconds
        announced = False
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not announced and log is not None:
                    log(f"another run holds {path}; waiting up to {wait_seconds:.0f} s")
                    announced = True
                if time.monotonic() > deadline:
                    raise LockTimeout(f"another run held {path} for more than {wait_seconds:.0f} s") from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def lock_is_held(home: Path) -> bool:
    """Whether another run holds <home>/.run.lock now (a run started now would wait for it)."""
    path = home / ".run.lock"
    if not path.exists():
        return False
    with open(path) as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(fh, fcntl.LOCK_UN)
        return False


def reap_orphaned_dbt(home: Path, log=None, grace_seconds: float = 10) -> int | None:
    """Stop the dbt of a run that was killed (its `vro` died, dbt lived on holding the warehouse).

    Called with the home lock held, so no live run owns that dbt. Returns the pid stopped, if any.
    """
    pid_file = home / ".dbt.pid"
    if not pid_file.exists():
        return None
    try:
        pid = int(pid_file.read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except (ValueError, OSError):
        pid_file.unlink(missing_ok=True)
        return None
    if "dbt" not in cmdline:  # the pid was reused by something else
        pid_file.unlink(missing_ok=True)
        return None
    if log is not None:
        log(f"stopping dbt (pid {pid}) left running by a killed run")
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_seconds
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        _reap_zombie(pid)
        time.sleep(0.2)
    if Path(f"/proc/{pid}").exists():
        os.kill(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    return pid


def _reap_zombie(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


class PipelineLock(dg.ConfigurableResource):
    """The run's landing and home folders (every asset and check reads them from `.paths`, never from
    the environment); holds <home>/.run.lock from the run's first step to its last (one writer per
    home at a time) and stops a dbt a killed run left behind."""

    landing: str
    home: str

    @classmethod
    def for_paths(cls, paths: VroPaths) -> PipelineLock:
        return cls(landing=str(paths.landing), home=str(paths.home))

    @property
    def paths(self) -> VroPaths:
        return VroPaths(landing=Path(self.landing), home=Path(self.home))

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Iterator[PipelineLock]:
        log = context.log.info if context.log else None
        with home_lock(self.paths.home, log=log):
            reap_orphaned_dbt(self.paths.home, log=log)
            yield self
