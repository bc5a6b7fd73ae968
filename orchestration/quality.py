"""Great Expectations 1.x suites for the published marts, run on a read-only DuckDB connection.

GX's SQL data sources return empty metrics on DuckDB (GX issues 10738, 11579), so each table is read
through one read-only DuckDB connection into a pandas data source, one column subset at a time.
Marts are aggregates (thousands of rows), so this stays small; large facts get aggregate checks.
Severity lives here, in one place: a suite marked "warn" is reported without blocking publish.
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

os.environ.setdefault("TQDM_DISABLE", "1")  # GX's metric progress bars would flood the run log


@dataclass(frozen=True)
class Check:
    """One expectation: a GX expectation class name and its keyword arguments."""

    expectation: str
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Suite:
    table: str  # the asset the suite is attached to
    checks: tuple[Check, ...]
    severity: str = "error"  # error: blocks publish; warn: reported only
    # A query over the table (aggregates, joins) validated instead of its rows; None: the table itself.
    query: str | None = None
    label: str | None = None  # names a query suite: gx_<table>_<label>

    @property
    def name(self) -> str:
        return f"gx_{self.table}" + (f"_{self.label}" if self.label else "")

    @property
    def blocking(self) -> bool:
        return self.severity == "error"


def _not_null(*cols: str) -> list[Check]:
    return [Check("ExpectColumnValuesToNotBeNull", {"column": c}) for c in cols]


def _between(col: str, lo: float | None, hi: float | None) -> Check:
    return Check("ExpectColumnValuesToBeBetween", {"column": col, "min_value": lo, "max_value": hi})


def _unique_key(*cols: str) -> Check:
    if len(cols) == 1:
        return Check("ExpectColumnValuesToBeUnique", {"column": cols[0]})
    return Check("ExpectCompoundColumnsToBeUnique", {"column_list": list(cols)})


SUITES: tuple[Suite, ...] = (
    Suite(
        "mart_project_evm",
        (
            _unique_key("project_id", "month_start_on"),
            *_not_null("project_id", "month_start_on", "reporting_currency"),
            _between("bac_amount", 0, None),
            _between("pv_amount", 0, None),
            _between("ev_amount", 0, None),
            Check(
                "ExpectColumnPairValuesAToBeGreaterThanB",
                {
                    "column_A": "bac_amount",
                    "column_B": "ev_amount",
                    "or_equal": True,
                    "ignore_row_if": "either_value_is_missing",
                },
            ),
        ),
    ),
    Suite(
        "mart_delivery_flow",
        (
            _unique_key("project_id", "week_start_on"),
            *_not_null("project_id", "week_start_on"),
            _between("throughput_items", 0, None),
            _between("wip_items", 0, None),
            _between("flow_efficiency", 0, 1),
        ),
    ),
    Suite(
        "mart_benefits_realization",
        (
            _unique_key("benefit_id", "month_start_on"),
            *_not_null("benefit_id", "month_start_on"),
        ),
    ),
    Suite(
        "mart_strategic_alignment",
        (
            _unique_key("objective_id", "month_start_on"),
            *_not_null("objective_id", "month_start_on"),
        ),
    ),
    Suite(
        "mart_value_scorecard",
        (
            _unique_key("project_id"),
            *_not_null("project_id"),
        ),
    ),
    Suite(
        "mart_reconciliation",
        (
            *_not_null("check_name"),
            # GL control totals must tie to the cent: a difference is a blocking failure.
            Check(
                "ExpectColumnValuesToBeBetween",
                {
                    "column": "difference_amount",
                    "min_value": -0.004,
                    "max_value": 0.004,
                    "row_condition": 'check_name=="gl_file_total_vs_fact"',
                    "condition_parser": "pandas",
                },
            ),
        ),
    ),
)


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

    @property
    def failures(self) -> list[CheckOutcome]:
        return [o for o in self.outcomes if not o.success]


def _columns_of(check: Check) -> list[str]:
    kw = check.kwargs
    cols = [kw[k] for k in ("column", "column_A", "column_B") if k in kw]
    return cols + list(kw.get("column_list", []))


def run_suite(warehouse: Path, suite: Suite) -> SuiteOutcome:
    import great_expectations as gx
    import great_expectations.expectations as gxe

    needed = sorted({c for check in suite.checks for c in _columns_of(check)})
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        present = {
            r[0]
            for r in con.execute(
                "select column_name from information_schema.columns where table_name = ?", [suite.table]
            ).fetchall()
        }
        if not present:
            return SuiteOutcome(suite, False, 0, [], error=f"table {suite.table} does not exist")
        missing = [c for c in needed if c not in present] if suite.query is None else []
        if missing:
            return SuiteOutcome(suite, False, 0, [], error=f"{suite.table} lacks columns {missing}")
        if suite.query is not None:
            df = con.execute(suite.query).df()
        else:
            select = ", ".join('"' + c.replace('"', '""') + '"' for c in needed) or "1 as one"
            df = con.execute(f'select {select} from "{suite.table}"').df()
    finally:
        con.close()
    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas("vro")
        .add_dataframe_asset(suite.table)
        .add_batch_definition_whole_dataframe("all")
        .get_batch(batch_parameters={"dataframe": df})
    )
    gx_suite = context.suites.add(gx.ExpectationSuite(name=suite.name))
    for check in suite.checks:
        gx_suite.add_expectation(getattr(gxe, check.expectation)(**check.kwargs))
    result = batch.validate(gx_suite, result_format="SUMMARY")
    outcomes = []
    for r in result.results:
        cfg = r.expectation_config
        outcomes.append(
            CheckOutcome(
                expectation=cfg.type,
                column=", ".join(_columns_of(Check("", dict(cfg.kwargs)))),
                success=bool(r.success),
                unexpected_count=int((r.result or {}).get("unexpected_count") or 0),
                sample=[_plain(v) for v in (r.result or {}).get("partial_unexpected_list", [])[:5]],
            )
        )
    return SuiteOutcome(suite, bool(result.success), len(df), outcomes)


def _plain(value):
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return str(value)


def write_html_report(outcomes: list[SuiteOutcome], path: Path) -> Path:
    """A readable validation report: one section per suite, failing expectations first."""
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>VRO validation report</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px}.fail{background:#fdd}.pass{background:#dfd}</style>",
        "</head><body><h1>VRO validation report</h1>",
    ]
    for o in outcomes:
        status = "passed" if o.success else ("FAILED" if o.suite.blocking else "failed (warn)")
        parts.append(f"<h2 id='{o.suite.name}'>{html.escape(o.suite.table)}: {status}</h2>")
        parts.append(f"<p>{o.rows} rows checked; severity {o.suite.severity}.</p>")
        if o.error:
            parts.append(f"<p class='fail'>{html.escape(o.error)}</p>")
        parts.append("<table><tr><th>expectation</th><th>column</th><th>unexpected</th><th>sample</th></tr>")
        for c in sorted(o.outcomes, key=lambda c: c.success):
            cls = "pass" if c.success else "fail"
            parts.append(
                f"<tr class='{cls}'><td>{html.escape(c.expectation)}</td><td>{html.escape(c.column)}</td>"
                f"<td>{c.unexpected_count}</td><td>{html.escape(str(c.sample))}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")
    return path
