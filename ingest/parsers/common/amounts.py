"""Numbers, money amounts, dates and periods as they arrive in finance and template exports.

One set of rules, two executions: Python functions for small files (budgets, templates, FX) and
DuckDB SQL expressions for GL files too large for Python loops. Both are built from the same
regular expressions (RE2 and Python `re` agree on this subset), so a value is read the same way
whichever path it takes; tests/unit/test_amounts.py runs one table of cases through both.

Amount styles (per mapping profile: decimal and thousands separators):
    1,234.56   1234.56   -1,234.56   +1,234.56   $1,234.56   -$53,277.15   (420.81)   ($420.81)
    420.81-  (SAP trailing minus)     and the same with `1.234,56` in a German-style profile.
At most 2 decimals (decimal(18,2)): `1.005` is rejected, never rounded. Thousands separators must
group by three (`1,23.45` is rejected). Anything else is rejected, never read as null or zero.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ingest.parsers.common.base import Reject
from ingest.sql import sql_literal

CURRENCY_SYMBOLS = "$€£"
MAX_INTEGER_DIGITS = 16  # decimal(18,2)


@dataclass(frozen=True)
class AmountStyle:
    decimal: str = "."
    thousands: str | None = ","

    def __post_init__(self) -> None:
        if len(self.decimal) != 1 or self.decimal.isdigit():
            raise ValueError(f"decimal separator must be one non-digit character, not {self.decimal!r}")
        if self.thousands is not None and (
            len(self.thousands) != 1 or self.thousands.isdigit() or self.thousands == self.decimal
        ):
            raise ValueError(f"thousands separator {self.thousands!r} is not usable with {self.decimal!r}")

    @property
    def example(self) -> str:
        t = self.thousands or ""
        return f"1{t}234{self.decimal}56"

    def describe(self) -> str:
        e = self.example
        return f"{e}, -{e}, ({e}), {e}-, -${e}"

    def _number(self, decimals: str) -> str:
        d = re.escape(self.decimal)
        if self.thousands:
            t = re.escape(self.thousands)
            integer = rf"(?:[0-9]{{1,3}}(?:{t}[0-9]{{3}})+|[0-9]+)"
        else:
            integer = r"[0-9]+"
        return rf"{integer}(?:{d}[0-9]{decimals})?"

    def _pattern(self, decimals: str) -> str:
        num = self._number(decimals)
        sym = f"[{CURRENCY_SYMBOLS}]?"
        return (
            rf"^(?:(?:[-+] *)?{sym} *{num}"  # -$53,277.15  1,234.56  +12
            rf"|\( *{sym} *{num} *\)"  # (420.81)
            rf"|{sym} *{num} *-)$"  # 420.81-
        )

    @property
    def pattern(self) -> str:
        """A valid amount: 0 to 2 decimals."""
        return self._pattern("{1,2}")

    @property
    def pattern_any_decimals(self) -> str:
        """The same shape with any number of decimals (to say "too many decimals")."""
        return self._pattern("+")

    @property
    def plain_pattern(self) -> str:
        """The common shape `1234.56` / `1234,5` / `12`: digits and at most 2 decimals, no sign,
        symbol or thousands separator. A subset of `pattern`: such an amount is valid, positive,
        and its magnitude is a plain cast (the fast path of sql_amount_parts)."""
        return rf"[0-9]+(?:{re.escape(self.decimal)}[0-9]{{1,2}})?"


GENERIC_STYLE = AmountStyle(".", ",")


TOO_MANY_DECIMALS = "the amount has more than 2 decimals (amounts are stored to the cent, never rounded)"


class ValueProblem(ValueError):
    """A cell that cannot be read; str(exc) is the reason for a person."""


def amount_reason(text: str, style: AmountStyle) -> str:
    """The reason an amount text is not valid in `style` (assumes it is not)."""
    t = text.strip()
    if t == "":
        return "the amount is empty"
    if re.fullmatch(style.pattern_any_decimals, t):
        return TOO_MANY_DECIMALS
    return f"not an amount in the style {style.describe()}"


def parse_amount(text: str | None, style: AmountStyle = GENERIC_STYLE) -> Decimal:
    """A signed Decimal with 2 places, or ValueProblem."""
    t = (text or "").strip()
    if not re.fullmatch(style.pattern, t):
        raise ValueProblem(amount_reason(t, style))
    negative = t.startswith(("-", "(")) or t.endswith("-")
    digits = re.sub(rf"[^0-9{re.escape(style.decimal)}]", "", t).replace(style.decimal, ".")
    if len(digits.split(".")[0].lstrip("0")) > MAX_INTEGER_DIGITS:
        raise ValueProblem(f"the amount is too large (over {MAX_INTEGER_DIGITS} digits before the decimal)")
    value = Decimal(digits).quantize(Decimal("0.01"))
    return -value if negative else value


def sql_amount_magnitude(expr: str, style: AmountStyle) -> str:
    """SQL: the unsigned decimal(18,2) of a valid amount `expr` (null when out of range)."""
    d = sql_literal(style.decimal)
    keep = sql_literal(f"[^0-9{re.escape(style.decimal)}]")
    return f"try_cast(replace(regexp_replace(trim({expr}), {keep}, '', 'g'), {d}, '.') as decimal(18,2))"


def sql_amount_valid(expr: str, style: AmountStyle) -> str:
    return f"regexp_full_match(trim({expr}), {sql_literal(style.pattern)})"


def sql_amount_too_many_decimals(expr: str, style: AmountStyle) -> str:
    return f"regexp_full_match(trim({expr}), {sql_literal(style.pattern_any_decimals)})"


def sql_amount_negative(expr: str) -> str:
    t = f"trim({expr})"
    return f"(starts_with({t}, '-') or starts_with({t}, '(') or ends_with({t}, '-'))"


def sql_amount_plain(expr: str, style: AmountStyle) -> str:
    """SQL: is the (trimmed) `expr` a plain amount (AmountStyle.plain_pattern)? Null for null."""
    return f"regexp_full_match({expr}, {sql_literal(style.plain_pattern)})"


def sql_amount_parts(expr: str, trimmed: str, plain: str, style: AmountStyle) -> tuple[str, str, str]:
    """SQL (valid, magnitude, negative) of amount `expr`: the values of sql_amount_valid,
    sql_amount_magnitude and sql_amount_negative for every input (null included), but without
    their regular expressions where `plain` is true. `plain` is sql_amount_plain of `trimmed`, the
    trimmed text of `expr` (typically both columns computed once): a plain amount is valid, not
    negative, and its magnitude is the cast of the text with the decimal separator made a point.
    """
    text = trimmed if style.decimal == "." else f"replace({trimmed}, {sql_literal(style.decimal)}, '.')"
    return (
        f"(case when {plain} then true else {sql_amount_valid(expr, style)} end)",
        f"(case when {plain} then try_cast({text} as decimal(18,2)) "
        f"else {sql_amount_magnitude(expr, style)} end)",
        f"(case when {plain} then false else {sql_amount_negative(expr)} end)",
    )


def sql_amount(expr: str, style: AmountStyle) -> str:
    """SQL: the signed decimal(18,2) of `expr`, null when it is not a valid amount."""
    mag = sql_amount_magnitude(expr, style)
    return (
        f"case when not {sql_amount_valid(expr, style)} then null "
        f"when {sql_amount_negative(expr)} then -{mag} else {mag} end"
    )


# ---- numbers (templates, FX rates) -------------------------------------------------------------

NUMBER_PATTERN = r"^[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$"


def parse_number(text: str | None) -> float:
    """A plain number: `12`, `-0.35`, `1,234.5`, `1e-05` (as XLSX floats print); else ValueProblem."""
    t = (text or "").strip()
    if t == "":
        raise ValueProblem("the number is empty")
    if not re.fullmatch(NUMBER_PATTERN, t):
        raise ValueProblem("not a number (write it like 1234.5 or -0.35)")
    return finite(float(t.replace(",", "")))


def finite(value: float) -> float:
    """`value`, or ValueProblem when it is infinite or NaN (1e309, a 400-digit number, NaN, Infinity):
    such a value would travel through every sum and ratio downstream."""
    if not math.isfinite(value):
        raise ValueProblem("the number is out of range (infinite or not a number once read as a double)")
    return value


INT64_MAX = 2**63 - 1


def int64(value: int) -> int:
    """`value`, or ValueProblem when it does not fit a 64-bit integer column."""
    if not -INT64_MAX - 1 <= value <= INT64_MAX:
        raise ValueProblem(f"the whole number has {len(str(abs(value)))} digits, beyond a 64-bit integer")
    return value


# ---- dates and periods --------------------------------------------------------------------------

ISO_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def parse_iso_date(text: str | None) -> dt.date:
    t = (text or "").strip()
    if not re.fullmatch(ISO_DATE_PATTERN, t):
        raise ValueProblem("not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(t)
    except ValueError as exc:
        raise ValueProblem(f"not a calendar date ({exc})") from exc


def parse_date(text: str | None, formats: tuple[str, ...] | list[str]) -> dt.date:
    """A date in one of the strftime `formats`; else ValueProblem naming them."""
    t = (text or "").strip()
    for fmt in formats:
        try:
            return dt.datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    raise ValueProblem(f"matches none of the date formats {', '.join(formats)}")


PERIOD_PATTERNS = (
    (r"^([0-9]{4})-([0-9]{1,2})$", "YYYY-MM"),
    (r"^([0-9]{4})/([0-9]{1,2})$", "YYYY/MM"),
    (r"^([0-9]{1,2})/([0-9]{4})$", "MM/YYYY"),
)


def parse_period(text: str | None) -> dt.date:
    """A month `YYYY-MM` (also `YYYY/MM`, `MM/YYYY`: a 4-digit year leaves no doubt) -> its first day."""
    t = (text or "").strip()
    for pattern, label in PERIOD_PATTERNS:
        m = re.fullmatch(pattern, t)
        if m:
            year, month = (m.group(1), m.group(2)) if label != "MM/YYYY" else (m.group(2), m.group(1))
            if not 1 <= int(month) <= 12:
                raise ValueProblem(f"month {int(month)} is not 1..12")
            return dt.date(int(year), int(month), 1)
    raise ValueProblem("not a month in the form YYYY-MM")


# ---- currencies ---------------------------------------------------------------------------------

CURRENCY_PATTERN = r"^[A-Z]{3}$"


def currency_reason(text: str | None) -> str | None:
    """None for a usable ISO 4217 code, else the reason."""
    t = (text or "").strip()
    if t == "":
        return "the currency is empty"
    if not re.fullmatch(CURRENCY_PATTERN, t):
        return "not a 3-letter ISO 4217 currency code in capitals (EUR, GBP, ...)"
    if t == "XXX":
        return "XXX means 'no currency' in ISO 4217; an amount needs a real currency"
    return None


def parse_currency(text: str | None) -> str:
    reason = currency_reason(text)
    if reason:
        raise ValueProblem(reason)
    return (text or "").strip()


# Yes/no cells as tools and people write them (any case): MS Project's Yes/No, true/false, y/n, 1/0.
FLAG_WORDS = {
    "true": True,
    "yes": True,
    "y": True,
    "1": True,
    "false": False,
    "no": False,
    "n": False,
    "0": False,
}


def parse_flag(text: str | None) -> bool | None:
    """True or False from a yes/no cell; None for an empty cell; ValueProblem for anything else."""
    t = (text or "").strip().lower()
    if t == "":
        return None
    if t not in FLAG_WORDS:
        raise ValueProblem("must be true or false (or yes / no)")
    return FLAG_WORDS[t]


# ---- one row of cells -> typed values or rejects ---------------------------------------------------


def convert_cells(
    ref: str, specs: list[tuple[str, str, str | None, Callable[[str | None], Any]]]
) -> tuple[dict[str, Any], list[Reject]]:
    """Apply (target, column shown in rejects, cell text, converter) to one row.

    Returns the typed values and one Reject per cell whose converter raised ValueProblem.
    """
    values: dict[str, Any] = {}
    problems: list[Reject] = []
    for target, column, text, convert in specs:
        try:
            values[target] = convert(text)
        except ValueProblem as exc:
            problems.append(Reject(ref=ref, column=column, value=text, reason=str(exc)))
    return values, problems


def required_text(text: str | None) -> str:
    t = (text or "").strip()
    if not t:
        raise ValueProblem("the value is required but empty")
    return t


def optional_text(text: str | None) -> str | None:
    t = (text or "").strip()
    return t or None
