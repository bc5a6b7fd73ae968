"""The MSPDI parser on the real MSPDI samples (values checked by hand in the XML) and on broken files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from support import paths
from support.paths import TEST_FIXTURES

from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult
from ingest.parsers.formats import read_head
from ingest.parsers.msproject import mspdi

SAMPLES = paths.SAMPLES / "msproject"
FIXTURES = TEST_FIXTURES / "msproject"

# file -> (Task elements, resources, assignments, baselines, links, extended attribute values)
SAMPLE_COUNTS = {
    "baselines.xml": (2, 2, 1, 10, 0, 0),
    "enterprise.xml": (2, 2, 1, 0, 0, 158),
    "mspdiassignmentfields.xml": (2, 5, 4, 1, 0, 0),
    "mspdirelations.xml": (6, 1, 5, 0, 4, 0),
    "mspextattr.xml": (2, 2, 1, 0, 0, 16),
    "task-costs-project2019-mspdi.xml": (11, 1, 10, 0, 0, 10),
    "task-dates-project2019-mspdi.xml": (11, 1, 10, 0, 0, 10),
}


def _parse(path: Path, tmp_path: Path) -> ParseResult:
    ctx = ParseContext(landing_dir=path.parent, source_file=path.name, work_dir=tmp_path)
    return mspdi.parse(path, ctx, "mspdi")


def _rows(result: ParseResult, table: str) -> list[dict]:
    return result.tables[table].to_pylist()


def _task(result: ParseResult, uid: int) -> dict:
    (row,) = [r for r in _rows(result, "msp_tasks") if r["task_uid"] == uid]
    return row


def test_every_sample_is_listed():
    assert sorted(p.name for p in SAMPLES.glob("*.xml")) == sorted(SAMPLE_COUNTS)


@pytest.mark.parametrize("name", sorted(SAMPLE_COUNTS))
def test_sample_parses_with_hand_counted_rows(name: str, tmp_path: Path):
    path = SAMPLES / name
    assert mspdi.sniff(path, read_head(path)) == "mspdi"
    result = _parse(path, tmp_path)
    tasks, resources, assignments, baselines, links, ext = SAMPLE_COUNTS[name]
    assert result.file_kind == "mspdi"
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (tasks, tasks, 0)
    assert result.rejects == []
    assert result.rows_read == result.rows_loaded + result.rows_rejected
    counts = {table: t.num_rows for table, t in result.tables.items()}
    assert counts == {
        "msp_projects": 1,
        "msp_tasks": tasks,
        "msp_task_baselines": baselines,
        "msp_predecessor_links": links,
        "msp_resources": resources,
        "msp_assignments": assignments,
        "msp_extended_attributes": ext,
    }
    # Task UID 0, the project summary, is kept as a row.
    assert _task(result, 0)["is_summary"] is True
    assert _task(result, 0)["_source_ref"] == "/Project/Tasks/Task[UID=0]"


def test_baselines_sample_minutes_per_day_450(tmp_path: Path):
    result = _parse(SAMPLES / "baselines.xml", tmp_path)
    (project,) = _rows(result, "msp_projects")
    assert project["project_name"] == "baselines.xml"  # <Name> wins over <Title>
    assert project["project_title"] == "project1"
    assert project["minutes_per_day"] == 450
    assert project["minutes_per_week"] == 2250
    assert project["currency_code"] is None  # old file: no CurrencyCode
    assert project["currency_symbol"] == "£"
    assert project["current_on"] == dt.date(2008, 2, 1)
    assert project["status_on"] is None
    # Task One: Duration PT7H30M0S = 450 minutes = 1 day at 450 minutes per day.
    assert _task(result, 1)["duration_days"] == pytest.approx(1.0)
    baselines = {b["baseline_number"]: b for b in _rows(result, "msp_task_baselines")}
    assert sorted(baselines) == list(range(1, 11))
    # Baseline 1: Cost 100 -> 1.00, Duration PT7H30M0S -> 1 day, Work PT1H0M0S -> 1 h.
    assert baselines[1]["baseline_cost_amount"] == Decimal("1.00")
    assert baselines[1]["baseline_duration_days"] == pytest.approx(1.0)
    assert baselines[1]["baseline_work_hours"] == pytest.approx(1.0)
    # Baseline 10: Cost 1000 -> 10.00, Duration PT75H0M0S = 4500 min -> 10 days at 450.
    assert baselines[10]["baseline_cost_amount"] == Decimal("10.00")
    assert baselines[10]["baseline_duration_days"] == pytest.approx(10.0)
    assert baselines[10]["baseline_start_at"] == dt.datetime(2001, 1, 10, 9, 0)
    # The sample's baseline Finish is before its Start (as written by MS Project): kept, not rejected.
    assert baselines[10]["baseline_finish_at"] == dt.datetime(2000, 1, 10, 17, 30)
    assert baselines[10]["_source_ref"] == "/Project/Tasks/Task[UID=1]/Baseline[Number=10]"


def test_assignment_fields_sample_money_and_units(tmp_path: Path):
    result = _parse(SAMPLES / "mspdiassignmentfields.xml", tmp_path)
    (project,) = _rows(result, "msp_projects")
    assert (project["save_version"], project["currency_code"]) == (14, "GBP")
    assert project["project_title"] == "assignment test"
    task = _task(result, 1)
    assert task["task_name"] == "Task One"
    assert task["cost_amount"] == Decimal("5052.00")  # 505200 / 100
    # Full precision in raw (MPXJ reads the same): 29908.45 / 100 = 299.0845, not 299.08
    assert task["actual_cost_amount"] == Decimal("299.0845")
    assert task["remaining_cost_amount"] == Decimal("4752.9155")  # 475291.55 / 100
    assert task["duration_days"] == pytest.approx(4261 / 480)  # PT71H1M0S
    assert task["work_hours"] == pytest.approx(103.0)
    assert (task["percent_complete"], task["percent_work_complete"]) == (6.0, 7.0)
    assert task["actual_start_at"] == dt.datetime(2011, 7, 6, 8, 0)
    assert task["actual_finish_at"] is None
    (baseline,) = _rows(result, "msp_task_baselines")
    assert baseline["baseline_number"] == 0
    assert baseline["baseline_finish_at"] == dt.datetime(2011, 7, 11, 17, 0)
    assert baseline["baseline_start_at"] is None and baseline["baseline_cost_amount"] is None
    resources = {r["resource_uid"]: r for r in _rows(result, "msp_resources")}
    assert resources[1]["resource_name"] == "Resource One"
    assert resources[1]["cost_amount"] == Decimal("4090.00")  # 409000 / 100
    assert resources[1]["standard_rate"] == 50.0
    assert resources[1]["resource_type"] == "work"
    assert resources[3]["resource_type"] == "cost"  # IsCostResource 1 (Type 0)
    assignments = {a["assignment_uid"]: a for a in _rows(result, "msp_assignments")}
    assert assignments[2]["task_uid"] == 1 and assignments[2]["resource_uid"] == 1
    assert assignments[2]["work_hours"] == pytest.approx(80.0)
    assert assignments[2]["cost_amount"] == Decimal("4090.00")
    assert assignments[2]["actual_cost_amount"] == Decimal("111.0845")  # 11108.45 / 100
    assert assignments[5]["start_at"] == dt.datetime(2011, 7, 6, 8, 55)


def test_relations_sample_link_types_and_lag(tmp_path: Path):
    result = _parse(SAMPLES / "mspdirelations.xml", tmp_path)
    links = {(r["task_uid"], r["predecessor_uid"]): r for r in _rows(result, "msp_predecessor_links")}
    assert {k: v["link_type"] for k, v in links.items()} == {
        (2, 1): "FS",
        (3, 2): "SS",
        (4, 3): "FF",
        (5, 4): "SF",
    }
    assert links[(3, 2)]["lag_days"] == pytest.approx(1.0)  # LinkLag 4800 tenths = 480 min = 1 day
    assert links[(2, 1)]["lag_days"] == 0.0
    (project,) = _rows(result, "msp_projects")
    assert (project["currency_code"], project["currency_symbol"]) == ("GBP", "$")  # kept as they disagree
    assert project["project_title"] is None
    assert _task(result, 0)["task_name"] is None


def test_extended_attribute_names_resolved(tmp_path: Path):
    result = _parse(SAMPLES / "mspextattr.xml", tmp_path)
    ext = {
        (r["owner_type"], r["owner_uid"], r["field_id"]): r for r in _rows(result, "msp_extended_attributes")
    }
    assert len([k for k in ext if k[0] == "task"]) == 8
    assert len([k for k in ext if k[0] == "resource"]) == 8
    assert ext[("task", 1, "188743731")]["field_name"] == "Text1"
    assert ext[("task", 1, "188743731")]["value"] == "Task Text One"
    assert ext[("task", 1, "188743767")]["field_name"] == "Number1"
    assert ext[("task", 1, "188743767")]["value"] == "55.56"
    assert ext[("resource", 1, "205520904")]["field_name"] == "Text1"
    assert ext[("resource", 1, "205520904")]["value"] == "Resource Text One"

    enterprise = _parse(SAMPLES / "enterprise.xml", tmp_path)
    rows = _rows(enterprise, "msp_extended_attributes")
    assert sum(r["owner_type"] == "task" for r in rows) == 142
    assert sum(r["owner_type"] == "resource" for r in rows) == 16
    (cost1,) = [r for r in rows if r["owner_uid"] == 1 and r["field_id"] == "188744279"]
    assert (cost1["field_name"], cost1["value"]) == ("Enterprise Cost1", "100")


def test_project2019_samples_custom_fields(tmp_path: Path):
    costs = _parse(SAMPLES / "task-costs-project2019-mspdi.xml", tmp_path)
    ext = {r["owner_uid"]: r for r in _rows(costs, "msp_extended_attributes")}
    assert (ext[10]["field_name"], ext[10]["value"]) == ("Cost10", "1000")
    assert _task(costs, 3)["task_name"] == "Cost3"
    assert _task(costs, 3)["bcws_amount"] == Decimal("0.00")  # BCWS written "0.00"
    dates = _parse(SAMPLES / "task-dates-project2019-mspdi.xml", tmp_path)
    ext = {r["owner_uid"]: r for r in _rows(dates, "msp_extended_attributes")}
    assert (ext[2]["field_name"], ext[2]["value"]) == ("Date2", "2014-01-02T10:00:00")


# ---- own fixtures --------------------------------------------------------------------------


def test_mixed_file_rejects_bad_tasks_with_their_children(tmp_path: Path):
    result = _parse(FIXTURES / "mixed_tasks.xml", tmp_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (9, 3, 6)
    assert sorted(r["task_uid"] for r in _rows(result, "msp_tasks")) == [0, 1, 6]
    by_ref = {(r.ref, r.column): r for r in result.rejects}
    pct = by_ref[("/Project/Tasks/Task[UID=2]", "PercentComplete")]
    assert pct.value == "140" and "outside 0..100" in pct.reason and "'Build'" in pct.reason
    late = by_ref[("/Project/Tasks/Task[UID=3]", "Start")]
    assert late.value == "2026-03-20T08:00:00" and "after Finish 2026-03-02T17:00:00" in late.reason
    assert by_ref[("/Project/Tasks/Task[UID=4]", "Start")].value == "2026-03-31 morning"
    assert by_ref[("/Project/Tasks/Task[UID=5]", "Cost")].value == "12,50"
    assert by_ref[("/Project/Tasks/Task[UID=7]", "Duration")].value == "8 hours"
    bad_asg = by_ref[("/Project/Tasks/Task[UID=8]", "Assignment[UID=12]/Cost")]
    assert bad_asg.value == "not-a-cost"
    assert "/Project/Assignments/Assignment[UID=12]/Cost" in bad_asg.reason
    # Not tasks: reported, but not counted in rows_rejected.
    assert by_ref[("/Project/Resources/Resource[UID=2]", "Cost")].value == "abc"
    assert by_ref[("/Project/Assignments/Assignment[UID=13]", "TaskUID")].value == "99"
    # Children of rejected task 2 (baseline, link, assignment 11) went with it.
    assert {b["task_uid"] for b in _rows(result, "msp_task_baselines")} == {1}
    assert [a["assignment_uid"] for a in _rows(result, "msp_assignments")] == [10]
    # ActualWork PT96H15M0S: 96 h + 15 min = 96.25 hours worked (the labour fallback's hours)
    assert [a["actual_work_hours"] for a in _rows(result, "msp_assignments")] == [96.25]
    assert {link["task_uid"] for link in _rows(result, "msp_predecessor_links")} == {1, 6}


def test_mixed_file_values(tmp_path: Path):
    result = _parse(FIXTURES / "mixed_tasks.xml", tmp_path)
    (project,) = _rows(result, "msp_projects")
    assert project["project_name"] == "Payments Platform"
    assert project["status_on"] == dt.date(2026, 4, 30)
    assert project["start_at"] == dt.datetime(2026, 1, 5, 8, 0)
    design = _task(result, 1)
    assert design["wbs"] == "1.A" and design["outline_number"] == "1"  # WBS differs from OutlineNumber
    assert design["cost_amount"] == Decimal("1234.56")
    assert design["bcws_amount"] == Decimal("1200.00")
    assert design["acwp_amount"] == Decimal("1234.565")  # 123456.5 / 100, kept whole in raw
    assert design["duration_days"] == pytest.approx(10.0)  # PT80H0M0S at 480
    assert design["work_hours"] == pytest.approx(120.5)  # PT120H30M0S
    assert _task(result, 0)["cost_amount"] == Decimal("50000.50")
    assert _task(result, 0)["duration_days"] == pytest.approx(60.0)
    baselines = {b["baseline_number"]: b for b in _rows(result, "msp_task_baselines")}
    assert baselines[0]["baseline_cost_amount"] == Decimal("1000.00")
    assert baselines[1]["baseline_cost_amount"] == Decimal("900.00")
    assert baselines[0]["baseline_work_hours"] == pytest.approx(96.0)
    assert baselines[1]["baseline_work_hours"] is None
    links = {(r["task_uid"], r["predecessor_uid"]): r for r in _rows(result, "msp_predecessor_links")}
    assert (links[(6, 1)]["link_type"], links[(6, 1)]["lag_days"]) == ("SS", pytest.approx(-0.5))
    assert (links[(6, 5)]["link_type"], links[(6, 5)]["lag_days"]) == ("FF", pytest.approx(2.0))
    ext = {r["field_id"]: r for r in _rows(result, "msp_extended_attributes")}
    assert ext["188743731"]["field_name"] == "Benefit Owner"  # Alias wins over FieldName
    assert ext["188743734"]["field_name"] == "Text2"  # no Alias: FieldName
    assert ext["205520904"]["owner_type"] == "resource"
    assert ext["205520904"]["field_name"] == "Text1"  # no definition in the file: named from its id
    assert _task(result, 6)["is_milestone"] is True


def test_task_level_rule_breaks(tmp_path: Path):
    result = _parse(FIXTURES / "missing_uid.xml", tmp_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (7, 1, 6)
    assert _rows(result, "msp_projects")[0]["project_name"] == "Only a title"
    by_ref = {r.ref: r for r in result.rejects}
    assert by_ref["/Project/Tasks/Task[2]"].column == "UID"
    assert "used by an earlier task" in by_ref["/Project/Tasks/Task[3]"].reason
    assert by_ref["/Project/Tasks/Task[UID=4]"].value == "7"  # link Type 7
    assert "percentage" in by_ref["/Project/Tasks/Task[UID=5]"].reason
    assert by_ref["/Project/Tasks/Task[UID=6]"].value == "11"  # baseline Number 11
    assert "time zone" in by_ref["/Project/Tasks/Task[UID=7]"].reason


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("xxe_external_entity.xml", "DTD"),
        ("billion_laughs.xml", "DTD"),
        ("truncated.xml", "not well-formed XML"),
        ("wrong_root.xml", "root element is <Workbook>"),
        ("bad_minutes_per_day.xml", "MinutesPerDay 'eight hours'"),
    ],
)
def test_file_rejected(name: str, message: str, tmp_path: Path):
    path = FIXTURES / name
    with pytest.raises(FileRejected, match=message) as info:
        _parse(path, tmp_path)
    assert str(info.value).startswith(name)


def test_xxe_does_not_leak(tmp_path: Path):
    with pytest.raises(FileRejected) as info:
        _parse(FIXTURES / "xxe_external_entity.xml", tmp_path)
    assert "root:" not in str(info.value)


@pytest.mark.parametrize(
    ("name", "project_name"),
    [
        ("encoding_windows1252.xml", "Café Réseau"),
        ("encoding_utf16_bom.xml", "Café UTF-16"),
        ("utf8_bom.xml", "Café Réseau"),
    ],
)
def test_declared_encodings_and_bom(name: str, project_name: str, tmp_path: Path):
    path = FIXTURES / name
    assert mspdi.sniff(path, read_head(path)) == "mspdi"
    result = _parse(path, tmp_path)
    assert _rows(result, "msp_projects")[0]["project_name"] == project_name
    assert _rows(result, "msp_projects")[0]["minutes_per_day"] == 450
    task = _task(result, 1)
    assert task["task_name"] == "Étude préliminaire"
    assert task["duration_days"] == pytest.approx(2.0)  # PT15H0M0S = 900 min at 450
    assert task["cost_amount"] == Decimal("0.99")


def test_sniff_ignores_other_files():
    assert mspdi.sniff(Path("x.csv"), "ID,Unique_ID,Name\n1,2,a\n") is None
    assert mspdi.sniff(Path("x.xml"), '<?xml version="1.0"?><Workbook/>') is None
