"""Opening the build database (`<home>/warehouse.duckdb`) the one way every reader does.

dbt builds each layer into its own schema (staging, intermediate, core, marts: see dbt_project.yml).
Readers name tables unqualified; the search path finds them in the layers, published layers first.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingest.sql import sql_literal

LAYER_SCHEMAS = ("marts", "core", "intermediate", "staging", "main")  # searched in this order


def open_warehouse(path: Path | str, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse at `path` (read-only by default) whose unqualified table names
    resolve through the layer schemas, in the order of LAYER_SCHEMAS. DuckDB refuses a search path
    naming a schema that does not exist, so a layer not built (yet) is left out."""
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        present = {
            r[0]
            for r in con.execute(
                "select schema_name from information_schema.schemata where catalog_name = current_database()"
            ).fetchall()
        }
        search_path = ",".join(s for s in LAYER_SCHEMAS if s in present)
        con.execute(f"set search_path = {sql_literal(search_path)}")
    except duckdb.Error:
        con.close()
        raise
    return con
