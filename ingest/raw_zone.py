"""The raw zone: append-only Parquet, one file per (raw table, input file version).

Layout under <home>/raw/:
    <table>/_empty.parquet             zero rows with the full schema, so dbt's glob always matches
    <table>/<sha256[:16]>.parquet      the rows one input file version contributed

Files are written to a temporary name and renamed, so a killed run never leaves half a file
under a name dbt reads; writing the same file version again replaces it (no duplicates).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ingest.contract import RAW_TABLES, full_schema
from ingest.files import write_atomically
from ingest.sql import sql_identifier, sql_literal


def raw_dir(home: Path) -> Path:
    return Path(home) / "raw"


def ensure_empty_tables(home: Path) -> None:
    """Every raw table has a readable (possibly empty) Parquet set."""
    for table in RAW_TABLES:
        folder = raw_dir(home) / table
        folder.mkdir(parents=True, exist_ok=True)
        empty = folder / "_empty.parquet"
        schema = full_schema(table)
        if not empty.exists() or pq.read_schema(empty) != schema:
            _atomic_write_table(schema.empty_table(), empty)


def version_file(home: Path, table: str, sha256: str) -> Path:
    return raw_dir(home) / table / f"{sha256[:16]}.parquet"


def _atomic_write_table(table: pa.Table, target: Path) -> None:
    with write_atomically(target) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def lineage_values(source_file: str, sha256: str, as_of: dt.date, ingested_at: dt.datetime) -> dict:
    return {
        "_source_file": source_file,
        "_file_sha256": sha256,
        "_file_as_of": as_of,
        "_ingested_at": ingested_at,
    }


def write_table(home: Path, table: str, data: pa.Table | Path, lineage: dict, sha256: str) -> int:
    """Write one input file's rows of `table` with lineage columns; returns the row count."""
    schema = full_schema(table)
    target = version_file(home, table, sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, Path):
        return _write_parquet_with_lineage(data, schema, lineage, target)
    n = data.num_rows
    columns = {}
    for field in schema:
        if field.name in lineage:
            columns[field.name] = pa.array([lineage[field.name]] * n, field.type)
        elif field.name in data.column_names:
            columns[field.name] = data.column(field.name).cast(field.type)
        else:
            raise ValueError(f"{table}: the parser returned no column {field.name!r}")
    _atomic_write_table(pa.table(columns, schema=schema), target)
    return n


def _write_parquet_with_lineage(source: Path, schema: pa.Schema, lineage: dict, target: Path) -> int:
    """Stream a parser's Parquet through DuckDB, adding lineage, without loading it in memory."""
    con = duckdb.connect()
    try:
        con.execute("set preserve_insertion_order = false")
        params = [lineage[f.name] for f in schema if f.name in lineage]
        sql_select, k = [], 0
        for field in schema:
            cast = f"::{_duck_type(field.type)} as {sql_identifier(field.name)}"
            if field.name in lineage:
                k += 1
                sql_select.append(f"${k}{cast}")
            else:
                sql_select.append(f"{sql_identifier(field.name)}{cast}")
        with write_atomically(target) as tmp:
            con.execute(
                f"copy (select {', '.join(sql_select)} from read_parquet(${k + 1})) "
                f"to {sql_literal(tmp)} (format parquet, compression zstd)",
                params + [str(source)],
            )
            rows = con.execute("select count(*) from read_parquet(?)", [str(tmp)]).fetchone()[0]
        return rows
    finally:
        con.close()


def _duck_type(t: pa.DataType) -> str:
    if pa.types.is_decimal(t):
        return f"decimal({t.precision},{t.scale})"
    return {
        pa.string(): "varchar",
        pa.int64(): "bigint",
        pa.float64(): "double",
        pa.bool_(): "boolean",
        pa.date32(): "date",
        pa.timestamp("us"): "timestamp",
    }[t]


def remove_version(home: Path, sha256: str) -> None:
    """Drop every table's rows of one file version (used when a version is re-ingested)."""
    for table in RAW_TABLES:
        path = version_file(home, table, sha256)
        if path.exists():
            path.unlink()


if __name__ == "__main__":  # python -m ingest.raw_zone HOME: lay out an empty raw zone
    import sys

    ensure_empty_tables(Path(sys.argv[1]))
    print(f"empty raw zone ready under {raw_dir(Path(sys.argv[1]))}")
