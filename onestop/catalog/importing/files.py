"""Reading a catalog file into a header and rows, each row with the line it starts on.

CSV is read as UTF-8 (with or without a byte-order mark) and, failing that, as GB18030,
the encoding spreadsheet programs on Chinese systems save CSV in. XLSX is read from its
first sheet; the row number is the line.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

from onestop.catalog.enums import ErrorCode
from onestop.core.errors import DomainError

# The real file has cells of a few thousand characters; the csv module's default limit
# (128 KiB) is kept, so a file with an unbalanced quote fails instead of swallowing itself.
FILE_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class RawRow:
    line: int
    cells: dict[str, str]
    # How many cells the row had beyond, or short of, the header.
    extra: int = 0
    missing: int = 0


@dataclass
class Table:
    header: list[str]
    rows: list[RawRow]


def unreadable(path: Path, reason: str) -> DomainError:
    return DomainError(
        ErrorCode.IMPORT_FILE_UNREADABLE,
        _("%(file)s cannot be read: %(reason)s") % {"file": path.name, "reason": reason},
        file=str(path),
    )


def file_format_of(path: Path, requested: str | None) -> str:
    if requested in FILE_FORMATS:
        return requested
    suffix = path.suffix.lower().lstrip(".")
    return "xlsx" if suffix in ("xlsx", "xlsm") else "csv"


def read_table(path: Path, *, file_format: str) -> Table:
    if not path.is_file():
        raise unreadable(path, _("no such file"))
    if file_format == "xlsx":
        return _read_xlsx(path)
    return _read_csv(path)


def _decode(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise unreadable(path, _("it is neither UTF-8 nor GB18030 text"))


def _read_csv(path: Path) -> Table:
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        raise unreadable(path, _("the file is empty")) from None
    rows: list[RawRow] = []
    try:
        rows = list(_csv_rows(reader, header))
    except csv.Error as error:
        raise unreadable(
            path, _("line %(line)d: %(error)s") % {"line": reader.line_num, "error": error}
        ) from error
    return Table(header, rows)


def _csv_rows(reader: csv.Reader, header: list[str]) -> Iterator[RawRow]:
    start = reader.line_num + 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        yield _row(line, header, cells)


def _row(line: int, header: list[str], cells: list[str]) -> RawRow:
    values = {
        name: (cells[index] if index < len(cells) else "") for index, name in enumerate(header)
    }
    return RawRow(
        line=line,
        cells=values,
        extra=max(0, len(cells) - len(header)),
        missing=max(0, len(header) - len(cells)),
    )


def _read_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise unreadable(
            path, _("it is not an XLSX workbook (%(error)s)") % {"error": error}
        ) from error
    try:
        sheet = workbook.worksheets[0]
        rows_iter = sheet.iter_rows(values_only=True)
        first = next(rows_iter, None)
        if first is None:
            raise unreadable(path, _("the first sheet is empty"))
        header = [_cell_text(cell).strip() for cell in first]
        while header and not header[-1]:
            header.pop()
        rows: list[RawRow] = []
        for line, values in enumerate(rows_iter, start=2):
            cells = [_cell_text(value) for value in values]
            while len(cells) > len(header) and not cells[-1]:
                cells.pop()
            if not any(cell.strip() for cell in cells):
                continue
            rows.append(_row(line, header, cells))
    finally:
        workbook.close()
    return Table(header, rows)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
