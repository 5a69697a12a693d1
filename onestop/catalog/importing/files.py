"""Reading a catalog file into a header and rows, each row with the line it starts on.

CSV is read as UTF-8 (with or without a byte-order mark) and, failing that, as GB18030,
the encoding spreadsheet programs on Chinese systems save CSV in. XLSX is read from its
first sheet; the row number is the line.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    rows: Iterator[RawRow]  # read once, as the load goes


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


@contextmanager
def open_table(path: Path, *, file_format: str) -> Iterator[Table]:
    """The file's header, and its rows as an iterator (the file stays open meanwhile)."""
    if not path.is_file():
        raise unreadable(path, _("no such file"))
    opener = _open_xlsx if file_format == "xlsx" else _open_csv
    with opener(path) as table:
        yield table


def _encoding(path: Path) -> str:
    """UTF-8 if the whole file decodes as UTF-8, else GB18030; checked block by block."""
    for encoding in ("utf-8-sig", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise unreadable(path, _("it is neither UTF-8 nor GB18030 text"))


@contextmanager
def _open_csv(path: Path) -> Iterator[Table]:
    with path.open(encoding=_encoding(path), newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [cell.strip() for cell in next(reader)]
        except StopIteration:
            raise unreadable(path, _("the file is empty")) from None
        except csv.Error as error:
            raise unreadable(path, _("line 1: %(error)s") % {"error": error}) from error
        yield Table(header, _csv_rows(path, reader, header))


def _csv_rows(path: Path, reader: Any, header: list[str]) -> Iterator[RawRow]:
    start = reader.line_num + 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            yield _row(line, header, cells)
    except csv.Error as error:
        raise unreadable(
            path, _("line %(line)d: %(error)s") % {"line": reader.line_num, "error": error}
        ) from error


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


@contextmanager
def _open_xlsx(path: Path) -> Iterator[Table]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise unreadable(
            path, _("it is not an XLSX workbook (%(error)s)") % {"error": error}
        ) from error
    try:
        rows_iter = workbook.worksheets[0].iter_rows(values_only=True)
        first = next(rows_iter, None)
        if first is None:
            raise unreadable(path, _("the first sheet is empty"))
        header = [_cell_text(cell).strip() for cell in first]
        while header and not header[-1]:
            header.pop()
        yield Table(header, _xlsx_rows(rows_iter, header))
    finally:
        workbook.close()


def _xlsx_rows(rows_iter: Any, header: list[str]) -> Iterator[RawRow]:
    for line, values in enumerate(rows_iter, start=2):
        cells = [_cell_text(value) for value in values]
        while len(cells) > len(header) and not cells[-1]:
            cells.pop()
        if any(cell.strip() for cell in cells):
            yield _row(line, header, cells)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
