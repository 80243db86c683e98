"""The rules on assessments (SEN2-4xx), plans (SEN2-5xx), settings (SEN2-6xx, -P for
placements), needs (SEN2-700) and active plans (SEN2-8xx): each passes and fails on minimal
examples."""

from everychild.returns.sen2 import spec
from everychild.returns.tests.sample import (
    a_need,
    a_person,
    a_placement,
    a_plan,
    a_plan_detail,
    a_planned_person,
    an_active_plan,
    an_assessed_request,
    an_assessment,
    codes,
    context,
    failures,
)


def _with(active=None, plan=None, assessment=None):
    plan = plan if plan is not None else a_plan()
    assessment = assessment if assessment is not None else an_assessment(plan)
    return a_person(an_assessed_request(assessment=assessment, active=active))


def _with_active(*children, **values):
    return _with(active=an_active_plan(*children, **values))


def test_SEN2_400_an_issue_decision_and_its_date_go_together():
    assert "SEN2-400" not in codes(a_person(an_assessed_request()))
    assert "SEN2-400" in codes(
        _with(assessment=an_assessment(a_plan(), AssessmentOutcomeDate=None))
    )
    dated_pending = an_assessment(AssessmentOutcomeDate="2025-05-01")
    assert "SEN2-400" in codes(a_person(an_assessed_request(assessment=dated_pending)))


def test_SEN2_401_a_plan_after_a_decision_not_to_issue_fails():
    assert "SEN2-401" not in codes(a_planned_person())
    assert "SEN2-401" in codes(_with(assessment=an_assessment(a_plan(), AssessmentOutcome="N")))


def test_SEN2_402_week20_without_a_plan_fails():
    not_issued = an_assessment(
        AssessmentOutcome="N", AssessmentOutcomeDate="2025-06-20", Week20="0"
    )
    assert "SEN2-402" in codes(a_person(an_assessed_request(assessment=not_issued)))
    assert "SEN2-402" not in codes(a_planned_person())


def test_SEN2_403_a_plan_without_week20_fails():
    assert "SEN2-403" not in codes(a_planned_person())
    assert "SEN2-403" in codes(_with(assessment=an_assessment(a_plan(), Week20=None)))


def test_SEN2_500_a_cease_date_and_reason_go_together():
    assert "SEN2-500" not in codes(_with(plan=a_plan(CeaseDate="2025-12-01", CeaseReason="5")))
    assert "SEN2-500" in codes(_with(plan=a_plan(CeaseDate="2025-12-01")))
    assert "SEN2-500" in codes(_with(plan=a_plan(CeaseReason="5")))


def test_SEN2_501_budget_arrangements_without_a_personal_budget_are_a_warning():
    assert "SEN2-501" not in codes(_with(plan=a_plan(PB="1", DP="1")))
    [failure] = [f for f in failures(_with(plan=a_plan(DP="1"))) if f.code == "SEN2-501"]
    assert failure.severity == "warning"


def test_SEN2_502_a_ceased_plan_listed_as_active_fails():
    ceased = a_plan(CeaseDate="2025-12-01", CeaseReason="2")
    assert "SEN2-502" in codes(_with(plan=ceased, active=an_active_plan()))
    assert "SEN2-502" not in codes(_with(plan=ceased))
    later = a_plan(CeaseDate="2026-01-15", CeaseReason="2")
    assert "SEN2-502" in codes(_with(plan=later, active=an_active_plan()))


def test_SEN2_600_a_setting_identified_by_nothing_fails():
    assert "SEN2-600" not in codes(a_planned_person())
    assert "SEN2-600" in codes(_with(plan=a_plan(a_plan_detail(URN=None))))
    assert "SEN2-600" not in codes(_with(plan=a_plan(a_plan_detail(URN=None, SENSetting="EHE"))))
    assert "SEN2-600P" in codes(_with_active(a_placement(URN=None), a_need()))
    assert "SEN2-600P" not in codes(_with_active(a_placement(URN=None, UKPRN="10012345"), a_need()))


def test_SEN2_601_a_setting_code_with_a_urn_fails():
    assert "SEN2-601" in codes(_with(plan=a_plan(a_plan_detail(SENSetting="EHE"))))
    assert "SEN2-601" not in codes(a_planned_person())
    assert "SEN2-601P" in codes(_with_active(a_placement(SENSetting="OLA"), a_need()))


def test_SEN2_602_a_urn_not_six_digits_fails():
    assert "SEN2-602" not in codes(a_planned_person())
    assert "SEN2-602" in codes(_with(plan=a_plan(a_plan_detail(URN="12345"))))
    assert "SEN2-602P" in codes(_with_active(a_placement(URN="12345A"), a_need()))


def test_SEN2_603_a_ukprn_not_eight_digits_from_1_fails():
    assert "SEN2-603" not in codes(_with(plan=a_plan(a_plan_detail(URN=None, UKPRN="10012345"))))
    assert "SEN2-603" in codes(_with(plan=a_plan(a_plan_detail(URN=None, UKPRN="20012345"))))
    assert "SEN2-603P" in codes(_with_active(a_placement(URN=None, UKPRN="1001234"), a_need()))


def test_SEN2_604_settings_in_a_plan_not_ranked_1_and_2_fail():
    dual = a_plan(a_plan_detail(), a_plan_detail(URN="654321", PlacementRank="2"))
    assert "SEN2-604" not in codes(_with(plan=dual))
    twice_first = a_plan(a_plan_detail(), a_plan_detail(URN="654321"))
    assert "SEN2-604" in codes(_with(plan=twice_first))
    assert "SEN2-604" in codes(_with(plan=a_plan(a_plan_detail(PlacementRank="2"))))


def test_SEN2_605_no_main_placement_fails():
    assert "SEN2-605" not in codes(a_planned_person())
    assert "SEN2-605" in codes(_with_active(a_placement(PlacementRank="2"), a_need()))


def test_SEN2_606_an_other_setting_without_a_description_is_a_warning():
    described = a_plan_detail(URN=None, SENSetting="OTH", SENSettingOther="Hospital school")
    assert "SEN2-606" not in codes(_with(plan=a_plan(described)))
    assert "SEN2-606" in codes(_with(plan=a_plan(a_plan_detail(URN=None, SENSetting="OTH"))))
    assert "SEN2-606P" in codes(_with_active(a_placement(SENSettingOther="Tutoring"), a_need()))


def test_SEN2_607_a_unit_without_a_school_is_a_warning():
    assert "SEN2-607" not in codes(_with(plan=a_plan(a_plan_detail(SENunitIndicator="1"))))
    unit_at_college = a_plan_detail(URN=None, UKPRN="10012345", ResourcedProvisionIndicator="1")
    assert "SEN2-607" in codes(_with(plan=a_plan(unit_at_college)))
    assert "SEN2-607P" in codes(
        _with_active(a_placement(URN=None, SENSetting="EHE", SENunitIndicator="1"), a_need())
    )


def test_SEN2_700_needs_not_ranked_1_and_2_or_the_same_twice_fail():
    assert "SEN2-700" not in codes(
        _with_active(a_placement(), a_need(), a_need(SENtype="SLCN", SENtypeRank="2"))
    )
    assert "SEN2-700" in codes(_with_active(a_placement(), a_need(SENtypeRank="2")))
    assert "SEN2-700" in codes(_with_active(a_placement(), a_need(), a_need(SENtypeRank="2")))


def test_SEN2_800_a_review_decision_without_its_meeting_fails():
    assert "SEN2-800" in codes(_with_active(a_placement(), a_need(), ReviewOutcome="M"))
    assert "SEN2-800" not in codes(
        _with_active(a_placement(), a_need(), ReviewOutcome="M", ReviewMeeting="2025-12-01")
    )


def test_SEN2_801_a_plan_transferred_from_this_same_authority_fails():
    assert "SEN2-801" in codes(_with_active(a_placement(), a_need(), TransferLA="839"))
    assert "SEN2-801" not in codes(_with_active(a_placement(), a_need(), TransferLA="836"))


def test_SEN2_802_no_review_in_12_months_is_a_warning():
    """CFA 2014 s.44(1): the plan is reviewed "in the period of 12 months starting with the date
    on which the plan was first made" and then "starting with the date on which [it] was last
    reviewed": the period ends the day before the anniversary."""
    old_plan = a_plan(StartDate="2024-01-10")
    request = {spec.RECEIVED_DATE: "2023-09-04", spec.REQUEST_OUTCOME_DATE: "2023-10-09"}
    assessment = an_assessment(old_plan, AssessmentOutcomeDate="2023-12-01")
    never = a_person(an_assessed_request(assessment=assessment, active=an_active_plan(), **request))
    [failure] = [f for f in failures(never) if f.code == "SEN2-802"]
    assert failure.severity == "warning" and "due 2025-01-09" in failure.detail
    reviewed = an_active_plan(a_placement(), a_need(), ReviewMeeting="2025-01-16")
    assert "SEN2-802" not in codes(
        a_person(an_assessed_request(assessment=assessment, active=reviewed, **request))
    )
    # A review 12 months less a day before the reference date (15 January 2026) is in time:
    # its period runs to 15 January 2026 itself. One a day earlier ran out the day before.
    in_time = an_active_plan(a_placement(), a_need(), ReviewMeeting="2025-01-16")
    assert "SEN2-802" not in codes(
        a_person(an_assessed_request(assessment=assessment, active=in_time, **request)),
        context(),
    )
    a_year_ago = an_active_plan(a_placement(), a_need(), ReviewMeeting="2025-01-15")
    [late] = [
        f
        for f in failures(
            a_person(an_assessed_request(assessment=assessment, active=a_year_ago, **request))
        )
        if f.code == "SEN2-802"
    ]
    assert "due 2026-01-14" in late.detail
