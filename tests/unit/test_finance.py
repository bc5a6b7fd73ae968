"""GL actuals through mapping profiles, control totals, budgets, and broken finance files."""

from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow.parquet as pq
import pytest
from support.paths import TEST_FIXTURES

from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult
from ingest.parsers.finance import gl_budgets as finance
from ingest.parsers.formats import read_head
from ingest.settings import IngestSettings

FIXTURES = TEST_FIXTURES / "finance"
EN_HEADER = (FIXTURES / "gl_actuals_1000_cji3.csv").read_text(encoding="utf-8").splitlines()[0]
DE_HEADER = (FIXTURES / "gl_actuals_1000_cji3_de.csv").read_text(encoding="utf-8").splitlines()[0]
GENERIC_HEADER = (FIXTURES / "gl_actuals_2000_generic.csv").read_text(encoding="utf-8").splitlines()[0]
GOOD_EN_LINE = (
    "1000,2025,3,15.03.2025,4900000101,1,400000,External services,CC100,PR-1001.01,"
    '"1,234.56",EUR,S,Acme,March invoice'
)


def _parse(
    path: Path, tmp_path: Path, settings: IngestSettings | None = None, kind: str | None = None
) -> ParseResult:
    kind = kind or finance.sniff(path, read_head(path))
    assert kind is not None, f"{path.name} not recognised"
    ctx = ParseContext(
        landing_dir=path.parent,
        source_file=path.name,
        work_dir=tmp_path / "work",
        settings=settings or IngestSettings(),
    )
    return finance.parse(path, ctx, kind)


def _lines(result: ParseResult) -> list[dict]:
    table = result.tables["gl_line_items"]
    rows = pq.read_table(table).to_pylist() if isinstance(table, Path) else table.to_pylist()
    return sorted(rows, key=lambda r: int(r["_source_ref"].split()[1]))


def _rejects(result: ParseResult) -> list[dict]:
    if result.rejects_parquet is not None:
        rows = pq.read_table(result.rejects_parquet).to_pylist()
        return sorted(rows, key=lambda r: (int(r["ref"].split()[1]), r["column"]))
    return [vars(r) for r in result.rejects]


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8", bom: bytes = b"") -> Path:
    path = tmp_path / name
    path.write_bytes(bom + text.encode(encoding))
    return path


def _accounting(result: ParseResult) -> None:
    assert result.rows_read == result.rows_loaded + result.rows_rejected


# ---- the three fixture exports ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["gl_actuals_1000_cji3.csv", "gl_actuals_1000_cji3_de.csv"])
def test_sap_cji3_both_languages(name: str, tmp_path: Path) -> None:
    result = _parse(FIXTURES / name, tmp_path)
    counts = (result.file_kind, result.rows_read, result.rows_loaded, result.rows_rejected)
    assert counts == ("gl_actuals", 6, 6, 0)
    lines = _lines(result)
    assert [r["amount"] for r in lines] == [
        Decimal("1234.56"),
        Decimal("12000.00"),
        Decimal("-1234.56"),  # row 4: H reversal
        Decimal("420.81"),
        Decimal("53277.15"),
        Decimal("-99.90"),  # row 7: H with SAP trailing minus
    ]
    first = lines[0]
    assert first["posting_on"] == dt.date(2025, 3, 15)
    assert (first["fiscal_year"], first["fiscal_period"], first["company_code"]) == (2025, 3, "1000")
    assert (first["document_number"], first["line_item"]) == ("4900000101", "1")
    assert first["gl_account"] == "400000"
    assert (first["project_code"], first["cost_center"], first["currency"]) == ("PR-1001.01", "CC100", "EUR")
    assert first["mapping_profile"] == "sap_cji3" and first["_source_ref"] == "row 2"
    assert lines[5]["line_item"] == "2" and lines[4]["project_code"] == "PR-9999.01"
    # 1234.56 + 12000.00 - 1234.56 + 420.81 + 53277.15 - 99.90 = 65598.06
    assert result.tables["gl_file_control_totals"].to_pylist() == [
        {
            "currency": "EUR",
            "line_count": 6,
            "amount_total": Decimal("65598.06"),
            "file_line_count": 6,
            "rejected_line_count": 0,
            "file_amount_total": Decimal("65598.06"),
            "_source_ref": "file",
        }
    ]


def test_german_text_survives(tmp_path: Path) -> None:
    lines = _lines(_parse(FIXTURES / "gl_actuals_1000_cji3_de.csv", tmp_path))
    assert lines[0]["description"] == "Rechnung März"
    assert lines[1]["description"] == "Lizenz, jährlich"


def test_generic_profile(tmp_path: Path) -> None:
    result = _parse(FIXTURES / "gl_actuals_2000_generic.csv", tmp_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (7, 7, 0)
    lines = _lines(result)
    assert [r["amount"] for r in lines] == [
        Decimal("1500.00"),
        Decimal("8250.00"),
        Decimal("-420.81"),
        Decimal("-420.81"),
        Decimal("-53277.15"),
        Decimal("2000.05"),
        Decimal("100.00"),
    ]
    assert [r["expense_type"] for r in lines] == ["opex", "capex", "opex", "opex", "opex", "capex", None]
    assert lines[2]["fiscal_year"] == 2025 and lines[3]["fiscal_period"] == 4
    assert lines[0]["mapping_profile"] == "generic"
    # GBP: 1500.00 + 8250.00 - 420.81 - 420.81 - 53277.15 + 2000.05 = -42368.72 over 6 lines
    totals = result.tables["gl_file_control_totals"].to_pylist()
    assert [(t["currency"], t["line_count"], t["amount_total"]) for t in totals] == [
        ("EUR", 1, Decimal("100.00")),
        ("GBP", 6, Decimal("-42368.72")),
    ]
    assert [(t["file_line_count"], t["rejected_line_count"], t["file_amount_total"]) for t in totals] == [
        (1, 0, Decimal("100.00")),
        (6, 0, Decimal("-42368.72")),
    ]


def test_fiscal_period_derived_from_posting_date_without_such_columns(tmp_path: Path) -> None:
    header = "posting_date,company_code,document_number,project_code,amount,currency"
    path = _write(tmp_path, "gl.csv", f"{header}\n2025-11-30,2000,1,PR-1,10.00,GBP\n")
    line = _lines(_parse(path, tmp_path))[0]
    assert (line["fiscal_year"], line["fiscal_period"]) == (2025, 11)


def test_bad_lines_are_rejected_with_row_and_column_and_totals_count_only_loaded(tmp_path: Path) -> None:
    text = (
        "\n".join(
            [
                EN_HEADER,
                GOOD_EN_LINE,
                GOOD_EN_LINE.replace('"1,234.56"', "12x"),  # row 3: non-numeric amount
                GOOD_EN_LINE.replace(",EUR,", ",XXX,"),  # row 4: currency XXX
                GOOD_EN_LINE.replace("15.03.2025", "2025-03-15"),  # row 5: unknown date format
                GOOD_EN_LINE.replace('"1,234.56"', "1234.567"),  # row 6: three decimals
                GOOD_EN_LINE.replace(",S,", ",X,"),  # row 7: flag neither S nor H
                GOOD_EN_LINE.replace('"1,234.56"', "-5.00"),  # row 8: debit flag with a minus
                GOOD_EN_LINE.replace(",3,15.03", ",13x,15.03"),  # row 9: period
                GOOD_EN_LINE.replace('"1,234.56"', "7.00").replace(",S,", ",H,"),  # row 10: fine, credit
            ]
        )
        + "\n"
    )
    result = _parse(_write(tmp_path, "gl.csv", text), tmp_path)
    _accounting(result)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (9, 2, 7)
    got = [(r["ref"], r["column"], r["value"]) for r in _rejects(result)]
    assert got == [
        ("row 3", "Value TranCurr", "12x"),
        ("row 4", "Transaction Currency", "XXX"),
        ("row 5", "Posting Date", "2025-03-15"),
        ("row 6", "Value TranCurr", "1234.567"),
        ("row 7", "Debit/Credit ind", "X"),
        ("row 8", "Debit/Credit ind", "S"),
        ("row 9", "Period", "13x"),
    ]
    reasons = {r["ref"]: r["reason"] for r in _rejects(result)}
    assert "XXX" in reasons["row 4"] and "%d.%m.%Y" in reasons["row 5"] and "2 decimals" in reasons["row 6"]
    assert [r["_source_ref"] for r in _lines(result)] == ["row 2", "row 10"]
    totals = {t["currency"]: t for t in result.tables["gl_file_control_totals"].to_pylist()}
    assert totals["EUR"]["amount_total"] == Decimal("1227.56")
    # Every line of the file, by its currency cell: EUR rows 2,3,5-10 (8 lines, 6 rejected) and XXX
    # row 4. Readable EUR amounts: +1234.56 (rows 2, 5, 7, 9), +5.00 (row 8: S makes it a debit),
    # -7.00 (row 10); rows 3 and 6 have none. 4 x 1234.56 + 5.00 - 7.00 = 4936.24.
    assert (totals["EUR"]["file_line_count"], totals["EUR"]["rejected_line_count"]) == (8, 6)
    assert totals["EUR"]["file_amount_total"] == Decimal("4936.24")
    assert (totals["XXX"]["file_line_count"], totals["XXX"]["line_count"]) == (1, 0)
    assert totals["XXX"]["file_amount_total"] == Decimal("1234.56")


def test_quoted_multiline_cell_keeps_row_numbers(tmp_path: Path) -> None:
    multi = GOOD_EN_LINE.replace("March invoice", '"two\nlines"')
    text = f"{EN_HEADER}\n{multi}\n{GOOD_EN_LINE.replace('EUR', 'eur')}\n"
    result = _parse(_write(tmp_path, "gl.csv", text), tmp_path)
    assert _lines(result)[0]["description"] == "two\nlines"
    assert [r["ref"] for r in _rejects(result)] == ["row 3"]


# ---- files rejected whole ---------------------------------------------------------------------------


def test_missing_required_column_names_the_closest_profile(tmp_path: Path) -> None:
    header = EN_HEADER.replace(",Transaction Currency", "")
    line = GOOD_EN_LINE.replace(",EUR", "")
    with pytest.raises(FileRejected, match=r"sap_cji3/en.*currency \(header 'Transaction Currency'"):
        _parse(_write(tmp_path, "gl.csv", f"{header}\n{line}\n"), tmp_path)


def test_ragged_lines_are_reported_before_a_missing_column(tmp_path: Path) -> None:
    header = EN_HEADER.replace(",Transaction Currency", "")
    line = GOOD_EN_LINE.replace(",EUR", "")
    text = f"{header}\n{line}\n{line},extra\n"
    with pytest.raises(FileRejected, match="1 line does not have the header's number of fields"):
        _parse(_write(tmp_path, "gl.csv", text), tmp_path, kind="gl_actuals")


def test_empty_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "gl.csv", "")
    assert finance.sniff(path, read_head(path)) is None
    ctx = ParseContext(landing_dir=tmp_path, source_file="gl.csv", work_dir=tmp_path / "w")
    with pytest.raises(FileRejected, match="empty"):
        finance.parse(path, ctx, "gl_actuals")


def test_header_only(tmp_path: Path) -> None:
    with pytest.raises(FileRejected, match="no data lines"):
        _parse(_write(tmp_path, "gl.csv", EN_HEADER + "\n"), tmp_path)


def test_wrong_delimiter_in_data_lines(tmp_path: Path) -> None:
    text = EN_HEADER.replace(",", ";") + "\n" + GOOD_EN_LINE + "\n"
    with pytest.raises(FileRejected, match="number of fields|not a readable CSV"):
        _parse(_write(tmp_path, "gl.csv", text), tmp_path)


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no_bom", "utf8_bom"])
def test_cp1252_german_export(bom: bytes, tmp_path: Path) -> None:
    text = (FIXTURES / "gl_actuals_1000_cji3_de.csv").read_text(encoding="utf-8")
    path = _write(tmp_path, "gl_de.csv", text, encoding="cp1252", bom=bom)
    result = _parse(path, tmp_path)
    assert (result.rows_read, result.rows_loaded) == (6, 6)
    assert _lines(result)[2]["description"] == "Rückbuchung 4900000101"


def test_header_text_never_reaches_sql(tmp_path: Path) -> None:
    header = "posting_date,company_code,document_number,project_code,amount,currency,"
    header += '"x\'); drop table t; --"'
    path = _write(tmp_path, "gl.csv", f"{header}\n2025-11-30,2000,1,PR-1,10.00,GBP,'quoted'\n")
    assert _lines(_parse(path, tmp_path))[0]["amount"] == Decimal("10.00")


def test_extra_profile_dir(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "oracle.yaml").write_text(
        "name: oracle_ap\nrequired: [posting_date, amount, currency, project_code]\nvariants:\n  us:\n"
        "    date_formats: ['%m/%d/%Y']\n    amount: {decimal: '.', thousands: ','}\n    headers:\n"
        "      posting_date: [GL Date]\n      amount: [Entered Amount]\n      currency: [Currency Code]\n"
        "      project_code: [Project Number]\n      vendor: [Supplier]\n",
        encoding="utf-8",
    )
    path = _write(
        tmp_path,
        "ap.csv",
        "GL Date,Entered Amount,Currency Code,Project Number,Supplier\n03/31/2025,(1.50),USD,PR-7,Acme\n",
    )
    settings = IngestSettings(extra_profiles_dir=str(profiles))
    line = _lines(_parse(path, tmp_path, settings, kind="gl_actuals"))[0]
    assert (line["mapping_profile"], line["amount"], line["posting_on"]) == (
        "oracle_ap",
        Decimal("-1.50"),
        dt.date(2025, 3, 31),
    )


def test_profile_with_several_date_formats(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    (profiles / "two.yaml").write_text(
        "name: two_dates\nrequired: [posting_date, amount, currency, project_code]\nvariants:\n  x:\n"
        "    date_formats: ['%d.%m.%Y', '%Y-%m-%d']\n    amount: {decimal: ',', thousands: null}\n"
        "    headers:\n      posting_date: [Datum]\n      amount: [Betrag]\n      currency: [Waehrung]\n"
        "      project_code: [Projekt]\n",
        encoding="utf-8",
    )
    text = "Datum;Betrag;Waehrung;Projekt\n31.03.2025;1234,5;EUR;P\n2025-03-30;7;EUR;P\n03/31/2025;1;EUR;P\n"
    result = _parse(
        _write(tmp_path, "x.csv", text),
        tmp_path,
        IngestSettings(extra_profiles_dir=str(profiles)),
        "gl_actuals",
    )
    assert [(r["posting_on"], r["amount"], r["fiscal_period"]) for r in _lines(result)] == [
        (dt.date(2025, 3, 31), Decimal("1234.50"), 3),
        (dt.date(2025, 3, 30), Decimal("7.00"), 3),
    ]
    assert [(r["ref"], r["column"], r["reason"]) for r in _rejects(result)] == [
        ("row 4", "Datum", "not a date in the profile format %d.%m.%Y or %Y-%m-%d (two_dates/x)")
    ]


def test_gl_xlsx(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(GENERIC_HEADER.split(","))
    ws.append(
        [
            "2025-03-03",
            "2025-03",
            "2000",
            "51",
            "1",
            "400000",
            "Ext",
            "UK1",
            "PR-1005.01",
            "(12.50)",
            "GBP",
            "",
            "opex",
            "V",
            "d",
        ]
    )
    wb.save(tmp_path / "gl.xlsx")
    lines = _lines(_parse(tmp_path / "gl.xlsx", tmp_path))
    assert (lines[0]["amount"], lines[0]["_source_ref"]) == (Decimal("-12.50"), "row 2")


def test_xlsx_zip_bomb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "budgets.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * 5_000_000)
    ctx = ParseContext(landing_dir=tmp_path, source_file=path.name, work_dir=tmp_path / "w")
    with pytest.raises(FileRejected, match="zip bomb"):
        finance.parse(path, ctx, "budgets")


# ---- budgets ----------------------------------------------------------------------------------------


def test_budgets(tmp_path: Path) -> None:
    result = _parse(FIXTURES / "budgets.csv", tmp_path)
    assert (result.file_kind, result.rows_read, result.rows_loaded) == ("budgets", 5, 5)
    rows = result.tables["budgets"].to_pylist()
    assert [(r["budget_month"], r["amount"], r["version"]) for r in rows] == [
        (dt.date(2025, 1, 1), Decimal("10000.00"), "original"),
        (dt.date(2025, 2, 1), Decimal("10000.00"), "original"),
        (dt.date(2025, 3, 1), Decimal("12000.00"), "revised"),
        (dt.date(2025, 3, 1), Decimal("7500.50"), "original"),
        (dt.date(2025, 4, 1), Decimal("5000.00"), "forecast"),
    ]
    assert rows[3]["currency"] == "GBP" and rows[3]["_source_ref"] == "row 5"


def test_budget_rejects(tmp_path: Path) -> None:
    text = (
        "project_code,fiscal_period,amount,currency,version\n"
        "PR-1,2025-13,1.00,EUR,original\n"
        "PR-1,2025-01,1.00,EUR,baseline\n"
        ",2025-01,abc,XXX,original\n"
        "PR-1,2025-01,1.00,EUR,original\n"
    )
    result = _parse(_write(tmp_path, "budgets.csv", text), tmp_path)
    _accounting(result)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (4, 1, 3)
    assert [(r.ref, r.column, r.value) for r in result.rejects] == [
        ("row 2", "fiscal_period", "2025-13"),
        ("row 3", "version", "baseline"),
        ("row 4", "project_code", ""),
        ("row 4", "amount", "abc"),
        ("row 4", "currency", "XXX"),
    ]
