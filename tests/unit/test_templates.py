"""The value office's templates: recognition by headers, typed rows, rejects, XLSX."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest
from support.paths import TEST_FIXTURES

from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult
from ingest.parsers.formats import read_head
from ingest.parsers.templates import value_office as templates

FIXTURES = TEST_FIXTURES / "templates"


def _parse(path: Path, tmp_path: Path) -> ParseResult:
    kind = templates.sniff(path, read_head(path))
    assert kind is not None, f"{path.name} not recognised"
    return templates.parse(path, ParseContext(path.parent, path.name, tmp_path / "w"), kind)


def _write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "kind", "rows"),
    [
        ("projects.csv", "registry_projects", 3),
        ("objectives.csv", "strategy_objectives", 4),
        ("alignment.csv", "strategy_alignment", 4),
        ("benefits_register_2025-06-30.csv", "benefits_register", 3),
        ("attribution.csv", "benefits_attribution", 3),
        ("benefit_plan.csv", "benefits_plan", 4),
        ("kpi_measurements.csv", "benefits_measurements", 5),
        ("rate_card_2026-10-31.csv", "rate_card", 5),
        ("people.csv", "people", 3),
    ],
)
def test_every_fixture_parses(name: str, kind: str, rows: int, tmp_path: Path) -> None:
    result = _parse(FIXTURES / name, tmp_path)
    counts = (result.file_kind, result.rows_read, result.rows_loaded, result.rows_rejected)
    assert counts == (kind, rows, rows, 0)
    assert result.tables[kind].num_rows == rows


def test_registry_values(tmp_path: Path) -> None:
    rows = _parse(FIXTURES / "projects.csv", tmp_path).tables["registry_projects"].to_pylist()
    p2 = rows[1]
    assert (p2["project_id"], p2["status"], p2["closed_on"]) == ("P002", "closed", dt.date(2025, 10, 15))
    assert p2["jira_project_keys"] == "CRM;CRMX" and p2["finance_codes"] == "PR-1002.01;PR-1002.02"
    assert rows[0]["jira_epic_keys"] is None and rows[0]["closed_on"] is None
    assert rows[2]["jira_epic_keys"] == "SHARED-12;SHARED-40" and rows[2]["status"] == "on_hold"
    assert rows[0]["start_on"] == dt.date(2024, 11, 1) and rows[0]["_source_ref"] == "row 2"


def test_objectives_headers_case_insensitive(tmp_path: Path) -> None:
    rows = _parse(FIXTURES / "objectives.csv", tmp_path).tables["strategy_objectives"].to_pylist()
    assert [r["level"] for r in rows] == ["theme", "objective", "objective", "key_result"]
    assert rows[1]["target_value"] == 2.5 and rows[0]["target_value"] is None
    assert rows[2]["valid_to"] == dt.date(2026, 12, 31) and rows[3]["parent_objective_id"] == "OBJ-2"


def test_alignment_any_column_order(tmp_path: Path) -> None:
    rows = _parse(FIXTURES / "alignment.csv", tmp_path).tables["strategy_alignment"].to_pylist()
    assert [(r["project_id"], r["objective_id"], r["weight"]) for r in rows] == [
        ("P001", "OBJ-1", 1.0),
        ("P002", "OBJ-2", 0.6),
        ("P002", "OBJ-1", 0.6),
        ("P003", "OBJ-2", 0.4),
    ]
    assert rows[1]["effective_to"] == dt.date(2025, 6, 30) and rows[2]["effective_to"] is None


def test_benefits_values(tmp_path: Path) -> None:
    register = _parse(FIXTURES / "benefits_register_2025-06-30.csv", tmp_path)
    reg = register.tables["benefits_register"].to_pylist()
    assert (reg[0]["value_per_unit"], reg[0]["currency"], reg[0]["direction"]) == (55.5, "EUR", "decrease")
    assert (reg[1]["value_per_unit"], reg[1]["currency"], reg[1]["aggregation"]) == (None, None, "latest")
    assert reg[2]["category"] == "dis_benefit"
    plan = _parse(FIXTURES / "benefit_plan.csv", tmp_path).tables["benefits_plan"].to_pylist()
    assert [(p["period_month"], p["planned_value"]) for p in plan][-1] == (dt.date(2025, 7, 1), -1500.0)
    meas = _parse(FIXTURES / "kpi_measurements.csv", tmp_path).tables["benefits_measurements"].to_pylist()
    assert meas[1]["value"] == 1020.0 and meas[2]["note"] == "Quarterly survey; n=412"
    assert meas[0]["note"] is None and meas[0]["measured_on"] == dt.date(2025, 7, 31)
    att = _parse(FIXTURES / "attribution.csv", tmp_path).tables["benefits_attribution"].to_pylist()
    assert sum(a["share"] for a in att if a["benefit_id"] == "B002") == pytest.approx(1.0)


def test_bad_rows_name_row_and_column(tmp_path: Path) -> None:
    cases = [
        ("project_id,objective_id,weight\nP1,OBJ-1,1.4\nP2,OBJ-1,0.5\n", ("row 2", "weight", "1.4")),
        ("benefit_id,project_id,share\nB1,P1,-0.1\nB1,P2,1\n", ("row 2", "share", "-0.1")),
        ("benefit_id,period,planned_value\nB1,2025-13,5\nB1,2025-12,5\n", ("row 2", "period", "2025-13")),
        (
            "kpi_id,measured_on,value\nK1,31/07/2025,5\nK1,2025-07-31,5\n",
            ("row 2", "measured_on", "31/07/2025"),
        ),
        ("kpi_id,measured_on,value\nK1,2025-07-31,n/a\nK1,2025-08-31,5\n", ("row 2", "value", "n/a")),
        ("project_id,project_name,status\nP1,Pay,done\nP2,CRM,active\n", ("row 2", "status", "done")),
        ("project_id,project_name,status\n,Pay,active\nP2,CRM,active\n", ("row 2", "project_id", "")),
        (
            "project_id,objective_id,weight,effective_from,effective_to\nP1,O1,1,2025-07-01,2025-06-30\n"
            "P1,O1,1,2025-07-01,\n",
            ("row 2", "effective_to", "2025-06-30"),
        ),
    ]
    for text, expected in cases:
        result = _parse(_write(tmp_path, text), tmp_path)
        assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 1, 1), text
        assert [(r.ref, r.column, r.value) for r in result.rejects] == [expected], text


def test_benefit_register_enums(tmp_path: Path) -> None:
    src = (FIXTURES / "benefits_register_2025-06-30.csv").read_text(encoding="utf-8")
    text = src.replace(
        "cash_releasing,KPI-PAY-HOURS,hours/month,decrease,sum", "cash,KPI-PAY-HOURS,hours/month,down,avg"
    )
    result = _parse(_write(tmp_path, text), tmp_path)
    assert (result.rows_loaded, result.rows_rejected) == (2, 1)
    assert [(r.column, r.value) for r in result.rejects] == [
        ("category", "cash"),
        ("direction", "down"),
        ("aggregation", "avg"),
    ]


def test_missing_required_column_and_header_only(tmp_path: Path) -> None:
    path = _write(tmp_path, "benefit_id,project_id\nB1,P1\n")
    assert templates.sniff(path, read_head(path)) == "benefits_attribution"
    with pytest.raises(FileRejected, match=r"\['share'\]"):
        _parse(path, tmp_path)
    with pytest.raises(FileRejected, match="no data rows"):
        _parse(_write(tmp_path, "benefit_id,project_id,share\n", "h.csv"), tmp_path)


def test_unrelated_file_is_not_claimed(tmp_path: Path) -> None:
    path = _write(tmp_path, "a,b,c\n1,2,3\n")
    assert templates.sniff(path, read_head(path)) is None


def test_xlsx_template_with_date_cells(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Effective_From", "Weight", "Project_ID", "Objective_ID", "Effective_To"])
    ws.append([dt.datetime(2025, 7, 1), 0.35, "P001", "OBJ-1", None])
    ws.append([dt.datetime(2025, 7, 1, 9, 30), 0.35, "P002", "OBJ-1", None])  # not a plain date
    path = tmp_path / "alignment.xlsx"
    wb.save(path)
    result = _parse(path, tmp_path)
    rows = result.tables["strategy_alignment"].to_pylist()
    assert rows == [
        {
            "project_id": "P001",
            "objective_id": "OBJ-1",
            "weight": 0.35,
            "effective_from": dt.date(2025, 7, 1),
            "effective_to": None,
            "_source_ref": "row 2",
        }
    ]
    assert [(r.ref, r.column, r.value) for r in result.rejects] == [
        ("row 3", "Effective_From", "2025-07-01 09:30:00")
    ]


def test_xlsx_zip_bomb_guard(tmp_path: Path) -> None:
    path = tmp_path / "projects.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b" " * 5_000_000)
    assert templates.sniff(path, "") is None  # never inflated to look at the header
    ctx = ParseContext(tmp_path, path.name, tmp_path / "w")
    with pytest.raises(FileRejected, match="zip bomb"):
        templates.parse(path, ctx, "registry_projects")


def test_cp1252_template(tmp_path: Path) -> None:
    path = tmp_path / "objectives.csv"
    text = "objective_id,objective_name,level\nOBJ-9,Kundenzufriedenheit erhöhen,objective\n"
    path.write_bytes(text.encode("cp1252"))
    rows = _parse(path, tmp_path).tables["strategy_objectives"].to_pylist()
    assert rows[0]["objective_name"] == "Kundenzufriedenheit erhöhen"


def test_rows_after_a_skipped_record_keep_their_numbers(tmp_path: Path) -> None:
    # Row 1 header, row 2 good, row 3 has 2 fields (skipped by parsers.common.tabular), row 4 a share of 1.5,
    # row 5 good: the rows after the skipped record are not shifted up.
    text = "benefit_id,project_id,share\nB1,P1,0.5\nB2,P2\nB3,P3,1.5\nB4,P4,0.25\n"
    result = _parse(_write(tmp_path, text), tmp_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 2, 2)
    assert [(r.ref, r.column, r.value) for r in result.rejects] == [
        ("row 3", None, "B2,P2"),
        ("row 4", "share", "1.5"),
    ]
    rows = result.tables["benefits_attribution"].to_pylist()
    assert [(r["benefit_id"], r["_source_ref"]) for r in rows] == [("B1", "row 2"), ("B4", "row 5")]


def test_registry_mandatory_flag_and_portfolio_scenarios(tmp_path: Path) -> None:
    registry = _parse(
        _write(
            tmp_path,
            "project_id,project_name,status,mandatory\nP1,Pay,active,Yes\nP2,CRM,active,\n"
            "P3,Reg,active,TRUE\nP4,Web,active,maybe\n",
        ),
        tmp_path,
    )
    assert [
        (r["project_id"], r["is_mandatory"]) for r in registry.tables["registry_projects"].to_pylist()
    ] == [
        ("P1", True),
        ("P2", False),
        ("P3", True),
    ]
    assert [(r.ref, r.column, r.value) for r in registry.rejects] == [("row 5", "mandatory", "maybe")]

    scenarios = _parse(
        _write(
            tmp_path,
            "Scenario,Budget_Cap,alignment_weighted,force_in,force_out\n"
            "Hold,1200000,,P1; P2,\nAligned,900000.50,true,,P3\nCut,-5,,,\nOdd,100,sometimes,,\n",
            name="portfolio_scenarios.csv",
        ),
        tmp_path,
    )
    assert scenarios.file_kind == "portfolio_scenarios"
    assert scenarios.tables["portfolio_scenarios"].to_pylist() == [
        {
            "scenario": "Hold",
            "budget_cap_amount": 1200000.0,
            "is_alignment_weighted": None,
            "forced_in_project_ids": "P1;P2",
            "forced_out_project_ids": None,
            "description": None,
            "_source_ref": "row 2",
        },
        {
            "scenario": "Aligned",
            "budget_cap_amount": 900000.5,
            "is_alignment_weighted": True,
            "forced_in_project_ids": None,
            "forced_out_project_ids": "P3",
            "description": None,
            "_source_ref": "row 3",
        },
    ]
    assert [(r.ref, r.column, r.value) for r in scenarios.rejects] == [
        ("row 4", "Budget_Cap", "-5"),
        ("row 5", "alignment_weighted", "sometimes"),
    ]


def test_rate_card_values(tmp_path: Path) -> None:
    rows = _parse(FIXTURES / "rate_card_2026-10-31.csv", tmp_path).tables["rate_card"].to_pylist()
    subjects = [(r["person"], r["role"], r["resource_group"], r["project_id"]) for r in rows]
    assert subjects == [
        (None, "Developer", None, None),
        (None, "Developer", None, None),
        (None, "Developer", None, "P003"),
        ("jdoe", None, None, None),
        (None, None, "Internal", None),
    ]
    assert [str(r["hourly_rate"]) for r in rows] == ["78.5000", "82.0000", "90.0000", "65.2500", "55.0000"]
    assert [r["currency"] for r in rows] == ["EUR", "EUR", "EUR", "GBP", "EUR"]
    assert rows[0]["valid_to"] == dt.date(2026, 6, 30) and rows[1]["valid_to"] is None
    assert rows[1]["valid_from"] == dt.date(2026, 7, 1)


def test_people_values(tmp_path: Path) -> None:
    rows = _parse(FIXTURES / "people.csv", tmp_path).tables["people"].to_pylist()
    assert [(r["person"], r["role"], r["valid_from"], r["valid_to"]) for r in rows] == [
        ("asmith", "Developer", dt.date(2025, 1, 1), dt.date(2026, 3, 31)),
        ("asmith", "Architect", dt.date(2026, 4, 1), None),
        ("jdoe", "Developer", dt.date(2025, 1, 1), None),
    ]
    assert rows[2]["full_name"] == "John Doe" and rows[2]["resource_group"] == "Contractors"


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        (",Developer,Internal,,80,EUR,2025-01-01,", "resource_group", "exactly one of person, role"),
        (",,,,80,EUR,2025-01-01,", "person", "exactly one of person, role"),
        (",Developer,,,80.12345,EUR,2025-01-01,", "hourly_rate", "more than 4 decimals"),
        (",Developer,,,-5,EUR,2025-01-01,", "hourly_rate", "cannot be negative"),
        (",Developer,,,80,euro,2025-01-01,", "currency", "ISO 4217"),
        (",Developer,,,80,EUR,2025-07-01,2025-06-30", "valid_to", "ends before valid_from"),
        (",Developer,,,80,EUR,,", "valid_from", "YYYY-MM-DD"),
    ],
)
def test_rate_card_row_rejects_name_the_column(line: str, column: str, reason: str, tmp_path: Path) -> None:
    header = "person,role,resource_group,project_id,hourly_rate,currency,valid_from,valid_to"
    path = _write(tmp_path, f"{header}\n,Developer,,,80,EUR,2025-01-01,\n{line}\n", "rates.csv")
    result = _parse(path, tmp_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (2, 1, 1)
    (reject,) = result.rejects
    assert (reject.ref, reject.column) == ("row 3", column)
    assert reason in reject.reason


def test_registry_tempo_account_keys(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "project_id,project_name,status,tempo_account_keys\nP001,Claims,active, CLAIMS-DEV ; CLAIMS-RUN ;\n"
        "P002,CRM,active,\n",
    )
    rows = _parse(path, tmp_path).tables["registry_projects"].to_pylist()
    assert [r["tempo_account_keys"] for r in rows] == ["CLAIMS-DEV;CLAIMS-RUN", None]
