"""An area built only from an imported SEN2 file gives, through `manage.py measures`, exactly the
headline figures `manage.py sen2_summary` gives for that file (issue 16; decision 0132).

The files are generated: people whose requests were refused, are pending, were withdrawn, are
being assessed, or ended in a plan issued within 20 weeks, within 52 or later, with Week20 0
or 1, received in the year or the year before, for a return whose year lies after the 2020
coronavirus easement and for one whose plans fell due during it."""

import io
import json
import random
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everychild.areas.models import Area
from everychild.casework.models import AssessmentRequest, CaseException
from everychild.performance.models import DfEDataset, DfERelease, DfEStatistic, GeographicLevel
from everychild.returns.sen2 import spec
from everychild.returns.tests import sample

pytestmark = pytest.mark.django_db
LEA, LA_CODE, NAME = "888", "E06000999", "Testshire"


@contextmanager
def rolled_back():
    """Each example starts from an empty database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
        code = 0
    except SystemExit as error:
        code = error.code
    return code, out.getvalue(), err.getvalue()


def _import(path, *extra) -> tuple[int, str, str]:
    return _run("sen2_import", str(path), "--create-area", *extra)


def _import_named(path) -> tuple[int, str, str]:
    return _import(path, "--area-name", NAME, "--la-code", LA_CODE)


# --- Generated files ----------------------------------------------------------------------


class Drawn:
    """Hypothesis's draws with the two methods of `random.Random` the builder uses, so the same
    builder makes the explored files and a seeded large one."""

    def __init__(self, draw):
        self.draw = draw

    def randint(self, low: int, high: int) -> int:
        return self.draw(st.integers(low, high))

    def choice(self, values):
        return self.draw(st.sampled_from(values))


def a_request(pick, *, year: int):
    """One request of the return for `year` (activity in year - 1), in any state."""
    start, end = spec.collection_period(year)
    received = start + timedelta(days=pick.randint(-420, (end - start).days))

    def after(day: date, low: int, high: int) -> date:
        return min(day + timedelta(days=pick.randint(low, high)), end)

    kind = pick.choice(["N", "A", "W", "Y:A", "Y:N", "Y:W", "plan", "plan", "plan", "old"])
    if kind == "old":
        # A plan issued in the year for a request of years before: for the 2023 return, one
        # that fell due during the 2020 easement.
        received = start - timedelta(days=pick.randint(500, 1100))
        kind = "plan"
    values = {spec.RECEIVED_DATE: received.isoformat(), spec.REQUEST_OUTCOME: kind[0]}
    # Around the 42 days either way, sometimes much later.
    decided = after(received, 0, pick.choice([42, 60, 150]))
    values[spec.REQUEST_OUTCOME_DATE] = None if kind == "A" else decided.isoformat()
    if kind in ("N", "A", "W"):
        return sample.a_request(**values)
    values[spec.REQUEST_OUTCOME] = "Y"
    if kind == "plan":
        # Around the 140 and 364 days; the plan may come without a separate draft.
        low, high = pick.choice([(60, 140), (130, 150), (141, 364), (350, 380), (365, 500)])
        started = max(after(received, low, high), decided)
        if started < start and pick.randint(0, 1):
            started = after(start, 0, 364)  # issued in the year, however long it took
        assessed = after(decided, 0, (started - decided).days)
        plan = sample.a_plan(StartDate=started.isoformat())
        assessment = sample.an_assessment(
            plan, AssessmentOutcomeDate=assessed.isoformat(), Week20=pick.choice(["0", "1"])
        )
        return sample.a_request(assessment, sample.an_active_plan(), **values)
    if kind == "Y:A":
        return sample.a_request(sample.an_assessment(), **values)
    dated = after(decided, 10, 120)
    assessment = sample.an_assessment(
        AssessmentOutcome=kind[2], AssessmentOutcomeDate=dated.isoformat()
    )
    return sample.a_request(assessment, **values)


def a_person(pick, n: int, *, year: int):
    return sample.a_person(
        a_request(pick, year=year),
        **{
            spec.UPN: sample.upn(100 + n, la=LEA),
            spec.BIRTH_DATE: f"{pick.randint(2006, 2016)}-03-01",
        },
    )


@st.composite
def a_return(draw):
    """(year, persons): the first person-level return (2023: activity in 2022, with plans
    of requests made during the 2020 easement) or a later one."""
    pick = Drawn(draw)
    year = pick.choice([2023, 2025])
    return year, [a_person(pick, n, year=year) for n in range(pick.randint(1, 14))]


def _header(year: int):
    return sample.a_header(
        year=year, reference=spec.default_reference_date(year).isoformat(), lea=LEA
    )


# --- The comparison -----------------------------------------------------------------------


def _measures(year: int) -> dict:
    code, out, err = _run("measures", "--area", LEA, "--year", str(year - 1), "--json")
    assert code == 0, err
    return {m["id"]: m for m in json.loads(out)["measures"]}


def _summary(path) -> dict:
    code, out, err = _run("sen2_summary", str(path), "--json")
    assert code == 0, err
    return json.loads(out)


def _pc(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def assert_the_same_headline(measured: dict, summary: dict) -> None:
    """Figure by figure: (value, numerator, denominator) of each measure against the file."""
    requests, decisions, plans = summary["requests"], summary["decisions"], summary["plans_issued"]
    issued, issued_excl = plans["issued"], plans["issued_excluding_exceptions"]
    decided = decisions["within_6_weeks"] + decisions["over_6_weeks"]
    expected = {
        "requests_received": (requests["received"], requests["received"], None),
        "decisions_within_6_weeks": (
            decisions["within_6_weeks_pc"],
            decisions["within_6_weeks"],
            decided,
        ),
        "plans_issued": (issued, issued, None),
        "plans_within_20_weeks": (
            plans["within_20_weeks_pc"],
            plans["within_20_weeks"],
            issued,
        ),
        "plans_within_20_weeks_excluding_exceptions": (
            plans["within_20_weeks_excluding_exceptions_pc"],
            plans["within_20_weeks_excluding_exceptions"],
            issued_excl,
        ),
        "plans_issued_20_to_52_weeks": (
            _pc(plans["between_20_and_52_weeks"], issued),
            plans["between_20_and_52_weeks"],
            issued,
        ),
        "plans_issued_over_52_weeks": (
            _pc(plans["over_52_weeks"], issued),
            plans["over_52_weeks"],
            issued,
        ),
    }
    for measure_id, figures in expected.items():
        row = measured[measure_id]
        assert (row["value"], row["numerator"], row["denominator"]) == figures, measure_id


SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@SETTINGS
@given(a_return())
def test_an_area_made_from_a_file_measures_what_the_file_says(tmp_path_factory, generated):
    year, persons = generated
    path = sample.write(tmp_path_factory.mktemp("area"), *persons, header=_header(year))
    with rolled_back():
        code, out, err = _import_named(path)
        assert code == 0, out + err
        assert_the_same_headline(_measures(year), _summary(path))


def test_the_figures_agree_on_a_busy_year_with_every_kind_of_case(tmp_path):
    """One larger file, so that every figure is made of many cases (hypothesis explores the
    shapes; this shows the counts add up at a size where a slip would show)."""
    year, pick = 2023, random.Random(16)
    persons = [a_person(pick, n, year=year) for n in range(150)]
    path = sample.write(tmp_path, *persons, header=_header(year))
    code, out, err = _import_named(path)
    assert code == 0, out + err
    summary = _summary(path)
    assert summary["plans_issued"]["issued"] >= 20
    assert_the_same_headline(_measures(year), summary)


# --- Week20 as a fact -----------------------------------------------------------------------


def _planned(received: str, started: str, week20: str, n: int = 1):
    plan = sample.a_plan(StartDate=started)
    assessment = sample.an_assessment(plan, AssessmentOutcomeDate=started, Week20=week20)
    request = sample.a_request(
        assessment,
        sample.an_active_plan(),
        ReceivedDate=received,
        RequestOutcome="Y",
        RequestOutcomeDate=received,
    )
    return sample.a_person(request, UPN=sample.upn(n, la=LEA))


def test_week20_1_becomes_an_exception_on_the_case_and_leaves_the_plan_out_of_excluding(tmp_path):
    """SEN2 Week20 "1 the 20-week exceptions apply": recorded as an exception for the clock's
    whole run, so the engine judges the plan as the previous system did, on time or late."""
    on_time = _planned("2024-02-01", "2024-05-01", "1", n=1)
    late = _planned("2024-02-01", "2024-09-02", "1", n=2)
    path = sample.write(tmp_path, on_time, late, header=_header(2025))
    code, out, _ = _import_named(path)
    assert code == 0, out
    exceptions = CaseException.objects.order_by("ends_on")
    assert [(e.regulation, e.starts_on, e.ends_on) for e in exceptions] == [
        ("10(4)(c)", date(2024, 2, 1), date(2024, 5, 1)),
        ("10(4)(c)", date(2024, 2, 1), date(2024, 9, 2)),
    ]
    assert "Week20 = 1" in exceptions[0].reason
    excluding = _measures(2025)["plans_within_20_weeks_excluding_exceptions"]
    assert excluding["denominator"] == 0


def test_week20_0_during_the_easement_records_no_coronavirus_reason(tmp_path):
    """A plan due on 1 July 2020 (received 12 February: + 140 days) fell due while SI 2020/471
    was in force; it came in 2022, and the 2023 return's Week20 = 0 says no exception applied,
    so the engine must not assume the easement's. One due after the easement ended is left as
    it was."""
    during = _planned("2020-02-12", "2022-03-01", "0", n=1)
    after = _planned("2020-06-01", "2022-04-01", "0", n=2)
    path = sample.write(tmp_path, during, after, header=_header(2023))
    code, out, _ = _import_named(path)
    assert code == 0, out
    flags = dict(AssessmentRequest.objects.values_list("received_on", "no_coronavirus_reason"))
    assert flags == {date(2020, 2, 12): True, date(2020, 6, 1): False}
    excluding = _measures(2023)["plans_within_20_weeks_excluding_exceptions"]
    assert (excluding["numerator"], excluding["denominator"]) == (0, 2)


# --- Creating the area ----------------------------------------------------------------------


def test_the_area_is_created_from_the_header_and_the_command_says_so(tmp_path):
    path = sample.write(tmp_path, _planned("2024-02-01", "2024-05-01", "0"), header=_header(2025))
    code, out, _ = _import_named(path)
    assert code == 0
    area = Area.objects.get()
    assert (area.old_la_code, area.la_code, area.name) == (LEA, LA_CODE, NAME)
    assert f"Created the area {NAME} (LA number {LEA}, {LA_CODE}) from the file's header" in out
    assert AssessmentRequest.objects.get().area == area
    # Again: the area is there now, nothing is added, nothing created.
    code, out, _ = _import_named(path)
    assert code == 0 and "Created the area" not in out
    assert Area.objects.count() == 1 and AssessmentRequest.objects.count() == 1


def test_a_dry_run_says_it_would_create_the_area_and_creates_nothing(tmp_path):
    path = sample.write(tmp_path, _planned("2024-02-01", "2024-05-01", "0"), header=_header(2025))
    code, out, _ = _import(path, "--area-name", NAME, "--la-code", LA_CODE, "--dry-run")
    assert code == 0 and "Would create the area Testshire" in out
    assert not Area.objects.exists()


def test_a_file_with_a_refused_person_creates_no_area(tmp_path):
    bad = sample.a_person(sample.a_request(RequestOutcomeDate=None), UPN=sample.upn(2, la=LEA))
    path = sample.write(
        tmp_path, _planned("2024-02-01", "2024-05-01", "0"), bad, header=_header(2025)
    )
    code, out, _ = _import_named(path)
    assert code == 1 and "Nothing was imported" in out
    assert not Area.objects.exists() and not AssessmentRequest.objects.exists()


def test_a_failure_while_writing_leaves_no_area(tmp_path, monkeypatch):
    from everychild.returns import services  # patched: the failure comes from inside _write

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_save_plan", broken)
    path = sample.write(tmp_path, _planned("2024-02-01", "2024-05-01", "0"), header=_header(2025))
    code, out, err = _import_named(path)
    assert code == 1 and "disk full" in err
    assert not Area.objects.exists()


def test_without_create_area_an_unknown_area_is_still_refused(tmp_path):
    path = sample.write(tmp_path, _planned("2024-02-01", "2024-05-01", "0"), header=_header(2025))
    code, _, err = _run("sen2_import", str(path))
    assert code == 2 and "--create-area" in err
    assert not Area.objects.exists()


def test_the_name_and_code_come_from_dfe_statistics_when_not_given(tmp_path):
    release = DfERelease.objects.create(reporting_year=2025)
    dataset = DfEDataset.objects.create(release=release, name="requests")
    DfEStatistic.objects.create(
        dataset=dataset, time_period=2024, time_identifier="Calendar year",
        geographic_level=GeographicLevel.LOCAL_AUTHORITY, country_code="E92000001",
        region_code="E12000009", region_name="South West", la_code=LA_CODE, old_la_code=LEA,
        la_name="Testshire Council", breakdown_topic="Total", breakdown="Total",
    )  # fmt: skip
    path = sample.write(tmp_path, _planned("2024-02-01", "2024-05-01", "0"), header=_header(2025))
    code, out, _ = _import(path)
    assert code == 0, out
    area = Area.objects.get()
    assert (area.name, area.la_code, area.region_name) == (
        "Testshire Council",
        LA_CODE,
        "South West",
    )


def test_without_a_name_known_anywhere_the_file_is_refused_and_says_what_to_give(tmp_path):
    path = sample.write(tmp_path, _planned("2024-02-01", "2024-05-01", "0"), header=_header(2025))
    code, _, err = _import(path)
    assert code == 2 and "--area-name" in err and "--la-code" in err
    assert not Area.objects.exists()


def test_an_ons_code_already_used_by_another_area_is_refused(tmp_path):
    Area.objects.create(name="Elsewhere", la_code=LA_CODE, old_la_code="111")
    path = sample.write(tmp_path, _planned("2024-02-01", "2024-05-01", "0"), header=_header(2025))
    code, _, err = _import_named(path)
    assert code == 2 and "cannot be created" in err
    assert Area.objects.count() == 1


def test_hostile_files_create_no_area(tmp_path):
    """The same limits as any import: read before anything is planned, so nothing is made."""
    from everychild.returns.tests.test_hostile_files import BILLION_LAUGHS  # a test's sample

    laughs = tmp_path / "laughs.xml"
    laughs.write_bytes(BILLION_LAUGHS)
    huge = tmp_path / "huge.xml"
    with open(huge, "wb") as handle:
        handle.truncate(2 * 1024**3)
    code, _, err = _import_named(laughs)
    assert code == 2 and "document type" in err
    code, _, err = _import_named(huge)
    assert code == 2 and "2.0 GB" in err
    assert not Area.objects.exists()
