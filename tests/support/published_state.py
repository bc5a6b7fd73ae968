"""What a BI reader sees in a home's published folder (and the warehouse it was published from):
the file's hash, and a row count and order-independent checksum of every mart."""

from __future__ import annotations

import hashlib
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from orchestration.warehouse import open_warehouse

# The value marts every good demo run publishes.
PUBLISHED_MARTS = (
    "mart_project_evm",
    "mart_delivery_flow",
    "mart_benefits_realization",
    "mart_strategic_alignment",
    "mart_value_scorecard",
    "mart_reconciliation",
)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mart_fingerprints(con: duckdb.DuckDBPyConnection, schema: str = "main") -> dict[str, list]:
    """Row count and an order-independent checksum of every mart_* table."""
    names = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_schema = ? "
            "and table_name like 'mart_%' and table_type = 'BASE TABLE' order by 1",
            [schema],
        ).fetchall()
    ]
    out = {}
    for n in names:
        count, checksum = con.execute(f'select count(*), sum(hash(t)) from {schema}."{n}" t').fetchone()
        out[n] = [count, str(checksum)]
    return out


def published_state(home: Path) -> dict:
    """What a BI reader would see now: the file's hash and the marts it can read."""
    db = home / "published" / "vro.duckdb"
    con = duckdb.connect(str(db), read_only=True)
    try:
        marts = mart_fingerprints(con)
    finally:
        con.close()
    parquet = parquet_fingerprints(home / "published" / "parquet")
    return {"sha256": sha256(db), "marts": marts, "parquet": parquet}


def parquet_fingerprints(folder: Path) -> dict[str, list]:
    """Row count and checksum of every mart's Parquet file, as mart_fingerprints (raises on a torn file)."""
    con = duckdb.connect()
    try:
        out = {}
        for p in sorted(folder.glob("*.parquet")):
            pq.read_metadata(p)
            sql = f"select count(*), sum(hash(t)) from read_parquet('{p}') t"
            count, checksum = con.execute(sql).fetchone()
            out[p.stem] = [count, str(checksum)]
        return out
    finally:
        con.close()


def warehouse_marts(home: Path) -> dict:
    con = open_warehouse(home / "warehouse.duckdb")
    try:
        return mart_fingerprints(con, "marts")
    finally:
        con.close()
