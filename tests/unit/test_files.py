"""ingest.files.write_atomically: a reader sees the old file or the new one whole, never a part."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.files import write_atomically


def test_the_new_content_replaces_the_old_when_the_block_ends(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_text("old")
    with write_atomically(target) as tmp:
        tmp.write_text("new")
        assert target.read_text() == "old"  # not yet: the rename comes when the block ends
        assert tmp.parent == tmp_path and tmp.name.startswith(".state.json.")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_text("old")
    with pytest.raises(OSError, match="disk full"), write_atomically(target) as tmp:
        tmp.write_text("half")
        raise OSError("disk full")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]
