"""The dbt models as Dagster assets: sources linked to the ingest assets, groups from dbt folders."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from orchestration.ingest_assets import raw_table_asset_key
from orchestration.paths import DBT_PROJECT_DIR, VroPaths

DBT_PID_FILE = ".dbt.pid"

dbt_project = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def _manifest_is_stale() -> bool:
    manifest = dbt_project.manifest_path
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for folder in ("models", "macros", "seeds", "tests"):
        sources.extend((DBT_PROJECT_DIR / folder).rglob("*"))
    return any(p.is_file() and p.stat().st_mtime > built for p in sources)


def ensure_manifest() -> None:
    """Parse the dbt project when its manifest is missing or older than the project's files."""
    if _manifest_is_stale():
        dbt_project.preparer.prepare(dbt_project)


class VroDbtTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return raw_table_asset_key(dbt_resource_props["name"])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        layer = fqn[1] if len(fqn) > 2 else None
        return {"staging": "staging", "intermediate": "intermediate", "marts": "marts"}.get(layer, "marts")

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return ["team:value-office-data"]


translator = VroDbtTranslator(
    settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True, enable_asset_checks=True)
)


def build_dbt_assets() -> dg.AssetsDefinition:
    ensure_manifest()

    @dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=translator)
    def vro_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        """One `dbt build` (models and their tests) per run: a single writer on warehouse.duckdb."""
        pid_file = VroPaths.from_env().home / DBT_PID_FILE
        invocation = dbt.cli(["build"], context=context)
        pid_file.write_text(str(invocation.process.pid))  # a killed run's dbt is reaped by the next
        try:
            yield from invocation.stream()
        finally:
            pid_file.unlink(missing_ok=True)

    return vro_dbt_models


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR))
