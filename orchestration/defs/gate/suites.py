"""The gate's Great Expectations 1.x suites, as data: a `Suite` of `Check`s per raw table and per
published mart (run by runner.run_suite, attached to their assets by checks.build_gx_checks).

One owner per rule:
- the ingest parsers own what one cell or row of an export may hold (allowed words such as a
  benefit's category or a project's status, a share between 0 and 1): a bad row is rejected there;
- GX (the raw suites here) owns the raw-zone contract across rows and files, checked before dbt runs:
  keys unique per file, control totals tying to the GL lines of their file, a benefit's shares and a
  project's weights summing to at most 1, freshness, files readable, one snapshot per date;
- dbt tests own the invariants of the models: keys unique and not null, accepted values, the loaded
  GL lines tying to the control totals (dbt_project/tests/), the published marts' rules. The mart
  suites here hold only the ranges and orderings the dbt YAML does not state yet.

Every source has a `files_readable` suite: a file of that source that could not be read (rejected
whole, or failed; in this run or when it was ingested and still in the landing folder) fails it, so
a run never publishes over a file it could not read without saying so. Its severity per source is
in the severity table like every other check's: blocking (error) for finance, worklogs (labour
cost) and the value office's templates (benefits, strategy, registry, rates), a warning for Jira
and MS Project, whose many exports overlap (the previous version of a rejected page or schedule
stays in use, and the run report names the file).

Severity, of GX suites and dbt tests alike, lives in one table: the dbt var `vro_severity` in
dbt_project.yml (check name -> warn; a check not named is error, and its failure blocks publish).
`SEVERITY` below is that table as read from the file; a dbt test that warns reads its entry in its
config (`severity: "{{ var('vro_severity').get('<test name>', 'error') }}"`), so nothing else writes a
severity (tests/unit/test_quality_suites.py fails on one that does). The settings file's `severity:`
entries override a GX suite's per run (checks.build_gx_checks). Freshness limits: `FRESHNESS_DAYS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from orchestration.settings import DBT_PROJECT_DIR


# ---- configuration ---------------------------------------------------------------------------------
def _severity_table() -> dict[str, str]:
    """The one severity table, var `vro_severity` in dbt_project.yml: check name -> warn (or error)
    for GX suites and dbt tests alike; a check not named is error (blocks publish)."""
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return dict(project["vars"]["vro_severity"])


SEVERITY: dict[str, str] = _severity_table()

# Freshness: the latest date a source carries may lag the latest schedule status date in the data
# (max msp_projects.status_on; today when no schedule is loaded) by at most this many days.
FRESHNESS_DAYS: dict[str, int] = {
    "jira": 14,
    "msproject": 45,
    "finance": 45,
    "benefits": 62,
    "strategy": 400,
    "registry": 120,
}


@dataclass(frozen=True)
class Check:
    """One expectation: a GX expectation class name and its keyword arguments."""

    expectation: str
    kwargs: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Suite:
    table: str  # a mart or bridge the suite reads; for a raw suite ingest_<source>, which names it
    checks: tuple[Check, ...]
    # A query validated instead of the table's rows (aggregates, joins, raw Parquet); None: the table.
    query: str | None = None
    label: str | None = None  # names a query suite: gx_<table>_<label>
    keys: tuple[str, ...] = ()  # columns that identify a failing row in the sample
    # A raw suite: the raw table it checks, whose asset it hangs on (checks.raw_table_key); its query
    # reads the raw zone (placeholders), not the warehouse.
    raw_table: str | None = None
    # The outcome is a function of the raw zone and the code only (reused while both are unchanged).
    # Not so for a suite that reads the run's ingest report: a removed landing file changes it.
    cacheable: bool = True
    severity_setting: str | None = None  # the settings file's `severity:` entry, over SEVERITY's
    # A raw table the suite needs rows of: until a row was ever loaded into it (no jira/ folder,
    # no KPI readings yet) the suite is not run and its outcome says "not provided": a source
    # nobody delivers is not stale.
    needs_rows_of: str | None = None

    @property
    def name(self) -> str:
        return f"gx_{self.table}" + (f"_{self.label}" if self.label else "")

    @property
    def raw(self) -> bool:
        return self.raw_table is not None

    @property
    def checked_table(self) -> str:
        """The raw table, mart or bridge whose rows the suite checks."""
        return self.raw_table or self.table

    @property
    def severity(self) -> str:
        return self.severity_setting or SEVERITY.get(self.name, "error")

    @property
    def blocking(self) -> bool:
        return self.severity == "error"


def _not_null(*cols: str) -> list[Check]:
    return [Check("ExpectColumnValuesToNotBeNull", {"column": c}) for c in cols]


def _between(col: str, lo: float | None, hi: float | None) -> Check:
    return Check("ExpectColumnValuesToBeBetween", {"column": col, "min_value": lo, "max_value": hi})


def _zero(col: str) -> Check:
    return _between(col, 0, 0)


def _in_set(col: str, *values: str) -> Check:
    return Check("ExpectColumnValuesToBeInSet", {"column": col, "value_set": list(values)})


def _unique_key(*cols: str) -> Check:
    if len(cols) == 1:
        return Check("ExpectColumnValuesToBeUnique", {"column": cols[0]})
    return Check("ExpectCompoundColumnsToBeUnique", {"column_list": list(cols)})


def _on_or_before(start: str, finish: str) -> Check:
    """start <= finish wherever both are given."""
    return Check(
        "ExpectColumnPairValuesAToBeGreaterThanB",
        {"column_A": finish, "column_B": start, "or_equal": True, "ignore_row_if": "either_value_is_missing"},
    )


def _at_most(col: str, limit: str) -> Check:
    """col <= limit wherever both are given (the same check as _on_or_before, for amounts)."""
    return _on_or_before(col, limit)


SHARE_TOLERANCE = 1e-6  # shares and weights are doubles typed by people: 0.3 + 0.7 may be 1.0000000000000002


def _raw_suite(
    source: str, table: str, label: str, checks: tuple[Check, ...], *, query: str, keys: tuple[str, ...]
) -> Suite:
    """A suite over raw table `table` (placeholders in `query`), named gx_ingest_<source>_<label>."""
    return Suite(f"ingest_{source}", checks, query=query, label=label, keys=keys, raw_table=table)


def _select(view: str, *columns: str) -> str:
    """The named columns of every row of a raw view, e.g. "latest:jira_issues"."""
    return f"select {', '.join(columns)} from {{{view}}}"


def _copies(*key: str) -> str:
    """A column `copies`: how many rows share the key (1 where it is unique)."""
    return f"count(*) over (partition by {', '.join(key)}) as copies"


def _duplicates(table: str, *key: str) -> str:
    """Keys appearing more than once in the latest version of one landing file (violations only)."""
    cols = ", ".join(key)
    return (
        f"select _source_file, {cols}, count(*) as copies from {{latest:{table}}} "
        f"group by _source_file, {cols} having count(*) > 1 limit 1000"
    )


def _unique_per_file(source: str, label: str, table: str, *key: str) -> Suite:
    """Each key at most once in the latest version of each landing file of raw table `table`."""
    checks = (_between("copies", 1, 1),)
    return _raw_suite(
        source, table, label, checks, query=_duplicates(table, *key), keys=("_source_file", *key)
    )


def _freshness(source: str, latest_expr: str, table: str) -> Suite:
    query = f"""
        with ref as (select coalesce(max(status_on), current_date) as reference_on from {{raw:msp_projects}})
        select '{source}' as source, cast(max({latest_expr}) as date) as latest_on,
               any_value(reference_on) as reference_on,
               date_diff('day', cast(max({latest_expr}) as date), any_value(reference_on)) as lag_days
        from {{raw:{table}}}, ref
    """
    checks = (*_not_null("latest_on"), _between("lag_days", None, FRESHNESS_DAYS[source]))
    keys = ("source", "latest_on", "reference_on")
    return Suite(
        f"ingest_{source}",
        checks,
        query=query,
        label="freshness",
        keys=keys,
        raw_table=table,
        needs_rows_of=table,
    )


# The raw table a source's files_readable suite hangs on: the one its files are first read into.
FILES_READABLE_TABLES: dict[str, str] = {
    "jira": "jira_issues",
    "msproject": "msp_projects",
    "finance": "gl_line_items",
    "benefits": "benefits_register",
    "strategy": "strategy_objectives",
    "registry": "registry_projects",
    "worklogs": "worklogs",
    "rates": "rate_card",
}


def _files_readable(source: str) -> Suite:
    """No file now in landing/<source>/ that could not be read: one row per file, `unreadable` 1
    for a file rejected whole or failed (in this run, or when it was ingested and unchanged since)."""
    query = f"""
        select path, status, coalesce(previous_status, '') as previous_status, message,
          case when status in ('rejected', 'failed')
                 or (status = 'unchanged' and previous_status in ('rejected', 'failed'))
               then 1 else 0 end as unreadable
        from {{ingest_report:{source}}}
    """
    return Suite(
        f"ingest_{source}",
        (_zero("unreadable"),),
        query=query,
        label="files_readable",
        keys=("path", "status", "message"),
        raw_table=FILES_READABLE_TABLES[source],
        cacheable=False,
    )


# Templates delivered as whole snapshots, dated by their file name (else their modification date).
SNAPSHOT_TABLES = (
    ("registry", "registry_projects"),
    ("registry", "portfolio_scenarios"),
    ("strategy", "strategy_objectives"),
    ("strategy", "strategy_alignment"),
    ("benefits", "benefits_register"),
    ("benefits", "benefits_attribution"),
    ("benefits", "benefits_plan"),
    ("rates", "rate_card"),
    ("rates", "people"),
)


def _one_snapshot_per_date(source: str, table: str) -> Suite:
    """The newest snapshot date of a template comes from one file version: two different files of
    the same date (two attribution files dropped on one day) conflict, and the one ingested last
    (in file-name order within a run) silently wins without this check (a warning: it says which)."""
    query = f"""
        select '{table}' as raw_table, _file_as_of as snapshot_on,
          count(distinct _file_sha256) as versions,
          string_agg(distinct _source_file, ', ') as files
        from {{raw:{table}}}
        group by _file_as_of
        qualify _file_as_of = max(_file_as_of) over ()
    """
    return Suite(
        f"ingest_{source}",
        (_between("versions", 1, 1),),
        query=query,
        label=f"{table}_one_snapshot_per_date",
        keys=("raw_table", "snapshot_on", "files"),
        raw_table=table,
    )


# ---- raw sources: checks attached to the ingest assets -------------------------------------------
RAW_SUITES: tuple[Suite, ...] = (
    # Jira: issue keys present and unique within each export, dates in order, known categories.
    _raw_suite(
        "jira",
        "jira_issues",
        "issues",
        (
            *_not_null("issue_key", "project_key"),
            # Created in every issue of an export that has it; an export without the column (the
            # minimal Server export: key, id, type, summary, status) loads without it.
            Check(
                "ExpectColumnValuesToNotBeNull",
                {
                    "column": "created_at",
                    "row_condition": "file_has_created==1",
                    "condition_parser": "pandas",
                },
            ),
            _in_set("status_category", "new", "indeterminate", "done"),
            _between("story_points", 0, None),
            _between("time_spent_seconds", 0, None),
            _on_or_before("created_at", "resolved_at"),
            _on_or_before("created_at", "updated_at"),
        ),
        query=_select(
            "latest:jira_issues",
            *("_source_file", "issue_key", "project_key", "status_category", "story_points"),
            *("time_spent_seconds", "created_at", "updated_at", "resolved_at"),
            "case when count(created_at) over (partition by _source_file) > 0 then 1 else 0 end"
            " as file_has_created",
        ),
        keys=("_source_file", "issue_key"),
    ),
    _unique_per_file("jira", "issue_keys_unique", "jira_issues", "issue_key"),
    _raw_suite(
        "jira",
        "jira_status_changes",
        "status_changes",
        (*_not_null("issue_key", "changed_at", "to_status_name"),),
        query=_select(
            "latest:jira_status_changes",
            *("_source_file", "issue_key", "history_id", "changed_at", "to_status_name"),
        ),
        keys=("_source_file", "issue_key", "history_id"),
    ),
    _freshness("jira", "updated_at", "jira_issues"),
    # MS Project: task keys unique per schedule file, percentages 0..100, start on or before finish.
    _raw_suite(
        "msproject",
        "msp_tasks",
        "tasks",
        (
            *_not_null("project_name", "task_uid"),
            _between("percent_complete", 0, 100),
            _between("percent_work_complete", 0, 100),
            _between("cost_amount", 0, None),
            _between("duration_days", 0, None),
            _on_or_before("start_at", "finish_at"),
            _on_or_before("actual_start_at", "actual_finish_at"),
        ),
        query=_select(
            "latest:msp_tasks",
            *("_source_file", "project_name", "task_uid", "percent_complete", "percent_work_complete"),
            *("cost_amount", "duration_days", "start_at", "finish_at", "actual_start_at", "actual_finish_at"),
        ),
        keys=("_source_file", "task_uid"),
    ),
    _unique_per_file("msproject", "task_uids_unique", "msp_tasks", "project_name", "task_uid"),
    _raw_suite(
        "msproject",
        "msp_task_baselines",
        "baselines",
        (
            _between("baseline_cost_amount", 0, None),
            _between("baseline_number", 0, 10),
            _on_or_before("baseline_start_at", "baseline_finish_at"),
            _between("copies", 1, 1),
        ),
        query=_select(
            "latest:msp_task_baselines",
            *("_source_file", "task_uid", "baseline_number", "baseline_cost_amount", "baseline_start_at"),
            "baseline_finish_at",
            _copies("_source_file", "project_name", "task_uid", "baseline_number"),
        ),
        keys=("_source_file", "task_uid", "baseline_number"),
    ),
    _raw_suite(
        "msproject",
        "msp_projects",
        "projects",
        (*_not_null("project_name"), _on_or_before("start_at", "finish_at"), _between("copies", 1, 1)),
        query=_select(
            "latest:msp_projects",
            *("_source_file", "project_name", "start_at", "finish_at", "status_on"),
            _copies("_source_file"),
        ),
        keys=("_source_file", "project_name"),
    ),
    _freshness("msproject", "coalesce(status_on, _file_as_of)", "msp_projects"),
    # Finance: GL keys present and unique per file, control totals tie to the cent, rates positive.
    # Aggregates per file: a 10M-row GL file becomes one row here.
    _raw_suite(
        "finance",
        "gl_line_items",
        "gl_lines",
        (
            _zero("missing_key_lines"),
            _zero("missing_amount_lines"),
            _zero("missing_currency_lines"),
            _zero("missing_posting_date_lines"),
            _between("fiscal_period_min", 1, 16),
            _between("fiscal_period_max", 1, 16),
        ),
        query="""
            select _source_file, count(*) as lines,
              count(*) filter (where company_code is null or document_number is null
                               or line_item is null or fiscal_year is null) as missing_key_lines,
              count(*) filter (where amount is null) as missing_amount_lines,
              count(*) filter (where currency is null) as missing_currency_lines,
              count(*) filter (where posting_on is null) as missing_posting_date_lines,
              min(fiscal_period) as fiscal_period_min, max(fiscal_period) as fiscal_period_max
            from {latest:gl_line_items} group by _source_file
        """,
        keys=("_source_file", "lines"),
    ),
    _unique_per_file(
        "finance",
        "gl_keys_unique",
        "gl_line_items",
        *("company_code", "fiscal_year", "document_number", "line_item"),
    ),
    _raw_suite(
        "finance",
        "gl_file_control_totals",
        "gl_control_totals",
        (_zero("difference_amount"), _zero("line_count_difference")),
        query="""
            with lines as (
              select _file_sha256, currency, count(*) as lines, sum(amount) as amount
              from {raw:gl_line_items} group by all
            )
            select c._source_file, c.currency, c.amount_total as control_amount,
              coalesce(l.amount, 0) as lines_amount,
              cast(coalesce(l.amount, 0) - c.amount_total as double) as difference_amount,
              coalesce(l.lines, 0) - c.line_count as line_count_difference
            from {latest:gl_file_control_totals} c
            left join lines l
              on l._file_sha256 = c._file_sha256 and l.currency is not distinct from c.currency
        """,
        keys=("_source_file", "currency", "control_amount", "lines_amount"),
    ),
    _raw_suite(
        "finance",
        "fx_rates",
        "fx_rates",
        (
            *_not_null("rate_on", "from_currency", "to_currency"),
            _between("rate", 1e-9, None),
            _between("copies", 1, 1),
        ),
        query=_select(
            "latest:fx_rates",
            *("_source_file", "rate_on", "from_currency", "to_currency", "rate"),
            _copies("_source_file", "rate_on", "from_currency", "to_currency"),
        ),
        keys=("_source_file", "rate_on", "from_currency", "to_currency"),
    ),
    _raw_suite(
        "finance",
        "budgets",
        "budgets",
        (
            *_not_null("project_code", "budget_month", "amount", "currency"),
            _in_set("version", "original", "revised", "forecast"),
            _between("copies", 1, 1),
        ),
        query=_select(
            "latest:budgets",
            *("_source_file", "project_code", "budget_month", "version", "amount", "currency"),
            _copies("_source_file", "project_code", "budget_month", "version", "currency"),
        ),
        keys=("_source_file", "project_code", "budget_month", "version"),
    ),
    _freshness("finance", "posting_on", "gl_line_items"),
    # Benefits: register keys unique in the latest snapshot; shares per benefit at most 1 (latest wins).
    _raw_suite(
        "benefits",
        "benefits_register",
        "register",
        (
            *_not_null("benefit_id", "kpi_id"),
            _unique_key("benefit_id"),
            _on_or_before("baseline_on", "target_on"),
        ),
        query=_select(
            "snapshot:benefits_register",
            *("_source_file", "benefit_id", "kpi_id", "baseline_on", "target_on"),
        ),
        keys=("_source_file", "benefit_id"),
    ),
    _raw_suite(
        "benefits",
        "benefits_attribution",
        "attribution_shares",
        (
            _between("share_min", 0, 1),
            _between("share_total", 0, 1 + SHARE_TOLERANCE),
            _between("copies", 1, 1),
        ),
        query="""
            with per_file as (
              select benefit_id, _file_sha256, any_value(_source_file) as _source_file,
                max(_file_as_of) as as_of, max(_ingested_at) as ingested_at,
                sum(share) as share_total, min(share) as share_min,
                count(*) - count(distinct project_id) + 1 as copies
              from {raw:benefits_attribution} group by benefit_id, _file_sha256
            )
            select benefit_id, _source_file, share_total, share_min, copies from per_file
            qualify row_number() over (partition by benefit_id order by as_of desc, ingested_at desc) = 1
        """,
        keys=("benefit_id", "_source_file", "share_total"),
    ),
    _raw_suite(
        "benefits",
        "benefits_plan",
        "plan",
        (*_not_null("benefit_id", "period_month", "planned_value"), _between("copies", 1, 1)),
        query=_select(
            "latest:benefits_plan",
            *("_source_file", "benefit_id", "period_month", "planned_value"),
            _copies("_source_file", "benefit_id", "period_month"),
        ),
        keys=("_source_file", "benefit_id", "period_month"),
    ),
    _raw_suite(
        "benefits",
        "benefits_measurements",
        "measurements",
        (*_not_null("kpi_id", "measured_on", "value"),),
        query=_select(
            "latest:benefits_measurements",
            *("_source_file", "_source_ref", "kpi_id", "measured_on", "value"),
        ),
        keys=("_source_file", "_source_ref"),
    ),
    _freshness("benefits", "measured_on", "benefits_measurements"),
    # Strategy: objective keys unique in the latest snapshot; weights per project and period at most 1.
    _raw_suite(
        "strategy",
        "strategy_objectives",
        "objectives",
        (
            *_not_null("objective_id"),
            _unique_key("objective_id"),
            _on_or_before("valid_from", "valid_to"),
        ),
        query=_select(
            "snapshot:strategy_objectives",
            *("_source_file", "objective_id", "valid_from", "valid_to"),
        ),
        keys=("_source_file", "objective_id"),
    ),
    _raw_suite(
        "strategy",
        "strategy_alignment",
        "alignment",
        (
            *_not_null("project_id", "objective_id", "effective_from"),
            _between("weight", 0, 1),
            _on_or_before("effective_from", "effective_to"),
        ),
        query=_select(
            "latest:strategy_alignment",
            *("_source_file", "_source_ref", "project_id", "objective_id", "weight", "effective_from"),
            "effective_to",
        ),
        keys=("_source_file", "_source_ref"),
    ),
    _raw_suite(
        "strategy",
        "strategy_alignment",
        "alignment_weights",
        (_between("weight_total", 0, 1 + SHARE_TOLERANCE),),
        query="""
            with a as (select * from {raw:strategy_alignment}),
            latest as (  -- the latest snapshot mentioning a project states its whole alignment
              select project_id, _file_sha256 from a group by project_id, _file_sha256
              qualify row_number() over (
                partition by project_id order by max(_file_as_of) desc, max(_ingested_at) desc) = 1
            ),
            rows_ as (select a.* from a join latest using (project_id, _file_sha256)),
            periods as (select distinct project_id, effective_from as period_from from rows_)
            select p.project_id, p.period_from, any_value(r._source_file) as _source_file,
              sum(r.weight) as weight_total
            from periods p join rows_ r on r.project_id = p.project_id
              and r.effective_from <= p.period_from
              and (r.effective_to is null or r.effective_to >= p.period_from)
            group by p.project_id, p.period_from
        """,
        keys=("project_id", "period_from", "_source_file"),
    ),
    _freshness("strategy", "_file_as_of", "strategy_objectives"),
    # Registry: project keys unique in the latest snapshot, known statuses, dates in order.
    _raw_suite(
        "registry",
        "registry_projects",
        "projects",
        (
            *_not_null("project_id", "project_name", "status"),
            _unique_key("project_id"),
            _on_or_before("start_on", "planned_finish_on"),
            _on_or_before("start_on", "closed_on"),
        ),
        query=_select(
            "snapshot:registry_projects",
            *("_source_file", "project_id", "project_name", "status", "start_on", "planned_finish_on"),
            "closed_on",
        ),
        keys=("_source_file", "project_id"),
    ),
    _freshness("registry", "_file_as_of", "registry_projects"),
    *(
        _files_readable(source)
        for source in (
            "jira",
            "msproject",
            "finance",
            "benefits",
            "strategy",
            "registry",
            "worklogs",
            "rates",
        )
    ),
    *(_one_snapshot_per_date(source, table) for source, table in SNAPSHOT_TABLES),
)

# ---- published marts: what their dbt tests do not state yet --------------------------------------
# Keys unique and not null, accepted values, GL control totals and share/weight sums are not here:
# dbt tests of the models own them (YAML, dbt_project/tests/), the raw suites above own the shares
# and weights as delivered. What remains are ranges and orderings of the published marts.
MART_SUITES: tuple[Suite, ...] = (
    Suite(
        "mart_project_evm",
        (
            _between("bac_amount", 0, None),
            _between("pv_amount", 0, None),
            _between("ev_amount", 0, None),
            _between("spi", 0, None),
            _between("cpi", 0, None),
            _on_or_before("month_start_on", "month_end_on"),
            _on_or_before("status_on", "month_end_on"),
            _at_most("ev_amount", "bac_amount"),
            _between("fx_rate", 1e-9, None),
            _between("pv_month_end_amount", 0, None),
            _between("tcpi", 0, None),
            _between("es_days", 0, None),
            _between("at_days", 0, None),
            _between("spi_t", 0, None),
        ),
        keys=("project_id", "month_start_on"),
    ),
    Suite(
        "mart_project_baseline_changes",
        (
            _between("bac_amount", 0, None),
            _between("original_bac_amount", 0, None),
            _between("fx_rate", 1e-9, None),
            _on_or_before("previous_status_on", "status_on"),
            _on_or_before("baseline_start_on", "baseline_finish_on"),
        ),
        keys=("project_id", "status_on"),
    ),
    Suite(
        "mart_portfolio_evm",
        (
            _between("bac_amount", 0, None),
            _between("pv_amount", 0, None),
            _between("ev_amount", 0, None),
            _between("spi", 0, None),
            _between("cpi", 0, None),
            _at_most("ev_amount", "bac_amount"),
            _at_most("project_with_status_count", "project_count"),
            _on_or_before("earliest_status_on", "latest_status_on"),
            _on_or_before("latest_status_on", "month_end_on"),
        ),
        keys=("month_start_on",),
    ),
    Suite(
        "mart_delivery_flow",
        (
            _between("throughput_items", 0, None),
            _between("throughput_points", 0, None),
            _between("wip_items", 0, None),
            _between("lead_time_days_p50", 0, None),
            _between("cycle_time_days_p50", 0, None),
            _on_or_before("week_start_on", "week_end_on"),
            _on_or_before("lead_time_days_p50", "lead_time_days_p85"),
        ),
        keys=("project_id", "week_start_on"),
    ),
    Suite(
        "mart_sprint_velocity",
        (
            *_not_null("project_id", "sprint_id"),
            _between("committed_items", 0, None),
            _between("committed_points", 0, None),
            _between("completed_items", 0, None),
            _between("completed_points", 0, None),
            _between("carried_over_items", 0, None),
            _at_most("completed_items", "committed_items"),
            _at_most("completed_points", "committed_points"),
            _between("completion_ratio", 0, 1 + SHARE_TOLERANCE),
            _on_or_before("sprint_start_at", "sprint_end_at"),
        ),
        keys=("project_id", "sprint_id"),
    ),
    Suite(
        "mart_budget_vs_actual",
        (
            *_not_null("fiscal_year"),
            _between("original_budget_amount", 0, None),
            _between("budget_amount", 0, None),
            _on_or_before("fiscal_year_start_on", "fiscal_year_end_on"),
        ),
        keys=("project_id", "fiscal_year"),
    ),
    Suite(
        "mart_benefits_realization",
        (
            _unique_key("benefit_id", "month_start_on"),
            _between("reading_count", 0, None),
            _between("fx_rate_to_reporting", 1e-9, None),
            _on_or_before("month_start_on", "month_end_on"),
        ),
        keys=("benefit_id", "month_start_on"),
    ),
    Suite(
        "mart_benefits_by_owner",
        (
            _unique_key("benefit_owner", "month_start_on"),
            _between("benefit_count", 1, None),
            _between("benefits_after_close_count", 0, None),
            _on_or_before("month_start_on", "month_end_on"),
        ),
        keys=("benefit_owner", "month_start_on"),
    ),
    Suite(
        "mart_strategic_alignment",
        (
            _unique_key("objective_id", "month_start_on"),
            _between("projects_aligned", 0, None),
            _between("sum_of_weights", 0, None),
            _on_or_before("month_start_on", "month_end_on"),
        ),
        keys=("objective_id", "month_start_on"),
    ),
    Suite(
        "mart_strategic_alignment",
        (
            _between("aligned_spend_share", 0, 1 + SHARE_TOLERANCE),
            _between("portfolio_unaligned_spend_share", 0, 1 + SHARE_TOLERANCE),
        ),
        query="select objective_id, month_start_on, aligned_spend_share, portfolio_unaligned_spend_share "
        "from mart_strategic_alignment where portfolio_spend_amount > 0",
        label="shares",
        keys=("objective_id", "month_start_on"),
    ),
    Suite(
        "mart_value_scorecard",
        (
            _between("alignment_score", 0, 1 + SHARE_TOLERANCE),
            _between("payback_months", 0, None),
            _between("bac_amount", 0, None),
        ),
        keys=("project_id",),
    ),
    # Value optimization: the rules (cap respected, mandatory selected, a recommendation for every
    # active project, keys and recommendations) are dbt tests of the models; this holds the score.
    Suite(
        "mart_value_optimization",
        (_between("alignment_score", 0, 1 + SHARE_TOLERANCE),),
        keys=("project_id",),
    ),
    Suite(
        "mart_portfolio_frontier",
        (*_not_null("marginal_npv_amount"),),
        keys=("point_kind", "level"),
    ),
)

SUITES: tuple[Suite, ...] = RAW_SUITES + MART_SUITES
CHECK_NAMES: frozenset[str] = frozenset(s.name for s in SUITES)  # what `severity:` in vro.yaml may name
