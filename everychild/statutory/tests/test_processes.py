"""Processes added by decision 0130: a plan transferred in (reg 15, 16), a decision not to
amend (reg 22(4)), a post-16 move at another time (reg 18(2)), mediation and its agreement
(reg 37, 42) and the Tribunal's recommendations (2017 Regulations)."""

from __future__ import annotations

import pytest

from everychild.statutory import FactsError, parse_facts

from .helpers import assessment, milestone, milestones, review

NA = "not_applicable"


def transfer(today="2025-12-01", plan_issued_on="2024-05-20", **moved) -> dict:
    """A plan made 20 May 2024 by another council; the family moved in on Mon 1 Sep 2025."""
    return {
        "today": today,
        "process": "transfer_in",
        "plan_issued_on": plan_issued_on,
        "transfer_in": {"moved_on": "2025-09-01", **moved},
    }


# --- a plan transferred in (reg 15, 16) ----------------------------------------------------


def test_the_plan_is_transferred_on_the_day_of_the_move():
    """reg 15: the old authority must transfer the plan to the new authority on the day of the
    move, where it knew of the move at least 15 working days before."""
    found = milestone(
        transfer(old_authority_aware_on="2025-07-01", plan_transferred_on="2025-09-01"),
        "transfer:plan_transferred",
    )
    assert (found["due"], found["status"]) == ("2025-09-01", "met")
    assert found["regulation"] == "SEND Regulations 2014 reg 15"


def test_learning_late_of_the_move_gives_15_working_days():
    """reg 15: where the old authority learned of the move less than 15 working days before
    it, it transfers the plan within 15 working days of learning of it. Learned Mon 25 Aug 2025
    (a bank holiday): 15 working days on is Mon 15 Sep."""
    found = milestone(
        transfer(old_authority_aware_on="2025-08-25", plan_transferred_on="2025-09-16"),
        "transfer:plan_transferred",
    )
    assert (found["due"], found["status"]) == ("2025-09-15", "met_late")


def test_the_day_the_old_council_learns_of_the_move_is_the_first_of_the_15_working_days():
    """reg 15(2): "within 15 working days beginning with the day on which it did become
    aware". Learned Mon 2 Jun 2025, a working day: it is day 1, so the 15th is Fri 20 Jun and
    a transfer on Mon 23 Jun is late (counting from the day after gave 23 Jun)."""
    facts = transfer(
        today="2025-07-01",
        old_authority_aware_on="2025-06-02",
        plan_transferred_on="2025-06-23",
    )
    facts["transfer_in"]["moved_on"] = "2025-06-04"
    found = milestone(facts, "transfer:plan_transferred")
    assert (found["due"], found["status"]) == ("2025-06-20", "met_late")


def test_the_new_council_tells_the_family_within_6_weeks_of_the_transfer():
    """reg 15: within 6 weeks of the transfer the new authority tells the family whether it
    will make an EHC needs assessment and when it will review the plan."""
    facts = transfer(plan_transferred_on="2025-09-01", family_notified_on="2025-10-13")
    found = milestone(facts, "transfer:family_notice")
    assert (found["due"], found["status"]) == ("2025-10-13", "met")
    waiting = milestone(transfer(), "transfer:family_notice")
    assert (waiting["due"], waiting["status"]) == (None, "pending")


@pytest.mark.parametrize(
    ("made", "transferred", "due"),
    [
        # 12 months starting with 20 May 2024 end 19 May 2025; 3 months from 1 Sep 2025 is
        # 1 Dec 2025: the later.
        ("2024-05-20", "2025-09-01", "2025-12-01"),
        # Made 1 Nov 2024: the 12 months end 31 Oct 2025, after 3 months from 1 Jul 2025.
        ("2024-11-01", "2025-07-01", "2025-10-31"),
    ],
)
def test_the_review_is_due_by_the_later_of_12_months_and_3_months_from_the_transfer(
    made, transferred, due
):
    """reg 15: the new authority reviews the plan within 12 months of its making or last
    review (s.44(1): the 12 months starting with it), or within 3 months of the transfer,
    whichever is later."""
    facts = transfer(plan_issued_on=made, plan_transferred_on=transferred)
    facts["transfer_in"]["moved_on"] = transferred
    found = milestone(facts, "annual_review_meeting")
    assert found["due"] == due
    assert found["rule"] == "transfer_review"
    assert "reg 15" in found["regulation"]


def test_a_change_of_health_commissioning_body_is_notified_in_15_working_days():
    """reg 16: where the move changes the responsible commissioning body, the old body tells
    the new one within 15 working days of learning of it. Learned Mon 1 Sep 2025: Mon 22 Sep."""
    found = milestone(
        transfer(health_body_aware_on="2025-09-01", health_body_notified_on="2025-09-22"),
        "transfer:health_body_notified",
    )
    assert (found["due"], found["status"]) == ("2025-09-22", "met")
    assert found["regulation"] == "SEND Regulations 2014 reg 16"
    assert "transfer:health_body_notified" not in milestones(transfer())


def test_a_transferred_plan_is_then_reviewed_and_amended_like_any_other():
    keys = list(milestones(transfer(plan_transferred_on="2025-09-01")))
    assert keys[:3] == [
        "transfer:plan_transferred",
        "transfer:family_notice",
        "annual_review_meeting",
    ]
    assert "review_report" in keys


# --- a decision not to amend (reg 22(4)) ----------------------------------------------------


def amendments(**facts):
    return review(
        review_meeting_on="2025-02-20",
        review_decision_on="2025-03-20",
        proposed_amendments_sent_on="2025-03-20",
        **facts,
    )


def test_a_decision_not_to_amend_is_notified_within_8_weeks_and_ends_the_amendment():
    """reg 22(4): where the local authority decides not to amend the plan after all, it must
    notify the family within 8 weeks of sending the proposed amendments. The amended plan is
    then not due, so it is not shown as overdue."""
    found = milestones(amendments(decision_not_to_amend_on="2025-05-15"))
    assert (found["decision_not_to_amend"]["due"], found["decision_not_to_amend"]["status"]) == (
        "2025-05-15",
        "met",
    )
    assert found["decision_not_to_amend"]["regulation"] == "SEND Regulations 2014 reg 22(4)"
    assert found["amended_plan"]["status"] == NA
    late = milestone(amendments(decision_not_to_amend_on="2025-05-16"), "decision_not_to_amend")
    assert late["status"] == "met_late"
    # Without it, the amended plan is overdue after 8 weeks, as before.
    assert milestone(amendments(), "amended_plan")["status"] == "overdue"


def test_not_amending_and_amending_cannot_both_be_recorded():
    with pytest.raises(FactsError) as raised:
        parse_facts(
            amendments(decision_not_to_amend_on="2025-05-01", amended_plan_issued_on="2025-05-02")
        )
    assert raised.value.field == "decision_not_to_amend_on"


# --- a post-16 move at another time (reg 18(2)) ---------------------------------------------


def test_a_post16_move_at_another_time_is_amended_at_least_5_months_before():
    """reg 18(2): for a move between post-16 institutions at another time, the plan is
    reviewed and amended at least 5 months before the transfer takes place. Moving on 2 Feb
    2026 (planned, so after today): amended by 2 Sep 2025."""
    facts = amendments(post16_move_on="2026-02-02", amended_plan_issued_on="2025-09-02")
    found = milestone(facts, "post16_move_amendment")
    assert (found["due"], found["status"]) == ("2025-09-02", "met")
    assert found["regulation"] == "SEND Regulations 2014 reg 18(2)"
    facts["amended_plan_issued_on"] = "2025-09-03"
    assert milestone(facts, "post16_move_amendment")["status"] == "met_late"


# --- mediation (reg 37, 42) -----------------------------------------------------------------


def mediation(**facts):
    """The decision letter of Mon 31 Mar 2025; the council told on Tue 1 Apr that the family
    wants mediation: it must be held by 1 May."""
    return assessment(
        decision={"outcome": "not_assess", "on": "2025-03-31"},
        decision_letter_on="2025-03-31",
        mediation_contacted_on="2025-04-01",
        mediation_requested_on="2025-04-01",
        **facts,
    )


def test_mediation_is_held_within_30_days_and_certified_within_3_working_days_after():
    """reg 37: mediation within 30 days of the local authority being told the family wants it;
    the mediator's certificate within 3 working days after it. Held Wed 30 Apr: certificate by
    Tue 6 May (Mon 5 May is a bank holiday)."""
    found = milestones(
        mediation(mediation_held_on="2025-04-30", mediation_certificate_on="2025-05-06")
    )
    assert (found["mediation_held"]["due"], found["mediation_held"]["status"]) == (
        "2025-05-01",
        "met",
    )
    assert (found["mediation_certificate"]["due"], found["mediation_certificate"]["status"]) == (
        "2025-05-06",
        "met",
    )
    assert found["mediation_certificate"]["rule"] == "mediation_certificate_after_mediation"


def test_without_mediation_in_30_days_the_certificate_is_due_3_working_days_after_them():
    """reg 37: if mediation has not taken place within the 30 days, the certificate is due 3
    working days after the 30 days pass: Thu 1 May -> Fri 2, Tue 6 (after the bank holiday),
    Wed 7 May 2025."""
    found = milestones(mediation(today="2025-05-02"))
    assert found["mediation_held"]["status"] == "overdue"
    assert (found["mediation_certificate"]["due"], found["mediation_certificate"]["status"]) == (
        "2025-05-07",
        "pending",
    )
    waiting = milestone(mediation(today="2025-04-20"), "mediation_certificate")
    assert (waiting["due"], waiting["status"]) == (None, "pending")


@pytest.mark.parametrize(
    ("agreement", "key", "due", "cites"),
    [
        (
            {"kind": "amend_plan", "on": "2025-04-30"},
            "mediation_agreement:amend_plan",
            "2025-06-04",
            "reg 42 (the periods of reg 44(2)(e))",
        ),
        (
            {"kind": "name_school", "on": "2025-04-30"},
            "mediation_agreement:name_school",
            "2025-05-14",
            "reg 42 (the periods of reg 44(2)(f))",
        ),
        (
            {"kind": "other", "on": "2025-04-30"},
            "mediation_agreement:other",
            "2025-05-14",
            "reg 42",
        ),
    ],
)
def test_a_mediation_agreement_runs_on_the_reg_44_periods_or_2_weeks(agreement, key, due, cites):
    """reg 42: what is agreed at mediation on a matter that could be appealed must be done in
    the periods reg 44 sets for a Tribunal order; anything else agreed within 2 weeks."""
    found = milestone(mediation(mediation_held_on="2025-04-30", mediation_agreement=agreement), key)
    assert found["due"] == due
    assert found["regulation"].startswith("SEND Regulations 2014 " + cites)


def test_a_mediation_agreement_s_steps_are_named_as_agreed_not_ordered():
    """reg 42 borrows reg 44's periods, not the Tribunal: the family and council agreed it."""
    facts = mediation(mediation_held_on="2025-04-30")
    amend = milestone(
        {**facts, "mediation_agreement": {"kind": "amend_plan", "on": "2025-04-30"}},
        "mediation_agreement:amend_plan",
    )
    assert amend["label"] == "Issue the amended plan (mediation agreement to amend)"
    school = milestone(
        {**facts, "mediation_agreement": {"kind": "name_school", "on": "2025-04-30"}},
        "mediation_agreement:name_school",
    )
    assert "Tribunal" not in school["label"]


def test_mediation_facts_come_in_order():
    with pytest.raises(FactsError) as raised:
        parse_facts(mediation(mediation_agreement={"kind": "other", "on": "2025-04-30"}))
    assert raised.value.field == "mediation_agreement"
    with pytest.raises(FactsError) as raised:
        parse_facts(
            mediation(
                mediation_held_on="2025-04-30",
                mediation_agreement={"kind": "other", "on": "2025-04-30", "done_on": None,
                                     "amended_plan_issued_on": "2025-05-01"},
            )
        )  # fmt: skip
    assert raised.value.field == "mediation_agreement.amended_plan_issued_on"


# --- the Tribunal's recommendations (2017 Regulations) ---------------------------------------


def test_a_recommendation_is_answered_within_5_weeks():
    """SEND (First-tier Tribunal Recommendations Power) Regulations 2017: the health or social
    care body answers the recommendation within 5 weeks, saying what it will do and why.
    Decision Mon 3 Mar 2025: by Mon 7 Apr."""
    facts = assessment(
        tribunal_recommendations=[
            {"id": "ot", "body": "health", "on": "2025-03-03", "answered_on": "2025-04-07"},
            {"id": "respite", "body": "social_care", "on": "2025-03-03"},
        ]
    )
    found = milestones(facts)
    assert (
        found["tribunal_recommendation:ot"]["due"],
        found["tribunal_recommendation:ot"]["status"],
    ) == (
        "2025-04-07",
        "met",
    )
    assert found["tribunal_recommendation:respite"]["status"] == "overdue"
    assert "Recommendations Power" in found["tribunal_recommendation:ot"]["regulation"]


def test_no_recommendations_before_3_april_2018():
    with pytest.raises(FactsError) as raised:
        parse_facts(
            {
                "today": "2019-01-01",
                "request_received": "2018-01-08",
                "tribunal_recommendations": [{"id": "r", "body": "health", "on": "2018-03-30"}],
            }
        )
    assert raised.value.field == "tribunal_recommendations[0].on"
