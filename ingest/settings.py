"""Ingest settings: defaults from FORMATS.md, overridable by a YAML file named in VRO_INGEST_CONFIG."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml


@dataclass(frozen=True)
class IngestSettings:
    # Jira CSV: dates carry no zone; they are in the exporting user's zone and locale format.
    jira_export_timezone: str = "UTC"
    jira_csv_date_formats: tuple[str, ...] = ("%d/%b/%y %I:%M %p", "%d/%b/%y %H:%M")
    # Jira REST: custom field ids when no /field list lies beside the pages.
    jira_field_mapping: dict[str, str] = field(
        default_factory=lambda: {
            "story_points": "customfield_10016",
            "sprint": "customfield_10020",
            "epic_link": "customfield_10014",
        }
    )
    # Finance mapping profiles: the shipped ones plus any folder named here.
    extra_profiles_dir: str | None = None
    # Safety limits.
    max_file_bytes: int = 4 * 1024**3
    max_xlsx_uncompressed_bytes: int = 512 * 1024**2
    max_xlsx_compression_ratio: float = 200.0
    # A file whose size or mtime changed within this many seconds is still being written.
    settle_seconds: float = 2.0
    # New files are parsed by this many processes at most (never more than the machine's cores).
    parse_workers: int = 4

    @classmethod
    def load(cls, path: str | Path | None = None) -> IngestSettings:
        path = path or os.environ.get("VRO_INGEST_CONFIG")
        if not path:
            return cls()
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"{path}: unknown ingest settings {sorted(unknown)}; known: {sorted(known)}")
        if "jira_csv_date_formats" in data:
            data["jira_csv_date_formats"] = tuple(data["jira_csv_date_formats"])
        return cls(**data)
