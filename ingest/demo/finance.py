"""Demo finance exports: GL actual line items (SAP CJI3 and generic), budgets and the ECB FX history."""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import functools
import itertools
import math
import operator
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TextIO

from ingest.demo.org import (
    HISTORY_START,
    REBASELINED_PROJECT,
    ROLES,
    TODAY,
    Project,
    Scale,
    csv_cell,
    money,
    month_end,
    months_between,
    workday_at,
    workdays_until,
)
from ingest.parsers.finance.gl_budgets import GL_FIELDS

CJI3_HEADER = [
    "Company Code",
    "Fiscal Year",
    "Period",
    "Posting Date",
    "Document Number",
    "Posting Row",
    "Cost Element",
    "Cost Element Name",
    "Cost Center",
    "WBS Element",
    "Value TranCurr",
    "Transaction Currency",
    "Debit/Credit ind",
    "Name of Offsetting Account",
    "Document Header Text",
]
# The generic profile's headers are the canonical field names; the demo leaves out fiscal_year.
GENERIC_HEADER = [name for name in GL_FIELDS if name != "fiscal_year"]
GL_FILES = {"1000": "finance/gl_actuals_1000_cji3.csv", "2000": "finance/gl_actuals_2000_generic.csv"}
COMPANY_CURRENCY = {"1000": "EUR", "2000": "GBP"}
COST_CENTERS = {"1000": "410100", "2000": "510100"}
ACCOUNTS = [  # account, name, expense type, vendors
    ("400100", "External services IT consultancy", "capex", ["Northwind Consulting", "Fabrikam Digital"]),
    ("400200", "Software licences and subscriptions", "opex", ["Contoso Software", "Litware Cloud"]),
    ("400300", "IT hardware", "capex", ["Tailspin Hardware"]),
    ("410000", "Internal labour recharge", "capex", ["Internal recharge"]),
    ("420000", "Travel and subsistence", "opex", ["Wingtip Travel"]),
    ("430000", "Training and workshops", "opex", ["Adventure Works Training"]),
]
ACCOUNT_WEIGHTS = [40, 12, 5, 35, 3, 5]
ACCOUNT_INDEXES, ACCOUNT_CUM = range(len(ACCOUNTS)), list(itertools.accumulate(ACCOUNT_WEIGHTS))  # same draws
# Deliberate anomalies: duplicate postings reversed the next month, unknown project codes, overhead.
REVERSED_MONTHS = {"1000": ["2025-03", "2025-09", "2026-02"], "2000": ["2025-06", "2026-05"]}
UNKNOWN_CODE_LINES = {
    "1000": [("2025-05", "PR-9999.01"), ("2026-02", "PR-9999.01")],
    "2000": [("2025-08", "PR-2999.01"), ("2026-07", "PR-2998.01")],
}
OVERHEAD_MONTHS = {"1000": ["2025-01", "2025-07", "2026-01"], "2000": ["2025-04", "2026-03"]}
ECB_HEADER = [
    "USD",
    "JPY",
    "BGN",
    "CYP",
    "CZK",
    "DKK",
    "EEK",
    "GBP",
    "HUF",
    "LTL",
    "LVL",
    "MTL",
    "PLN",
    "ROL",
    "RON",
    "SEK",
    "SIT",
    "SKK",
    "CHF",
    "ISK",
    "NOK",
    "HRK",
    "RUB",
    "TRL",
    "TRY",
    "AUD",
    "BRL",
    "CAD",
    "CNY",
    "HKD",
    "IDR",
    "ILS",
    "INR",
    "KRW",
    "MXN",
    "MYR",
    "NZD",
    "PHP",
    "SGD",
    "THB",
    "ZAR",
]
ECB_BASE = {  # base rate, decimals as the ECB publishes them
    "USD": ("1.08", 4),
    "JPY": ("162.5", 2),
    "CZK": ("25.1", 3),
    "DKK": ("7.4600", 4),
    "GBP": ("0.8450", 4),
    "HUF": ("395.0", 2),
    "PLN": ("4.28", 4),
    "RON": ("4.97", 4),
    "SEK": ("11.30", 4),
    "CHF": ("0.94", 4),
    "ISK": ("148.0", 1),
    "NOK": ("11.60", 4),
    "TRY": ("38.0", 4),
    "AUD": ("1.65", 4),
    "BRL": ("6.10", 4),
    "CAD": ("1.50", 4),
    "CNY": ("7.80", 4),
    "HKD": ("8.45", 4),
    "IDR": ("17300", 2),
    "ILS": ("4.05", 4),
    "INR": ("91.0", 4),
    "KRW": ("1490", 2),
    "MXN": ("20.5", 4),
    "MYR": ("4.85", 4),
    "NZD": ("1.82", 4),
    "PHP": ("62.5", 3),
    "SGD": ("1.45", 4),
    "THB": ("37.5", 3),
    "ZAR": ("19.8", 4),
}
RETIRED = {"CYP", "EEK", "LTL", "LVL", "MTL", "ROL", "SIT", "SKK", "TRL", "HRK", "RUB"}
BGN_RETIRED_FROM = dt.date(2026, 1, 1)  # Bulgaria joined the euro
FX_FIRST_DAY = dt.date(2024, 10, 1)
FX_LAST_DAY = dt.date(2026, 10, 30)


@dataclass(slots=True)
class GlLine:
    project_code: str
    account: int  # index into ACCOUNTS
    cents: int  # signed amount in cents
    vendor: str
    description: str


@dataclass(slots=True)
class GlDocument:
    posting_on: dt.date  # every line of a document is posted on its date
    seq: int
    lines: list[GlLine]
    number: str = ""


@dataclass
class GlFileStats:
    path: str
    currency: str
    lines: int = 0
    total: Decimal = Decimal("0.00")
    project_codes: set[str] = field(default_factory=set)


# ---- planned and actual spend ------------------------------------------------------------------


def planned_cents(project: Project, day: dt.date, original: bool = False) -> float:
    """Baseline cost planned up to the end of `day` (Baseline 1 of the re-baselined project if original)."""
    done = workdays_until(project.start, day)
    total = 0.0
    for t in project.leaves:
        if t.role is None:
            continue
        rate = ROLES[t.role][1]
        if original and t.original_start_idx is not None:
            start, finish, cost = t.original_start_idx, t.original_finish_idx, t.original_cost_cents(rate)
        else:
            start, finish, cost = t.start_idx, t.finish_idx, t.cost_cents(rate)
        total += cost * min(1.0, max(0.0, (done - start) / (finish - start + 1)))
    return total


def monthly_actuals(rng: random.Random, project: Project) -> list[tuple[dt.date, Decimal]]:
    """(month, actual cost) from the earned value curve divided by the project's CPI, with noise."""
    out = []
    last = min(TODAY, project.closed_on or TODAY)
    previous = 0.0
    for month in months_between(max(project.start, HISTORY_START), last):
        earned = project.earned_cents(min(month_end(month), TODAY))
        delta = (earned - previous) / 100 / project.cpi
        previous = earned
        if delta <= 0:
            continue
        spend = money(delta * rng.uniform(0.9, 1.1))
        labour = project.labour_cents.get(month, 0)
        out.append((month, spend - money(Decimal(labour) / 100) if labour else spend))
    return out


# The GL amounts are integer cents: the same figures `money()` gives with Decimals, at a fraction of
# the cost (the GL is ~10M lines at scale L). The random draws are exactly those of the Decimal code
# this replaced, so every scale writes the same bytes as before.


def cents(amount: Decimal) -> int:
    """A money() amount (2 decimals) in cents."""
    return int(amount.scaleb(2))


def _cents_times(total: int, fraction: float) -> int:
    """money(total * Decimal(str(fraction))) for `total` in cents (0 <= fraction <= 1), rounded half up.

    The float product is within 1e-5 cent of the decimal one (for totals under 1e11 cents), so it
    rounds the same unless it is that close to half a cent: those few go through exact decimals."""
    product = total * fraction
    whole = math.floor(product)
    rest = product - whole
    if 0 < total < 10**11 and abs(rest - 0.5) > 1e-4:
        return whole + (rest > 0.5)
    return _exact_cents_times(total, fraction)


def _exact_cents_times(total: int, fraction: float) -> int:
    """_cents_times in integer arithmetic on the decimal digits of str(fraction), as Decimal does it."""
    text = repr(fraction)  # str() of a float, which is what the Decimal was made of
    if not text.startswith("0.") or "e" in text:  # not seen for the shares of a split; let Decimal do it
        return int((total * Decimal(text)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    unit = POWERS_OF_TEN[len(text) - 2]
    product = total * int(text[2:])
    rounded = (2 * abs(product) + unit) // (2 * unit)
    return rounded if product >= 0 else -rounded


POWERS_OF_TEN = [10**n for n in range(32)]
WEIGHT_LOW, WEIGHT_SPAN = 0.3, 1.0 - 0.3  # rng.uniform(0.3, 1.0), computed as random.uniform does


def _split(rng: random.Random, total: int, parts: int) -> list[int]:
    """`total` cents in up to `parts` random shares; zero shares dropped."""
    draw = rng.random
    if parts == 1 or total < 1000 * parts:  # one part (always when under 10.00 per part)
        draw()  # its weight: drawn as ever, not needed
        return [total] if total != 0 else []
    weights = [WEIGHT_LOW + WEIGHT_SPAN * draw() for _ in range(parts)]
    scale = sum(weights)
    amounts = [_cents_times(total, w / scale) for w in weights[:-1]]
    amounts.append(total - sum(amounts))
    return [a for a in amounts if a != 0]


ACCOUNT_TOTAL, ACCOUNT_LAST = ACCOUNT_CUM[-1] + 0.0, len(ACCOUNT_CUM) - 1


def _account(draw) -> int:
    """rng.choices(ACCOUNT_INDEXES, cum_weights=ACCOUNT_CUM)[0], without its per-call set-up: same draw."""
    return bisect.bisect_right(ACCOUNT_CUM, draw() * ACCOUNT_TOTAL, 0, ACCOUNT_LAST)


@functools.lru_cache(maxsize=256)
def _posting_days(month: dt.date) -> tuple[dt.date, ...]:
    """The month's working days (none after TODAY: those become TODAY)."""
    last = workdays_until(month, month_end(month))
    return tuple(min(workday_at(month, i), TODAY) for i in range(last))


def _posting_day(rng: random.Random, month: dt.date) -> dt.date:
    return rng.choice(_posting_days(month))  # one rng.randrange(working days), as before


LINES_PER_DOCUMENT = (1, 1, 2, 3)
VENDORS = [vendors for _, _, _, vendors in ACCOUNTS]


def _documents_for_month(
    rng: random.Random, month: dt.date, spend: list[tuple[Project, Decimal]], scale: Scale, seq_start: int
) -> list[GlDocument]:
    docs: list[GlDocument] = []
    seq = seq_start
    label = f"{month:%b %Y}"
    days = _posting_days(month)
    draw, choice = rng.random, rng.choice
    for project, amount in spend:
        description = f"{project.name} {label}"
        for code, share in zip(project.finance_codes, project.code_split, strict=True):
            n_docs = max(1, scale.gl_documents_per_project_month + rng.randint(-2, 2))
            for doc_amount in _split(rng, cents(money(amount * share)), n_docs):
                lines = []
                for line_amount in _split(rng, doc_amount, choice(LINES_PER_DOCUMENT)):
                    account = _account(draw)
                    lines.append(GlLine(code, account, line_amount, choice(VENDORS[account]), description))
                docs.append(GlDocument(choice(days), seq, lines))
                seq += 1
    return docs


POSTING_ORDER = operator.attrgetter("posting_on", "seq")


def _number(company: str, n: int) -> str:
    return f"49{n:08d}" if company == "1000" else f"JE{n:07d}"


def build_gl_months(rng: random.Random, projects: list[Project], scale: Scale):
    """Yield (company, month, documents) in posting order, numbers assigned; streaming by month."""
    actuals = {p.pid: dict(monthly_actuals(rng, p)) for p in projects}
    counters = {"1000": 0, "2000": 0}
    pending_reversal: dict[str, GlDocument | None] = {"1000": None, "2000": None}
    for month in months_between(HISTORY_START, TODAY):
        ym = f"{month:%Y-%m}"
        for company in ("1000", "2000"):
            members = [p for p in projects if p.company_code == company]
            spend = [(p, actuals[p.pid][month]) for p in members if month in actuals[p.pid]]
            docs = _documents_for_month(rng, month, spend, scale, seq_start=0)
            if ym in REVERSED_MONTHS[company] and members:
                project = next((p for p, _ in spend), members[0])
                amount = cents(money(rng.uniform(2000, 15000)))
                line = GlLine(
                    project.finance_codes[0],
                    0,
                    amount,
                    ACCOUNTS[0][3][0],
                    f"{project.name} {month:%b %Y} duplicate invoice",
                )
                dup = GlDocument(_posting_day(rng, month), len(docs), [line])
                docs.append(dup)
            for code_month, code in UNKNOWN_CODE_LINES[company]:
                if code_month == ym:
                    day = _posting_day(rng, month)
                    amount = cents(money(rng.uniform(500, 9000)))
                    description = "Consultancy - project code to be confirmed"
                    line = GlLine(code, 0, amount, ACCOUNTS[0][3][1], description)
                    docs.append(GlDocument(day, len(docs), [line]))
            if ym in OVERHEAD_MONTHS[company]:
                day = _posting_day(rng, month)
                amount = cents(money(rng.uniform(1000, 6000)))
                line = GlLine("", 1, amount, ACCOUNTS[1][3][0], "Portfolio office tooling subscription")
                docs.append(GlDocument(day, len(docs), [line]))
            previous = pending_reversal[company]
            if previous is not None:
                lines = [
                    GlLine(
                        ln.project_code, ln.account, -ln.cents, ln.vendor, f"Reversal of {previous.number}"
                    )
                    for ln in previous.lines
                ]
                docs.append(GlDocument(workday_at(month, 2), len(docs), lines))
                pending_reversal[company] = None
            docs.sort(key=POSTING_ORDER)
            for doc in docs:
                counters[company] += 1
                doc.number = _number(company, counters[company])
            if ym in REVERSED_MONTHS[company] and members:
                pending_reversal[company] = dup
            yield company, month, docs


@functools.lru_cache(maxsize=1 << 16)  # a month's (code, vendor, description) at scale L: ~20k
def _text_cells(project_code: str, vendor: str, description: str) -> tuple[str, str]:
    """(project code cell, vendor and description cells): one line's free text, CSV-quoted."""
    return csv_cell(project_code), f"{csv_cell(vendor)},{csv_cell(description)}"


def _amount_text(amount: int) -> str:
    """Cents as Decimal f"{amount:.2f}" writes them: 1234.50, -0.05."""
    sign = "-" if amount < 0 else ""
    whole, rest = divmod(abs(amount), 100)
    return f"{sign}{whole}.{rest:02d}"


def _cji3_amount(amount: int) -> tuple[str, str]:
    """(value, debit/credit flag): the value as f"{abs(amount):,.2f}" in a CSV cell (quoted when it
    has a thousands separator)."""
    whole, rest = divmod(abs(amount), 100)
    value = f"{whole:,}.{rest:02d}"
    return (f'"{value}"' if whole >= 1000 else value), ("S" if amount >= 0 else "H")


def _generic_amount(rng: random.Random, amount: int) -> str:
    if amount >= 0:
        return _amount_text(amount)
    return f"({_amount_text(-amount)})" if rng.random() < 0.5 else _amount_text(amount)


def _open_gl_file(target: Path, company: str) -> TextIO:
    target.parent.mkdir(parents=True, exist_ok=True)
    fh = target.open("w", encoding="utf-8", newline="")
    fh.write(",".join(csv_cell(h) for h in (CJI3_HEADER if company == "1000" else GENERIC_HEADER)) + "\r\n")
    return fh


def write_gl(landing: Path, rng: random.Random, projects: list[Project], scale: Scale) -> list[GlFileStats]:
    stats = {c: GlFileStats(path, COMPANY_CURRENCY[c]) for c, path in GL_FILES.items()}
    handles: dict[str, TextIO] = {}
    try:
        for company, path in GL_FILES.items():
            handles[company] = _open_gl_file(landing / path, company)
        for company, _month, docs in build_gl_months(rng, projects, scale):
            _write_documents(handles[company], rng, company, docs, stats[company])
    finally:
        for fh in handles.values():
            fh.close()
    return [stats[c] for c in GL_FILES]


@functools.lru_cache(maxsize=4096)
def _date_cells(company: str, day: dt.date) -> str:
    """The cells before the document number: formatted once per company and posting day."""
    if company == "1000":
        return f"{company},{day.year},{day.month},{day:%d.%m.%Y}"
    return f"{day:%Y-%m-%d},{day:%Y-%m},{company}"


def _account_cells(company: str) -> list[str]:
    """Per account: the cells from the account to the cost center (the generic layout's expense type
    comes later in its row)."""
    return [f"{a},{csv_cell(name)},{COST_CENTERS[company]}" for a, name, _, _ in ACCOUNTS]


WRITE_EVERY = 8192  # lines per write() call


def _write_documents(
    fh: TextIO, rng: random.Random, company: str, docs: list[GlDocument], st: GlFileStats
) -> None:
    """The documents' lines in the company's layout (CJI3 for 1000, the generic one for 2000)."""
    currency = COMPANY_CURRENCY[company]
    accounts = _account_cells(company)
    expense_types = [csv_cell(expense_type) for _, _, expense_type, _ in ACCOUNTS]
    cji3 = company == "1000"
    rows: list[str] = []
    total = lines = 0
    for doc in docs:
        head = f"{_date_cells(company, doc.posting_on)},{doc.number}"
        for row_no, line in enumerate(doc.lines, start=1):
            code, text = _text_cells(line.project_code, line.vendor, line.description)
            account = accounts[line.account]
            if cji3:
                value, flag = _cji3_amount(line.cents)
                rows.append(f"{head},{row_no},{account},{code},{value},{currency},{flag},{text}\r\n")
            else:
                value = _generic_amount(rng, line.cents)
                expense_type = expense_types[line.account]
                rows.append(f"{head},{row_no},{account},{code},{value},{currency},,{expense_type},{text}\r\n")
            total += line.cents
            if line.project_code:
                st.project_codes.add(line.project_code)
        if len(rows) >= WRITE_EVERY:
            lines += len(rows)
            fh.write("".join(rows))
            rows.clear()
    lines += len(rows)
    fh.write("".join(rows))
    st.lines += lines
    st.total += Decimal(total).scaleb(-2)


def write_gl_batch(
    landing: Path,
    relative: str,
    rng: random.Random,
    company: str,
    month: dt.date,
    spend: list[tuple[Project, Decimal]],
    scale: Scale,
    first_number: int,
) -> GlFileStats:
    """A supplementary GL extract (one company, one month) with document numbers from `first_number`,
    in the company's layout: what a late posting run adds to the landing folder."""
    st = GlFileStats(relative, COMPANY_CURRENCY[company])
    docs = _documents_for_month(rng, month, spend, scale, seq_start=0)
    docs.sort(key=POSTING_ORDER)
    for n, doc in enumerate(docs, start=first_number):
        doc.number = _number(company, n)
    with _open_gl_file(landing / relative, company) as fh:
        _write_documents(fh, rng, company, docs, st)
    return st


# ---- budgets -------------------------------------------------------------------------------------


def write_budgets(landing: Path, projects: list[Project]) -> int:
    target = landing / "finance" / "budgets.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    rows = 0
    with target.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        writer.writerow(["project_code", "fiscal_period", "amount", "currency", "version"])
        for project in projects:
            versions = [("original", True)]
            if project.pid == REBASELINED_PROJECT:
                versions.append(("revised", False))
            for version, original in versions:
                finish = project.original_finish() if original else project.baseline_finish()
                previous = 0.0
                for month in months_between(project.start, finish):
                    planned = planned_cents(project, month_end(month), original=original)
                    amount = money((planned - previous) / 100)
                    previous = planned
                    if amount <= 0:
                        continue
                    for code, share in zip(project.finance_codes, project.code_split, strict=True):
                        writer.writerow(
                            [
                                code,
                                f"{month:%Y-%m}",
                                f"{money(amount * share):.2f}",
                                project.currency,
                                version,
                            ]
                        )
                        rows += 1
    return rows


# ---- FX ------------------------------------------------------------------------------------------


def easter(year: int) -> dt.date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    j = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * j) // 451
    month = (h + j - 7 * m + 114) // 31
    day = (h + j - 7 * m + 114) % 31 + 1
    return dt.date(year, month, day)


def is_target_day(day: dt.date) -> bool:
    """An ECB publication day: Monday to Friday except the TARGET2 closing days."""
    if day.weekday() >= 5:
        return False
    if (day.month, day.day) in {(1, 1), (5, 1), (12, 25), (12, 26)}:
        return False
    sunday = easter(day.year)
    return day not in {sunday - dt.timedelta(days=2), sunday + dt.timedelta(days=1)}


def fx_days() -> list[dt.date]:
    days, day = [], FX_FIRST_DAY
    while day <= FX_LAST_DAY:
        if is_target_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _ecb_number(value: float, decimals: int) -> str:
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def write_fx(landing: Path, rng: random.Random) -> tuple[int, dict[str, str]]:
    """The ECB history file, newest first. Returns (rows, the GBP rate per ISO date)."""
    days = fx_days()
    levels = {cur: 0.0 for cur in ECB_BASE}
    table: list[tuple[dt.date, list[str]]] = []
    gbp: dict[str, str] = {}
    for day in days:
        cells = []
        for cur in ECB_HEADER:
            if cur in RETIRED or (cur == "BGN" and day >= BGN_RETIRED_FROM):
                cells.append("N/A")
                continue
            if cur == "BGN":
                cells.append("1.9558")
                continue
            levels[cur] += rng.gauss(0, 0.0025)
            base, decimals = ECB_BASE[cur]
            cells.append(_ecb_number(float(base) * math.exp(levels[cur]), decimals))
        gbp[day.isoformat()] = cells[ECB_HEADER.index("GBP")]
        table.append((day, cells))
    target = landing / "finance" / "eurofxref-hist.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(["Date", *ECB_HEADER]) + ",\n")
        for day, cells in reversed(table):
            fh.write(",".join([day.isoformat(), *cells]) + ",\n")
    return len(table), gbp
