"""Loading DfE's published "Education, health and care plans" statistics.

The files are those of the release on explore-education-statistics.service.gov.uk (the layout
of ../shared/data/dfe-ehcp-statistics-2025/data): one CSV per table, each row a geography
(England, a region or a local authority), a time period and a breakdown, then its figures.

`import_release(directory)` reads and checks every file before it writes anything, then
replaces any earlier load of the same reporting year in one transaction, with bulk inserts.
Anything unexpected (a file, a column, a value, a mixture of releases) refuses the whole load
with a report naming the file, line and column, and the data already loaded stays as it was.

Conventions (the release's data guidance): `x` unavailable, `z` not applicable; both are
stored as null with the letter kept in the row's `flags`.
"""

from __future__ import annotations

import csv
import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from everychild.performance.models import DfEDataset, DfERelease, DfEStatistic, GeographicLevel

# The columns every file starts with: what a row is about.
IDENTIFYING_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "new_la_code",
    "old_la_code",
    "la_name",
    "breakdown_topic",
    "breakdown",
)

# Each file's figure columns, exactly as the reporting year 2025 release spells them (typos
# such as "outcome_maintan" and "number_decsion_4weeks" are DfE's). annual_reviews.csv
# repeats review_meeting_prior_24; the importer keeps one copy and checks the two agree.
# fmt: off
DATASETS: dict[str, tuple[str, ...]] = {
    "annual_reviews": (
        "total_ehc_plans", "review_expected", "review_not_expected", "review_meeting_25",
        "review_meeting_24", "review_meeting_prior_24", "review_meeting_prior_24",
        "total_review_meeting", "no_review_meeting", "review_decision25", "review_decision24",
        "review_decision_prior24", "review_decision_not_due", "review_decision_outstanding",
        "outcome_amend", "outcome_cease", "outcome_maintan", "no_outcome", "number_decsion_4weeks",
        "number_decision_gt_4weeks", "pc_decsion_4weeks", "pc_decision_gt_4weeks",
    ),
    "assessments": (
        "assess_in_year", "assess_issued", "assess_issued_pc", "assess_not_issued",
        "assess_not_issued_pc", "assess_not_made", "assess_not_made_pc", "assess_withdrawn",
        "assess_withdrawn_pc", "outcome_decision_within_time", "outcome_decision_over_time",
        "outcome_decision_within_time_pc", "outcome_decision_over_time_pc",
        "number_assess_mediation", "number_assess_tribunal", "number_asssess_mediation_tribunal",
        "number_other_mediation", "number_other_tribunal", "number_other_mediation_tribunal",
    ),
    "caseload": (
        "ehcplans", "mainstream_la_maintained", "mainstream_la_maintained_resourced_provision",
        "mainstream_la_maintained_senunit", "mainstream_academy",
        "mainstream_academy_resourced_provision", "mainstream_academy_senunit",
        "mainstream_free_school", "mainstream_free_school_resourced_provision",
        "mainstream_free_school_senunit", "mainstream_independent", "mainstream_total",
        "mainstream_total_pc", "special_la_maintained", "special_academy_free",
        "special_independent", "special_non_maintained", "special_total", "special_total_pc",
        "ap_pru_academy", "ap_pru_free_school", "ap_pru_la_maintained", "ap_pru_total",
        "AP_PRU_total_pc", "general_fe_tertiary_colleges", "specialist_post_16_institutions",
        "ukrlp_provider", "fe_total", "fe_total_pc", "elective_home_education",
        "other_arrangements_la", "other_arrangements_parents", "online_provider", "w_settings",
        "other_schools", "other_placement_settings", "neet", "neet_ntci", "neet_other",
        "neet_other_csa", "ed_elsewhere", "ed_elsewhere_pc", "nm_early_years", "nm_early_years_pc",
        "placement_unknown", "placement_unknown_pc", "await_prov_2022", "perm_ex_2022",
    ),
    "ceased_plans": (
        "max_age", "needs_met", "he", "employ", "transfer", "no_engage", "moved_outside_eng",
        "deceased", "not_rec", "other", "total_ceased",
    ),
    "newplans": (
        "new_ehc_plans", "mainstream_la_maintained",
        "mainstream_la_maintained_resourced_provision", "mainstream_la_maintained_senunit",
        "mainstream_academy", "mainstream_academy_resourced_provision",
        "mainstream_academy_senunit", "mainstream_free_school",
        "mainstream_free_school_resourced_provision", "mainstream_free_school_senunit",
        "mainstream_independent", "mainstream_total", "mainstream_total_pc",
        "special_la_maintained", "special_academy_free", "special_independent",
        "special_non_maintained", "special_total", "special_total_pc", "ap_pru_academy",
        "ap_pru_free_school", "ap_pru_la_maintained", "ap_pru_total", "AP_PRU_total_pc",
        "general_fe_tertiary_colleges", "specialist_post_16_institutions", "ukrlp_provider",
        "fe_total", "fe_total_pc", "elective_home_education", "other_arrangements_la",
        "other_arrangements_parents", "online_provider", "w_settings", "other_schools",
        "other_placement_settings", "neet", "neet_ntci", "neet_other", "neet_other_csa",
        "ed_elsewhere", "ed_elsewhere_pc", "nm_early_years", "nm_early_years_pc",
        "placement_unknown", "placement_unknown_pc", "await_prov_2022", "perm_ex_2022",
    ),
    "personal_budgets": (
        "personal_budget", "org_arrangments", "pb_health", "pb_education", "pb_social",
        "pb_integrated",
    ),
    "requests": (
        "requests_received_in_year", "requests_rya", "requests_decided_to_assess",
        "requests_decided_not_to_assess", "requests_decision_not_made", "requests_withdrawn",
        "request_assess_pc", "request_not_assess_pc", "request_outstanding_pc",
        "request_withdrawn_pc", "request_outcome_six_weeks", "request_outcome_over_6_weeks",
        "request_outcome_six_weeks_pc", "request_outcome_over_6_weeks_pc",
        "mediation_related_request", "tribunal_related_request",
        "tribunal_after_mediation_request",
    ),
    "residential_settings": (
        "Res_3851", "Res_52", "Res_tot",
    ),
    "sen_need_newplans": (
        "ehc_plans", "number_asd", "number_hi", "number_mld", "number_msi", "number_oth",
        "number_pd", "number_pmld", "number_semh", "number_slcn", "number_sld", "number_spld",
        "number_vi", "number_need_unknown", "asd_pc", "hi_pc", "mld_pc", "msi_pc", "oth_pc",
        "pd_pc", "pmld_pc", "semh_pc", "slcn_pc", "sld_pc", "spld_pc", "vi_pc", "unknown_pc",
    ),
    "sen_needs_all_plans": (
        "ehc_plans", "number_asd", "number_hi", "number_mld", "number_msi", "number_oth",
        "number_pd", "number_pmld", "number_semh", "number_slcn", "number_sld", "number_spld",
        "number_vi", "number_need_unknown", "asd_pc", "hi_pc", "mld_pc", "msi_pc", "oth_pc",
        "pd_pc", "pmld_pc", "semh_pc", "slcn_pc", "sld_pc", "spld_pc", "vi_pc", "unknown_pc",
    ),
    "timeliness_20_week": (
        "plans_issued_den", "plans_issued_den_ex", "plans_issued_within_20_weeks",
        "plans_issued_20_weeks_ex", "pc_plans_issued_within_20_weeks",
        "PC_plans_issued_20_weeks_ex", "plans_issued_gt20weeks_ltYear",
        "plans_issued_gt20weeks_ltYear_ex", "pc_plans_issued_gt20weeks_ltYear",
        "PC_plans_issued_gt20weeks_ltYear_ex", "plans_issued_gt_1_year",
        "plans_issued_gt_1_year_ex", "pc_plans_issued_gt_1_year", "PC_plans_issued_gt_1_year_ex",
    ),
    "work_based_placements": (
        "open_supp_intern", "open_apprentice", "open_trainee", "open_wbp",
    ),
}
# fmt: on

# Files whose time periods are academic years (202425 = 2024/25, caseload at January 2025);
# the others are calendar years.
ACADEMIC_YEAR_DATASETS = frozenset(
    {
        "caseload",
        "personal_budgets",
        "residential_settings",
        "sen_needs_all_plans",
        "work_based_placements",
    }
)
TIME_IDENTIFIERS = {True: "Academic year", False: "Calendar year"}
NOT_GIVEN = {"x": "unavailable", "z": "not applicable"}
MAX_PROBLEMS = 50
_UNKNOWN = object()
# The stored fields of a row, in the order the parser builds them.
ROW_FIELDS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "region_code",
    "region_name",
    "la_code",
    "old_la_code",
    "la_name",
    "breakdown_topic",
    "breakdown",
    "is_total",
    "values",
    "flags",
)


@dataclass(frozen=True)
class Problem:
    """One reason a load was refused: where (file, line, column) and what."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


class ImportRefused(Exception):
    """Nothing was loaded; `problems` says why (at most MAX_PROBLEMS of `total` are kept)."""

    def __init__(self, problems: list[Problem], total: int | None = None) -> None:
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__("; ".join(str(p) for p in problems[:5]))


@dataclass
class ImportReport:
    reporting_year: int
    rows: dict[str, int]
    replaced: bool
    seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


@dataclass
class _Parsed:
    name: str
    columns: tuple[str, ...]
    # One tuple per row, in the order of ROW_FIELDS.
    rows: list[tuple] = field(default_factory=list)
    reporting_year: int | None = None


class _Problems:
    def __init__(self) -> None:
        self.kept: list[Problem] = []
        self.total = 0

    def add(self, problem: Problem) -> None:
        self.total += 1
        if len(self.kept) < MAX_PROBLEMS:
            self.kept.append(problem)

    def __bool__(self) -> bool:
        return self.total > 0


def reporting_year_of(time_period: int, academic: bool) -> int:
    """The reporting year a time period belongs to: calendar year N is reported in N+1; the
    academic year 2024/25 (202425, caseload at January 2025) in 2025."""
    if academic:
        return 2000 + time_period % 100
    return time_period + 1


_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _number(text: str) -> int | float:
    """A figure as a number: whole numbers as int, percentages and the like as float. Plain
    decimal notation only (no "1_000", "1e3" or "nan")."""
    if not _NUMBER.match(text):
        raise ValueError(text)
    return float(text) if "." in text else int(text)


def _parse_file(path: Path, name: str, problems: _Problems) -> _Parsed | None:
    """Parse one file; a file that is not UTF-8 CSV text at all is a problem like any other,
    not a crash (the whole load is refused and says which file)."""
    try:
        return _parse_csv(path, name, problems)
    except UnicodeDecodeError as error:
        problems.add(
            Problem(
                path.name,
                f"is not UTF-8 text (byte {error.start + 1} cannot be read): is it the "
                "CSV file from the release?",
            )
        )
    except csv.Error as error:
        # Such as a cell longer than the csv module's limit (131,072 characters).
        problems.add(Problem(path.name, f"cannot be read as CSV: {error}"))
    return None


def _parse_csv(path: Path, name: str, problems: _Problems) -> _Parsed | None:
    expected = DATASETS[name]
    academic = name in ACADEMIC_YEAR_DATASETS
    file = path.name
    # utf-8-sig: DfE's files begin with a byte order mark.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header:
            problems.add(Problem(file, "the file is empty: it has no header row"))
            return None
        header = [h.strip() for h in header]
        before = problems.total
        for position, column in enumerate(IDENTIFYING_COLUMNS):
            if position >= len(header) or header[position] != column:
                found = header[position] if position < len(header) else "nothing"
                problems.add(
                    Problem(
                        file,
                        f"column {position + 1} should be {column!r}, found {found!r}",
                        line=1,
                        column=column,
                    )
                )
        figures = header[len(IDENTIFYING_COLUMNS) :]
        wanted = Counter(expected)
        found = Counter(figures)
        for column in figures:
            if column not in wanted:
                problems.add(
                    Problem(
                        file,
                        f"unexpected column {column!r}: not in the {name} table of this "
                        "release's layout",
                        line=1,
                        column=column,
                    )
                )
        for column in wanted:
            if column not in found:
                problems.add(
                    Problem(file, f"the column {column!r} is missing", line=1, column=column)
                )
            elif found[column] != wanted[column]:
                problems.add(
                    Problem(
                        file,
                        f"the column {column!r} appears {found[column]} times, expected "
                        f"{wanted[column]}",
                        line=1,
                        column=column,
                    )
                )
        if problems.total > before:
            return None

        # Where each stored column is read from (its first appearance), and the repeats that
        # must agree with it.
        offset = len(IDENTIFYING_COLUMNS)
        columns = tuple(dict.fromkeys(expected))
        first_at = {}
        repeats = []
        for index, column in enumerate(figures):
            if column in first_at:
                repeats.append((offset + index, offset + first_at[column], column))
            else:
                first_at[column] = index
        source = [offset + first_at[c] for c in columns]
        width = len(header)
        identifier = TIME_IDENTIFIERS[academic]
        levels = set(GeographicLevel.values)
        parsed = _Parsed(name=name, columns=columns)
        # Each distinct cell text is converted once: figures repeat a great deal.
        known: dict[str, object] = {}
        dumps = json.JSONEncoder(separators=(",", ":")).encode
        latest = 0
        for line, row in enumerate(reader, start=2):
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line, e.g. at the end of the file
            if len(row) != width:
                problems.add(
                    Problem(file, f"the row has {len(row)} values, the header {width}", line)
                )
                continue
            period_text = row[0]
            if not period_text.isdigit() or len(period_text) != (6 if academic else 4):
                shape = "an academic year like 202425" if academic else "a year like 2024"
                problems.add(
                    Problem(
                        file,
                        f"time period {period_text!r} should be {shape}",
                        line,
                        "time_period",
                    )
                )
                continue
            period = int(period_text)
            if academic and int(period_text[4:]) != (int(period_text[2:4]) + 1) % 100:
                problems.add(
                    Problem(file, f"{period_text!r} is not an academic year", line, "time_period")
                )
                continue
            if row[1] != identifier:
                problems.add(
                    Problem(
                        file,
                        f"time identifier {row[1]!r} should be {identifier!r}",
                        line,
                        "time_identifier",
                    )
                )
                continue
            level = row[2]
            if level not in levels:
                problems.add(
                    Problem(
                        file,
                        f"geographic level {level!r} is not National, Regional or Local authority",
                        line,
                        "geographic_level",
                    )
                )
                continue
            if level == GeographicLevel.LOCAL_AUTHORITY and not row[7]:
                problems.add(Problem(file, "a local authority row has no LA code", line))
                continue
            if level == GeographicLevel.REGIONAL and not row[5]:
                problems.add(Problem(file, "a regional row has no region code", line))
                continue
            values: list = []
            flags: dict[str, str] = {}
            bad = False
            for column, index in zip(columns, source, strict=True):
                text = row[index]
                value = known.get(text, _UNKNOWN)
                if value is _UNKNOWN:
                    stripped = text.strip()
                    if stripped in NOT_GIVEN:
                        value = stripped
                    else:
                        try:
                            value = _number(stripped)
                        except ValueError:
                            problems.add(
                                Problem(
                                    file,
                                    f"{text!r} is not a number, nor x (unavailable) or z (not "
                                    "applicable)",
                                    line,
                                    column,
                                )
                            )
                            bad = True
                            break
                    known[text] = value
                if value.__class__ is str:
                    flags[column] = value
                    value = None
                values.append(value)
            for index, first, column in repeats:
                if not bad and row[index].strip() != row[first].strip():
                    problems.add(
                        Problem(
                            file,
                            f"the two {column!r} columns disagree ({row[first]!r} and "
                            f"{row[index]!r})",
                            line,
                            column,
                        )
                    )
                    bad = True
            if bad:
                continue
            latest = max(latest, period)
            parsed.rows.append(
                (
                    period,
                    row[1],
                    level,
                    row[3],
                    row[5],
                    row[6],
                    row[7],
                    row[8],
                    row[9],
                    row[10],
                    row[11],
                    row[10] == row[11],
                    dumps(values),
                    dumps(flags),
                )
            )
        if not parsed.rows and problems.total == before:
            problems.add(Problem(file, "the file has a header but no rows"))
        if latest:
            parsed.reporting_year = reporting_year_of(latest, academic)
        return parsed


def read_release(
    directory: Path | str, *, reporting_year: int | None = None
) -> tuple[int, list[_Parsed]]:
    """Read and check every file; raise ImportRefused with every problem found, or return the
    release's reporting year and its parsed rows (nothing is written)."""
    directory = Path(directory)
    problems = _Problems()
    if not directory.is_dir():
        raise ImportRefused([Problem(str(directory), "is not a folder")])
    present = {p.stem: p for p in directory.glob("*.csv")}
    for stem in sorted(set(present) - set(DATASETS)):
        problems.add(
            Problem(f"{stem}.csv", "unexpected file: not a table of this release's layout")
        )
    for stem in sorted(set(DATASETS) - set(present)):
        problems.add(Problem(f"{stem}.csv", "the file is missing from the folder"))
    parsed = []
    for name in sorted(DATASETS):
        if name in present:
            result = _parse_file(present[name], name, problems)
            if result is not None:
                parsed.append(result)
    years = Counter(p.reporting_year for p in parsed if p.reporting_year is not None)
    year = reporting_year
    if year is None and years:
        year = years.most_common(1)[0][0]
    for item in parsed:
        if item.reporting_year is not None and item.reporting_year != year:
            problems.add(
                Problem(
                    f"{item.name}.csv",
                    f"is from reporting year {item.reporting_year}, not {year}: the folder "
                    "mixes releases",
                )
            )
    if problems:
        raise ImportRefused(problems.kept, problems.total)
    return year, parsed


def _insert_rows(dataset: DfEDataset, rows: list[tuple]) -> None:
    """Insert a dataset's rows set-wise with the driver's executemany.

    The rows are plain values already checked and JSON-encoded by the parser; bulk_create
    would spend two thirds of the load preparing some three million values one at a time
    (docs/decisions/0020-performance-measures-and-dfe-statistics.md)."""
    table = connection.ops.quote_name(DfEStatistic._meta.db_table)
    fields = [DfEStatistic._meta.get_field(name) for name in ROW_FIELDS]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    value_slots = ", ".join(
        f"%s{json_cast}" if f.get_internal_type() == "JSONField" else "%s" for f in fields
    )
    # Names come from the model and every value is bound, never interpolated.
    dataset_column = connection.ops.quote_name("dataset_id")
    sql = f"INSERT INTO {table} ({columns}, {dataset_column}) VALUES ({value_slots}, %s)"  # noqa: S608
    dataset_id = dataset.pk
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, [(*row, dataset_id) for row in rows[start : start + 5000]])


def import_release(directory: Path | str, *, reporting_year: int | None = None) -> ImportReport:
    """Load a release, replacing an earlier load of the same reporting year in one
    transaction. Raises ImportRefused (and changes nothing) if anything is unexpected."""
    started = time.perf_counter()
    year, parsed = read_release(directory, reporting_year=reporting_year)
    with transaction.atomic():
        previous = DfERelease.objects.filter(reporting_year=year).first()
        if previous is not None:
            # One DELETE per table (no signals, no cascades beyond these rows).
            DfEStatistic.objects.filter(dataset__release=previous).delete()
            DfEDataset.objects.filter(release=previous).delete()
            previous.delete()
        release = DfERelease.objects.create(
            reporting_year=year,
            source=str(Path(directory).resolve()),
            row_count=sum(len(p.rows) for p in parsed),
        )
        for item in parsed:
            dataset = DfEDataset.objects.create(
                release=release,
                name=item.name,
                columns=list(item.columns),
                row_count=len(item.rows),
            )
            _insert_rows(dataset, item.rows)
    return ImportReport(
        reporting_year=year,
        rows={p.name: len(p.rows) for p in parsed},
        replaced=previous is not None,
        seconds=time.perf_counter() - started,
    )
