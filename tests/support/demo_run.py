"""The session's demo run (the `demo_run` fixture of tests/conftest.py) and private copies of its home."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DemoRun:
    landing: Path
    home: Path
    summary: dict  # what `vro demo` says it wrote
    run: subprocess.CompletedProcess  # the first `vro run` on it


def copy_home(demo: DemoRun, target: Path, parts: tuple[str, ...] = ("published", "reports")) -> Path:
    """A private copy of parts of the demo run's home (symlinks kept, e.g. published/parquet)."""
    home = target / "home"
    for part in parts:
        shutil.copytree(demo.home / part, home / part, symlinks=True)
    return home
