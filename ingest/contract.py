"""The raw zone's contract, the one registry of raw tables: per table its columns and types, the
landing source(s) whose files write it, the dbt source that reads it and what it holds.

Every parser returns tables with exactly these columns (the lineage columns are added by
`ingest.raw_zone`). dbt reads them from `<home>/raw/<table>/*.parquet` through the sources YAML
`dbt_project/models/staging/<dbt_source>/_<dbt_source>__sources.yml`, generated from this module
(`make sources`) and checked against it by tests/unit/test_raw_contract.py. The Dagster ingest assets
(orchestration/defs/ingest/) make one asset per raw table, keyed ["raw", <table>], from `written_by`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

MONEY = pa.decimal128(18, 2)
TOTAL = pa.decimal128(38, 2)  # a sum of MONEY amounts (a file's total may exceed 16 integer digits)
# MS Project money as stored (x100, divided back): MS Project keeps fractions of a cent (299.0845).
MSP_MONEY = pa.decimal128(22, 6)
TS = pa.timestamp("us")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: pa.DataType
    description: str = ""


@dataclass(frozen=True)
class RawTable:
    # The landing folders whose files write rows to the table, its owner first (the Dagster ingest
    # asset that materializes it); () for ingest's own bookkeeping, written for every source.
    written_by: tuple[str, ...]
    dbt_source: str  # the dbt source reading it, and so its staging/<dbt_source>/ folder
    description: str
    columns: tuple[Column, ...]

    @property
    def schema(self) -> pa.Schema:
        """The columns parsers return (without the lineage columns)."""
        return pa.schema([pa.field(c.name, c.dtype) for c in self.columns])


def _columns(*columns: tuple) -> tuple[Column, ...]:
    """(name, type) or (name, type, description) per column."""
    return tuple(Column(*c) for c in columns)


# Added to every raw table by raw_zone.write_file_tables; parsers never set them.
LINEAGE_COLUMNS = _columns(
    ("_source_file", pa.string(), "path relative to the landing folder"),
    ("_source_ref", pa.string(), '"row 12" (CSV/XLSX) or an XML/JSON path'),
    ("_file_sha256", pa.string()),
    ("_file_as_of", pa.date32(), "snapshot date: from the file name, else its mtime"),
    ("_ingested_at", TS),
)
LINEAGE_FIELDS = [pa.field(c.name, c.dtype) for c in LINEAGE_COLUMNS]

RAW_CONTRACT: dict[str, RawTable] = {
    # ---- Jira -------------------------------------------------------------------------
    "jira_issues": RawTable(
        written_by=("jira",),
        dbt_source="jira",
        description="Jira issues from CSV exports and REST pages, one row per issue per file version.",
        columns=_columns(
            ("issue_key", pa.string()),
            ("issue_id", pa.string()),
            ("project_key", pa.string()),
            ("issue_type", pa.string()),
            ("summary", pa.string()),
            ("status_id", pa.string()),
            ("status_name", pa.string()),
            ("status_category", pa.string(), "new | indeterminate | done"),
            ("priority", pa.string()),
            ("assignee", pa.string()),
            ("reporter", pa.string()),
            ("parent_key", pa.string()),
            ("epic_key", pa.string()),
            ("labels", pa.string(), "';'-joined"),
            ("components", pa.string(), "';'-joined"),
            ("fix_versions", pa.string(), "';'-joined"),
            ("story_points", pa.float64()),
            ("original_estimate_seconds", pa.int64()),
            ("time_spent_seconds", pa.int64()),
            ("created_at", TS, "UTC"),
            ("updated_at", TS, "UTC"),
            ("resolved_at", TS, "UTC"),
            ("due_on", pa.date32()),
            ("export_format", pa.string(), "csv_cloud | csv_server | rest_search | rest_agile"),
        ),
    ),
    "jira_sprint_membership": RawTable(
        written_by=("jira",),
        dbt_source="jira",
        description="Which sprints each Jira issue was in.",
        columns=_columns(
            ("issue_key", pa.string()),
            ("sprint_id", pa.string()),
            ("sprint_name", pa.string()),
            ("sprint_state", pa.string()),
            ("board_id", pa.string()),
            ("sprint_start_at", TS),
            ("sprint_end_at", TS),
            ("sprint_complete_at", TS),
        ),
    ),
    "jira_status_changes": RawTable(
        written_by=("jira",),
        dbt_source="jira",
        description="Status transitions from Jira changelogs (embedded or /changelog pages).",
        columns=_columns(
            ("issue_key", pa.string()),
            ("issue_id", pa.string()),
            ("history_id", pa.string()),
            ("changed_at", TS, "UTC"),
            ("author", pa.string()),
            ("from_status_id", pa.string()),
            ("from_status_name", pa.string()),
            ("from_status_category", pa.string(), "when resolvable, else null"),
            ("to_status_id", pa.string()),
            ("to_status_name", pa.string()),
            ("to_status_category", pa.string()),
        ),
    ),
    # ---- MS Project -------------------------------------------------------------------
    "msp_projects": RawTable(
        written_by=("msproject",),
        dbt_source="msproject",
        description="MS Project file headers (MSPDI), one row per schedule file version.",
        columns=_columns(
            ("project_name", pa.string()),
            ("project_title", pa.string()),
            ("save_version", pa.int64()),
            ("currency_code", pa.string()),
            ("currency_symbol", pa.string()),
            ("minutes_per_day", pa.int64()),
            ("minutes_per_week", pa.int64()),
            ("days_per_month", pa.int64()),
            ("start_at", TS),
            ("finish_at", TS),
            ("status_on", pa.date32()),
            ("current_on", pa.date32()),
        ),
    ),
    "msp_tasks": RawTable(
        written_by=("msproject",),
        dbt_source="msproject",
        description="MS Project tasks, money divided by 100, durations in days at MinutesPerDay.",
        columns=_columns(
            ("project_name", pa.string()),
            ("task_uid", pa.int64()),
            ("task_id", pa.int64()),
            ("task_name", pa.string()),
            ("wbs", pa.string()),
            ("outline_number", pa.string()),
            ("outline_level", pa.int64()),
            ("is_summary", pa.bool_()),
            ("is_milestone", pa.bool_()),
            ("start_at", TS),
            ("finish_at", TS),
            ("actual_start_at", TS),
            ("actual_finish_at", TS),
            ("duration_days", pa.float64(), "working days; elapsed (24 h) days when duration_is_elapsed"),
            ("duration_is_elapsed", pa.bool_(), "DurationFormat is an elapsed one (e.g. 8 = ed)"),
            ("work_hours", pa.float64()),
            ("percent_complete", pa.float64()),
            ("percent_work_complete", pa.float64()),
            ("cost_amount", MSP_MONEY),
            ("actual_cost_amount", MSP_MONEY),
            ("remaining_cost_amount", MSP_MONEY),
            ("bcws_amount", MSP_MONEY),
            ("bcwp_amount", MSP_MONEY),
            ("acwp_amount", MSP_MONEY),
        ),
    ),
    "msp_task_baselines": RawTable(
        written_by=("msproject",),
        dbt_source="msproject",
        description="Task baselines 0-10.",
        columns=_columns(
            ("project_name", pa.string()),
            ("task_uid", pa.int64()),
            ("baseline_number", pa.int64(), "0 main, 1..10 numbered"),
            ("baseline_start_at", TS),
            ("baseline_finish_at", TS),
            ("baseline_duration_days", pa.float64()),
            ("baseline_work_hours", pa.float64()),
            ("baseline_cost_amount", MSP_MONEY),
        ),
    ),
    "msp_predecessor_links": RawTable(
        written_by=("msproject",),
        dbt_source="msproject",
        description="Task dependencies, lag in working days.",
        columns=_columns(
            ("project_name", pa.string()),
            ("task_uid", pa.int64()),
            ("predecessor_uid", pa.int64()),
            ("link_type", pa.string(), "FF | FS | SF | SS"),
            ("lag_days", pa.float64()),
        ),
    ),
    "msp_resources": RawTable(
        written_by=("msproject",),
        dbt_source="msproject",
        description="MS Project resources.",
        columns=_columns(
            ("project_name", pa.string()),
            ("resource_uid", pa.int64()),
            ("resource_name", pa.string()),
            ("resource_type", pa.string(), "work | material | cost"),
            ("standard_rate", pa.float64()),
            ("cost_amount", MSP_MONEY),
        ),
    ),
    "msp_assignments": RawTable(
        written_by=("msproject",),
        dbt_source="msproject",
        description="Resource assignments to tasks, with the hours actually worked (actual_work_hours).",
        columns=_columns(
            ("project_name", pa.string()),
            ("assignment_uid", pa.int64()),
            ("task_uid", pa.int64()),
            ("resource_uid", pa.int64(), "null: no resource (MS Project's placeholder UID -65535)"),
            ("work_hours", pa.float64()),
            ("cost_amount", MSP_MONEY),
            ("actual_cost_amount", MSP_MONEY),
            ("start_at", TS),
            ("finish_at", TS),
            ("actual_work_hours", pa.float64(), "Assignment/ActualWork (hours worked to date)"),
        ),
    ),
    "msp_extended_attributes": RawTable(
        written_by=("msproject",),
        dbt_source="msproject",
        description="Custom field values with their field names resolved.",
        columns=_columns(
            ("project_name", pa.string()),
            ("owner_type", pa.string(), "task | resource | assignment"),
            ("owner_uid", pa.int64()),
            ("field_id", pa.string()),
            ("field_name", pa.string(), "alias, else the built-in name (Text1, ...)"),
            ("value", pa.string()),
        ),
    ),
    # ---- Finance ----------------------------------------------------------------------
    "gl_line_items": RawTable(
        written_by=("finance",),
        dbt_source="finance",
        description="General ledger actual line items mapped to canonical fields by a mapping profile.",
        columns=_columns(
            ("company_code", pa.string()),
            ("fiscal_year", pa.int64()),
            ("fiscal_period", pa.int64()),
            ("posting_on", pa.date32()),
            ("document_number", pa.string()),
            ("line_item", pa.string()),
            ("gl_account", pa.string()),
            ("gl_account_name", pa.string()),
            ("cost_center", pa.string()),
            ("project_code", pa.string()),
            ("amount", MONEY, "signed: debit positive, credit / reversal negative"),
            ("currency", pa.string()),
            ("expense_type", pa.string(), "capex | opex | null"),
            ("vendor", pa.string()),
            ("description", pa.string()),
            ("mapping_profile", pa.string()),
        ),
    ),
    "budgets": RawTable(
        written_by=("finance",),
        dbt_source="finance",
        description="Project budgets by month and version.",
        columns=_columns(
            ("project_code", pa.string()),
            ("budget_month", pa.date32(), "first day of the month"),
            ("amount", MONEY),
            ("currency", pa.string()),
            ("version", pa.string(), "original | revised | forecast"),
        ),
    ),
    "fx_rates": RawTable(
        written_by=("finance",),
        dbt_source="finance",
        description="Exchange rates: 1 from_currency = rate to_currency.",
        columns=_columns(
            ("rate_on", pa.date32()),
            ("from_currency", pa.string(), "1 unit of from_currency = rate units of to_currency"),
            ("to_currency", pa.string()),
            ("rate", pa.float64()),
        ),
    ),
    # ---- Labour: worklogs (Tempo exports, Jira Log Work / worklog pages) and rates ----------
    "worklogs": RawTable(
        written_by=("worklogs", "jira"),  # Tempo exports; Jira's Log Work and worklog pages
        dbt_source="labour",
        description=(
            "Time worked, one row per worklog per file version: Tempo Timesheets exports "
            "(landing/worklogs/), the Log Work columns of Jira CSV exports, Jira REST worklog pages and "
            "fields.worklog blocks (landing/jira/). source_format says which; the same worklog can "
            "arrive from Tempo and Jira."
        ),
        columns=_columns(
            (
                "worklog_id",
                pa.string(),
                'Tempo "Worklog Id"/"Jira Worklog Id", Jira\'s worklog id; null: none',
            ),
            ("source_format", pa.string(), "tempo | jira_csv | jira_rest"),
            ("issue_key", pa.string()),
            ("project_key", pa.string(), "Jira project key"),
            ("epic_key", pa.string()),
            ("parent_key", pa.string()),
            ("account_key", pa.string(), "Tempo account"),
            ("account_name", pa.string()),
            ("activity", pa.string()),
            ("person_id", pa.string(), "username / Jira account id as the export gives it"),
            ("person_name", pa.string(), "full / display name"),
            ("work_on", pa.date32(), "the work date as the timesheet shows it (the exporting user's zone)"),
            ("started_at", TS, "UTC; null when the export gives only a date"),
            ("hours", pa.float64(), "hours worked (Hours, or seconds / 3600)"),
            ("billed_hours", pa.float64()),
            ("comment", pa.string()),
            (
                "attributes",
                pa.string(),
                "JSON object of every other column of the export, keys as in its header",
            ),
        ),
    ),
    "rate_card": RawTable(
        written_by=("rates",),
        dbt_source="labour",
        description=(
            "The value office's rate card snapshots: an hourly rate per person, role or resource group "
            "(optionally for one project), in its currency, valid from/to (SCD2)."
        ),
        columns=_columns(
            ("person", pa.string(), "exactly one of person, role, resource_group is set"),
            ("role", pa.string()),
            ("resource_group", pa.string()),
            ("project_id", pa.string(), "optional: a rate for this registry project only"),
            ("hourly_rate", pa.decimal128(18, 4)),
            ("currency", pa.string(), "ISO 4217"),
            ("valid_from", pa.date32()),
            ("valid_to", pa.date32(), "null: open-ended"),
        ),
    ),
    "people": RawTable(
        written_by=("rates",),
        dbt_source="labour",
        description=(
            "The value office's people template snapshots: each person's role and resource group over time."
        ),
        columns=_columns(
            ("person", pa.string(), "as worklogs give it: person_id or person_name"),
            ("full_name", pa.string()),
            ("role", pa.string()),
            ("resource_group", pa.string()),
            ("valid_from", pa.date32()),
            ("valid_to", pa.date32()),
        ),
    ),
    # ---- Value office templates ---------------------------------------------------------
    "registry_projects": RawTable(
        written_by=("registry",),
        dbt_source="registry",
        description="The value office's project registry snapshots.",
        columns=_columns(
            ("project_id", pa.string()),
            ("project_name", pa.string()),
            ("portfolio", pa.string()),
            ("programme", pa.string()),
            ("sponsor", pa.string()),
            ("manager", pa.string()),
            ("status", pa.string(), "proposed | active | on_hold | closed | cancelled"),
            ("start_on", pa.date32()),
            ("planned_finish_on", pa.date32()),
            ("closed_on", pa.date32()),
            ("jira_project_keys", pa.string(), "';'-separated"),
            ("jira_epic_keys", pa.string()),
            ("msproject_names", pa.string()),
            ("finance_codes", pa.string()),
            ("is_mandatory", pa.bool_(), "null in files without the column"),
            ("tempo_account_keys", pa.string(), "';'-separated Tempo account keys booking to the project"),
        ),
    ),
    "portfolio_scenarios": RawTable(
        written_by=("registry",),
        dbt_source="registry",
        description=("Portfolio scenarios: budget caps for the next months, projects forced in or out."),
        columns=_columns(
            ("scenario", pa.string()),
            ("budget_cap_amount", pa.float64(), "reporting currency, for the next optimize_horizon_months"),
            ("is_alignment_weighted", pa.bool_(), "null: the dbt var optimize_alignment_weighted"),
            ("forced_in_project_ids", pa.string(), "';'-separated"),
            ("forced_out_project_ids", pa.string()),
            ("description", pa.string()),
        ),
    ),
    "strategy_objectives": RawTable(
        written_by=("strategy",),
        dbt_source="strategy",
        description="Strategic objectives snapshots.",
        columns=_columns(
            ("objective_id", pa.string()),
            ("objective_name", pa.string()),
            ("parent_objective_id", pa.string()),
            ("level", pa.string(), "theme | objective | key_result"),
            ("owner", pa.string()),
            ("kpi_id", pa.string()),
            ("target_value", pa.float64()),
            ("target_on", pa.date32()),
            ("valid_from", pa.date32()),
            ("valid_to", pa.date32()),
        ),
    ),
    "strategy_alignment": RawTable(
        written_by=("strategy",),
        dbt_source="strategy",
        description="Project-to-objective weights with effective dates, per snapshot.",
        columns=_columns(
            ("project_id", pa.string()),
            ("objective_id", pa.string()),
            ("weight", pa.float64()),
            ("effective_from", pa.date32()),
            ("effective_to", pa.date32()),
        ),
    ),
    "benefits_register": RawTable(
        written_by=("benefits",),
        dbt_source="benefits",
        description="Benefits register snapshots.",
        columns=_columns(
            ("benefit_id", pa.string()),
            ("benefit_name", pa.string()),
            ("category", pa.string(), "cash_releasing | non_cash_releasing | societal | dis_benefit"),
            ("kpi_id", pa.string()),
            ("unit", pa.string()),
            ("direction", pa.string(), "increase | decrease"),
            ("aggregation", pa.string(), "sum | latest"),
            ("owner", pa.string()),
            ("baseline_value", pa.float64()),
            ("baseline_on", pa.date32()),
            ("target_value", pa.float64()),
            ("target_on", pa.date32()),
            ("value_per_unit", pa.float64()),
            ("currency", pa.string()),
            ("objective_id", pa.string()),
            ("status", pa.string()),
        ),
    ),
    "benefits_attribution": RawTable(
        written_by=("benefits",),
        dbt_source="benefits",
        description="Shares of each benefit attributed to projects.",
        columns=_columns(
            ("benefit_id", pa.string()),
            ("project_id", pa.string()),
            ("share", pa.float64()),
        ),
    ),
    "benefits_plan": RawTable(
        written_by=("benefits",),
        dbt_source="benefits",
        description="Benefit profiles: planned improvement per month.",
        columns=_columns(
            ("benefit_id", pa.string()),
            ("period_month", pa.date32(), "first day of the month"),
            ("planned_value", pa.float64()),
        ),
    ),
    "benefits_measurements": RawTable(
        written_by=("benefits",),
        dbt_source="benefits",
        description="KPI readings.",
        columns=_columns(
            ("kpi_id", pa.string()),
            ("measured_on", pa.date32()),
            ("value", pa.float64()),
            ("source", pa.string()),
            ("note", pa.string()),
        ),
    ),
    # ---- Ingest bookkeeping (written by ingest.runner, not by parsers) ----------------------
    "rejects": RawTable(
        written_by=(),
        dbt_source="ingest",
        description="Rows (or whole files) ingest refused, with file, row, column, value and reason.",
        columns=_columns(
            ("source", pa.string()),
            ("file_kind", pa.string()),
            ("column_name", pa.string()),
            ("value", pa.string()),
            ("reason", pa.string()),
        ),
    ),
    "ingest_manifest": RawTable(
        written_by=(),
        dbt_source="ingest",
        description="One row per ingested file version: rows read, loaded, rejected.",
        columns=_columns(
            ("source", pa.string()),
            ("file_kind", pa.string()),
            ("file_size_bytes", pa.int64()),
            ("file_mtime_ns", pa.int64(), "with path, size and ctime: an untouched file is not hashed again"),
            ("file_ctime_ns", pa.int64(), "inode change time (cannot be set back, unlike the mtime)"),
            ("rows_read", pa.int64()),
            ("rows_loaded", pa.int64()),
            ("rows_rejected", pa.int64()),
            ("status", pa.string(), "loaded | partial | rejected"),
            ("message", pa.string()),
            ("seconds", pa.float64()),
        ),
    ),
    "gl_file_control_totals": RawTable(
        written_by=("finance",),
        dbt_source="ingest",
        description="Per GL file and currency: line count and amount total as parsed from the file.",
        columns=_columns(
            ("currency", pa.string()),
            ("line_count", pa.int64(), "loaded lines"),
            ("amount_total", TOTAL, "sum of the loaded lines' amounts as parsed from the file"),
            ("file_line_count", pa.int64(), "every line of the file in this currency, rejects included"),
            ("rejected_line_count", pa.int64(), "file_line_count - line_count"),
            ("file_amount_total", TOTAL, "sum of every readable amount in this currency, rejects included"),
        ),
    ),
}


RAW_TABLES: dict[str, pa.Schema] = {name: table.schema for name, table in RAW_CONTRACT.items()}

# The dbt sources: one per source system, each read from staging/<name>/ (RawTable.dbt_source).
DBT_SOURCES: dict[str, str] = {
    "jira": "Jira exports (landing/jira/): issues, sprint memberships and status changes.",
    "msproject": "MS Project schedules (landing/msproject/): MSPDI XML and the Export Wizard's workbooks.",
    "finance": "Finance exports (landing/finance/): GL actual line items, budgets and FX rates.",
    "labour": (
        "Time worked and what it costs: worklogs (landing/worklogs/ and landing/jira/), the rate card "
        "and people templates (landing/rates/)."
    ),
    "registry": "The value office's project registry and portfolio scenarios (landing/registry/).",
    "strategy": "The value office's strategic objectives and project alignment (landing/strategy/).",
    "benefits": "The value office's benefits register, attribution, plans, KPI readings (landing/benefits/).",
    "ingest": "Ingest's accounting of every source: the manifest, the rejects, the GL files' control totals.",
}


def full_schema(table: str) -> pa.Schema:
    """The schema of a raw table as stored in Parquet: its columns then the lineage columns."""
    schema = RAW_TABLES[table]
    for field in LINEAGE_FIELDS:
        schema = schema.append(field)
    return schema


def tables_written_by(source: str) -> tuple[str, ...]:
    """The raw tables a landing source's files write rows to (those it owns and those it shares)."""
    return tuple(name for name, table in RAW_CONTRACT.items() if source in table.written_by)


def tables_owned_by(source: str) -> tuple[str, ...]:
    """The raw tables whose Dagster asset is the ingest of this landing source (first in written_by)."""
    return tuple(name for name, table in RAW_CONTRACT.items() if table.written_by[:1] == (source,))


def bookkeeping_tables() -> tuple[str, ...]:
    """The tables ingest writes for every source (the manifest, the rejects), owned by no source."""
    return tuple(name for name, table in RAW_CONTRACT.items() if not table.written_by)
