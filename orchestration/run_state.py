"""Is the published state current? What the published marts were built from, as two fingerprints.

- raw_state: the set of file versions committed to the raw zone (the ingest manifest's sha256s);
- code_state: the dbt project and the GX suites (models, macros, tests, vars, quality.py).
Publish records both; a run whose ingest committed nothing new, with unchanged code, on a home whose
published file exists, has nothing to rebuild: it stops after ingest (the daily run on a quiet day).
"""

import hashlib
import json

import pyarrow.parquet as pq

from orchestration.paths import DBT_PROJECT_DIR, REPO_ROOT, VroPaths

STATE_FILE = "published_state.json"


def raw_state(paths: VroPaths) -> str:
    digest = hashlib.sha256()
    folder = paths.raw / "ingest_manifest"
    shas = sorted(
        sha
        for path in folder.glob("*.parquet")
        for sha in pq.read_table(path, columns=["_file_sha256"]).column(0).to_pylist()
    )
    for sha in shas:
        digest.update(sha.encode())
    return digest.hexdigest()


def code_state() -> str:
    digest = hashlib.sha256()
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "tests", "seeds"):
        files.extend(p for p in (DBT_PROJECT_DIR / folder).rglob("*") if p.is_file())
    files.append(REPO_ROOT / "orchestration" / "quality.py")
    for path in sorted(files):
        digest.update(path.relative_to(REPO_ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def current_state(paths: VroPaths) -> dict:
    return {"raw_state": raw_state(paths), "code_state": code_state()}


def record_published_state(paths: VroPaths, state: dict) -> None:
    paths.published_dir.mkdir(parents=True, exist_ok=True)
    target = paths.published_dir / STATE_FILE
    tmp = target.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(state, indent=1))
    tmp.replace(target)


def published_is_current(paths: VroPaths, state: dict) -> bool:
    recorded = paths.published_dir / STATE_FILE
    if not paths.published_db.exists() or not recorded.exists():
        return False
    try:
        return json.loads(recorded.read_text()) == state
    except (json.JSONDecodeError, OSError):
        return False
