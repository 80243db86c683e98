"""Re-assessment of a child with a plan (SEND Regulations 2014 regs 24-27): the decision within
15 days of the request (reg 25), the amended plan or the notice that it will not be amended
within 14 weeks of the notice of the decision to re-assess (reg 27(2)), with the exceptions of
reg 27(3)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from everychild.statutory import FactsError, evaluate

from .helpers import milestone, milestones


def reassessment(**facts) -> dict:
    """Request to re-assess received Monday 6 January 2025: decision due 21 January."""
    base = {"today": "2025-12-01", "process": "reassessment", "request_received": "2025-01-06"}
    base.update(facts)
    return base


def decided(**facts) -> dict:
    """Decided to re-assess on Monday 13 January 2025: the plan is due 21 April (14 weeks)."""
    return reassessment(decision={"outcome": "assess", "on": "2025-01-13"}, **facts)


def test_the_decision_is_due_15_days_after_the_request():
    found = milestone(reassessment(today="2025-01-10"), "reassessment_decision")
    assert (found["due"], found["status"], found["days_remaining"]) == ("2025-01-21", "pending", 11)
    late = milestone(reassessment(decision={"outcome": "assess", "on": "2025-01-22"}),
                     "reassessment_decision")  # fmt: skip
    assert (late["status"], late["met_on"]) == ("met_late", "2025-01-22")
    assert "reg 25" in late["regulation"]


def test_the_plan_is_due_14_weeks_after_the_decision_not_20_weeks_after_the_request():
    found = milestones(decided(final_plan_issued_on="2025-04-21"))
    assert "final_plan" not in found and "decision_whether_to_assess" not in found
    plan = found["reassessment_final_plan"]
    assert (plan["due"], plan["status"]) == ("2025-04-21", "met")
    assert "reg 27(2)" in plan["regulation"]


def test_a_notice_that_the_plan_will_not_be_amended_meets_the_limit():
    plan = milestone(decided(decision_not_to_issue_on="2025-03-03"), "reassessment_final_plan")
    assert (plan["status"], plan["met_on"]) == ("met", "2025-03-03")


def test_before_the_decision_the_plan_clock_has_not_started():
    plan = milestone(reassessment(today="2025-01-10"), "reassessment_final_plan")
    assert (plan["due"], plan["status"]) == (None, "pending")


def test_a_decision_not_to_re_assess_ends_it():
    plan = milestone(reassessment(decision={"outcome": "not_assess", "on": "2025-01-15"}),
                     "reassessment_final_plan")  # fmt: skip
    assert plan["status"] == "not_applicable"


@pytest.mark.parametrize(
    ("reg", "start", "end", "status"),
    [
        ("27(3)(c)", "2025-03-01", "2025-03-20", "exception_applies"),
        ("27(3)(d)", "2025-02-01", "2025-03-15", "exception_applies"),
        # The assessment's own exception is not the re-assessment's.
        ("10(4)(c)", "2025-03-01", "2025-03-20", "met_late"),
    ],
)
def test_the_reg_27_3_exceptions_lift_the_14_weeks(reg, start, end, status):
    facts = decided(
        final_plan_issued_on="2025-05-12",
        exceptions=[{"reg": reg, "from": start, "to": end, "reason": "family away"}],
    )
    assert milestone(facts, "reassessment_final_plan")["status"] == status


def test_advice_for_a_re_assessment_is_due_in_6_weeks_as_for_an_assessment():
    facts = decided(
        advice=[
            {"id": "ep", "kind": "educational_psychology", "received_by_body_on": "2025-01-14"}
        ],
        today="2025-01-20",
    )
    assert milestone(facts, "advice:ep")["due"] == "2025-02-25"


def test_a_re_assessment_needs_its_request_date():
    with pytest.raises(FactsError):
        evaluate({"today": "2025-12-01", "process": "reassessment"})


@given(st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31)))
def test_the_plan_is_always_due_98_days_after_the_decision(on):
    facts = reassessment(
        request_received=(on - timedelta(days=3)).isoformat(),
        decision={"outcome": "assess", "on": on.isoformat()},
        today=(on + timedelta(days=1)).isoformat(),
    )
    plan = milestone(facts, "reassessment_final_plan")
    # Outside the 2020 easement the limit is exactly 14 weeks.
    if not (date(2020, 1, 1) <= on <= date(2020, 12, 31)):
        assert plan["due"] == (on + timedelta(days=98)).isoformat()
