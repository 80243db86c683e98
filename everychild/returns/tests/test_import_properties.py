"""Properties of the importer, over many generated files:

* any valid person (refused, pending, withdrawn, assessed, issued, ceased, historical; any mix
  of settings, placements, needs and flags) imported into an empty area and exported again is
  the same person, element by element;
* junk (cut short, a value no rule accepts, random bytes) never writes anything.
"""

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from everychild.accounts.models import Organisation
from everychild.casework.models import AssessmentRequest
from everychild.children.models import Child
from everychild.plans.models import EHCPlan
from everychild.returns.sen2 import reading, spec
from everychild.returns.sen2.compare import canonical
from everychild.returns.sen2.export import export_return
from everychild.returns.services import import_sen2
from everychild.returns.tests import sample

pytestmark = pytest.mark.django_db
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
PERIOD_START, PERIOD_END = date(2025, 1, 1), date(2025, 12, 31)
REFERENCE = date(2026, 1, 15)
FLAG = st.sampled_from(["0", "1"])


@contextmanager
def rolled_back():
    """Each example starts from the same database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _days(draw, start: date, end: date) -> date:
    """A day from `start` to `end`, never after the collection period (nothing in a valid return
    is after its reference date)."""
    end = min(end, PERIOD_END)
    return start + timedelta(days=draw(st.integers(0, max(0, (end - start).days))))


# --- Valid people -----------------------------------------------------------------------


@st.composite
def settings_values(draw, *, placement: bool) -> dict:
    kind = draw(st.sampled_from(["urn", "urn", "ukprn", "code"]))
    if kind == "urn":
        values = {
            spec.URN: draw(st.sampled_from(["100001", "100002", "135790"])),
            spec.SEN_UNIT: draw(FLAG),
            spec.RESOURCED_PROVISION: draw(FLAG),
        }
    elif kind == "ukprn":
        values = {spec.UKPRN: draw(st.sampled_from(["10000001", "10034567"]))}
    else:
        code = draw(st.sampled_from(sorted(spec.SEN_SETTINGS)))
        values = {spec.SEN_SETTING: code}
        if code == "OTH":
            values[spec.SEN_SETTING_OTHER] = "Hospital education"
    if placement and draw(st.booleans()):
        values[spec.RES] = draw(st.sampled_from(sorted(spec.RESIDENTIAL)))
    return values


@st.composite
def active_plans(draw, started: date):
    values = {}
    if draw(st.booleans()):
        meeting = _days(draw, started + timedelta(days=1), REFERENCE)
        values[spec.REVIEW_MEETING] = meeting.isoformat()
        if draw(st.booleans()):
            values[spec.REVIEW_OUTCOME] = draw(st.sampled_from(sorted(spec.REVIEW_OUTCOMES)))
            values[spec.LAST_REVIEW] = _days(draw, meeting, REFERENCE).isoformat()
    if draw(st.booleans()):
        values[spec.TRANSFER_LA] = draw(st.sampled_from(["836", "835", "208"]))
    placements = [sample.a_placement(**{spec.URN: None, **draw(settings_values(placement=True))})]
    if draw(st.booleans()):
        second = {spec.URN: None, **draw(settings_values(placement=True)), spec.PLACEMENT_RANK: "2"}
        placements.append(sample.a_placement(**second))
    needs = draw(st.lists(st.sampled_from(sorted(spec.SEN_TYPES)), min_size=1, max_size=2,
                          unique=True))  # fmt: skip
    need_modules = [
        sample.a_need(**{spec.SEN_TYPE: need, spec.SEN_TYPE_RANK: str(rank)})
        for rank, need in enumerate(needs, start=1)
    ]
    return sample.an_active_plan(*placements, *need_modules, **values)


@st.composite
def named_plans(draw, started: date, *, historical: bool):
    """A plan, active on the reference date or ceased in the year, and its active module."""
    details = [sample.a_plan_detail(**{spec.URN: None, **draw(settings_values(placement=False))})]
    if draw(st.booleans()):
        second = {
            spec.URN: None,
            **draw(settings_values(placement=False)),
            spec.PLACEMENT_RANK: "2",
        }
        details.append(sample.a_plan_detail(**second))
    budget = draw(FLAG)
    values = {
        spec.START_DATE: started.isoformat(),
        spec.PB: budget,
        spec.OA: draw(FLAG) if budget == "1" else "0",
        spec.DP: draw(FLAG) if budget == "1" else "0",
    }
    if draw(st.booleans()):
        values[spec.PLAN_WBP] = draw(st.sampled_from(sorted(spec.WORK_BASED)))
    if draw(st.booleans()):
        ceased = _days(draw, max(started, PERIOD_START), PERIOD_END)
        values[spec.CEASE_DATE] = ceased.isoformat()
        values[spec.CEASE_REASON] = draw(st.sampled_from(sorted(spec.CEASE_REASONS)))
        return sample.a_plan(*details, **values), None
    return sample.a_plan(*details, **values), draw(active_plans(started))


@st.composite
def requests(draw, born: date):
    kind = draw(st.sampled_from(["N", "A", "W", "Y:A", "Y:N", "Y:W", "Y:Y", "Y:plan", "H"]))
    if kind == "H":
        started = _days(draw, max(born + timedelta(days=400), date(2015, 1, 1)), date(2019, 12, 31))
        plan, active = draw(named_plans(started, historical=True))
        assessment = sample.an_assessment(
            plan, AssessmentOutcome="H", AssessmentOutcomeDate=None, Week20=None,
            AssessmentMediation=None, AssessmentTribunal=None, OtherMediation=None,
            OtherTribunal=None,
        )  # fmt: skip
        children = [assessment] + ([active] if active is not None else [])
        return sample.a_request(
            *children, ReceivedDate=None, RequestSource=None, RequestOutcome="H",
            RequestOutcomeDate=None, RYA=None, RequestMediation=None, RequestTribunal=None,
            Exported=None,
        )  # fmt: skip
    received = _days(draw, PERIOD_START, date(2025, 9, 30))
    values = {
        spec.RECEIVED_DATE: received.isoformat(),
        spec.REQUEST_SOURCE: draw(st.sampled_from(sorted(spec.REQUEST_SOURCES))),
        spec.RYA: "0",
        spec.REQUEST_MEDIATION: draw(FLAG),
        spec.REQUEST_TRIBUNAL: draw(FLAG),
        spec.EXPORTED: draw(FLAG),
        spec.REQUEST_OUTCOME: kind[0],
    }
    decided = _days(draw, received, received + timedelta(days=60))
    values[spec.REQUEST_OUTCOME_DATE] = decided.isoformat() if kind != "A" else None
    if kind[0] != "Y":
        return sample.a_request(**values)
    outcome = kind[2:]
    flags = {
        name: draw(FLAG)
        for name in (
            spec.ASSESSMENT_MEDIATION,
            spec.ASSESSMENT_TRIBUNAL,
            spec.OTHER_MEDIATION,
            spec.OTHER_TRIBUNAL,
        )  # fmt: skip
    }
    if outcome == "A":
        assessment = sample.an_assessment(**flags)
    elif outcome in ("N", "W", "Y"):
        when = _days(draw, decided, decided + timedelta(days=80))
        assessment = sample.an_assessment(
            AssessmentOutcome=outcome, AssessmentOutcomeDate=when.isoformat(), **flags
        )
    else:
        when = _days(draw, decided, decided + timedelta(days=80))
        started = _days(draw, when, when + timedelta(days=40))
        plan, active = draw(named_plans(started, historical=False))
        assessment = sample.an_assessment(
            plan, AssessmentOutcome="Y", AssessmentOutcomeDate=when.isoformat(),
            Week20=draw(FLAG), **flags,
        )  # fmt: skip
        return sample.a_request(assessment, *([active] if active is not None else []), **values)
    return sample.a_request(assessment, **values)


@st.composite
def people(draw):
    count = draw(st.integers(1, 3))
    made = []
    for n in range(count):
        born = _days(draw, date(2003, 1, 1), date(2018, 12, 31))
        values = {
            spec.SURNAME: draw(st.sampled_from(["Harbour", "O'Neill", "Smith-Jones", "Ng"])),
            spec.FORENAME: f"Child{n}",
            spec.BIRTH_DATE: born.isoformat(),
            spec.SEX: draw(st.sampled_from(sorted(spec.SEXES))),
            spec.ETHNICITY: draw(st.sampled_from(sorted(spec.ETHNICITIES))),
            spec.POSTCODE: draw(st.sampled_from([None, "BH1 1AA", "BH23 5XY"])),
        }
        if draw(st.booleans()):
            values[spec.UPN] = sample.upn(1000 + n)
        else:
            values[spec.UPN] = None
            values[spec.UPN_UNKNOWN] = draw(st.sampled_from(sorted(spec.UPN_UNKNOWN_REASONS)))
        if draw(st.booleans()):
            values[spec.ULN] = f"{draw(st.integers(10**9, 10**10 - 1))}"
        first = draw(requests(born))
        more = []
        if draw(st.booleans()):
            extra = draw(requests(born))
            mine = {r.findtext(spec.RECEIVED_DATE) for r in [first]}
            if (
                extra.findtext(spec.RECEIVED_DATE) not in mine
                or extra.findtext(spec.RECEIVED_DATE) is None
            ):
                active = [r for r in (first, extra) if r.find(spec.ACTIVE_PLANS) is not None]
                if len(active) < 2 and not (
                    first.findtext(spec.REQUEST_OUTCOME) == "H"
                    and extra.findtext(spec.REQUEST_OUTCOME) == "H"
                ):
                    more.append(extra)
        made.append(sample.a_person(first, *more, **values))
    return made


def _persons(path) -> list:
    return sorted(canonical(i) for i in reading.read_file(path) if isinstance(i, reading.Node))


@SETTINGS
@given(people())
def test_any_valid_person_comes_back_the_same(area, tmp_path_factory, persons):
    folder = tmp_path_factory.mktemp("round-trip")
    source = sample.write(folder, *persons)
    with rolled_back():
        result = import_sen2(path=source)
        problems = [p for r in result.plan.records for p in r.problems]
        assert result.written, problems or result.plan.file_problem or result.write_problem
        again = folder / "again.xml"
        export_return(area=area, year=2026, out=str(again), audit=False)
        assert _persons(again) == _persons(source)


# --- Junk -----------------------------------------------------------------------------------


def _counts():
    return (
        Child.objects.count(),
        AssessmentRequest.objects.count(),
        EHCPlan.objects.count(),
        Organisation.objects.count(),
    )


JUNK_FOR = {
    "date": st.sampled_from(["2025-02-30", "31/12/2025", "tomorrow", "2025-1-1", "2025-13-01"]),
    "code": st.sampled_from(["?", "YES", "99", "X", "n"]),
}


@st.composite
def junk(draw):
    valid = sample.a_file(*draw(people()))
    how = draw(st.sampled_from(["cut", "value", "bytes", "element"]))
    if how == "cut":
        return valid[: draw(st.integers(0, len(valid) - 20))]
    if how == "bytes":
        return draw(st.binary(min_size=1, max_size=400))
    root = etree.fromstring(valid)
    persons = root.find(spec.PERSONS)
    if how == "element":
        target = draw(st.sampled_from(list(persons.iter())))
        etree.SubElement(target, draw(st.sampled_from(["Unknown", "upn", "Script"]))).text = "x"
        return etree.tostring(root)
    coded = [
        element
        for element in persons.iter()
        if element.getparent() is not None
        and element.getparent().tag in spec.ITEMS
        and (item := spec.ITEMS[element.getparent().tag].get(element.tag)) is not None
        and (item.kind == "date" or item.codes)
    ]
    target = draw(st.sampled_from(coded))
    item = spec.ITEMS[target.getparent().tag][target.tag]
    target.text = draw(JUNK_FOR["date" if item.kind == "date" else "code"])
    return etree.tostring(root)


@SETTINGS
@given(junk())
def test_junk_never_writes_anything(area, tmp_path_factory, content):
    path = tmp_path_factory.mktemp("junk") / "junk.xml"
    path.write_bytes(content)
    with rolled_back():
        before = _counts()
        result = import_sen2(path=path)
        assert not result.written
        assert result.plan.file_problem or any(r.failed for r in result.plan.records)
        assert _counts() == before
