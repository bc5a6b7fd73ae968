"""Ingest settings: the defaults below (see ingest/FORMATS.md), overridable by a YAML file named in
VRO_INGEST_CONFIG. A setting that cannot be used (unknown key, wrong type, unknown time zone, a date
format that is not a strptime format, ...) raises SettingsError, which the `vro` command reports as
a configuration error (exit 2, one line) before any file is read."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml


class SettingsError(ValueError):
    """The ingest settings file cannot be used; str() says which setting and why, in one line."""


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
    # MS Project Export Wizard files: the locale their display strings were exported in (en_US, en_GB).
    msp_wizard_locale: str = "en_US"
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
        where = f"ingest settings {path} (VRO_INGEST_CONFIG)"
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise SettingsError(f"{where}: cannot be read ({exc.strerror or exc})") from None
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SettingsError(f"{where}: not valid YAML ({first})") from None
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise SettingsError(f"{where}: must be a mapping of setting: value, not {type(data).__name__}")
        known = {f.name for f in fields(cls)}
        unknown = set(map(str, data)) - known
        if unknown:
            raise SettingsError(f"{where}: unknown settings {sorted(unknown)}; known: {sorted(known)}")
        if "jira_csv_date_formats" in data:
            formats = data["jira_csv_date_formats"]
            if isinstance(formats, str):
                formats = [formats]
            if not isinstance(formats, list) or not formats or not all(isinstance(f, str) for f in formats):
                raise SettingsError(f"{where}: jira_csv_date_formats must be a list of strptime formats")
            data["jira_csv_date_formats"] = tuple(formats)
        settings = cls(**data)
        settings.validate(where)
        return settings

    def validate(self, where: str = "ingest settings") -> None:
        """SettingsError for a value of the right name but an unusable type or value."""
        import zoneinfo

        defaults = type(self)()
        for f in fields(self):
            value, default = getattr(self, f.name), getattr(defaults, f.name)
            expected = (int, float) if isinstance(default, float) else type(default)
            if default is None:
                expected = (str, type(None))
            if isinstance(value, bool) and not isinstance(default, bool) or not isinstance(value, expected):
                raise SettingsError(f"{where}: {f.name} must be like {default!r}, not {value!r}")
        try:
            zoneinfo.ZoneInfo(self.jira_export_timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            raise SettingsError(
                f"{where}: jira_export_timezone {self.jira_export_timezone!r} is not a time zone name "
                "(e.g. UTC, Europe/Berlin, America/New_York)"
            ) from None
        if self.msp_wizard_locale not in ("en_US", "en_GB"):
            raise SettingsError(
                f"{where}: msp_wizard_locale must be en_US or en_GB, not {self.msp_wizard_locale!r}"
            )
        if not all("%" in f for f in self.jira_csv_date_formats):
            raise SettingsError(
                f"{where}: jira_csv_date_formats must be strptime formats like %d/%b/%y %H:%M"
            )
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in self.jira_field_mapping.items()):
            raise SettingsError(f"{where}: jira_field_mapping maps names to field ids (text to text)")
        for name in ("max_file_bytes", "max_xlsx_uncompressed_bytes", "parse_workers"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{where}: {name} must be at least 1")
        if self.extra_profiles_dir is not None and not Path(self.extra_profiles_dir).is_dir():
            raise SettingsError(f"{where}: extra_profiles_dir {self.extra_profiles_dir} is not a folder")
