"""Jira CSV parser: the real Cloud sample, hand-written shapes (Server/DC, Current fields, two pages,
cp1252) and broken inputs. Every expected value below was read by hand from the file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest
from support.parser_checks import check_parse_result, check_writes_into_raw_zone
from support.paths import TEST_FIXTURES

from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult
from ingest.parsers.formats import read_head
from ingest.parsers.jira import csv_export as jira_csv
from ingest.settings import IngestSettings

FIXTURES = TEST_FIXTURES / "jira"


def _parse(path: Path, tmp_path: Path, settings: IngestSettings | None = None) -> ParseResult:
    ctx = ParseContext(path.parent, path.name, tmp_path, settings or IngestSettings())
    result = jira_csv.parse(path, ctx, "jira_csv")
    check_parse_result(result)
    return result


def _by_key(result: ParseResult) -> dict[str, dict]:
    return {row["issue_key"]: row for row in result.tables["jira_issues"].to_pylist()}


# ---- the real Cloud "All fields" sample -----------------------------------------------------------


@pytest.fixture
def sample(samples: Path) -> Path:
    return samples / "jira" / "cloud_all_fields_sprint_watchers.csv"


def test_sniff_claims_jira_csv_only(sample: Path):
    assert jira_csv.sniff(sample, read_head(sample)) == "jira_csv"
    assert jira_csv.sniff(sample, "posting_date,amount,currency\n") is None
    assert jira_csv.sniff(Path("x.json"), read_head(sample)) is None


def test_cloud_sample_counts_and_values(sample: Path, tmp_path: Path):
    result = _parse(sample, tmp_path)
    assert (result.rows_read, result.rows_loaded, result.rejects) == (22, 22, [])
    issues = _by_key(result)
    tes13 = issues["TES-13"]
    assert tes13["issue_id"] == "10635"
    assert tes13["project_key"] == "TES"
    assert tes13["issue_type"] == "Story"
    assert tes13["status_name"] == "Done"
    assert tes13["status_category"] == "done"
    assert tes13["assignee"] == "Saicharan Basireddy"
    assert tes13["reporter"] == "Sai Sontineni"
    assert tes13["created_at"] == dt.datetime(2025, 8, 28, 13, 49)  # 28/Aug/25 1:49 PM, export zone UTC
    assert tes13["resolved_at"] == dt.datetime(2025, 9, 19, 9, 3)
    assert tes13["due_on"] == dt.date(2025, 9, 18)  # 18/Sep/25 12:00 AM
    assert tes13["export_format"] == "csv_cloud"
    assert tes13["_source_ref"] == "row 14"
    # the summary with doubled quotes in the file
    assert issues["TES-23"]["summary"].startswith('Need to discuss "Login" steps')
    categories = [row["status_category"] for row in issues.values()]
    counts = tuple(categories.count(c) for c in ("new", "indeterminate", "done"))
    assert counts == (9, 3, 10)
    sprints = result.tables["jira_sprint_membership"]
    assert sprints.num_rows == 18  # 22 issues, 4 (TES-16, -17, -18, -20) in no sprint
    assert set(sprints.column("sprint_name").to_pylist()) == {"TES Sprint 1"}
    assert "TES-20" not in sprints.column("issue_key").to_pylist()
    assert sprints.column("sprint_id").null_count == 18


def test_export_timezone_converts_to_utc(sample: Path, tmp_path: Path):
    settings = IngestSettings(jira_export_timezone="Europe/Berlin")
    issues = _by_key(_parse(sample, tmp_path, settings))
    assert issues["TES-13"]["created_at"] == dt.datetime(2025, 8, 28, 11, 49)  # CEST = UTC+2
    assert issues["TES-13"]["due_on"] == dt.date(2025, 9, 18)  # a calendar day does not shift


def test_writes_into_the_raw_zone(sample: Path, tmp_path: Path):
    result = _parse(sample, tmp_path)
    home, as_of, ingested = tmp_path / "home", dt.date(2025, 9, 22), dt.datetime(2025, 9, 23)
    check_writes_into_raw_zone(result, home, "jira/x.csv", "ab" * 32, as_of, ingested)


# ---- shapes the export takes ----------------------------------------------------------------------


def test_two_pages_with_different_repeated_column_counts(tmp_path: Path):
    page1 = _parse(FIXTURES / "csv" / "export_all_fields_page_1.csv", tmp_path)  # Labels x3, Sprint x2, BOM
    page2 = _parse(FIXTURES / "csv" / "export_all_fields_page_2.csv", tmp_path)  # Labels x1, Sprint x3
    both = pa.concat_tables([page1.tables["jira_issues"], page2.tables["jira_issues"]])
    assert both.column("issue_key").to_pylist() == ["PAY-1", "PAY-2", "PAY-3", "PAY-4", "PAY-5"]
    issues = _by_key(page1) | _by_key(page2)
    assert issues["PAY-2"]["labels"] == "payments;security;pci"
    assert issues["PAY-2"]["story_points"] == 5.0
    assert issues["PAY-2"]["original_estimate_seconds"] == 28800
    assert issues["PAY-2"]["time_spent_seconds"] == 30600
    assert issues["PAY-2"]["updated_at"] == dt.datetime(2026, 2, 15, 16, 37)  # 15/Feb/26 4:37 PM
    assert issues["PAY-4"]["labels"] == "backend"
    assert issues["PAY-4"]["story_points"] == 2.5
    assert issues["PAY-3"]["labels"] is None
    # Cloud `Parent` is a numeric id: parent_key comes from `Parent key`; a story's parent is its epic
    assert (issues["PAY-2"]["parent_key"], issues["PAY-2"]["epic_key"]) == ("PAY-1", "PAY-1")
    # a sub-task's parent is a story, not an epic
    assert (issues["PAY-5"]["parent_key"], issues["PAY-5"]["epic_key"]) == ("PAY-3", None)
    assert issues["PAY-1"]["epic_key"] is None
    sprints1 = page1.tables["jira_sprint_membership"].to_pylist()
    sprints2 = page2.tables["jira_sprint_membership"].to_pylist()
    assert [(s["issue_key"], s["sprint_name"]) for s in sprints1] == [
        ("PAY-2", "PAY Sprint 1"),
        ("PAY-2", "PAY Sprint 2"),
    ]
    assert [(s["issue_key"], s["sprint_name"]) for s in sprints2] == [
        ("PAY-4", "PAY Sprint 2"),
        ("PAY-4", "PAY Sprint 3"),
        ("PAY-4", "PAY Sprint 4"),
    ]


def test_multiline_cell_and_junk_cells_keep_rows_aligned(tmp_path: Path):
    issues = _by_key(_parse(FIXTURES / "csv" / "export_all_fields_page_1.csv", tmp_path))
    assert issues["PAY-3"]["_source_ref"] == "row 4"  # after PAY-2's two-line Description
    assert issues["PAY-3"]["summary"] == "Refund flow"
    assert issues["PAY-3"]["created_at"] == dt.datetime(2026, 2, 2, 12, 5)


def test_current_fields_column_order(tmp_path: Path):
    result = _parse(FIXTURES / "csv" / "current_fields.csv", tmp_path)
    issues = _by_key(result)
    crm7 = issues["CRM-7"]
    assert crm7["status_name"] == "In Review"
    assert crm7["status_category"] == "indeterminate"
    assert crm7["project_key"] == "CRM"  # no Project key column: taken from the issue key
    assert crm7["story_points"] == 8.0
    assert crm7["labels"] == "crm;import"
    assert crm7["epic_key"] == "CRM-1"  # the parent is an Epic row of this file
    assert crm7["updated_at"] == dt.datetime(2026, 2, 16, 23, 59)
    assert issues["CRM-1"]["status_category"] == "new"


def test_server_data_center_shape(tmp_path: Path):
    result = _parse(FIXTURES / "csv" / "server_dc.csv", tmp_path)
    issues = _by_key(result)
    srv2 = issues["SRV-2"]
    assert srv2["export_format"] == "csv_server"
    assert srv2["epic_key"] == "SRV-1"  # Custom field (Epic Link)
    assert srv2["created_at"] == dt.datetime(2021, 10, 4, 10, 30)  # 04/Oct/21 10:30
    assert srv2["resolved_at"] == dt.datetime(2021, 10, 21, 17, 5)
    assert srv2["due_on"] == dt.date(2021, 10, 29)  # date-only cell
    assert srv2["fix_versions"] == "1.0;1.1"
    assert srv2["components"] == "Core"
    assert srv2["story_points"] == 3.0
    assert srv2["status_category"] is None  # no Status Category column in this export
    # Parent id 40002 resolved to its key within the file
    assert (issues["SRV-3"]["parent_key"], issues["SRV-3"]["epic_key"]) == ("SRV-2", None)
    assert result.tables["jira_sprint_membership"].num_rows == 2


@pytest.mark.parametrize("name", ["cp1252.csv", "cp1252_with_utf8_bom.csv"])
def test_cp1252_files(name: str, tmp_path: Path):
    result = _parse(FIXTURES / "csv" / name, tmp_path)
    issues = _by_key(result)
    assert result.rows_loaded == 2
    assert issues["CAF-1"]["summary"] == "Café menu – naïve résumé"
    assert issues["CAF-1"]["assignee"] == "Zoë Müller"
    assert issues["CAF-1"]["labels"] == "crème"
    assert issues["CAF-2"]["assignee"] == "José"


# ---- broken inputs --------------------------------------------------------------------------------


def test_missing_required_column_rejects_the_file(tmp_path: Path):
    with pytest.raises(FileRejected, match=r"without the column Issue key no issue can be identified"):
        _parse(FIXTURES / "broken" / "missing_issue_key.csv", tmp_path)


def test_empty_file_and_header_only(tmp_path: Path):
    with pytest.raises(FileRejected, match="empty"):
        _parse(FIXTURES / "broken" / "empty.csv", tmp_path)
    with pytest.raises(FileRejected, match="header but no issue rows"):
        _parse(FIXTURES / "broken" / "header_only.csv", tmp_path)


def test_unknown_and_impossible_dates_are_rejected_not_guessed(tmp_path: Path):
    result = _parse(FIXTURES / "broken" / "bad_dates.csv", tmp_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 1, 3)
    by_ref = {r.ref: r for r in result.rejects}
    assert by_ref["row 3"].column == "Created" and by_ref["row 3"].value == "2026-03-03 09:00"
    assert "matches none of the formats" in by_ref["row 3"].reason
    assert by_ref["row 4"].value == "31/Feb/26 9:00 AM"  # strptime would roll it over to 3 March
    assert by_ref["row 5"].reason == "the Created date is empty"
    assert _by_key(result).keys() == {"BAD-1"}


def test_junk_values_are_named_rejects(tmp_path: Path):
    result = _parse(FIXTURES / "broken" / "junk_values.csv", tmp_path)
    assert (result.rows_read, result.rows_loaded) == (5, 1)
    got = {(r.ref, r.column, r.value) for r in result.rejects}
    assert got == {
        ("row 2", "Status Category", "À faire"),
        ("row 3", "Custom field (Story Points)", "five"),
        ("row 4", "Issue key", "not a key"),
        ("row 5", "Time Spent", "1h 30m"),
    }
    fine = _by_key(result)["JNK-5"]
    assert (fine["status_category"], fine["story_points"], fine["time_spent_seconds"]) == ("done", 1.5, 5400)


def test_duplicate_keys_are_both_kept(tmp_path: Path):
    """Both versions load; the staging model keeps the latest updated_at per issue key."""
    result = _parse(FIXTURES / "broken" / "duplicate_keys.csv", tmp_path)
    rows = result.tables["jira_issues"].to_pylist()
    assert [(r["issue_key"], r["summary"]) for r in rows] == [
        ("DUP-1", "First version"),
        ("DUP-1", "Second version"),
    ]
    assert rows[1]["updated_at"] == dt.datetime(2026, 3, 10, 17, 30)


def test_wrong_delimiter_row_is_a_reject_not_lost(tmp_path: Path):
    result = _parse(FIXTURES / "broken" / "wrong_delimiter.csv", tmp_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 1, 1)
    assert "1 fields where the header has 9" in result.rejects[0].reason
    assert result.rejects[0].value.startswith("Semi;WD-1")
    assert result.rejects[0].ref == "row 2"
    assert _by_key(result)["WD-2"]["_source_ref"] == "row 3"  # not shifted up by the skipped record


def test_row_refs_after_a_multiline_cell_and_a_broken_record(tmp_path: Path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "Summary,Issue key,Issue id,Issue Type,Status,Created,Updated\n"
        '"two\nlines",MX-1,1,Task,To Do,03/Mar/26 9:00 AM,03/Mar/26 9:00 AM\n'
        "broken;MX-2;2\n"
        "Fine,MX-3,3,Task,To Do,03/Mar/26 9:00 AM,31/Feb/26 9:00 AM\n"
        "Fine,MX-4,4,Task,To Do,03/Mar/26 9:00 AM,03/Mar/26 9:00 AM\n"
    )
    result = _parse(path, tmp_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 2, 2)
    assert {(r.ref, r.column) for r in result.rejects} == {("row 3", None), ("row 4", "Updated")}
    refs = {k: row["_source_ref"] for k, row in _by_key(result).items()}
    assert refs == {"MX-1": "row 2", "MX-4": "row 5"}


def test_other_kind_is_refused(tmp_path: Path):
    path = FIXTURES / "csv" / "current_fields.csv"
    with pytest.raises(FileRejected, match="jira_search"):
        jira_csv.parse(path, ParseContext(path.parent, path.name, tmp_path), "jira_search")


# ---- the fast paths give what the slow ones give ------------------------------------------------


def test_jira_dates_read_without_strptime_are_read_as_strptime_reads_them():
    months = [f"{m}/{y}" for y in ("00", "23", "24", "68", "69", "99") for m in ("Jan", "Feb", "Apr", "Dec")]
    days = [f"{d}/{rest}" for rest in months for d in ("0", "1", "01", "9", "28", "29", "30", "31", "32")]
    times = [
        "12:00 AM",
        "12:30 PM",
        "1:05 AM",
        "09:05 PM",
        "0:15 AM",
        "13:00 PM",
        "11:60 AM",
        "0:00",
        "23:59",
        "24:00",
    ]
    cells = pa.array([f"{day} {time}" for day in days for time in times] + days + ["29/feb/24 1:00 AM", None])
    for fmt in jira_csv._FAST_FORMATS:
        fast_rows, _ = jira_csv._read_jira_dates(cells, *jira_csv._FAST_FORMATS[fmt])
        assert len(fast_rows) > 100  # the fast path is taken for most well-formed cells
        expected = jira_csv._strptime_exact(cells, fmt)
        assert jira_csv._parse_local(pa.chunked_array([cells]), (fmt,)).equals(pa.chunked_array([expected]))


def test_bad_utf8_in_an_unread_column_still_rejects_the_file(tmp_path: Path):
    """Only the columns the parser uses are converted, yet the whole file is checked for UTF-8."""
    path = tmp_path / "bad_utf8.csv"
    row = "Fine,BU-{n},{n},Task,To Do,03/Mar/26 9:00 AM,03/Mar/26 9:00 AM,{text}\n"
    lines = ["Summary,Issue key,Issue id,Issue Type,Status,Created,Updated,Description\n"]
    lines += [row.format(n=n, text="x" * 100) for n in range(1, 3000)]  # past the 256 KiB sniffed
    path.write_bytes(
        "".join(lines).encode() + row.format(n=3000, text="bad").encode().replace(b"bad", b"\xff")
    )
    with pytest.raises(FileRejected, match="not a readable CSV file"):
        _parse(path, tmp_path)
