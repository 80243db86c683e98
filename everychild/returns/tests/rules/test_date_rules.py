"""The rules on the order of dates (SEN2-3xx): each passes and fails on minimal examples."""

from everychild.returns.sen2 import spec
from everychild.returns.tests.sample import (
    a_need,
    a_person,
    a_placement,
    a_plan,
    a_planned_person,
    a_request,
    an_active_plan,
    an_assessed_request,
    an_assessment,
    codes,
    failures,
)


def _planned(plan=None, active=None, assessment=None, **request):
    plan = plan if plan is not None else a_plan()
    if assessment is None:
        assessment = an_assessment(plan)
    return a_person(
        an_assessed_request(
            assessment=assessment,
            active=active if active is not None else an_active_plan(),
            **request,
        )
    )


def test_SEN2_300_a_decision_before_the_request_fails():
    assert "SEN2-300" not in codes(a_person(a_request(RequestOutcomeDate="2025-03-03")))
    assert "SEN2-300" in codes(a_person(a_request(RequestOutcomeDate="2025-03-02")))


def test_SEN2_301_a_decision_to_issue_before_the_decision_to_assess_fails():
    assert "SEN2-301" not in codes(a_planned_person())
    early = an_assessment(a_plan(), AssessmentOutcomeDate="2025-04-01")
    assert "SEN2-301" in codes(_planned(assessment=early))


def test_SEN2_302_a_plan_starting_before_its_request_fails():
    assert "SEN2-302" not in codes(a_planned_person())
    assert "SEN2-302" in codes(_planned(plan=a_plan(StartDate="2025-03-02")))


def test_SEN2_303_a_plan_ceasing_before_it_started_fails():
    ceased = a_plan(CeaseDate="2025-07-13", CeaseReason="2")
    person = a_person(an_assessed_request(plan=ceased))
    assert "SEN2-303" in codes(person)
    fine = a_plan(CeaseDate="2025-12-01", CeaseReason="2")
    assert "SEN2-303" not in codes(a_person(an_assessed_request(plan=fine)))


def test_SEN2_304_a_date_after_the_reference_date_fails():
    assert "SEN2-304" not in codes(a_planned_person())
    found = [
        f for f in failures(_planned(plan=a_plan(StartDate="2026-01-16"))) if f.code == "SEN2-304"
    ]
    assert [f.field for f in found] == [spec.START_DATE]
    # A phase transfer is planned ahead: its due date may be later.
    ahead = an_active_plan(a_placement(), a_need(), PhaseTransferDueDate="2026-02-15")
    assert "SEN2-304" not in codes(_planned(active=ahead))


def test_SEN2_305_a_plan_starting_before_the_decision_to_issue_fails():
    assert "SEN2-305" not in codes(a_planned_person())
    late_decision = an_assessment(a_plan(StartDate="2025-06-19"))
    assert "SEN2-305" in codes(_planned(assessment=late_decision))


def test_SEN2_306_a_placement_ending_before_it_began_fails():
    placement = a_placement(EntryDate="2025-09-01", LeavingDate="2025-08-31")
    assert "SEN2-306" in codes(_planned(active=an_active_plan(placement, a_need())))
    placement = a_placement(EntryDate="2025-09-01", LeavingDate="2025-12-19")
    current = a_placement(URN="654321", EntryDate="2026-01-05")
    assert "SEN2-306" not in codes(_planned(active=an_active_plan(placement, current, a_need())))


def test_SEN2_307_a_review_before_the_plan_started_fails():
    active = an_active_plan(a_placement(), a_need(), ReviewMeeting="2025-07-01")
    assert "SEN2-307" in codes(_planned(active=active))
    active = an_active_plan(a_placement(), a_need(), ReviewMeeting="2025-12-01")
    assert "SEN2-307" not in codes(_planned(active=active))


def test_SEN2_308_a_review_decision_before_its_meeting_fails():
    decided_first = an_active_plan(
        a_placement(), a_need(), ReviewMeeting="2025-12-01", LastReview="2025-11-30"
    )
    assert "SEN2-308" in codes(_planned(active=decided_first))
    in_order = an_active_plan(
        a_placement(), a_need(), ReviewMeeting="2025-12-01", LastReview="2025-12-12"
    )
    assert "SEN2-308" not in codes(_planned(active=in_order))


def test_SEN2_309_a_date_before_birth_fails():
    assert "SEN2-309" not in codes(a_person())
    found = [
        f for f in failures(a_person(**{spec.BIRTH_DATE: "2025-03-04"})) if f.code == "SEN2-309"
    ]
    assert {f.field for f in found} == {spec.RECEIVED_DATE}


def test_SEN2_310_a_plan_issued_more_than_52_weeks_after_the_request_is_a_warning():
    assert "SEN2-310" not in codes(a_planned_person())
    slow = _planned(
        plan=a_plan(StartDate="2025-03-10"),
        assessment=an_assessment(
            a_plan(StartDate="2025-03-10"), AssessmentOutcomeDate="2025-02-01"
        ),
        ReceivedDate="2024-02-05",
        RequestOutcomeDate="2024-03-15",
    )
    [failure] = [f for f in failures(slow) if f.code == "SEN2-310"]
    assert failure.severity == "warning"
    # A plan issued before the year the return covers was judged in that year's return.
    old = _planned(
        assessment=an_assessment(
            a_plan(StartDate="2024-12-10"), AssessmentOutcomeDate="2024-11-01"
        ),
        ReceivedDate="2023-02-06",
        RequestOutcomeDate="2023-03-15",
    )
    assert "SEN2-310" not in codes(old)
