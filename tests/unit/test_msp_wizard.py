"""parsers.msproject.wizard on Export Wizard CSV/XLSX fixtures (values computed by hand from the cells)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from support.paths import TEST_FIXTURES

from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult
from ingest.parsers.formats import read_head
from ingest.parsers.msproject import wizard as msp_wizard

FIXTURES = TEST_FIXTURES / "msproject"


def _parse(name: str, tmp_path: Path, **kwargs) -> ParseResult:
    path = FIXTURES / name
    ctx = ParseContext(landing_dir=path.parent, source_file=name, work_dir=tmp_path)
    return msp_wizard.parse(path, ctx, "msp_wizard", **kwargs)


def _rows(result: ParseResult, table: str) -> list[dict]:
    return result.tables[table].to_pylist()


def _tasks(result: ParseResult) -> dict[int, dict]:
    return {r["task_uid"]: r for r in _rows(result, "msp_tasks")}


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("wizard_tasks_en_us.csv", "msp_wizard"),
        ("wizard_tasks_en_gb.csv", "msp_wizard"),
        ("wizard_tasks.xlsx", "msp_wizard"),
        ("wizard_no_task_sheet.xlsx", None),
        ("wizard_missing_columns.csv", "msp_wizard"),  # claimed, then rejected naming the columns
        ("mixed_tasks.xml", None),
    ],
)
def test_sniff(name: str, kind: str | None):
    path = FIXTURES / name
    assert msp_wizard.sniff(path, read_head(path)) == kind


def test_sniff_leaves_other_csv_alone():
    finance = "posting_date,fiscal_period,company_code,document_number,amount,currency\n"
    jira = "Summary,Issue key,Issue id,Status,Created\n"
    assert msp_wizard.sniff(Path("gl.csv"), finance) is None
    assert msp_wizard.sniff(Path("jira.csv"), jira) is None


def test_us_csv_counts_and_rejects(tmp_path: Path):
    result = _parse("wizard_tasks_en_us.csv", tmp_path)
    # 13 records: 5 good, 7 rejected by value, 1 with too few fields.
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (13, 5, 8)
    assert sorted(_tasks(result)) == [101, 102, 103, 104, 105]
    by_ref = {r.ref: r for r in result.rejects}
    assert (by_ref["row 7"].column, by_ref["row 7"].value) == ("Percent_Complete", "140%")
    assert "outside 0..100" in by_ref["row 7"].reason
    assert by_ref["row 8"].column == "Start_Date" and "is after Finish_Date" in by_ref["row 8"].reason
    assert (by_ref["row 9"].column, by_ref["row 9"].value) == ("Start_Date", "13/45/2025 8:00 AM")
    assert "en_US" in by_ref["row 9"].reason
    assert "elapsed" in by_ref["row 10"].reason
    assert (by_ref["row 11"].column, by_ref["row 11"].value) == ("Predecessors", "99")
    assert "is a Mon, not a Tue" in by_ref["row 12"].reason
    assert (by_ref["row 13"].column, by_ref["row 13"].value) == ("Milestone", "Maybe")
    assert by_ref["row 14"].column is None  # the short record, from ingest.parsers.common.tabular


def test_us_csv_values(tmp_path: Path):
    result = _parse("wizard_tasks_en_us.csv", tmp_path)
    tasks = _tasks(result)
    rollout = tasks[101]
    assert rollout["project_name"] == "wizard_tasks_en_us"
    assert (rollout["task_id"], rollout["task_name"], rollout["wbs"]) == (1, "CRM Rollout", "CRM-1")
    assert rollout["is_summary"] is True and rollout["is_milestone"] is False
    assert rollout["start_at"] == dt.datetime(2025, 1, 6, 8, 0)
    assert rollout["finish_at"] == dt.datetime(2025, 1, 31, 17, 0)
    assert rollout["actual_finish_at"] is None  # NA
    assert rollout["duration_days"] == 20.0
    assert rollout["percent_complete"] == 45.0
    assert rollout["cost_amount"] == Decimal("12345.67")
    assert rollout["actual_cost_amount"] == Decimal("5000.00")
    assert tasks[102]["start_at"] == dt.datetime(2025, 1, 6)  # Mon 1/6/25
    assert tasks[102]["outline_number"] == "1.1" and tasks[102]["outline_level"] == 2
    assert tasks[103]["duration_days"] == 10.0  # 2 wks
    assert tasks[104]["is_milestone"] is True and tasks[104]["duration_days"] == 0.0
    assert tasks[105]["duration_days"] == 0.5  # 4 hrs at 480 min/day
    assert tasks[105]["cost_amount"] == Decimal("-125.50")  # ($125.50)
    baselines = {b["task_uid"]: b for b in _rows(result, "msp_task_baselines")}
    assert sorted(baselines) == [101, 102, 103, 104]  # 105 has NA dates and $0.00: no baseline
    assert baselines[101]["baseline_number"] == 0
    assert baselines[101]["baseline_cost_amount"] == Decimal("10000.00")
    assert baselines[103]["baseline_finish_at"] == dt.datetime(2025, 1, 20, 17, 0)
    links = [
        (r["task_uid"], r["predecessor_uid"], r["link_type"], r["lag_days"])
        for r in _rows(result, "msp_predecessor_links")
    ]
    assert links == [
        (103, 102, "FS", 2.0),
        (104, 102, "FS", 0.0),
        (104, 103, "SS", -0.5),
        (105, 104, "FF", 0.0),
    ]


def test_uk_csv_with_locale_parameter(tmp_path: Path):
    result = _parse("wizard_tasks_en_gb.csv", tmp_path, locale="en_GB")
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 3, 0)
    tasks = _tasks(result)
    assert tasks[7]["start_at"] == dt.datetime(2025, 1, 6, 8, 0)  # 06/01/2025 08:00
    assert tasks[7]["cost_amount"] == Decimal("1234.00")  # 1.234,00 €
    assert tasks[7]["duration_days"] == 5.0  # 5d
    assert tasks[8]["start_at"] == dt.datetime(2025, 1, 13, 8, 0)  # 13 January 2025 08:00
    assert tasks[8]["cost_amount"] == Decimal("2500.50")
    assert tasks[8]["duration_days"] == 15.0  # 3 wks
    assert tasks[9]["finish_at"] == dt.datetime(2025, 1, 31, 17, 0)  # ISO
    (baseline,) = _rows(result, "msp_task_baselines")
    assert baseline["task_uid"] == 7 and baseline["baseline_cost_amount"] == Decimal("1000.00")
    assert baseline["baseline_finish_at"] == dt.datetime(2025, 1, 10, 17, 0)
    links = [
        (r["task_uid"], r["predecessor_uid"], r["link_type"], r["lag_days"])
        for r in _rows(result, "msp_predecessor_links")
    ]
    assert links == [(8, 7, "FS", 1.5), (9, 7, "SS", 0.0), (9, 8, "FS", 0.0)]


def test_uk_file_read_with_us_default_is_rejected_not_guessed(tmp_path: Path):
    assert msp_wizard.DEFAULT_LOCALE == "en_US"
    result = _parse("wizard_tasks_en_gb.csv", tmp_path)
    # en_US times carry AM/PM, so "06/01/2025 08:00" and "13 January 2025 08:00" match no US
    # format: rejected, never loaded as 1 June. Row 4 holds ISO dates only and loads.
    assert {r.ref for r in result.rejects} == {"row 2", "row 3"}
    assert sorted(_tasks(result)) == [9]
    assert result.rows_read == result.rows_loaded + result.rows_rejected


def test_xlsx_task_table(tmp_path: Path):
    result = _parse("wizard_tasks.xlsx", tmp_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 2, 1)
    tasks = _tasks(result)
    assert tasks[11]["start_at"] == dt.datetime(2025, 2, 3, 8, 0)  # a real date cell
    assert tasks[11]["task_id"] == 1
    assert tasks[12]["start_at"] == dt.datetime(2025, 2, 6, 8, 0)  # a display-string cell
    assert tasks[12]["duration_days"] == 20.0  # 1 mon = 20 days
    assert tasks[12]["cost_amount"] == Decimal("4000.00")
    (reject,) = result.rejects
    assert (reject.ref, reject.column, reject.value) == ("row 4", "Percent_Complete", "abc")
    (link,) = _rows(result, "msp_predecessor_links")
    assert (link["task_uid"], link["predecessor_uid"]) == (12, 11)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("wizard_missing_columns.csv", r"missing required column\(s\) ID or Unique_ID, Name"),
        ("wizard_no_task_sheet.xlsx", "Task_Table"),
    ],
)
def test_file_rejected(name: str, message: str, tmp_path: Path):
    with pytest.raises(FileRejected, match=message):
        _parse(name, tmp_path)


def test_unknown_locale_is_an_error(tmp_path: Path):
    with pytest.raises(ValueError, match="unknown locale"):
        _parse("wizard_tasks_en_us.csv", tmp_path, locale="fr_FR")


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("5 days", 5.0),
        ("5d", 5.0),
        ("2 wks", 10.0),
        ("4 hrs", 0.5),
        ("30 mins", 0.0625),
        ("3 days?", 3.0),
        ("1,5 days", 1.5),
        ("1 mon", 20.0),
    ],
)
def test_duration_display_strings(text: str, days: float):
    values = msp_wizard._Values("en_US", 480)
    assert values.days("Duration", text) == pytest.approx(days)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("$1,234.00", "1234.00"),
        ("1.234,00 €", "1234.00"),
        ("£0.00", "0.00"),
        ("-$53.10", "-53.10"),
        ("($420.81)", "-420.81"),
        ("1,234,567.5", "1234567.50"),
        ("EUR 12", "12.00"),
    ],
)
def test_money_display_strings(text: str, amount: str):
    assert msp_wizard._Values("en_US", 480).money("Cost", text) == Decimal(amount)


@pytest.mark.parametrize("text", ["$1,23,4.00", "12 apples", "1.2.3,4,5"])
def test_money_rejects_nonsense(text: str):
    with pytest.raises(msp_wizard._Bad):
        msp_wizard._Values("en_US", 480).money("Cost", text)
