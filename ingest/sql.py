"""Quoting a value or a name into DuckDB SQL text, where a parameter cannot go (COPY ... TO, a file glob
in read_parquet, SET, a regular expression built into an expression, a column or table name)."""

from __future__ import annotations

from pathlib import Path


def sql_literal(value: str | Path) -> str:
    """`value` as a SQL string literal: in single quotes, its own single quotes doubled."""
    return "'" + str(value).replace("'", "''") + "'"


def sql_identifier(name: str) -> str:
    """`name` as a quoted SQL identifier: in double quotes, its own double quotes doubled."""
    return '"' + name.replace('"', '""') + '"'
