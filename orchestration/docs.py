"""`vro docs`: dbt's documentation site (every model, column, test and the lineage) as one HTML file.

`dbt docs generate --static` writes `static_index.html` with the manifest and the catalog built in, so
the file opens from disk in a browser with no server and no network. It is copied to
`<home>/docs/index.html`. The catalog (column types, row counts) is read from the build database,
so the command holds the home's run lock (a run never writes the warehouse meanwhile) and needs one
`vro run` first. The dbt target folder of the last generation stays in `<home>/dbt/docs-target`.
The site's page-view tracking follows dbt's anonymous usage setting, which is switched off here.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ingest.files import write_atomically
from orchestration.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR, VroPaths

DOCS_FOLDER = "docs"
DOCS_TARGET = Path("dbt") / "docs-target"
STATIC_FILE = "static_index.html"


class DocsError(Exception):
    """The docs cannot be built (no warehouse yet, or dbt failed): the message says why."""


def build_docs(paths: VroPaths) -> Path:
    """Generate the docs site of the home's warehouse into `<home>/docs/index.html`; returns that path.

    The caller holds the home's run lock."""
    if not paths.warehouse.is_file():
        raise DocsError(f"no build database at {paths.warehouse}: run `vro run` first")
    target = paths.home / DOCS_TARGET
    target.mkdir(parents=True, exist_ok=True)
    command = [str(DBT_EXECUTABLE), "docs", "generate", "--static", "--project-dir", str(DBT_PROJECT_DIR)]
    command += ["--profiles-dir", str(DBT_PROJECT_DIR), "--target-path", str(target)]
    command += ["--log-path", str(target)]
    env = dict(os.environ, **paths.as_env(), DBT_SEND_ANONYMOUS_USAGE_STATS="false", DO_NOT_TRACK="1")
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=DBT_PROJECT_DIR)
    static = target / STATIC_FILE
    if done.returncode != 0 or not static.is_file():
        lines = [line for line in (done.stdout + done.stderr).splitlines() if line.strip()]
        raise DocsError(f"dbt docs generate failed (exit {done.returncode}): " + " | ".join(lines[-5:]))
    out = paths.home / DOCS_FOLDER / "index.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    with write_atomically(out) as tmp:  # a browser reloading the page never sees half a file
        tmp.write_bytes(static.read_bytes())
    return out
