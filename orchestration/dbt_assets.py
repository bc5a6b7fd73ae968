"""The dbt models as Dagster assets: sources linked to the ingest assets, groups from dbt folders."""

import json
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    DbtProject,
    dbt_assets,
)

from ingest.settings import Settings
from orchestration.ingest_assets import raw_table_asset_key
from orchestration.paths import DBT_PROJECT_DIR, VroPaths
from orchestration.progress import report as report_progress
from orchestration.run_state import code_state

DBT_PID_FILE = ".dbt.pid"
DBT_FOLDER = "dbt"  # in the home: one target folder per run (the last KEEP_TARGETS) and the parse cache
PARSE_CACHE = "partial_parse.msgpack"
KEEP_TARGETS = 5
BUILT_WITH = "built_with.json"

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
        if dbt_resource_props["resource_type"] == "model":  # its name, without the layer's schema
            return dg.AssetKey([dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        layer = fqn[1] if len(fqn) > 2 else None
        return {"staging": "staging", "intermediate": "intermediate", "core": "core"}.get(layer, "marts")

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return ["team:value-office-data"]


translator = VroDbtTranslator(
    settings=DagsterDbtTranslatorSettings(enable_duplicate_source_asset_keys=True, enable_asset_checks=True)
)


def invocation_target(home: Path, run_id: str) -> Path:
    """A fresh dbt target folder for this run under <home>/dbt, seeded with the home's parse cache.

    dbt re-parses the whole project (about 6 s) when its partial-parse file was written for another
    profile, and the profile holds the home's warehouse path: so each home keeps its own cache."""
    folder = home / DBT_FOLDER
    runs = sorted((p for p in folder.glob("run-*") if p.is_dir()), key=lambda p: p.stat().st_mtime)
    for old in runs[: max(0, len(runs) - (KEEP_TARGETS - 1))]:
        shutil.rmtree(old, ignore_errors=True)
    target = folder / f"run-{run_id}"
    target.mkdir(parents=True, exist_ok=True)
    cache = folder / PARSE_CACHE
    if cache.exists():
        shutil.copy(cache, target / PARSE_CACHE)
    return target


def built_with(home: Path) -> str | None:
    """The code state (run_state.code_state) of the last dbt build that succeeded in this home: the
    incremental models (the latest-wins GL lines and Jira issues) may only be extended by the same code."""
    recorded = home / DBT_FOLDER / BUILT_WITH
    try:
        return json.loads(recorded.read_text())["code_state"]
    except (OSError, ValueError, KeyError):
        return None


def record_built_with(home: Path, code: str) -> None:
    tmp = home / DBT_FOLDER / f".{BUILT_WITH}.tmp"
    tmp.write_text(json.dumps({"code_state": code}))
    tmp.replace(home / DBT_FOLDER / BUILT_WITH)


def keep_parse_cache(home: Path, target: Path) -> None:
    parsed = target / PARSE_CACHE
    if parsed.exists():
        tmp = home / DBT_FOLDER / f".{PARSE_CACHE}.tmp"
        shutil.copy(parsed, tmp)
        tmp.replace(home / DBT_FOLDER / PARSE_CACHE)


def dbt_build_args(settings: Settings, full_refresh: bool) -> list[str]:
    """The one `dbt build` of a run: the settings' values as dbt vars (vro.yaml over dbt_project.yml)."""
    args = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(settings.dbt_vars)]
    return [*args, "--full-refresh"] if full_refresh else args


# dbt's structured events that end one node (run, tested or skipped); each carries index and total
NODE_DONE_EVENTS = {
    "LogModelResult",
    "LogTestResult",
    "LogSeedResult",
    "LogSnapshotResult",
    "LogNodeResult",
    "LogNodeNoOpResult",
    "SkippingDetails",
}


class DbtNodeProgress:
    """Counts the nodes a `dbt build` has finished, from its structured (JSON) log events, and
    reports them as the run's "dbt" stage: done of total, with how many failed, warned or skipped."""

    def __init__(self) -> None:
        self.done = 0
        self.total = 0
        self.counts = {"failed": 0, "warned": 0, "skipped": 0}

    def see(self, raw_event: Mapping[str, Any]) -> None:
        data, name = raw_event.get("data", {}), raw_event.get("info", {}).get("name")
        node = data.get("node_info", {}).get("node_name", "")
        if data.get("total") and not self.total:  # the first node starts: show 0 of total
            self.total = int(data["total"])
            report_progress("dbt", "dbt", self.done, self.total, item=node, **self.counts)
        if name not in NODE_DONE_EVENTS:
            return
        self.done += 1
        status = "skipped" if name == "SkippingDetails" else str(data.get("status", "")).lower()
        if status in ("error", "fail"):
            self.counts["failed"] += 1
        elif status == "warn":
            self.counts["warned"] += 1
        elif status == "skipped":
            self.counts["skipped"] += 1
        report_progress("dbt", "dbt", self.done, max(self.total, self.done), item=node, **self.counts)


def build_dbt_assets(settings: Settings) -> dg.AssetsDefinition:
    ensure_manifest()

    @dbt_assets(manifest=dbt_project.manifest_path, project=dbt_project, dagster_dbt_translator=translator)
    def vro_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
        """One `dbt build` (models and their data tests) per run: a single writer on warehouse.duckdb.
        dbt's unit tests check the SQL, not the data: `make test` runs them, the pipeline does not."""
        home = VroPaths.from_env().home
        target = invocation_target(home, context.run.run_id)
        code = code_state()
        full_refresh = built_with(home) != code
        if full_refresh:
            context.log.info(
                "dbt project or settings changed since the last build here: "
                "incremental models rebuilt in full"
            )
        invocation = dbt.cli(dbt_build_args(settings, full_refresh), context=context, target_path=target)
        pid_file = home / DBT_PID_FILE
        pid_file.write_text(str(invocation.process.pid))  # a killed run's dbt is reaped by the next
        nodes = DbtNodeProgress()
        try:
            for event in invocation.stream_raw_events():  # what .stream() does, counting the nodes
                nodes.see(event.raw_event)
                yield from event.to_default_asset_events(
                    manifest=invocation.manifest,
                    dagster_dbt_translator=invocation.dagster_dbt_translator,
                    context=context,
                    target_path=invocation.target_path,
                    project=invocation.project,
                )
        finally:
            pid_file.unlink(missing_ok=True)
        keep_parse_cache(home, target)
        record_built_with(home, code)  # only after a build that succeeded: else the next one is full

    return vro_dbt_models


def dbt_resource() -> DbtCliResource:
    return DbtCliResource(project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR))
