"""Importing service items from files: the Guangdong layout and the native layout, as CSV
or XLSX. `items_import` is the entry point; `items_load` takes already parsed items (the
demo builder uses it)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext as _

from onestop.catalog.enums import ErrorCode, ItemSource
from onestop.catalog.importing.files import RawRow, file_format_of, open_table
from onestop.catalog.importing.layouts import GUANGDONG, NATIVE, Layout, detect
from onestop.catalog.importing.loader import ImportReport, RowProblem, items_load
from onestop.catalog.importing.records import ItemDraft
from onestop.core.errors import DomainError
from onestop.core.models import Department, Region
from onestop.core.service import audited
from onestop.identity.actors import StaffUser

# --format on the command line: the file type, and for `native` the layout too.
FORMATS = ("csv", "xlsx", "native")


@audited("catalog.items.import", unless=lambda report: not report.written)
def items_import(
    *,
    actor: StaffUser | None,
    path: Path,
    file_format: str | None = None,
    all_or_nothing: bool = False,
) -> ImportReport:
    """Import a catalog file. The layout is read from the header (Guangdong or native;
    `file_format="native"` insists on the native one). Rows that cannot be taken are
    reported, and the others loaded, unless `all_or_nothing`."""
    started = time.perf_counter()
    path = Path(path)
    _require_reference_data()
    with open_table(path, file_format=file_format_of(path, file_format)) as table:
        layout = detect(table.header, wanted=NATIVE if file_format == "native" else None)
        if isinstance(layout, list):
            raise DomainError(
                ErrorCode.IMPORT_LAYOUT_UNKNOWN,
                _("%(file)s: the header is in no layout the catalog reads (%(problems)s)")
                % {"file": path.name, "problems": "; ".join(layout)},
                file=str(path),
                problems=layout,
            )
        return items_load(
            actor=actor,
            rows=_parsed(table.rows, layout),
            source=path.name,
            layout=layout.name,
            all_or_nothing=all_or_nothing,
            create_themes=layout.name == GUANGDONG,
            started=started,
        )


def _require_reference_data() -> None:
    """Every row names a region and most a department: on a database without them each
    row would be rejected for its own reason, when the one thing to do is load them."""
    if not Region.objects.exists() or not Department.objects.exists():
        raise DomainError(
            ErrorCode.IMPORT_NO_REFERENCE_DATA,
            _(
                "This database has no regions or departments yet: load them with "
                "`onestop load-regions` and `onestop load-departments`, then import again."
            ),
        )


def _parsed(rows: Iterator[RawRow], layout: Layout) -> Iterator[ItemDraft | RowProblem]:
    for row in rows:
        parsed = layout.parse(row, layout.columns)
        if isinstance(parsed, list):
            yield RowProblem(row.line, tuple(parsed))
        else:
            yield parsed


__all__ = [
    "FORMATS",
    "GUANGDONG",
    "NATIVE",
    "ImportReport",
    "ItemDraft",
    "ItemSource",
    "RowProblem",
    "items_import",
    "items_load",
]
