"""`vro bench`: the whole pipeline at a demo scale, held against DuckDB's own read of the same files.

On a fresh home (default data/bench/<scale>/home, landing data/bench/<scale>/landing):
1. a full run; 2. a run with no new files; 3. a run after a deterministic ~1% extra batch
(`ingest.demo.delta`). Each run is a separate `vro run` process; its wall time, per-stage times
(reports/last_run.json "stages"), ingested rows per second and the peak RSS of its whole process
tree (summed over /proc every 0.2 s) are recorded. The floor: DuckDB alone, in one process, reading
the same landing files into tables (read_csv / read_json), plus the project's MSPDI parser's time.
Writes <home>/reports/bench.json and prints a table.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.sql import sql_literal
from orchestration.settings import REPO_ROOT

POLL_SECONDS = 0.2
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MARKER_SUFFIX = ".bench-demo.json"  # beside the landing folder: which demo it holds
HOME_MARKER = "bench-home.json"  # in a home the bench made (and may empty again)


class BenchError(Exception):
    """Bad bench usage: a folder the bench would overwrite holds someone else's files."""


# ---- process tree memory -------------------------------------------------------------------------


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])  # fields after "(comm)": state ppid ...
        children.setdefault(ppid, []).append(int(entry))
    return children


def tree_rss_bytes(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc (0 once it is gone)."""
    children, todo, total = _children_map(), [root], 0
    seen: set[int] = set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/statm", encoding="ascii") as fh:
                total += int(fh.read().split()[1]) * PAGE_BYTES
        except (OSError, ValueError, IndexError):
            continue
        todo.extend(children.get(pid, []))
    return total


class RssPoller:
    """Polls the tree of `pid` every POLL_SECONDS in a thread and keeps the peak sum."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, tree_rss_bytes(self.pid))
            except OSError:
                pass
            self._stop.wait(POLL_SECONDS)

    def __enter__(self) -> RssPoller:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# ---- one pipeline run ----------------------------------------------------------------------------


@dataclass
class RunResult:
    name: str
    exit_code: int
    wall_s: float
    published: bool
    rows: int  # rows read from the files this run ingested (loaded or partial)
    files_ingested: int
    rows_per_s: float
    peak_rss_mb: float
    peak_rss_method: str
    stages: dict[str, float] = field(default_factory=dict)
    log: str = ""
    # where the time went: CPU seconds per file kind parsed (summed over the parse workers), and the
    # slowest dbt nodes of the run's `dbt build` (thread seconds; dbt runs 4 threads)
    parse_s_by_kind: dict[str, float] = field(default_factory=dict)
    dbt_slowest: list[tuple[str, float]] = field(default_factory=list)


def run_pipeline(name: str, landing: Path, home: Path, log_dir: Path) -> RunResult:
    """One `vro run` in its own process, with its process tree's memory polled."""
    from ingest.runner import ROWS_LOADED

    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"bench_{name}.log"
    command = [
        sys.executable,
        "-m",
        "orchestration.cli",
        "run",
        "--landing",
        str(landing),
        "--home",
        str(home),
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    with log_path.open("w") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=REPO_ROOT)
        with RssPoller(proc.pid) as poller:
            code = proc.wait()
    wall = time.perf_counter() - started
    peak, method = poller.peak, "proc-tree-sum"
    if peak == 0:  # /proc unreadable: the largest single child the OS saw (KiB on Linux)
        peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) * 1024
        method = "rusage-max"
    report_path = home / "reports" / "last_run.json"
    report = json.loads(report_path.read_text()) if report_path.exists() else {}
    ingested = [f for f in report.get("files", []) if f.get("status") in ROWS_LOADED]
    rows = sum(int(f.get("rows_read") or 0) for f in ingested)
    return RunResult(
        name=name,
        exit_code=code,
        wall_s=round(wall, 2),
        published=bool(report.get("published")),
        rows=rows,
        files_ingested=len(ingested),
        rows_per_s=round(rows / wall, 1) if wall else 0.0,
        peak_rss_mb=round(peak / 1024**2, 1),
        peak_rss_method=method,
        stages=dict(report.get("stages", {})),
        log=str(log_path),
        parse_s_by_kind=_parse_seconds(ingested),
        dbt_slowest=_dbt_slowest(home, report.get("run_id")),
    )


def _parse_seconds(ingested: list[dict]) -> dict[str, float]:
    by_kind: dict[str, float] = {}
    for f in ingested:
        kind = f.get("file_kind") or "?"
        by_kind[kind] = by_kind.get(kind, 0.0) + float(f.get("seconds") or 0.0)
    return {k: round(v, 1) for k, v in sorted(by_kind.items(), key=lambda kv: -kv[1])}


def _dbt_slowest(home: Path, run_id: str | None, top: int = 8) -> list[tuple[str, float]]:
    results = home / "dbt" / f"run-{run_id}" / "run_results.json"
    if not run_id or not results.exists():
        return []
    nodes = json.loads(results.read_text())["results"]
    nodes.sort(key=lambda r: -r["execution_time"])
    return [(r["unique_id"].split(".", 2)[-1][:60], round(r["execution_time"], 1)) for r in nodes[:top]]


# ---- the floor: DuckDB alone ---------------------------------------------------------------------


def _sql_list(paths: list[Path]) -> str:
    return "[" + ", ".join(sql_literal(p) for p in paths) + "]"


def duckdb_floor(landing: Path, work: Path) -> dict:
    """DuckDB reading every CSV and JSON file of the landing folder into tables (one process), and
    the project's own MSPDI parser over the XML files. Returns seconds and row counts. The quote
    character is given: sniffing 20k lines of an L GL file that quotes only amounts with a thousands
    separator finds none, and the read then fails on the first such line."""
    import duckdb

    from ingest.parsers.common.base import ParseContext
    from ingest.parsers.msproject import mspdi

    work.mkdir(parents=True, exist_ok=True)
    db = work / "floor.duckdb"
    db.unlink(missing_ok=True)
    tables: dict[str, int] = {}
    started = time.perf_counter()
    con = duckdb.connect(str(db))
    try:
        jira = landing / "jira"
        csv_pages = sorted(jira.glob("*.csv"))
        json_pages = sorted(jira.glob("*.json"))
        if csv_pages:
            con.execute(
                f"CREATE TABLE jira_csv AS SELECT * FROM read_csv({_sql_list(csv_pages)}, "
                "union_by_name = true, all_varchar = true, header = true, quote = '\"', escape = '\"')"
            )
        if json_pages:
            con.execute(
                f"CREATE TABLE jira_json AS SELECT unnest(issues) AS issue FROM read_json("
                f"{_sql_list(json_pages)}, maximum_object_size = 1073741824, union_by_name = true)"
            )
        others = [p for p in sorted(landing.rglob("*.csv")) if p.parent != jira]
        for path in others:  # one table per file, named for it: finance__budgets
            name = re.sub(r"\W", "_", str(path.relative_to(landing).with_suffix("")).replace("/", "__"))
            con.execute(
                f'CREATE TABLE "{name}" AS SELECT * FROM read_csv({_sql_list([path])}, '
                "all_varchar = true, header = true, quote = '\"', escape = '\"')"
            )
        for name in [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()]:
            tables[name] = con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
    finally:
        con.close()
    duckdb_s = time.perf_counter() - started
    started = time.perf_counter()
    msp_rows = 0
    xml_files = sorted((landing / "msproject").glob("*.xml"))
    for path in xml_files:
        scratch = Path(tempfile.mkdtemp(dir=work))
        try:
            ctx = ParseContext(
                landing_dir=landing, source_file=str(path.relative_to(landing)), work_dir=scratch
            )
            msp_rows += mspdi.parse(path, ctx).rows_read
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    mspdi_s = time.perf_counter() - started
    db.unlink(missing_ok=True)
    return {
        "floor_s": round(duckdb_s + mspdi_s, 2),
        "duckdb_s": round(duckdb_s, 2),
        "mspdi_s": round(mspdi_s, 2),
        "mspdi_files": len(xml_files),
        "mspdi_rows": msp_rows,
        "rows": sum(tables.values()) + msp_rows,
        "tables": tables,
    }


# ---- the benchmark -------------------------------------------------------------------------------


def _prepare_landing(landing: Path, scale: str, seed: int, log) -> float | None:
    """Write the demo at this scale unless the landing folder already holds it; removes an earlier
    delta batch. Returns the generation seconds (None when the demo was already there)."""
    from ingest.demo.build import write_demo
    from ingest.demo.delta import delta_files

    marker = landing.parent / f"{landing.name}{MARKER_SUFFIX}"
    wanted = {"scale": scale, "seed": seed}
    if marker.exists() and landing.is_dir() and json.loads(marker.read_text()) == wanted:
        for path in delta_files(landing, seed, scale):
            path.unlink(missing_ok=True)
        return None
    if landing.is_dir() and any(landing.iterdir()) and not marker.exists():
        raise BenchError(
            f"landing folder {landing} holds files the bench did not write; "
            "give `vro bench` a new or empty --landing folder (it writes the demo there)"
        )
    log(f"writing the {scale} demo into {landing} ...")
    shutil.rmtree(landing, ignore_errors=True)
    marker.unlink(missing_ok=True)
    started = time.perf_counter()
    write_demo(landing, seed=seed, scale=scale)
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps(wanted))
    log(f"demo written in {seconds:.1f} s")
    return round(seconds, 2)


def default_root(scale: str) -> Path:
    return Path("data") / "bench" / scale


def run_bench(
    scale: str, home: Path | None = None, landing: Path | None = None, seed: int = 7, log=None
) -> dict:
    from ingest.demo.delta import write_delta

    log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
    root = default_root(scale)
    home = Path(home or root / "home").resolve()
    landing = Path(landing or root / "landing").resolve()
    if home.is_dir() and any(home.iterdir()) and not (home / HOME_MARKER).exists():
        raise BenchError(
            f"home folder {home} is not a bench home (no {HOME_MARKER}); the bench empties "
            "its home before the full run, so give it a new or empty --home folder"
        )
    generate_s = _prepare_landing(landing, scale, seed, log)
    shutil.rmtree(home, ignore_errors=True)  # a fresh home: the full run ingests everything
    home.mkdir(parents=True)
    (home / HOME_MARKER).write_text(json.dumps({"scale": scale, "seed": seed}))
    logs = home / "reports" / "bench"
    runs: dict[str, RunResult] = {}
    for name in ("full", "nochange"):
        log(f"run {name} ...")
        runs[name] = run_pipeline(name, landing, home, logs)
        log(f"  {runs[name].wall_s:.1f} s, exit {runs[name].exit_code}")
    log("floor: DuckDB alone over the same files ...")
    floor = duckdb_floor(landing, home / "tmp" / "bench_floor")
    log(f"  {floor['floor_s']:.1f} s")
    delta = write_delta(landing, seed=seed, scale=scale)
    log(f"run delta ({len(delta.files)} new files) ...")
    runs["delta"] = run_pipeline("delta", landing, home, logs)
    log(f"  {runs['delta'].wall_s:.1f} s, exit {runs['delta'].exit_code}")
    result = {
        "scale": scale,
        "full_s": runs["full"].wall_s,
        "nochange_s": runs["nochange"].wall_s,
        "delta_s": runs["delta"].wall_s,
        "floor_s": floor["floor_s"],
        "ratio_full_to_floor": round(runs["full"].wall_s / floor["floor_s"], 2) if floor["floor_s"] else None,
        "peak_rss_mb": max(r.peak_rss_mb for r in runs.values()),
        "stages": {name: r.stages for name, r in runs.items()},
        "runs": {name: asdict(r) for name, r in runs.items()},
        "floor": floor,
        "delta": asdict(delta),
        "delta_share_of_full": round(runs["delta"].wall_s / runs["full"].wall_s, 3),
        "generate_s": generate_s,
        "landing": str(landing),
        "home": str(home),
        "targets": targets(scale, runs, floor),
    }
    out = home / "reports" / "bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    return result


def targets(scale: str, runs: dict[str, RunResult], floor: dict) -> dict[str, bool]:
    """The issue's targets, reported (never asserted)."""
    out = {"delta_under_25pct_of_full": runs["delta"].wall_s < 0.25 * runs["full"].wall_s}
    if scale == "M":
        out["nochange_under_15s"] = runs["nochange"].wall_s < 15
    if scale == "L":
        out["full_within_3x_floor"] = runs["full"].wall_s <= 3 * floor["floor_s"]
        out["peak_rss_under_4gb"] = max(r.peak_rss_mb for r in runs.values()) < 4096
    return out


def format_table(result: dict) -> str:
    stage_names = sorted({s for r in result["runs"].values() for s in r["stages"]})
    header = f"{'run':<10}{'wall s':>9}{'exit':>6}{'rows':>11}{'rows/s':>11}{'peak RSS MB':>13}"
    header += "".join(f"{s + ' s':>11}" for s in stage_names)
    lines = [f"Benchmark, scale {result['scale']}", header]
    for name, r in result["runs"].items():
        line = (
            f"{name:<10}{r['wall_s']:>9.1f}{r['exit_code']:>6}{r['rows']:>11,}{r['rows_per_s']:>11,.0f}"
            f"{r['peak_rss_mb']:>13,.0f}"
        )
        line += "".join(f"{r['stages'].get(s, 0.0):>11.1f}" for s in stage_names)
        lines.append(line)
    f = result["floor"]
    lines.append(
        f"{'floor':<10}{f['floor_s']:>9.1f}{'':>6}{f['rows']:>11,}"
        f"{f['rows'] / f['floor_s'] if f['floor_s'] else 0:>11,.0f}"
        f"   (DuckDB read {f['duckdb_s']:.1f} s + MSPDI parse {f['mspdi_s']:.1f} s)"
    )
    lines.append(
        f"full / floor = {result['ratio_full_to_floor']}x; delta / full = "
        f"{result['delta_share_of_full']:.0%}; peak RSS {result['peak_rss_mb']:,.0f} MB"
    )
    for name, r in result["runs"].items():
        if r.get("parse_s_by_kind"):
            kinds = ", ".join(f"{k} {v:.1f}" for k, v in list(r["parse_s_by_kind"].items())[:5])
            lines.append(f"  {name}: parse s by kind: {kinds}")
        if r.get("dbt_slowest"):
            nodes = ", ".join(f"{n} {t:.1f}" for n, t in r["dbt_slowest"][:5])
            lines.append(f"  {name}: slowest dbt nodes s: {nodes}")
    marks = [f"{k} {'OK' if v else 'MISSED'}" for k, v in result["targets"].items()]
    lines.append("targets: " + ", ".join(marks))
    return "\n".join(lines)
