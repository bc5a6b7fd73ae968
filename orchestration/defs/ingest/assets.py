"""The raw zone as Dagster assets: one asset per raw table, keyed ["raw", <table>], materialized by
one multi-asset per landing source that runs ingest/ on its folder and writes raw Parquet.

Which source writes which table is ingest/contract.py's (RawTable.written_by). A table written by
two sources is owned by the first: `worklogs` by the worklogs step (Tempo exports), which runs after
the jira step appended the worklogs of Jira's exports to it. The manifest and the rejects, written
for every source, are the accounting step's: it runs last and does not materialize them when nothing
is new, so dbt, the checks and publish are skipped.
"""

import json

import dagster as dg

from ingest.contract import RAW_CONTRACT, bookkeeping_tables, tables_owned_by, tables_written_by
from ingest.parsers.formats import SOURCES
from ingest.runner import (
    COMMITTED,
    TURNED_AWAY,
    UNREADABLE,
    FileOutcome,
    ingest_landing,
    outcomes_to_json,
    stray_files,
)
from orchestration.progress import report as report_progress
from orchestration.run_state import current_state, published_is_current
from orchestration.settings import VroPaths

ACCOUNTING_STEP = "ingest_accounting"


def raw_table_key(table: str) -> dg.AssetKey:
    """The asset of a raw table (what its dbt source and its GX suites hang on)."""
    return dg.AssetKey(["raw", table])


def ingest_step(source: str) -> str:
    """The multi-asset (and so the run's step) ingesting one landing source."""
    return f"ingest_{source}"


def ingest_only_selection() -> list[dg.AssetKey]:
    """The ingest assets (and so their raw checks): all a run does when the plan finds nothing new.
    Planning the whole job's ~400 dbt and GX checks would cost more than such a run's work."""
    return [raw_table_key(table) for table in RAW_CONTRACT]


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
    new = [o for o in outcomes if o.status in COMMITTED]
    return {
        "files_seen": len(outcomes),
        "files_ingested": len(new),
        "rows_read": sum(o.rows_read for o in new),
        "rows_loaded": sum(o.rows_loaded for o in new),
        "rows_rejected": sum(o.rows_rejected for o in new),
        "files_rejected": sum(o.status in TURNED_AWAY for o in outcomes),
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
    rejected = sum(o.status in UNREADABLE for o in outcomes)
    report_progress("ingest", part, parsed, parsed, unchanged=unchanged, rejected=rejected)
    return outcomes


def _spec(table: str, **kwargs) -> dg.AssetSpec:
    return dg.AssetSpec(
        raw_table_key(table),
        description=RAW_CONTRACT[table].description,
        group_name="ingest",
        kinds={"python", "parquet"},
        owners=["team:value-office-data"],
        **kwargs,
    )


def _materialized(tables, metadata: dict):
    for table in tables:
        yield dg.MaterializeResult(asset_key=raw_table_key(table), metadata=metadata)


def build_ingest_asset(source: str) -> dg.AssetsDefinition:
    owned = tables_owned_by(source)
    shared = [t for t in tables_written_by(source) if t not in owned]
    # A table owned by this source that another source's files also write: ingested after that one.
    also_from = {t: [o for o in RAW_CONTRACT[t].written_by if o != source] for t in owned}
    specs = [_spec(t, deps=[raw_table_key(tables_owned_by(o)[0]) for o in also_from[t]]) for t in owned]

    @dg.multi_asset(
        name=ingest_step(source),
        specs=specs,
        required_resource_keys={"pipeline_lock"},
        description=(
            f"Reads every new or changed export under landing/{source}/ (recognised by content), "
            f"writes its rows to the raw Parquet zone ({', '.join(tables_written_by(source))}), and records "
            "rows read / loaded / rejected per file in the ingest manifest."
            + (f" Its rows of {', '.join(shared)} reach that table's own asset." if shared else "")
        ),
    )
    def _ingest(context: dg.AssetExecutionContext):
        paths = context.resources.pipeline_lock.paths
        outcomes = ingest_reporting_progress(
            source, paths.landing, paths.home, sources=[source], progress=context.log.info
        )
        report = ingest_report_path(paths, source)
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps(outcomes_to_json(outcomes), indent=1))
        yield from _materialized(owned, _metadata(outcomes))

    return _ingest


ingest_assets = [build_ingest_asset(source) for source in SOURCES]


@dg.multi_asset(
    name=ACCOUNTING_STEP,
    specs=[
        _spec(table, skippable=True, deps=[key for a in ingest_assets for key in a.keys])
        for table in bookkeeping_tables()
    ],
    required_resource_keys={"pipeline_lock"},
    description=(
        "The per-file accounting of this run across all sources (rows read = loaded + rejected), "
        "and the rejects and ingest manifest tables that mart_reconciliation reports on. When the "
        "raw zone and the code are what the published marts were built from, it does not "
        "materialize, so dbt, the checks and publish are skipped: the published marts are current."
    ),
)
def ingest_accounting(context: dg.AssetExecutionContext):
    paths = context.resources.pipeline_lock.paths
    files = read_ingest_reports(paths)
    outcomes = [FileOutcome(**f) for f in files]
    unbalanced = [o.path for o in outcomes if o.rows_read != o.rows_loaded + o.rows_rejected]
    if unbalanced:
        raise dg.Failure(f"rows read != loaded + rejected for {unbalanced}")
    if published_is_current(paths, current_state(paths)):
        context.log.info("nothing new since the last publish: the published marts are current")
        return
    yield from _materialized(bookkeeping_tables(), _metadata(outcomes))
