"""The settings of a VRO installation: one YAML file, `vro.yaml`, with every key at the top level.

Which file is in force: the first of
  1. `vro ... --config FILE`;
  2. the file named by the environment variable VRO_CONFIG;
  3. the file named by VRO_INGEST_CONFIG (deprecated: the old name of VRO_CONFIG, from when the file
     held the ingest settings only; its keys are the same);
  4. `<home>/vro.yaml` (home: `--home`, or VRO_HOME, default data/home), when it exists.
Only that one file is read; a key it does not set keeps its default. `vro.example.yaml` at the
repository root lists every key with its default.

SETTINGS below is the one table of keys: each row names the key, how its value is checked, its
default and what it feeds (a dbt var, the ingest parsers, or the quality gate). Adding a setting is
one row (plus, for a dbt var, the var's default in dbt_project.yml for bare `dbt` runs, and a line in
vro.example.yaml; tests/unit/test_settings.py holds all three in step).

Every problem is one line naming the file, the key and what is wrong; all of them are reported at
once (SettingsError, one problem per line). The `vro` command prints them and exits 2 before any
file is read. Plain Python: read by ingest and by orchestration alike.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import os
import re
import zoneinfo
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

FILE_NAME = "vro.yaml"

# Memory limits of the DuckDB connections Python opens (dbt's own is VRO_DBT_MEMORY_LIMIT in
# profiles.yml); what does not fit spills to disk. Here so that ingest and orchestration read one place.
DUCKDB_MEMORY_LIMIT = "1GB"  # the GL parser's staging of an export, the publish copy
GX_READ_MEMORY_LIMIT = "512MB"  # the quality gate's reads of the raw zone for its GX suites


class SettingsError(ValueError):
    """The settings cannot be used; str() has one line per problem, each naming the key."""


@dataclass(frozen=True)
class IngestSettings:
    """The settings the parsers use (defaults here; the table SETTINGS checks a file's values)."""

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
    def load(cls, path: str | Path | None = None, home: str | Path | None = None) -> IngestSettings:
        """The ingest part of the settings in force (`path`: that file instead of the usual search)."""
        return load_settings(config=path, home=home).ingest


# ---- how a value is checked ------------------------------------------------------------------------
# A check takes the value from the file and the settings file's folder (relative paths are relative
# to it) and returns the value to use, or raises Invalid with what is wrong ("must be ..., not ...").


class Invalid(ValueError):
    pass


Check = Callable[[Any, Path], Any]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _range_text(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f"from {lo:g} to {hi:g}"
    return f"at least {lo:g}" if lo is not None else f"at most {hi:g}"


def number(lo: float | None = None, hi: float | None = None, note: str = "") -> Check:
    def check(value: Any, _base: Path) -> float:
        if not _is_number(value) or not (lo is None or value >= lo) or not (hi is None or value <= hi):
            raise Invalid(f"must be a number {_range_text(lo, hi)}{note}, not {value!r}")
        return float(value)

    return check


def whole_number(lo: int | None = None, hi: int | None = None) -> Check:
    def check(value: Any, _base: Path) -> int:
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not (lo is None or value >= lo)
            or not (hi is None or value <= hi)
        ):
            raise Invalid(f"must be a whole number {_range_text(lo, hi)}, not {value!r}")
        return value

    return check


def number_or_null(lo: float | None = None) -> Check:
    def check(value: Any, base: Path) -> float | None:
        return None if value is None else number(lo)(value, base)

    return check


def true_or_false(value: Any, _base: Path) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"must be true or false, not {value!r}")
    return value


def currency_code(value: Any, _base: Path) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]{3}", value):
        raise Invalid(f"must be a 3-letter currency code such as EUR or GBP, not {value!r}")
    return value.upper()


def month_or_null(value: Any, _base: Path) -> str | None:
    """A month as 2026-09 or any date in it (2026-09-30), kept as its first day; null: latest with data."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.replace(day=1).isoformat()
    if isinstance(value, str):
        for pattern in ("%Y-%m", "%Y-%m-%d"):
            try:
                return dt.datetime.strptime(value.strip(), pattern).date().replace(day=1).isoformat()
            except ValueError:
                pass
    raise Invalid(f"must be a month such as 2026-09 (or null: the latest month with data), not {value!r}")


def text_list(value: Any, _base: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise Invalid(f"must be a list of names such as ['Blocked', 'Waiting%'] (or []), not {value!r}")
    return value


def one_of(*choices: str) -> Check:
    def check(value: Any, _base: Path) -> str:
        if value not in choices:
            raise Invalid(f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    return check


def time_zone(value: Any, _base: Path) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise Invalid(
            f"{value!r} is not a time zone name (e.g. UTC, Europe/Berlin, America/New_York)"
        ) from None
    return value


def date_formats(value: Any, _base: Path) -> tuple[str, ...]:
    formats = [value] if isinstance(value, str) else value
    if (
        not isinstance(formats, list)
        or not formats
        or not all(isinstance(f, str) and "%" in f for f in formats)
    ):
        raise Invalid(f"must be a list of strptime formats like '%d/%b/%y %H:%M', not {value!r}")
    return tuple(formats)


def text_mapping(value: Any, _base: Path) -> dict[str, str]:
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise Invalid(
            f"must map names to field ids (text to text), like {{sprint: customfield_10020}}, not {value!r}"
        )
    return value


def folder_or_null(value: Any, base: Path) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise Invalid(f"must be a folder (or null), not {value!r}")
    folder = (base / value).resolve()  # relative to the settings file's folder
    if not folder.is_dir():
        raise Invalid(f"{folder} is not a folder")
    return str(folder)


SEVERITY_WORDS = {"blocking": "error", "warn": "warn"}  # the file's words -> the severity table's


def severities(value: Any, _base: Path) -> dict[str, str]:
    """Check name -> blocking | warn (the names are checked against the gate's checks on load)."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Invalid(
            "must map check names to blocking or warn, like {gx_ingest_jira_freshness: blocking}, "
            f"not {value!r}"
        )
    bad = [f"of {k} must be blocking or warn, not {v!r}" for k, v in value.items() if v not in SEVERITY_WORDS]
    if bad:
        raise Invalid("\n".join(bad))  # one problem per line
    return {str(k): v for k, v in value.items()}


# ---- what a setting feeds --------------------------------------------------------------------------
@dataclass(frozen=True)
class DbtVar:
    name: str  # the var in dbt_project.yml the models read


INGEST = "ingest"  # a field of IngestSettings of the same name (its default is the field's)
QUALITY = "quality gate"  # overrides a GX suite's entry in the severity table (dbt var vro_severity)


@dataclass(frozen=True)
class Setting:
    key: str
    check: Check
    feeds: DbtVar | str
    default: Any = None  # ingest settings: IngestSettings' field default

    def default_value(self) -> Any:
        if self.feeds == INGEST:
            return getattr(IngestSettings(), self.key)
        return self.default


# ---- the table: every key of vro.yaml ----------------------------------------------------------------
# Other dbt vars become settings by adding a row here (feeds=DbtVar(<var name>)).
SETTINGS: tuple[Setting, ...] = (
    # Setting(key, check of the value, what it feeds, default)
    Setting("reporting_currency", currency_code, DbtVar("reporting_currency"), "EUR"),
    Setting("discount_rate", number(0, 1, " (0.035 is 3.5 %)"), DbtVar("discount_rate_annual"), 0.08),
    Setting("fiscal_year_start_month", whole_number(1, 12), DbtVar("fiscal_year_start_month"), 1),
    Setting("as_of_month", month_or_null, DbtVar("as_of_month"), None),
    Setting("fx_forward_years", whole_number(0, 100), DbtVar("fx_forward_years"), 10),
    Setting("rag_cpi_green", number(0), DbtVar("rag_cpi_green"), 0.95),
    Setting("rag_cpi_amber", number(0), DbtVar("rag_cpi_amber"), 0.85),
    Setting("rag_spi_green", number(0), DbtVar("rag_spi_green"), 0.95),
    Setting("rag_spi_amber", number(0), DbtVar("rag_spi_amber"), 0.85),
    Setting("rag_realization_green", number(0), DbtVar("rag_realization_green"), 0.90),
    Setting("rag_realization_amber", number(0), DbtVar("rag_realization_amber"), 0.70),
    Setting(
        "flow_waiting_statuses",
        text_list,
        DbtVar("flow_waiting_statuses"),
        ["Ready for %", "Waiting%", "Awaiting%", "Blocked", "On Hold"],
    ),
    # internal labour (fct_labour_cost): false when the GL already carries it, so it is not counted twice
    Setting("labour_cost_in_ac", true_or_false, DbtVar("labour_cost_in_ac"), True),
    # value optimization (mart_value_optimization, mart_portfolio_scenarios, mart_portfolio_frontier)
    Setting("optimize_stop_marginal_npv_below", number(), DbtVar("optimize_stop_marginal_npv_below"), 0),
    Setting(
        "optimize_review_marginal_npv_to_etc_below",
        number(),
        DbtVar("optimize_review_marginal_npv_to_etc_below"),
        0.10,
    ),
    Setting(
        "optimize_review_benefits_to_plan_below",
        number(0),
        DbtVar("optimize_review_benefits_to_plan_below"),
        0.70,
    ),
    Setting(
        "optimize_review_after_benefit_months",
        whole_number(0),
        DbtVar("optimize_review_after_benefit_months"),
        3,
    ),
    Setting("optimize_review_cpi_below", number(0), DbtVar("optimize_review_cpi_below"), 0.85),
    Setting("optimize_review_spi_below", number(0), DbtVar("optimize_review_spi_below"), 0.85),
    Setting(
        "optimize_confidence_high_readings", whole_number(1), DbtVar("optimize_confidence_high_readings"), 6
    ),
    Setting("optimize_horizon_months", whole_number(1, 600), DbtVar("optimize_horizon_months"), 12),
    Setting("optimize_budget_cap_amount", number_or_null(0), DbtVar("optimize_budget_cap_amount"), None),
    Setting("optimize_alignment_weighted", true_or_false, DbtVar("optimize_alignment_weighted"), False),
    Setting("optimize_frontier_levels", whole_number(2, 200), DbtVar("optimize_frontier_levels"), 20),
    Setting("severity", severities, QUALITY, {}),
    Setting("jira_export_timezone", time_zone, INGEST),
    Setting("jira_csv_date_formats", date_formats, INGEST),
    Setting("jira_field_mapping", text_mapping, INGEST),
    Setting("msp_wizard_locale", one_of("en_US", "en_GB"), INGEST),
    Setting("extra_profiles_dir", folder_or_null, INGEST),
    Setting("max_file_bytes", whole_number(1), INGEST),
    Setting("max_xlsx_uncompressed_bytes", whole_number(1), INGEST),
    Setting("max_xlsx_compression_ratio", number(1), INGEST),
    Setting("settle_seconds", number(0), INGEST),
    Setting("parse_workers", whole_number(1), INGEST),
)
BY_KEY: dict[str, Setting] = {s.key: s for s in SETTINGS}
# Pairs whose first must not be below the second (green at or above the first, amber at the second).
NOT_BELOW = (
    ("rag_cpi_green", "rag_cpi_amber"),
    ("rag_spi_green", "rag_spi_amber"),
    ("rag_realization_green", "rag_realization_amber"),
)


# ---- the settings in force -------------------------------------------------------------------------
DEFAULT = "default"


@dataclass(frozen=True)
class Settings:
    values: dict[str, Any]  # every key of SETTINGS
    sources: dict[str, str]  # key -> "default" or "<file> (<how it was found>)"
    file: Path | None = None  # the settings file in force
    found_by: str | None = None  # --config, VRO_CONFIG, VRO_INGEST_CONFIG or home

    @property
    def ingest(self) -> IngestSettings:
        names = {f.name for f in fields(IngestSettings)}
        return IngestSettings(**{k: v for k, v in self.values.items() if k in names})

    @property
    def dbt_vars(self) -> dict[str, Any]:
        """Every model setting as the dbt var it feeds (passed to each dbt invocation as --vars)."""
        return {s.feeds.name: self.values[s.key] for s in SETTINGS if isinstance(s.feeds, DbtVar)}

    @property
    def severity(self) -> dict[str, str]:
        """Check name -> "error" | "warn" for the checks the file names (the severity table's words)."""
        return {name: SEVERITY_WORDS[word] for name, word in self.values["severity"].items()}

    def fingerprint(self) -> str:
        """What the dbt build and the gate depend on (dbt vars and severities), as a hash."""
        state = json.dumps([self.dbt_vars, self.severity], sort_keys=True, default=str)
        return hashlib.sha256(state.encode()).hexdigest()

    def rows(self) -> list[dict[str, Any]]:
        """One {setting, value, source} per key, in the table's order (last_run.json, vro config)."""
        return [
            {"setting": s.key, "value": self.values[s.key], "source": self.sources[s.key]} for s in SETTINGS
        ]


def show_value(value: Any) -> str:
    """A value as one line of text, as YAML would read it back (vro config, the dashboard)."""
    if value is None:
        return "null"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def defaults() -> Settings:
    values = {s.key: s.default_value() for s in SETTINGS}
    return Settings(values, dict.fromkeys(values, DEFAULT))


def find_settings_file(
    config: str | Path | None = None, home: str | Path | None = None
) -> tuple[Path | None, str | None]:
    """The settings file in force and how it was found (see the module docstring), or (None, None)."""
    if config:
        return Path(config).absolute(), "--config"
    for variable in ("VRO_CONFIG", "VRO_INGEST_CONFIG"):
        if os.environ.get(variable):
            return Path(os.environ[variable]).absolute(), variable
    home = Path(home) if home else Path(os.environ.get("VRO_HOME", "data/home"))  # as VroPaths
    candidate = (home / FILE_NAME).absolute()
    if candidate.is_file():
        return candidate, "home"
    return None, None


def load_settings(
    config: str | Path | None = None,
    home: str | Path | None = None,
    check_names: Collection[str] | None = None,
) -> Settings:
    """The settings in force: the defaults, overridden by the keys of the settings file found.

    `check_names`: the quality gate's check names, to refuse an unknown name under `severity`
    (orchestration passes them; ingest does not know them). SettingsError lists every problem."""
    path, how = find_settings_file(config, home)
    if path is None:
        return defaults()
    return read_settings_file(path, how, check_names)


def read_settings_file(
    path: Path, how: str = "--config", check_names: Collection[str] | None = None
) -> Settings:
    where = f"settings file {path} ({how})"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"{where}: cannot be read ({exc.strerror or exc})") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SettingsError(f"{where}: not valid YAML ({first})") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SettingsError(f"{where}: must be a mapping of setting: value, not {type(data).__name__}")
    settings = defaults()
    values, sources = dict(settings.values), dict(settings.sources)
    problems: list[str] = []
    for key, value in data.items():
        row = BY_KEY.get(str(key))
        if row is None:
            close = difflib.get_close_matches(str(key), BY_KEY, n=1)
            hint = f" (did you mean {close[0]}?)" if close else " (vro.example.yaml lists every setting)"
            problems.append(f"unknown setting {str(key)!r}{hint}")
            continue
        try:
            values[row.key] = row.check(value, path.parent)
            sources[row.key] = f"{path} ({how})"
        except Invalid as exc:
            problems.extend(f"{row.key} {line}" for line in str(exc).splitlines())
    for high, low in NOT_BELOW:
        if _is_number(values[high]) and _is_number(values[low]) and values[low] > values[high]:
            problems.append(f"{low} ({values[low]:g}) must not be above {high} ({values[high]:g})")
    named = data.get("severity")
    if check_names is not None and isinstance(named, dict):
        for name in map(str, named):
            if name not in check_names:
                close = difflib.get_close_matches(name, check_names, n=1)
                hint = (
                    f" (did you mean {close[0]}?)" if close else " (the names are those of the run summary)"
                )
                problems.append(f"severity names an unknown check {name!r}{hint}")
    if problems:
        raise SettingsError("\n".join(f"{where}: {p}" for p in problems))
    return Settings(values, sources, path, how)
