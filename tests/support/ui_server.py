"""Start and stop the web servers the UI tests talk to: `dagster-webserver` on the project's definitions,
and any other server (the Streamlit dashboard) through `serving`."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from support.paths import REPO


@dataclass(frozen=True)
class Webserver:
    url: str
    log: Path

    def graphql(self, query: str, variables: dict | None = None, timeout: float = 60) -> dict:
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            payload = json.loads(response.read())
        if payload.get("errors"):
            raise AssertionError(f"GraphQL errors from {self.url}: {payload['errors']}")
        return payload["data"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(url: str) -> bool:
    """True when a GET of url returns 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@contextmanager
def serving(
    cmd: list[str], env: dict[str, str], log: Path, ready_url: str, wait_seconds: float
) -> Iterator[None]:
    """cmd started in its own session (output in log) until ready_url answers; stopped whole on exit."""
    what = Path(cmd[0]).name
    with log.open("w") as log_fh:
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=log_fh, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + wait_seconds
            while not answers(ready_url):
                if proc.poll() is not None:
                    raise AssertionError(f"{what} exited with {proc.returncode}:\n{log.read_text()}")
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"{ready_url} did not answer in {wait_seconds} s:\n{log.read_text()}"
                    )
                time.sleep(0.5)
            yield
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)  # its own session: the server and what it started
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=10)


@contextmanager
def webserver(workdir: Path, env: dict[str, str], wait_seconds: float = 180) -> Iterator[Webserver]:
    """`dagster-webserver -m orchestration.definitions` on 127.0.0.1 and a free port, until exit."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = workdir / "webserver.log"
    exe = Path(sys.executable).parent / "dagster-webserver"
    cmd = [str(exe), "-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)]
    with serving(cmd, env, log, f"{url}/server_info", wait_seconds):
        yield Webserver(url=url, log=log)
