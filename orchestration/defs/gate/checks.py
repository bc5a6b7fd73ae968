"""The quality gate and what it guards: GX suites as blocking asset checks, and the publish asset.

dbt tests arrive as asset checks through dagster-dbt (severity error = blocking). A blocking check
that fails stops publish within the same run, so the previously published file stays as it was.
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace

import dagster as dg

from orchestration.defs.dbt.assets import dbt_project
from orchestration.defs.gate.report import (
    cached_outcome,
    failure_summary,
    record_cached_outcome,
    record_outcome,
)
from orchestration.defs.gate.runner import run_suite
from orchestration.defs.gate.suites import SUITES, Suite
from orchestration.defs.ingest.assets import raw_table_key
from orchestration.defs.publish.publish import preview, publish, published_from_manifest
from orchestration.progress import report as report_progress
from orchestration.run_state import current_state, record_published_state


def suite_asset_key(suite: Suite) -> dg.AssetKey:
    """The asset a suite's check hangs on: the raw table it checks, or the mart or bridge."""
    return raw_table_key(suite.raw_table) if suite.raw_table else dg.AssetKey(suite.table)


def _build_check(suite: Suite) -> dg.AssetChecksDefinition:
    source = "raw Parquet" if suite.raw else "the warehouse"

    @dg.asset_check(
        asset=suite_asset_key(suite),
        name=suite.name,
        blocking=suite.blocking,
        required_resource_keys={"pipeline_lock"},
        description=f"Great Expectations suite on {suite.checked_table} from {source} ({len(suite.checks)} "
        f"expectations, severity {suite.severity}).",
    )
    def _check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        paths = context.resources.pipeline_lock.paths
        if suite.raw and suite.cacheable:  # the raw zone only changes with new files: reuse the outcome
            state = current_state(paths)
            outcome = cached_outcome(paths, suite, state)
            if outcome is None:
                outcome = run_suite(suite, warehouse=paths.warehouse, raw_dir=paths.raw)
                record_cached_outcome(paths, outcome, state)
        else:
            outcome = run_suite(suite, warehouse=paths.warehouse, raw_dir=paths.raw)
        report = record_outcome(paths, context.run.run_id, outcome)
        failures = [
            {
                "expectation": f.expectation,
                "column": f.column,
                "unexpected": f.unexpected_count,
                "sample": f.sample,
            }
            for f in outcome.failures
        ]
        if not outcome.success:
            context.log.warning(f"{suite.name} failed: {failure_summary(outcome)}")
        if outcome.not_provided:
            context.log.info(f"{suite.name}: not run, no row was ever loaded into {suite.needs_rows_of}")
        report_progress("checks", suite.name, 1, 1, failed=int(not outcome.success))
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR if suite.blocking else dg.AssetCheckSeverity.WARN,
            metadata={
                "failed": failure_summary(outcome) if not outcome.success else "",
                "failures": dg.MetadataValue.json(failures),
                "error": outcome.error or "",
                "rows_checked": outcome.rows,
                "expectations": len(outcome.outcomes),
                "failed_expectations": len(failures) + (1 if outcome.error else 0),
                "seconds": outcome.seconds,
                "not_provided": outcome.not_provided,
                "report": dg.MetadataValue.path(str(report)),
                "report_url": dg.MetadataValue.url(f"{report.as_uri()}#{suite.name}"),
            },
        )

    return _check


def build_gx_checks(
    existing: Iterable[dg.AssetKey], severity: Mapping[str, str] | None = None
) -> list[dg.AssetChecksDefinition]:
    """One check per suite whose asset exists; `severity` (the settings' check name -> error | warn)
    overrides the severity table (suites.SEVERITY)."""
    existing, severity = set(existing), severity or {}
    return [
        _build_check(replace(s, severity_setting=severity.get(s.name)))
        for s in SUITES
        if suite_asset_key(s) in existing
    ]


def _markdown_table(columns: list[str], rows: list[tuple]) -> str:
    def cell(value) -> str:
        return "" if value is None else str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def build_publish_asset(upstream: Iterable[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(
        name="publish",
        group_name="publish",
        deps=sorted(upstream, key=lambda k: k.to_user_string()),
        kinds={"duckdb", "parquet"},
        required_resource_keys={"pipeline_lock"},
        owners=["team:value-office-data"],
        description=(
            "Copies the gated dimensions, facts and marts into a new published/vro.duckdb (storage "
            "v1.0.0, readable by DuckDB 1.x in BI connectors) and one Parquet file per mart, then "
            "switches the published pointer to them. Tables and columns carry their dbt descriptions. "
            "Runs only when every blocking check passed."
        ),
    )
    def _publish(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        paths = context.resources.pipeline_lock.paths
        report_progress("publish", "publish", 0, 1)
        state = current_state(paths)  # what these marts were built from (ingest ran before)
        tables = published_from_manifest(dbt_project.manifest_path)  # dbt's config says which
        result = publish(paths.warehouse, paths.published_dir, tables)
        record_published_state(paths, state)
        summary = {"published": str(result.path), "tables": result.tables}
        (paths.reports).mkdir(parents=True, exist_ok=True)
        (paths.reports / "last_publish.json").write_text(json.dumps(summary, indent=1))
        marts = {t: n for t, n in result.tables.items() if t.startswith("mart_")}
        report_progress("publish", "publish", 1, 1, marts=len(marts))
        previews = {
            f"preview_{mart}": dg.MetadataValue.md(_markdown_table(*preview(result.path, mart)))
            for mart in sorted(marts)
        }
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(result.path)),
                "tables": len(result.tables),
                "mart_rows": dg.MetadataValue.json(marts),
                "seconds": result.seconds,
                **previews,
            }
        )

    return _publish
