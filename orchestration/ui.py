"""`vro ui`: `dagster dev` on the project's definitions, stopped whole within seconds.

`dagster dev` runs a webserver, a daemon and a code server (which starts a gRPC server of its own),
all in its process group. Left to itself (dagster 1.13) it stops slowly and not whole: SIGTERM
(systemd, `docker stop`, `kill`) reaches dagster dev alone, which asks its children to stop one after
the other and waits up to 60 s for each, while the code server is only asked over gRPC and outlives
it (measured on the 2-core machine: 16 s to exit, the code server still running afterwards).

So `vro ui`, once it has checked its options, becomes (exec, same process id) this module's small
supervisor, which imports no Dagster: it keeps dagster dev as its child, in a session of its own, and
on SIGINT (Ctrl-C), SIGTERM or SIGHUP interrupts that whole group at once with SIGINT, as a
terminal's Ctrl-C does; whatever still runs GRACE_SECONDS later is killed (SIGKILL), at once on a
second signal. `vro ui` is the child subreaper of everything it starts (Linux), so it reaps the
processes orphaned on the way and returns only when none is left. A run in progress is interrupted
with the rest (the pipeline is safe to stop at any point; the next run ingests what this one did not
commit).

Exit code: 0 when stopped by a signal (stopping is how a UI session ends: `make ui` and systemd see
success, as they do when dagster dev stops itself on Ctrl-C), else dagster dev's own (it stopped by
itself, e.g. because the port was taken).

    python -m orchestration.ui PORT     (what `vro ui` runs; DAGSTER_HOME, VRO_HOME and VRO_LANDING set)
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable

from orchestration.settings import VENV_BIN

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
GRACE_SECONDS = 5.0  # from the interrupt to SIGKILL
KILL_WAIT_SECONDS = 5.0  # after SIGKILL, for the kernel to end them
POLL_SECONDS = 0.1
# dagster dev's notice that `dg dev` supersedes it: `dg` is not part of this project.
QUIET_WARNINGS = "ignore:Function `dev_command` is superseded"


def exec_supervisor(port: int) -> None:
    """Replace this process (`vro ui`, with Dagster imported) by the supervisor of `dagster dev`."""
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, [sys.executable, "-m", "orchestration.ui", str(port)])


def dagster_dev_command(port: int) -> list[str]:
    return [
        str(VENV_BIN / "dagster"),
        "dev",
        "-m",
        "orchestration.definitions",
        "-h",
        "127.0.0.1",
        "-p",
        str(port),
    ]


def serve(command: list[str], grace_seconds: float = GRACE_SECONDS) -> int:
    """Run `command` until it exits or a stop signal comes, then stop everything it started (also
    when this process fails on the way, e.g. its terminal is gone).

    Meant for a process of its own (`vro ui`): it becomes the subreaper of its descendants and reaps
    any child that ends."""
    _become_subreaper()
    received: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, _: received.append(signum)) for sig in STOP_SIGNALS}
    env = dict(os.environ)
    env["PYTHONWARNINGS"] = ",".join(filter(None, [env.get("PYTHONWARNINGS"), QUIET_WARNINGS]))
    exits: dict[int, int] = {}
    try:
        child = subprocess.Popen(command, start_new_session=True, env=env)
        try:
            while child.pid not in exits and not received:
                _reap(exits)
                time.sleep(POLL_SECONDS)
            if received:
                name = signal.Signals(received[0]).name
                _say(
                    f"vro: {name}: stopping the Dagster UI (webserver, daemon, code server); again to kill it"
                )
        finally:
            _stop_group(child.pid, exits, lambda: len(received) > 1, grace_seconds)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if received else exits.get(child.pid, 1)


def _stop_group(group: int, exits: dict[int, int], hurry: Callable[[], bool], grace_seconds: float) -> None:
    """SIGINT to the group; SIGKILL to what is left after the grace period or once `hurry()` (a
    second signal); reap every child until none is left."""
    _signal_group(group, signal.SIGINT)
    deadline = time.monotonic() + grace_seconds
    while _reap(exits):
        if hurry() or time.monotonic() >= deadline:
            late = "" if hurry() else f" was still running {grace_seconds:g} s after the interrupt:"
            _say(f"vro: the Dagster UI{late} killed")
            _signal_group(group, signal.SIGKILL)
            break
        time.sleep(POLL_SECONDS)
    deadline = time.monotonic() + KILL_WAIT_SECONDS
    while _reap(exits):
        if time.monotonic() >= deadline:
            _say("vro: a process started by the Dagster UI left its process group and is still running")
            return
        time.sleep(POLL_SECONDS)


def _say(message: str) -> None:
    """A line on stderr; a closed terminal or pipe must not stop the shutdown."""
    try:
        print(message, file=sys.stderr, flush=True)
    except (OSError, ValueError):
        pass


def _reap(exits: dict[int, int]) -> bool:
    """Reap every child that has ended, recording its exit code; True while a child is left."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return False
        if pid == 0:
            return True
        exits[pid] = os.waitstatus_to_exitcode(status)


def _signal_group(group: int, sig: int) -> None:
    try:
        os.killpg(group, sig)
    except ProcessLookupError:  # every member has ended already
        pass


def _become_subreaper() -> None:
    """Orphaned descendants become this process's children (Linux), so none outlives `vro ui`."""
    try:
        ctypes.CDLL(None).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER, from the C library already loaded
    except (OSError, AttributeError):  # not Linux: the process group still reaches them
        pass


if __name__ == "__main__":
    raise SystemExit(serve(dagster_dev_command(int(sys.argv[1]))))
