"""One Dagster asset per landing source: each runs ingest/ on its folder and writes raw Parquet."""

import json

import dagster as dg

from ingest.formats import SOURCES
from ingest.runner import FileOutcome, ingest_landing, outcomes_to_json, stray_files
from orchestration.progress import report as report_progress
from orchestration.run_state import current_state, published_is_current
from orchestration.settings import VroPaths

# Which raw tables (dbt sources) each ingest asset writes: the lineage from export to model.
SOURCE_TABLES: dict[str, tuple[str, ...]] = {
    # worklogs: Jira's own worklogs; Tempo exports arrive in worklogs/ (a dbt source has one upstream
    # asset: the first source naming a table here; dbt runs after every ingest asset either way)
    "jira": ("jira_issues", "jira_sprint_membership", "jira_status_changes", "worklogs"),
    "msproject": (
        "msp_projects",
        "msp_tasks",
        "msp_task_baselines",
        "msp_predecessor_links",
        "msp_resources",
        "msp_assignments",
        "msp_extended_attributes",
    ),
    "finance": ("gl_line_items", "gl_file_control_totals", "budgets", "fx_rates"),
    "benefits": ("benefits_register", "benefits_attribution", "benefits_plan", "benefits_measurements"),
    "strategy": ("strategy_objectives", "strategy_alignment"),
    "registry": ("registry_projects", "portfolio_scenarios"),
    "worklogs": ("worklogs",),
    "rates": ("rate_card", "people"),
}
# Written by every ingest asset: the manifest, the rejects.
ACCOUNTING_TABLES = ("ingest_manifest", "rejects")


def ingest_asset_key(source: str) -> dg.AssetKey:
    return dg.AssetKey(f"ingest_{source}")


def raw_table_asset_key(table: str) -> dg.AssetKey:
    """The ingest asset that writes a raw table (what a dbt source depends on)."""
    for source, tables in SOURCE_TABLES.items():
        if table in tables:
            return ingest_asset_key(source)
    if table in ACCOUNTING_TABLES:
        return dg.AssetKey("ingest_accounting")
    raise KeyError(f"raw table {table!r} is written by no ingest asset")


def ingest_only_selection() -> list[dg.AssetKey]:
    """The ingest assets (and so their raw checks): all a run does when the plan finds nothing new.
    Planning the whole job's ~400 dbt and GX checks would cost more than such a run's work."""
    return [*(ingest_asset_key(s) for s in SOURCES), dg.AssetKey("ingest_accounting")]


def ingest_report_path(paths: VroPaths, source: str):
    return paths.reports / "ingest" / f"{source}.json"


def read_ingest_reports(paths: VroPaths, since: float | None = None) -> list[dict]:
    """The per-file outcomes the ingest assets wrote (only reports written at or after `since`:
    a source whose step did not run in this run keeps an older report), then stray files."""
    files: list[dict] = []
    for source in SOURCES:
        report = ingest_report_path(paths, source)
        if report.exists() and (since is None or report.stat().st_mtime >= since):
            files.extend(json.loads(report.read_text()))
    files.extend(outcomes_to_json(stray_files(paths.landing)))
    return files


def _metadata(outcomes: list[FileOutcome]) -> dict:
    rows = [
        f"| {o.path} | {o.file_kind or '-'} | {o.status} | {o.rows_read} | {o.rows_loaded} "
        f"| {o.rows_rejected} |"
        for o in outcomes
    ]
    header = ["| file | kind | status | read | loaded | rejected |", "|---|---|---|---:|---:|---:|"]
    table = "\n".join([*header, *rows])
    new = [o for o in outcomes if o.status in ("loaded", "partial", "rejected")]
    return {
        "files_seen": len(outcomes),
        "files_ingested": len(new),
        "rows_read": sum(o.rows_read for o in new),
        "rows_loaded": sum(o.rows_loaded for o in new),
        "rows_rejected": sum(o.rows_rejected for o in new),
        "files_rejected": sum(o.status in ("rejected", "refused") for o in outcomes),
        "files_waiting": sum(o.status == "waiting" for o in outcomes),
        "files": dg.MetadataValue.md(table if outcomes else "_no files_"),
    }


def ingest_reporting_progress(part: str, landing, home, **kwargs) -> list[FileOutcome]:
    """`ingest_landing`, reporting the "ingest" stage's progress as `part` (a source, or the whole
    landing folder): files parsed of files to parse, then the files found unchanged and those
    rejected whole or failed (the summary names them)."""
    parsed = 0

    def counter(done: int, total: int) -> None:
        nonlocal parsed
        parsed = total
        report_progress("ingest", part, done, total, item=part)

    outcomes = ingest_landing(landing, home, counter=counter, **kwargs)
    unchanged = sum(o.status == "unchanged" for o in outcomes)
    rejected = sum(o.status in ("rejected", "failed") for o in outcomes)
    report_progress("ingest", part, parsed, parsed, unchanged=unchanged, rejected=rejected)
    return outcomes


def build_ingest_asset(source: str) -> dg.AssetsDefinition:
    @dg.asset(
        name=f"ingest_{source}",
        group_name="ingest",
        kinds={"python", "parquet"},
        required_resource_keys={"pipeline_lock"},
        owners=["team:value-office-data"],
        description=(
            f"Reads every new or changed export under landing/{source}/ (recognised by content), "
            f"writes its rows to the raw Parquet zone ({', '.join(SOURCE_TABLES[source])}), and records "
            "rows read / loaded / rejected per file in the ingest manifest."
        ),
    )
    def _ingest(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        paths = VroPaths.from_env()
        outcomes = ingest_reporting_progress(
            source, paths.landing, paths.home, sources=[source], progress=context.log.info
        )
        report = ingest_report_path(paths, source)
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps(outcomes_to_json(outcomes), indent=1))
        return dg.MaterializeResult(metadata=_metadata(outcomes))

    return _ingest


ingest_assets = [build_ingest_asset(source) for source in SOURCES]


@dg.asset(
    name="ingest_accounting",
    group_name="ingest",
    deps=[ingest_asset_key(s) for s in SOURCES],
    kinds={"python"},
    required_resource_keys={"pipeline_lock"},
    owners=["team:value-office-data"],
    output_required=False,
    description=(
        "The per-file accounting of this run across all sources (rows read = loaded + rejected), "
        "and the rejects and ingest manifest tables that mart_reconciliation reports on. When the "
        "raw zone and the code are what the published marts were built from, it does not "
        "materialize, so dbt, the checks and publish are skipped: the published marts are current."
    ),
)
def ingest_accounting(context: dg.AssetExecutionContext):
    paths = VroPaths.from_env()
    files = read_ingest_reports(paths)
    outcomes = [FileOutcome(**f) for f in files]
    unbalanced = [o.path for o in outcomes if o.rows_read != o.rows_loaded + o.rows_rejected]
    if unbalanced:
        raise dg.Failure(f"rows read != loaded + rejected for {unbalanced}")
    if published_is_current(paths, current_state(paths)):
        context.log.info("nothing new since the last publish: the published marts are current")
        return
    yield dg.MaterializeResult(metadata=_metadata(outcomes))
