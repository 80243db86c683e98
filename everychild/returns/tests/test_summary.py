"""`sen2_summary`: the DfE's headline figures from a hand-made return whose every figure is
worked out by hand below."""

import io
import json

import pytest
from django.core.management import call_command

from everychild.accounts.models import SettingType
from everychild.returns.sen2 import spec
from everychild.returns.tests.sample import (
    a_need,
    a_person,
    a_placement,
    a_plan,
    a_plan_detail,
    a_request,
    an_active_plan,
    an_assessment,
    upn,
    write,
)
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def _assessed(received, decided, *, assessment, active=None):
    children = [assessment] + ([active] if active is not None else [])
    return a_request(
        *children, ReceivedDate=received, RequestOutcomeDate=decided, RequestOutcome="Y"
    )


def _issued(received, decided, issue_decided, started, week20, *placement_and_needs):
    plan = a_plan(a_plan_detail(), StartDate=started)
    assessment = an_assessment(plan, AssessmentOutcomeDate=issue_decided, Week20=week20)
    return _assessed(received, decided, assessment=assessment,
                     active=an_active_plan(*placement_and_needs))  # fmt: skip


def _historical(plan, active=None):
    assessment = an_assessment(plan, AssessmentOutcome="H", AssessmentOutcomeDate=None, Week20=None)
    children = [assessment] + ([active] if active is not None else [])
    return a_request(*children, ReceivedDate=None, RequestSource=None, RequestOutcome="H",
                     RequestOutcomeDate=None)  # fmt: skip


def _people():
    """The return for 2026: activity in 2025, caseload on 15 January 2026."""
    p = []
    # P1: received 3 Feb 2025, not assessed 10 Mar (35 days: within 6 weeks).
    p.append(a_request(ReceivedDate="2025-02-03", RequestOutcomeDate="2025-03-10"))
    # P2: received 3 Mar, decided 21 Apr (49 days: late); plan 14 Jul (133 days: within 20
    # weeks), no exception; at a known mainstream school; autism.
    p.append(_issued("2025-03-03", "2025-04-21", "2025-06-20", "2025-07-14", "0",
                     a_placement(URN="100001"), a_need(SENtype="ASD")))  # fmt: skip
    # P3: received 6 Jan, decided 10 Feb (35 days); plan 18 Aug (224 days: 20 to 52 weeks),
    # exception; home educated; SEMH, then autism second.
    p.append(_issued("2025-01-06", "2025-02-10", "2025-07-01", "2025-08-18", "1",
                     a_placement(URN=None, SENSetting="EHE"), a_need(SENtype="SEMH"),
                     a_need(SENtype="ASD", SENtypeRank="2")))  # fmt: skip
    # P4: received 1 Oct 2024, decided 8 Nov 2024 (not a 2025 decision); plan 3 Feb 2025 (125
    # days: within), exception; SEN unit at a known mainstream school; Down syndrome.
    unit = a_placement(URN="100002", SENunitIndicator="1")
    p.append(_issued("2024-10-01", "2024-11-08", "2025-01-10", "2025-02-03", "1", unit,
                     a_need(SENtype="DS")))  # fmt: skip
    # P5: received 15 Jan 2024, decided 20 Feb 2024; plan 17 Feb 2025 (399 days: over 52
    # weeks), no exception; at a known FE college; SLCN.
    p.append(_issued("2024-01-15", "2024-02-20", "2025-01-20", "2025-02-17", "0",
                     a_placement(URN=None, UKPRN="10000001"), a_need(SENtype="SLCN")))  # fmt: skip
    # P6: received 6 May, no decision yet.
    p.append(a_request(ReceivedDate="2025-05-06", RequestOutcome="A", RequestOutcomeDate=None))
    # P7: received 2 Jun, withdrawn 30 Jun.
    p.append(
        a_request(ReceivedDate="2025-06-02", RequestOutcome="W", RequestOutcomeDate="2025-06-30")
    )
    # P8: received 7 Jul, assessing from 11 Aug (35 days); still assessing on the census day.
    p.append(_assessed("2025-07-07", "2025-08-11", assessment=an_assessment()))
    # P9: received 10 Feb, assessing from 17 Mar (35 days); decided not to issue 2 Jun.
    p.append(_assessed("2025-02-10", "2025-03-17", assessment=an_assessment(
        AssessmentOutcome="N", AssessmentOutcomeDate="2025-06-02")))  # fmt: skip
    # P10: a plan from 2017 (before the records began), active; at a school EveryChild does
    # not know; MLD.
    unknown = an_active_plan(a_placement(URN="999999"), a_need(SENtype="MLD"))
    p.append(_historical(a_plan(a_plan_detail(URN="999999"), StartDate="2017-09-01"), unknown))
    # P11: a plan from 2016, ceased 31 Jul 2025: no longer wishes to engage (6).
    p.append(_historical(a_plan(StartDate="2016-09-01", CeaseDate="2025-07-31", CeaseReason="6")))
    # P12: received 1 Sep, assessing from 6 Oct (35 days); withdrawn 3 Nov.
    p.append(_assessed("2025-09-01", "2025-10-06", assessment=an_assessment(
        AssessmentOutcome="W", AssessmentOutcomeDate="2025-11-03")))  # fmt: skip
    return [
        a_person(request, **{spec.UPN: upn(n), spec.BIRTH_DATE: "2009-06-01"})
        for n, request in enumerate(p, start=1)
    ]


@pytest.fixture
def hand_made(tmp_path, area):
    factories.SchoolFactory(area=area, urn="100001", setting_type=SettingType.MAINSTREAM)
    factories.SchoolFactory(area=area, urn="100002", setting_type=SettingType.MAINSTREAM)
    factories.CollegeFactory(area=area, ukprn="10000001", setting_type=SettingType.FE_COLLEGE)
    return write(tmp_path, *_people())


def test_the_headline_figures_are_those_worked_out_by_hand(hand_made):
    out = io.StringIO()
    call_command("sen2_summary", str(hand_made), "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["return_year"] == 2026 and figures["calendar_year"] == 2025
    assert figures["persons"] == 12
    # Received in 2025: P1, P2, P3, P6, P7, P8, P9, P12 (not P4, P5: 2024; not P10, P11: H).
    assert figures["requests"] == {
        "received": 8,
        "decided_to_assess": 5,  # P2, P3, P8, P9, P12
        "decided_not_to_assess": 1,  # P1
        "decision_not_made": 1,  # P6
        "withdrawn": 1,  # P7
    }
    # DfE's cohort, the requests received in 2025 (not P4, P5): decided P1, P2, P3, P8, P9,
    # P12, within 42 days all but P2 (49); P6, undecided on 15 January 2026 at 254 days, is
    # over 6 weeks too; P7 (withdrawn) is in neither. 5 of 7.
    assert figures["decisions"] == {
        "made": 6,
        "within_6_weeks": 5,
        "over_6_weeks": 2,
        "within_6_weeks_pc": 71.4,
    }
    # Assessment outcomes dated 2025: Y for P2, P3, P4, P5; N for P9; W for P12. P8 goes on.
    assert figures["assessments"] == {
        "completed": 6,
        "plan_to_be_issued": 4,
        "plan_not_to_be_issued": 1,
        "withdrawn": 1,
        "still_going_on": 1,
    }
    # Plans issued in 2025: P2 (133 days), P4 (125) within 20 weeks; P3 (224) between 20 and
    # 52; P5 (399) over 52. Exceptions (Week20 = 1): P3, P4. Without them: P2 (within), P5.
    assert figures["plans_issued"] == {
        "issued": 4,
        "within_20_weeks": 2,
        "within_20_weeks_pc": 50.0,
        "between_20_and_52_weeks": 1,
        "over_52_weeks": 1,
        "issued_excluding_exceptions": 2,
        "within_20_weeks_excluding_exceptions": 1,
        "within_20_weeks_excluding_exceptions_pc": 50.0,
        "between_20_and_52_weeks_excluding_exceptions": 0,
        "over_52_weeks_excluding_exceptions": 1,
        "without_a_request_date": 0,
    }
    caseload = figures["caseload"]
    # Active on 15 January 2026: P2, P3, P4, P5, P10.
    assert caseload["active_plans"] == 5
    assert caseload["by_placement"] == {
        "mainstream": 1,  # P2
        "resourced": 1,  # P4: SEN unit
        "fe": 1,  # P5
        "EHE": 1,  # P3
        "school_not_known": 1,  # P10
    }
    assert caseload["by_placement_total"] == {
        "Mainstream schools": 2,
        "Special schools": 0,
        "Alternative provision": 0,
        "Further education and post-16": 1,
        "Educated elsewhere": 1,
        "Early years": 0,
        "Not recorded or not known": 1,
    }
    needs = {k: v for k, v in caseload["by_primary_need"].items() if v}
    # Down syndrome (P4) counts as other difficulty or disability, as in the DfE's tables.
    assert needs == {"ASD": 1, "SEMH": 1, "SLCN": 1, "MLD": 1, "OTH": 1}
    assert figures["ceased"] == {"ceased": 1, "by_reason": {"6": 1}}  # P11


def test_the_figures_read_as_sentences(hand_made):
    out = io.StringIO()
    call_command("sen2_summary", str(hand_made), stdout=out)
    text = out.getvalue()
    assert "return 2026, local authority 839" in text
    assert "Requests for an EHC needs assessment received in 2025: 8" in text
    assert "within 6 weeks: 5 (71.4%)" in text
    assert "within 20 weeks, excluding exceptions: 1 of 2 (50.0%)" in text
    assert "Active EHC plans on 15 January 2026: 5" in text
    assert "Mainstream school: SEN unit or resourced provision: 1" in text


def test_a_file_that_cannot_be_read_exits_2(tmp_path):
    path = tmp_path / "x.xml"
    path.write_bytes(b"<Message><Header>")
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("sen2_summary", str(path), stderr=err)
    assert exit_.value.code == 2 and "cannot be read" in err.getvalue()


def test_in_parts_the_figures_are_the_same(tmp_path, monkeypatch):
    from everychild.returns.sen2 import engine
    from everychild.returns.sen2.summary import summarise

    people = [person for _ in range(30) for person in _people()]
    for n, person in enumerate(people):
        person.find(spec.UPN).text = upn(n + 1)
    path = write(tmp_path, *people)
    monkeypatch.setattr(engine, "PARALLEL_FROM_BYTES", 1)
    monkeypatch.setattr(engine, "CHUNK_BYTES", 30_000)
    one = summarise(path, workers=1).as_dict()
    parts = summarise(path, workers=2).as_dict()
    assert parts == one and one["plans_issued"]["issued"] == 4 * 30
