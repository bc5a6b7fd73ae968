"""Blank templates of the value office's inputs (`vro templates DIR`), written from the parser's spec.

For every template of TEMPLATES (ingest/parsers/templates/value_office.py), `<folder>/<template>.xlsx`
and its CSV twin `<folder>/<template>.csv`, in the landing folder the ingest reads it from (registry/,
strategy/, benefits/: value_office.landing_folder), so that DIR, filled in, can be copied into a landing
folder. Each file holds the header row exactly as the parser expects it and one example row it accepts
(Column.example). The XLSX adds what a spreadsheet can say about each column, all of it from the
column's spec: a comment on the header (Column.note, required or optional, the format), a data
validation from its Format (a list for an enumeration, a date, a decimal from 0 to 1 for shares and
weights, a number, a whole number, the length of a month or a currency code), cells formatted as text
or dates, a frozen header and column widths. A template added to TEMPLATES is written with no code here.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.parsers.common.amounts import ValueProblem
from ingest.parsers.formats import SOURCE_MODULES
from ingest.parsers.templates.value_office import TEMPLATES, Column, landing_folder

# What a cell of each Format shape takes, in words (the header comments and the validation messages).
SHAPE_WORDS = {
    "text": "text",
    "list": "one or more values separated by ; (A;B)",
    "date": "a date: YYYY-MM-DD in a CSV file, a date cell in Excel",
    "month": "a month, YYYY-MM (kept as text)",
    "number": "a number such as 1234.5 or -0.35 (no currency sign)",
    "whole": "a whole number",
    "fraction": "a decimal from 0 to 1 (0.25 is 25 %)",
    "currency": "a 3-letter ISO 4217 currency code in capitals (EUR, GBP)",
    "enum": "one of: {allowed}",
}
NUMERIC = ("number", "whole", "fraction")  # written as numbers, in General format
EXCEL_ROWS = 1_048_576  # validations and formats cover the whole column below the header
EXCEL_MAX = "9.99999999999999E+307"
DATE_FORMAT = "yyyy-mm-dd"
TEXT_FORMAT = "@"  # Excel keeps what is typed (a month stays 2026-03, an id keeps its leading zeros)
REQUIRED_FILL = "FFF2CC"
HOW_TO_FILL = (
    "Fill in one file per template, the XLSX or the CSV (both would be read): keep the header row, "
    "replace the example row with yours, then copy the folders into the landing folder. A date in a "
    "file's name (registry_projects_2026-12-31.xlsx) is its snapshot date, else its modification date. "
    "ingest/EXPORTS.md describes every template."
)


class TemplateFilesError(Exception):
    """The templates cannot be written where asked (a one-line message for the user)."""


@dataclass(frozen=True)
class WrittenFile:
    path: Path
    kind: str
    columns: int
    required: int


def template_files(kind: str) -> tuple[str, str]:
    """The XLSX and CSV paths of a template, relative to the landing folder."""
    folder = landing_folder(kind)
    return f"{folder}/{kind}.xlsx", f"{folder}/{kind}.csv"


def shape_of(column: Column) -> tuple[str, tuple[str, ...]]:
    """(shape, allowed values) of a column's converter; a plain function (no Format) is text."""
    return getattr(column.convert, "shape", "text"), tuple(getattr(column.convert, "allowed", ()))


def format_words(column: Column) -> str:
    shape, allowed = shape_of(column)
    return SHAPE_WORDS.get(shape, "text").format(allowed=", ".join(allowed))


def header_comment(column: Column) -> str:
    need = "Required: every row needs a value." if column.required else "Optional: may be left empty."
    lines = [column.header, column.note, need, f"Format: {format_words(column)}."]
    if column.example:
        lines.append(f"Example: {column.example}")
    return "\n".join(line for line in lines if line)


def write_templates(target: Path, force: bool = False) -> list[WrittenFile]:
    """Write every template's XLSX and CSV under `target`; existing files only with `force`."""
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise TemplateFilesError(f"{target} is a file, not a folder")
    _check_folders()
    planned = [(kind, target / rel) for kind in TEMPLATES for rel in template_files(kind)]
    existing = [path for _, path in planned if path.exists()]
    if existing and not force:
        more = f" (and {len(existing) - 1} more template files)" if len(existing) > 1 else ""
        raise TemplateFilesError(f"{existing[0]} exists{more}: use --force to overwrite")
    written = []
    for kind, path in planned:
        columns = TEMPLATES[kind]
        path.parent.mkdir(parents=True, exist_ok=True)
        (write_xlsx if path.suffix == ".xlsx" else write_csv)(path, kind, columns)
        written.append(WrittenFile(path, kind, len(columns), sum(c.required for c in columns)))
    return written


def _check_folders() -> None:
    readers = sorted(
        source
        for source, modules in SOURCE_MODULES.items()
        if "ingest.parsers.templates.value_office" in modules
    )
    for kind in TEMPLATES:
        if landing_folder(kind) not in readers:
            raise TemplateFilesError(
                f"the template {kind} has no landing folder: {landing_folder(kind)}/ is none of the folders "
                f"the templates are read from ({', '.join(readers)}); name it in FOLDERS of "
                "ingest.parsers.templates.value_office"
            )


def write_csv(path: Path, kind: str, columns: tuple[Column, ...]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([c.header for c in columns])
        writer.writerow([c.example for c in columns])


def write_xlsx(path: Path, kind: str, columns: tuple[Column, ...]) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = kind[:31]
    for i, column in enumerate(columns, start=1):
        letter = get_column_letter(i)
        shape, _ = shape_of(column)
        header = ws.cell(row=1, column=i, value=column.header)
        header.font = Font(bold=True)
        if column.required:
            header.fill = PatternFill("solid", start_color=REQUIRED_FILL, end_color=REQUIRED_FILL)
        text = header_comment(column)
        header.comment = Comment(text, "vro templates", height=24 + 16 * (len(text) // 45 + 4), width=320)
        cell_format = DATE_FORMAT if shape == "date" else None if shape in NUMERIC else TEXT_FORMAT
        if cell_format:
            ws.column_dimensions[letter].number_format = cell_format
        example = ws.cell(row=2, column=i, value=_typed(column, shape))
        if cell_format:
            example.number_format = cell_format
        validation = _validation(column, shape)
        if validation is not None:
            validation.add(f"{letter}2:{letter}{EXCEL_ROWS}")
            ws.add_data_validation(validation)
        ws.column_dimensions[letter].width = min(60, max(12, len(column.header), len(column.example)) + 3)
    ws.freeze_panes = "A2"
    wb.save(path)


def _typed(column: Column, shape: str) -> Any:
    """The example as the cell a user would type: a date, a number, else the text."""
    if column.example == "" or shape not in (*NUMERIC, "date"):
        return column.example or None
    try:
        value = column.convert(column.example)
    except ValueProblem:  # a bad example stays visible as text (and the round-trip test fails)
        return column.example
    if shape == "whole" or (isinstance(value, float) and value.is_integer()):
        return int(value)
    return value


def _validation(column: Column, shape: str):
    from openpyxl.worksheet.datavalidation import DataValidation

    _, allowed = shape_of(column)
    rules: dict[str, dict[str, Any]] = {
        "enum": {"type": "list", "formula1": '"' + ",".join(allowed) + '"'},
        "date": {"type": "date", "operator": "between", "formula1": "1", "formula2": "2958465"},
        "fraction": {"type": "decimal", "operator": "between", "formula1": "0", "formula2": "1"},
        "number": {
            "type": "decimal",
            "operator": "between",
            "formula1": "-" + EXCEL_MAX,
            "formula2": EXCEL_MAX,
        },
        "whole": {
            "type": "whole",
            "operator": "between",
            "formula1": "-999999999999999",
            "formula2": "999999999999999",
        },
        "month": {"type": "textLength", "operator": "equal", "formula1": "7"},
        "currency": {"type": "textLength", "operator": "equal", "formula1": "3"},
    }
    if shape not in rules:
        return None
    return DataValidation(
        **rules[shape],
        allow_blank=not column.required,
        showErrorMessage=True,
        errorTitle=column.header[:32],
        error=f"{column.header}: {format_words(column)}"[:225],
    )
