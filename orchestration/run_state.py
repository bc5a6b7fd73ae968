"""What the warehouse and the published marts were built from, as fingerprints of one kind.

- raw_state: the set of file versions committed to the raw zone (the ingest manifest's sha256s);
- code_state: the dbt project and the GX gate (models, macros, tests, vars, orchestration/defs/gate/)
  and the settings in force that feed them (vro.yaml: dbt vars, severities).
Two records of them, because they are two facts: publish records both (published_state.json: are
the published marts current?), a dbt build that succeeded records its code_state (built_with.json:
may the incremental models be extended, or must they be rebuilt in full?). A build can succeed and
its publish be stopped by a check, so the warehouse can be built by other code than the published
marts. defs/automation/plan.py decides from them what a run does.
A raw-zone GX suite is a function of the same two, so its outcome is reused while they hold
(orchestration/defs/gate/report.py stores it).
"""

import hashlib
import json
from pathlib import Path

from ingest.files import write_atomically
from ingest.runner import load_manifest
from ingest.settings import load_settings
from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT, VroPaths

STATE_FILE = "published_state.json"
BUILT_WITH = "built_with.json"  # in <home>/dbt, beside the dbt target folders


def raw_state(paths: VroPaths) -> str:
    digest = hashlib.sha256()
    for sha in sorted(load_manifest(paths.home)):  # the manifest is read once per process
        digest.update(sha.encode())
    return digest.hexdigest()


def code_state() -> str:
    """The dbt project, the GX suites and the settings they read (dbt vars, severities): a change of
    any rebuilds and republishes."""
    digest = hashlib.sha256()
    digest.update(load_settings().fingerprint().encode())
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    # lib: the Python models' helpers, code of the build like the models (not their bytecode caches)
    for folder in ("models", "macros", "tests", "seeds", "lib"):
        found = (DBT_PROJECT_DIR / folder).rglob("*")
        files.extend(p for p in found if p.is_file() and "__pycache__" not in p.parts)
    files.extend(sorted((REPO_ROOT / "orchestration" / "defs" / "gate").glob("*.py")))
    for path in sorted(files):
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def current_state(paths: VroPaths) -> dict:
    return {"raw_state": raw_state(paths), "code_state": code_state()}


def record_published_state(paths: VroPaths, state: dict) -> None:
    paths.published_dir.mkdir(parents=True, exist_ok=True)
    target = paths.published_dir / STATE_FILE
    with write_atomically(target) as tmp:
        tmp.write_text(json.dumps(state, indent=1))


def published_is_current(paths: VroPaths, state: dict) -> bool:
    recorded = paths.published_dir / STATE_FILE
    if not paths.published_db.exists() or not recorded.exists():
        return False
    try:
        return json.loads(recorded.read_text()) == state
    except (json.JSONDecodeError, OSError):
        return False


def built_with(home: Path) -> str | None:
    """The code state of the last dbt build that succeeded in this home."""
    recorded = home / "dbt" / BUILT_WITH
    try:
        return json.loads(recorded.read_text())["code_state"]
    except (OSError, ValueError, KeyError):
        return None


def record_built_with(home: Path, code: str) -> None:
    with write_atomically(home / "dbt" / BUILT_WITH) as tmp:
        tmp.write_text(json.dumps({"code_state": code}))
