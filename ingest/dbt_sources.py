"""The dbt sources YAML, rendered from the raw-zone contract (ingest/contract.py).

One file per dbt source, `dbt_project/models/staging/<source>/_<source>__sources.yml`: every raw
table with its columns (lineage columns included), their DuckDB types and descriptions, and the
Dagster asset key of the table (`meta.dagster.asset_key`, which dagster-dbt reads). The contract is
the one place: change it, then `make sources` (python -m ingest.dbt_sources) rewrites these files;
tests/unit/test_raw_contract.py fails while they disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import yaml

from ingest.contract import DBT_SOURCES, LINEAGE_COLUMNS, RAW_CONTRACT, Column

STAGING_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "models" / "staging"
RAW_ZONE = (
    "The raw zone written by ingest/: one Parquet file per (table, input file version) under "
    "<VRO_HOME>/raw/<table>/. Append-only: a re-exported file adds a version; staging and intermediate "
    "models apply each entity's latest-wins rule."
)
EXTERNAL_LOCATION = (
    "read_parquet('{{ env_var('VRO_HOME', 'data/home') }}/raw/{name}/*.parquet', union_by_name = true)"
)
HEADER = "# Generated from ingest/contract.py by `make sources`: change the contract, not this file.\n"


class _Dumper(yaml.SafeDumper):
    """Block lists indented under their key, as dbt's own examples write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False):
        return super().increase_indent(flow, False)


class _Key(list):
    """An asset key, written on one line: ["raw", "<table>"]."""


_Dumper.add_representer(
    _Key, lambda d, key: d.represent_sequence("tag:yaml.org,2002:seq", key, flow_style=True)
)


def duckdb_type(dtype: pa.DataType) -> str:
    """The DuckDB type dbt reads an Arrow column of the raw Parquet as."""
    if pa.types.is_decimal(dtype):
        return f"decimal({dtype.precision},{dtype.scale})"
    if pa.types.is_timestamp(dtype):
        return "timestamp"
    names = {pa.string(): "varchar", pa.int64(): "bigint", pa.float64(): "double"}
    names |= {pa.bool_(): "boolean", pa.date32(): "date"}
    return names[dtype]


def _column(column: Column) -> dict:
    entry = {"name": column.name, "data_type": duckdb_type(column.dtype)}
    return entry | ({"description": column.description} if column.description else {})


def sources_yaml(source: str) -> str:
    """The text of `_<source>__sources.yml`."""
    tables = [
        {
            "name": name,
            "description": table.description,
            "meta": {"dagster": {"asset_key": _Key(["raw", name])}},
            "columns": [_column(c) for c in (*table.columns, *LINEAGE_COLUMNS)],
        }
        for name, table in RAW_CONTRACT.items()
        if table.dbt_source == source
    ]
    document = {
        "version": 2,
        "sources": [
            {
                "name": source,
                "description": f"{DBT_SOURCES[source]} {RAW_ZONE}",
                "meta": {"external_location": EXTERNAL_LOCATION},
                "tables": tables,
            }
        ],
    }
    text = yaml.dump(document, Dumper=_Dumper, sort_keys=False, width=1_000, allow_unicode=True)
    return HEADER + text


def sources_path(source: str, staging_dir: Path = STAGING_DIR) -> Path:
    return staging_dir / source / f"_{source}__sources.yml"


def write_sources(staging_dir: Path = STAGING_DIR) -> list[Path]:
    """Rewrite every dbt source's YAML from the contract; the files that changed."""
    changed = []
    for source in DBT_SOURCES:
        path, text = sources_path(source, staging_dir), sources_yaml(source)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
            changed.append(path)
    return changed


if __name__ == "__main__":
    for path in write_sources():
        print(f"wrote {path}", file=sys.stderr)
