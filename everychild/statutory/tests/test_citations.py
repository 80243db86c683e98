"""Citations and the family's agreement to an early plan (decision 0130, interpretation 6)."""

from __future__ import annotations

import pytest

from everychild.statutory import FactsError, parse_facts, rule

from .helpers import assessed, milestone, milestones, review, tribunal


@pytest.mark.parametrize(
    ("kind", "cites"),
    [
        (
            "health",
            "reg 8(1) (a body asked to co-operate under Children and Families Act 2014 s.31)",
        ),
        ("social_care", "reg 8(1) (a body asked to co-operate"),
        ("educational_psychology", "SEND Code of Practice 9.52"),
        ("education", "SEND Code of Practice 9.52"),
        ("early_years", "SEND Code of Practice 9.52"),
    ],
)
def test_advice_cites_reg_8_1_only_for_bodies_asked_under_section_31(kind, cites):
    """reg 8(1): a body whose co-operation the local authority requests under CFA 2014 s.31
    must comply within 6 weeks. Schools and educational psychologists are not s.31 bodies:
    their 6 weeks is the Code's expectation (9.52), and the milestone says so."""
    found = milestones(
        assessed(
            advice=[
                {"id": "given", "kind": kind, "received_by_body_on": "2025-02-20"},
                {"id": "waiting", "kind": kind},
            ]
        )
    )
    for key in ("advice:given", "advice:waiting"):
        assert cites in found[key]["regulation"]
    if "Code" in cites:
        assert "binds only bodies asked to co-operate" in found["advice:given"]["regulation"]


@pytest.mark.parametrize(
    ("kind", "key", "paragraph"),
    [
        ("amend_plan", "tribunal:amend_plan", "reg 44(2)(e)"),
        ("name_school", "tribunal:name_school", "reg 44(2)(f)"),
        ("cease", "tribunal:cease", "reg 44(2)(a)"),
    ],
)
def test_tribunal_orders_cite_reg_44_2_by_letter(kind, key, paragraph):
    """reg 44(2): (a) an appeal against ceasing to maintain a plan dismissed; (e) an order to
    amend the plan: within 5 weeks; (f) an order only to change the school named: 2 weeks."""
    found = milestone(tribunal(kind), key)
    assert found["regulation"] == f"SEND Regulations 2014 {paragraph}"
    assert rule(key.replace("tribunal:", "tribunal_")).regulation.endswith(paragraph)


def test_a_dismissed_appeal_against_ceasing_ends_the_plan_at_once():
    """reg 44(2)(a): the plan ceases on the day of the decision; there is no period to miss."""
    found = milestone(tribunal("cease"), "tribunal:cease")
    assert (found["due"], found["met_on"], found["status"]) == ("2025-03-03", "2025-03-03", "met")
    with pytest.raises(FactsError) as raised:
        parse_facts(tribunal("cease", unopposed=True))
    assert raised.value.field == "tribunal_order.unopposed"


def test_a_final_plan_issued_early_with_the_familys_agreement_is_not_a_breach():
    """reg 13(1): the family has "at least 15 days, beginning with the day on which the draft
    plan was served" to comment; the days are the family's to give up. Draft served 1 Apr
    2025 (window to 15 Apr), final plan issued 10 Apr."""
    early = assessed(draft_plan_served_on="2025-04-01", final_plan_issued_on="2025-04-10")
    assert milestone(early, "draft_plan_comments_close")["status"] == "overdue"
    agreed = dict(early, family_agreed_early_issue_on="2025-04-08")
    found = milestone(agreed, "draft_plan_comments_close")
    assert (found["due"], found["met_on"], found["status"]) == ("2025-04-15", "2025-04-10", "met")
    # Agreement given only after the plan was issued does not cure it.
    late = dict(early, family_agreed_early_issue_on="2025-04-12")
    assert milestone(late, "draft_plan_comments_close")["status"] == "overdue"


def test_an_amended_plan_issued_early_with_the_familys_agreement_is_not_a_breach():
    """reg 22(2)(c): at least 15 days to comment on proposed amendments; the family may agree
    to the amended plan being issued sooner. Sent 20 Mar 2025 (window to 3 Apr)."""
    facts = review(
        review_meeting_on="2025-02-20",
        review_decision_on="2025-03-20",
        proposed_amendments_sent_on="2025-03-20",
        amended_plan_issued_on="2025-03-28",
        family_agreed_early_amendment_on="2025-03-27",
    )
    found = milestone(facts, "amendment_comments_close")
    assert (found["met_on"], found["status"]) == ("2025-03-28", "met")


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        (assessed(family_agreed_early_issue_on="2025-04-01"), "family_agreed_early_issue_on"),
        (
            assessed(draft_plan_served_on="2025-04-01", family_agreed_early_issue_on="2025-03-30"),
            "family_agreed_early_issue_on",
        ),
        (review(family_agreed_early_amendment_on="2025-04-01"), "family_agreed_early_amendment_on"),
    ],
)
def test_an_agreement_needs_something_to_agree_to(facts, field):
    with pytest.raises(FactsError) as raised:
        parse_facts(facts)
    assert raised.value.field == field
