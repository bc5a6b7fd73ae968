"""The runner's guarantees: every row accounted for, idempotent, partial/unsafe files held back."""

from __future__ import annotations

import os
import shutil

import pyarrow.parquet as pq
import pytest

from ingest import raw_zone
from ingest.landing import sha256_of
from ingest.runner import files_to_read, ingest_landing, landing_changes
from ingest.settings import IngestSettings

JIRA_CSV = "jira/cloud_all_fields_sprint_watchers.csv"
JIRA_AGILE = "jira/agile_board_issues_expand_changelog.json"


def _rows(home, table: str) -> int:
    return sum(pq.read_metadata(p).num_rows for p in (home / "raw" / table).glob("*.parquet"))


def _versions(home, table: str) -> list[str]:
    return sorted(p.name for p in (home / "raw" / table).glob("*.parquet") if p.name != "_empty.parquet")


@pytest.fixture
def landing(tmp_path, samples):
    root = tmp_path / "landing"
    (root / "jira").mkdir(parents=True)
    for rel in (JIRA_CSV, JIRA_AGILE):
        shutil.copy(samples / rel, root / rel)
    return root


def by_path(outcomes):
    return {o.path: o for o in outcomes}


def test_every_row_accounted_and_loaded_rows_land_in_raw(landing, tmp_path):
    home = tmp_path / "home"
    outcomes = by_path(ingest_landing(landing, home))
    csv, agile = outcomes[JIRA_CSV], outcomes[JIRA_AGILE]
    assert (csv.status, csv.rows_read, csv.rows_loaded, csv.rows_rejected) == ("loaded", 22, 22, 0)
    assert (agile.status, agile.rows_read, agile.rows_loaded) == ("loaded", 4, 4)
    assert _rows(home, "jira_issues") == 22 + 4
    manifest = pq.read_table(home / "raw" / "ingest_manifest").to_pylist()
    assert sorted((m["_source_file"], m["rows_read"]) for m in manifest) == [(JIRA_AGILE, 4), (JIRA_CSV, 22)]
    assert {m["_file_sha256"] for m in manifest} == {
        sha256_of(landing / JIRA_CSV),
        sha256_of(landing / JIRA_AGILE),
    }


def test_second_run_loads_nothing_new(landing, tmp_path):
    home = tmp_path / "home"
    ingest_landing(landing, home)
    before = {p: p.stat().st_mtime_ns for p in (home / "raw").rglob("*.parquet")}
    outcomes = ingest_landing(landing, home)
    assert {o.status for o in outcomes} == {"unchanged"}
    assert {p: p.stat().st_mtime_ns for p in (home / "raw").rglob("*.parquet")} == before
    assert _rows(home, "jira_issues") == 26


def test_changed_file_is_a_new_version_beside_the_old(landing, tmp_path):
    home = tmp_path / "home"
    ingest_landing(landing, home)
    path = landing / JIRA_CSV
    path.write_text(
        path.read_text(encoding="utf-8").replace("Enable Selinium", "Enable Selenium"), encoding="utf-8"
    )
    outcomes = by_path(ingest_landing(landing, home))
    assert outcomes[JIRA_CSV].status == "loaded"
    assert outcomes[JIRA_AGILE].status == "unchanged"
    assert len(_versions(home, "jira_issues")) == 3  # two CSV versions + the agile page
    assert _rows(home, "jira_issues") == 22 + 22 + 4  # latest-wins is applied in dbt, never by deleting


def test_partial_stray_and_unsafe_files_are_held_back(landing, tmp_path):
    home = tmp_path / "home"
    (landing / "jira" / "export.csv.part").write_text("Summary,Issue key\n")
    (landing / "jira" / "~$budget.xlsx").write_bytes(b"lock")
    (landing / "jira" / "page.json.tmp").write_text("{")
    (landing / "readme.txt").write_text("hello")
    outside = tmp_path / "secret.csv"
    outside.write_text("Summary,Issue key\nx,Y-1\n")
    os.symlink(outside, landing / "jira" / "link.csv")
    outcomes = by_path(ingest_landing(landing, home))
    assert outcomes["jira/export.csv.part"].status == "waiting"
    assert outcomes["jira/~$budget.xlsx"].status == "waiting"
    assert outcomes["jira/page.json.tmp"].status == "waiting"
    assert outcomes["readme.txt"].status == "refused"
    assert outcomes["jira/link.csv"].status == "refused"
    assert "outside the landing folder" in outcomes["jira/link.csv"].message
    assert outcomes[JIRA_CSV].status == "loaded"


def test_unrecognised_file_is_rejected_whole_with_a_named_reason_and_others_load(landing, tmp_path):
    home = tmp_path / "home"
    (landing / "jira" / "notes.csv").write_text("foo,bar\n1,2\n3,4\n")
    outcomes = by_path(ingest_landing(landing, home))
    bad = outcomes["jira/notes.csv"]
    assert bad.status == "rejected"
    assert "jira/notes.csv" in bad.message and "unrecognised" in bad.message
    rejects = pq.read_table(home / "raw" / "rejects").to_pylist()
    assert [(r["_source_file"], r["_source_ref"]) for r in rejects] == [("jira/notes.csv", "file")]
    assert outcomes[JIRA_CSV].status == "loaded"


def test_file_over_the_size_limit_is_refused(landing, tmp_path):
    settings = IngestSettings(max_file_bytes=10_000)
    outcomes = by_path(ingest_landing(landing, tmp_path / "home", settings=settings))
    assert outcomes[JIRA_CSV].status == "refused"  # 14,721 bytes
    assert "over the limit" in outcomes[JIRA_CSV].message
    assert outcomes[JIRA_AGILE].status == "refused"  # 162,818 bytes


def test_a_run_killed_before_the_manifest_row_is_redone_without_duplicates(landing, tmp_path):
    home = tmp_path / "home"
    ingest_landing(landing, home)
    sha = sha256_of(landing / JIRA_CSV)
    # Simulate a kill after the data Parquet was written but before the manifest row (the commit).
    raw_zone.version_file(home, "ingest_manifest", sha).unlink()
    outcomes = by_path(ingest_landing(landing, home))
    assert outcomes[JIRA_CSV].status == "loaded"
    assert outcomes[JIRA_AGILE].status == "unchanged"
    assert _rows(home, "jira_issues") == 26


def test_untouched_files_are_not_read_again_but_a_touched_copy_is_hashed(landing, tmp_path, monkeypatch):
    import ingest.runner as runner

    home = tmp_path / "home"
    ingest_landing(landing, home)
    hashed = []
    real_sha256_of = runner.sha256_of
    monkeypatch.setattr(runner, "sha256_of", lambda path: hashed.append(path.name) or real_sha256_of(path))
    assert {o.status for o in ingest_landing(landing, home)} == {"unchanged"}
    assert hashed == []  # same path, size and mtime as the committed version: not read at all
    os.utime(landing / JIRA_CSV)  # touched (e.g. copied again): read and hashed, same content
    outcomes = by_path(ingest_landing(landing, home))
    assert hashed == [JIRA_CSV.split("/")[-1]]
    assert outcomes[JIRA_CSV].status == "unchanged"
    # its new identity is remembered: the next run does not hash it again, and nothing is to read
    assert {o.status for o in ingest_landing(landing, home)} == {"unchanged"}
    assert hashed == [JIRA_CSV.split("/")[-1]]
    assert files_to_read(landing, home) == []


def test_a_landing_folder_restored_from_a_copy_is_hashed_once_then_quiet(landing, tmp_path):
    home = tmp_path / "home"
    ingest_landing(landing, home)
    restored = tmp_path / "restored"
    shutil.copytree(landing, restored, copy_function=shutil.copy2)  # same mtimes, new inode change times
    assert sorted(files_to_read(restored, home)) == [JIRA_AGILE, JIRA_CSV]  # not provably untouched yet
    assert {o.status for o in ingest_landing(restored, home)} == {"unchanged"}
    assert files_to_read(restored, home) == []


def test_landing_changes_lists_what_the_last_ingest_did_not_take(landing, tmp_path):
    """The landing sensor's question, answered from the manifest without hashing: new or changed
    complete files (with their size, mtime and ctime), files still settling, partial names."""
    home = tmp_path / "home"

    def identity(rel: str) -> tuple[int, int, int]:
        st = (landing / rel).stat()
        return st.st_size, st.st_mtime_ns, st.st_ctime_ns

    before = landing_changes(landing, home)  # nothing ingested yet: both samples are new
    assert before.ready == {JIRA_AGILE: identity(JIRA_AGILE), JIRA_CSV: identity(JIRA_CSV)}
    assert (before.settling, before.partial, before.unreadable) == ([], [], [])

    ingest_landing(landing, home)
    quiet = landing_changes(landing, home)
    assert (quiet.ready, quiet.settling, quiet.partial, quiet.unreadable) == ({}, [], [], [])

    shutil.copy(landing / JIRA_CSV, landing / "jira" / "copy.csv")  # same content, new name: not hashed
    (landing / "jira" / "export.csv.part").write_text("Issue key\n")  # still downloading
    (landing / "jira" / ".hidden.csv").write_text("Issue key\n")  # refused by every run
    (landing / "stray.csv").write_text("Issue key\n")  # outside the source folders
    os.utime(landing / JIRA_AGILE)  # touched: mtime and ctime change, so not provably untouched
    (landing / "jira" / "young.csv").write_text("Issue key\n")
    young_mtime = (landing / "jira" / "young.csv").stat().st_mtime_ns
    old = 1_700_000_000
    for rel in ("jira/copy.csv", JIRA_AGILE):
        os.utime(landing / rel, (old, old))

    settled_young = landing_changes(landing, home, settle_seconds=60, now_ns=young_mtime + 61 * 10**9)
    assert sorted(settled_young.ready) == [JIRA_AGILE, "jira/copy.csv", "jira/young.csv"]
    assert settled_young.ready["jira/copy.csv"] == identity("jira/copy.csv")
    assert settled_young.ready[JIRA_AGILE][1] == old * 10**9
    assert settled_young.partial == ["jira/export.csv.part"]

    writing = landing_changes(landing, home, settle_seconds=60, now_ns=young_mtime + 59 * 10**9)
    assert sorted(writing.ready) == [JIRA_AGILE, "jira/copy.csv"]
    assert writing.settling == ["jira/young.csv"]
    assert files_to_read(landing, home) == [JIRA_AGILE, "jira/copy.csv", "jira/young.csv"]

    ingest_landing(landing, home)  # the copy and the touched file are hashed once, found unchanged
    after = landing_changes(landing, home)
    assert (after.ready, after.settling, after.partial) == ({}, [], ["jira/export.csv.part"])


def test_a_rewrite_with_the_same_size_and_a_restored_mtime_is_a_new_version(landing, tmp_path):
    """The path/size/mtime shortcut also compares the inode change time, which no tool sets back."""
    home = tmp_path / "home"
    path = landing / JIRA_CSV
    ingest_landing(landing, home)
    st = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "Enable Selinium" in text
    path.write_text(text.replace("Enable Selinium", "Enable Selenium"), encoding="utf-8")  # same length
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # mtime set back, as cp -p or rsync -t do
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    outcomes = by_path(ingest_landing(landing, home))
    assert outcomes[JIRA_CSV].status == "loaded"  # hashed, and new by its content
    assert len(_versions(home, "jira_issues")) == 3


def test_a_snapshot_dropped_again_under_a_later_date_is_a_new_snapshot(tmp_path):
    landing, home = tmp_path / "landing", tmp_path / "home"
    (landing / "strategy").mkdir(parents=True)
    content = "project_id,objective_id,weight\nP1,O1,0.5\n"
    (landing / "strategy" / "alignment_2026-01-31.csv").write_text(content)
    (landing / "strategy" / "alignment_2026-03-31.csv").write_text(content.replace("0.5", "0.7"))
    ingest_landing(landing, home)
    # Back to the January weights, dropped on 2099-12-31: byte-identical to the January file.
    (landing / "strategy" / "alignment_2099-12-31.csv").write_text(content)
    outcomes = by_path(ingest_landing(landing, home))
    assert outcomes["strategy/alignment_2099-12-31.csv"].status == "loaded"
    rows = [
        r
        for p in (home / "raw" / "strategy_alignment").glob("*.parquet")
        for r in pq.read_table(p).to_pylist()
    ]
    newest = max(rows, key=lambda r: r["_file_as_of"])
    assert (str(newest["_file_as_of"]), newest["weight"]) == ("2099-12-31", 0.5)
    assert len({r["_file_sha256"] for r in rows}) == 3  # three snapshots, two of one content
    # And again: unchanged, not a fourth version.
    again = by_path(ingest_landing(landing, home))
    assert {o.status for o in again.values()} == {"unchanged"}


def test_parallel_workers_write_the_same_raw_zone_as_one_process(landing, tmp_path):
    """Files parsed by a pool of processes: the same outcomes, in landing order, and the same raw rows;
    a copy of a file in the same batch is read once and reported unchanged."""
    shutil.copy(landing / JIRA_CSV, landing / "jira" / "copy_of_cloud_export.csv")
    results = {}
    for workers in (1, 2):
        home = tmp_path / f"home{workers}"
        outcomes = ingest_landing(landing, home, workers=workers)
        results[workers] = [(o.path, o.status, o.sha256, o.rows_read, o.rows_loaded) for o in outcomes]
        assert [o.status for o in outcomes] == ["loaded", "loaded", "unchanged"]
        assert _rows(home, "jira_issues") == 22 + 4
        assert len(_versions(home, "ingest_manifest")) == 2
    assert results[1] == results[2]
