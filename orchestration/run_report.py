"""reports/last_run.json: what a run read, checked and published, built from Dagster's event log;
and what `vro run` prints of a run: its stage lines and the table of its failing checks."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from pathlib import Path

import dagster as dg

from ingest.contract import RAW_CONTRACT
from ingest.files import write_atomically
from ingest.parsers.formats import SOURCES
from ingest.settings import Settings, SettingsError, load_settings
from orchestration.defs.automation.plan import recorded_plan
from orchestration.defs.gate.checks import suite_asset_key
from orchestration.defs.gate.runner import sample_text
from orchestration.defs.gate.suites import SUITES
from orchestration.defs.ingest.assets import ingest_only_selection, raw_table_key, read_ingest_reports
from orchestration.progress import StageLines
from orchestration.settings import VroPaths


def landing_folder(asset: str) -> str | None:
    """The landing source whose files write a raw table ("raw/<table>"); None for other assets and
    for ingest's own bookkeeping tables."""
    table = RAW_CONTRACT.get(asset.removeprefix("raw/")) if asset.startswith("raw/") else None
    return table.written_by[0] if table and table.written_by else None


def stage_of(step_key: str) -> str:
    if step_key.startswith(("ingest_", "raw__")):  # a raw table's checks (raw__<table>_gx_...) too
        return "ingest"
    if step_key == "publish":
        return "publish"
    if step_key.startswith("vro_dbt_models"):
        return "dbt"
    return "quality"


def settings_report(paths: VroPaths, settings: Settings | None = None) -> dict:
    """The settings in force and where each came from (default, or the file and how it was found).
    `settings`: those the run was started with (`vro run`); else read now from the home."""
    try:
        settings = settings or load_settings(home=paths.home)
    except SettingsError as exc:
        return {"file": None, "error": str(exc), "values": []}
    return {"file": str(settings.file) if settings.file else None, "values": settings.rows()}


def build_run_report(
    instance: dg.DagsterInstance, run_id: str, paths: VroPaths, settings: Settings | None = None
) -> dict:
    run = instance.get_run_by_id(run_id)
    started_at = instance.get_run_stats(run_id).start_time if run else None
    starts: dict[str, float] = {}
    stages: dict[str, float] = defaultdict(float)
    checks: list[dict] = []
    failed_steps: list[dict] = []
    published = False
    accounted = False
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None:
            continue
        kind = event.event_type
        if kind == dg.DagsterEventType.STEP_START:
            starts[event.step_key] = entry.timestamp
        elif kind in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            if event.step_key in starts:
                stages[stage_of(event.step_key)] += entry.timestamp - starts[event.step_key]
            if kind == dg.DagsterEventType.STEP_FAILURE:
                failed_steps.append(
                    {"step": event.step_key, "error": _error_text(event.step_failure_data.error)}
                )
        elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            ev = event.event_specific_data
            metadata = {k: getattr(v, "value", v) for k, v in (ev.metadata or {}).items()}
            checks.append(
                {
                    "name": f"{ev.asset_key.to_user_string()}:{ev.check_name}",
                    "passed": bool(ev.passed),
                    "blocking": ev.blocking
                    if ev.blocking is not None
                    else ev.severity == dg.AssetCheckSeverity.ERROR,
                    "severity": ev.severity.value,
                    "details": _jsonable(metadata),
                }
            )
        elif kind == dg.DagsterEventType.ASSET_MATERIALIZATION:
            if event.asset_key == dg.AssetKey("publish"):
                published = True
            elif event.asset_key == raw_table_key("ingest_manifest"):  # the accounting step's
                accounted = True
    files = read_ingest_reports(paths, since=started_at)
    return {
        "run_id": run_id,
        "finished_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "landing": str(paths.landing),
        "home": str(paths.home),
        "published": published,
        # what the run was started to do, and why (defs/automation/plan.py); null when started
        # without a plan (from the UI)
        "plan": recorded_plan(run.tags) if run else None,
        # nothing new since the last publish: ingest ran, the rest was skipped, the marts are current
        # (planned so, or found so by the ingest step of a run planned whole)
        "up_to_date": not published
        and not accounted
        and not failed_steps
        and not any(c["blocking"] and not c["passed"] for c in checks),
        "files": files,
        # landing sources nothing was ever loaded from: their freshness is not checked (not "stale")
        "not_provided": sorted(
            landing_folder(c["name"].partition(":")[0]) for c in checks if c["details"].get("not_provided")
        ),
        "checks": checks,
        "failed_steps": failed_steps,
        "stages": {k: round(v, 3) for k, v in stages.items()},
        "settings": settings_report(paths, settings),
    }


def _error_text(error) -> str:
    """The innermost cause's message: what actually went wrong, not Dagster's wrapper."""
    messages = []
    while error is not None:
        messages.append(error.message.strip())
        error = error.cause
    return messages[-1] if messages else ""


def _jsonable(value):
    try:
        json.dumps(value)
        return value
    except TypeError:
        if isinstance(value, dict):
            return {str(k): _jsonable(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [_jsonable(v) for v in value]
        return str(value)


def write_run_report(report: dict, paths: VroPaths) -> Path:
    paths.reports.mkdir(parents=True, exist_ok=True)
    target = paths.reports / "last_run.json"
    with write_atomically(target) as tmp:
        tmp.write_text(json.dumps(report, indent=1, default=str))
    return target


CHECK_TABLE_WIDTH = 120  # columns of the failing-checks table
CHECK_TABLE_ROWS = 12  # failing checks listed; the rest are counted (every one is in last_run.json)
FILE_KEYS = ("_source_file", "path")  # the sample columns that name a landing file


def check_row(check: dict) -> tuple[str, str, str, str, str]:
    """A failing check of the run report as (level, check, file or model, failing rows, a sample).

    A raw-zone check names the landing file of its first failing row (else the source's folder), a
    model's check the model; failing rows are GX's unexpected rows or dbt's failed row count; the
    sample is the first failing row, the failing column first, then the shorter values."""
    asset, _, name = check["name"].partition(":")
    details = check.get("details") or {}
    failures = [f for f in details.get("failures") or [] if isinstance(f, dict)]
    samples = [(f, r) for f in failures for r in f.get("sample") or []]
    where = f"{landing_folder(asset)}/" if landing_folder(asset) else asset
    files = [r.get(k) for _, r in samples if isinstance(r, dict) for k in FILE_KEYS if r.get(k)]
    if files:
        files = list(dict.fromkeys(files))
        where = files[0] + (f" (+{len(files) - 1})" if len(files) > 1 else "")
    if failures:
        count = str(sum(int(f.get("unexpected") or 0) for f in failures))
        sample = failures[0].get("expectation", "")
        if samples:
            failure, row = samples[0]
            if isinstance(row, dict):
                first = [c for c in str(failure.get("column", "")).split(", ") if c in row]
                rest = sorted(row, key=lambda k: len(str(row[k])))  # short values first: more fit
                row = {k: row[k] for k in [*first, *rest] if k not in FILE_KEYS}
            sample = sample_text(row)
    elif details.get("error"):
        count, sample = "-", str(details["error"])
    elif "dagster_dbt/failed_row_count" in details:
        count, sample = str(details["dagster_dbt/failed_row_count"]), "dbt test (the log has its query)"
    else:
        count, sample = "-", "-"
    level = "[BLOCKING]" if check.get("blocking") else "[warn]"
    return level, name, where, count, " ".join(sample.split())


def check_table(checks: list[dict]) -> list[str]:
    """The failing and warning checks, blocking first, as an aligned table of at most
    CHECK_TABLE_WIDTH columns: a long file name keeps its end, a long sample its start."""
    failed = sorted((c for c in checks if not c["passed"]), key=lambda c: (not c.get("blocking"), c["name"]))
    if not failed:
        return []
    rows = [check_row(c) for c in failed[:CHECK_TABLE_ROWS]]
    header = ("level", "check", "file or model", "rows", "sample")
    level, check, where, count, sample = (max(len(r[i]) for r in [header, *rows]) for i in range(5))
    check = min(check, 38)  # a longer name keeps its start and end
    room = CHECK_TABLE_WIDTH - 2 - level - check - count - 2 * 4  # for the file and the sample
    budget = max(16, room - min(sample, 30))  # the file's column, leaving the sample 30 or more
    where = max(len(header[2]), *(len(_fit_end(r[2], budget)) for r in rows))
    sample = room - where

    def line(r: tuple[str, ...]) -> str:
        cells = [r[0].ljust(level), _fit_middle(r[1], check).ljust(check), _fit_end(r[2], where).ljust(where)]
        return "  " + "  ".join([*cells, r[3].rjust(count), _fit(r[4], sample)]).rstrip()

    lines = [line(header), *(line(r) for r in rows)]
    if len(failed) > len(rows):
        lines.append(f"  ... and {len(failed) - len(rows)} more (reports/last_run.json lists every check)")
    return lines


def run_failures(report: dict) -> list[dict]:
    """The failed steps of a run other than those a failing blocking check stopped (the check table
    shows those): a step that raised, e.g. the dbt build or publish."""
    return [s for s in report["failed_steps"] if "DagsterAssetCheckFailedError" not in s["error"]]


def _fit(text: str, width: int) -> str:
    """The start of the text in `width` columns (~ marks a cut)."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "~"


def _fit_middle(text: str, width: int) -> str:
    """The start and the end of a name in `width` columns (~ marks the cut)."""
    if len(text) <= width:
        return text
    tail = (width - 1) // 2
    return text[: width - 1 - tail] + "~" + text[len(text) - tail :]


def _fit_end(text: str, width: int) -> str:
    """A path in `width` columns: whole, else its file name (the check names the source), else the
    end of the file name."""
    name = text.rsplit("/", 1)[-1]
    for candidate in (text, name):
        if len(candidate) <= width:
            return candidate
    return "~" + name[len(name) - width + 1 :]


def stage_lines(out, verbose: bool, ingest_only: bool) -> StageLines:
    """The stage lines of one Dagster run: the ingest assets (one per landing source), the dbt build,
    the GX suites the run selects, publish. Verbose: plain lines amid the streamed output."""
    ingest = set(ingest_only_selection())
    suites = [s for s in SUITES if not ingest_only or suite_asset_key(s) in ingest]
    expected = {"ingest": len(SOURCES), "dbt": 1, "checks": len(suites), "publish": 1}
    return StageLines(out, expected, live=False if verbose else None)


def stage_notes(report: dict) -> dict[str, str]:
    """What the stage lines say about the stages of a run that did not finish."""
    notes = {}
    for step in run_failures(report):
        stage = {"quality": "checks"}.get(stage_of(step["step"]), stage_of(step["step"]))
        notes[stage] = "failed (see below)"
    if report["up_to_date"]:
        notes.update(dbt="skipped: nothing new", publish="skipped: nothing new")
    elif any(c["blocking"] and not c["passed"] for c in report["checks"]):
        notes.setdefault("publish", "not run: a blocking check failed")
    return notes
