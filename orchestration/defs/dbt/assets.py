"""The dbt models as Dagster assets: sources are the raw tables (their YAML meta names the asset key),
groups from dbt folders."""

import json
import os
import shutil
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
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

from ingest.files import write_atomically
from ingest.settings import Settings
from orchestration.defs.automation.plan import dbt_full_refresh
from orchestration.progress import report as report_progress
from orchestration.resources import PipelineLock
from orchestration.run_state import code_state, record_built_with
from orchestration.settings import DBT_EXECUTABLE, DBT_PROJECT_DIR

DBT_PID_FILE = ".dbt.pid"
DBT_FOLDER = "dbt"  # in the home: one target folder per run (the last KEEP_TARGETS) and the parse cache
PARSE_CACHE = "partial_parse.msgpack"
KEEP_TARGETS = 5
OWNERS = ["team:value-office-data"]
LAYER_GROUPS = {"staging": "staging", "intermediate": "intermediate", "core": "core", "marts": "marts"}

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
        dbt_resource().cli(["parse", "--quiet"], target_path=dbt_project.target_path).wait()


class VroDbtTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "model":  # its name, without the layer's schema
            return dg.AssetKey([dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)  # sources: the raw table's key from their meta

    def get_asset_spec(self, manifest: Mapping[str, Any], unique_id: str, project: DbtProject | None):
        """The group is the model's layer (its folder under models/); one owner for all."""
        spec = super().get_asset_spec(manifest, unique_id, project)
        fqn = self.get_resource_props(manifest, unique_id).get("fqn", [])
        layer = fqn[1] if len(fqn) > 2 else None
        return spec.replace_attributes(group_name=LAYER_GROUPS.get(layer, "marts"), owners=OWNERS)


translator = VroDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


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


def keep_parse_cache(home: Path, target: Path) -> None:
    parsed = target / PARSE_CACHE
    if parsed.exists():
        with write_atomically(home / DBT_FOLDER / PARSE_CACHE) as tmp:
            shutil.copy(parsed, tmp)


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
    def vro_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, pipeline_lock: PipelineLock):
        """One `dbt build` (models and their data tests) per run: a single writer on warehouse.duckdb.
        dbt's unit tests check the SQL, not the data: `make test` runs them, the pipeline does not."""
        paths = pipeline_lock.paths
        home = paths.home
        target = invocation_target(home, context.run.run_id)
        code = code_state()
        full_refresh = dbt_full_refresh(paths)
        if full_refresh:
            context.log.info(full_refresh)
        with environment(paths.as_env()):  # dbt's profile and sources read VRO_HOME
            args = dbt_build_args(settings, bool(full_refresh))
            invocation = dbt.cli(args, context=context, target_path=target)
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


@contextmanager
def environment(variables: Mapping[str, str]) -> Iterator[None]:
    """dagster-dbt starts dbt with this process's environment: these variables are set while it
    starts (the run's own folders, whatever the environment of the process said), then restored."""
    before = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def dbt_resource() -> DbtCliResource:
    """The dbt of this virtualenv by absolute path, whether or not its bin folder is on PATH."""
    return DbtCliResource(
        project_dir=dbt_project, profiles_dir=str(DBT_PROJECT_DIR), dbt_executable=str(DBT_EXECUTABLE)
    )
