"""A plan's and a disagreement's records as the statutory engine's facts, and the engine's
milestones back (ARCHITECTURE.md principle 2: the clock is data, never typed in).

casework/facts.py translates an assessment; this module translates what plans records after
it: the annual review and its amendments (CFA 2014 s.44, regs 20-22, 22(4)), a plan
transferred in from another council (regs 15-16), a post-16 move at another time (reg 18(2)),
mediation and its agreement (regs 33-42) and the Tribunal's recommendations (2017
Regulations). The dates come from `everychild.statutory.timeline`; nothing here counts days.
"""

from __future__ import annotations

import datetime as dt

from everychild.plans.models import (
    AnnualReview,
    Disagreement,
    EHCPlan,
    PlanTransferIn,
    PlanVersion,
    Post16Move,
)
from everychild.statutory import (
    Facts,
    MediationAgreement,
    Milestone,
    TransferIn,
    TribunalRecommendation,
    rule,
    timeline,
)
from everychild.statutory import reviews as review_rules
from everychild.statutory.milestones import NOT_APPLICABLE

# The steps of a review that belong to the review itself (its page shows them).
REVIEW_STEPS = (
    "review_report",
    "review_decision",
    "amendment_comments_close",
    "decision_not_to_amend",
    "amended_plan",
)
# reg 15: the review of a transferred plan is due by the later of the s.44(1) period and
# 3 months from the transfer (the move, until the plan arrives).
TRANSFER_REVIEW = "transfer_review"


def review_due(
    *,
    issued_on: dt.date,
    last_meeting_on: dt.date | None,
    born: dt.date | None,
    six_monthly_under_5: bool,
    count_start_as_day_one: bool,
    transferred_on: dt.date | None = None,
) -> dt.date:
    """The last day for the next review meeting. For a plan transferred in (reg 15) and not
    reviewed here since, the later of the s.44(1) date and 3 months from the transfer
    ("transferred_on": the plan's transfer, or the move until it arrives)."""
    due = review_rules.next_review_due(
        last_meeting_on or issued_on,
        born=born,
        six_monthly_under_5=six_monthly_under_5,
        count_start_as_day_one=count_start_as_day_one,
    )
    if transferred_on is not None and (last_meeting_on is None or last_meeting_on < transferred_on):
        due = max(due, rule(TRANSFER_REVIEW, transferred_on).due(transferred_on))
    return due


def transferred_on(transfer: PlanTransferIn | None) -> dt.date | None:
    if transfer is None:
        return None
    return transfer.plan_transferred_on or transfer.moved_on


def _transfer_facts(transfer: PlanTransferIn) -> TransferIn:
    return TransferIn(
        moved_on=transfer.moved_on,
        old_authority_aware_on=transfer.old_authority_aware_on,
        plan_transferred_on=transfer.plan_transferred_on,
        family_notified_on=transfer.family_notified_on,
        health_body_aware_on=transfer.health_body_aware_on,
        health_body_notified_on=transfer.health_body_notified_on,
    )


def _issued_on(version: PlanVersion | None) -> dt.date | None:
    if version is None or not version.is_issued:
        return None
    return version.issued_on


def _review_facts(review: AnnualReview | None) -> dict:
    """The amendment facts of a review (reg 22): sent, issued, or the reg 22(4) decision."""
    if review is None:
        return {}
    return {
        "proposed_amendments_sent_on": review.amendments_sent_on,
        "amended_plan_issued_on": _issued_on(review.amended_version),
        "decision_not_to_amend_on": review.decision_not_to_amend_on,
    }


def plan_milestones(
    plan: EHCPlan,
    *,
    today: dt.date,
    review: AnnualReview | None = None,
    transfer: PlanTransferIn | None = None,
) -> list[Milestone]:
    """The plan's clock: the next review (s.44(1), or reg 15 for a plan transferred in and not
    reviewed here since), the transfer's steps (reg 15, 16) and, for the review in progress,
    its amendment (reg 22). The meeting's own steps are on the review's page."""
    facts = Facts(
        today=today,
        process="review",
        plan_issued_on=plan.issued_on,
        last_review_meeting_on=plan.last_review_meeting_on,
        date_of_birth=plan.child.date_of_birth,
        **_review_facts(review),
    )
    if transfer is not None:
        facts.transfer_in = _transfer_facts(transfer)
        if plan.last_review_meeting_on is None or plan.last_review_meeting_on < transferred_on(
            transfer
        ):
            facts.process = "transfer_in"
        else:
            # Reviewed here since the transfer: s.44(1) again; the transfer's own steps stay.
            transfer_only = Facts(
                today=today,
                process="transfer_in",
                plan_issued_on=plan.issued_on,
                transfer_in=facts.transfer_in,
            )
            steps = [m for m in timeline(transfer_only) if m.key.startswith("transfer:")]
            return steps + _shown(timeline(facts, count_start_as_day_one=_day_one(plan)))
    return _shown(timeline(facts, count_start_as_day_one=_day_one(plan)))


def _day_one(plan: EHCPlan) -> bool:
    return plan.area.count_start_as_day_one


def _shown(milestones: list[Milestone]) -> list[Milestone]:
    """The steps the plan's page lists: those with a date, or settled as not applicable (a
    step waiting for its clock to start says nothing yet)."""
    return [
        m
        for m in milestones
        if (m.due is not None or m.status == NOT_APPLICABLE)
        and m.key not in ("review_report", "review_decision")
    ]


def review_milestones(review: AnnualReview, *, today: dt.date) -> list[Milestone]:
    """The steps of one review after its meeting: report, decision (reg 20(7), 20(10)), and the
    amendment: comments (reg 22(2)(c)), the amended plan (reg 22(3)) or the notice that it
    will not be amended (reg 22(4)), after which the amended plan is not due at all."""
    plan = review.plan
    facts = Facts(
        today=today,
        process="review",
        plan_issued_on=plan.issued_on,
        review_meeting_on=review.meeting_on,
        review_report_sent_on=review.report_sent_on,
        review_decision_on=review.decision_on if review.decision else None,
        **_review_facts(review),
    )
    return [
        m for m in timeline(facts, count_start_as_day_one=_day_one(plan)) if m.key in REVIEW_STEPS
    ]


def amendment_overdue(review: AnnualReview, *, today: dt.date) -> bool:
    """Whether the amended plan is overdue (reg 22(3)): never once the LA decided not to amend
    (reg 22(4))."""
    return any(
        m.key == "amended_plan" and m.status == "overdue"
        for m in review_milestones(review, today=today)
    )


def latest_amendment_before(versions, day: dt.date) -> dt.date | None:
    """The latest amendment of the plan (a version after the first) issued in the 12 months
    before `day`: what a reg 18(2) move's amendment is judged by."""
    year_before = day - dt.timedelta(days=365)
    found = [
        v.issued_on
        for v in versions
        if v.is_issued and v.number > 1 and year_before <= v.issued_on <= day
    ]
    return max(found) if found else None


def post16_move_milestone(
    plan: EHCPlan, move: Post16Move, versions, *, today: dt.date
) -> Milestone:
    """reg 18(2): the plan reviewed and amended "at least 5 months before" the move."""
    facts = Facts(
        today=today,
        process="review",
        plan_issued_on=plan.issued_on,
        last_review_meeting_on=plan.last_review_meeting_on,
        post16_move_on=move.move_on,
        amended_plan_issued_on=latest_amendment_before(versions, move.move_on),
    )
    return next(m for m in timeline(facts) if m.key == "post16_move_amendment")


def _agreement_facts(agreement) -> MediationAgreement | None:
    if agreement is None:
        return None
    return MediationAgreement(
        kind=agreement.kind,
        on=agreement.agreed_on,
        notified_on=agreement.notified_on,
        decision_not_to_issue_on=agreement.decision_not_to_issue_on,
        draft_plan_issued_on=agreement.draft_plan_issued_on,
        final_plan_issued_on=agreement.final_plan_issued_on,
        amended_plan_issued_on=agreement.amended_plan_issued_on,
        done_on=agreement.done_on,
    )


def disagreement_milestones(
    item: Disagreement, *, today: dt.date, agreement=None, recommendations=()
) -> list[Milestone]:
    """Mediation and the appeal (regs 33-42; HESC Rules r.20), what was agreed at mediation
    (reg 42) and the answers to the Tribunal's recommendations (2017 Regulations)."""
    facts = Facts(
        today=today,
        # No main path: a disagreement's steps are added on any process, and "tribunal_order"
        # without an order adds none of its own (the orders keep their own page section).
        process="tribunal_order",
        decision_letter_on=item.decision_letter_on,
        mediation_contacted_on=item.mediation_adviser_contacted_on,
        mediation_certificate_on=item.mediation_certificate_on,
        appeal_lodged_on=item.appeal_registered_on,
        mediation_requested_on=item.mediation_wanted_la_told_on,
        mediation_held_on=item.mediation_held_on,
        mediation_agreement=_agreement_facts(agreement),
        tribunal_recommendations=tuple(
            TribunalRecommendation(
                id=str(r.pk), body=r.body, on=r.made_on, answered_on=r.answered_on
            )
            for r in recommendations
        ),
    )
    return [m for m in timeline(facts) if m.due is not None or m.status == NOT_APPLICABLE]
