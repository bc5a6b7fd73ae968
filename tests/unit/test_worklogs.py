"""Worklogs: Tempo exports (German CSV, English XLSX), Jira CSV Log Work columns, Jira REST /worklog
pages and fields.worklog blocks; recognised by content and ingested idempotently."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
from support.paths import TEST_FIXTURES

from ingest.parsers.common.base import ParseContext, ParseResult
from ingest.parsers.formats import recognise
from ingest.runner import ingest_landing
from ingest.settings import IngestSettings

FIXTURES = TEST_FIXTURES / "worklogs"


def _parse(name: str, tmp_path: Path, source: str = "jira", settings: IngestSettings | None = None):
    path = FIXTURES / name
    module, kind = recognise(source, path)
    ctx = ParseContext(path.parent, name, tmp_path / "w", settings or IngestSettings())
    return kind, module.parse(path, ctx, kind)


def _rows(result: ParseResult) -> list[dict]:
    return result.tables["worklogs"].to_pylist()


def test_german_tempo_csv_with_42_columns(tmp_path: Path):
    header = (FIXTURES / "tempo_worklogs_de.csv").read_text(encoding="utf-8").splitlines()[0]
    assert len(header.split(";")) == 42
    kind, result = _parse("tempo_worklogs_de.csv", tmp_path, "worklogs")
    assert kind == "tempo_worklogs"
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 4, 0)
    rows = _rows(result)
    # Stunden 7,5 / 2,25 / 4 / 1,5 with decimal commas
    assert [r["hours"] for r in rows] == [7.5, 2.25, 4.0, 1.5]
    assert [r["billed_hours"] for r in rows] == [7.5, 0.0, None, 1.5]
    first = rows[0]
    assert (first["issue_key"], first["project_key"], first["epic_key"]) == ("CLM-101", "CLM", "CLM-100")
    assert (first["person_id"], first["person_name"]) == ("mmueller", "Märta Müller")
    assert (first["account_key"], first["account_name"]) == ("CLAIMS-DEV", "Schadenportal Entwicklung")
    assert first["activity"] == "Entwicklung" and first["comment"] == "Validierung; Fehlertexte"
    # Jira-Worklog-ID is the worklog id (the Tempo id stays among the attributes)
    assert [r["worklog_id"] for r in rows] == ["10501", "10502", None, "10504"]
    assert first["work_on"] == dt.date(2026, 2, 2) and first["started_at"] is None
    # 03.02.2026 09:30 in UTC (the default jira_export_timezone): a start time
    assert rows[1]["work_on"] == dt.date(2026, 2, 3)
    assert rows[1]["started_at"] == dt.datetime(2026, 2, 3, 9, 30)
    assert rows[1]["parent_key"] == "CLM-101"
    assert rows[3]["person_id"] is None and rows[3]["person_name"] == "Zoë Weiß"
    attributes = json.loads(first["attributes"])
    assert attributes["PSP-Element"] == "PR-1001.01"
    assert attributes["Arbeitsort"] == "Büro Köln" and attributes["Kontoverantwortlicher"] == "Jürgen Groß"
    assert attributes["Tempo-Worklog-ID"] == "5001"
    # 42 columns, 14 mapped to raw columns, 4 empty in this row (Kontokunde, Komponente, Alle
    # Komponenten, Versionsname): 24 attributes
    assert len(attributes) == 24
    assert all(r["source_format"] == "tempo" for r in rows)
    assert [r["_source_ref"] for r in rows] == ["row 2", "row 3", "row 4", "row 5"]


def test_tempo_start_time_in_the_export_zone(tmp_path: Path):
    settings = IngestSettings(jira_export_timezone="Europe/Berlin")
    _, result = _parse("tempo_worklogs_de.csv", tmp_path, "worklogs", settings)
    # 03.02.2026 09:30 in Berlin (CET, UTC+1) is 08:30 UTC; the work day stays the 3rd
    row = _rows(result)[1]
    assert row["started_at"] == dt.datetime(2026, 2, 3, 8, 30) and row["work_on"] == dt.date(2026, 2, 3)


def test_english_tempo_xlsx_in_the_jira_folder(tmp_path: Path):
    kind, result = _parse("tempo_worklogs_en.xlsx", tmp_path, "jira")
    assert kind == "tempo_worklogs"
    # sheet rows 2, 3, (4 blank), 5: read 3, the one with Hours "two" rejected at its sheet row
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 2, 1)
    (reject,) = result.rejects
    assert (reject.ref, reject.column, reject.value) == ("row 5", "Hours", "two")
    rows = _rows(result)
    # The Jira Worklog Id column is the worklog id (the id a Jira export of the same worklog has);
    # Tempo's own Worklog Id is another numbering, kept among the attributes, never mixed in
    assert [r["worklog_id"] for r in rows] == ["20001", None]
    assert json.loads(rows[1]["attributes"]) == {"Worklog Id": "9002"}
    assert [r["hours"] for r in rows] == [6.0, 0.75]
    assert rows[1]["started_at"] == dt.datetime(2026, 3, 3, 14, 15)
    assert json.loads(rows[0]["attributes"]) == {
        "Issue summary": "Refund API",
        "Period": "Mar 2026",
        "Issue Type": "Story",
        "Worklog Id": "9001",
        "PSP Element": "PR-1002.01",
        "Team": "Payments",
    }


def test_jira_csv_log_work_columns(tmp_path: Path):
    kind, result = _parse("jira_log_work.csv", tmp_path)
    assert kind == "jira_csv"
    # PAY-9's Log Work cell has 3 parts: the issue row is rejected whole, with its worklog
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 2, 1)
    (reject,) = result.rejects
    assert (reject.ref, reject.column) == ("row 4", "Log Work") and "3 parts" in reject.reason
    rows = _rows(result)
    assert [(r["issue_key"], r["person_id"], r["hours"]) for r in rows] == [
        ("PAY-7", "asmith", 6.0),  # 21600 s
        ("PAY-7", "jdoe", 0.75),  # 2700 s
        ("PAY-7", "asmith", 1.5),  # 5400 s
    ]
    # the comment keeps its own semicolons (read from the right); an empty comment is null
    assert [r["comment"] for r in rows] == ["Refund endpoint", "Review; fixes; and tests", None]
    assert [r["started_at"] for r in rows] == [
        dt.datetime(2026, 3, 2, 9, 0),
        dt.datetime(2026, 3, 3, 14, 15),
        dt.datetime(2026, 3, 4, 11, 0),
    ]
    assert {(r["project_key"], r["epic_key"], r["source_format"], r["worklog_id"]) for r in rows} == {
        ("PAY", "PAY-1", "jira_csv", None)
    }


def test_jira_csv_log_work_in_the_export_zone(tmp_path: Path):
    settings = IngestSettings(jira_export_timezone="America/New_York")
    _, result = _parse("jira_log_work.csv", tmp_path, settings=settings)
    # 02/Mar/26 9:00 AM in New York (EST, UTC-5) is 14:00 UTC; the work day is the local one
    first = _rows(result)[0]
    assert first["started_at"] == dt.datetime(2026, 3, 2, 14, 0) and first["work_on"] == dt.date(2026, 3, 2)


def test_rest_worklog_page(tmp_path: Path):
    kind, result = _parse("PAY-7_worklog.json", tmp_path)
    assert kind == "jira_worklog"
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 2, 1)
    (reject,) = result.rejects
    assert (reject.ref, reject.column, reject.value) == ("worklogs[2]", "started", "yesterday")
    first, second = _rows(result)
    assert (first["worklog_id"], first["issue_key"], first["project_key"]) == ("20001", "PAY-7", "PAY")
    assert (first["person_id"], first["person_name"]) == ("5b10a2844c20165700ede21g", "Anna Smith")
    assert first["comment"] == "Refund endpoint"  # ADF (v3) flattened to text
    assert first["hours"] == 6.0 and first["source_format"] == "jira_rest"
    # 2026-03-02T09:00+0100 is 08:00 UTC
    assert first["started_at"] == dt.datetime(2026, 3, 2, 8, 0) and first["work_on"] == dt.date(2026, 3, 2)
    # 2026-03-03T00:30+0100: 23:30 UTC the day before, but the author worked on the 3rd
    assert second["started_at"] == dt.datetime(2026, 3, 2, 23, 30)
    assert second["work_on"] == dt.date(2026, 3, 3)
    assert second["hours"] == 0.75


def test_search_page_fields_worklog_and_an_incomplete_block(tmp_path: Path):
    kind, result = _parse("search_with_worklogs.json", tmp_path)
    assert kind == "jira_search"
    # both issues load; PAY-10 embeds 1 of its 25 worklogs: a warning, not a rejected row
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 2, 0)
    (warning,) = result.rejects
    assert (warning.ref, warning.column, warning.value) == ("issues[1].fields.worklog", "total", "25")
    assert warning.reason.startswith("warning:") and "/rest/api/3/issue/PAY-10/worklog" in warning.reason
    assert "24 are not loaded" in warning.reason
    assert "1 issues embed only part of their worklogs" in result.note
    rows = _rows(result)
    assert [(r["issue_key"], r["worklog_id"], r["hours"]) for r in rows] == [
        ("PAY-7", "20001", 6.0),
        ("PAY-7", "20002", 0.75),
        ("PAY-10", "20100", 0.5),
    ]
    assert rows[0]["epic_key"] == "PAY-1"  # from the issue's Epic Link field
    assert (rows[2]["parent_key"], rows[2]["epic_key"]) == ("PAY-1", "PAY-1")  # parent is an epic
    assert (rows[2]["person_id"], rows[2]["person_name"]) == ("bwayne", "Bruce Wayne")
    assert rows[1]["started_at"] == dt.datetime(2026, 3, 3, 13, 15)


def test_ingested_twice_loads_once_and_the_warning_is_in_the_rejects(tmp_path: Path):
    landing, home = tmp_path / "landing", tmp_path / "home"
    (landing / "worklogs").mkdir(parents=True)
    (landing / "jira").mkdir()
    shutil.copy(FIXTURES / "tempo_worklogs_de.csv", landing / "worklogs")
    shutil.copy(FIXTURES / "tempo_worklogs_en.xlsx", landing / "worklogs")
    for name in ("jira_log_work.csv", "PAY-7_worklog.json", "search_with_worklogs.json"):
        shutil.copy(FIXTURES / name, landing / "jira")
    first = {o.path: o for o in ingest_landing(landing, home, workers=1)}
    assert {p: (o.status, o.rows_read, o.rows_loaded, o.rows_rejected) for p, o in first.items()} == {
        "jira/PAY-7_worklog.json": ("partial", 3, 2, 1),
        "jira/jira_log_work.csv": ("partial", 3, 2, 1),
        "jira/search_with_worklogs.json": ("loaded", 2, 2, 0),
        "worklogs/tempo_worklogs_de.csv": ("loaded", 4, 4, 0),
        "worklogs/tempo_worklogs_en.xlsx": ("partial", 3, 2, 1),
    }
    raw = pq.read_table(home / "raw" / "worklogs").to_pylist()
    # 2 + 3 + 3 + 4 + 2 worklogs
    assert len(raw) == 14
    assert {r["_source_file"] for r in raw} == set(first)
    rejects = pq.read_table(home / "raw" / "rejects").to_pylist()
    warning = [r for r in rejects if r["_source_file"] == "jira/search_with_worklogs.json"]
    assert [(w["_source_ref"], w["column_name"]) for w in warning] == [("issues[1].fields.worklog", "total")]
    second = ingest_landing(landing, home, workers=1)
    assert {o.status for o in second} == {"unchanged"}
    assert len(pq.read_table(home / "raw" / "worklogs")) == 14


def test_the_demos_worklogs_tie_out_to_its_files(tmp_path: Path):
    import openpyxl

    from ingest.demo.build import write_demo

    landing, home = tmp_path / "landing", tmp_path / "home"
    summary = write_demo(landing, seed=7)
    outcomes = ingest_landing(landing, home, sources=["worklogs", "jira", "rates"], workers=1)
    assert {o.status for o in outcomes} == {"loaded"}
    raw = pq.read_table(home / "raw" / "worklogs").to_pandas()
    per_file = raw.groupby("_source_file").size().to_dict()
    # Tempo CSV: one line per worklog under the header (no cell spans lines)
    lines = (landing / "worklogs" / "tempo_worklogs_2026.csv").read_text(encoding="utf-8").splitlines()
    assert per_file["worklogs/tempo_worklogs_2026.csv"] == len(lines) - 1
    sheet = openpyxl.load_workbook(landing / "worklogs" / "tempo_worklogs_2025.xlsx", read_only=True).active
    assert per_file["worklogs/tempo_worklogs_2025.xlsx"] == sheet.max_row - 1
    assert summary.tempo_worklogs == {
        "worklogs/tempo_worklogs_2025.xlsx": sheet.max_row - 1,
        "worklogs/tempo_worklogs_2026.csv": len(lines) - 1,
    }
    # Jira's own worklogs: one timeSpentSeconds per worklog in the search pages
    for page in sorted((landing / "jira").glob("search_jql_page_*.json")):
        text = page.read_text(encoding="utf-8")
        assert per_file.get(f"jira/{page.name}", 0) == text.count('"timeSpentSeconds"')
    assert sum(n for f, n in per_file.items() if f.endswith(".json")) == summary.jira_worklogs
    # Log Work cells of the CSV export: the same worklogs as in Tempo, without a worklog id
    log_work = raw[raw.source_format == "jira_csv"]
    assert len(log_work) == summary.log_work_cells == 5
    tempo = raw[raw.source_format == "tempo"]
    for row in log_work.itertuples():
        twin = tempo[
            (tempo.issue_key == row.issue_key)
            & (tempo.person_id == row.person_id)
            & (tempo.work_on == row.work_on)
            & (tempo.hours == row.hours)
        ]
        assert len(twin) >= 1, row
    # Worklogs on an issue of a Jira project no registry project names: OPS-7
    assert (tempo.issue_key == "OPS-7").sum() == 6
    assert len(pq.read_table(home / "raw" / "rate_card")) == summary.rate_card_rows == 12
    assert len(pq.read_table(home / "raw" / "people")) == summary.people_rows == 17
