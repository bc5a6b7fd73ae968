"""The gate's outcomes, stored as JSON only: per run (each suite's outcome and one HTML page for the
run) and per raw suite with the state it ran on (reused while the raw zone and the code are unchanged)."""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import replace
from pathlib import Path

from ingest.files import write_atomically
from orchestration.defs.gate.runner import SuiteOutcome, sample_text
from orchestration.defs.gate.suites import SUITES, Suite
from orchestration.settings import VroPaths

KEEP_RUN_REPORTS = 20  # per-run validation reports kept under reports/validation/


def validation_dir(paths: VroPaths) -> Path:
    return paths.reports / "validation"


def run_report_path(paths: VroPaths, run_id: str) -> Path:
    """The run's HTML validation report: every suite, those not (yet) run marked so."""
    return validation_dir(paths) / f"run_{run_id}.html"


def record_outcome(paths: VroPaths, run_id: str, outcome: SuiteOutcome) -> Path:
    """Adds one suite's outcome to the run's report (rewritten whole after every suite)."""
    folder = validation_dir(paths) / f"run_{run_id}"
    save_outcome(outcome, folder)
    report = write_html_report(
        load_outcomes(folder), run_report_path(paths, run_id), title=f"Dagster run {run_id}"
    )
    shutil.copyfile(report, paths.reports / "validation_report.html")  # the latest run's, at a fixed name
    _prune(validation_dir(paths), keep=run_id)
    return report


def _prune(folder: Path, keep: str) -> None:
    reports = sorted(folder.glob("run_*.html"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in reports[KEEP_RUN_REPORTS:]:
        if old.stem != f"run_{keep}":
            old.unlink(missing_ok=True)
            shutil.rmtree(folder / old.stem, ignore_errors=True)


def failure_summary(outcome: SuiteOutcome) -> str:
    """One line per failed expectation with its first failing rows, for the run log and the CLI."""
    if outcome.error:
        return f"{outcome.suite.name}: {outcome.error}"
    lines = [
        f"{f.expectation}({f.column}): {f.unexpected_count} unexpected, e.g. "
        + " | ".join(sample_text(row) for row in f.sample[:3])
        for f in outcome.failures
    ]
    return "; ".join(lines)


def save_outcome(outcome: SuiteOutcome, folder: Path, state: dict | None = None) -> Path:
    """<folder>/<suite>.json; `state`: what the outcome is a function of (cached_outcome compares it)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{outcome.suite.name}.json"
    data = outcome.to_dict() if state is None else {**outcome.to_dict(), "state": state}
    with write_atomically(path) as tmp:
        tmp.write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")
    return path


def outcome_cache_dir(paths: VroPaths) -> Path:
    return paths.reports / "quality_cache"


def cached_outcome(paths: VroPaths, suite: Suite, state: dict) -> SuiteOutcome | None:
    """The outcome the raw suite had on this very raw zone and code, if it was recorded."""
    path = outcome_cache_dir(paths) / f"{suite.name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("state") != state:
            return None
        return replace(SuiteOutcome.from_dict(data), suite=suite)  # the severity in force now
    except (OSError, ValueError, KeyError, TypeError, StopIteration):  # none, or of another code version
        return None


def record_cached_outcome(paths: VroPaths, outcome: SuiteOutcome, state: dict) -> None:
    save_outcome(outcome, outcome_cache_dir(paths), state)


def load_outcomes(folder: Path) -> list[SuiteOutcome]:
    known = {s.name for s in SUITES}
    outcomes = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("suite") in known:
            outcomes.append(SuiteOutcome.from_dict(data))
    return outcomes


def write_html_report(
    outcomes: list[SuiteOutcome], path: Path, suites: tuple[Suite, ...] = SUITES, title: str = ""
) -> Path:
    """A readable validation report: every suite (run or not yet run), failing expectations first."""
    by_name = {o.suite.name: o for o in outcomes}
    failed = [o for o in outcomes if not o.success]
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>VRO validation report</title>",
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin-bottom:1em}"
        "td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}.fail{background:#fdd}"
        ".warn{background:#ffd}.pass{background:#dfd}.skip{color:#777}</style>",
        f"</head><body><h1>VRO validation report</h1><p>{html.escape(title)}</p>",
        f"<p>{len(outcomes)} of {len(suites)} suites run; {len(failed)} failed "
        f"({sum(o.suite.blocking for o in failed)} blocking).</p>",
        "<table><tr><th>suite</th><th>table</th><th>severity</th><th>status</th><th>rows</th></tr>",
    ]
    for s in suites:
        o = by_name.get(s.name)
        status, cls = _status(o, s)
        rows = "" if o is None else str(o.rows)
        parts.append(
            f"<tr class='{cls}'><td><a href='#{s.name}'>{s.name}</a></td>"
            f"<td>{html.escape(s.checked_table)}</td>"
            f"<td>{s.severity}</td><td>{status}</td><td>{rows}</td></tr>"
        )
    parts.append("</table>")
    for s in suites:
        o = by_name.get(s.name)
        status, cls = _status(o, s)
        parts.append(
            f"<h2 id='{s.name}'>{html.escape(s.name)} on {html.escape(s.checked_table)}: {status}</h2>"
        )
        if s.query:
            parts.append(
                f"<details><summary>query</summary><pre>{html.escape(s.query.strip())}</pre></details>"
            )
        if o is None:
            parts.append("<p class='skip'>Not run in this run (its asset was not materialized).</p>")
            continue
        parts.append(f"<p>{o.rows} rows checked in {o.seconds:.2f} s; severity {s.severity}.</p>")
        if o.error:
            parts.append(f"<p class='fail'>{html.escape(o.error)}</p>")
        parts.append("<table><tr><th>expectation</th><th>column</th><th>unexpected</th><th>sample</th></tr>")
        for c in sorted(o.outcomes, key=lambda c: c.success):
            ccls = "pass" if c.success else ("fail" if s.blocking else "warn")
            sample = html.escape(json.dumps(c.sample, default=str)) if c.sample else ""
            parts.append(
                f"<tr class='{ccls}'><td>{html.escape(c.expectation)}</td><td>{html.escape(c.column)}</td>"
                f"<td>{c.unexpected_count}</td><td><code>{sample}</code></td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    with write_atomically(path) as tmp:
        tmp.write_text("\n".join(parts), encoding="utf-8")
    return path


def _status(o: SuiteOutcome | None, s: Suite) -> tuple[str, str]:
    if o is None:
        return "not run", "skip"
    if o.not_provided:
        return f"not provided (no row ever loaded into {s.needs_rows_of})", "skip"
    if o.success:
        return "passed", "pass"
    return ("FAILED", "fail") if s.blocking else ("failed (warn)", "warn")
