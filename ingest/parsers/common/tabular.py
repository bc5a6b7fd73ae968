"""Read a CSV or XLSX file as text cells with its header as written (duplicates kept).

Row references follow the spreadsheet convention every user knows: the header is row 1, the
first data record is row 2. A multi-line quoted cell still counts as one record, and a record skipped
for its wrong number of fields, or a blank line (not data, not counted as read), keeps its number:
the records after it are not shifted up. In an XLSX sheet the reference is the sheet's own row
number, blank rows included. Every reference reads `row N`.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from ingest.parsers.common import amounts
from ingest.parsers.common.base import FileRejected, ParseResult, Reject, rows_to_table
from ingest.settings import IngestSettings

XLSX_SUFFIXES = {".xlsx", ".xlsm"}


@dataclass
class CsvDialect:
    encoding: str  # as pyarrow and DuckDB name it: "utf8" or "cp1252" / "utf16"
    delimiter: str
    has_bom: bool
    header: list[str]  # stripped of the BOM and surrounding spaces, duplicates kept


@dataclass
class TextTable:
    header: list[str]
    table: pa.Table  # all string columns named c0..cN-1, in header order (see read_csv_text's `wanted`)
    bad_rows: list[Reject]  # records with the wrong number of fields (or unreadable XLSX rows)
    # The record numbers (header = 1) of records not in `table`: bad_rows and blank lines.
    skipped: list[int | None] = field(default_factory=list)
    # XLSX: the sheet row number of each record of `table` (None: numbered from `skipped`).
    numbers: list[int] | None = None

    @property
    def rows_read(self) -> int:
        """Every data record: those in self.table and those skipped as bad_rows."""
        return self.table.num_rows + len(self.bad_rows)

    def row_number(self, index: int) -> int:
        """The record number (header = 1) of data record `index` (0-based) of self.table."""
        if self.numbers is not None:
            return self.numbers[index]
        number = index + 2
        for skipped in sorted(n for n in self.skipped if n is not None):
            if skipped > number:
                break
            number += 1
        return number

    def row_numbers(self) -> list[int]:
        """row_number(i) of every data record of self.table, in order."""
        if self.numbers is not None:
            return list(self.numbers)
        numbers: list[int] = []
        start = 2
        for skipped in sorted(n for n in self.skipped if n is not None):
            numbers.extend(range(start, skipped))
            start = skipped + 1
        numbers.extend(range(start, start + self.table.num_rows - len(numbers)))
        return numbers

    def ref(self, index: int) -> str:
        """The reference of data record `index` (0-based) of self.table."""
        return f"row {self.row_number(index)}"

    def require_columns(self, file_name: str, names: Iterable[str], what: str) -> None:
        """FileRejected naming the (lower-case) header names missing from the header."""
        index = header_index(self.header)
        missing = [name for name in names if name not in index]
        if missing:
            raise FileRejected(
                f"{file_name}: {what} without the columns {missing}; headers: {self.header} "
                "(ingest/EXPORTS.md lists the columns of each format)",
                rows_read=self.rows_read,
            )

    def require_rows(self, file_name: str, records: str = "data lines") -> None:
        """FileRejected for a file with a header and nothing under it."""
        if self.table.num_rows == 0 and not self.bad_rows:
            raise FileRejected(f"{file_name}: the file has a header but no {records}")


def sniff_csv(path: Path, head_bytes: int = 256 * 1024) -> CsvDialect:
    raw = path.read_bytes()[:head_bytes] if path.stat().st_size <= head_bytes else _head(path, head_bytes)
    if not raw.strip():
        raise FileRejected(f"{path.name}: the file is empty")
    has_bom = raw.startswith(b"\xef\xbb\xbf")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, text = "utf16", raw.decode("utf-16", errors="ignore")
    else:
        body = raw[3:] if has_bom else raw
        try:
            text = body.decode("utf-8")
            encoding = "utf8"
        except UnicodeDecodeError as exc:
            # A cut in the middle of a multi-byte character at the end of the sample is fine.
            if exc.start >= len(body) - 4:
                text, encoding = body[: exc.start].decode("utf-8"), "utf8"
            else:
                text, encoding = body.decode("cp1252", errors="replace"), "cp1252"
    first_line = first_line_of(text)
    counts = {d: first_line.count(d) for d in (",", ";", "\t", "|")}
    delimiter = max(counts, key=lambda d: counts[d])
    if counts[delimiter] == 0:
        delimiter = ","
    header_record = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
    header = [h.strip() for h in header_record]
    return CsvDialect(encoding=encoding, delimiter=delimiter, has_bom=has_bom, header=header)


# The line boundaries of str.splitlines.
_LINE_BREAK = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def first_line_of(text: str) -> str:
    """text.splitlines()[0] ("" for ""), without splitting all of the text."""
    found = _LINE_BREAK.search(text)
    return text[: found.start()] if found else text


def _head(path: Path, n: int) -> bytes:
    with path.open("rb") as fh:
        return fh.read(n)


# Sentinel records the repair copy puts where a line could not stand as a record (see _repair_copy).
BLANK_LINE = "__vro_blank_line__"
UNCLOSED_QUOTE = "__vro_unclosed_quote__"
UNCLOSED_QUOTE_REASON = (
    "a quoted field opens on this line and is never closed (a lone '\"'): the line is rejected so "
    "that the lines after it are still read; close or remove the quote"
)


def scan_csv_bytes(path: Path, chunk: int = 8 << 20) -> tuple[bool, bool, bool]:
    """(odd number of quote characters, a blank line before the last record, mixed CRLF and LF line
    ends), in one pass of C-speed byte counts: the three shapes DuckDB would read silently short
    (an unclosed quote swallows the rest of the file; a blank line shifts every later row number)
    or refuse with an unhelpful message (mixed line ends). Blank lines at the very end are harmless."""
    quotes = crlf = lf = 0
    blank = pending_blank = False
    tail = b""
    with path.open("rb") as fh:
        while block := fh.read(chunk):
            data = tail + block
            quotes += block.count(b'"')
            crlf += block.count(b"\r\n") + (tail.endswith(b"\r") and block.startswith(b"\n"))
            lf += block.count(b"\n")
            if pending_blank and block.strip(b"\r\n"):
                blank = True
            last = max(data.rfind(b"\n\n"), data.rfind(b"\n\r\n"))
            if last >= 0 and not blank:
                if data[last:].strip(b"\r\n"):
                    blank = True
                else:
                    pending_blank = True
            tail = data[-2:]
    return quotes % 2 == 1, blank, 0 < crlf < lf


def repair_copy(src: Path, dst: Path, delimiter: str, fields: int, encoding: str) -> list[tuple[int, str]]:
    """Copy `src` to `dst` (UTF-8, LF line ends) with one record per record of `src`, numbered alike:
    a blank line becomes a BLANK_LINE sentinel record (skipped, but it keeps its number, so the rows
    after it keep theirs), and the line where a never-closed quoted field opens is cut before that
    quote (its earlier fields kept, the rest empty; the caller rejects it by its number), so the
    rest of the file is read instead of swallowed into one field. Two streaming passes. Returns
    (record number, line text) of that line."""
    text_encoding = "utf-8-sig" if encoding == "utf8" else ("utf-16" if encoding == "utf16" else encoding)

    def lines():
        with src.open("r", encoding=text_encoding, errors="replace", newline="") as fh:
            for line in fh:
                yield line.rstrip("\n").rstrip("\r")

    parity, last_even = 0, 0  # quote parity after each line; the last line that starts at parity 0
    for i, line in enumerate(lines()):
        if parity == 0:
            last_even = i
        parity ^= line.count('"') & 1
    unclosed = last_even if parity else None
    filler = delimiter * (fields - 1)
    bad: list[tuple[int, str]] = []
    record = 1  # the header is record 1
    in_quote = False
    with dst.open("w", encoding="utf-8", newline="\n") as out:
        for i, line in enumerate(lines()):
            if i == 0:
                out.write(line + "\n")
                in_quote = bool(line.count('"') & 1)
                continue
            if not in_quote:
                record += 1
                if i == unclosed:
                    bad.append((record, line[:200]))
                    out.write(_cut_before_last_quote(line, delimiter, fields) + "\n")
                    continue
                if line == "":
                    out.write(BLANK_LINE + filler + "\n")
                    continue
            out.write(line + "\n")
            if line.count('"') & 1:
                in_quote = not in_quote
    return bad


def _cut_before_last_quote(line: str, delimiter: str, fields: int) -> str:
    """The line up to its last quote (the one left open), padded to `fields` fields: the fields
    before the open quote (an amount, a currency) stay readable for the file's control totals.
    An UNCLOSED_QUOTE sentinel record where that does not give the header's number of fields."""
    prefix = line[: line.rindex('"')]
    found = max(1, len(next(csv.reader([prefix], delimiter=delimiter), [])))  # "" is one empty field
    if found > fields:
        return UNCLOSED_QUOTE + delimiter * (fields - 1)
    return prefix + delimiter * (fields - found)


def read_csv_text(path: Path, wanted: Callable[[str], bool] | None = None) -> TextTable:
    """The file's cells as text. With `wanted` (a test on a header name), only the columns it accepts
    are converted (faster): `table` lacks the others, still naming its columns c<i> by position.
    Every record is counted and checked for its number of fields all the same.

    A quoted cell that never closes would swallow the rest of the file into one record, and a blank
    line would shift the numbers of the rows after it: such a file is read from a repaired copy
    (repair_copy) where the line that opens the quote is a reject, a blank line is no record, and
    every row keeps its number."""
    dialect = sniff_csv(path)
    unclosed_quote, blank_line, _ = scan_csv_bytes(path)
    if unclosed_quote or blank_line:  # rare: read from a repaired copy that keeps every row number
        with tempfile.TemporaryDirectory(prefix="vro_csv_") as tmp:
            repaired = Path(tmp) / "repaired.csv"
            unclosed = repair_copy(path, repaired, dialect.delimiter, len(dialect.header), dialect.encoding)
            text = _read_csv_cells(
                repaired, CsvDialect("utf8", dialect.delimiter, False, dialect.header), None
            )
        return _without_sentinels(text, dict(unclosed))
    return _read_csv_cells(path, dialect, wanted)


def _without_sentinels(text: TextTable, unclosed: dict[int, str]) -> TextTable:
    """A table read from a repair_copy: its sentinel records out, the unclosed-quote lines rejects."""
    numbers = text.row_numbers()
    first = text.table.column("c0").to_pylist() if text.table.num_columns else []
    keep, kept_numbers = [], []
    bad_rows = list(text.bad_rows)
    for i, (number, c0) in enumerate(zip(numbers, first, strict=True)):
        if number in unclosed:
            bad_rows.append(Reject(f"row {number}", None, unclosed.get(number), UNCLOSED_QUOTE_REASON))
        elif c0 != BLANK_LINE:
            keep.append(i)
            kept_numbers.append(number)
    return TextTable(
        header=text.header,
        table=text.table.take(pa.array(keep, pa.int64())),
        bad_rows=bad_rows,
        skipped=text.skipped,
        numbers=kept_numbers,
    )


def _read_csv_cells(path: Path, dialect: CsvDialect, wanted: Callable[[str], bool] | None) -> TextTable:
    names = [f"c{i}" for i in range(len(dialect.header))]
    include = None
    if wanted is not None:
        include = [name for name, header in zip(names, dialect.header, strict=True) if wanted(header)]
        # pyarrow checks the UTF-8 of the columns it converts: unless all of the file is valid UTF-8,
        # convert them all so that the file is read or refused exactly as without `wanted`.
        if not include or (dialect.encoding == "utf8" and not _is_utf8(path)):
            include = None
    bad_rows: list[Reject] = []
    skipped: list[int | None] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        skipped.append(row.number)  # pyarrow numbers records (header = 1), as the refs do
        line = f"row {row.number}" if row.number is not None else "a record"
        bad_rows.append(
            Reject(
                ref=line,
                column=None,
                value=(row.text or "")[:200],
                reason=f"{row.actual_columns} fields where the header has {row.expected_columns}",
            )
        )
        return "skip"

    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(
                column_names=names, skip_rows=1, encoding=dialect.encoding, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=dialect.delimiter,
                newlines_in_values=True,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                include_columns=include,
            ),
        )
    except UnicodeDecodeError as exc:  # a byte Windows-1252 does not define (0x81, 0x8d, ...)
        byte = exc.object[exc.start : exc.start + 1]
        raise FileRejected(
            f"{path.name}: neither UTF-8 nor Windows-1252 text (byte {byte!r}); save it again as UTF-8 CSV"
        ) from None
    except pa.ArrowInvalid as exc:
        first = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else "unreadable"
        raise FileRejected(
            f"{path.name}: not a readable CSV file ({first}); save it again as UTF-8 CSV"
        ) from exc
    return TextTable(header=dialect.header, table=table, bad_rows=bad_rows, skipped=skipped)


def _is_utf8(path: Path) -> bool:
    with pa.memory_map(str(path)) as fh:
        data = fh.read_buffer()
        offsets = pa.array([0, data.size], pa.int64()).buffers()[1]
        try:
            pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, data]).validate(full=True)
        except pa.ArrowInvalid:
            return False
    return True


def check_xlsx_safe(path: Path, settings: IngestSettings) -> None:
    """Refuse a zip bomb before openpyxl inflates it."""
    try:
        with zipfile.ZipFile(path) as zf:
            total = sum(info.file_size for info in zf.infolist())
            packed = max(1, sum(info.compress_size for info in zf.infolist()))
    except zipfile.BadZipFile as exc:
        raise FileRejected(f"{path.name}: not a valid XLSX file ({exc})") from exc
    if total > settings.max_xlsx_uncompressed_bytes:
        raise FileRejected(
            f"{path.name}: unpacks to {total:,} bytes, over the limit of "
            f"{settings.max_xlsx_uncompressed_bytes:,} (max_xlsx_uncompressed_bytes)"
        )
    if total / packed > settings.max_xlsx_compression_ratio:
        raise FileRejected(
            f"{path.name}: compression ratio {total / packed:.0f}:1 looks like a zip bomb "
            f"(limit {settings.max_xlsx_compression_ratio:.0f}:1)"
        )


FORMULA_WITHOUT_VALUE = (
    "formula cell(s) without a computed value (the file was written by a program that does not "
    "calculate, or saved without calculating): open it in Excel or LibreOffice and save it again"
)


def read_xlsx_text(path: Path, settings: IngestSettings, sheet: str | None = None) -> TextTable:
    """The first sheet (or `sheet`), cells as display text; dates as ISO strings.

    Blank rows are skipped but every record keeps its sheet row number. A row with a formula whose
    computed value the file does not hold (openpyxl reads such a cell as empty) is a reject naming
    the formula, never a silently empty or silently skipped row: the workbook is read a second time
    for the formulas only when a row has an empty cell.
    """
    import openpyxl

    check_xlsx_safe(path, settings)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any workbook openpyxl cannot open
        raise FileRejected(
            f"{path.name}: not a readable XLSX workbook ({type(exc).__name__}: {exc})"
        ) from None
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise FileRejected(f"{path.name}: no sheet named {sheet!r} (sheets: {wb.sheetnames})")
        ws = wb[sheet] if sheet else wb.worksheets[0]
        title = ws.title
        rows = ws.iter_rows(values_only=True)
        header_row = next(rows, None)
        if header_row is None:
            raise FileRejected(f"{path.name}: the sheet {ws.title!r} is empty")
        header = [("" if h is None else str(h)).strip() for h in header_row]
        while header and header[-1] == "":
            header.pop()
        records: list[tuple[int, tuple]] = []
        with_empty: list[int] = []  # rows (sheet numbers) with an empty cell: may hide a formula
        for number, values in enumerate(rows, start=2):
            values = tuple(values or ())[: len(header)]
            if any(v is None or v == "" for v in values) or len(values) < len(header):
                with_empty.append(number)
            records.append((number, values))
    finally:
        wb.close()
    formulas = _formulas_without_values(path, title, set(with_empty), len(header)) if with_empty else {}
    columns: list[list[str]] = [[] for _ in header]
    numbers: list[int] = []
    bad_rows: list[Reject] = []
    skipped: list[int | None] = []
    for number, values in records:
        if number in formulas:
            col, formula = formulas[number]
            skipped.append(number)
            bad_rows.append(
                Reject(f"row {number}", header[col] or f"column {col + 1}", formula, FORMULA_WITHOUT_VALUE)
            )
            continue
        if all(v is None or v == "" for v in values):
            continue  # a blank row: not a record
        numbers.append(number)
        for i in range(len(header)):
            columns[i].append(_cell_text(values[i] if i < len(values) else None))
    table = pa.table({f"c{i}": pa.array(col, pa.string()) for i, col in enumerate(columns)})
    return TextTable(header=header, table=table, bad_rows=bad_rows, skipped=skipped, numbers=numbers)


def _cell_text(v: object) -> str:
    import datetime as dt

    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _formulas_without_values(
    path: Path, title: str, rows: set[int], width: int
) -> dict[int, tuple[int, str]]:
    """Sheet row -> (column index, formula) of the first formula among `rows` (rows whose computed
    values came back empty)."""
    import openpyxl

    found: dict[int, tuple[int, str]] = {}
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        for number, values in enumerate(wb[title].iter_rows(values_only=True), start=1):
            if number not in rows:
                continue
            for i, v in enumerate(tuple(values or ())[:width]):
                if isinstance(v, str) and v.startswith("="):
                    found[number] = (i, v[:200])
                    break
    finally:
        wb.close()
    return found


def read_text_table(path: Path, settings: IngestSettings, sheet: str | None = None) -> TextTable:
    if path.suffix.lower() in XLSX_SUFFIXES:
        return read_xlsx_text(path, settings, sheet)
    return read_csv_text(path)


def sniff_header(path: Path, head: str) -> list[str]:
    """The header of a CSV (from its decoded head) or of an XLSX file's first sheet."""
    if path.suffix.lower() in XLSX_SUFFIXES:
        return _xlsx_header(path)
    first = head.splitlines()[0] if head.strip() else ""
    counts = {d: first.count(d) for d in (",", ";", "\t", "|")}
    delim = max(counts, key=lambda d: counts[d])
    return [h.strip() for h in next(csv.reader(io.StringIO(first), delimiter=delim), [])]


def _xlsx_header(path: Path) -> list[str]:
    import openpyxl

    try:
        check_xlsx_safe(path, IngestSettings())
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # an unreadable workbook is not ours to claim; parse explains it
        return []
    try:
        row = next(wb.worksheets[0].iter_rows(values_only=True, max_row=1), None) or ()
        return [("" if v is None else str(v)).strip() for v in row]
    finally:
        wb.close()


def header_index(header: list[str]) -> dict[str, int]:
    """Case-insensitive first-occurrence index of each header name."""
    index: dict[str, int] = {}
    for i, name in enumerate(header):
        index.setdefault(name.strip().lower(), i)
    return index


Converter = Callable[[str | None], object]
# A row's cross-column rule: (ref, typed values, header as written and cell text per header name).
RowCheck = Callable[[str, dict, dict[str, str], dict[str, str | None]], list[Reject]]


def convert_rows(
    text: TextTable,
    fields: Iterable[tuple[str, str, Converter]],
    table: str,
    file_kind: str,
    check: RowCheck | None = None,
) -> ParseResult:
    """Every data record through `fields` (lower-case header name, raw column, converter) into `table`.

    A record is loaded whole or rejected with one Reject per cell whose converter raised ValueProblem
    (amounts.convert_cells); `check` adds cross-column problems of a record whose cells all converted.
    The skipped records (bad_rows) come first among the rejects. Every header name must
    be in the header (the caller checks and rejects the file otherwise).
    """
    fields = list(fields)
    index = header_index(text.header)
    cells = {name: text.table.column(f"c{index[name]}").to_pylist() for name, _, _ in fields}
    shown = {name: text.header[index[name]] for name, _, _ in fields}
    rows: list[dict] = []
    rejects: list[Reject] = list(text.bad_rows)
    for i in range(text.table.num_rows):
        ref = text.ref(i)
        specs = [(target, shown[name], cells[name][i], convert) for name, target, convert in fields]
        values, problems = amounts.convert_cells(ref, specs)
        if check is not None and not problems:
            problems = check(ref, values, shown, {name: column[i] for name, column in cells.items()})
        if problems:
            rejects.extend(problems)
        else:
            rows.append({**values, "_source_ref": ref})
    return ParseResult(
        tables={table: rows_to_table(table, rows)},
        rejects=rejects,
        rows_read=text.rows_read,
        rows_loaded=len(rows),
        file_kind=file_kind,
    )
