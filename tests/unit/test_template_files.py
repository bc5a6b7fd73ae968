"""`vro templates DIR`: blank value-office templates written from the parser's spec, read back by the
real ingest (openpyxl for what the XLSX says, ingest/runner.py on a temporary landing and home)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import duckdb
import openpyxl
import pyarrow.parquet as pq
import pytest
from support.paths import REPO

from ingest.parsers.common.amounts import ValueProblem
from ingest.parsers.templates.value_office import TEMPLATES, Column, Format
from ingest.runner import ingest_landing
from ingest.template_files import shape_of, template_files, write_templates, write_xlsx
from orchestration import cli

README = REPO / "README.md"


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("templates")
    write_templates(target)
    return target


def _sheet(written: Path, kind: str):
    return openpyxl.load_workbook(written / template_files(kind)[0]).worksheets[0]


def _letter(kind: str, header: str) -> str:
    index = [c.header for c in TEMPLATES[kind]].index(header)
    return openpyxl.utils.get_column_letter(index + 1)


def _validations(written: Path, kind: str) -> dict[str, tuple]:
    """Column letter -> (type, operator, formula1, formula2, allow_blank) of the XLSX's validations."""
    found = {}
    for dv in _sheet(written, kind).data_validations.dataValidation:
        for cell_range in str(dv.sqref).split():
            first, last = cell_range.split(":")
            letter = re.match(r"[A-Z]+", first).group()
            assert (first, last) == (f"{letter}2", f"{letter}1048576"), (
                cell_range
            )  # all rows below the header
            found[letter] = (dv.type, dv.operator, dv.formula1, dv.formula2, dv.allow_blank)
    return found


def test_every_template_is_written_as_xlsx_and_csv_in_its_landing_folder(written):
    from ingest.parsers.formats import SOURCE_MODULES

    files = sorted(p.relative_to(written).as_posix() for p in written.rglob("*") if p.is_file())
    assert len(files) == 2 * len(TEMPLATES)
    assert {f.rsplit(".", 1)[0] for f in files} >= {
        "registry/registry_projects",
        "strategy/strategy_objectives",
        "strategy/strategy_alignment",
        "benefits/benefits_register",
        "benefits/benefits_attribution",
        "benefits/benefits_plan",
        "benefits/benefits_measurements",
    }
    for kind in TEMPLATES:
        xlsx, csv_file = template_files(kind)
        assert xlsx in files and csv_file in files and xlsx.endswith(f"/{kind}.xlsx")
        assert "ingest.parsers.templates.value_office" in SOURCE_MODULES[xlsx.split("/")[0]], (
            xlsx
        )  # a folder templates are read in


def test_the_headers_equal_the_spec_in_both_files(written):
    for kind, columns in TEMPLATES.items():
        spec = [c.header for c in columns]
        ws = _sheet(written, kind)
        assert [c.value for c in ws[1]] == spec, kind
        with (written / template_files(kind)[1]).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == spec and len(rows) == 2, kind
    registry = [c.value for c in _sheet(written, "registry_projects")[1]]
    assert registry[:3] == ["project_id", "project_name", "portfolio"] and registry[6] == "status"


def test_each_header_comment_says_what_goes_in_required_or_optional_and_the_format(written):
    ws = _sheet(written, "registry_projects")
    status = ws[f"{_letter('registry_projects', 'status')}1"].comment.text
    assert "Required" in status and "one of: proposed, active, on_hold, closed, cancelled" in status
    portfolio = ws[f"{_letter('registry_projects', 'portfolio')}1"].comment.text
    assert "Optional" in portfolio and "portfolio the project belongs to" in portfolio
    keys = ws[f"{_letter('registry_projects', 'finance_codes')}1"].comment.text
    assert "separated by ;" in keys
    weight = _sheet(written, "strategy_alignment")["C1"].comment.text
    assert "Required" in weight and "a decimal from 0 to 1" in weight and "Example: 0.6" in weight
    period = _sheet(written, "benefits_plan")["B1"].comment.text
    assert "YYYY-MM" in period
    for kind, columns in TEMPLATES.items():  # every header of every template, the later ones too
        ws = _sheet(written, kind)
        for i, column in enumerate(columns, start=1):
            comment = ws.cell(row=1, column=i).comment
            assert comment is not None and comment.text.startswith(column.header), (kind, column.header)
            assert ("Required" if column.required else "Optional") in comment.text, (kind, column.header)


def test_data_validations_sit_on_the_right_columns(written):
    register = _validations(written, "benefits_register")
    assert register["C"] == (
        "list",
        None,
        '"cash_releasing,non_cash_releasing,societal,dis_benefit"',
        None,
        False,
    )
    assert register["F"][:3] == ("list", None, '"increase,decrease"')
    assert register["G"][:3] == ("list", None, '"sum,latest"')
    assert register["J"][:2] == ("date", "between") and register["L"][:2] == ("date", "between")
    assert register["I"][:2] == ("decimal", "between")  # baseline_value: a number
    assert register["N"][:3] == ("textLength", "equal", "3")  # currency
    assert "A" not in register and "B" not in register and "P" not in register  # free text
    alignment = _validations(written, "strategy_alignment")
    assert alignment["C"] == ("decimal", "between", "0", "1", False)  # weight 0..1, required
    assert alignment["D"][0] == alignment["E"][0] == "date" and alignment["E"][4] is True
    assert _validations(written, "benefits_attribution")["C"] == ("decimal", "between", "0", "1", False)
    assert _validations(written, "benefits_plan")["B"][:3] == ("textLength", "equal", "7")  # 2025-11
    registry = _validations(written, "registry_projects")
    assert sorted(registry) == ["G", "H", "I", "J", "O"]  # status, the three dates, mandatory
    assert registry["O"][:3] == ("list", None, '"true,false"')
    assert registry["G"][2] == '"proposed,active,on_hold,closed,cancelled"'
    for kind, columns in TEMPLATES.items():  # every enumeration of every template is a drop-down list
        found = _validations(written, kind)
        for column in columns:
            shape, allowed = shape_of(column)
            if shape == "enum":
                assert found[_letter(kind, column.header)][:3] == ("list", None, f'"{",".join(allowed)}"')


def test_a_whole_number_column_gets_whole_number_validation(tmp_path):
    count = Column("headcount", Format(int, "whole"), True, note="People", example="12")
    path = tmp_path / "t.xlsx"
    write_xlsx(path, "t", (count,))
    ws = openpyxl.load_workbook(path).worksheets[0]
    (dv,) = ws.data_validations.dataValidation
    assert (str(dv.sqref), dv.type, dv.operator) == ("A2:A1048576", "whole", "between")
    assert ws["A2"].value == 12 and "a whole number" in ws["A1"].comment.text


def test_the_sheet_is_ready_to_fill_in(written):
    ws = _sheet(written, "benefits_register")
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["B"].width >= len("Manual claims handling hours saved")
    assert ws.column_dimensions["J"].width >= len("baseline_date")
    # dates are real date cells, numbers are numbers, ids and months are text cells
    assert ws["J2"].value == dt.datetime(2025, 4, 1) and ws["J2"].is_date
    assert ws["I2"].value == 12000 and ws["A2"].value == "B001" and ws["A2"].number_format == "@"
    plan = _sheet(written, "benefits_plan")
    assert plan["B2"].value == "2025-11" and plan["B2"].number_format == "@"
    assert plan.column_dimensions["B"].number_format == "@"  # what a user types stays text


def test_every_example_is_accepted_and_every_required_column_has_one():
    for kind, columns in TEMPLATES.items():
        for column in columns:
            assert column.note, f"{kind}.{column.header}: no note for the template's header comment"
            if column.required:
                assert column.example, f"{kind}.{column.header}: required, but no example value"
            try:
                column.convert(column.example)
            except ValueProblem as exc:
                pytest.fail(f"{kind}.{column.header}: example {column.example!r} rejected: {exc}")


# The example rows as the raw tables must hold them, worked out from the examples in the spec.
EXPECTED = {
    "registry_projects": {
        "project_id": "P001",
        "project_name": "Claims Automation",
        "portfolio": "Claims",
        "programme": "Claims Transformation",
        "sponsor": "Grace Thompson",
        "manager": "Lukas Meier",
        "status": "active",
        "start_on": dt.date(2025, 4, 7),
        "planned_finish_on": dt.date(2027, 6, 10),
        "closed_on": None,
        "jira_project_keys": "CLM",
        "jira_epic_keys": "PLAT-12;PLAT-40",
        "msproject_names": "Claims Automation",
        "finance_codes": "PR-1001.01;PR-1001.02",
        "is_mandatory": False,
        "tempo_account_keys": "CLM-DEV",
    },
    "strategy_objectives": {
        "objective_id": "OBJ-1",
        "objective_name": "Cut the cost to serve",
        "parent_objective_id": None,
        "level": "objective",
        "owner": "Chief Operating Officer",
        "kpi_id": "KPI-001",
        "target_value": 7000.0,
        "target_on": dt.date(2026, 12, 31),
        "valid_from": dt.date(2025, 1, 1),
        "valid_to": None,
    },
    "strategy_alignment": {
        "project_id": "P001",
        "objective_id": "OBJ-1",
        "weight": 0.6,
        "effective_from": dt.date(2025, 4, 1),
        "effective_to": None,
    },
    "benefits_register": {
        "benefit_id": "B001",
        "benefit_name": "Manual claims handling hours saved",
        "category": "cash_releasing",
        "kpi_id": "KPI-001",
        "unit": "hours",
        "direction": "decrease",
        "aggregation": "sum",
        "owner": "Grace Thompson",
        "baseline_value": 12000.0,
        "baseline_on": dt.date(2025, 4, 1),
        "target_value": 7000.0,
        "target_on": dt.date(2026, 10, 31),
        "value_per_unit": 38.0,
        "currency": "EUR",
        "objective_id": "OBJ-1",
        "status": "planned",
    },
    "benefits_attribution": {"benefit_id": "B001", "project_id": "P001", "share": 1.0},
    "benefits_plan": {"benefit_id": "B001", "period_month": dt.date(2025, 11, 1), "planned_value": 416.67},
    "benefits_measurements": {
        "kpi_id": "KPI-001",
        "measured_on": dt.date(2025, 11, 30),
        "value": 11500.0,
        "source": "Claims MI",
        "note": "Monthly report",
    },
}


def test_the_templates_copied_into_an_empty_landing_folder_ingest_with_zero_rejects(written, tmp_path):
    landing, home = tmp_path / "landing", tmp_path / "home"
    landing.mkdir()
    for path in written.rglob("*.*"):  # the templates as written, nothing else
        target = landing / path.relative_to(written)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    outcomes = ingest_landing(landing, home, workers=1)
    assert sorted(o.path for o in outcomes) == sorted(
        rel for kind in TEMPLATES for rel in template_files(kind)
    )
    for o in outcomes:
        assert (o.status, o.file_kind, o.rows_read, o.rows_loaded, o.rows_rejected) == (
            "loaded",
            Path(o.path).stem,
            1,
            1,
            0,
        ), o.message
    assert sum(pq.read_metadata(p).num_rows for p in (home / "raw" / "rejects").glob("*.parquet")) == 0
    con = duckdb.connect()
    for kind, columns in TEMPLATES.items():
        names = [c.target for c in columns]
        rows = con.execute(
            f"select _source_file, {', '.join(names)} from read_parquet(?, union_by_name = true) "
            "where _source_file is not null order by _source_file",
            [str(home / "raw" / kind / "*.parquet")],
        ).fetchall()
        assert [r[0] for r in rows] == sorted(template_files(kind)), kind  # one row per file
        expected = EXPECTED.get(kind) or {c.target: c.convert(c.example) for c in columns}
        for row in rows:
            assert dict(zip(names, row[1:], strict=True)) == pytest.approx(expected), (kind, row[0])
    assert set(EXPECTED) <= set(TEMPLATES)


def test_vro_templates_prints_what_it_wrote_and_refuses_to_overwrite_without_force(tmp_path, capsys):
    target = tmp_path / "blank"
    assert cli.main(["templates", str(target)]) == 0
    out = capsys.readouterr().out
    csv_path = target / "registry" / "registry_projects.csv"
    width = len(TEMPLATES["registry_projects"])
    assert f"wrote {csv_path}: registry_projects, {width} columns (3 required), 1 example row" in out
    assert out.count("wrote ") == 2 * len(TEMPLATES)
    csv_path.write_text("project_id,project_name,status\nP9,Mine,active\n", encoding="utf-8")

    assert cli.main(["templates", str(target)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("vro: ") and "exists" in lines[0] and "--force" in lines[0]
    assert csv_path.read_text(encoding="utf-8") == "project_id,project_name,status\nP9,Mine,active\n"

    assert cli.main(["templates", str(target), "--force"]) == 0
    assert (
        csv_path.read_text(encoding="utf-8").splitlines()[0].startswith("project_id,project_name,portfolio,")
    )


def test_vro_templates_into_a_file_is_a_usage_error(tmp_path, capsys):
    a_file = tmp_path / "not_a_folder"
    a_file.write_text("x")
    assert cli.main(["templates", str(a_file)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"vro: {a_file} is a file, not a folder"]


def _readme_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## The value office's templates")
    return text[start : text.index("\n## ", start + 1)]


def test_the_readme_lists_every_template_with_its_columns_and_required_ones_in_bold():
    section = _readme_section()
    assert "`vro templates DIR`" in section and "--force" in section
    rows = {}
    for line in section.splitlines():
        found = re.match(r"\| `([a-z_]+/[a-z_]+)` \|[^|]*\| (.*) \|$", line)
        if found:
            rows[found.group(1)] = found.group(2)
    assert sorted(rows) == sorted(template_files(kind)[0].removesuffix(".xlsx") for kind in TEMPLATES)
    for kind, columns in TEMPLATES.items():
        cell = rows[template_files(kind)[0].removesuffix(".xlsx")]
        listed = re.findall(r"(\*\*)?`([^`]+)`(?:\*\*)?( \([^)]*\))?", cell)
        assert [name for _, name, _ in listed] == [c.header for c in columns], kind
        for (bold, name, values), column in zip(listed, columns, strict=True):
            assert bool(bold) == column.required, f"{kind}.{name}: bold when required, only then"
            shape, allowed = shape_of(column)
            assert values == (f" ({', '.join(allowed)})" if shape == "enum" else ""), f"{kind}.{name}"
