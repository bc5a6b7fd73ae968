"""One pipeline run per home folder at a time, whoever starts it (CLI, schedule, sensor, UI).

DuckDB allows one writer per file; dbt-duckdb plus concurrent runs give lock errors (dagster issue
18746). Every run holds an exclusive flock on <home>/.run.lock from its first step to its last, as a
run-scoped resource; a second run waits for it (queued runs are also limited to one in dagster.yaml).
"""

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg

from orchestration.paths import VroPaths

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


@dg.resource(description="Holds <home>/.run.lock for the whole run: one writer per home at a time.")
def pipeline_lock(context: dg.InitResourceContext):
    paths = VroPaths.from_env()
    with home_lock(paths.home, log=context.log.info if context.log else None):
        yield paths
