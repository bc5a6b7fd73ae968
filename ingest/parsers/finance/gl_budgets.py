"""Finance exports: GL actual line items (through mapping profiles) and budgets.

GL actuals (kind "gl_actuals") can be ~1 GB, so they never pass through Python row by row: DuckDB
reads the CSV (every cell as text, columns renamed positionally to c0..cN so no header text ever
reaches SQL), checks and types every line in SQL, and writes
    <work_dir>/gl_line_items.parquet   the good lines (raw table gl_line_items)
    <work_dir>/gl_rejects.parquet      one row per problem: ref, column, value, reason
Counts and the per-currency control totals (gl_file_control_totals) are computed in SQL too.
A line is rejected whole when any of its checks fails; refs are "row N" with the header as row 1.

Mapping profiles (ingest/profiles/*.yaml plus settings.extra_profiles_dir; a same-named profile
there replaces the shipped one) map export headers to canonical fields. Each profile has one or
more variants (e.g. English and German headers of SAP CJI3), each with its date formats, amount
style and debit/credit flag values. The variant whose profile's required fields are all present
and which maps most headers wins; none -> FileRejected naming the closest variant's missing fields.

Fiscal year / period: taken from the export's columns when the profile maps them (`number`: SAP
period 1..16 beside a fiscal-year column; `year_month`: `2025-03`); when the export has no such
column, the calendar year / month of the posting date (the demo organisation's fiscal year is the
calendar year).

Debit/credit flag (S/H): with a flag, S makes the amount positive and H negative. A written minus
that agrees with the flag (H and `-420.81`) is accepted; S with a negative amount is a reject.
With an empty flag (where the profile allows it) the amount's own sign counts.

Budgets (kind "budgets": project_code, fiscal_period, amount, currency, version) are small and
read with parsers.common.tabular; fiscal_period `YYYY-MM` (also the unambiguous `YYYY/MM` and `MM/YYYY`)
becomes budget_month, the first day of that month; amounts in the generic style (1,234.56).
Cross-file checks (unknown project codes, ...) belong to the dbt models, not here.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import yaml

from ingest.contract import RAW_TABLES, TOTAL
from ingest.parsers.common import amounts
from ingest.parsers.common.amounts import AmountStyle, ValueProblem
from ingest.parsers.common.base import FileRejected, ParseContext, ParseResult
from ingest.parsers.common.tabular import (
    BLANK_LINE,
    UNCLOSED_QUOTE_REASON,
    XLSX_SUFFIXES,
    convert_rows,
    header_index,
    read_text_table,
    repair_copy,
    scan_csv_bytes,
    sniff_csv,
    sniff_header,
)
from ingest.settings import DUCKDB_MEMORY_LIMIT, IngestSettings
from ingest.sql import sql_literal

PROFILES_DIR = Path(__file__).resolve().parents[2] / "profiles"  # ingest/profiles

GL_FIELDS = (
    "posting_date",
    "fiscal_year",
    "fiscal_period",
    "company_code",
    "document_number",
    "line_item",
    "gl_account",
    "gl_account_name",
    "cost_center",
    "project_code",
    "amount",
    "currency",
    "debit_credit",
    "expense_type",
    "vendor",
    "description",
)
TEXT_FIELDS = (
    "company_code",
    "document_number",
    "line_item",
    "gl_account",
    "gl_account_name",
    "cost_center",
    "project_code",
    "vendor",
    "description",
)
# gl_line_items as the raw contract lists them; the COPY adds mapping_profile and _source_ref.
GL_OUTPUT_COLUMNS = tuple(name for name in RAW_TABLES["gl_line_items"].names if name != "mapping_profile")
BUDGET_FIELDS = ("project_code", "fiscal_period", "amount", "currency", "version")
BUDGET_VERSIONS = ("original", "revised", "forecast")
ALWAYS_REQUIRED = ("posting_date", "amount", "currency")
SNIFF_MIN_MATCHES = 3
MAX_REJECT_LINES_SHOWN = 3


# ---- mapping profiles ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    profile: str
    name: str
    required: tuple[str, ...]
    date_formats: tuple[str, ...]
    style: AmountStyle
    fiscal_period_style: str  # number | year_month
    debit_values: tuple[str, ...]
    credit_values: tuple[str, ...]
    flag_required: bool
    headers: dict[str, tuple[str, ...]]  # canonical field -> aliases as written

    def match(self, header: list[str]) -> dict[str, int]:
        """Canonical field -> column index of the first header that is one of its aliases."""
        index = header_index(header)
        found: dict[str, int] = {}
        for fld, aliases in self.headers.items():
            for alias in aliases:
                i = index.get(_norm(alias))
                if i is not None:
                    found[fld] = i
                    break
        return found

    @property
    def label(self) -> str:
        return f"{self.profile}/{self.name}"


def _norm(name: str) -> str:
    return " ".join(name.strip().lower().split())


def load_profiles(settings: IngestSettings | None = None) -> list[Variant]:
    """Every variant of every profile: shipped ones, then settings.extra_profiles_dir (same name wins)."""
    files: dict[str, Path] = {}
    folders = [PROFILES_DIR]
    if settings is not None and settings.extra_profiles_dir:
        folders.append(Path(settings.extra_profiles_dir))
    for folder in folders:
        for path in sorted(folder.glob("*.y*ml")):
            files[_profile_name(path)] = path
    variants: list[Variant] = []
    for path in files.values():
        variants.extend(_load_profile(path))
    return variants


def _profile_name(path: Path) -> str:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return str(data.get("name") or path.stem)


def _load_profile(path: Path) -> list[Variant]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    name = str(data.get("name") or path.stem)
    required = tuple(data.get("required") or ())
    problems = [f for f in required if f not in GL_FIELDS]
    problems += [f"required must include {f}" for f in ALWAYS_REQUIRED if f not in required]
    out: list[Variant] = []
    for vname, v in (data.get("variants") or {}).items():
        headers = {k: tuple([a] if isinstance(a, str) else a) for k, a in (v.get("headers") or {}).items()}
        problems += [f for f in headers if f not in GL_FIELDS]
        problems += [f for f in required if f not in headers]
        amount = v.get("amount") or {}
        dc = v.get("debit_credit") or {}
        style = str(v.get("fiscal_period_style", "number"))
        if style not in ("number", "year_month"):
            problems.append(f"fiscal_period_style {style!r}")
        out.append(
            Variant(
                profile=name,
                name=str(vname),
                required=required,
                date_formats=tuple(v.get("date_formats") or ("%Y-%m-%d",)),
                style=AmountStyle(str(amount.get("decimal", ".")), amount.get("thousands", ",")),
                fiscal_period_style=style,
                debit_values=tuple(str(x).upper() for x in dc.get("debit", ("S",))),
                credit_values=tuple(str(x).upper() for x in dc.get("credit", ("H",))),
                flag_required=bool(dc.get("required", False)),
                headers=headers,
            )
        )
    if problems or not out:
        raise ValueError(
            f"mapping profile {path}: unknown or unmapped canonical fields {sorted(set(problems))} "
            f"(known: {', '.join(GL_FIELDS)})"
            if problems
            else f"mapping profile {path}: no variants"
        )
    return out


def choose_profile(
    header: list[str], variants: list[Variant], file_name: str
) -> tuple[Variant, dict[str, int]]:
    """The best variant whose required fields are all present; else FileRejected naming the gaps."""
    scored = []
    for order, v in enumerate(variants):
        found = v.match(header)
        missing = [f for f in v.required if f not in found]
        scored.append((not missing, len(found), -order, v, found, missing))
    complete = [s for s in scored if s[0]]
    if complete:
        best = max(complete, key=lambda s: (s[1], s[2]))
        return best[3], best[4]
    closest = max(scored, key=lambda s: (s[1], s[2]))
    v, missing = closest[3], closest[5]
    wanted = "; ".join(f"{f} (header {' or '.join(repr(a) for a in v.headers[f])})" for f in missing)
    raise FileRejected(
        f"{file_name}: no mapping profile fits the headers. Closest is {v.label}, which misses the "
        f"required fields {wanted}. Headers found: {', '.join(header)}"
    )


# ---- sniffing ------------------------------------------------------------------------------------


def sniff(path: Path, head: str) -> str | None:
    header = sniff_header(path, head)
    names = {_norm(h) for h in header}
    # A budget file missing one of its columns is still a budget file (parse names the column).
    if len(set(BUDGET_FIELDS) & names) >= len(BUDGET_FIELDS) - 1 and "posting_date" not in names:
        return "budgets"
    try:  # sniff() gets no settings: read them as the runner does (vro.yaml)
        variants = load_profiles(IngestSettings.load())
    except (OSError, ValueError, TypeError, yaml.YAMLError):
        return None
    if any(len(v.match(header)) >= SNIFF_MIN_MATCHES for v in variants):
        return "gl_actuals"
    return None


def parse(path: Path, ctx: ParseContext, kind: str) -> ParseResult:
    if kind == "gl_actuals":
        return parse_gl(path, ctx)
    if kind == "budgets":
        return parse_budgets(path, ctx)
    raise ValueError(f"ingest.parsers.finance.gl_budgets does not read kind {kind!r}")


# ---- GL actuals ----------------------------------------------------------------------------------


def parse_gl(path: Path, ctx: ParseContext) -> ParseResult:
    variants = load_profiles(ctx.settings)
    work = Path(ctx.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    is_csv = path.suffix.lower() not in XLSX_SUFFIXES
    con = duckdb.connect()
    try:
        con.execute(f"set memory_limit = {sql_literal(DUCKDB_MEMORY_LIMIT)}")
        con.execute("set preserve_insertion_order = false")
        con.execute(f"set temp_directory = {sql_literal(str(work / 'duckdb_tmp'))}")
        header = _register_csv(con, path, work) if is_csv else _register_xlsx(con, path, ctx.settings)
        try:
            variant, mapping = choose_profile(header, variants, path.name)
            dupes = _duplicate_mapped_headers(header, mapping, variant)
            if dupes:
                raise FileRejected(
                    f"{path.name}: the headers {dupes} appear more than once; which one is meant is unclear"
                )
        except FileRejected as exc:
            if is_csv:  # an unreadable or ragged CSV is the first thing to say, as it always was
                _read_or_reject(con, path, "select count(*) from src", is_csv)
            exc.rows_read = con.execute("select count(*) from src").fetchone()[0]  # every line rejected
            raise
        # One pass over the file: read (one thread, so that row_number() is the record's order),
        # check and type every line into a temp table (spilling to temp_directory beyond the
        # memory limit); the good lines and the rejects are then written from it on all threads.
        threads = con.execute("select current_setting('threads')").fetchone()[0]
        con.execute("set threads = 1")
        _read_or_reject(
            con, path, f"create temp table gl_checked as {_gl_check_sql(variant, mapping)}", is_csv
        )
        con.execute(f"set threads = {int(threads)}")
        rows_read, rows_loaded = con.execute(
            "select count(*), count(*) filter (where _errs is null) from gl_checked"
        ).fetchone()
        if rows_read == 0:
            raise FileRejected(f"{path.name}: the file has a header but no data lines")
        out, rejects = work / "gl_line_items.parquet", work / "gl_rejects.parquet"
        columns = ", ".join(GL_OUTPUT_COLUMNS)
        con.execute(
            f"copy (select {columns}, {sql_literal(variant.profile)} as mapping_profile, _source_ref "
            "from gl_checked where _errs is null) "
            f"to {sql_literal(str(out))} (format parquet)"
        )
        con.execute("create temp table hdr (idx integer, name varchar)")
        con.executemany("insert into hdr values (?, ?)", list(enumerate(header)))
        con.execute(
            'copy (select e._source_ref as ref, h.name as "column", e.value, e.reason from ('
            " select _source_ref, unnest(_errs, recursive := true)"
            " from gl_checked where _errs is not null) e left join hdr h on h.idx = e.col"
            f") to {sql_literal(str(rejects))} (format parquet)"
        )
        # Per currency cell as written: the loaded lines (what the facts must tie to) and every line
        # of the file, rejected ones included (an amount that cannot be read adds nothing).
        totals = con.sql(
            "select nullif(_currency_text, '') as currency, "
            "count(*) filter (where _errs is null)::bigint as line_count, "
            "coalesce(sum(amount) filter (where _errs is null), 0)::decimal(38,2) as amount_total, "
            "count(*)::bigint as file_line_count, "
            "count(*) filter (where _errs is not null)::bigint as rejected_line_count, "
            "coalesce(sum(amount), 0)::decimal(38,2) as file_amount_total "
            "from gl_checked group by all order by currency nulls last"
        ).to_arrow_table()
    finally:
        con.close()
    control = pa.table(
        {
            "currency": totals.column("currency").cast(pa.string()),
            "line_count": totals.column("line_count").cast(pa.int64()),
            "amount_total": totals.column("amount_total").cast(TOTAL),
            "file_line_count": totals.column("file_line_count").cast(pa.int64()),
            "rejected_line_count": totals.column("rejected_line_count").cast(pa.int64()),
            "file_amount_total": totals.column("file_amount_total").cast(TOTAL),
            "_source_ref": pa.array(["file"] * totals.num_rows, pa.string()),
        }
    )
    return ParseResult(
        tables={"gl_line_items": out, "gl_file_control_totals": control},
        rejects=[],
        rows_read=rows_read,
        rows_loaded=rows_loaded,
        file_kind="gl_actuals",
        rejects_parquet=rejects,
        rows_rejected_override=rows_read - rows_loaded,
    )


def _read_or_reject(con: duckdb.DuckDBPyConnection, path: Path, sql: str, is_csv: bool) -> None:
    """Run `sql` over view `src`; a CSV that cannot be read, or has ragged lines, is rejected whole."""
    try:
        con.execute(sql).fetchall()
    except (duckdb.InvalidInputException, duckdb.ConversionException) as exc:
        raise FileRejected(f"{path.name}: not a readable CSV file ({_first_line(exc)})") from exc
    if is_csv:
        _raise_on_csv_structure_errors(con, path)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300]


def _duplicate_mapped_headers(header: list[str], mapping: dict[str, int], variant: Variant) -> list[str]:
    mapped = {_norm(header[i]) for i in mapping.values()}
    seen: dict[str, int] = {}
    for h in header:
        seen[_norm(h)] = seen.get(_norm(h), 0) + 1
    return sorted(h for h, n in seen.items() if n > 1 and h in mapped)


def _register_csv(con: duckdb.DuckDBPyConnection, path: Path, work: Path) -> list[str]:
    dialect = sniff_csv(path)
    source = path
    if dialect.encoding == "cp1252":
        source = work / "gl_utf8.csv"
        _transcode(path, source, "cp1252", skip_bom=dialect.has_bom)
    encoding = "utf-16" if dialect.encoding == "utf16" else "utf-8"
    con.execute("create temp table vro_repairs (rep_rn bigint, rep_text varchar)")
    unclosed, blank, mixed = scan_csv_bytes(source)
    if unclosed or blank or mixed:  # rare: a Python pass over the lines, into a repaired copy
        repaired = work / "gl_repaired.csv"
        bad = repair_copy(
            source,
            repaired,
            dialect.delimiter,
            len(dialect.header),
            "utf8" if source != path else dialect.encoding,
        )
        source, encoding = repaired, "utf-8"
        if bad:
            con.executemany("insert into vro_repairs values (?, ?)", bad)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(dialect.header))) + "}"
    # No header text reaches SQL: columns are c0..cN by position, the header line is skipped.
    # The reader runs on one thread (parallel = false, and the query reading `src` runs with
    # threads = 1) so that row_number() over () is the record's order in the file.
    con.execute(
        "create temp view src as select * from (select (row_number() over () + 1)::bigint as _rn, * "
        f"from read_csv({sql_literal(str(source))}, header = false, skip = 1, columns = {columns}, "
        f"delim = {sql_literal(dialect.delimiter)}, quote = '\"', escape = '\"', auto_detect = false, "
        f"encoding = {sql_literal(encoding)}, store_rejects = true, parallel = false)) "
        f"where c0 is distinct from {sql_literal(BLANK_LINE)}"
    )
    return dialect.header


def _raise_on_csv_structure_errors(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    # One line may give several errors (one per missing field): count and show lines, not errors.
    errors = con.execute(
        "select line, any_value(error_message), any_value(csv_line) from reject_errors "
        "group by line order by line limit ?",
        [MAX_REJECT_LINES_SHOWN],
    ).fetchall()
    total = con.execute("select count(distinct line) from reject_errors").fetchone()[0]
    if total:
        good = con.execute("select count(*) from src").fetchone()[0]
        shown = "; ".join(f"line {line}: {msg} ({text[:80]!r})" for line, msg, text in errors)
        what = "1 line does" if total == 1 else f"{total} lines do"
        raise FileRejected(
            f"{path.name}: {what} not have the header's number of fields (wrong delimiter or a broken "
            f"export?); the file is refused whole so that no line is lost: {shown}",
            rows_read=good + total,
        )


def _transcode(src: Path, dst: Path, encoding: str, skip_bom: bool) -> None:
    """Re-encode as UTF-8 in 1 MiB chunks (cp1252 is one byte per character: no split characters)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with src.open("rb") as fin, dst.open("w", encoding="utf-8", newline="") as fout:
        if skip_bom:
            fin.read(3)
        while chunk := fin.read(1 << 20):
            try:
                fout.write(decoder.decode(chunk))
            except UnicodeDecodeError as exc:
                raise FileRejected(f"{src.name}: neither UTF-8 nor Windows-1252 text ({exc})") from exc
        fout.write(decoder.decode(b"", final=True))


def _register_xlsx(con: duckdb.DuckDBPyConnection, path: Path, settings: IngestSettings) -> list[str]:
    text = read_text_table(path, settings)  # zip-bomb guarded; bounded by the XLSX row limit
    table = text.table.append_column("_rn", pa.array(text.row_numbers(), pa.int64()))
    con.execute("create temp table vro_repairs (rep_rn bigint, rep_text varchar)")
    con.register("src_arrow", table)
    con.execute("create temp view src as select * from src_arrow")
    return text.header


def _gl_check_sql(v: Variant, mapping: dict[str, int]) -> str:
    """SQL over view `src` (_rn, c0..cN): the typed GL_OUTPUT_COLUMNS, `_source_ref` and `_errs`,
    the list of problems (col, value, reason), null for a good line.

    Layers so that each cell is trimmed and matched once: `cells` (trimmed text), `typed` (the
    parsed date, whether the amount is plain, the flag), `with_amounts` (the amount's validity,
    magnitude and written sign), `judged` (one reason column per check, null when fine) and the
    final projection with the list of problems, built only for a line that has any. A plain
    amount (1234.56, the common case) skips the amount regular expressions
    (amounts.sql_amount_parts).
    """
    lit = sql_literal

    def raw(f: str) -> str:
        return f"c{mapping[f]}" if f in mapping else "null::varchar"

    def one_of(values: tuple[str, ...]) -> str:
        return f"flag in ({', '.join(lit(x) for x in values)})"

    raws = ", ".join(f"c{i}" for i in sorted(set(mapping.values())))
    # One format: the scalar try_strptime (the list form tries each in turn, the same parse).
    fmts = lit(v.date_formats[0]) if len(v.date_formats) == 1 else f"[{', '.join(map(lit, v.date_formats))}]"
    trimmed = ", ".join(f"coalesce(trim({raw(f)}), '') as t_{f}" for f in GL_FIELDS)
    t_all = ", ".join(f"t_{f}" for f in GL_FIELDS)
    cells = f"select _rn, {raws}, {trimmed} from src"
    typed = (
        f"select _rn, {raws}, {t_all}, try_strptime(t_posting_date, {fmts})::date as posted, "
        f"{amounts.sql_amount_plain('t_amount', v.style)} as amt_plain, "
        f"upper(t_debit_credit) as flag from ({cells})"
    )
    valid, magnitude, negative = amounts.sql_amount_parts(raw("amount"), "t_amount", "amt_plain", v.style)
    with_amounts = (
        f"select _rn, {raws}, {t_all}, posted, flag, {valid} as amt_valid, {magnitude} as amt_mag, "
        f"{negative} as amt_neg from ({typed})"
    )

    reasons: dict[str, str] = {}
    reasons["posting_date"] = (
        "case when t_posting_date = '' then 'the posting date is empty' when posted is null then "
        f"{lit('not a date in the profile format ' + ' or '.join(v.date_formats) + f' ({v.label})')} end"
    )
    reasons["amount"] = (
        "case when t_amount = '' then 'the amount is empty' "
        f"when not amt_valid and {amounts.sql_amount_too_many_decimals('t_amount', v.style)} then "
        f"{lit(amounts.TOO_MANY_DECIMALS)} "
        f"when not amt_valid then {lit(f'not an amount in the style {v.style.describe()} ({v.label})')} "
        "when amt_mag is null then 'the amount is too large for decimal(18,2)' end"
    )
    reasons["currency"] = (
        "case when t_currency = '' then 'the currency is empty' "
        f"when not regexp_full_match(t_currency, {lit(amounts.CURRENCY_PATTERN)}) then "
        f"{lit(amounts.currency_reason('eu') or '')} "
        f"when t_currency = 'XXX' then {lit(amounts.currency_reason('XXX') or '')} end"
    )
    for f in ("company_code", "document_number"):
        if f in mapping:
            reasons[f] = f"case when t_{f} = '' then {lit('the ' + f.replace('_', ' ') + ' is empty')} end"
    if "debit_credit" in mapping:
        allowed = "/".join(v.debit_values + v.credit_values)
        reasons["debit_credit"] = (
            f"case when flag = '' and {'true' if v.flag_required else 'false'} then "
            f"{lit(f'the debit/credit flag is empty ({allowed})')} "
            f"when flag <> '' and not {one_of(v.debit_values + v.credit_values)} then "
            f"{lit(f'the debit/credit flag must be one of {allowed}')} "
            f"when {one_of(v.debit_values)} and amt_valid and amt_neg then "
            f"{lit('a negative amount with a debit flag contradicts itself')} end"
        )
    year_sql, period_sql = "year(posted)", "month(posted)"
    if "fiscal_year" in mapping:
        reasons["fiscal_year"] = (
            "case when not regexp_full_match(t_fiscal_year, '[0-9]{4}') then "
            "'the fiscal year is not a 4-digit year' end"
        )
        year_sql = "try_cast(t_fiscal_year as bigint)"
    if "fiscal_period" in mapping:
        if v.fiscal_period_style == "year_month":
            ok = "regexp_full_match(t_fiscal_period, '[0-9]{4}-(0[1-9]|1[0-2])')"
            reasons["fiscal_period"] = (
                f"case when not {ok} then 'the fiscal period is not a month YYYY-MM' end"
            )
            period_sql = f"case when {ok} then try_cast(split_part(t_fiscal_period, '-', 2) as bigint) end"
            if "fiscal_year" not in mapping:
                year_sql = f"case when {ok} then try_cast(split_part(t_fiscal_period, '-', 1) as bigint) end"
        else:
            ok = (
                "(regexp_full_match(t_fiscal_period, '[0-9]{1,3}') "
                "and coalesce(try_cast(t_fiscal_period as integer) between 1 and 16, false))"
            )
            reasons["fiscal_period"] = (
                f"case when not {ok} then 'the fiscal period is not a number 1..16' end"
            )
            period_sql = f"case when {ok} then try_cast(t_fiscal_period as bigint) end"
    if "expense_type" in mapping:
        reasons["expense_type"] = (
            "case when t_expense_type <> '' and lower(t_expense_type) not in ('capex', 'opex') "
            "then 'the expense type must be capex, opex or empty' end"
        )

    signed = (  # null when the amount cannot be read (it adds nothing to the file's total)
        "case when not coalesce(amt_valid, false) then null "
        f"when {one_of(v.credit_values)} then -amt_mag "
        f"when {one_of(v.debit_values)} then amt_mag "
        "when amt_neg then -amt_mag else amt_mag end"
    )
    texts = ", ".join(f"nullif(t_{f}, '') as {f}" for f in TEXT_FIELDS)
    judged = (
        f"select _rn, {raws}, {', '.join(f'{r} as r_{f}' for f, r in reasons.items())}, {texts}, "
        f"{year_sql} as fiscal_year, {period_sql} as fiscal_period, posted as posting_on, "
        f"{signed} as amount_signed, t_currency as currency_text, "
        f"nullif(lower(t_expense_type), '') as expense_type_text from ({with_amounts})"
    )
    errs = ", ".join(
        f"case when r_{f} is not null then {{'col': {mapping.get(f, -1)}, 'value': {raw(f)}, "
        f"'reason': r_{f}}} end"
        for f in reasons
    )
    any_reason = " or ".join(f"r_{f} is not null" for f in reasons)
    return (
        "select company_code, fiscal_year::bigint as fiscal_year, "
        "fiscal_period::bigint as fiscal_period, posting_on, document_number, line_item, gl_account, "
        "gl_account_name, cost_center, project_code, amount_signed::decimal(18,2) as amount, "
        "currency_text as currency, expense_type_text as expense_type, vendor, description, "
        "'row ' || _rn as _source_ref, "
        f"case when rep_rn is not null then [{{'col': -1, 'value': rep_text, "
        f"'reason': {lit(UNCLOSED_QUOTE_REASON)}}}] "
        f"when {any_reason} then list_filter([{errs}], lambda e: e is not null) end as _errs, "
        "currency_text as _currency_text "
        f"from ({judged}) left join vro_repairs on rep_rn = _rn"
    )


# ---- budgets -------------------------------------------------------------------------------------


def parse_budgets(path: Path, ctx: ParseContext) -> ParseResult:
    text = read_text_table(path, ctx.settings)
    text.require_columns(path.name, BUDGET_FIELDS, "budget file")
    text.require_rows(path.name)
    fields = (
        ("project_code", "project_code", amounts.required_text),
        ("fiscal_period", "budget_month", amounts.parse_period),
        ("amount", "amount", amounts.parse_amount),
        ("currency", "currency", amounts.parse_currency),
        ("version", "version", _budget_version),
    )
    return convert_rows(text, fields, "budgets", "budgets")


def _budget_version(text: str | None) -> str:
    t = (text or "").strip().lower()
    if t not in BUDGET_VERSIONS:
        raise ValueProblem(f"the budget version must be one of {', '.join(BUDGET_VERSIONS)}")
    return t
