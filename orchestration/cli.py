"""The `vro` command: demo data, ingest alone, or the whole pipeline in one Dagster run.

Exit codes of `vro run`: 0 the marts were published; 1 a blocking check (or a failed step) stopped
publication and the previously published marts stay; 2 bad usage or configuration.
Exit codes of `vro ingest`: 0 every file present was read; 1 a file was rejected whole or could not
be read (now or when it was ingested); 2 bad usage or configuration.
Exit codes of `vro docs`: 0 the docs site was written; 1 dbt failed; 2 no build database yet.
`vro config` prints the settings in force (ingest/settings.py); it and every command that reads
them (ingest, run, ui) exit 2 on an unusable settings file, naming each problem on its own line.
Usage and configuration errors print one line (`vro: ...`) and no traceback.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import textwrap
from pathlib import Path

from orchestration.resources import LockTimeout, home_lock, lock_is_held
from orchestration.settings import VroPaths


class UsageError(Exception):
    pass


def _paths(args) -> VroPaths:
    """The folders of --landing / --home, else of VRO_LANDING / VRO_HOME, as absolute paths; passed on
    in the environment, so what this command starts (dbt, dagster dev) works on the same folders."""
    environ = dict(os.environ)
    if getattr(args, "landing", None):
        environ["VRO_LANDING"] = args.landing
    if getattr(args, "home", None):
        environ["VRO_HOME"] = args.home
    try:
        paths = VroPaths.from_env(environ)
    except (OSError, RuntimeError) as exc:  # e.g. a symlink loop in the path
        raise UsageError(f"the landing or home folder cannot be resolved ({exc})") from None
    os.environ.update(paths.as_env())
    return paths


def _usable_home(paths: VroPaths) -> None:
    """UsageError unless the home folder exists or can be created (not a file, not under a file)."""
    home = paths.home
    if home.exists() and not home.is_dir():
        raise UsageError(f"home {home} is a file, not a folder (VRO_HOME or --home)")
    for parent in home.parents:
        if parent.exists():
            if not parent.is_dir():
                raise UsageError(f"home {home} lies under {parent}, which is a file (VRO_HOME or --home)")
            break
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"home {home} cannot be created ({exc.strerror or exc})") from None


def _usable_landing(paths: VroPaths, hint: str = "") -> None:
    if not paths.landing.is_dir():
        what = "is not a folder" if paths.landing.exists() else "does not exist"
        raise UsageError(f"landing folder {paths.landing} {what}{hint}")


def _settings(args, paths: VroPaths):
    """The settings in force (--config, VRO_CONFIG, <home>/vro.yaml), checked before any file is read.
    A --config file is passed on as VRO_CONFIG, so the run (Dagster, ingest) reads the same file."""
    from ingest.settings import SettingsError, load_settings
    from orchestration.defs.gate.suites import CHECK_NAMES

    config = getattr(args, "config", None)
    try:
        settings = load_settings(config=config, home=paths.home, check_names=CHECK_NAMES)
    except SettingsError as exc:
        raise UsageError(str(exc)) from None
    if config:
        os.environ["VRO_CONFIG"] = str(settings.file)
    return settings


CONFIG_HELP = "settings file (default <home>/vro.yaml, or VRO_CONFIG; see vro.example.yaml)"

DAGSTER_YAML = """\
# Written by vro: one run at a time per home (DuckDB has one writer per file).
run_queue:
  max_concurrent_runs: 1
telemetry:
  enabled: false
"""


def dagster_instance(paths: VroPaths):
    """The persistent Dagster instance under <home>/dagster (the same one `make ui` shows)."""
    from dagster import DagsterInstance

    paths.dagster_home.mkdir(parents=True, exist_ok=True)
    config = paths.dagster_home / "dagster.yaml"
    if not config.exists():
        config.write_text(DAGSTER_YAML)
    os.environ["DAGSTER_HOME"] = str(paths.dagster_home)
    return DagsterInstance.get()


def cmd_demo(args) -> int:
    from ingest.demo.build import write_demo

    paths = _paths(args)
    summary = write_demo(paths.landing, seed=args.seed, scale=args.scale)
    print(f"demo exports written to {paths.landing}")
    print(json.dumps(summary.to_dict(), indent=1, default=str))
    return 0


def cmd_ingest(args) -> int:
    from ingest.runner import accounting_table
    from orchestration.defs.ingest.assets import ingest_reporting_progress
    from orchestration.progress import StageLines

    paths = _paths(args)
    _usable_landing(paths)
    _usable_home(paths)
    settings = _settings(args, paths).ingest
    with home_lock(paths.home, log=lambda m: print(m, file=sys.stderr)):
        lines = StageLines(sys.stdout, {"ingest": 1}, live=False if args.verbose else None)
        with lines.listening():
            outcomes = ingest_reporting_progress(
                "landing",
                paths.landing,
                paths.home,
                settings=settings,
                progress=(lambda m: print(m, file=sys.stderr)) if args.verbose else None,
            )
        lines.finish()
    print(accounting_table(outcomes))
    unreadable = [o for o in outcomes if o.unreadable]
    if unreadable:
        print(
            f"\n{len(unreadable)} file(s) could not be read (rejected whole or failed): fix or remove them; "
            "ingest/EXPORTS.md lists what each landing folder accepts",
            file=sys.stderr,
        )
        return 1
    return 0


def _print_summary(report: dict, paths: VroPaths) -> None:
    from ingest.runner import COMMITTED, HELD, NOT_TAKEN
    from orchestration.run_report import check_table, run_failures

    print("\nPer source (rows of the files new in this run; unchanged files were ingested before):")
    by_source: dict[str, list[int]] = {}
    for f in report["files"]:
        row = by_source.setdefault(f["source"] or "(stray)", [0, 0, 0, 0, 0, 0])
        is_new = f["status"] in COMMITTED
        row[0] += is_new
        row[1] += f["status"] == "unchanged"
        row[2] += f["status"] in HELD
        if is_new:
            row[3] += f["rows_read"]
            row[4] += f["rows_loaded"]
            row[5] += f["rows_rejected"]
    print(f"  {'source':<12} {'new':>5} {'same':>5} {'held':>5} {'read':>10} {'loaded':>10} {'rejected':>10}")
    for source, (n, same, held, r, lo, rej) in sorted(by_source.items()):
        print(f"  {source:<12} {n:>5} {same:>5} {held:>5} {r:>10,} {lo:>10,} {rej:>10,}")
    for f in report["files"]:
        if f["status"] in ("partial", *NOT_TAKEN):
            message = (
                f["message"] if f["message"].startswith(f"{f['path']}:") else f"{f['path']}: {f['message']}"
            )
            print(
                textwrap.fill(
                    message,
                    120,
                    initial_indent=f"  {f['status']:<9} ",
                    subsequent_indent=" " * 12,
                    break_long_words=False,  # a path stays whole
                    break_on_hyphens=False,
                )
            )
    if report.get("not_provided"):
        sources = ", ".join(report["not_provided"])
        print(f"Not provided (nothing ever loaded from their landing folders): {sources}")
    failed = [c for c in report["checks"] if not c["passed"]]
    print(f"\nChecks: {len(report['checks']) - len(failed)} passed, {len(failed)} failed")
    for line in check_table(report["checks"]):
        print(line)
    for s in run_failures(report):
        print(f"  step {s['step']} failed: {' '.join(s['error'].split())[:400]}")
    print("\nStages (s): " + ", ".join(f"{k} {v:.1f}" for k, v in report["stages"].items()))
    publish_report = paths.reports / "last_publish.json"
    if report["published"] and publish_report.exists():
        tables = json.loads(publish_report.read_text())["tables"]
        print(f"\nPublished {paths.published_db}:")
        # the marts in two columns, alphabetical down each, so the summary stays one screen
        cells = [
            f"{name:<28} {rows:>8,} rows" for name, rows in sorted(tables.items()) if name.startswith("mart_")
        ]
        half = (len(cells) + 1) // 2
        for left, right in itertools.zip_longest(cells[:half], cells[half:], fillvalue=""):
            print(f"  {left}   {right}".rstrip())
    elif report.get("up_to_date"):
        print(f"\nNothing new since the last publish: {paths.published_db} is current.")
    elif not report["published"]:
        print(f"\nNOT published: {paths.published_db} keeps the last good marts.")


def cmd_run(args) -> int:
    paths = _paths(args)
    _usable_landing(paths, " (try `vro demo` first)")
    _usable_home(paths)
    settings = _settings(args, paths)
    if settings.file:
        print(f"settings: {settings.file} ({settings.found_by}); `vro config` lists them", flush=True)
    instance = dagster_instance(paths)
    from orchestration.definitions import JOB_NAME, build_definitions
    from orchestration.defs.automation.plan import plan, plan_after_ingest
    from orchestration.progress import new_log, run_output
    from orchestration.run_report import build_run_report, stage_lines, stage_notes, write_run_report

    job = build_definitions(paths, settings).resolve_job_def(JOB_NAME)
    # Quiet (default): one line per stage; dbt's node lines and Dagster's log (INFO) go to the log file.
    log = None if args.verbose else new_log(paths.home)
    level = "DEBUG" if args.verbose else "INFO"
    run_config = {"loggers": {"console": {"config": {"log_level": level}}}}
    try:
        with run_output(log) as out:
            if lock_is_held(paths.home):  # said here: the run's own message goes to the log
                print(f"another run holds {paths.home / '.run.lock'}; this one starts when it ends", file=out)
            planned = plan(paths)
            if planned.ingest_only:
                print(f"checking {paths.landing} for new exports (the published marts are current)", file=out)
                lines = stage_lines(out, args.verbose, ingest_only=True)
                with lines.listening():
                    result = job.execute_in_process(  # its pipeline_lock resource holds the home's run lock
                        instance=instance,
                        raise_on_error=False,
                        run_config=run_config,
                        asset_selection=planned.selection,
                        tags=planned.tags,
                    )
                planned = plan_after_ingest(paths, planned)  # a file came in meanwhile: the whole pipeline
                skipped = "skipped: nothing new since the last publish"
                lines.finish({"dbt": skipped, "publish": skipped} if planned.ingest_only else {})
            if not planned.ingest_only:
                print(f"running {JOB_NAME} (home {paths.home})", file=out)
                lines = stage_lines(out, args.verbose, ingest_only=False)
                with lines.listening():
                    result = job.execute_in_process(
                        instance=instance, raise_on_error=False, run_config=run_config, tags=planned.tags
                    )
            report = build_run_report(instance, result.run_id, paths, settings)
            if not planned.ingest_only:
                lines.finish(stage_notes(report))
    except Exception:
        if log is not None:
            print(f"vro: the run's full output is in {log}", file=sys.stderr)
        raise
    write_run_report(report, paths)
    _print_summary(report, paths)
    print(f"\nReport: {paths.reports / 'last_run.json'}")
    if log is not None:
        print(f"Log:    {log}")  # dbt's and Dagster's full output (`vro run -v` streams it)
    return 0 if report["published"] or report["up_to_date"] else 1


def cmd_templates(args) -> int:
    from ingest.template_files import HOW_TO_FILL, TemplateFilesError, write_templates

    try:
        written = write_templates(Path(args.dir), force=args.force)
    except (TemplateFilesError, OSError) as exc:
        raise UsageError(str(exc)) from None
    for f in written:
        print(f"wrote {f.path}: {f.kind}, {f.columns} columns ({f.required} required), 1 example row")
    print(HOW_TO_FILL)
    return 0


def cmd_bench(args) -> int:
    from orchestration.tools.bench import BenchError, format_table, run_bench

    try:
        result = run_bench(args.scale, home=args.home, landing=args.landing, seed=args.seed)
    except BenchError as exc:
        raise UsageError(str(exc)) from exc
    print(format_table(result))
    print(f"\nReport: {Path(result['home']) / 'reports' / 'bench.json'}")
    return 0


def cmd_ui(args) -> int:
    """`dagster dev` on 127.0.0.1:3000 with the instance under <home>/dagster (same as `vro run`);
    Ctrl-C or SIGTERM stops it whole within seconds (orchestration/ui.py)."""
    from orchestration.ui import exec_supervisor

    paths = _paths(args)
    _settings(args, paths)
    dagster_instance(paths)  # writes <home>/dagster/dagster.yaml (one run at a time) if missing
    print(
        f"Dagster UI on http://127.0.0.1:{args.port} (DAGSTER_HOME={paths.dagster_home}); Ctrl-C stops it",
        flush=True,
    )
    exec_supervisor(args.port)
    return 0  # not reached: exec_supervisor replaces this process


def cmd_docs(args) -> int:
    """dbt's docs site of the models and columns as one offline HTML file under <home>/docs."""
    from orchestration.docs import build_docs

    paths = _paths(args)
    _usable_home(paths)
    if not paths.warehouse.is_file():
        raise UsageError(f"no build database at {paths.warehouse}: run `vro run` first")
    with home_lock(paths.home, log=lambda m: print(m, file=sys.stderr)):
        page = build_docs(paths)  # DocsError when dbt fails: exit 1 with its last lines
    print(f"Docs written: open {page}")
    return 0


def cmd_config(args) -> int:
    """The settings in force and where each came from; with --check FILE, only whether FILE is valid."""
    from ingest.settings import SettingsError, read_settings_file, show_value
    from orchestration.defs.gate.suites import CHECK_NAMES

    if args.check:
        try:
            checked = read_settings_file(Path(args.check).absolute(), "--check", CHECK_NAMES)
        except SettingsError as exc:
            raise UsageError(str(exc)) from None
        given = [key for key, source in checked.sources.items() if source != "default"]
        print(
            f"{checked.file}: valid ({len(given)} of {len(checked.values)} settings set: {', '.join(given)})"
        )
        return 0
    paths = _paths(args)
    settings = _settings(args, paths)
    if settings.file:
        print(f"settings file: {settings.file} ({settings.found_by})")
    else:
        print(f"settings file: none ({paths.home / 'vro.yaml'} does not exist): every setting is its default")
    rows = [(r["setting"], show_value(r["value"]), r["source"]) for r in settings.rows()]
    widths = [max(len(row[i]) for row in rows) for i in range(2)]
    for key, value, source in rows:
        print(f"{key:<{widths[0]}}  {value:<{widths[1]}}  {source}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vro", description="Value Realization Office data pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="write the demo exports into the landing folder")
    demo.add_argument("--landing", help="landing folder (default data/landing, or VRO_LANDING)")
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--scale", choices=["S", "M", "L"], default="S")
    demo.set_defaults(func=cmd_demo)
    for name, func, text in (
        ("ingest", cmd_ingest, "ingest the landing folder into the raw zone and print the accounting"),
        ("run", cmd_run, "run the whole pipeline (ingest, dbt, checks, publish) in one Dagster run"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("--landing", help="landing folder (default data/landing, or VRO_LANDING)")
        p.add_argument("--home", help="home folder (default data/home, or VRO_HOME)")
        p.add_argument("--config", help=CONFIG_HELP)
        p.set_defaults(func=func, verbose=False)
        verbose = "dbt's and Dagster's output as it comes" if name == "run" else "one line per file"
        p.add_argument("-v", "--verbose", action="store_true", help=f"show {verbose} (default: progress)")
    templates = sub.add_parser("templates", help="write blank value-office templates (XLSX and CSV) into DIR")
    templates.add_argument("dir", metavar="DIR", help="folder to write registry/, strategy/, benefits/ into")
    templates.add_argument("--force", action="store_true", help="overwrite template files already there")
    templates.set_defaults(func=cmd_templates)
    bench = sub.add_parser("bench", help="time full, no-change and 1%%-delta runs against DuckDB's own read")
    bench.add_argument("--scale", choices=["S", "M", "L"], default="M")
    bench.add_argument("--home", help="a fresh home for the runs (default data/bench/<scale>/home)")
    bench.add_argument("--landing", help="landing folder for the demo (default data/bench/<scale>/landing)")
    bench.add_argument("--seed", type=int, default=7)
    bench.set_defaults(func=cmd_bench)
    docs = sub.add_parser("docs", help="write dbt's docs site (models, columns, lineage) to <home>/docs")
    docs.add_argument("--home", help="home folder (default data/home, or VRO_HOME)")
    docs.set_defaults(func=cmd_docs)
    ui = sub.add_parser("ui", help="start the Dagster UI (dagster dev) on 127.0.0.1")
    ui.add_argument("--landing", help="landing folder (default data/landing, or VRO_LANDING)")
    ui.add_argument("--home", help="home folder (default data/home, or VRO_HOME)")
    ui.add_argument("--config", help=CONFIG_HELP)
    ui.add_argument("--port", type=int, default=3000)
    ui.set_defaults(func=cmd_ui)
    config = sub.add_parser("config", help="print the settings in force and where each came from")
    config.add_argument("--home", help="home folder (default data/home, or VRO_HOME)")
    config.add_argument("--config", help=CONFIG_HELP)
    config.add_argument("--check", metavar="FILE", help="only check that FILE is a valid settings file")
    config.set_defaults(func=cmd_config)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on bad usage already
        return int(exc.code or 0)
    try:
        return args.func(args)
    except (UsageError, LockTimeout) as exc:
        for line in str(exc).splitlines():  # a settings file: one line per problem
            print(f"vro: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("vro: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - no traceback reaches a user: one line, exit 1
        first = str(exc).strip().splitlines()[0][:400] if str(exc).strip() else ""
        print(f"vro: {args.command} stopped: {type(exc).__name__}: {first}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
