"""A killed run leaves its dbt running; the next run stops it before touching the warehouse."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from orchestration.resources import reap_orphaned_dbt


def test_orphaned_dbt_is_stopped_and_a_reused_pid_is_left_alone(tmp_path):
    orphan = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)", "dbt", "build"])
    deadline = time.monotonic() + 10
    while b"dbt" not in Path(f"/proc/{orphan.pid}/cmdline").read_bytes() and time.monotonic() < deadline:
        time.sleep(0.05)  # the child's command line appears once it has exec'd
    (tmp_path / ".dbt.pid").write_text(str(orphan.pid))
    assert reap_orphaned_dbt(tmp_path, grace_seconds=5) == orphan.pid
    orphan.wait(timeout=10)
    assert not Path(f"/proc/{orphan.pid}").exists()
    assert not (tmp_path / ".dbt.pid").exists()

    bystander = subprocess.Popen(["sleep", "300"])  # the pid file names a process that is not dbt
    try:
        (tmp_path / ".dbt.pid").write_text(str(bystander.pid))
        assert reap_orphaned_dbt(tmp_path) is None
        assert bystander.poll() is None
    finally:
        bystander.kill()
        bystander.wait()
    assert reap_orphaned_dbt(tmp_path) is None  # no pid file: nothing to do
