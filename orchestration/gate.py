"""The quality gate and what it guards: GX suites as blocking asset checks, and the publish asset.

dbt tests arrive as asset checks through dagster-dbt (severity error = blocking). A blocking check
that fails stops publish within the same run, so the previously published file stays as it was.
"""

import json
from collections.abc import Iterable

import dagster as dg

from orchestration.paths import VroPaths
from orchestration.publish import publish
from orchestration.quality import SUITES, Suite, run_suite, write_html_report


def _build_check(suite: Suite) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=dg.AssetKey(suite.table),
        name=suite.name,
        blocking=suite.blocking,
        description=f"Great Expectations suite on {suite.table} ({len(suite.checks)} expectations, "
        f"severity {suite.severity}).",
    )
    def _check(context: dg.AssetCheckExecutionContext) -> dg.AssetCheckResult:
        paths = VroPaths.from_env()
        outcome = run_suite(paths.warehouse, suite)
        report = write_html_report([outcome], paths.reports / "validation" / f"{suite.name}.html")
        failures = [
            {
                "expectation": f.expectation,
                "column": f.column,
                "unexpected": f.unexpected_count,
                "sample": f.sample,
            }
            for f in outcome.failures
        ]
        return dg.AssetCheckResult(
            passed=outcome.success,
            severity=dg.AssetCheckSeverity.ERROR if suite.blocking else dg.AssetCheckSeverity.WARN,
            metadata={
                "rows_checked": outcome.rows,
                "expectations": len(outcome.outcomes),
                "failed_expectations": len(failures) + (1 if outcome.error else 0),
                "error": outcome.error or "",
                "failures": dg.MetadataValue.json(failures),
                "report": dg.MetadataValue.path(str(report)),
                "report_url": dg.MetadataValue.url(report.as_uri()),
            },
        )

    return _check


def build_gx_checks(existing: Iterable[dg.AssetKey]) -> list[dg.AssetChecksDefinition]:
    existing = set(existing)
    return [_build_check(s) for s in SUITES if dg.AssetKey(s.table) in existing]


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
            "renames them into place. Runs only when every blocking check passed."
        ),
    )
    def _publish(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        paths = VroPaths.from_env()
        result = publish(paths.warehouse, paths.published_dir)
        summary = {"published": str(result.path), "tables": result.tables}
        (paths.reports).mkdir(parents=True, exist_ok=True)
        (paths.reports / "last_publish.json").write_text(json.dumps(summary, indent=1))
        marts = {t: n for t, n in result.tables.items() if t.startswith("mart_")}
        return dg.MaterializeResult(
            metadata={
                "path": dg.MetadataValue.path(str(result.path)),
                "tables": len(result.tables),
                "mart_rows": dg.MetadataValue.json(marts),
                "seconds": result.seconds,
            }
        )

    return _publish
