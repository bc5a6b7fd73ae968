"""Amount, number, date and period parsing: one table of cases through Python and DuckDB SQL."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import duckdb
import pytest

from ingest.parsers.common import amounts
from ingest.parsers.common.amounts import AmountStyle, ValueProblem

EN = AmountStyle(".", ",")
DE = AmountStyle(",", ".")

# (text, style, expected Decimal or None for a reject)
AMOUNT_CASES = [
    ("1,234.56", EN, Decimal("1234.56")),
    ("1234.56", EN, Decimal("1234.56")),
    ("1.234,56", DE, Decimal("1234.56")),
    ("1234,5", DE, Decimal("1234.50")),
    ("(420.81)", EN, Decimal("-420.81")),
    ("( 420.81 )", EN, Decimal("-420.81")),
    ("($420.81)", EN, Decimal("-420.81")),
    ("-$53,277.15", EN, Decimal("-53277.15")),
    ("$53,277.15", EN, Decimal("53277.15")),
    ("£2,000.05", EN, Decimal("2000.05")),
    ("420.81-", EN, Decimal("-420.81")),
    ("99,90-", DE, Decimal("-99.90")),
    ("-420.81", EN, Decimal("-420.81")),
    ("+12", EN, Decimal("12.00")),
    ("  7.5 ", EN, Decimal("7.50")),
    ("1,234,567.00", EN, Decimal("1234567.00")),
    ("0.00", EN, Decimal("0.00")),
    # rejects
    ("1.005", EN, None),  # three decimals: never rounded
    ("1.234,567", DE, None),
    ("1,23.45", EN, None),  # thousands separator not grouping by three
    ("1.234,56", EN, None),  # German amount in an English profile
    ("1,234.56", DE, None),
    ("12x", EN, None),
    ("", EN, None),
    ("--5", EN, None),
    ("(420.81)-", EN, None),  # two signs
    ("-(420.81)", EN, None),
    ("N/A", EN, None),
    ("1e3", EN, None),
    ("12345678901234567.00", EN, None),  # over decimal(18,2)
]


@pytest.mark.parametrize(("text", "style", "expected"), AMOUNT_CASES)
def test_parse_amount_python(text: str, style: AmountStyle, expected: Decimal | None) -> None:
    if expected is None:
        with pytest.raises(ValueProblem):
            amounts.parse_amount(text, style)
    else:
        assert amounts.parse_amount(text, style) == expected


@pytest.mark.parametrize("style", [EN, DE], ids=["en", "de"])
def test_sql_amount_agrees_with_python(style: AmountStyle) -> None:
    cases = [(t, e) for t, s, e in AMOUNT_CASES if s == style]
    con = duckdb.connect()
    con.execute("create table t (i integer, x varchar)")
    con.executemany("insert into t values (?, ?)", [(i, t) for i, (t, _) in enumerate(cases)])
    got = dict(con.execute(f"select i, ({amounts.sql_amount('x', style)})::decimal(18,2) from t").fetchall())
    assert {i: got[i] for i in range(len(cases))} == {i: e for i, (_, e) in enumerate(cases)}


# Plain amounts (the fast path of sql_amount_parts) and their neighbours, beside AMOUNT_CASES.
PLAIN_EDGES = [
    "12",
    "12.5",
    "12,5",
    "0012.50",
    "12.",
    ".5",
    "12.345",
    "1 2",
    " 12 ",
    "\u00a012",
    "12\u00a0",
    "+12",
    "-12",
    "12-",
    "(12)",
    "$12",
    "1e3",
    "1_000",
    "99999999999999999",
    "9999999999999999.99",
    "",
    None,
]


@pytest.mark.parametrize("style", [EN, DE, AmountStyle(",", None)], ids=["en", "de", "de_no_thousands"])
def test_sql_amount_parts_agree_with_the_regular_expressions(style: AmountStyle) -> None:
    """The plain-amount fast path yields exactly what the regular expressions yield, for every text."""
    texts = [t for t, _, _ in AMOUNT_CASES] + PLAIN_EDGES
    con = duckdb.connect()
    con.execute("create table t (i integer, x varchar)")
    con.executemany("insert into t values (?, ?)", list(enumerate(texts)))
    trimmed = "coalesce(trim(x), '')"
    valid, magnitude, negative = amounts.sql_amount_parts(
        "x", trimmed, amounts.sql_amount_plain(trimmed, style), style
    )
    fast = con.execute(f"select i, {valid}, {magnitude}, {negative} from t order by i").fetchall()
    slow = con.execute(
        f"select i, {amounts.sql_amount_valid('x', style)}, {amounts.sql_amount_magnitude('x', style)}, "
        f"{amounts.sql_amount_negative('x')} from t order by i"
    ).fetchall()
    assert fast == slow
    plain = [t for t in texts if t is not None and re.fullmatch(style.plain_pattern, t.strip())]
    assert plain and all(re.fullmatch(style.pattern, t.strip()) for t in plain)  # a plain amount is valid


def test_reasons_say_what_is_wrong() -> None:
    with pytest.raises(ValueProblem, match="more than 2 decimals"):
        amounts.parse_amount("1.005", EN)
    with pytest.raises(ValueProblem, match="1.234,56"):
        amounts.parse_amount("abc", DE)
    with pytest.raises(ValueProblem, match="empty"):
        amounts.parse_amount("  ", EN)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2025-03", dt.date(2025, 3, 1)), ("2025/11", dt.date(2025, 11, 1)), ("03/2025", dt.date(2025, 3, 1))],
)
def test_parse_period(text: str, expected: dt.date) -> None:
    assert amounts.parse_period(text) == expected


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "2025-03-01", "March 2025", "25-03", ""])
def test_parse_period_rejects(text: str) -> None:
    with pytest.raises(ValueProblem):
        amounts.parse_period(text)


def test_dates_and_currencies() -> None:
    assert amounts.parse_iso_date("2026-02-28") == dt.date(2026, 2, 28)
    for bad in ("2026-02-30", "28.02.2026", "2026-2-28", "2026-02-28 10:00:00"):
        with pytest.raises(ValueProblem):
            amounts.parse_iso_date(bad)
    assert amounts.parse_date("06 February 2026", ("%d %B %Y",)) == dt.date(2026, 2, 6)
    assert amounts.parse_currency(" GBP ") == "GBP"
    assert amounts.currency_reason("XXX") is not None and "no currency" in amounts.currency_reason("XXX")
    for bad in ("eur", "EURO", "", "E1R"):
        assert amounts.currency_reason(bad) is not None


def test_parse_number() -> None:
    assert amounts.parse_number("1,020") == 1020.0
    assert amounts.parse_number("-0.35") == -0.35
    assert amounts.parse_number("1e-05") == 1e-05
    for bad in ("", "1,02", "abc", "1.2.3"):
        with pytest.raises(ValueProblem):
            amounts.parse_number(bad)
