"""Which parser reads which file: recognised by content, within the landing sub-folder's source.

Each parser module exposes
    sniff(path: Path, head: str) -> str | None    # the file kind it reads, or None
    parse(path: Path, ctx: ParseContext, kind: str) -> ParseResult
`head` is the file's first 64 KiB decoded as text (BOM stripped; empty for XLSX and other
binary files, which a module recognises by suffix and by opening them).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

SOURCE_MODULES: dict[str, tuple[str, ...]] = {
    # Tempo worklog exports first: their headers (Issue Key, Project Key, Reporter, ...) would
    # otherwise pass for a Jira CSV export.
    "jira": (
        "ingest.parsers.jira.tempo_worklogs",
        "ingest.parsers.jira.csv_export",
        "ingest.parsers.jira.rest_json",
    ),
    "msproject": ("ingest.parsers.msproject.mspdi", "ingest.parsers.msproject.wizard"),
    "finance": ("ingest.parsers.finance.gl_budgets", "ingest.parsers.finance.fx"),
    "benefits": ("ingest.parsers.templates.value_office",),
    "strategy": ("ingest.parsers.templates.value_office",),
    "registry": ("ingest.parsers.templates.value_office",),
    "worklogs": ("ingest.parsers.jira.tempo_worklogs",),  # Tempo Timesheets exports
    "rates": ("ingest.parsers.templates.value_office",),  # rate card and people
}

SOURCES = tuple(SOURCE_MODULES)
HEAD_BYTES = 64 * 1024


def read_head(path: Path) -> str:
    with path.open("rb") as fh:
        raw = fh.read(HEAD_BYTES)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="ignore")
    if raw.startswith(b"PK\x03\x04") or b"\x00" in raw[:1024]:
        return ""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8", errors="replace")


def recognise(source: str, path: Path) -> tuple[ModuleType, str] | None:
    """The parser module and file kind for a file of `source`, or None when no parser claims it."""
    head = read_head(path)
    for module_name in SOURCE_MODULES[source]:
        module = importlib.import_module(module_name)
        kind = module.sniff(path, head)
        if kind:
            return module, kind
    return None
