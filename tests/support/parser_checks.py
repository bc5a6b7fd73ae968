"""What every parser's result must keep, checked the same way for each source."""

from __future__ import annotations

from pathlib import Path


def check_parse_result(result) -> None:
    """A parser's result keeps the accounting rule and gives every table its raw schema + _source_ref."""
    import pyarrow as pa

    from ingest.contract import RAW_TABLES

    assert result.rows_read == result.rows_loaded + result.rows_rejected
    for name, table in result.tables.items():
        assert table.schema == RAW_TABLES[name].append(pa.field("_source_ref", pa.string()))


def check_writes_into_raw_zone(result, home: Path, source_file: str, sha: str, as_of, ingested_at) -> None:
    """Every table of a parser's result goes into the raw zone whole (one file version, lineage given)."""
    from ingest.raw_zone import lineage_values, write_table

    lineage = lineage_values(source_file, sha, as_of, ingested_at)
    for name, table in result.tables.items():
        assert write_table(home, name, table, lineage, sha) == table.num_rows
