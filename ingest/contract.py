"""The raw zone's contract: one Arrow schema per raw table.

Every parser returns tables with exactly these columns (the lineage columns are added by
`ingest.raw_zone`), and dbt's sources read exactly these columns from
`<home>/raw/<table>/*.parquet`. Change a schema here and in
`dbt_project/models/staging/_raw__sources.yml` together.
"""

from __future__ import annotations

import pyarrow as pa

MONEY = pa.decimal128(18, 2)
TOTAL = pa.decimal128(38, 2)  # a sum of MONEY amounts (a file's total may exceed 16 integer digits)
# MS Project money as stored (x100, divided back): MS Project keeps fractions of a cent (299.0845).
MSP_MONEY = pa.decimal128(22, 6)
TS = pa.timestamp("us")

# Added to every raw table by raw_zone.write_file_tables; parsers never set them.
LINEAGE_FIELDS = [
    pa.field("_source_file", pa.string()),  # path relative to the landing folder
    pa.field("_source_ref", pa.string()),  # "row 12" (CSV/XLSX) or an XML/JSON path
    pa.field("_file_sha256", pa.string()),
    pa.field("_file_as_of", pa.date32()),  # snapshot date: from the file name, else its mtime
    pa.field("_ingested_at", TS),
]


def _schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(name, dtype) for name, dtype in fields])


RAW_TABLES: dict[str, pa.Schema] = {
    # ---- Jira -------------------------------------------------------------------------
    "jira_issues": _schema(
        ("issue_key", pa.string()),
        ("issue_id", pa.string()),
        ("project_key", pa.string()),
        ("issue_type", pa.string()),
        ("summary", pa.string()),
        ("status_id", pa.string()),
        ("status_name", pa.string()),
        ("status_category", pa.string()),  # new | indeterminate | done
        ("priority", pa.string()),
        ("assignee", pa.string()),
        ("reporter", pa.string()),
        ("parent_key", pa.string()),
        ("epic_key", pa.string()),
        ("labels", pa.string()),  # ';'-joined
        ("components", pa.string()),  # ';'-joined
        ("fix_versions", pa.string()),  # ';'-joined
        ("story_points", pa.float64()),
        ("original_estimate_seconds", pa.int64()),
        ("time_spent_seconds", pa.int64()),
        ("created_at", TS),  # UTC
        ("updated_at", TS),  # UTC
        ("resolved_at", TS),  # UTC
        ("due_on", pa.date32()),
        ("export_format", pa.string()),  # csv_cloud | csv_server | rest_search | rest_agile
    ),
    "jira_sprint_membership": _schema(
        ("issue_key", pa.string()),
        ("sprint_id", pa.string()),
        ("sprint_name", pa.string()),
        ("sprint_state", pa.string()),
        ("board_id", pa.string()),
        ("sprint_start_at", TS),
        ("sprint_end_at", TS),
        ("sprint_complete_at", TS),
    ),
    "jira_status_changes": _schema(
        ("issue_key", pa.string()),
        ("issue_id", pa.string()),
        ("history_id", pa.string()),
        ("changed_at", TS),  # UTC
        ("author", pa.string()),
        ("from_status_id", pa.string()),
        ("from_status_name", pa.string()),
        ("from_status_category", pa.string()),  # when resolvable, else null
        ("to_status_id", pa.string()),
        ("to_status_name", pa.string()),
        ("to_status_category", pa.string()),
    ),
    # ---- MS Project -------------------------------------------------------------------
    "msp_projects": _schema(
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
    "msp_tasks": _schema(
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
        ("duration_days", pa.float64()),  # working days; elapsed (24 h) days when duration_is_elapsed
        ("duration_is_elapsed", pa.bool_()),  # DurationFormat is an elapsed one (e.g. 8 = ed)
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
    "msp_task_baselines": _schema(
        ("project_name", pa.string()),
        ("task_uid", pa.int64()),
        ("baseline_number", pa.int64()),  # 0 main, 1..10 numbered
        ("baseline_start_at", TS),
        ("baseline_finish_at", TS),
        ("baseline_duration_days", pa.float64()),
        ("baseline_work_hours", pa.float64()),
        ("baseline_cost_amount", MSP_MONEY),
    ),
    "msp_predecessor_links": _schema(
        ("project_name", pa.string()),
        ("task_uid", pa.int64()),
        ("predecessor_uid", pa.int64()),
        ("link_type", pa.string()),  # FF | FS | SF | SS
        ("lag_days", pa.float64()),
    ),
    "msp_resources": _schema(
        ("project_name", pa.string()),
        ("resource_uid", pa.int64()),
        ("resource_name", pa.string()),
        ("resource_type", pa.string()),  # work | material | cost
        ("standard_rate", pa.float64()),
        ("cost_amount", MSP_MONEY),
    ),
    "msp_assignments": _schema(
        ("project_name", pa.string()),
        ("assignment_uid", pa.int64()),
        ("task_uid", pa.int64()),
        ("resource_uid", pa.int64()),  # null: no resource (MS Project's placeholder UID -65535)
        ("work_hours", pa.float64()),
        ("cost_amount", MSP_MONEY),
        ("actual_cost_amount", MSP_MONEY),
        ("start_at", TS),
        ("finish_at", TS),
        ("actual_work_hours", pa.float64()),  # Assignment/ActualWork (hours worked to date)
    ),
    "msp_extended_attributes": _schema(
        ("project_name", pa.string()),
        ("owner_type", pa.string()),  # task | resource | assignment
        ("owner_uid", pa.int64()),
        ("field_id", pa.string()),
        ("field_name", pa.string()),  # alias, else the built-in name (Text1, ...)
        ("value", pa.string()),
    ),
    # ---- Finance ----------------------------------------------------------------------
    "gl_line_items": _schema(
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
        ("amount", MONEY),  # signed: debit positive, credit / reversal negative
        ("currency", pa.string()),
        ("expense_type", pa.string()),  # capex | opex | null
        ("vendor", pa.string()),
        ("description", pa.string()),
        ("mapping_profile", pa.string()),
    ),
    "budgets": _schema(
        ("project_code", pa.string()),
        ("budget_month", pa.date32()),  # first day of the month
        ("amount", MONEY),
        ("currency", pa.string()),
        ("version", pa.string()),  # original | revised | forecast
    ),
    "fx_rates": _schema(
        ("rate_on", pa.date32()),
        ("from_currency", pa.string()),  # 1 unit of from_currency = rate units of to_currency
        ("to_currency", pa.string()),
        ("rate", pa.float64()),
    ),
    # ---- Labour: worklogs (Tempo exports, Jira Log Work / worklog pages) and rates ----------
    "worklogs": _schema(
        ("worklog_id", pa.string()),  # Tempo "Worklog Id"/"Jira Worklog Id", Jira's worklog id; null: none
        ("source_format", pa.string()),  # tempo | jira_csv | jira_rest
        ("issue_key", pa.string()),
        ("project_key", pa.string()),  # Jira project key
        ("epic_key", pa.string()),
        ("parent_key", pa.string()),
        ("account_key", pa.string()),  # Tempo account
        ("account_name", pa.string()),
        ("activity", pa.string()),
        ("person_id", pa.string()),  # username / Jira account id as the export gives it
        ("person_name", pa.string()),  # full / display name
        ("work_on", pa.date32()),  # the work date as the timesheet shows it (the exporting user's zone)
        ("started_at", TS),  # UTC; null when the export gives only a date
        ("hours", pa.float64()),  # hours worked (Hours, or seconds / 3600)
        ("billed_hours", pa.float64()),
        ("comment", pa.string()),
        ("attributes", pa.string()),  # JSON object of every other column of the export, keys as in its header
    ),
    "rate_card": _schema(
        ("person", pa.string()),  # exactly one of person, role, resource_group is set
        ("role", pa.string()),
        ("resource_group", pa.string()),
        ("project_id", pa.string()),  # optional: a rate for this registry project only
        ("hourly_rate", pa.decimal128(18, 4)),
        ("currency", pa.string()),  # ISO 4217
        ("valid_from", pa.date32()),
        ("valid_to", pa.date32()),  # null: open-ended
    ),
    "people": _schema(
        ("person", pa.string()),  # as worklogs give it: person_id or person_name
        ("full_name", pa.string()),
        ("role", pa.string()),
        ("resource_group", pa.string()),
        ("valid_from", pa.date32()),
        ("valid_to", pa.date32()),
    ),
    # ---- Value office templates ---------------------------------------------------------
    "registry_projects": _schema(
        ("project_id", pa.string()),
        ("project_name", pa.string()),
        ("portfolio", pa.string()),
        ("programme", pa.string()),
        ("sponsor", pa.string()),
        ("manager", pa.string()),
        ("status", pa.string()),  # proposed | active | on_hold | closed | cancelled
        ("start_on", pa.date32()),
        ("planned_finish_on", pa.date32()),
        ("closed_on", pa.date32()),
        ("jira_project_keys", pa.string()),  # ';'-separated
        ("jira_epic_keys", pa.string()),
        ("msproject_names", pa.string()),
        ("finance_codes", pa.string()),
        ("is_mandatory", pa.bool_()),  # null in files without the column
        ("tempo_account_keys", pa.string()),  # ';'-separated Tempo account keys booking to the project
    ),
    "portfolio_scenarios": _schema(
        ("scenario", pa.string()),
        ("budget_cap_amount", pa.float64()),  # reporting currency, for the next optimize_horizon_months
        ("is_alignment_weighted", pa.bool_()),  # null: the dbt var optimize_alignment_weighted
        ("forced_in_project_ids", pa.string()),  # ';'-separated
        ("forced_out_project_ids", pa.string()),
        ("description", pa.string()),
    ),
    "strategy_objectives": _schema(
        ("objective_id", pa.string()),
        ("objective_name", pa.string()),
        ("parent_objective_id", pa.string()),
        ("level", pa.string()),  # theme | objective | key_result
        ("owner", pa.string()),
        ("kpi_id", pa.string()),
        ("target_value", pa.float64()),
        ("target_on", pa.date32()),
        ("valid_from", pa.date32()),
        ("valid_to", pa.date32()),
    ),
    "strategy_alignment": _schema(
        ("project_id", pa.string()),
        ("objective_id", pa.string()),
        ("weight", pa.float64()),
        ("effective_from", pa.date32()),
        ("effective_to", pa.date32()),
    ),
    "benefits_register": _schema(
        ("benefit_id", pa.string()),
        ("benefit_name", pa.string()),
        ("category", pa.string()),  # cash_releasing | non_cash_releasing | societal | dis_benefit
        ("kpi_id", pa.string()),
        ("unit", pa.string()),
        ("direction", pa.string()),  # increase | decrease
        ("aggregation", pa.string()),  # sum | latest
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
    "benefits_attribution": _schema(
        ("benefit_id", pa.string()),
        ("project_id", pa.string()),
        ("share", pa.float64()),
    ),
    "benefits_plan": _schema(
        ("benefit_id", pa.string()),
        ("period_month", pa.date32()),  # first day of the month
        ("planned_value", pa.float64()),
    ),
    "benefits_measurements": _schema(
        ("kpi_id", pa.string()),
        ("measured_on", pa.date32()),
        ("value", pa.float64()),
        ("source", pa.string()),
        ("note", pa.string()),
    ),
    # ---- Ingest bookkeeping (written by ingest.runner, not by parsers) ----------------------
    "rejects": _schema(
        ("source", pa.string()),
        ("file_kind", pa.string()),
        ("column_name", pa.string()),
        ("value", pa.string()),
        ("reason", pa.string()),
    ),
    "ingest_manifest": _schema(
        ("source", pa.string()),
        ("file_kind", pa.string()),
        ("file_size_bytes", pa.int64()),
        ("file_mtime_ns", pa.int64()),  # with path, size and ctime: an untouched file is not hashed again
        ("file_ctime_ns", pa.int64()),  # inode change time (cannot be set back, unlike the mtime)
        ("rows_read", pa.int64()),
        ("rows_loaded", pa.int64()),
        ("rows_rejected", pa.int64()),
        ("status", pa.string()),  # loaded | partial | rejected
        ("message", pa.string()),
        ("seconds", pa.float64()),
    ),
    "gl_file_control_totals": _schema(
        ("currency", pa.string()),
        ("line_count", pa.int64()),  # loaded lines
        ("amount_total", TOTAL),  # sum of the loaded lines' amounts as parsed from the file
        ("file_line_count", pa.int64()),  # every line of the file in this currency, rejects included
        ("rejected_line_count", pa.int64()),  # file_line_count - line_count
        ("file_amount_total", TOTAL),  # sum of every readable amount in this currency, rejects included
    ),
}


def full_schema(table: str) -> pa.Schema:
    """The schema of a raw table as stored in Parquet: its columns then the lineage columns."""
    schema = RAW_TABLES[table]
    for field in LINEAGE_FIELDS:
        schema = schema.append(field)
    return schema
