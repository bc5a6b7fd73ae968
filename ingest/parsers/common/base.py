"""What every parser returns, and the errors it may raise.

A parser is a function `parse(path: Path, ctx: ParseContext) -> ParseResult`.

Accounting rule (checked by `ingest.runner` for every file):
    result.rows_read == result.rows_loaded + result.rows_rejected
where a "row" is the file's primary record: an issue (Jira CSV/JSON issue pages), a history entry
(Jira changelog pages), a task (MSPDI XML, Export Wizard), a data line (finance and templates),
a field (Jira /field lists). Child rows (baselines, links, sprint memberships, ...) ride along with
their primary record and are not counted separately.

A row is rejected whole (never loaded half-null): its reject names the row (`ref`), the column,
the offending value and a reason a person understands.
A file that cannot be read at all (unknown shape, missing required columns, bad XML, too large,
...) raises `FileRejected` with a message that names what is wrong.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from ingest.contract import RAW_TABLES
from ingest.settings import IngestSettings


class FileRejected(Exception):
    """The whole file is rejected; the message says why (missing columns, unknown shape, ...)."""

    def __init__(self, message: str, rows_read: int = 0):
        super().__init__(message)
        self.rows_read = rows_read


@dataclass(frozen=True)
class Reject:
    ref: str  # "row 12" (the record as a spreadsheet numbers it: the header is row 1) or an XML/JSON path
    column: str | None  # the column or field at fault; None for a row-level problem
    value: str | None  # the offending value as found in the file
    reason: str  # for a person: "date '31/02/25' matches none of the formats dd/Mon/yy h:mm AM, ..."


@dataclass
class ParseContext:
    landing_dir: Path  # the landing folder (to find sibling files such as a Jira /field list)
    source_file: str  # path relative to the landing folder, as recorded in lineage
    work_dir: Path  # a private scratch folder for this file (spill files, intermediate Parquet)
    settings: IngestSettings = field(default_factory=IngestSettings)


@dataclass
class ParseResult:
    """Tables keyed by raw table name (see ingest.contract.RAW_TABLES).

    Each value is a pyarrow Table, or the Path of a Parquet file the parser wrote itself (for
    large inputs streamed through DuckDB), with the table's columns plus `_source_ref` (string).
    """

    tables: dict[str, pa.Table | Path]
    rejects: list[Reject]
    rows_read: int
    rows_loaded: int
    file_kind: str
    # for Path-valued tables: the rejects as a Parquet file with columns ref, column, value, reason
    rejects_parquet: Path | None = None
    rows_rejected_override: int | None = None
    note: str = ""  # for the person reading the accounting (e.g. which measures missing columns cannot feed)

    @property
    def rows_rejected(self) -> int:
        if self.rows_rejected_override is not None:
            return self.rows_rejected_override
        return len({r.ref for r in self.rejects})


def rows_to_table(table: str, rows: list[dict]) -> pa.Table:
    """Build a raw table from row dicts (keys: the table's columns plus `_source_ref`).

    Missing keys become null; unknown keys are an error (a typo must not vanish silently).
    """
    schema = RAW_TABLES[table].append(pa.field("_source_ref", pa.string()))
    names = set(schema.names)
    for row in rows[:1]:
        unknown = set(row) - names
        if unknown:
            raise ValueError(f"{table}: unknown columns {sorted(unknown)}")
    columns = {name: [row.get(name) for row in rows] for name in schema.names}
    return pa.Table.from_pydict(columns, schema=schema)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off for a block that builds millions of small, acyclic
    objects (a Jira JSON page's tree and rows, a month of demo GL documents): its passes over them
    cost about a fifth of the time, and reference counting frees them all the same."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
