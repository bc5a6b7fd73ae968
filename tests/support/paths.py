"""Where the tests find the repository, the real export samples and their own fixtures."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TEST_FIXTURES = REPO / "tests" / "fixtures"
ARTIFACTS = REPO / "test-artifacts"


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
