"""FX rates: the real ECB samples, the generic layout, and broken rate files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from support import paths
from support.paths import TEST_FIXTURES

from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult
from ingest.parsers.finance import fx
from ingest.parsers.finance import gl_budgets as finance
from ingest.parsers.formats import read_head

SAMPLES = paths.SAMPLES / "fx"
FIXTURES = TEST_FIXTURES / "finance"
DAILY = SAMPLES / "ecb_eurofxref_daily.csv"
HISTORY = SAMPLES / "ecb_eurofxref_hist_first40lines.csv"


def _parse(path: Path, tmp_path: Path) -> ParseResult:
    kind = fx.sniff(path, read_head(path))
    assert kind is not None
    return fx.parse(path, ParseContext(path.parent, path.name, tmp_path / "w"), kind)


def _write(tmp_path: Path, text: str, name: str = "rates.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rate(rows: list[dict], on: dt.date, to: str) -> float:
    (rate,) = [r["rate"] for r in rows if r["rate_on"] == on and r["to_currency"] == to]
    return rate


def test_sniff_tells_the_finance_files_apart() -> None:
    assert fx.sniff(DAILY, read_head(DAILY)) == "fx_ecb_daily"
    assert fx.sniff(HISTORY, read_head(HISTORY)) == "fx_ecb_history"
    assert fx.sniff(FIXTURES / "fx_generic.csv", read_head(FIXTURES / "fx_generic.csv")) == "fx_generic"
    for path in (DAILY, HISTORY, FIXTURES / "fx_generic.csv"):  # finance is asked first
        assert finance.sniff(path, read_head(path)) is None
    for name in ("gl_actuals_1000_cji3.csv", "budgets.csv"):
        assert fx.sniff(FIXTURES / name, read_head(FIXTURES / name)) is None


def test_ecb_daily_sample(tmp_path: Path) -> None:
    result = _parse(DAILY, tmp_path)
    rows = result.tables["fx_rates"].to_pylist()
    assert (result.rows_read, result.rows_loaded, result.rows_rejected, len(rows)) == (1, 1, 0, 29)
    assert {r["rate_on"] for r in rows} == {dt.date(2026, 2, 6)}
    assert {r["from_currency"] for r in rows} == {"EUR"}
    assert rows[0] == {
        "rate_on": dt.date(2026, 2, 6),
        "from_currency": "EUR",
        "to_currency": "USD",
        "rate": 1.1794,
        "_source_ref": "row 2",
    }
    assert _rate(rows, dt.date(2026, 2, 6), "GBP") == 0.8679
    assert _rate(rows, dt.date(2026, 2, 6), "IDR") == 19900.0
    assert rows[-1]["to_currency"] == "ZAR"


def test_ecb_history_sample(tmp_path: Path) -> None:
    result = _parse(HISTORY, tmp_path)
    rows = result.tables["fx_rates"].to_pylist()
    # 39 date lines x 41 currency columns = 1599 cells, of which 455 are N/A (counted with cut/grep)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (39, 39, 0)
    assert len(rows) == 1144
    assert result.rejects == []
    assert _rate(rows, dt.date(2026, 1, 16), "GBP") == 0.867  # line `2026-01-16,...` column GBP
    assert _rate(rows, dt.date(2025, 12, 11), "BGN") == 1.9558  # BGN still quoted in 2025
    assert not [r for r in rows if r["to_currency"] in ("CYP", "EEK", "LTL")]  # retired: N/A only
    assert max(r["rate_on"] for r in rows) == dt.date(2026, 2, 6)
    assert min(r["rate_on"] for r in rows) == dt.date(2025, 12, 11)


def test_generic_rates(tmp_path: Path) -> None:
    result = _parse(FIXTURES / "fx_generic.csv", tmp_path)
    rows = result.tables["fx_rates"].to_pylist()
    assert (result.rows_read, result.rows_loaded) == (3, 3)
    assert rows[1] == {
        "rate_on": dt.date(2025, 4, 30),
        "from_currency": "GBP",
        "to_currency": "EUR",
        "rate": 1.1752,
        "_source_ref": "row 3",
    }


def test_ecb_bad_lines_are_rejected_whole(tmp_path: Path) -> None:
    text = (
        "Date,USD,GBP,\n"
        "2026-02-06,1.1794,0.8679,\n"
        "2026-02-05,abc,0.8691,\n"  # bad rate
        "2026-02-30,1.1,0.8,\n"  # no such date
        "2026-02-04,1.182,N/A,\n"  # N/A is an absent rate, not a reject
        "2026-02-06,1.2,0.9,\n"  # the same date twice
        "2026-02-03,-1.1,0.8,\n"  # a rate must be positive
    )
    result = _parse(_write(tmp_path, text), tmp_path)
    assert result.file_kind == "fx_ecb_history"
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (6, 2, 4)
    assert [(r.ref, r.column, r.value) for r in result.rejects] == [
        ("row 3", "USD", "abc"),
        ("row 4", "Date", "2026-02-30"),
        ("row 6", "Date", "2026-02-06"),
        ("row 7", "USD", "-1.1"),
    ]
    assert "row 2" in result.rejects[2].reason
    assert len(result.tables["fx_rates"]) == 3  # 2 rates of row 2 + USD of row 5


def test_generic_rejects(tmp_path: Path) -> None:
    text = (
        "rate,date,from_currency,to_currency\n"
        "1.1,2025-03-31,GBP,GBP\n0,2025-03-31,GBP,EUR\n1.2,31.03.2025,GBP,XXX\n"
    )
    result = _parse(_write(tmp_path, text), tmp_path)
    assert (result.rows_read, result.rows_loaded, result.rows_rejected) == (3, 0, 3)
    assert [(r.ref, r.column) for r in result.rejects] == [
        ("row 2", "to_currency"),
        ("row 3", "rate"),
        ("row 4", "date"),
        ("row 4", "to_currency"),
    ]


def test_ecb_header_only_and_bad_currency_header(tmp_path: Path) -> None:
    with pytest.raises(FileRejected, match="no date lines"):
        _parse(_write(tmp_path, "Date, USD, JPY, \n"), tmp_path)
    path = _write(tmp_path, "Date,USD,Dollar\n2026-02-06,1.1,1.2\n", "b.csv")
    with pytest.raises(FileRejected, match="Dollar"):
        fx.parse(path, ParseContext(tmp_path, "b.csv", tmp_path / "w"), "fx_ecb_history")
