"""The `vro` command of this virtualenv, run in its own process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

VRO = str(Path(sys.executable).parent / "vro")


def vro(*args, timeout: int = 900) -> subprocess.CompletedProcess:
    """The `vro` command in its own process, with no VRO_/DAGSTER_ variables leaking in."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VRO_", "DAGSTER_"))}
    env.update(TQDM_DISABLE="1", DO_NOT_TRACK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    return subprocess.run([VRO, *map(str, args)], capture_output=True, text=True, env=env, timeout=timeout)
