"""The landing folder: which files are there, which are complete, safe and new.

The pipeline never modifies the landing folder. A file is
- "waiting" while it is still being written (a `.part`, `.tmp`, `.crdownload` or `~$` name, or a
  size / mtime that changes while it is hashed): the next run takes it;
- "refused" when it is a symlink leading out of the landing folder or into a loop, over the size
  limit, or has a hidden name (starting with `.`: rsync's and editors' temporary copies; never read,
  rename it without the dot);
- otherwise identified by the SHA-256 of its content: a content already ingested is "unchanged".
  The hash is skipped only for a file whose path, size, modification time and inode change time
  (ctime, which no tool can set back) all equal those recorded when it was ingested.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ingest.parsers.formats import SOURCES

PARTIAL_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".filepart")
AS_OF_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


@dataclass(frozen=True)
class LandingFile:
    path: Path  # absolute
    relative: str  # relative to the landing folder, with '/' separators
    source: str  # the landing sub-folder: jira, msproject, finance, ...

    def identity_key(self) -> tuple[int, int, int]:
        """(size, mtime_ns, ctime_ns): a file with all three unchanged was not written since. mtime
        alone can be set back (`touch -d`, `cp -p`, rsync --times); ctime cannot."""
        st = self.path.stat()
        return st.st_size, st.st_mtime_ns, st.st_ctime_ns


def is_partial_name(name: str) -> bool:
    lowered = name.lower()
    return name.startswith("~$") or lowered.endswith(PARTIAL_SUFFIXES)


def is_hidden_name(name: str) -> bool:
    return name.startswith(".")


def list_landing(landing: Path) -> tuple[list[LandingFile], list[tuple[str, str]]]:
    """Files under each source folder (sorted), and (relative path, reason) for files elsewhere."""
    landing = Path(landing)
    files: list[LandingFile] = []
    stray: list[tuple[str, str]] = []
    if not landing.is_dir():
        return files, stray
    for entry in sorted(_walk(landing)):
        try:
            is_dir = entry.is_dir() and not entry.is_symlink()
        except OSError:  # a symlink loop: listed, then refused by `refusal`
            is_dir = False
        if is_dir:
            continue
        rel = entry.relative_to(landing).as_posix()
        top = rel.split("/", 1)[0]
        if top not in SOURCES or "/" not in rel:
            stray.append((rel, f"not in a source folder ({', '.join(SOURCES)})"))
            continue
        files.append(LandingFile(path=entry, relative=rel, source=top))
    return files, stray


def _walk(landing: Path) -> list[Path]:
    """Every entry under `landing` (symlinked folders are not entered: no loop can trap the walk)."""
    found: list[Path] = []
    for root, dirs, names in os.walk(landing, followlinks=False):
        base = Path(root)
        found.extend(base / d for d in dirs if (base / d).is_symlink())
        found.extend(base / n for n in names)
    return found


def refusal(file: LandingFile, landing: Path, max_bytes: int) -> str | None:
    """Why a file must not be read at all, or None."""
    if is_hidden_name(file.path.name):
        return (
            "hidden file name (starts with '.'): such names are temporary copies of rsync and editors "
            "and are never read; rename the file without the leading dot to have it read"
        )
    if file.path.is_symlink():
        try:
            target = file.path.resolve(strict=True)
        except (OSError, RuntimeError):
            return "symlink that leads nowhere (a loop, or its target is missing); refused"
        if not target.is_relative_to(Path(landing).resolve()):
            return f"symlink leads outside the landing folder (to {target}); refused"
        if target.is_dir():
            return "symlink to a folder; refused"
    try:
        if not file.path.is_file():
            return "not a regular file"
        size = file.path.stat().st_size
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc}); refused"
    if size > max_bytes:
        return f"{size:,} bytes is over the limit of {max_bytes:,} (max_file_bytes)"
    return None


def sha256_of(path: Path, chunk: int = 4 * 1024 * 1024) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def as_of_date(path: Path) -> dt.date:
    """A file's snapshot date: a YYYY-MM-DD in its name, else its modification date."""
    match = AS_OF_IN_NAME.search(path.name)
    if match:
        try:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    return dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.timezone.utc).date()
