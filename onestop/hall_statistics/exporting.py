"""CSV export of a statistics table: a header row, UTF-8 with a byte-order mark so Excel
reads the Chinese, and text cells that a spreadsheet would run as a formula defused."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _

from onestop.hall_statistics.columns import COLUMNS, SHARE, cell_text
from onestop.hall_statistics.figures import Row

BOM = "\ufeff"
# A cell starting with one of these is a formula (or becomes one) in Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(text: str) -> str:
    """Text as a spreadsheet will show it, never run it (OWASP's CSV injection advice)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_csv(by_header: str, rows: Sequence[Row]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    headers = [by_header] + [
        f"{column.header} (%)" if column.unit == SHARE else str(column.header) for column in COLUMNS
    ]
    writer.writerow([cell_safe(h) for h in headers])
    for row in rows:
        # Figures are numbers we formatted (a negative one is a number, not a formula); only
        # the label is text someone typed (a window's label, a clerk's name).
        writer.writerow(
            [cell_safe(row.label or _("(none)"))] + [cell_text(c, row) for c in COLUMNS]
        )
    return BOM + out.getvalue()
