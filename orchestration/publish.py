"""Publish: copy the gated dimensions, facts and marts to a new DuckDB file and rename it into place.

BI tools only ever open `published/vro.duckdb` (read-only) and `published/parquet/*.parquet`. The new
file is written whole under a temporary name in the same folder, fsynced, then renamed over the old
one: a reader holding the old file keeps reading it (rename does not touch its inode), a new reader
sees the new one, and a run killed at any point leaves the old or the new file, never a mix.
The Parquet set is written whole into a new folder under `parquet_versions/`, and the symlink
`published/parquet` is swapped to it by one rename, so the set too is old or new, never mixed; the
previous set stays for a reader still in it, older ones are removed.
The file is written in an older storage format so BI connectors that bundle DuckDB 1.x can open it.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

PUBLISHED_PREFIXES = ("dim_", "fct_", "bridge_", "mart_")
STORAGE_VERSION = "v1.0.0"
MEMORY_LIMIT = "1GB"


@dataclass
class PublishResult:
    tables: dict[str, int]  # table -> rows
    seconds: float
    path: Path


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def published_tables(warehouse: Path) -> list[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = 'main' and table_type = 'BASE TABLE' order by table_name"
            ).fetchall()
        ]
    finally:
        con.close()
    return [n for n in names if n.startswith(PUBLISHED_PREFIXES)]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _switch_parquet_set(published_dir: Path, parquet_set: Path) -> None:
    link = published_dir / "parquet"
    previous = Path(os.readlink(link)).name if link.is_symlink() else None
    if link.exists() and not link.is_symlink():  # a folder from an older layout: replaced once
        shutil.rmtree(link)
    tmp_link = published_dir / f".parquet.{os.getpid()}.link"
    tmp_link.unlink(missing_ok=True)
    os.symlink(parquet_set.relative_to(published_dir), tmp_link)
    os.replace(tmp_link, link)
    for leftover in published_dir.glob(".parquet.*.link"):
        leftover.unlink()
    # Keep the new set and the one it replaced (a reader may still be in it); drop older ones
    # and the half-written sets of killed runs.
    for old in parquet_set.parent.iterdir():
        if old.name not in (parquet_set.name, previous):
            shutil.rmtree(old, ignore_errors=True)


def publish(warehouse: Path, published_dir: Path) -> PublishResult:
    started = time.perf_counter()
    published_dir.mkdir(parents=True, exist_ok=True)
    target = published_dir / "vro.duckdb"
    staging = published_dir / f".vro.duckdb.{os.getpid()}.new"
    for leftover in published_dir.glob(".vro.duckdb.*.new"):  # from a run that was killed
        leftover.unlink()
    parquet_set = published_dir / "parquet_versions" / f"{time.time_ns()}"
    parquet_set.mkdir(parents=True)
    tables = published_tables(warehouse)
    counts: dict[str, int] = {}
    spill = published_dir.parent / "tmp" / "publish_spill"
    # in-memory: attaches the warehouse read-only and the new file; copies stream, memory stays bounded
    con = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "temp_directory": str(spill)})
    try:
        con.execute(f"attach {_literal(warehouse)} as wh (read_only)")
        con.execute(f"attach {_literal(staging)} as pub (storage_version '{STORAGE_VERSION}')")
        for table in tables:
            con.execute(f"create table pub.main.{_quote(table)} as select * from wh.main.{_quote(table)}")
            counts[table] = con.execute(f"select count(*) from pub.main.{_quote(table)}").fetchone()[0]
        con.execute("detach pub")
        for table in tables:
            if table.startswith("mart_"):
                parquet = parquet_set / f"{table}.parquet"
                con.execute(f"copy wh.main.{_quote(table)} to {_literal(parquet)} (format parquet)")
    finally:
        con.close()
    _fsync(staging)
    os.replace(staging, target)
    _switch_parquet_set(published_dir, parquet_set)
    return PublishResult(tables=counts, seconds=round(time.perf_counter() - started, 3), path=target)


def preview(published_db: Path, table: str, rows: int = 5) -> tuple[list[str], list[tuple]]:
    """The first rows of a published table (for the UI), read through a short read-only connection."""
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        result = con.execute(f"select * from {_quote(table)} limit {int(rows)}")
        return [d[0] for d in result.description], result.fetchall()
    finally:
        con.close()
