"""The rules on a person (SEN2-1xx) and on a request (SEN2-2xx): each passes and fails on
minimal examples."""

from hypothesis import given
from hypothesis import strategies as st

from everychild.returns.sen2 import spec
from everychild.returns.tests.sample import (
    a_person,
    a_plan,
    a_planned_person,
    a_request,
    an_active_plan,
    an_assessed_request,
    an_assessment,
    codes,
    context,
    failures,
    upn,
)


def test_SEN2_100_a_upn_with_a_wrong_check_letter_fails():
    good = upn(42)
    assert "SEN2-100" not in codes(a_person(**{spec.UPN: good}))
    wrong_letter = ("B" if good[0] == "A" else "A") + good[1:]
    [failure] = [f for f in failures(a_person(**{spec.UPN: wrong_letter})) if f.code == "SEN2-100"]
    assert "check letter is wrong" in failure.detail
    assert "SEN2-100" in codes(a_person(**{spec.UPN: good[:12]}))  # too short
    # A UPN from a council created since 2011 (839, BCP) is known to the project's check.
    assert "SEN2-100" not in codes(a_person(**{spec.UPN: upn(7, la="839")}))
    assert "SEN2-100" in codes(a_person(**{spec.UPN: upn(7, la="999")}))


def test_SEN2_101_neither_or_both_upn_and_reason_fails():
    assert "SEN2-101" not in codes(a_person())
    assert "SEN2-101" not in codes(a_person(**{spec.UPN: None, spec.UPN_UNKNOWN: "UN2"}))
    assert "SEN2-101" in codes(a_person(**{spec.UPN: None}))
    assert "SEN2-101" in codes(a_person(**{spec.UPN_UNKNOWN: "UN2"}))


def test_SEN2_102_a_uln_not_ten_digits_fails():
    assert "SEN2-102" not in codes(a_person(**{spec.ULN: "1234567890"}))
    assert "SEN2-102" in codes(a_person(**{spec.ULN: "12345"}))
    assert "SEN2-102" in codes(a_person(**{spec.ULN: "12345678９0"}))  # a full-width digit


def test_SEN2_103_a_postcode_not_shaped_like_one_is_a_warning():
    assert "SEN2-103" not in codes(a_person(**{spec.POSTCODE: "BH14 0AA"}))
    [failure] = [f for f in failures(a_person(**{spec.POSTCODE: "Poole"})) if f.code == "SEN2-103"]
    assert failure.severity == "warning"


def test_SEN2_104_the_same_upn_for_two_people_fails(tmp_path):
    from everychild.returns.sen2.validate import validate
    from everychild.returns.tests.sample import write

    found = []
    validate(write(tmp_path, a_person(), a_person(**{spec.UPN: upn(2)})), found.append)
    assert "SEN2-104" not in {f.code for f in found}
    found = []
    validate(write(tmp_path, a_person(), a_person(**{spec.FORENAME: "Bo"})), found.append)
    [failure] = [f for f in found if f.code == "SEN2-104"]
    assert failure.person == 2 and "also given for person 1" in failure.detail


def test_SEN2_105_an_active_plan_for_someone_aged_26_fails():
    assert "SEN2-105" not in codes(a_planned_person(**{spec.BIRTH_DATE: "2000-02-01"}))  # 25
    assert "SEN2-105" in codes(a_planned_person(**{spec.BIRTH_DATE: "1999-12-01"}))  # 26
    # Without an active plan the age does not matter here.
    assert "SEN2-105" not in codes(a_person(**{spec.BIRTH_DATE: "1999-12-01"}))


def test_SEN2_106_two_active_plans_fail():
    assert "SEN2-106" not in codes(a_planned_person())
    first = an_assessed_request(plan=a_plan(), active=an_active_plan())
    second = an_assessed_request(
        plan=a_plan(**{spec.START_DATE: "2025-11-03"}),
        active=an_active_plan(),
        **{spec.RECEIVED_DATE: "2025-06-02", spec.REQUEST_OUTCOME_DATE: "2025-07-07"},
    )
    assert "SEN2-106" in codes(a_person(first, second))


def test_SEN2_107_two_requests_received_the_same_day_fail():
    assert "SEN2-107" not in codes(a_person(a_request(), a_request(ReceivedDate="2025-05-01")))
    assert "SEN2-107" in codes(a_person(a_request(), a_request()))


def test_SEN2_200_a_request_without_its_date_or_source_fails():
    assert "SEN2-200" not in codes(a_person())
    assert "SEN2-200" in codes(a_person(a_request(**{spec.RECEIVED_DATE: None})))
    assert "SEN2-200" in codes(a_person(a_request(**{spec.REQUEST_SOURCE: None})))
    # Who made the request is asked from the 2025 return (v1.3).
    before = context(year=2024)
    from datetime import date

    before.reference_date = date(2024, 1, 18)
    old = a_person(a_request(**{spec.REQUEST_SOURCE: None, spec.RECEIVED_DATE: "2023-03-03",
                                spec.REQUEST_OUTCOME_DATE: "2023-04-07"}))  # fmt: skip
    assert "SEN2-200" not in codes(old, before)
    # A historical request has neither.
    historical = a_request(
        an_assessment(
            a_plan(**{spec.START_DATE: "2018-05-01"}),
            AssessmentOutcome="H",
            AssessmentOutcomeDate=None,
            Week20=None,
        ),  # fmt: skip
        an_active_plan(**{spec.REVIEW_MEETING: "2025-09-01"}),
        **{
            spec.RECEIVED_DATE: None,
            spec.REQUEST_SOURCE: None,
            spec.REQUEST_OUTCOME: "H",
            spec.REQUEST_OUTCOME_DATE: None,
        },  # fmt: skip
    )
    assert failures(a_person(historical)) == []


def test_SEN2_201_a_decision_without_its_date_or_a_date_without_a_decision_fails():
    assert "SEN2-201" not in codes(a_person())
    assert "SEN2-201" in codes(a_person(a_request(**{spec.REQUEST_OUTCOME_DATE: None})))
    assert "SEN2-201" in codes(a_person(a_request(**{spec.REQUEST_OUTCOME: "A"})))
    assert "SEN2-201" not in codes(
        a_person(a_request(**{spec.REQUEST_OUTCOME: "A", spec.REQUEST_OUTCOME_DATE: None}))
    )


def test_SEN2_202_an_assessment_after_a_decision_not_to_assess_fails():
    assert "SEN2-202" not in codes(a_person(an_assessed_request()))
    assert "SEN2-202" in codes(a_person(a_request(an_assessment(), RequestOutcome="N")))


def test_SEN2_203_a_decision_to_assess_without_an_assessment_fails():
    assert "SEN2-203" not in codes(a_person(an_assessed_request()))
    assert "SEN2-203" in codes(a_person(a_request(RequestOutcome="Y")))


def test_SEN2_204_an_active_plan_without_its_issued_plan_fails():
    assert "SEN2-204" not in codes(a_planned_person())
    assert "SEN2-204" in codes(a_person(an_assessed_request(active=an_active_plan())))


def test_SEN2_205_a_historical_request_without_a_plan_fails():
    historical = a_request(**{spec.RECEIVED_DATE: None, spec.REQUEST_OUTCOME: "H",
                              spec.REQUEST_OUTCOME_DATE: None})  # fmt: skip
    assert "SEN2-205" in codes(a_person(historical))
    assert "SEN2-205" not in codes(a_person())


def test_SEN2_206_a_request_received_after_the_year_the_return_covers_fails():
    assert "SEN2-206" not in codes(a_person(a_request(ReceivedDate="2025-12-31",
                                                      RequestOutcome="A",
                                                      RequestOutcomeDate=None)))  # fmt: skip
    late = a_request(ReceivedDate="2026-01-05", RequestOutcome="A", RequestOutcomeDate=None)
    assert "SEN2-206" in codes(a_person(late))


def test_SEN2_207_a_request_for_someone_aged_26_fails():
    assert "SEN2-207" not in codes(a_person(**{spec.BIRTH_DATE: "2000-03-04"}))  # 25 on 3 March
    assert "SEN2-207" in codes(a_person(**{spec.BIRTH_DATE: "1999-03-03"}))  # 26 that day


def test_SEN2_208_youth_accommodation_outside_the_ages_it_holds_is_a_warning():
    assert "SEN2-208" not in codes(a_person(a_request(RYA="1"), **{spec.BIRTH_DATE: "2009-01-01"}))
    young = a_person(a_request(RYA="1"), **{spec.BIRTH_DATE: "2019-01-01"})
    [failure] = [f for f in failures(young) if f.code == "SEN2-208"]
    assert failure.severity == "warning" and "aged 6" in failure.detail


def test_SEN2_209_a_request_before_the_2014_law_is_a_warning():
    old = a_request(ReceivedDate="2014-08-29", RequestOutcomeDate="2014-09-30")
    assert "SEN2-209" in codes(a_person(old))
    assert "SEN2-209" not in codes(a_person())


@given(st.integers(0, 10**9 - 1), st.sampled_from(["839", "837", "201", "938"]),
       st.sampled_from(list("ABCDEFGHJKLMNPQRTUVWXYZ0123456789")))  # fmt: skip
def test_SEN2_100_the_quick_check_letter_agrees_with_the_plain_sum(serial, la, first):
    from everychild.returns.sen2.rules import r100_upn

    body = f"{la}{serial:09d}"
    valid = upn(serial, la=la)
    assert r100_upn._passes(valid) and r100_upn._passes_slowly(valid)
    other = first + body
    assert r100_upn._passes(other) == r100_upn._passes_slowly(other) == (other == valid)
