"""Every CSV and spreadsheet the service writes goes through here, so that no cell can run as
a formula when opened in Excel or LibreOffice (CSV/formula injection, OWASP): a text cell that
starts with =, +, -, @, a tab or a carriage return is written with a leading apostrophe, which
spreadsheet programs show as text. Numbers and dates are left as they are."""

from __future__ import annotations

import csv
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """The value as a cell that cannot be read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeCSVWriter:
    """csv.writer's interface, with every cell neutralised."""

    def __init__(self, handle, **options):
        self._writer = csv.writer(handle, **options)

    def writerow(self, row: Iterable):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def csv_writer(handle, **options) -> SafeCSVWriter:
    return SafeCSVWriter(handle, **options)


def neutralise_workbook(book) -> None:
    """Neutralise every text cell of an openpyxl workbook before it is saved (a text value
    starting with "=" is otherwise stored as a formula)."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                safe = neutralise(cell.value)
                if safe is not cell.value:
                    cell.value = safe
                    cell.data_type = "s"
