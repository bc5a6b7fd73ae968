"""Ingest a landing folder into the raw zone, accounting for every row of every file.

For each complete, new file of a source folder: recognise it by content, parse it, write its raw
tables (Parquet, lineage columns added), its rejects, and last its manifest row. The manifest row is
the commit: a file without one (a run killed half-way) is simply ingested again next time, and its
Parquet files are replaced, not duplicated.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import datetime as dt
import functools
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ingest import raw_zone
from ingest.contract import RAW_TABLES
from ingest.files import write_atomically
from ingest.landing import (
    AS_OF_IN_NAME,
    LandingFile,
    as_of_date,
    is_partial_name,
    list_landing,
    refusal,
    sha256_of,
)
from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult
from ingest.parsers.common.tabular import XLSX_SUFFIXES, check_xlsx_safe, read_csv_text
from ingest.parsers.formats import SOURCES, recognise
from ingest.settings import IngestSettings

Progress = Callable[[str], None]
Counter = Callable[[int, int], None]  # (files parsed so far, files to parse in this call)


@dataclass
class FileOutcome:
    path: str  # relative to the landing folder
    source: str
    file_kind: str | None
    sha256: str | None
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    status: str  # loaded | partial | rejected | unchanged | waiting | refused | failed
    message: str
    seconds: float
    # For an unchanged file: the status it was committed with (a file rejected before stays unreadable).
    previous_status: str | None = None

    @property
    def unreadable(self) -> bool:
        """The file could not be read (rejected whole or failed), in this run or when it was ingested."""
        return self.status in UNREADABLE or (
            self.status == "unchanged" and self.previous_status in UNREADABLE
        )


# The file statuses (FileOutcome.status), grouped as the reports count them. loaded / partial: its rows
# are in the raw zone (partial: some rejected); rejected: unreadable, rejected whole; unchanged: taken
# before; waiting: still being written; refused: not read (a symlink out, too large, a hidden name...);
# failed: a fault of ours (a parser bug, a raw zone not writable), read again next run.
COMMITTED = ("loaded", "partial", "rejected")  # statuses with a manifest row: the files new in this run
ROWS_LOADED = ("loaded", "partial")  # files whose rows are in the raw zone
UNREADABLE = ("rejected", "failed")  # files that could not be read
TURNED_AWAY = ("rejected", "refused")  # files not taken: rejected whole or refused unread
HELD = ("waiting", "refused", "failed")  # files left in the landing folder unread this run
NOT_TAKEN = ("rejected", *HELD)  # files seen but not taken this run: each says why
# Sources delivered as whole snapshots dated by their file name: the same content re-dropped under a
# later date is a new snapshot (a user reverting to an earlier version), not "unchanged".
SNAPSHOT_SOURCES = ("benefits", "strategy", "registry", "rates")


def load_manifest(home: Path) -> dict[str, dict]:
    """Manifest rows of every committed file version, by sha256 (one read of the whole folder,
    remembered in this process until a manifest file is added or replaced)."""
    folder = raw_zone.raw_dir(home) / "ingest_manifest"
    files = tuple(sorted(str(p) for p in folder.glob("*.parquet")))
    if not files:
        return {}
    return dict(_manifest_rows(files, folder.stat().st_mtime_ns))  # a copy: callers add rows


@functools.lru_cache(maxsize=4)
def _manifest_rows(files: tuple[str, ...], folder_mtime_ns: int) -> dict[str, dict]:
    con = duckdb.connect()
    try:
        cursor = con.execute("select * from read_parquet(?, union_by_name = true)", [list(files)])
        columns = [d[0] for d in cursor.description]
        rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    finally:
        con.close()
    return {row["_file_sha256"]: row for row in rows}


SEEN_FILE = "landing_seen.json"  # in the raw zone: identities of files found unchanged by their content


def _untouched_versions(manifest: dict[str, dict], home: Path) -> dict[tuple, str]:
    """(path, size, mtime_ns, ctime_ns) -> version key of committed versions: a landing file with
    the same four was not written since it was ingested (or since its content was last found
    unchanged), so it is not hashed again. The inode change time makes this safe: a rewrite that
    keeps the size and sets the mtime back (`touch -d`, `cp -p`, rsync) still changes the ctime, so
    the file is hashed (and found new by its content). A file copied or restored with the same
    content is hashed once, found unchanged, and its new identity remembered (`raw/landing_seen.json`).
    Manifest rows without a ctime (written before it was recorded) never take the shortcut."""
    untouched = {
        (
            row.get("_source_file"),
            row.get("file_size_bytes"),
            row.get("file_mtime_ns"),
            row.get("file_ctime_ns"),
        ): key
        for key, row in manifest.items()
        if row.get("file_mtime_ns") is not None and row.get("file_ctime_ns") is not None
    }
    try:
        seen = json.loads((home / "raw" / SEEN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        seen = []
    for entry in seen if isinstance(seen, list) else []:
        if isinstance(entry, list) and len(entry) == 5 and entry[4] in manifest:
            untouched[tuple(entry[:4])] = entry[4]
    return untouched


def _remember_untouched(home: Path, untouched: dict[tuple, str], files: list[LandingFile]) -> None:
    """Keep the identities of the landing files there now (written atomically; a lost write only costs
    a hash next run)."""
    present = {f.relative for f in files}
    entries = sorted([*ident, key] for ident, key in untouched.items() if ident[0] in present)
    target = home / "raw" / SEEN_FILE
    with write_atomically(target) as tmp:
        tmp.write_text(json.dumps(entries), encoding="utf-8")


def version_key(sha: str, file: LandingFile, manifest: dict[str, dict]) -> str:
    """The key of a file version in the manifest and the raw zone: the SHA-256 of its content; for a
    snapshot source whose file name carries a date, content already ingested under another date is a
    new snapshot, keyed by the SHA-256 of `<content sha>@<date>`."""
    done = manifest.get(sha)
    if done is None or file.source not in SNAPSHOT_SOURCES or not AS_OF_IN_NAME.search(file.path.name):
        return sha
    as_of = as_of_date(file.path)
    if done.get("_file_as_of") in (None, as_of):
        return sha
    return hashlib.sha256(f"{sha}@{as_of.isoformat()}".encode()).hexdigest()


@dataclass
class LandingChanges:
    """What the landing folder holds that the raw zone does not hold as it is now: a file is new or
    changed since the last ingest unless its path, size, modification time and inode change time all
    equal those of a committed version (the manifest, or `raw/landing_seen.json` for a file found
    unchanged by its content). Nothing is hashed, so a copy of an ingested file counts as changed until
    a run has hashed it once. Files refused by every run (hidden names, symlinks out of the folder,
    over the size limit) and files outside the source folders are not listed."""

    ready: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    """relative path -> (size, mtime_ns, ctime_ns) of each complete file, new or changed"""
    settling: list[str] = field(default_factory=list)  # new or changed, modified in the last settle_seconds
    partial: list[str] = field(default_factory=list)  # partial or temporary names (.part, ~$...): not read
    unreadable: list[str] = field(default_factory=list)  # gone or unreadable since the listing


def landing_changes(
    landing: Path,
    home: Path,
    settings: IngestSettings | None = None,
    settle_seconds: float = 0.0,
    now_ns: int | None = None,
) -> LandingChanges:
    """The landing files new or changed since the last ingest into `home` (a listing, a stat per file
    and one scan of the manifest). A file modified less than `settle_seconds` before `now_ns` (default:
    now) may still be being written: it is `settling`, not `ready`."""
    settings = settings or IngestSettings.load(home=home)
    now_ns = time.time_ns() if now_ns is None else now_ns
    untouched = _untouched_versions(load_manifest(home), home)
    files, _ = list_landing(landing)
    changes = LandingChanges()
    for f in files:
        if is_partial_name(f.path.name):
            changes.partial.append(f.relative)
            continue
        if refusal(f, landing, settings.max_file_bytes) is not None:
            continue
        try:
            identity = f.identity_key()
        except OSError:  # gone since the listing: the run will say so
            changes.unreadable.append(f.relative)
            continue
        if (f.relative, *identity) in untouched:
            continue
        if 0 <= now_ns - identity[1] < settle_seconds * 1e9:
            changes.settling.append(f.relative)
        else:
            changes.ready[f.relative] = identity
    return changes


def files_to_read(landing: Path, home: Path, settings: IngestSettings | None = None) -> list[str]:
    """Landing files a run would open: complete, readable and not untouched since they were ingested.
    Cheap (a listing, a stat per file and one scan of the manifest; nothing is hashed)."""
    changes = landing_changes(landing, home, settings)
    return sorted([*changes.ready, *changes.settling, *changes.unreadable])


def ingest_landing(
    landing: Path,
    home: Path,
    sources: Iterable[str] = SOURCES,
    settings: IngestSettings | None = None,
    progress: Progress | None = None,
    workers: int | None = None,
    counter: Counter | None = None,
) -> list[FileOutcome]:
    """Ingest every new file of the chosen source folders; one outcome per file, in landing order.

    The parent process lists, checks and hashes the files and decides which ones to read; those are
    parsed and written by `workers` processes (default: one per core, at most `settings.parse_workers`),
    each file by one process, each committing its own manifest row. Untouched files are reported, not
    read; a file whose content another file of this run also holds is read once. `progress` gets one
    message per file; `counter` gets (files parsed, files to parse) before the first and after each.
    """
    landing, home = Path(landing), Path(home)
    settings = settings or IngestSettings.load(home=home)
    progress = progress or (lambda _msg: None)
    counter = counter or (lambda _done, _total: None)
    raw_zone.ensure_empty_tables(home)
    manifest = load_manifest(home)
    untouched = _untouched_versions(manifest, home)
    wanted = set(sources)
    files, _ = list_landing(landing)
    outcomes: list[FileOutcome | None] = []
    to_read: list[tuple[int, LandingFile, str, tuple[int, int, int]]] = []
    same_content: list[tuple[int, LandingFile]] = []  # content also in a file read in this run
    claimed: set[str] = set()
    for file in (f for f in files if f.source in wanted):
        checked = _check(file, landing, manifest, settings, untouched)
        if isinstance(checked, FileOutcome):
            outcomes.append(checked)
        elif checked[0] in claimed:
            outcomes.append(None)
            same_content.append((len(outcomes) - 1, file))
        else:
            claimed.add(checked[0])
            outcomes.append(None)
            to_read.append((len(outcomes) - 1, file, *checked))
    file_by_index = {index: file for index, file, _, _ in to_read}
    unchanged = sum(o is not None and o.status == "unchanged" for o in outcomes)
    if unchanged:
        progress(f"{unchanged} files unchanged since they were ingested (not read again)")
    counter(0, len(to_read))
    for done, (index, outcome) in enumerate(_load_all(to_read, landing, home, settings, workers), 1):
        outcomes[index] = outcome
        if outcome.sha256 and outcome.status in COMMITTED:
            manifest[outcome.sha256] = _manifest_view(outcome, file_by_index[index])
        progress(f"[{done}/{len(to_read)}] {_describe(outcome)}")
        counter(done, len(to_read))
    for index, file in same_content:  # after the first copy committed: found unchanged by content
        outcomes[index] = ingest_file(file, landing, home, manifest, settings, untouched)
        progress(_describe(outcomes[index]))
    _remember_untouched(home, untouched, files)
    stray = stray_files(landing) if wanted == set(SOURCES) else []
    return stray + [o for o in outcomes if o is not None]


def _describe(outcome: FileOutcome) -> str:
    return (
        f"{outcome.path}: {outcome.status} (read {outcome.rows_read}, loaded {outcome.rows_loaded}, "
        f"rejected {outcome.rows_rejected}, {outcome.seconds:.1f} s)"
        + (f" - {outcome.message}" if outcome.message and outcome.status != "loaded" else "")
    )


def _manifest_view(outcome: FileOutcome, file: LandingFile) -> dict:
    """What later files of the same run need from a just-committed manifest row."""
    return dict(
        _source_file=outcome.path,
        _file_as_of=as_of_date(file.path),
        file_kind=outcome.file_kind,
        status=outcome.status,
        rows_read=outcome.rows_read,
        rows_loaded=outcome.rows_loaded,
        rows_rejected=outcome.rows_rejected,
    )


# Below this many bytes to read, starting worker processes (about a second each) costs more than it saves.
PARALLEL_MIN_BYTES = 64 * 1024**2


def parse_workers(settings: IngestSettings, sizes: list[int], workers: int | None = None) -> int:
    """Processes to parse `sizes` (bytes of each file to read) with: `workers` when given, else one
    per core up to settings.parse_workers, and one for a small batch."""
    if workers is None:
        small = sum(sizes) < PARALLEL_MIN_BYTES
        workers = 1 if small else min(os.cpu_count() or 1, settings.parse_workers)
    return max(1, min(workers, len(sizes)))


def _load_all(
    to_read: list[tuple[int, LandingFile, str, tuple[int, int, int]]],
    landing: Path,
    home: Path,
    settings: IngestSettings,
    workers: int | None,
):
    """(index, outcome) per file as each finishes: in this process for one worker, else in a pool
    of fresh processes (spawned, not forked: the caller may hold DuckDB or Dagster threads)."""
    workers = parse_workers(settings, [before[0] for _, _, _, before in to_read], workers)
    if workers == 1:
        for index, file, sha, before in to_read:
            yield index, _load(file, sha, before, landing, home, settings)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_die_with_parent) as pool:
        futures = {
            pool.submit(_load, file, sha, before, landing, home, settings): index
            for index, file, sha, before in to_read
        }
        for future in as_completed(futures):
            yield futures[future], future.result()


def _die_with_parent() -> None:
    """A parse worker gets SIGKILL when the process that started it dies (Linux), so a killed run
    leaves no worker writing into the raw zone behind it."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the pool still ends its workers on a normal exit
        pass


def stray_files(landing: Path) -> list[FileOutcome]:
    """Files outside the source folders: reported as refused, never read."""
    _, stray = list_landing(landing)
    return [FileOutcome(rel, "", None, None, 0, 0, 0, "refused", reason, 0.0) for rel, reason in stray]


def _outcome(file: LandingFile, started: float, status: str, message: str, **kw) -> FileOutcome:
    base = dict(
        path=file.relative,
        source=file.source,
        file_kind=None,
        sha256=None,
        rows_read=0,
        rows_loaded=0,
        rows_rejected=0,
        status=status,
        message=message,
        seconds=round(time.perf_counter() - started, 3),
    )
    base.update(kw)
    return FileOutcome(**base)


def _check(
    file: LandingFile,
    landing: Path,
    manifest: dict[str, dict],
    settings: IngestSettings,
    untouched: dict[tuple, str] | None,
) -> FileOutcome | tuple[str, tuple[int, int]]:
    """The outcome of a file that is not to be read (waiting, refused, unchanged), else its
    (sha256, (size, mtime_ns)) as seen before hashing."""
    started = time.perf_counter()
    if is_partial_name(file.path.name):
        return _outcome(
            file, started, "waiting", "still being written (partial or temporary file name); next run"
        )
    reason = refusal(file, landing, settings.max_file_bytes)
    if reason:
        return _outcome(file, started, "refused", reason)
    try:
        before = file.identity_key()
        known = (untouched or {}).get((file.relative, *before))
        key = known or version_key(sha256_of(file.path), file, manifest)
        if not known and file.identity_key() != before:
            return _outcome(
                file, started, "waiting", "size or modification time changed while reading; next run"
            )
    except OSError as exc:  # gone, or unreadable, since the listing
        return _outcome(file, started, "refused", f"cannot be read ({exc.strerror or exc}); refused")
    if key in manifest:
        done = manifest[key]
        if untouched is not None and not known:  # found unchanged by its content: not hashed next time
            untouched[(file.relative, *before)] = key
        return _outcome(
            file,
            started,
            "unchanged",
            f"content already ingested from {done['_source_file']}",
            file_kind=done["file_kind"],
            sha256=key,
            rows_read=done["rows_read"],
            rows_loaded=done["rows_loaded"],
            rows_rejected=done["rows_rejected"],
            previous_status=done.get("status"),
        )
    return key, before


def ingest_file(
    file: LandingFile,
    landing: Path,
    home: Path,
    manifest: dict[str, dict],
    settings: IngestSettings,
    untouched: dict[tuple, str] | None = None,
) -> FileOutcome:
    """Check one file and, when it is new, read it and commit it (in this process)."""
    checked = _check(file, landing, manifest, settings, untouched)
    if isinstance(checked, FileOutcome):
        return checked
    outcome = _load(file, *checked, landing, home, settings)
    if outcome.sha256 and outcome.status in COMMITTED:
        manifest[outcome.sha256] = _manifest_view(outcome, file)
    return outcome


def _load(
    file: LandingFile,
    sha: str,
    before: tuple[int, int, int],
    landing: Path,
    home: Path,
    settings: IngestSettings,
) -> FileOutcome:
    """Parse a new file version and write its raw tables, its rejects and, last, its manifest row."""
    started = time.perf_counter()

    def outcome(status: str, message: str, **kw) -> FileOutcome:
        return _outcome(file, started, status, message, **kw)

    lineage = raw_zone.lineage_values(
        file.relative, sha, as_of_date(file.path), dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    )
    work_dir = Path(home) / "tmp" / sha[:16]
    shutil.rmtree(work_dir, ignore_errors=True)
    work_dir.mkdir(parents=True)
    try:
        try:
            result, kind, message = _parse(file, landing, work_dir, settings)
        except Exception as exc:  # a parser bug: recorded (and blocking) like a rejected file
            result, kind = None, None
            message = (
                f"{file.relative}: could not be read ({type(exc).__name__}: {_short(exc)}); a fault of "
                "the reader, not found in your file: it is read again next run; report it with the file",
                0,
            )
            failed = True
        else:
            failed = False
        raw_zone.remove_version(home, sha)
        if failed:  # a reject row says so, but no manifest row: read again next run (the fault may be
            # fixed by then); until it reads, the source's files_readable check fails every run
            _write_rejects(home, sha, lineage, file, kind, [("file", None, None, message[0])])
            return outcome("failed", message[0], sha256=sha)
        if result is None:
            rows_read = message[1]
            _write_rejects(home, sha, lineage, file, kind, [("file", None, None, message[0])])
            status, text = "rejected", message[0]
            counts = dict(rows_read=rows_read, rows_loaded=0, rows_rejected=rows_read)
        else:
            if result.rows_read != result.rows_loaded + result.rows_rejected:
                raise AssertionError(
                    f"{file.relative}: parser accounting broken: read {result.rows_read} != loaded "
                    f"{result.rows_loaded} + rejected {result.rows_rejected}"
                )
            for table, data in result.tables.items():
                raw_zone.write_table(home, table, data, {**lineage}, sha)
            _write_parser_rejects(home, sha, lineage, file, kind, result)
            counts = dict(
                rows_read=result.rows_read, rows_loaded=result.rows_loaded, rows_rejected=result.rows_rejected
            )
            status = "loaded" if result.rows_rejected == 0 else "partial"
            text = "" if status == "loaded" else f"{result.rows_rejected} rows rejected (see rejects)"
            if result.note:
                text = f"{text}; {result.note}" if text else result.note
        seconds = round(time.perf_counter() - started, 3)
        manifest_row = dict(
            source=file.source,
            file_kind=kind,
            file_size_bytes=before[0],
            file_mtime_ns=before[1],
            file_ctime_ns=before[2],
            status=status,
            message=text,
            seconds=seconds,
            **counts,
        )
        raw_zone.write_table(home, "ingest_manifest", _one_row("ingest_manifest", manifest_row), lineage, sha)
        return outcome(status, text, file_kind=kind, sha256=sha, **counts)
    except Exception as exc:  # writing the raw zone failed (disk full, ...): no manifest row, retried
        raw_zone.remove_version(home, sha)
        return outcome(
            "failed", f"could not write the raw zone ({type(exc).__name__}: {_short(exc)}); retried next run"
        )
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


# An unrecognised CSV up to this size is read once more, to count its records as read and rejected.
COUNT_UNRECOGNISED_MAX_BYTES = 64 * 1024**2


def _csv_records(path: Path) -> int:
    """The data records of an unrecognised CSV file (0 when it is not one, or too large to count)."""
    if path.suffix.lower() not in (".csv", ".txt", ".tsv"):
        return 0
    try:
        if path.stat().st_size > COUNT_UNRECOGNISED_MAX_BYTES:
            return 0
        return read_csv_text(path).rows_read
    except (FileRejected, OSError, ValueError):
        return 0


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else "")[:300]


def _parse(
    file: LandingFile, landing: Path, work_dir: Path, settings: IngestSettings
) -> tuple[ParseResult | None, str | None, tuple[str, int] | None]:
    """(result, kind, None) or (None, kind, (reason, rows_read)) for a file rejected whole."""
    ctx = ParseContext(landing_dir=landing, source_file=file.relative, work_dir=work_dir, settings=settings)
    kind = None
    try:
        if file.path.suffix.lower() in XLSX_SUFFIXES:  # a zip bomb is named as such, not "unrecognised"
            check_xlsx_safe(file.path, settings)
        found = recognise(file.source, file.path)
        if found is None:
            raise FileRejected(
                f"{file.relative}: unrecognised: its content matches none of the formats read from "
                f"landing/{file.source}/ (ingest/EXPORTS.md lists them, with their columns)",
                rows_read=_csv_records(file.path),
            )
        module, kind = found
        try:
            return module.parse(file.path, ctx, kind), kind, None
        except RecursionError as exc:  # JSON or XML nested deeper than any export
            raise FileRejected(f"{file.relative}: nested too deeply to be an export; refused") from exc
    except FileRejected as exc:
        text = str(exc)
        if file.path.name not in text:
            text = f"{file.relative}: {text}"
        return None, kind, (text, exc.rows_read)


def _one_row(table: str, values: dict) -> pa.Table:
    schema = RAW_TABLES[table].append(pa.field("_source_ref", pa.string()))
    row = {k: values.get(k) for k in schema.names} | {"_source_ref": "file"}
    return pa.Table.from_pylist([row], schema=schema)


def _write_rejects(home, sha, lineage, file: LandingFile, kind, rows: list[tuple]) -> None:
    """rows: (ref, column, value, reason)."""
    table = pa.Table.from_pylist(
        [
            dict(source=file.source, file_kind=kind, column_name=c, value=v, reason=r, _source_ref=ref)
            for ref, c, v, r in rows
        ],
        schema=RAW_TABLES["rejects"].append(pa.field("_source_ref", pa.string())),
    )
    raw_zone.write_table(home, "rejects", table, lineage, sha)


def _write_parser_rejects(home, sha, lineage, file: LandingFile, kind, result: ParseResult) -> None:
    rows = [(r.ref, r.column, r.value, r.reason) for r in result.rejects]
    if result.rejects_parquet is not None and Path(result.rejects_parquet).exists():
        for batch in pq.ParquetFile(result.rejects_parquet).iter_batches(batch_size=10_000):
            for r in batch.to_pylist():
                rows.append((r["ref"], r["column"], r["value"], r["reason"]))
    if rows:
        _write_rejects(home, sha, lineage, file, kind, rows)


def accounting_table(outcomes: list[FileOutcome]) -> str:
    header = f"{'file':<52} {'kind':<22} {'status':<10} {'read':>9} {'loaded':>9} {'rejected':>9}"
    lines = [header, "-" * len(header)]
    for o in outcomes:
        lines.append(
            f"{o.path[-52:]:<52} {(o.file_kind or '-')[:22]:<22} {o.status:<10} "
            f"{o.rows_read:>9,} {o.rows_loaded:>9,} {o.rows_rejected:>9,}"
        )
        if o.status in NOT_TAKEN or o.unreadable:
            lines.append(f"    {o.message}")
    return "\n".join(lines)


def outcomes_to_json(outcomes: list[FileOutcome]) -> list[dict]:
    return [asdict(o) for o in outcomes]
