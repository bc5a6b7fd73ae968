"""The landing folder's rules as the README states them: files still being written wait for the next
run, hidden names are refused, a template's snapshot date comes from its name, else its mtime."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from ingest import landing as landing_module
from ingest import runner
from ingest.landing import as_of_date
from ingest.runner import ingest_landing

JIRA_CSV = "jira/cloud_all_fields_sprint_watchers.csv"


@pytest.fixture
def landing(tmp_path, samples):
    root = tmp_path / "landing"
    (root / "jira").mkdir(parents=True)
    shutil.copy(samples / JIRA_CSV, root / JIRA_CSV)
    return root


def test_a_download_in_progress_waits_and_a_hidden_name_is_refused(landing, tmp_path):
    (landing / "jira" / "export.csv.crdownload").write_bytes((landing / JIRA_CSV).read_bytes())
    (landing / "jira" / ".export.csv").write_bytes((landing / JIRA_CSV).read_bytes())
    outcomes = {o.path: o for o in ingest_landing(landing, tmp_path / "home")}
    assert outcomes["jira/export.csv.crdownload"].status == "waiting"
    assert outcomes["jira/.export.csv"].status == "refused"
    assert "hidden" in outcomes["jira/.export.csv"].message
    assert outcomes[JIRA_CSV].status == "loaded"  # the good file beside them loads
    # the download finishes (the browser renames it): the next run takes it as a new file
    os.rename(landing / "jira" / "export.csv.crdownload", landing / "jira" / "export_2.csv")
    again = {o.path: o for o in ingest_landing(landing, tmp_path / "home")}
    finished = again["jira/export_2.csv"]
    assert finished.status == "unchanged"  # the same bytes as the good file: read once, never twice
    assert finished.message == f"content already ingested from {JIRA_CSV}"


def test_a_file_that_grows_while_it_is_read_waits_for_the_next_run(landing, tmp_path, monkeypatch):
    real_sha = landing_module.sha256_of
    target = landing / JIRA_CSV
    appended: list[bool] = []

    def sha_while_a_writer_appends(path, *args, **kwargs):
        digest = real_sha(path, *args, **kwargs)
        if path == target and not appended:  # the exporting tool writes its last lines meanwhile
            with path.open("ab") as fh:
                fh.write(b"\n")
            appended.append(True)
        return digest

    monkeypatch.setattr(runner, "sha256_of", sha_while_a_writer_appends)
    home = tmp_path / "home"
    first = {o.path: o for o in ingest_landing(landing, home, workers=1)}
    assert first[JIRA_CSV].status == "waiting"
    assert "changed while reading" in first[JIRA_CSV].message
    assert not (home / "raw" / "jira_issues").exists() or not [
        p for p in (home / "raw" / "jira_issues").glob("*.parquet") if p.name != "_empty.parquet"
    ]
    second = {o.path: o for o in ingest_landing(landing, home, workers=1)}
    assert (second[JIRA_CSV].status, second[JIRA_CSV].rows_loaded) == ("loaded", 22)


def test_the_snapshot_date_comes_from_the_name_else_from_the_modification_time(tmp_path):
    named = tmp_path / "benefits_register_2025-06-30.csv"
    plain = tmp_path / "benefits_register.csv"
    for path in (named, plain):
        path.write_text("benefit_id\n")
        stamp = dt.datetime(2026, 3, 14, 12, 0, tzinfo=dt.timezone.utc).timestamp()
        os.utime(path, (stamp, stamp))
    assert as_of_date(named) == dt.date(2025, 6, 30)  # the name wins over the mtime
    assert as_of_date(plain) == dt.date(2026, 3, 14)
    impossible = tmp_path / "register_2025-02-30.csv"  # not a date: the mtime again
    shutil.copy2(plain, impossible)
    assert as_of_date(impossible) == dt.date(2026, 3, 14)
