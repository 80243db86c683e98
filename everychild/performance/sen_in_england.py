"""Loading DfE's "Special educational needs in England" table of pupils by phase and type of
school (sen_phase_type.csv on explore-education-statistics.service.gov.uk), and reading the
share of pupils on SEN support from it for England and the area's local authority.

The file holds every academic year DfE publishes (one row per geography, year, phase and type of
school), so a load replaces the earlier one whole, in one transaction, after every row has been
checked: anything unexpected refuses the whole file with a report naming the row, the column,
the value and why, and what was loaded before stays as it was.

Only the columns this service reads are required (the layout two public analyses of the file
read it by, decision 0255); other published columns are allowed and not kept. England's and
the local authorities' rows are kept; regional rows are checked and left out (no page shows a
region beside SEN support yet).
"""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

# Nothing loaded, and why: the same refusal as the EHC plan statistics' importer.
from everychild.performance.dfe import ImportRefused
from everychild.performance.models import GeographicLevel, SENInEnglandLoad, SENPupils

TITLE = "Special educational needs in England"
PUBLISHER = "Department for Education, explore-education-statistics.service.gov.uk"
# The columns read, as DfE names them.
REQUIRED_COLUMNS = (
    "time_period",
    "geographic_level",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
    "phase_type_grouping",
    "type_of_establishment",
    "hospital_school",
    "total_pupils",
    "sen_support_percent",
    "ehc_plan_percent",
)
# Read and checked when the file has them (every explore-education-statistics file should).
OPTIONAL_COLUMNS = ("time_identifier", "region_code")
FIGURES = ("total_pupils", "sen_support_percent", "ehc_plan_percent")
# The symbols of the explore-education-statistics data guidance for a figure not given.
NOT_GIVEN = {
    "x": "unavailable",
    "z": "not applicable",
    "c": "confidential",
    "low": "rounds to zero",
}
KEPT_LEVELS = (GeographicLevel.NATIONAL, GeographicLevel.LOCAL_AUTHORITY)
# Hostile-file limits: the real table is some tens of thousands of rows and a few megabytes.
MAX_BYTES = 100 * 1024**2
MAX_ROWS = 500_000
MAX_PROBLEMS = 50
_LA_CODE = re.compile(r"^E\d{8}$")
_OLD_LA_CODE = re.compile(r"^\d{3}$")
_WHOLE = re.compile(r"^\d+$")
_DECIMAL = re.compile(r"^\d+(\.\d+)?$")
_TEXT_LIMIT = 100


@dataclass(frozen=True)
class Problem:
    """Why a file was refused: the row (the file's line, the header being row 1), the column,
    the value found and what is wrong with it."""

    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        if self.value is not None:
            where.append(f"value {self.value[:40]!r}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class ImportReport:
    rows: int
    latest_period: int
    skipped_regional: int
    ignored_columns: list[str]
    replaced: bool
    seconds: float


@dataclass
class _Read:
    rows: list[SENPupils] = field(default_factory=list)
    latest_period: int = 0
    skipped_regional: int = 0
    ignored_columns: list[str] = field(default_factory=list)


class _Problems:
    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(problem)


def read_table(path: Path | str) -> _Read:
    """Read and check the whole file; raise ImportRefused with every problem found, or return
    the rows to keep (nothing is written)."""
    path = Path(path)
    if not path.is_file():
        raise ImportRefused([Problem(f"{path} is not a file")])
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ImportRefused(
            [
                Problem(
                    f"the file is {size / 1024**2:.0f} MB, more than the {MAX_BYTES // 1024**2} MB "
                    "this table could be: is it sen_phase_type.csv?"
                )
            ]
        )
    problems = _Problems()
    try:
        read = _read_csv(path, problems)
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [Problem(f"the file is not UTF-8 text (byte {error.start + 1} cannot be read)")]
        ) from None
    except csv.Error as error:
        raise ImportRefused([Problem(f"the file cannot be read as CSV: {error}")]) from None
    if problems.total:
        raise ImportRefused(problems.kept, problems.total)
    return read


def _read_csv(path: Path, problems: _Problems) -> _Read:
    # utf-8-sig: DfE's files begin with a byte order mark.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header:
            problems.add(Problem("the file is empty: it has no header row", row=1))
            return _Read()
        header = [h.strip() for h in header]
        counts = Counter(header)
        for column in REQUIRED_COLUMNS:
            if column not in counts:
                problems.add(Problem("the column is missing", row=1, column=column))
        for column, times in counts.items():
            if times > 1:
                problems.add(Problem(f"the column appears {times} times", row=1, column=column))
        if problems.total:
            return _Read()
        at = {
            column: header.index(column)
            for column in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
            if column in counts
        }
        read = _Read(
            ignored_columns=[c for c in header if c not in at],
        )
        seen: dict[tuple, int] = {}
        width = len(header)
        for number, cells in enumerate(reader, start=2):
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue  # a blank line, e.g. at the end of the file
            if number - 1 > MAX_ROWS:
                problems.add(
                    Problem(f"the file has more than {MAX_ROWS:,} rows: is it sen_phase_type.csv?")
                )
                break
            if len(cells) != width:
                problems.add(
                    Problem(f"the row has {len(cells)} values, the header {width}", row=number)
                )
                continue
            row = _row(number, {c: cells[i] for c, i in at.items()}, problems)
            if row is None:
                continue
            if row.geographic_level not in KEPT_LEVELS:
                read.skipped_regional += 1
                continue
            key = (
                row.time_period,
                row.geographic_level,
                row.la_code,
                row.phase_type_grouping,
                row.type_of_establishment,
                row.hospital_school,
            )
            if key in seen:
                problems.add(
                    Problem(
                        f"the same year, place, phase and type of school as row {seen[key]}",
                        row=number,
                        column="phase_type_grouping",
                        value=row.phase_type_grouping,
                    )
                )
                continue
            seen[key] = number
            read.latest_period = max(read.latest_period, row.time_period)
            read.rows.append(row)
        if not read.rows and not problems.total:
            problems.add(Problem("the file has a header but no rows of England or an LA"))
        return read


def _row(number: int, cells: dict[str, str], problems: _Problems) -> SENPupils | None:
    """One row checked cell by cell; None (with the problems added) if any cell is wrong."""
    before = problems.total

    def bad(column: str, why: str) -> None:
        problems.add(Problem(why, row=number, column=column, value=cells[column]))

    period = cells["time_period"].strip()
    if not (len(period) == 6 and period.isdigit()):
        bad("time_period", "should be an academic year like 202425")
    elif int(period[4:]) != (int(period[2:4]) + 1) % 100:
        bad("time_period", "the two years are not consecutive")
    if "time_identifier" in cells and cells["time_identifier"].strip() != "Academic year":
        bad("time_identifier", "should be 'Academic year'")
    level = cells["geographic_level"].strip()
    if level not in GeographicLevel.values:
        bad("geographic_level", "should be National, Regional or Local authority")
    la_code = cells["new_la_code"].strip()
    old_la_code = cells["old_la_code"].strip()
    if level == GeographicLevel.LOCAL_AUTHORITY:
        if not _LA_CODE.match(la_code):
            bad("new_la_code", "a local authority row needs its code, like E06000058")
        if old_la_code and not _OLD_LA_CODE.match(old_la_code):
            bad("old_la_code", "should be the 3-digit LA number, like 839")
        if not cells["la_name"].strip():
            bad("la_name", "a local authority row needs its name")
    for column in ("phase_type_grouping", "type_of_establishment", "hospital_school"):
        text = cells[column].strip()
        if not text:
            bad(column, "is empty")
        elif len(text) > _TEXT_LIMIT:
            bad(column, f"is longer than {_TEXT_LIMIT} characters")
    for column in ("region_name", "la_name"):
        if len(cells[column].strip()) > _TEXT_LIMIT:
            bad(column, f"is longer than {_TEXT_LIMIT} characters")
    if len(cells.get("region_code", "").strip()) > 9:
        bad("region_code", "is longer than 9 characters")
    figures: dict[str, int | float | None] = {}
    flags: dict[str, str] = {}
    for column in FIGURES:
        text = cells[column].strip()
        if text in NOT_GIVEN:
            figures[column] = None
            flags[column] = text
        elif column == "total_pupils":
            if _WHOLE.match(text) and int(text) < 2**31:
                figures[column] = int(text)
            else:
                bad(column, "should be a whole number of pupils, or x, z, c or low")
        elif _DECIMAL.match(text) and float(text) <= 100:
            figures[column] = float(text)
        else:
            bad(column, "should be a percentage from 0 to 100, or x, z, c or low")
    if problems.total > before:
        return None
    return SENPupils(
        time_period=int(period),
        geographic_level=level,
        region_code=cells.get("region_code", "").strip(),
        region_name=cells["region_name"].strip(),
        la_code=la_code if level == GeographicLevel.LOCAL_AUTHORITY else "",
        old_la_code=old_la_code if level == GeographicLevel.LOCAL_AUTHORITY else "",
        la_name=cells["la_name"].strip() if level == GeographicLevel.LOCAL_AUTHORITY else "",
        phase_type_grouping=cells["phase_type_grouping"].strip(),
        type_of_establishment=cells["type_of_establishment"].strip(),
        hospital_school=cells["hospital_school"].strip(),
        flags=flags,
        **figures,
    )


def import_table(path: Path | str) -> ImportReport:
    """Load the table, replacing any earlier load in one transaction. Raises ImportRefused (and
    changes nothing) if anything is unexpected."""
    started = time.perf_counter()
    read = read_table(path)
    with transaction.atomic():
        replaced = SENInEnglandLoad.objects.exists()
        SENPupils.objects.all().delete()
        SENInEnglandLoad.objects.all().delete()
        load = SENInEnglandLoad.objects.create(
            source=str(Path(path).resolve()),
            row_count=len(read.rows),
            latest_period=read.latest_period,
        )
        for row in read.rows:
            row.load = load
        SENPupils.objects.bulk_create(read.rows, batch_size=5000)
    return ImportReport(
        rows=len(read.rows),
        latest_period=read.latest_period,
        skipped_regional=read.skipped_regional,
        ignored_columns=read.ignored_columns,
        replaced=replaced,
        seconds=time.perf_counter() - started,
    )


def academic_year(period: int) -> str:
    """202425 -> "2024/25"."""
    text = str(period)
    return f"{text[:4]}/{text[4:]}"
