"""Running one suite (suites.py) with Great Expectations 1.x, and its outcome as plain JSON-ready data.

GX's SQL data sources return empty metrics on DuckDB (GX issues 10738, 11579), so the rows come from
DuckDB and GX validates them as a pandas frame: a read-only connection to the warehouse for the
marts, an in-memory connection reading the raw Parquet (read_parquet) for the raw zone. Memory stays
bounded: a suite reads only the columns its expectations name, and checks over large tables (10M-row
GL files) are written as aggregate queries whose rows are per file, per key group or per violation.

Raw queries name raw tables with placeholders, replaced by `expand_query`:
    {raw:T}        every row of every file version of raw table T (the append-only zone)
    {latest:T}     rows of the latest version (max _ingested_at) of each landing file
    {snapshot:T}   rows of the single newest file version (max _file_as_of, then _ingested_at): the
                   latest-wins view of sources delivered as whole snapshots (registry, register, ...)
    {ingest_report:S}  the per-file outcomes the ingest asset of source S wrote in this run (every
                   file now in landing/S/, with the status it was read or committed with)
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.sql import sql_identifier, sql_literal
from orchestration.defs.gate.suites import SUITES, Check, Suite
from orchestration.settings import GX_READ_MEMORY_LIMIT  # raw aggregates spill to disk beyond it
from orchestration.warehouse import open_warehouse

SAMPLE_ROWS = 5  # failing rows kept per expectation (check metadata, last_run.json, HTML report)


@dataclass
class CheckOutcome:
    expectation: str
    column: str
    success: bool
    unexpected_count: int
    sample: list


@dataclass
class SuiteOutcome:
    suite: Suite
    success: bool
    rows: int
    outcomes: list[CheckOutcome]
    error: str | None = None
    seconds: float = 0.0
    not_provided: bool = False  # never a row in the raw table it needs: not run (Suite.needs_rows_of)

    @property
    def failures(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if not o.success]

    def to_dict(self) -> dict:
        return {
            "suite": self.suite.name,
            "table": self.suite.table,
            "severity": self.suite.severity,
            "success": self.success,
            "rows": self.rows,
            "error": self.error,
            "seconds": self.seconds,
            "not_provided": self.not_provided,
            "outcomes": [vars(o) for o in self.outcomes],
        }

    @classmethod
    def from_dict(cls, data: dict) -> SuiteOutcome:
        suite = next(s for s in SUITES if s.name == data["suite"])
        outcomes = [CheckOutcome(**o) for o in data["outcomes"]]
        return cls(
            suite,
            data["success"],
            data["rows"],
            outcomes,
            data["error"],
            data.get("seconds", 0.0),
            data.get("not_provided", False),
        )


def _columns_of(check: Check) -> list[str]:
    kw = check.kwargs
    cols = [kw[k] for k in ("column", "column_A", "column_B") if k in kw]
    return cols + list(kw.get("column_list", []))


_PLACEHOLDER = re.compile(r"\{(raw|latest|snapshot|ingest_report):([a-z_0-9]+)\}")
INGEST_REPORT_COLUMNS = "{path: 'VARCHAR', status: 'VARCHAR', previous_status: 'VARCHAR', message: 'VARCHAR'}"


def expand_query(query: str, raw_dir: Path) -> str:
    """Replace {raw:T}, {latest:T} and {snapshot:T} with reads of the raw Parquet of table T."""

    def files(table: str) -> str:
        glob = sql_literal(Path(raw_dir) / table / "*.parquet")
        return f"read_parquet({glob}, union_by_name = true)"  # homes written before a column was added

    def repl(m: re.Match) -> str:
        kind, table = m.group(1), m.group(2)
        if kind == "ingest_report":  # <home>/reports/ingest/<source>.json, beside <home>/raw
            report = sql_literal(Path(raw_dir).parent / "reports" / "ingest" / f"{table}.json")
            return f"read_json({report}, format = 'array', columns = {INGEST_REPORT_COLUMNS})"
        src = files(table)
        if kind == "raw":
            return src
        if kind == "latest":
            return (
                f"(select t.* from {src} t join (select _source_file, max(_ingested_at) as _v "
                f"from {src} group by _source_file) v on t._source_file = v._source_file "
                f"and t._ingested_at = v._v)"
            )
        return (
            f"(select t.* from {src} t join (select _file_sha256 as _s from {src} "
            f"group by _file_sha256 order by max(_file_as_of) desc, max(_ingested_at) desc limit 1) v "
            f"on t._file_sha256 = v._s)"
        )

    return _PLACEHOLDER.sub(repl, query)


def _read_frame(suite: Suite, warehouse: Path | None, raw_dir: Path | None):
    """The rows the suite validates, as a pandas frame; raises LookupError when they cannot be read."""
    if suite.raw:
        if raw_dir is None or not Path(raw_dir).is_dir():
            raise LookupError(f"raw zone {raw_dir} does not exist")
        spill = Path(raw_dir).parent / ".quality_tmp"  # beside the raw zone, not the working directory
        con = duckdb.connect(config={"memory_limit": GX_READ_MEMORY_LIMIT, "temp_directory": str(spill)})
        try:
            return con.execute(expand_query(suite.query or "", raw_dir)).df()
        except duckdb.Error as exc:
            raise LookupError(f"{suite.name}: raw query failed: {exc}") from exc
        finally:
            con.close()
    if warehouse is None or not Path(warehouse).exists():
        raise LookupError(f"warehouse {warehouse} does not exist")
    con = open_warehouse(warehouse)
    try:
        present = {
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_name = ?", [suite.table]
            ).fetchall()
        }
        if not present:
            raise LookupError(f"table {suite.table} does not exist in {Path(warehouse).name}")
        if suite.query is not None:
            return con.execute(suite.query).df()
        needed = sorted({c for check in suite.checks for c in _columns_of(check)} | set(suite.keys))
        missing = [c for c in needed if c not in present]
        if missing:
            raise LookupError(f"{suite.table} lacks columns {missing}")
        select = ", ".join(sql_identifier(c) for c in needed) or "1 as one"
        return con.execute(f'select {select} from "{suite.table}"').df()
    except duckdb.Error as exc:
        raise LookupError(f"{suite.name}: query failed: {exc}") from exc
    finally:
        con.close()


def _quiet_context():
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    try:  # GX prints a progress bar per metric computation: noise in the run log
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
    except Exception:  # noqa: BLE001 - cosmetic only
        pass
    return context


def run_suite(suite: Suite, warehouse: Path | None = None, raw_dir: Path | None = None) -> SuiteOutcome:
    """Validate one suite: mart suites read `warehouse` read-only, raw suites read `raw_dir` Parquet."""
    import time

    import great_expectations as gx
    import great_expectations.expectations as gxe

    started = time.perf_counter()
    if suite.needs_rows_of and raw_dir is not None and not has_rows(raw_dir, suite.needs_rows_of):
        return SuiteOutcome(suite, True, 0, [], not_provided=True)
    try:
        df = _read_frame(suite, warehouse, raw_dir)
    except LookupError as exc:
        return SuiteOutcome(
            suite, False, 0, [], error=str(exc), seconds=round(time.perf_counter() - started, 3)
        )
    missing = sorted({c for check in suite.checks for c in _columns_of(check)} - set(df.columns))
    if missing:
        return SuiteOutcome(suite, False, len(df), [], error=f"{suite.name}: query lacks columns {missing}")
    for col in df.columns:  # GX compares numbers: decimals (money) as floats, exact to the cent here
        first = df[col].dropna().head(1).tolist() if df[col].dtype == object else []
        if first and isinstance(first[0], decimal.Decimal):
            df[col] = df[col].astype(float)
    context = _quiet_context()
    batch = (
        context.data_sources.add_pandas("vro")
        .add_dataframe_asset(suite.name)
        .add_batch_definition_whole_dataframe("all")
        .get_batch(batch_parameters={"dataframe": df})
    )
    gx_suite = context.suites.add(gx.ExpectationSuite(name=suite.name))
    for check in suite.checks:
        gx_suite.add_expectation(getattr(gxe, check.expectation)(**check.kwargs))
    result_format: dict = {"result_format": "SUMMARY", "partial_unexpected_count": SAMPLE_ROWS}
    keys = [k for k in suite.keys if k in df.columns]
    if keys:
        result_format["unexpected_index_column_names"] = keys
    result = batch.validate(gx_suite, result_format=result_format)
    outcomes = []
    for r in result.results:
        cfg = r.expectation_config
        res = r.result or {}
        sample = res.get("partial_unexpected_index_list") or res.get("partial_unexpected_list") or []
        if not r.success and not sample and r.exception_info and r.exception_info.get("raised_exception"):
            sample = [{"exception": r.exception_info.get("exception_message")}]
        outcomes.append(
            CheckOutcome(
                expectation=cfg.type,
                column=", ".join(_columns_of(Check("", dict(cfg.kwargs)))),
                success=bool(r.success),
                unexpected_count=int(res.get("unexpected_count") or 0),
                sample=[_plain(v) for v in sample[:SAMPLE_ROWS]],
            )
        )
    return SuiteOutcome(
        suite, bool(result.success), len(df), outcomes, seconds=round(time.perf_counter() - started, 3)
    )


def has_rows(raw_dir: Path, table: str) -> bool:
    """Whether any file version of the raw table holds a row (Parquet metadata: no data is read)."""
    if not any((Path(raw_dir) / table).glob("*.parquet")):
        return False
    con = duckdb.connect()
    try:
        return (
            con.execute(f"select count(*) from {expand_query(f'{{raw:{table}}}', raw_dir)}").fetchone()[0] > 0
        )
    finally:
        con.close()


def sample_text(row) -> str:
    """A failing row of a check as `column=value` pairs (a plain value as it is): how the run log,
    the check's metadata and `vro run` show a sample, never as JSON."""
    if isinstance(row, dict):
        return " ".join(f"{k}={'-' if v is None else v}" for k, v in row.items())
    return "-" if row is None else str(row)


def _plain(value):
    """JSON-ready: numpy scalars, timestamps and decimals become plain numbers and strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, str | bool):
        return value
    if hasattr(value, "item") and not isinstance(value, dt.date):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and value != value:  # NaN / NaT as float
        return None
    if isinstance(value, int | float):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return (
            value.date().isoformat() if value == dt.datetime.combine(value.date(), dt.time()) else str(value)
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return None if text in ("NaT", "nan") else text
