"""How a case's records become the statutory engine's facts, and what comes back."""

import datetime as dt

import pytest

from everychild.casework import clock, services
from everychild.casework.chronology import build_chronology
from everychild.casework.models import AdviceKind, AssessmentRequest, CaseEvent, Letter
from everychild.casework.tests.conftest import days_ago
from everychild.plans import services as plan_services
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def facts_of(case, **kw):
    case = AssessmentRequest.objects.get(pk=case.pk)
    return clock.facts_dict(
        case,
        advice=case.advice_requests.select_related("organisation"),
        exceptions=case.exceptions.all(),
        consultations=case.consultations.all(),
        letters=case.letters.all(),
        today=kw.get("today", days_ago(0)),
    )


def test_the_facts_of_a_case(build, caseworker, area):
    case = build.decide(build.request(received_days_ago=60), days_after=10)
    ep = build.advice(case)
    nursery = factories.EarlyYearsFactory(area=area)
    early = build.advice(case, nursery, kind=AdviceKind.EDUCATION)
    cancelled = build.advice(case, factories.SocialCareFactory(area=area), kind="social_care")
    case.refresh_from_db()
    services.cancel_advice_request(
        actor=caseworker, advice=cancelled, version=None, cancelled_on=days_ago(1), reason="x"
    )
    services.record_exception(
        actor=caseworker,
        case=case,
        version=None,
        regulation="8(2)(c)",
        starts_on=days_ago(20),
        reason="Missed appointment",
        advice=ep,
    )
    services.record_exception(
        actor=caseworker,
        case=case,
        version=None,
        regulation="10(4)(c)",
        starts_on=days_ago(20),
        reason="Illness",
    )
    facts = facts_of(case)
    assert facts["request_received"] == days_ago(60).isoformat()
    assert facts["decision"] == {"outcome": "assess", "on": days_ago(50).isoformat()}
    by_id = {a["id"]: a for a in facts["advice"]}
    assert set(by_id) == {str(ep.pk), str(early.pk)}  # cancelled advice is left out
    assert by_id[str(ep.pk)]["kind"] == "educational_psychology"
    assert not by_id[str(ep.pk)]["to_school_or_setting"]
    assert by_id[str(ep.pk)]["exceptions"][0]["reg"] == "8(2)(c)"
    assert by_id[str(early.pk)]["kind"] == "early_years"
    assert by_id[str(early.pk)]["to_school_or_setting"]
    assert [e["reg"] for e in facts["exceptions"]] == ["10(4)(c)"]


def test_the_area_setting_decides_how_days_are_counted(build, area):
    case = build.request(received_days_ago=5)
    normal = clock.clock_for(case).milestone("decision_whether_to_assess").due
    area.count_start_as_day_one = True
    area.save()
    case = AssessmentRequest.objects.select_related("area").get(pk=case.pk)
    stricter = clock.clock_for(case).milestone("decision_whether_to_assess").due
    assert normal == days_ago(5) + dt.timedelta(days=42)
    assert stricter == normal - dt.timedelta(days=1)


def test_a_summer_closure_lifts_a_missed_20_weeks(build, area, school):
    """Advice asked of a school within a week of a 6-week closure: reg 10(4)(a) is detected."""
    received = days_ago(200)
    closure_from = received + dt.timedelta(days=30)
    area.setting_closures = [
        {"from": closure_from.isoformat(), "to": (closure_from + dt.timedelta(days=41)).isoformat()}
    ]
    area.save()
    case = build.decide(build.request(received_days_ago=200), days_after=20)
    build.advice(case, school, kind=AdviceKind.EDUCATION, days_after_decision=5)
    case = AssessmentRequest.objects.select_related("area").get(pk=case.pk)
    final = clock.clock_for(case).milestone("final_plan")
    assert final.status == "exception_applies"
    assert final.exception.reg == "10(4)(a)" and final.exception.detected


def test_many_clocks_in_bulk_equal_one_at_a_time(build, caseworker, django_assert_max_num_queries):
    cases = [build.request(received_days_ago=10)]
    cases.append(build.decide(build.request(received_days_ago=50)))
    advised = build.decide(build.request(received_days_ago=80))
    build.provided(build.advice(advised))
    cases.append(advised)
    cases.append(build.assessed_to_draft(draft_days_ago=3))
    with django_assert_max_num_queries(6):
        fetched = list(AssessmentRequest.objects.all())
        bulk = clock.clocks_for(fetched)
    for case in cases:
        one = clock.clock_for(AssessmentRequest.objects.select_related("area").get(pk=case.pk))
        assert bulk[case.pk].milestones == one.milestones
        assert bulk[case.pk].status == one.status


def test_the_status_of_a_case(build):
    overdue = build.request(received_days_ago=50)
    soon = build.request(received_days_ago=35)
    fine = build.request(received_days_ago=1)
    states = {c.pk: clock.clock_for(c) for c in (overdue, soon, fine)}
    assert states[overdue.pk].status == "overdue" and states[overdue.pk].days_remaining == -8
    assert states[soon.pk].status == "due_soon" and states[soon.pk].days_remaining == 7
    assert states[fine.pk].status == "on_track"
    order = sorted(states.values(), key=lambda c: c.sort_key)
    assert [c.status for c in order] == ["overdue", "due_soon", "on_track"]


def test_a_withdrawn_case_is_judged_as_it_stood_when_withdrawn(build, caseworker):
    case = build.request(received_days_ago=100)
    case = services.withdraw(
        actor=caseworker, case=case, version=None, withdrawn_on=days_ago(90), reason="Moved"
    )
    decision = clock.clock_for(case).milestone("decision_whether_to_assess")
    assert decision.status == "pending"  # not "overdue": the clock stopped at withdrawal


def test_impossible_bulk_written_dates_show_as_needing_checking(area, child):
    case = factories.AssessmentRequestFactory(
        child=child, received_on=days_ago(10), decision="assess", decision_on=days_ago(20)
    )
    found = clock.clock_for(case)
    assert found.status == "error"
    assert "decision.on" in found.error


def test_a_reassessment_is_decided_in_15_days_and_planned_in_14_weeks(build, caseworker):
    case = build.assessed_to_draft(draft_days_ago=20)
    case = plan_services.issue_final_plan(
        actor=caseworker, case=case, version=None, issued_on=days_ago(4)
    )
    again = services.request_reassessment(
        actor=caseworker,
        case=case,
        source="1",
        received_on=days_ago(3),
        requested_by="Parent",
        reason="Changed needs",
    )
    decision = clock.clock_for(again).milestone("reassessment_decision")
    assert decision.due == days_ago(3) + dt.timedelta(days=15)
    assert decision.regulation == "SEND Regulations 2014 reg 25"
    again = build.decide(again, days_after=1)
    final = clock.clock_for(again).milestone("reassessment_final_plan")
    assert final.due == again.decision_on + dt.timedelta(weeks=14)
    # A family circumstance recorded on the re-assessment (reg 10(4)(c) on the form) is
    # judged under reg 27(3)(c), its counterpart for re-assessments.
    services.record_exception(
        actor=caseworker,
        case=again,
        version=None,
        regulation="10(4)(c)",
        starts_on=again.decision_on,
        reason="The family has been away",
    )
    facts = clock.facts_dict(
        again,
        advice=[],
        exceptions=again.exceptions.all(),
        consultations=[],
        letters=[],
        today=days_ago(0),
    )
    assert facts["process"] == "reassessment"
    assert facts["exceptions"][0]["reg"] == "27(3)(c)"


def test_breach_risk_when_the_draft_is_late_or_the_window_runs_past_20_weeks(build, caseworker):
    # Draft not served and only 3 days left to serve it with 15 days before week 20.
    tight = build.decide(build.request(received_days_ago=122))
    risk = clock.breach_risk(tight, clock.clock_for(tight))
    assert risk.limit == "20 weeks" and risk.days_remaining == 3 and not risk.missed
    # Draft served 5 days before week 20: only the family's agreement avoids a breach.
    late = build.assessed_to_draft(received_days_ago=136, draft_days_ago=1)
    risk = clock.breach_risk(late, clock.clock_for(late))
    assert "agreement" in risk.why
    services.record_family_agreement(
        actor=caseworker, case=late, version=None, agreed_on=days_ago(0)
    )
    late = AssessmentRequest.objects.get(pk=late.pk)
    assert clock.breach_risk(late, clock.clock_for(late)).why == "The final plan is due soon"
    # A case with months to go is not at risk.
    calm = build.decide(build.request(received_days_ago=30))
    assert clock.breach_risk(calm, clock.clock_for(calm)) is None


def test_a_sent_refusal_letter_adds_the_familys_deadlines(build, caseworker):
    case = build.decide(build.request(received_days_ago=20), days_after=5, decision="not_assess")
    letter = Letter.objects.create(
        assessment_request=case, kind="decision_not_to_assess", dated_on=days_ago(2), html="x"
    )
    assert "decision_letter_on" not in facts_of(case)  # not sent yet
    letter.sent_on = days_ago(1)
    letter.save()
    assert facts_of(case)["decision_letter_on"] == days_ago(2).isoformat()
    keys = {m.key for m in clock.clock_for(case).milestones}
    assert {"mediation_contact", "appeal_deadline"} <= keys


# --- The chronology, for bulk-written cases ---------------------------------------------------


def test_build_chronology_words_a_case_as_the_services_did(build, caseworker, team_manager, school):
    case = build.assessed_to_draft(received_days_ago=140, draft_days_ago=30)
    services.allocate(actor=team_manager, case=case, version=None, caseworker=caseworker)
    services.send_consultation(
        actor=caseworker, case=case, version=None, setting=school, sent_on=days_ago(29)
    )
    services.record_exception(
        actor=caseworker,
        case=case,
        version=None,
        regulation="10(4)(c)",
        starts_on=days_ago(60),
        ends_on=days_ago(31),
        reason="Illness",
    )
    case = plan_services.issue_final_plan(
        actor=caseworker, case=case, version=None, issued_on=days_ago(2)
    )
    stored = {
        (e.kind, e.happened_on, e.summary)
        for e in CaseEvent.objects.filter(assessment_request=case).exclude(
            kind="caseworker_allocated"
        )
    }
    case = AssessmentRequest.objects.select_related("caseworker").get(pk=case.pk)
    built = build_chronology(
        case,
        advice=case.advice_requests.select_related("organisation"),
        exceptions=case.exceptions.all(),
        consultations=case.consultations.select_related("setting"),
        today=days_ago(0),
    )
    rebuilt = {(e.kind, e.happened_on, e.summary) for e in built}
    assert {r for r in rebuilt if r[0] != "caseworker_allocated"} == stored
    assert all(e.assessment_request_id == case.pk and e.pk is None for e in built)
    assert [e.happened_on for e in built] == sorted(e.happened_on for e in built)


def test_build_chronology_stops_at_today(build, caseworker):
    case = build.decide(build.request(received_days_ago=20), days_after=10)
    events = build_chronology(case, today=days_ago(15))
    assert [e.kind for e in events] == ["request_received"]


def test_trusted_facts_are_exactly_what_the_engine_would_parse(build, caseworker, area, school):
    """The list pages skip re-validation; this is the proof that they lose nothing."""
    area.setting_closures = [{"from": days_ago(70).isoformat(), "to": days_ago(20).isoformat()}]
    area.save()
    case = build.decide(build.request(received_days_ago=130), days_after=10)
    ep = build.advice(case)
    build.advice(case, school, kind=AdviceKind.EDUCATION)
    build.provided(ep, days_after=15)
    services.record_exception(
        actor=caseworker,
        case=case,
        version=None,
        regulation="10(4)(d)",
        starts_on=days_ago(100),
        ends_on=days_ago(60),
        reason="Abroad",
    )
    services.record_exception(
        actor=caseworker,
        case=case,
        version=None,
        regulation="8(2)(a)",
        starts_on=days_ago(100),
        reason="Flood at the clinic",
        advice=ep,
    )
    Letter.objects.create(
        assessment_request=case,
        kind="decision_not_to_issue",
        dated_on=days_ago(3),
        sent_on=days_ago(2),
        html="x",
    )
    case = AssessmentRequest.objects.select_related("area").get(pk=case.pk)
    closures = clock.area_closures(case.area)
    kwargs = {
        "advice": list(case.advice_requests.select_related("organisation")),
        "exceptions": list(case.exceptions.all()),
        "consultations": list(case.consultations.all()),
        "letters": list(case.letters.all()),
        "today": days_ago(0),
    }
    from everychild.statutory import parse_facts

    parsed = parse_facts(clock.facts_dict(case, **kwargs))
    parsed.setting_closures = closures
    trusted = clock.trusted_facts(clock.facts_dict(case, iso=False, **kwargs), closures)
    assert trusted == parsed
    assert len(trusted.advice) == 2 and trusted.exceptions and trusted.advice[0].exceptions


def test_a_plan_issued_early_with_the_familys_agreement_does_not_breach_their_15_days(
    build, caseworker
):
    """Reg 13(1): the family has "15 days" to comment on the draft; the final plan may be
    issued sooner when they agree. The agreement recorded on the case reaches the engine
    (casework.facts), so the case page shows their window met, not breached."""
    case = build.assessed_to_draft(received_days_ago=100, draft_days_ago=10)
    services.record_family_agreement(
        actor=caseworker, case=case, version=None, agreed_on=days_ago(8)
    )
    case = plan_services.issue_final_plan(
        actor=caseworker, case=case, version=None, issued_on=days_ago(7)
    )
    window = clock.clock_for(case).milestone("draft_plan_comments_close")
    assert window.status == "met" and window.met_on == days_ago(7)
    assert facts_of(case)["family_agreed_early_issue_on"] == days_ago(8).isoformat()
