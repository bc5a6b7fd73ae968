"""Debian's Chromium for the browser tests (`make browser-deps`; never `playwright install`): where it
is, the flags every launch passes, and a skip here or a failure in CI when it is missing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
# No sandbox (CI runs as root), no GPU, and nothing fetched or synced in the background.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's chromium, at /usr/bin or anywhere on PATH."""
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def require_chromium() -> str:
    """The chromium to drive; the test is skipped when there is none, and fails in CI."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: run `make browser-deps` first")
        pytest.skip("chromium is not installed (`make browser-deps` installs it); CI runs this test")
    return path
