"""Read access to what the pipeline published: `<home>/published/vro.duckdb` and
`<home>/reports/last_run.json`, home from VRO_HOME (default data/home).

Every query opens the published file read-only and closes it again (a pipeline run replaces the file
by an atomic rename: a short-lived connection picks up the new file and never blocks the run).
Results are cached for a few minutes, keyed by the file's identity (mtime, inode, size): a new
publication is a new key, so it shows at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from orchestration.settings import VroPaths

CACHE_SECONDS = 300


class DataUnavailable(Exception):
    """The dashboard cannot read what it needs; the message says what is missing, for a person."""


@dataclass(frozen=True)
class FileVersion:
    path: str
    mtime_ns: int
    inode: int
    size: int


def paths() -> VroPaths:
    return VroPaths.from_env()


def published_db() -> Path:
    return paths().published_db


def run_report_path() -> Path:
    return paths().reports / "last_run.json"


def _version(path: Path) -> FileVersion | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return FileVersion(str(path), stat.st_mtime_ns, stat.st_ino, stat.st_size)


def published_version() -> FileVersion | None:
    """The published file's identity, or None when nothing was published yet."""
    return _version(published_db())


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=500)
def _query(version: FileVersion, sql: str, params: tuple) -> pd.DataFrame:
    con = duckdb.connect(version.path, read_only=True)
    try:
        return con.execute(sql, list(params)).df()
    finally:
        con.close()


def query(sql: str, params: tuple = ()) -> pd.DataFrame:
    """Run one read-only query on the published file; DataUnavailable says what is missing."""
    version = published_version()
    if version is None:
        raise DataUnavailable(f"No published marts at {published_db()}: run `make run` first.")
    try:
        return _query(version, sql, tuple(params)).copy()
    except duckdb.CatalogException as exc:
        raise DataUnavailable(
            f"{published_db()} lacks a table or column the dashboard reads ({_first_line(exc)}): "
            "publish again with `make run`."
        ) from exc
    except duckdb.Error as exc:
        raise DataUnavailable(f"{published_db()} could not be read: {_first_line(exc)}") from exc


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False, max_entries=20)
def _read_report(version: FileVersion) -> dict:
    return json.loads(Path(version.path).read_text())


def run_report() -> dict | None:
    """reports/last_run.json as written by the last `vro run`, None when there is none yet."""
    version = _version(run_report_path())
    if version is None:
        return None
    try:
        return _read_report(version)
    except (OSError, json.JSONDecodeError) as exc:
        raise DataUnavailable(f"{run_report_path()} could not be read: {_first_line(exc)}") from exc
