"""Publish: copy the gated dimensions, facts and marts into a new version and switch to it by one rename.

What is published is what dbt's config says (`meta: {publish: true}` on the core and marts folders in
dbt_project.yml, read from dbt's manifest): each such model is copied from its warehouse schema into
schema main of the published file, and each one of schema marts also into a Parquet file.

BI tools only ever open `published/vro.duckdb` (read-only) and `published/parquet/*.parquet`. Both are
fixed symbolic links through one pointer:

    published/versions/<id>/vro.duckdb          one complete published version: the DuckDB file ...
    published/versions/<id>/parquet/*.parquet   ... and the Parquet copy of each mart, side by side
    published/current -> versions/<id>          the pointer, swapped by one atomic rename
    published/vro.duckdb -> current/vro.duckdb  the stable paths readers open
    published/parquet -> current/parquet

A new version is written whole under `versions/.<id>.partial`, fsynced and renamed to `versions/<id>`;
then `current` is swapped to it by one rename. So the DuckDB file and the Parquet set a reader finds are
always of the same version, old or new, never a mix, whenever the run is killed. A reader holding the old
file keeps reading it; a new connection resolves the links again and sees the new version (DuckDB keys
its per-process instance cache on the resolved file, so even a process that keeps an old connection
open gets the new version on a new connection). The version before the current one is kept for a reader
still in it; older ones and the half-written versions of killed runs are removed by the next publish.
The file is written in an older storage format so BI connectors that bundle DuckDB 1.x can open it.
Every table and column carries its description from the dbt YAML: `COMMENT ON` in the DuckDB file,
`vro.description` / `vro.column.<name>` in each Parquet file's key-value metadata.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingest.sql import sql_identifier, sql_literal
from orchestration.settings import DUCKDB_MEMORY_LIMIT

PARQUET_SCHEMA = "marts"  # the published models of this warehouse schema get a Parquet file too
STORAGE_VERSION = "v1.0.0"
DB_NAME = "vro.duckdb"
PARQUET_DIR = "parquet"


@dataclass(frozen=True)
class PublishedTable:
    """A model dbt's config marks for publication: the warehouse schema dbt builds it in, and what
    its YAML says of it and of its columns."""

    schema: str
    description: str = ""
    columns: dict[str, str] = field(default_factory=dict)


def published_from_manifest(manifest: Path) -> dict[str, PublishedTable]:
    """The models whose config says `meta: {publish: true}`, by name, from dbt's manifest.json."""
    nodes = json.loads(manifest.read_text(encoding="utf-8")).get("nodes", {})
    return {
        node["name"]: PublishedTable(
            schema=node["schema"],
            description=(node.get("description") or "").strip(),
            columns={
                name: (col.get("description") or "").strip()
                for name, col in (node.get("columns") or {}).items()
                if (col.get("description") or "").strip()
            },
        )
        for node in nodes.values()
        if node.get("resource_type") == "model" and (node.get("config", {}).get("meta") or {}).get("publish")
    }


@dataclass
class PublishResult:
    tables: dict[str, int]  # table -> rows
    seconds: float
    path: Path


def _comment_statements(table: str, doc: PublishedTable, columns: list[str]) -> list[str]:
    """COMMENT ON statements for the new file: BI tools show them (duckdb_tables(), duckdb_columns())."""
    target = f"pub.main.{sql_identifier(table)}"
    out = [f"comment on table {target} is {sql_literal(doc.description)}"] if doc.description else []
    for c in columns:
        if c in doc.columns:
            out.append(f"comment on column {target}.{sql_identifier(c)} is {sql_literal(doc.columns[c])}")
    return out


def _parquet_metadata(doc: PublishedTable, columns: list[str]) -> str:
    """The Parquet footer's key-value metadata: vro.description and vro.column.<name> per column."""
    pairs = [("vro.description", doc.description)] if doc.description else []
    pairs += [(f"vro.column.{c}", doc.columns[c]) for c in columns if c in doc.columns]
    if not pairs:
        return ""
    return ", kv_metadata {" + ", ".join(f"{sql_identifier(k)}: {sql_literal(v)}" for k, v in pairs) + "}"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _point(link: Path, target: str) -> None:
    """Make `link` a symbolic link to `target` by one rename (atomic for a reader of `link`)."""
    if link.is_symlink() and os.readlink(link) == target:
        return
    tmp = link.with_name(f".{link.name}.{os.getpid()}.link")
    tmp.unlink(missing_ok=True)
    os.symlink(target, tmp)
    if link.is_dir() and not link.is_symlink():  # the Parquet folder of the oldest layout (already adopted)
        aside = link.with_name(f".{link.name}.{os.getpid()}.old")
        os.rename(link, aside)
        os.replace(tmp, link)
        shutil.rmtree(aside)
        return
    os.replace(tmp, link)


def _write_version(
    warehouse: Path, version: Path, spill: Path, tables: dict[str, PublishedTable]
) -> dict[str, int]:
    """The DuckDB file and the Parquet set of one version, written whole into `version` and fsynced,
    each table and column carrying its description."""
    (version / PARQUET_DIR).mkdir(parents=True)
    db = version / DB_NAME
    counts: dict[str, int] = {}
    # in-memory: attaches the warehouse read-only and the new file; copies stream, memory stays bounded
    con = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY_LIMIT, "temp_directory": str(spill)})
    try:
        con.execute(f"attach {sql_literal(warehouse)} as wh (read_only)")
        con.execute(f"attach {sql_literal(db)} as pub (storage_version '{STORAGE_VERSION}')")
        columns: dict[str, list[str]] = {}
        for table, doc in sorted(tables.items()):
            source = f"wh.{sql_identifier(doc.schema)}.{sql_identifier(table)}"
            target = f"pub.main.{sql_identifier(table)}"
            con.execute(f"create table {target} as select * from {source}")
            counts[table] = con.execute(f"select count(*) from {target}").fetchone()[0]
            described = con.execute(f"select * from {target} limit 0").description
            columns[table] = [d[0] for d in described]
            for statement in _comment_statements(table, doc, columns[table]):
                con.execute(statement)
        con.execute("detach pub")
        for table, doc in sorted(tables.items()):
            if doc.schema == PARQUET_SCHEMA:
                parquet = version / PARQUET_DIR / f"{table}.parquet"
                metadata = _parquet_metadata(doc, columns[table])
                source = f"wh.{sql_identifier(doc.schema)}.{sql_identifier(table)}"
                con.execute(f"copy {source} to {sql_literal(parquet)} (format parquet{metadata})")
    finally:
        con.close()
    for path in [db, *(version / PARQUET_DIR).iterdir(), version / PARQUET_DIR, version]:
        _fsync(path)
    return counts


def _adopt_older_layout(published_dir: Path) -> None:
    """A home published before the pointer existed (vro.duckdb a plain file, parquet a link into
    parquet_versions/) becomes a version of its own, step by step so a reader always sees that same
    old version whole: hard links into versions/, the pointer to it, then the two stable links."""
    db = published_dir / DB_NAME
    if not db.is_file() or db.is_symlink():
        return
    adopted = published_dir / "versions" / f"{time.time_ns()}-adopted"
    (adopted / PARQUET_DIR).mkdir(parents=True)
    os.link(db, adopted / DB_NAME)
    old_parquet = published_dir / PARQUET_DIR
    if old_parquet.is_dir():
        for f in old_parquet.glob("*.parquet"):
            os.link(f.resolve(), adopted / PARQUET_DIR / f.name)
    _point(published_dir / "current", f"versions/{adopted.name}")
    _point(db, f"current/{DB_NAME}")
    _point(old_parquet, f"current/{PARQUET_DIR}")


def publish(warehouse: Path, published_dir: Path, tables: dict[str, PublishedTable]) -> PublishResult:
    """Publish `tables` (published_from_manifest) of `warehouse` as the new current version."""
    started = time.perf_counter()
    versions = published_dir / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    for leftover in versions.glob(".*.partial"):  # half-written by a run that was killed
        shutil.rmtree(leftover)
    name = f"{time.time_ns()}"
    partial = versions / f".{name}.partial"
    counts = _write_version(warehouse, partial, published_dir.parent / "tmp" / "publish_spill", tables)
    os.replace(partial, versions / name)
    _fsync(versions)
    _adopt_older_layout(published_dir)
    # The stable paths exist before the first switch (dangling until then: nothing is published yet).
    _point(published_dir / DB_NAME, f"current/{DB_NAME}")
    _point(published_dir / PARQUET_DIR, f"current/{PARQUET_DIR}")
    current = published_dir / "current"
    previous = Path(os.readlink(current)).name if current.is_symlink() else None
    _point(current, f"versions/{name}")  # the switch: from here on every reader sees the new version
    _fsync(published_dir)
    # Keep the new version and the one it replaced (a reader may still be in it); drop older ones and
    # what an older layout left (parquet_versions/).
    for old in versions.iterdir():
        if old.name not in (name, previous):
            shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(published_dir / "parquet_versions", ignore_errors=True)
    return PublishResult(
        tables=counts, seconds=round(time.perf_counter() - started, 3), path=published_dir / DB_NAME
    )


def preview(published_db: Path, table: str, rows: int = 5) -> tuple[list[str], list[tuple]]:
    """The first rows of a published table (for the UI), read through a short read-only connection."""
    con = duckdb.connect(str(published_db), read_only=True)
    try:
        result = con.execute(f"select * from {sql_identifier(table)} limit {int(rows)}")
        return [d[0] for d in result.description], result.fetchall()
    finally:
        con.close()
