"""Writing a file so that a reader sees the old version or the new one whole, never half of one."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def write_atomically(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` to write to (hidden, named for this process); renamed over
    `target` when the block ends, removed when it raises.

        with write_atomically(path) as tmp:
            tmp.write_text(text)
    """
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        yield tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    os.replace(tmp, target)
