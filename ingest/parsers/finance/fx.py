"""FX rates: the ECB reference-rate files as published, and a generic `date, from, to, rate` CSV.

Kinds
    fx_ecb_daily     eurofxref.csv: `Date, USD, JPY, ...` with ", " separators, `06 February 2026`,
                     a trailing empty column; one date line.
    fx_ecb_history   eurofxref-hist.csv: `Date,USD,...,` ISO dates newest first, `N/A` for currencies
                     not quoted that day (retired ones such as CYP), a trailing comma.
    fx_generic       `date, from_currency, to_currency, rate` (any column order, ISO dates).

ECB files become one fx_rates row per (date, currency) with from_currency EUR: 1 EUR = rate X.
An `N/A` or empty cell is an absent rate, not a reject: the ECB published none there. The primary
record (rows_read / rows_loaded) is the date line; a line with a bad date or a bad rate is
rejected whole, naming the column and the value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from ingest.parsers.common import amounts
from ingest.parsers.common.amounts import ValueProblem
from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult, Reject, rows_to_table
from ingest.parsers.common.tabular import convert_rows, read_csv_text

ECB_BASE = "EUR"
ECB_DAILY_DATE = "%d %B %Y"
ABSENT = {"", "N/A"}
GENERIC_FIELDS = ("date", "from_currency", "to_currency", "rate")


def _first_lines(head: str, n: int = 2) -> list[list[str]]:
    lines = head.splitlines()[:n]
    return [[c.strip() for c in row] for row in csv.reader(io.StringIO("\n".join(lines)))]


def sniff(path: Path, head: str) -> str | None:
    if path.suffix.lower() not in (".csv", ".txt") or not head.strip():
        return None
    rows = _first_lines(head)
    header = rows[0] if rows else []
    if {h.lower() for h in header} >= set(GENERIC_FIELDS):
        return "fx_generic"
    codes = [h for h in header[1:] if h]
    if header and header[0].lower() == "date" and codes and all(re.fullmatch("[A-Z]{3}", c) for c in codes):
        first = rows[1][0] if len(rows) > 1 and rows[1] else ""
        return "fx_ecb_history" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", first) else "fx_ecb_daily"
    return None


def parse(path: Path, ctx: ParseContext, kind: str) -> ParseResult:
    if kind in ("fx_ecb_daily", "fx_ecb_history"):
        return _parse_ecb(path, kind)
    if kind == "fx_generic":
        return _parse_generic(path)
    raise ValueError(f"ingest.parsers.finance.fx does not read kind {kind!r}")


def _parse_ecb(path: Path, kind: str) -> ParseResult:
    text = read_csv_text(path)
    header = text.header
    if not header or header[0].lower() != "date":
        raise FileRejected(
            f"{path.name}: an ECB rate file starts with a 'Date' column; found {header[:3]}",
            rows_read=text.rows_read,
        )
    bad = [h for h in header[1:] if h and not re.fullmatch("[A-Z]{3}", h)]
    if bad:
        raise FileRejected(
            f"{path.name}: column headers {bad} are not 3-letter currency codes", rows_read=text.rows_read
        )
    text.require_rows(path.name, "date lines")
    parse_date = _daily_date if kind == "fx_ecb_daily" else amounts.parse_iso_date
    columns = [text.table.column(i).to_pylist() for i in range(text.table.num_columns)]
    rows: list[dict] = []
    rejects: list[Reject] = list(text.bad_rows)
    seen: dict[dt.date, str] = {}
    loaded = 0
    for r in range(text.table.num_rows):
        ref = text.ref(r)
        raw_date = columns[0][r]
        line: list[dict] = []
        problems: list[Reject] = []
        try:
            rate_on = parse_date(raw_date)
        except ValueProblem as exc:
            problems.append(Reject(ref, header[0], raw_date, str(exc)))
            rate_on = None
        if rate_on is not None and rate_on in seen:
            problems.append(Reject(ref, header[0], raw_date, f"the date is already given in {seen[rate_on]}"))
        for c in range(1, len(header)):
            cell = (columns[c][r] or "").strip()
            if cell in ABSENT:
                continue
            if not header[c]:
                problems.append(Reject(ref, f"column {c + 1}", cell, "a value under a column with no header"))
                continue
            try:
                rate = _rate(cell)
            except ValueProblem as exc:
                problems.append(Reject(ref, header[c], cell, str(exc)))
                continue
            line.append(
                {"rate_on": rate_on, "from_currency": ECB_BASE, "to_currency": header[c], "rate": rate}
            )
        if problems:
            rejects.extend(problems)
            continue
        assert rate_on is not None
        seen[rate_on] = ref
        loaded += 1
        rows.extend({**x, "_source_ref": ref} for x in line)
    return ParseResult(
        tables={"fx_rates": rows_to_table("fx_rates", rows)},
        rejects=rejects,
        rows_read=text.rows_read,
        rows_loaded=loaded,
        file_kind=kind,
    )


def _daily_date(text: str | None) -> dt.date:
    return amounts.parse_date(text, (ECB_DAILY_DATE,))


def _rate(text: str | None) -> float:
    value = amounts.parse_number(text)
    if not value > 0:
        raise ValueProblem("an exchange rate must be greater than 0")
    return value


def _parse_generic(path: Path) -> ParseResult:
    text = read_csv_text(path)
    text.require_columns(path.name, GENERIC_FIELDS, "FX rate file")
    text.require_rows(path.name)
    fields = (
        ("date", "rate_on", amounts.parse_iso_date),
        ("from_currency", "from_currency", amounts.parse_currency),
        ("to_currency", "to_currency", amounts.parse_currency),
        ("rate", "rate", _rate),
    )
    return convert_rows(text, fields, "fx_rates", "fx_generic", _same_currency)


def _same_currency(
    ref: str, values: dict, shown: dict[str, str], cells: dict[str, str | None]
) -> list[Reject]:
    if values["from_currency"] == values["to_currency"]:
        return [Reject(ref, shown["to_currency"], cells["to_currency"], "from and to currency are the same")]
    return []
