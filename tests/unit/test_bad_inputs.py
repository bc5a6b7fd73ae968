"""A hostile tester's table: 150+ bad or awkward inputs across every source and the landing folder.

All cases lie in one landing folder beside one good file per source, ingested twice in this
process (module fixture, about ten seconds). Each case asserts
- the file's status (loaded / partial / rejected / refused / waiting),
- the reason a person reads (in the outcome's message or in the file's rejects),
- rows read = rows loaded + rows rejected (and the counts themselves where the case fixes them),
and the batch as a whole asserts that every good file loaded and that the second run loaded
nothing again. The inputs are written here, small, so each says what it tests.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from support.paths import TEST_FIXTURES

from ingest.runner import COMMITTED, ingest_landing

# ---- building blocks --------------------------------------------------------------------------------

GL_HEADER = (
    "posting_date,fiscal_period,company_code,document_number,line_item,gl_account,gl_account_name,"
    "cost_center,project_code,amount,currency,debit_credit,expense_type,vendor,description"
)


def gl_line(doc: int, amount: str = "100.00", currency: str = "GBP", date: str = "2025-03-03", **kw) -> str:
    period = kw.get("period", "2025-03")
    expense = kw.get("expense", "opex")
    desc = kw.get("desc", "retainer")
    flag = kw.get("flag", "")
    return (
        f"{date},{period},2000,{doc},1,400000,Services,UK100,PR-1005.01,{amount},{currency},{flag},"
        f"{expense},Vendor,{desc}"
    )


def gl_file(cid: str, bad: str) -> bytes:
    """Header, a good line, the bad line, a good line: read 3, loaded 2, rejected 1."""
    return "\n".join([GL_HEADER, gl_line(1, desc=cid), bad, gl_line(3, desc=cid)]).encode() + b"\n"


JIRA_HEADER = (
    "Issue key,Issue id,Summary,Issue Type,Status,Created,Updated,Time Spent,Custom field (Story Points)"
)


def jira_row(n: int, summary: str, **kw) -> str:
    return ",".join(
        [
            kw.get("key", f"PAY-{n}"),
            kw.get("id", str(40000 + n)),
            summary,
            "Story",
            "Open",
            kw.get("created", "01/Oct/21 09:00"),
            kw.get("updated", "22/Oct/21 16:55"),
            kw.get("spent", "3600"),
            kw.get("points", "3"),
        ]
    )


def jira_csv(cid: str, **bad) -> bytes:
    return (
        "\n".join([JIRA_HEADER, jira_row(1, cid), jira_row(2, cid, **bad), jira_row(3, cid)]).encode() + b"\n"
    )


def jira_issue(n: int, cid: str, **fields) -> dict:
    base = {
        "summary": cid,
        "issuetype": {"name": "Story"},
        "project": {"key": "PAY"},
        "status": {"id": "1", "name": "Open", "statusCategory": {"key": "new"}},
        "created": "2026-01-05T09:00:00.000+0100",
        "updated": "2026-02-15T16:37:00.000+0100",
        "timespent": 3600,
        "customfield_10016": 3,
    }
    base.update(fields)
    return {"id": str(20000 + n), "key": f"PAY-{n}", "fields": base}


def jira_page(cid: str, bad_fields: dict | None = None, raw: str | None = None) -> bytes:
    issues = [jira_issue(1, cid), jira_issue(2, cid, **(bad_fields or {})), jira_issue(3, cid)]
    text = json.dumps({"startAt": 0, "maxResults": 50, "total": 3, "issues": issues})
    if raw is not None:  # a literal token json.dumps would not write (NaN, 1e999, ...)
        text = text.replace('"__RAW__"', raw)
    return text.encode()


MSP_NS = "http://schemas.microsoft.com/project"


def msp_task(uid: int, name: str = "Task", extra: str = "") -> str:
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><OutlineLevel>1</OutlineLevel>"
        f"<Start>2025-01-06T08:00:00</Start><Finish>2025-01-10T17:00:00</Finish>"
        f"<Duration>PT40H0M0S</Duration>{extra}</Task>"
    )


def mspdi(cid: str, bad_task: str, tail: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="{MSP_NS}"><Name>{cid}</Name>'
        f"<MinutesPerDay>480</MinutesPerDay><Tasks>{msp_task(1)}{bad_task}{msp_task(3)}</Tasks>{tail}</Project>"
    ).encode()


WIZARD_HEADER = "ID,Unique_ID,Name,Duration,Start_Date,Finish_Date,Percent_Complete,Cost"


def wizard(cid: str, bad: str) -> bytes:
    good = '1,101,{},5 days,1/6/2025 8:00 AM,1/10/2025 5:00 PM,50%,"$1,000.00"'
    return (
        "\n".join([WIZARD_HEADER, good.format(cid), bad, good.replace("1,101", "3,103").format(cid)]).encode()
        + b"\n"
    )


TEMPLATES = {
    "registry": ("project_id,project_name,status", "P1,{cid},active"),
    "objectives": (
        "objective_id,objective_name,level,target_value,valid_from,valid_to",
        "O1,{cid},objective,2,2024-01-01,",
    ),
    "alignment": ("project_id,objective_id,weight,effective_from,effective_to", "P1,{cid},0.5,2024-01-01,"),
    "register": (
        "benefit_id,benefit_name,category,kpi_id,direction,aggregation,baseline_value,value_per_unit",
        "B1,{cid},cash_releasing,K1,increase,sum,10,5",
    ),
    "attribution": ("benefit_id,project_id,share", "B1,{cid},0.5"),
    "plan": ("benefit_id,period,planned_value", "{cid},2025-07,100"),
    "measurements": ("kpi_id,measured_on,value,source", "{cid},2025-07-31,1100,x"),
}
TEMPLATE_FOLDER = {
    "registry": "registry",
    "objectives": "strategy",
    "alignment": "strategy",
    "register": "benefits",
    "attribution": "benefits",
    "plan": "benefits",
    "measurements": "benefits",
}


def template(kind: str, cid: str, bad: str) -> bytes:
    header, good = TEMPLATES[kind]
    row = good.format(cid=cid)
    return "\n".join([header, row, bad.format(cid=cid), row.replace(",", ",", 1)]).encode() + b"\n"


def xlsx(rows: list[list], formulas_without_values: bool = False) -> bytes:
    """A minimal XLSX workbook (sheet1) written by hand, as a program that does not calculate
    writes it: formula cells (strings starting with '=') get no cached value."""
    import io

    def cell(ref: str, value) -> str:
        if value is None:
            return ""
        if isinstance(value, str) and value.startswith("="):
            return f'<c r="{ref}"><f>{value[1:]}</f></c>'
        if isinstance(value, (int, float)):
            return f'<c r="{ref}"><v>{value}</v></c>'
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'

    sheet_rows = []
    for r, values in enumerate(rows, start=1):
        if values is None:
            continue  # a blank row: nothing written, the numbering goes on
        cells = "".join(cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(values))
        sheet_rows.append(f'<row r="{r}">{cells}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    PKG = "http://schemas.openxmlformats.org/package/2006"
    APP = "application/vnd.openxmlformats-"
    SHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            f'<?xml version="1.0"?><Types xmlns="{PKG}/content-types">'
            f'<Default Extension="rels" ContentType="{APP}package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SHEET}.worksheet+xml"/>'
            "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook {ns} xmlns:r="{rel}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{PKG}/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><worksheet {ns}><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>',
        )
    return buf.getvalue()


def zip_bomb() -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", "<a>" + " " * (20 * 1024 * 1024) + "</a>")
    return buf.getvalue()


# ---- the table ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    id: str
    path: str  # relative to the landing folder
    data: bytes | None  # None: made by `special`
    status: str
    reason: str  # found (case-insensitively) in the outcome's message or one of the file's rejects
    counts: tuple[int, int, int] | None = None  # read, loaded, rejected
    special: str | None = None


CASES: list[Case] = []


def add(*args, **kw) -> None:
    CASES.append(Case(*args, **kw))


PARTIAL = (3, 2, 1)

# GL line items: one bad line between two good ones.
for cid, amount, reason in [
    ("gl_amount_letters", "12x", "not an amount"),
    ("gl_amount_three_decimals", "1.005", "more than 2 decimals"),
    ("gl_amount_1e309", "1e309", "not an amount"),
    ("gl_amount_inf", "inf", "not an amount"),
    ("gl_amount_nan", "NaN", "not an amount"),
    ("gl_amount_17_digits", "99999999999999999.00", "too large"),
    ("gl_amount_400_digits", "9" * 400, "too large"),
    ("gl_amount_empty", "", "the amount is empty"),
    ("gl_amount_bad_grouping", '"1,23.45"', "not an amount"),
    ("gl_amount_double_minus", "--5.00", "not an amount"),
    ("gl_amount_two_points", "1.2.3", "not an amount"),
    ("gl_amount_space_inside", '"1 000.00"', "not an amount"),
]:
    add(cid, f"finance/{cid}.csv", gl_file(cid, gl_line(2, amount=amount)), "partial", reason, PARTIAL)
for cid, currency, reason in [
    ("gl_currency_lower", "gbp", "3-letter"),
    ("gl_currency_xxx", "XXX", "no currency"),
    ("gl_currency_empty", "", "currency is empty"),
    ("gl_currency_four", "EURO", "3-letter"),
]:
    add(cid, f"finance/{cid}.csv", gl_file(cid, gl_line(2, currency=currency)), "partial", reason, PARTIAL)
for cid, date, reason in [
    ("gl_date_feb_30", "2025-02-30", "not a date"),
    ("gl_date_other_format", "31/12/2025", "not a date"),
    ("gl_date_empty", "", "posting date is empty"),
    ("gl_date_month_0", "2025-00-10", "not a date"),
]:
    add(cid, f"finance/{cid}.csv", gl_file(cid, gl_line(2, date=date)), "partial", reason, PARTIAL)
add(
    "gl_period_13",
    "finance/gl_period_13.csv",
    gl_file("p13", gl_line(2, period="2025-13")),
    "partial",
    "fiscal period",
    PARTIAL,
)
add(
    "gl_expense_type",
    "finance/gl_expense_type.csv",
    gl_file("et", gl_line(2, expense="capexx")),
    "partial",
    "expense type",
    PARTIAL,
)
add(
    "gl_flag_unknown",
    "finance/gl_flag_unknown.csv",
    gl_file("fl", gl_line(2, flag="X")),
    "partial",
    "debit/credit flag",
    PARTIAL,
)
add(
    "gl_flag_debit_minus",
    "finance/gl_flag_debit_minus.csv",
    gl_file("fm", gl_line(2, amount="-5.00", flag="S")),
    "partial",
    "contradicts",
    PARTIAL,
)
for cid, where in [
    ("gl_unclosed_quote_first", 1),
    ("gl_unclosed_quote_middle", 2),
    ("gl_unclosed_quote_last", 3),
]:
    lines = [gl_line(n, desc=cid) for n in (1, 2, 3, 4)]
    lines[where - 1] = gl_line(where, desc='"unterminated desc')
    data = "\n".join([GL_HEADER, *lines]).encode() + b"\n"
    add(cid, f"finance/{cid}.csv", data, "partial", "never closed", (4, 3, 1))
add(
    "gl_blank_lines_inside",
    "finance/gl_blank_lines_inside.csv",
    "\n".join(
        [GL_HEADER, gl_line(1, desc="bl"), "", "", gl_line(2, desc="bl"), gl_line(3, amount="x", desc="bl")]
    ).encode()
    + b"\n",
    "partial",
    "row 6",  # header 1, rows 2, blank 3 and 4, row 5, the bad row 6: numbers not shifted
    (3, 2, 1),
)
add(
    "gl_mixed_line_ends",
    "finance/gl_mixed_line_ends.csv",
    (GL_HEADER + "\r\n" + gl_line(1, desc="crlf") + "\n" + gl_line(2, desc="crlf") + "\r\n").encode(),
    "loaded",
    "",
    (2, 2, 0),
)
add(
    "gl_ragged_line",
    "finance/gl_ragged_line.csv",
    gl_file("rg", gl_line(2) + ",extra"),
    "rejected",
    "1 line does not have",
    (3, 0, 3),
)
add(
    "gl_header_only",
    "finance/gl_header_only.csv",
    (GL_HEADER + "\n").encode(),
    "rejected",
    "header but no data",
)
add("gl_empty", "finance/gl_empty.csv", b"", "rejected", "empty")
add("gl_whitespace_only", "finance/gl_whitespace_only.csv", b"   \n\n", "rejected", "unrecognised")
add(
    "gl_missing_required",
    "finance/gl_missing_required.csv",
    b"posting_date,amount,currency,vendor\n2025-03-03,1.00,GBP,v\n",
    "rejected",
    "no mapping profile fits",
    (1, 0, 1),
)
add(
    "gl_duplicate_header",
    "finance/gl_duplicate_header.csv",
    (GL_HEADER + ",amount\n" + gl_line(1) + ",5\n").encode(),
    "rejected",
    "more than once",
)
add(
    "gl_bom",
    "finance/gl_bom.csv",
    b"\xef\xbb\xbf" + gl_file("bom", gl_line(2, desc="bom")),
    "loaded",
    "",
    (3, 3, 0),
)
add(
    "gl_cp1252",
    "finance/gl_cp1252.csv",
    gl_file("cp", gl_line(2, desc="Caf\xe9 cr\xe8me")).decode().encode("cp1252"),
    "loaded",
    "",
    (3, 3, 0),
)
add("gl_binary_garbage", "finance/gl_binary.csv", b"\x00\x01\x02\xff" * 50, "rejected", "")
add(
    "gl_currency_total_beyond_decimal_18",
    "finance/gl_huge_total.csv",
    "\n".join(
        [GL_HEADER, *(gl_line(n, amount="9999999999999999.99", desc="big") for n in (1, 2, 3))]
    ).encode()
    + b"\n",
    "loaded",
    "",
    (3, 3, 0),
)
add(
    "gl_multiline_description",
    "finance/gl_multiline.csv",
    "\n".join([GL_HEADER, gl_line(1, desc='"two\nlines"'), gl_line(2, amount="bad", desc="ml")]).encode()
    + b"\n",
    "partial",
    "row 3",
    (2, 1, 1),
)
add(
    "gl_semicolon_delimited",
    "finance/gl_semicolon.csv",
    (GL_HEADER.replace(",", ";") + "\n" + gl_line(1, desc="semi").replace(",", ";") + "\n").encode(),
    "loaded",
    "",
    (1, 1, 0),
)

# Budgets.
BUDGET_HEADER = "project_code,fiscal_period,amount,currency,version"
for cid, row, reason in [
    ("budget_version_unknown", "PR-1,2025-03,10.00,EUR,final", "budget version must be one of"),
    ("budget_period_13", "PR-1,2025-13,10.00,EUR,original", "month 13"),
    ("budget_period_text", "PR-1,March,10.00,EUR,original", "not a month"),
    ("budget_amount_three_decimals", "PR-1,2025-03,10.005,EUR,original", "more than 2 decimals"),
    ("budget_amount_1e309", "PR-1,2025-03,1e309,EUR,original", "not an amount"),
    ("budget_amount_huge", f"PR-1,2025-03,{'9' * 30},EUR,original", "too large"),
    ("budget_currency_bad", "PR-1,2025-03,10.00,euro,original", "3-letter"),
    ("budget_project_empty", ",2025-03,10.00,EUR,original", "required but empty"),
]:
    good = f"PR-1,2025-01,10.00,EUR,original\nPR-{cid},2025-02,5.00,EUR,original"
    add(cid, f"finance/{cid}.csv", f"{BUDGET_HEADER}\n{good}\n{row}\n".encode(), "partial", reason, PARTIAL)
add(
    "budget_missing_version",
    "finance/budget_missing_version.csv",
    b"project_code,fiscal_period,amount,currency\nPR-1,2025-01,10.00,EUR\nPR-2,2025-01,10.00,EUR\n",
    "rejected",
    "budget file without the columns ['version']",
    (2, 0, 2),
)

# FX rates.
FX_HEADER = "date,from_currency,to_currency,rate"
for cid, row, reason in [
    ("fx_rate_zero", "2025-03-31,GBP,EUR,0", "greater than 0"),
    ("fx_rate_negative", "2025-03-31,GBP,EUR,-1.2", "greater than 0"),
    ("fx_rate_1e309", "2025-03-31,GBP,EUR,1e309", "out of range"),
    ("fx_rate_1e999", "2025-03-31,GBP,EUR,1e999", "out of range"),
    ("fx_rate_400_digits", f"2025-03-31,GBP,EUR,{'9' * 400}", "out of range"),
    ("fx_rate_nan", "2025-03-31,GBP,EUR,NaN", "not a number"),
    ("fx_rate_inf", "2025-03-31,GBP,EUR,Infinity", "not a number"),
    ("fx_rate_empty", "2025-03-31,GBP,EUR,", "number is empty"),
    ("fx_same_currency", "2025-03-31,EUR,EUR,1", "same"),
    ("fx_bad_date", "31.03.2025,GBP,EUR,1.1", "not a date"),
    ("fx_bad_currency", "2025-03-31,GB,EUR,1.1", "3-letter"),
]:
    good = f"2025-01-31,GBP,EUR,1.19\n2025-02-2{len(cid) % 8 + 1},USD,EUR,0.9"
    add(cid, f"finance/{cid}.csv", f"{FX_HEADER}\n{good}\n{row}\n".encode(), "partial", reason, PARTIAL)
ECB_HEADER = "Date,USD,JPY,"
for cid, row, reason in [
    ("ecb_rate_inf", "2026-02-04,1e999,160.1,", "out of range"),
    ("ecb_rate_text", "2026-02-04,abc,160.1,", "not a number"),
    ("ecb_duplicate_date", "2026-02-05,1.1,160.1,", "already given"),
    ("ecb_bad_date", "2026-02-30,1.1,160.1,", "not a calendar date"),
]:
    good = "2026-02-06,1.18,161.2,\n2026-02-05,1.17,160.9,"
    add(cid, f"finance/{cid}.csv", f"{ECB_HEADER}\n{good}\n{row}\n".encode(), "partial", reason, PARTIAL)
add(
    "ecb_na_is_absent",
    "finance/ecb_na.csv",
    f"{ECB_HEADER}\n2026-02-06,N/A,161.2,\n".encode(),
    "loaded",
    "",
    (1, 1, 0),
)

# Templates: each kind, its failure modes.
TEMPLATE_BAD = [
    ("registry", "P2,{cid},finished", "must be one of"),
    ("registry", ",{cid},active", "required but empty"),
    ("registry", "P3,{cid},active,extra", "fields where the header has"),
    ("objectives", "O2,{cid},goal,1,2024-01-01,", "must be one of"),
    ("objectives", "O2,{cid},objective,1e999,2024-01-01,", "out of range"),
    ("objectives", "O2,{cid},objective,1,2024-02-30,", "not a calendar date"),
    ("objectives", "O2,{cid},objective,1,2024-06-01,2024-01-01", "ends before"),
    ("alignment", "P2,{cid},1.5,2024-01-01,", "between 0 and 1"),
    ("alignment", "P2,{cid},-0.1,2024-01-01,", "between 0 and 1"),
    ("alignment", "P2,{cid},NaN,2024-01-01,", "not a number"),
    ("alignment", "P2,{cid},0.5,2024-06-01,2024-01-01", "ends before"),
    ("register", "B2,{cid},cash,K1,increase,sum,10,5", "must be one of"),
    ("register", "B2,{cid},cash_releasing,K1,up,sum,10,5", "must be one of"),
    ("register", "B2,{cid},cash_releasing,K1,increase,avg,10,5", "must be one of"),
    ("register", "B2,{cid},cash_releasing,K1,increase,sum,1e309,5", "out of range"),
    ("register", f"B2,{{cid}},cash_releasing,K1,increase,sum,10,{'9' * 400}", "out of range"),
    ("attribution", "B2,{cid},1.01", "between 0 and 1"),
    ("attribution", "B2,{cid},", "number is empty"),
    ("attribution", "B2,{cid},1e999", "out of range"),
    ("attribution", "B2,,0.5", "required but empty"),
    ("plan", "{cid},2025-13,100", "month 13"),
    ("plan", "{cid},2025-07,Infinity", "not a number"),
    ("plan", f"{{cid}},2025-08,{'1' * 400}", "out of range"),
    ("plan", "{cid},2025-07-01,100", "not a month"),
    ("measurements", "{cid},2025-07-31,1e309,x", "out of range"),
    ("measurements", f"{{cid}},2025-07-31,{'4' * 400},x", "out of range"),
    ("measurements", "{cid},31/07/2025,1,x", "not a date"),
    ("measurements", "{cid},2025-07-31,,x", "number is empty"),
    ("measurements", "{cid},2025-07-31,1.2.3,x", "not a number"),
]
for i, (kind, bad, reason) in enumerate(TEMPLATE_BAD):
    cid = f"tpl_{kind}_{i}"
    add(cid, f"{TEMPLATE_FOLDER[kind]}/{cid}.csv", template(kind, cid, bad), "partial", reason, PARTIAL)
for kind, (header, good) in TEMPLATES.items():
    # Unclosed quote: the line is rejected, the rows after it are read with their own numbers.
    cid = f"tpl_{kind}_unclosed_quote"
    data = "\n".join(
        [header, good.format(cid=cid), '"' + good.format(cid=cid), good.format(cid=cid), good.format(cid=cid)]
    )
    add(
        cid, f"{TEMPLATE_FOLDER[kind]}/{cid}.csv", data.encode() + b"\n", "partial", "never closed", (4, 3, 1)
    )
    # Blank lines do not shift the numbers of the rows after them.
    cid = f"tpl_{kind}_blank_lines"
    bad_row = {
        "registry": "P9,x,nope",
        "objectives": "O9,x,nope,1,2024-01-01,",
        "alignment": "P9,x,9,2024-01-01,",
        "register": "B9,x,nope,K1,increase,sum,10,5",
        "attribution": "B9,x,9",
        "plan": "x,2025-99,1",
        "measurements": "x,2025-07-31,abc,x",
    }[kind]
    data = "\n".join([header, good.format(cid=cid), "", bad_row, good.format(cid=cid)])
    add(cid, f"{TEMPLATE_FOLDER[kind]}/{cid}.csv", data.encode() + b"\n", "partial", "row 4", (3, 2, 1))
add(
    "tpl_registry_missing_required_column",
    "registry/tpl_missing_status.csv",
    b"project_id,project_name\nP1,a\nP2,b\nP3,c\n",
    "rejected",
    "needs the columns ['status']",
    (3, 0, 3),
)
add(
    "tpl_attribution_duplicate_column",
    "benefits/tpl_dup_share.csv",
    b"benefit_id,project_id,share,share\nB1,P1,0.5,0.4\n",
    "rejected",
    "more than once",
    (1, 0, 1),
)
add(
    "tpl_header_only",
    "benefits/tpl_header_only.csv",
    b"benefit_id,project_id,share\n",
    "rejected",
    "header but no data rows",
)
add(
    "tpl_xlsx_zip_bomb",
    "benefits/tpl_bomb.xlsx",
    zip_bomb(),
    "rejected",
    "zip bomb",
)
add(
    "tpl_xlsx_not_a_zip",
    "benefits/tpl_not_zip.xlsx",
    b"PK\x03\x04 this is no zip",
    "rejected",
    "not a valid XLSX",
)
add(
    "tpl_xlsx_formulas_without_values",
    "benefits/tpl_formulas.xlsx",
    xlsx(
        [
            ["benefit_id", "project_id", "share"],
            ["B1", "P1", 0.5],
            ["=A2", "=B2", "=C2*2"],
            ["B3", "P3", 0.25],
        ]
    ),
    "partial",
    "formula cell(s) without a computed value",
    (3, 2, 1),
)
add(
    "tpl_xlsx_blank_rows_keep_numbers",
    "benefits/tpl_blank_rows.xlsx",
    xlsx([["benefit_id", "project_id", "share"], ["B1", "P1", 0.5], None, None, ["B4", "P4", 7]]),
    "partial",
    "row 5",
    (2, 1, 1),
)
add(
    "tpl_xlsx_formula_in_one_cell",
    "benefits/tpl_formula_cell.xlsx",
    xlsx([["benefit_id", "project_id", "share"], ["B1", "P1", "=0.2+0.3"], ["B2", "P2", 0.25]]),
    "partial",
    "=0.2+0.3",
    (2, 1, 1),
)

# Jira CSV.
for cid, bad, reason in [
    ("jira_time_spent_20_digits", {"spent": "99999999999999999999"}, "whole number of seconds"),
    ("jira_time_spent_decimal", {"spent": "36.5"}, "whole number of seconds"),
    ("jira_points_1e309", {"points": "1e309"}, "is not a number"),
    ("jira_points_400_digits", {"points": "9" * 400}, "is not a number"),
    ("jira_points_nan", {"points": "NaN"}, "is not a number"),
    ("jira_created_iso", {"created": "2026-03-03 09:00"}, "matches none of the formats"),
    ("jira_created_feb_31", {"created": "31/Feb/26 9:00 AM"}, "matches none of the formats"),
    ("jira_created_empty", {"created": ""}, "created date is empty"),
    ("jira_key_empty", {"key": ""}, "issue key is empty"),
    ("jira_key_bad", {"key": "not a key"}, "not a jira issue key"),
    ("jira_id_empty", {"id": ""}, "issue id is empty"),
]:
    add(cid, f"jira/{cid}.csv", jira_csv(cid, **bad), "partial", reason, PARTIAL)
add(
    "jira_minimal_server_export",
    "jira/jira_minimal.csv",
    b"Issue Type,Issue key,Issue id,Parent id,Summary,Status,Resolution\n"
    b"Epic,MIN-1,1,,Epic one,Open,\nStory,MIN-2,2,1,Story two,Done,Done\n",
    "loaded",
    "loaded without the columns created",
    (2, 2, 0),
)
add(
    "jira_no_issue_key_column",
    "jira/jira_no_key.csv",
    b"Issue id,Summary,Issue Type,Status,Created\n1,a,Story,Open,01/Oct/21 09:00\n",
    "rejected",
    "without the column issue key",
    (1, 0, 1),
)
add(
    "jira_header_only",
    "jira/jira_header_only.csv",
    (JIRA_HEADER + "\n").encode(),
    "rejected",
    "header but no issue rows",
)
add(
    "jira_unclosed_quote",
    "jira/jira_unclosed.csv",
    "\n".join(
        [JIRA_HEADER, jira_row(1, "uq"), jira_row(2, '"uq'), jira_row(3, "uq"), jira_row(4, "uq")]
    ).encode()
    + b"\n",
    "partial",
    "never closed",
    (4, 3, 1),
)
add(
    "jira_blank_line",
    "jira/jira_blank.csv",
    "\n".join([JIRA_HEADER, jira_row(1, "bl"), "", jira_row(2, "bl", spent="x")]).encode() + b"\n",
    "partial",
    "row 4",
    (2, 1, 1),
)
add("jira_unrecognised_csv", "jira/notes.csv", b"foo,bar\n1,2\n3,4\n", "rejected", "EXPORTS.md", (2, 0, 2))
add(
    "jira_short_row",
    "jira/jira_short.csv",
    jira_csv("sr").replace(b",3600,3\nPAY-3", b"\nPAY-3"),
    "partial",
    "fields where the header has",
    PARTIAL,
)

# Jira REST JSON.
for cid, fields, raw, reason in [
    ("json_points_nan", {"customfield_10016": "__RAW__"}, "NaN", "out of range"),
    ("json_points_infinity", {"customfield_10016": "__RAW__"}, "Infinity", "out of range"),
    ("json_points_1e999", {"customfield_10016": "__RAW__"}, "1e999", "out of range"),
    ("json_points_400_digits", {"customfield_10016": "__RAW__"}, "9" * 400, "out of range"),
    ("json_timespent_1e30", {"timespent": "__RAW__"}, str(10**30), "beyond a 64-bit"),
    ("json_timespent_fraction", {"timespent": 1.5}, None, "whole number of seconds"),
    ("json_points_text", {"customfield_10016": "lots"}, None, "is not a number"),
    ("json_created_bad", {"created": "yesterday"}, None, "yesterday"),
]:
    add(cid, f"jira/{cid}.json", jira_page(cid, fields, raw), "partial", reason, PARTIAL)
add(
    "json_nested_10000_deep",
    "jira/json_deep.json",
    b'{"issues": ' + b"[" * 10000 + b"]" * 10000 + b"}",
    "rejected",
    "",
)
add("json_truncated", "jira/json_truncated.json", jira_page("tr")[:-40], "rejected", "not valid json")
add("json_empty_object", "jira/json_empty.json", b"{}", "rejected", "ingest/EXPORTS.md")
add("json_not_utf8", "jira/json_latin1.json", b'{"issues": [{"key": "\xe9"}]}', "rejected", "")

# Worklogs: Tempo exports (landing/worklogs/), Jira's Log Work columns and /worklog pages.
TEMPO_HEADER = "Issue Key,Hours,Work date,Username,Full name,Account Key,Worklog Id"


def tempo_row(n: int, cid: str, hours: str = "1.5", date: str = "2026-03-02 00:00", key: str = "") -> str:
    return f"{key or f'PAY-{n}'},{hours},{date},asmith,{cid},PAY-DEV,{n}"


def tempo_csv(cid: str, **bad) -> bytes:
    rows = [tempo_row(1, cid), tempo_row(2, cid, **bad), tempo_row(3, cid)]
    return "\n".join([TEMPO_HEADER, *rows]).encode() + b"\n"


for cid, bad, reason in [
    ("tempo_hours_text", {"hours": "lots"}, "not a number of hours"),
    ("tempo_hours_negative", {"hours": "-2"}, "not a number of hours"),
    ("tempo_hours_1e309", {"hours": "1e309"}, "not a number of hours"),
    ("tempo_hours_empty", {"hours": ""}, "hours is empty"),
    ("tempo_date_feb_30", {"date": "2026-02-30 00:00"}, "matches none of the formats"),
    ("tempo_date_us", {"date": "03/02/2026"}, "matches none of the formats"),
    ("tempo_key_bad", {"key": "not a key"}, "not a jira issue key"),
]:
    add(cid, f"worklogs/{cid}.csv", tempo_csv(cid, **bad), "partial", reason, PARTIAL)
add(
    "tempo_no_issue_key_column",
    "worklogs/tempo_no_key.csv",
    b"Hours,Work date,Username,Account Key\n1.5,2026-03-02 00:00,asmith,PAY-DEV\n",
    "rejected",
    "needs the columns ['Issue Key']",
    (1, 0, 1),
)
add(
    "tempo_no_person_column",
    "worklogs/tempo_no_person.csv",
    b"Issue Key,Hours,Work date,Account Key\nPAY-1,1.5,2026-03-02 00:00,PAY-DEV\n",
    "rejected",
    "Username or Full name",
    (1, 0, 1),
)
add(
    "tempo_german_point_decimal",
    "worklogs/tempo_de_point.csv",
    "Vorgangsschlüssel;Stunden;Arbeitsdatum;Benutzername\nPAY-1;1,5;2026-03-02;asmith\n"
    "PAY-2;1.5;2026-03-02;asmith\n".encode(),
    "partial",
    "decimal comma",
    (2, 1, 1),
)
LOG_WORK_HEADER = "Issue key,Issue id,Summary,Status,Created,Updated,Log Work,Log Work"


def log_work_csv(cid: str, bad: str) -> bytes:
    good = ";01/Oct/21 09:00;asmith;3600"
    rows = [
        f"PAY-{n},{40000 + n},{cid},Open,01/Oct/21 09:00,22/Oct/21 16:55,{good},{cell}"
        for n, cell in ((1, good), (2, bad), (3, ""))
    ]
    return "\n".join([LOG_WORK_HEADER, *rows]).encode() + b"\n"


for cid, bad, reason in [
    ("logwork_three_parts", "01/Oct/21 09:00;asmith;3600", "has 3 parts"),
    ("logwork_seconds_text", "x;01/Oct/21 09:00;asmith;1h", "whole number of seconds"),
    ("logwork_bad_date", "x;2021-10-01;asmith;3600", "matches none of the formats"),
    ("logwork_no_author", "x;01/Oct/21 09:00;;3600", "author is empty"),
]:
    add(cid, f"jira/{cid}.csv", log_work_csv(cid, bad), "partial", reason, PARTIAL)


def worklog_page(items: list[dict]) -> bytes:
    return json.dumps({"startAt": 0, "maxResults": 50, "total": len(items), "worklogs": items}).encode()


def worklog(n: int, **kw) -> dict:
    return {
        "id": str(n),
        "issueId": "1",
        "author": {"accountId": "a1", "displayName": "A"},
        "started": "2026-03-02T09:00:00.000+0000",
        "timeSpentSeconds": 3600,
    } | kw


for cid, bad, reason in [
    ("worklog_started_bad", {"started": "yesterday"}, "not an iso timestamp"),
    ("worklog_started_no_offset", {"started": "2026-03-02T09:00:00"}, "no utc offset"),
    ("worklog_seconds_fraction", {"timeSpentSeconds": 1.5}, "whole number of seconds"),
    ("worklog_seconds_negative", {"timeSpentSeconds": -60}, "missing or negative"),
    ("worklog_no_author", {"author": None}, "no author"),
]:
    page = worklog_page([worklog(1), worklog(2, **bad), worklog(3)])
    add(cid, f"jira/PAY-1_{cid}.json", page, "partial", reason, PARTIAL)
add(
    "worklog_page_not_json",
    "jira/PAY-2_worklog.json",
    b'{"worklogs": [{"id": 1,',
    "rejected",
    "not valid json",
)
add(
    "worklog_page_unknown_issue",
    "jira/worklog_page.json",
    worklog_page([worklog(1)]),
    "rejected",
    "name the file after the issue key",
    (1, 0, 1),
)

# Rate card and people (landing/rates/).
RATE_HEADER = "person,role,resource_group,project_id,hourly_rate,currency,valid_from,valid_to"
for cid, bad, reason in [
    ("rate_two_subjects", "asmith,Developer,,,80,EUR,2025-01-01,", "exactly one of person, role"),
    ("rate_five_decimals", ",Developer,,,80.12345,EUR,2025-01-01,", "more than 4 decimals"),
    ("rate_1e309", ",Developer,,,1e309,EUR,2025-01-01,", "out of range"),
    ("rate_currency_bad", ",Developer,,,80,eur,2025-01-01,", "3-letter"),
    ("rate_ends_before", ",Developer,,,80,EUR,2025-07-01,2025-06-30", "ends before"),
]:
    good = f",{cid},,,80,EUR,2025-01-01,"
    add(
        cid,
        f"rates/{cid}.csv",
        "\n".join([RATE_HEADER, good, bad, good]).encode() + b"\n",
        "partial",
        reason,
        PARTIAL,
    )

# MSPDI XML.
for cid, task, reason in [
    (
        "msp_uid_20_digits",
        msp_task(0, extra="").replace("<UID>0</UID>", "<UID>99999999999999999999</UID>"),
        "64-bit",
    ),
    (
        "msp_outline_level_huge",
        msp_task(2, extra="").replace(
            "<OutlineLevel>1</OutlineLevel>", f"<OutlineLevel>{'9' * 25}</OutlineLevel>"
        ),
        "64-bit",
    ),
    ("msp_percent_1e999", msp_task(2, extra="<PercentComplete>1e999</PercentComplete>"), "not a number"),
    ("msp_percent_nan", msp_task(2, extra="<PercentComplete>NaN</PercentComplete>"), "not a number"),
    ("msp_percent_150", msp_task(2, extra="<PercentComplete>150</PercentComplete>"), "outside 0..100"),
    ("msp_duration_400_digits", msp_task(2).replace("PT40H0M0S", f"PT{'9' * 400}H0M0S"), "out of range"),
    ("msp_duration_text", msp_task(2).replace("PT40H0M0S", "forty hours"), "not a working-time duration"),
    ("msp_cost_1e30", msp_task(2, extra=f"<Cost>{'1' + '0' * 30}</Cost>"), "too large"),
    ("msp_cost_text", msp_task(2, extra="<Cost>lots</Cost>"), "not an amount"),
    ("msp_start_after_finish", msp_task(2).replace("2025-01-06T08:00:00", "2025-02-06T08:00:00"), "is after"),
    ("msp_duplicate_uid", msp_task(1), "used by an earlier task"),
    (
        "msp_start_with_zone",
        msp_task(2).replace("2025-01-06T08:00:00", "2025-01-06T08:00:00+02:00"),
        "time zone",
    ),
]:
    add(cid, f"msproject/{cid}.xml", mspdi(cid, task), "partial", reason, PARTIAL)
add(
    "msp_isnull_task_is_no_task",
    "msproject/msp_isnull.xml",
    mspdi("isnull", "<Task><UID>2</UID><ID>2</ID><IsNull>1</IsNull><OutlineLevel>0</OutlineLevel></Task>"),
    "loaded",
    "",
    (2, 2, 0),
)
add(
    "msp_elapsed_duration",
    "msproject/msp_elapsed.xml",
    mspdi(
        "elapsed",
        msp_task(2)
        .replace("PT40H0M0S", "PT24H0M0S")
        .replace("</Task>", "<DurationFormat>8</DurationFormat></Task>"),
    ),
    "loaded",
    "",
    (3, 3, 0),
)
add(
    "msp_unassigned_placeholder_resource",
    "msproject/msp_placeholder.xml",
    mspdi(
        "placeholder",
        msp_task(2),
        "<Assignments><Assignment><UID>1</UID><TaskUID>2</TaskUID><ResourceUID>-65535</ResourceUID>"
        "<Cost>29908.45</Cost></Assignment></Assignments>",
    ),
    "loaded",
    "",
    (3, 3, 0),
)
add(
    "msp_dtd_refused",
    "msproject/msp_dtd.xml",
    b'<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY x "y">]><Project xmlns="'
    + MSP_NS.encode()
    + b'"><Name>&x;</Name></Project>',
    "rejected",
    "dtd",
)
add("msp_truncated", "msproject/msp_truncated.xml", mspdi("tr", msp_task(2))[:-30], "rejected", "")
add(
    "msp_minutes_per_day_zero",
    "msproject/msp_mpd0.xml",
    mspdi("mpd", msp_task(2)).replace(b"<MinutesPerDay>480", b"<MinutesPerDay>0"),
    "rejected",
    "minutesperday",
)

# Real-shaped hostile XML kept as fixtures beside the MSPDI tests.
MSP_FIXTURES = TEST_FIXTURES / "msproject"
add(
    "msp_billion_laughs",
    "msproject/billion_laughs.xml",
    (MSP_FIXTURES / "billion_laughs.xml").read_bytes(),
    "rejected",
    "dtd",
)
add(
    "msp_xxe", "msproject/xxe.xml", (MSP_FIXTURES / "xxe_external_entity.xml").read_bytes(), "rejected", "dtd"
)
add(
    "msp_utf16_bom",
    "msproject/utf16.xml",
    (MSP_FIXTURES / "encoding_utf16_bom.xml").read_bytes(),
    "loaded",
    "",
)

# Line ends and encodings of the templates.
ATTR = "benefit_id,project_id,share"
add(
    "tpl_crlf_and_lf_mixed",
    "benefits/tpl_mixed_ends.csv",
    f"{ATTR}\r\nB1,mix,0.5\nB2,mix,0.25\r\n".encode(),
    "loaded",
    "",
    (2, 2, 0),
)
add(
    "tpl_utf16_bom",
    "benefits/tpl_utf16.csv",
    f"{ATTR}\nB1,u16,0.5\n".encode("utf-16"),
    "loaded",
    "",
    (1, 1, 0),
)
add(
    "tpl_cp1252_byte_undefined",
    "benefits/tpl_0x81.csv",
    f"{ATTR}\nB1,x,0.5\n".encode() + b"B2,\x81\xe9,0.2\n",
    "rejected",
    "",
)
add("tpl_only_quotes", "benefits/tpl_quotes.csv", f'{ATTR}\n"""",B9,0.1\n'.encode(), "loaded", "", (1, 1, 0))
add(
    "tpl_share_with_thousands",
    "benefits/tpl_thousands.csv",
    f'{ATTR}\nB1,th,"1,000"\n'.encode(),
    "partial",
    "between 0 and 1",
    (1, 0, 1),
)

# Export Wizard.
for cid, row, reason in [
    (
        "wizard_unique_id_20_digits",
        "2,99999999999999999999,A,5 days,1/6/2025 8:00 AM,1/10/2025 5:00 PM,50%,$1.00",
        "64-bit",
    ),
    (
        "wizard_cost_19_digits",
        '2,102,A,5 days,1/6/2025 8:00 AM,1/10/2025 5:00 PM,50%,"$1,000,000,000,000,000,000.00"',
        "too large",
    ),
    (
        "wizard_duration_huge",
        f"2,102,A,{'9' * 400} days,1/6/2025 8:00 AM,1/10/2025 5:00 PM,50%,$1.00",
        "out of range",
    ),
    ("wizard_date_en_gb", "2,102,A,5 days,13/01/2025 08:00,1/10/2025 5:00 PM,50%,$1.00", "msp_wizard_locale"),
    ("wizard_percent_200", "2,102,A,5 days,1/6/2025 8:00 AM,1/10/2025 5:00 PM,200%,$1.00", "outside 0..100"),
    ("wizard_elapsed_duration", "2,102,A,5 edays,1/6/2025 8:00 AM,1/10/2025 5:00 PM,50%,$1.00", "elapsed"),
]:
    add(cid, f"msproject/{cid}.csv", wizard(cid, row), "partial", reason, PARTIAL)

# The landing folder itself.
add(
    "landing_hidden_name", "finance/.hidden_gl.csv", gl_file("hid", gl_line(2)), "refused", "hidden file name"
)
add("landing_dotdot_name", "finance/..gl.csv", gl_file("dd", gl_line(2)), "refused", "hidden file name")
add(
    "landing_partial_download",
    "finance/gl.csv.part",
    gl_file("part", gl_line(2)),
    "waiting",
    "still being written",
)
add("landing_excel_lock", "finance/~$budget.xlsx", b"lock", "waiting", "still being written")
add("landing_stray_top_level", "stray.csv", b"a,b\n", "refused", "not in a source folder")
add("landing_symlink_loop", "finance/loop.csv", None, "refused", "leads nowhere", special="symlink_loop")
add(
    "landing_symlink_out",
    "finance/out.csv",
    None,
    "refused",
    "outside the landing folder",
    special="symlink_out",
)
add(
    "landing_symlink_dangling",
    "finance/dangling.csv",
    None,
    "refused",
    "leads nowhere",
    special="symlink_dangling",
)
add("landing_unknown_folder_file", "other/x.csv", b"a\n1\n", "refused", "not in a source folder")

# Snapshots: the same content dropped again under a later date is a new snapshot.
SNAP = template("attribution", "snap", "B2,snap,0.25")
add("snapshot_first", "benefits/attribution_2026-01-31.csv", SNAP, "loaded", "", (3, 3, 0))
add("snapshot_redropped_later", "benefits/attribution_2099-12-31.csv", SNAP, "loaded", "", (3, 3, 0))

# One good file per source: they load beside every bad one.
GOOD = {
    "finance/good_gl.csv": gl_file("good", gl_line(2, desc="good")),
    "jira/good.csv": jira_csv("good"),
    "msproject/good.xml": mspdi("good", msp_task(2)),
    "benefits/good_plan.csv": template("plan", "good", "good2,2025-08,5"),
    "strategy/good_objectives.csv": template("objectives", "good", "O9,g,theme,,2024-01-01,"),
    "registry/good_projects.csv": template("registry", "good", "P9,g,closed"),
    "worklogs/good_tempo.csv": tempo_csv("good"),
    "rates/good_rates.csv": (
        f"{RATE_HEADER}\n,Developer,,,80,EUR,2025-01-01,\nasmith,,,,95.5,GBP,2025-01-01,\n".encode()
    ),
}


# ---- the run ------------------------------------------------------------------------------------------


@dataclass
class Batch:
    landing: Path
    home: Path
    first: dict  # path -> FileOutcome
    second: dict
    rejects: dict  # path -> list of (ref, column, value, reason)


def _write_landing(landing: Path, outside: Path) -> None:
    for case in CASES:
        path = landing / case.path
        path.parent.mkdir(parents=True, exist_ok=True)
        if case.special == "symlink_loop":
            os.symlink(path.name, path)  # points at itself
        elif case.special == "symlink_out":
            (outside / "secret.csv").write_bytes(gl_file("out", gl_line(2)))
            os.symlink(outside / "secret.csv", path)
        elif case.special == "symlink_dangling":
            os.symlink(path.parent / "no_such_file.csv", path)
        else:
            path.write_bytes(case.data)
    for rel, data in GOOD.items():
        (landing / rel).parent.mkdir(parents=True, exist_ok=True)
        (landing / rel).write_bytes(data)
    past = 1_700_000_000  # a settled modification time (and the snapshot dates come from the names)
    for path in landing.rglob("*"):
        if path.is_file() and not path.is_symlink():
            os.utime(path, (past, past))


@pytest.fixture(scope="module")
def batch(tmp_path_factory) -> Batch:
    root = tmp_path_factory.mktemp("bad_inputs")
    landing, home, outside = root / "landing", root / "home", root / "outside"
    landing.mkdir()
    outside.mkdir()
    _write_landing(landing, outside)
    first = {o.path: o for o in ingest_landing(landing, home, workers=1)}
    raw_before = {p: p.stat().st_mtime_ns for p in (home / "raw").rglob("*.parquet")}
    second = {o.path: o for o in ingest_landing(landing, home, workers=1)}
    assert {p: p.stat().st_mtime_ns for p in (home / "raw").rglob("*.parquet")} == raw_before
    rejects: dict[str, list] = {}
    for part in (home / "raw" / "rejects").glob("*.parquet"):
        for r in pq.read_table(part).to_pylist():
            rejects.setdefault(r["_source_file"], []).append(
                (r["_source_ref"], r["column_name"], r["value"], r["reason"])
            )
    return Batch(landing, home, first, second, rejects)


def test_the_table_has_150_cases_with_unique_ids_and_paths():
    assert len(CASES) >= 150
    assert len({c.id for c in CASES}) == len(CASES)
    assert len({c.path for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(batch: Batch, case: Case):
    outcome = batch.first[case.path]
    texts = [outcome.message] + [r[3] for r in batch.rejects.get(case.path, [])]
    texts += [r[0] for r in batch.rejects.get(case.path, [])]
    texts += [str(r[2]) for r in batch.rejects.get(case.path, [])]
    assert outcome.status == case.status, outcome
    assert any(case.reason.lower() in (t or "").lower() for t in texts), (case.reason, texts[:6])
    assert outcome.rows_read == outcome.rows_loaded + outcome.rows_rejected
    if case.counts is not None:
        assert (outcome.rows_read, outcome.rows_loaded, outcome.rows_rejected) == case.counts, outcome
    if case.status in COMMITTED:
        # Every file ingested is in the manifest with one reject row per rejected row at least.
        assert outcome.sha256
        rejected_refs = {r[0] for r in batch.rejects.get(case.path, [])}
        assert len(rejected_refs) >= (1 if case.status == "rejected" else outcome.rows_rejected)
        # No second load: the second run finds it unchanged and remembers how it went.
        again = batch.second[case.path]
        assert again.status == "unchanged", again
        assert again.previous_status == case.status
    else:
        assert batch.second[case.path].status == case.status
    # A message never points outside the repository.
    assert "shared" not in (outcome.message or "") and "../" not in (outcome.message or "")


def test_every_good_file_loads_beside_the_bad_ones(batch: Batch):
    for rel in GOOD:
        outcome = batch.first[rel]
        assert outcome.status == "loaded", outcome
        assert outcome.rows_rejected == 0 and outcome.rows_loaded == outcome.rows_read > 0


def test_no_python_exception_name_reaches_a_message(batch: Batch):
    for outcome in batch.first.values():
        assert outcome.status != "failed", outcome
        assert "Traceback" not in outcome.message and "Error:" not in outcome.message.split(":", 1)[0]


def test_values_the_fixed_readers_give(batch: Batch):
    """The MSPDI and GL cases whose loaded values matter, derived by hand."""
    import duckdb

    raw = batch.home / "raw"

    def rows(table: str, source_file: str) -> list[dict]:
        con = duckdb.connect()
        try:
            cur = con.execute(
                f"select * from read_parquet('{raw}/{table}/*.parquet', union_by_name = true) "
                "where _source_file = ? order by _source_ref",
                [source_file],
            )
            names = [d[0] for d in cur.description]
            return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
        finally:
            con.close()

    # PT24H elapsed (DurationFormat 8) is one elapsed day, not 24 / 8 = 3 working days.
    task = next(t for t in rows("msp_tasks", "msproject/msp_elapsed.xml") if t["task_uid"] == 2)
    assert (task["duration_days"], task["duration_is_elapsed"]) == (1.0, True)
    # The IsNull row is not a task: UIDs 1 and 3 only.
    assert sorted(t["task_uid"] for t in rows("msp_tasks", "msproject/msp_isnull.xml")) == [1, 3]
    # The placeholder resource is no resource; the cost 29908.45 (x100) is 299.0845 kept whole.
    (asg,) = rows("msp_assignments", "msproject/msp_placeholder.xml")
    assert asg["resource_uid"] is None and str(asg["cost_amount"]) == "299.084500"
    # Three GL lines of 9,999,999,999,999,999.99 GBP: a total of 29,999,999,999,999,999.97 that
    # decimal(18,2) cannot hold (it crashed the file before).
    (total,) = rows("gl_file_control_totals", "finance/gl_huge_total.csv")
    assert str(total["amount_total"]) == "29999999999999999.97" and total["file_line_count"] == 3
    # The unclosed quote in the middle: 4 GBP lines of 100.00 in the file, 3 loaded, 1 rejected; the
    # rejected line's amount and currency come before its open quote, so the file total counts it.
    (gbp,) = rows("gl_file_control_totals", "finance/gl_unclosed_quote_middle.csv")
    assert (gbp["currency"], gbp["line_count"], gbp["rejected_line_count"], gbp["file_line_count"]) == (
        "GBP",
        3,
        1,
        4,
    )
    assert (str(gbp["amount_total"]), str(gbp["file_amount_total"])) == ("300.00", "400.00")
    # The snapshot dropped again under 2099-12-31 is a version of its own, dated by its name.
    dates = {
        str(r["_file_as_of"]) for r in rows("benefits_attribution", "benefits/attribution_2099-12-31.csv")
    }
    assert dates == {"2099-12-31"}
