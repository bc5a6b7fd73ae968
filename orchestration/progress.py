"""What `vro run` and `vro ingest` show while they work: one line per stage with a counter, and
everything else a run prints (dbt's node lines, Dagster's log, warnings) in a log file under
<home>/logs.

The assets say how far they are with `report()`: a record on the `vro.progress` logger. Nothing shows
it unless a `StageLines` display listens (`vro run`, `vro ingest`); under the Dagster UI or daemon a
report is a dropped log call. On a terminal the stage lines update in place; elsewhere (CI, cron,
`make run | tee`) each stage prints one plain line when it ends, never one per file or dbt node.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

LOGGER = "vro.progress"
LOG_FOLDER = "logs"  # in the home
KEEP_LOGS = 20  # run logs kept under <home>/logs (the oldest are removed)
REDRAW_SECONDS = 0.1  # a terminal's stage lines are redrawn at most this often

# stage -> (label, unit of its counter, whether each part is one unit); the order of the lines
STAGES: dict[str, tuple[str, str, bool]] = {
    "ingest": ("ingest", "files parsed", False),  # a part per landing source, of its files
    "dbt": ("dbt build", "nodes", False),  # one part: dbt's nodes
    "checks": ("checks", "GX suites", True),  # a part per suite
    "publish": ("publish", "", False),
}


@dataclass(frozen=True)
class Progress:
    stage: str  # a key of STAGES
    part: str  # what reports: a landing source, the dbt build, one GX suite, the publish
    done: int
    total: int
    counts: dict[str, int] = field(default_factory=dict)  # e.g. failed: summed over parts on the line
    item: str = ""  # what the part is at (a file, a dbt node): shown on a terminal only


def report(stage: str, part: str, done: int, total: int, item: str = "", **counts: int) -> None:
    """How far one part of a stage is (its latest counts replace the earlier ones)."""
    logger = logging.getLogger(LOGGER)
    if logger.handlers:  # a display listens (else nothing: not even the root logger's handlers)
        progress = Progress(stage, part, done, total, counts, item)
        logger.info("%s %s %d/%d", stage, part, done, total, extra={"vro_progress": progress})


@dataclass
class _Stage:
    label: str
    unit: str
    one_per_part: bool  # the total is the number of parts expected
    parts_expected: int  # how many parts report before the stage is complete
    parts: dict[str, Progress] = field(default_factory=dict)
    started_at: float | None = None
    printed: bool = False

    @property
    def done(self) -> int:
        return sum(p.done for p in self.parts.values())

    @property
    def total(self) -> int:
        total = sum(p.total for p in self.parts.values())
        return max(total, self.parts_expected) if self.one_per_part else total

    @property
    def complete(self) -> bool:
        finished = [p for p in self.parts.values() if p.done >= p.total]
        return len(finished) >= self.parts_expected > 0

    def counts(self) -> dict[str, int]:
        summed: dict[str, int] = {}
        for p in self.parts.values():
            for name, n in p.counts.items():
                summed[name] = summed.get(name, 0) + n
        return summed

    def text(self, note: str = "", live: bool = False) -> str:
        if not self.parts:
            state = note or ("waiting" if live else "not run")
        elif self.unit:
            state = f"{self.done}/{self.total} {self.unit}"
        else:
            state = "done" if self.complete else "running"
        extra = [f"{n} {name}" for name, n in self.counts().items() if n]
        if self.parts and note:
            extra.append(note)
        line = f"  {self.label:<10} {state}" + "".join(f", {e}" for e in extra)
        if live and self.parts and not self.complete:
            items = [p.item for p in self.parts.values() if p.item and p.done < p.total]
            elapsed = time.monotonic() - (self.started_at or time.monotonic())
            line += f"  ({elapsed:.0f} s{'; ' + items[-1] if items else ''})"
        return line


class StageLines(logging.Handler):
    """The stage lines of one run, fed by `report()` while `listening()`.

    `expected` maps each stage to show to how many parts of it will report (ingest: one per landing
    source; dbt and publish: one; checks: one per GX suite in the run)."""

    def __init__(self, out: TextIO, expected: dict[str, int], live: bool | None = None):
        super().__init__(level=logging.INFO)
        self.out = out
        self.live = _is_terminal(out) if live is None else live
        self.stages = {s: _Stage(*STAGES[s], expected[s]) for s in STAGES if s in expected}
        self._lock = threading.Lock()
        self._drawn = 0  # lines of the block on the terminal
        self._drawn_at = 0.0

    @contextmanager
    def listening(self) -> Iterator[StageLines]:
        logger = logging.getLogger(LOGGER)
        level, propagate = logger.level, logger.propagate
        logger.setLevel(logging.INFO)
        logger.propagate = False  # shown here, not by whatever handles the root logger
        logger.addHandler(self)
        try:
            yield self
        finally:
            logger.removeHandler(self)
            logger.setLevel(level)
            logger.propagate = propagate

    def emit(self, record: logging.LogRecord) -> None:
        progress = getattr(record, "vro_progress", None)
        stage = self.stages.get(progress.stage) if progress else None
        if stage is None:
            return
        with self._lock:
            stage.started_at = stage.started_at or time.monotonic()
            stage.parts[progress.part] = progress
            self._show(progress.stage)

    def finish(self, notes: dict[str, str] | None = None) -> None:
        """The final lines: stages still unfinished say so (or what `notes` says about them)."""
        notes = notes or {}
        with self._lock:
            if self.live:
                self._draw([s.text(notes.get(k, "")) for k, s in self.stages.items()])
            else:
                for key, stage in self.stages.items():
                    if not stage.printed:
                        self._write(stage.text(notes.get(key, "")) + "\n")
            self.out.flush()

    def _show(self, reporting: str) -> None:
        if self.live:
            if self.stages[reporting].complete or time.monotonic() - self._drawn_at >= REDRAW_SECONDS:
                self._draw([s.text(live=True) for s in self.stages.values() if s.parts or s.printed])
            return
        # plain: a stage's one line once it is complete and another stage reports (its parts may still
        # add their final counts, e.g. the files an ingest asset found unchanged), else at the end
        for key, stage in self.stages.items():
            if stage.complete and not stage.printed and key != reporting:
                self._write(stage.text() + "\n")
                stage.printed = True
        self.out.flush()

    def _draw(self, lines: list[str]) -> None:
        """Rewrite the block of stage lines in place (cursor up, clear each line, write it)."""
        width = _width(self.out)
        up = f"\x1b[{self._drawn}A\r" if self._drawn else ""
        self._write(up + "".join(f"\x1b[2K{line[: width - 1]}\n" for line in lines))
        self.out.flush()
        self._drawn = len(lines)
        self._drawn_at = time.monotonic()
        for stage in self.stages.values():
            stage.printed = stage.printed or bool(stage.parts)

    def _write(self, text: str) -> None:
        try:
            self.out.write(text)
        except (OSError, ValueError):  # the terminal went away: the run goes on, its log has it all
            pass


def _is_terminal(out: TextIO) -> bool:
    try:
        return out.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False


def _width(out: TextIO) -> int:
    try:
        columns = os.get_terminal_size(out.fileno()).columns
    except (AttributeError, ValueError, OSError):
        columns = shutil.get_terminal_size().columns
    return columns if columns >= 40 else 80  # a terminal that does not say its size (0)


def new_log(home: Path, kind: str = "run") -> Path:
    """<home>/logs/<kind>-<UTC timestamp>.log; the oldest logs beyond KEEP_LOGS are removed."""
    folder = home / LOG_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    logs = sorted(folder.glob(f"{kind}-*.log"), key=lambda p: p.stat().st_mtime)
    for old in logs[: max(0, len(logs) - (KEEP_LOGS - 1))]:
        old.unlink(missing_ok=True)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d-%H%M%S")
    return folder / f"{kind}-{stamp}.log"


@contextmanager
def output_to_log(log: Path) -> Iterator[TextIO]:
    """Everything written to stdout and stderr, by this process and the processes it starts (dbt),
    goes to `log`; yields a stream on the former stdout, for the stage lines."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved_out, saved_err = os.dup(1), os.dup(2)
    log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    terminal = open(os.dup(saved_out), "w", encoding="utf-8", errors="replace", closefd=True)  # noqa: SIM115
    try:
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        yield terminal
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved_out, 1)
        os.dup2(saved_err, 2)
        for fd in (saved_out, saved_err, log_fd):
            os.close(fd)
        terminal.close()


@contextmanager
def run_output(log: Path | None) -> Iterator[TextIO]:
    """Where a run's stage lines go: with a log, the terminal while everything else goes to the log
    (`output_to_log`); without one (verbose), stdout, with everything else streamed as it comes."""
    if log is None:
        yield sys.stdout
        return
    with output_to_log(log) as terminal:
        yield terminal
