"""Annual reviews (s.44, reg 18-22): meetings, the LA's decision, proposed amendments."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction

from everychild.access.models import AuditAction
from everychild.access.policy import advice_organisation_ids
from everychild.accounts.models import Organisation, OrganisationKind
from everychild.core import locking
from everychild.core.wording import long_date as _long
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text
from everychild.plans import clock, policy, review_notices
from everychild.plans.models import (
    AnnualReview,
    AreaPlanSettings,
    EHCPlan,
    PlanVersion,
    ReviewDecision,
    ReviewInvitee,
)
from everychild.plans.services.drafts import start_amendment
from everychild.plans.services.steps import (
    _audit,
    _date,
    _may_decide_reviews,
    _may_record_review,
    _may_write_plans,
)
from everychild.statutory import reviews as review_rules

# --- Annual reviews ----------------------------------------------------------------------------


def six_monthly_under_5(area_id: int) -> bool:
    return AreaPlanSettings.objects.filter(
        area_id=area_id, six_monthly_reviews_under_5=True
    ).exists()


def next_review_due(plan: EHCPlan, *, six_monthly: bool | None = None) -> dt.date:
    """From the statutory engine: 12 months (6 for under-5s where the area chose it) from the
    last review meeting or the plan's issue; for a plan transferred in from another council
    and not reviewed here since, no earlier than 3 months from the transfer (reg 15)."""
    if six_monthly is None:
        six_monthly = six_monthly_under_5(plan.area_id)
    return clock.review_due(
        issued_on=plan.issued_on,
        last_meeting_on=plan.last_review_meeting_on,
        born=plan.child.date_of_birth,
        six_monthly_under_5=six_monthly,
        count_start_as_day_one=plan.area.count_start_as_day_one,
        # A reverse one-to-one: read from select_related("transfer_in") where the caller made it.
        transferred_on=clock.transferred_on(getattr(plan, "transfer_in", None)),
    )


def _open_review(plan: EHCPlan) -> AnnualReview | None:
    return plan.reviews.select_for_update().filter(decision="").order_by("-due_on", "-pk").first()


def record_review_meeting(
    *,
    actor,
    plan: EHCPlan,
    meeting_on: dt.date,
    invitations_sent_on: dt.date | None,
    advice_circulated_on: dt.date | None,
    attendees: str,
    views_summary: str,
    progress_summary: str,
    recommendation: str,
    recommended_changes: str = "",
    report_sent_on: dt.date | None = None,
    version: int | None = None,
    request=None,
) -> AnnualReview:
    """The review meeting, as the setting's SENCO or the LA records it (regs 20-21).

    `version` is the plan's `review_version` the page was opened at: a meeting recorded
    meanwhile (two people recording the same meeting) refuses this one, nothing kept. None
    (the import and demo callers) is not checked; the date checks below still apply."""
    _may_record_review(actor, plan)
    if plan.ceased_on is not None:
        _refuse("meeting_on", "This plan has ceased: it is no longer reviewed.", "ceased")
    meeting = _date(
        "meeting_on",
        meeting_on,
        "the date of the review meeting",
        not_before=(
            (plan.issued_on, "the plan's issue"),
            (plan.last_review_meeting_on, "the last review meeting"),
        ),
    )
    if plan.last_review_meeting_on == meeting:
        _refuse("meeting_on", "A review meeting on that date is already recorded.", "duplicate")
    invited = (
        _date(
            "invitations_sent_on",
            invitations_sent_on,
            "the date invitations were sent",
            not_before=((plan.issued_on, "the plan's issue"),),
        )
        if invitations_sent_on
        else None
    )
    if invited and invited > meeting:
        _refuse("invitations_sent_on", "Invitations must be sent before the meeting.")
    circulated = (
        _date(
            "advice_circulated_on",
            advice_circulated_on,
            "the date advice was circulated",
            not_before=((plan.issued_on, "the plan's issue"),),
        )
        if advice_circulated_on
        else None
    )
    if circulated and circulated > meeting:
        _refuse("advice_circulated_on", "Advice must be circulated before the meeting.")
    report = (
        _date(
            "report_sent_on",
            report_sent_on,
            "the date the report was sent",
            not_before=((meeting, "the meeting"),),
        )
        if report_sent_on
        else None
    )
    if recommendation not in ReviewDecision.values:
        _refuse("recommendation", "Choose what the meeting recommends.", "required")
    who = _text("attendees", attendees, "who attended")
    views = _text("views_summary", views_summary, "the child's and family's views")
    progress = _text("progress_summary", progress_summary, "progress towards the outcomes")
    changes = _text(
        "recommended_changes",
        recommended_changes,
        "the changes recommended",
        required=recommendation == ReviewDecision.AMEND,
    )
    with transaction.atomic():
        # The plan's row lock makes two recordings at the same moment take turns, and the
        # second sees the first's meeting (PostgreSQL: SELECT ... FOR UPDATE).
        locked = EHCPlan.objects.select_for_update().select_related("child", "area").get(pk=plan.pk)
        if version is not None and locked.review_version != int(version):
            raise locking.stale("review meeting")
        if locked.last_review_meeting_on and locked.last_review_meeting_on >= meeting:
            _refuse(
                "meeting_on",
                "A review meeting on or after that date is already recorded.",
                "duplicate",
            )
        review = _open_review(locked)
        due = next_review_due(locked)
        if review is None or review.meeting_on is not None:
            review = AnnualReview(plan=locked, due_on=due)
        review.meeting_on = meeting
        # Invitations and circulated advice already recorded as their own steps stay as
        # recorded unless this form gives a date (a meeting recorded after the fact).
        review.invitations_sent_on = invited or review.invitations_sent_on
        review.advice_circulated_on = circulated or review.advice_circulated_on
        if review.invitations_sent_on and review.invitations_sent_on > meeting:
            _refuse(
                "meeting_on",
                f"The invitations were sent on {_long(review.invitations_sent_on)}: the meeting "
                "cannot be before them.",
                "before_invitations",
            )
        review.attendees, review.views_summary, review.progress_summary = who, views, progress
        review.recommendation, review.recommended_changes = recommendation, changes
        review.report_sent_on = report
        review.meeting_recorded_by = actor
        review.version += 1
        review.save()
        locked.last_review_meeting_on = meeting
        locked.review_version += 1
        locked.save(update_fields=["last_review_meeting_on", "review_version"])
        _audit(actor, locked.child_id, review, AuditAction.CREATE, request, step="review_meeting")
    return review


# --- The review as its convener runs it, step by step (reg 20 at school; reg 21 otherwise) ----


# The services of the area an invitee may be chosen from, by the row they are invited in: each
# gives advice on request (reg 6(1)) and has staff in EveryChild to give it (decision 0260).
INVITED_SERVICE_KINDS = {
    ReviewInvitee.Capacity.LA_EDUCATION: {OrganisationKind.LOCAL_AUTHORITY},
    ReviewInvitee.Capacity.HEALTH: {OrganisationKind.NHS_ICB, OrganisationKind.NHS_PROVIDER},
    ReviewInvitee.Capacity.SOCIAL_CARE: {OrganisationKind.SOCIAL_CARE},
    ReviewInvitee.Capacity.EDUCATIONAL_PSYCHOLOGY: {OrganisationKind.EDUCATIONAL_PSYCHOLOGY},
}


def invitable_services(area_id: int, role: str):
    """The area's services a professional in `role` may be invited from, by name."""
    return Organisation.objects.filter(
        area_id=area_id, is_active=True, kind__in=INVITED_SERVICE_KINDS.get(role, ())
    ).order_by("name")


def _invitees(invitees, area_id: int) -> list[tuple[str, str, Organisation | None]]:
    """The people invited, as (role, name, service): the family must be among them (reg
    20(2)(a)). Each of `invitees` is (role, name) or (role, name, service); a service is one of
    the area's (invitable_services) and stands for the name when none is typed."""
    found = []
    for role, name, *rest in invitees:
        service = rest[0] if rest else None
        if role not in ReviewInvitee.Capacity.values:
            _refuse("invitees", "Choose who was invited from the list.")
        if service is not None:
            if not invitable_services(area_id, role).filter(pk=service.pk).exists():
                _refuse(
                    "invitees",
                    "Choose a service of this council's area that gives this advice.",
                    "service",
                )
            name = name.strip() if name and name.strip() else service.name
        found.append(
            (
                role,
                _text("invitees", name, "the name of each person invited", max_length=200),
                service,
            )
        )
    if not any(role in ReviewInvitee.FAMILY_ROLES for role, _name, _service in found):
        _refuse(
            "invitees",
            "Invite the child's parent or the young person: the law requires it (SEND "
            "Regulations 2014 reg 20(2)(a)).",
            "no_family",
        )
    return found


def send_review_invitations(
    *,
    actor,
    plan: EHCPlan,
    meeting_on: dt.date,
    sent_on: dt.date,
    invitees,
    version: int | None = None,
    request=None,
) -> AnnualReview:
    """The convener (the head teacher or SENCO of the child's school, reg 20; the local
    authority for a child not at school, reg 21) invites the family and professionals to the
    review meeting. Refused when the meeting is less than 2 weeks after the invitations: the
    law says they "must" be invited at least 2 weeks before (reg 20(3)), so the service asks
    for a later meeting rather than recording a late notice. `invitees`: (role, name) or
    (role, name, service) (see _invitees); each service invited is told (decision 0260)."""
    _may_record_review(actor, plan)
    if plan.ceased_on is not None:
        _refuse("meeting_on", "This plan has ceased: it is no longer reviewed.", "ceased")
    sent = _date(
        "sent_on",
        sent_on,
        "the date the invitations were sent",
        not_before=((plan.issued_on, "the plan's issue"),),
    )
    if meeting_on is None:
        _refuse("meeting_on", "Enter the date of the review meeting.", "required")
    earliest = review_rules.earliest_meeting(sent)
    if meeting_on < earliest:
        _refuse(
            "meeting_on",
            "The meeting must be at least 2 weeks after the invitations are sent (SEND "
            f"Regulations 2014 reg 20(3)): the earliest date is {_long(earliest)}.",
            "notice_too_short",
        )
    people = _invitees(invitees, plan.area_id)
    with transaction.atomic():
        locked = EHCPlan.objects.select_for_update().select_related("child", "area").get(pk=plan.pk)
        if version is not None and locked.review_version != int(version):
            raise locking.stale("review")
        review = _open_review(locked)
        if review is not None and review.meeting_on is not None:
            _refuse(
                "meeting_on",
                f"The review meeting of {_long(review.meeting_on)} is waiting for the council's "
                "decision: the next review starts after it.",
                "awaiting_decision",
            )
        if review is not None and review.invitations_sent_on is not None:
            _refuse(
                "sent_on",
                f"The invitations were sent on {_long(review.invitations_sent_on)}.",
                "already_invited",
            )
        if review is None:
            review = AnnualReview(plan=locked, due_on=next_review_due(locked))
        review.invitations_sent_on, review.meeting_planned_on = sent, meeting_on
        review.invitations_sent_by = actor
        review.version += 1
        review.save()
        ReviewInvitee.objects.bulk_create(
            ReviewInvitee(review=review, role=role, name=name, organisation=service)
            for role, name, service in people
        )
        locked.review_version += 1
        locked.save(update_fields=["review_version"])
        _audit(actor, locked.child_id, review, AuditAction.CREATE, request, step="review_invited")
        transaction.on_commit(lambda: review_notices.services_invited(review))
    return review


def _review_for_step(review: AnnualReview, version: int | None) -> AnnualReview:
    return locking.locked(
        AnnualReview.objects.select_related("plan", "plan__child", "plan__area"),
        review.pk,
        version,
        "review",
    )


def _may_give_review_advice(actor, review: AnnualReview, invitee_id) -> None:
    if policy.may_record_review(actor, review.plan):
        return
    if not review.invitees.filter(
        pk=invitee_id, organisation_id__in=advice_organisation_ids(actor)
    ).exists():
        raise PermissionDenied("You cannot give advice for this review.")


def record_review_advice(
    *,
    actor,
    review: AnnualReview,
    invitee_id: int,
    advice: str,
    received_on: dt.date,
    version: int | None = None,
    request=None,
) -> ReviewInvitee:
    """The advice and information a professional invited to the review gave for it (reg
    20(3)): kept on the review, so it is read in the service and never e-mailed as an
    attachment. The family's and child's views are theirs to write in the portal.

    The convener records anyone's; a professional of a service invited in EveryChild gives
    their service's own (decision 0260), and nobody else's."""
    _may_give_review_advice(actor, review, invitee_id)
    words = _text("advice", advice, "the advice given")
    with transaction.atomic():
        review = _review_for_step(review, version)
        invitee = review.invitees.select_for_update().filter(pk=invitee_id).first()
        if invitee is None:
            _refuse("invitee", "Choose who gave the advice.", "required")
        if invitee.is_family:
            _refuse(
                "invitee",
                "The family give their views themselves, in the family portal.",
                "family",
            )
        if review.meeting_on is not None:
            _refuse("advice", "The meeting has been held: advice is gathered before it.", "held")
        if invitee.advice:
            _refuse(
                "invitee",
                f"Advice from {invitee.name} was recorded on {_long(invitee.advice_received_on)}.",
                "already_recorded",
            )
        invitee.advice_received_on = _date(
            "received_on",
            received_on,
            "the date the advice was received",
            not_before=((review.invitations_sent_on, "the invitations"),),
        )
        invitee.advice, invitee.advice_recorded_by = words, actor
        invitee.save()
        locking.bump(review)
        review.save(update_fields=["version"])
        _audit(actor, review.plan.child_id, invitee, AuditAction.CREATE, request, step="advice")
    return invitee


def circulate_review_advice(
    *,
    actor,
    review: AnnualReview,
    circulated_on: dt.date,
    version: int | None = None,
    request=None,
) -> AnnualReview:
    """The advice and information gathered, sent to everyone invited (reg 20(4): at least 2
    weeks before the meeting). A late circulation is recorded as it happened and shown late:
    it is a fact, and refusing it would hide it."""
    _may_record_review(actor, review.plan)
    with transaction.atomic():
        review = _review_for_step(review, version)
        if review.invitations_sent_on is None:
            _refuse("circulated_on", "Send the invitations first.", "not_invited")
        if review.advice_circulated_on is not None:
            _refuse(
                "circulated_on",
                f"The advice was circulated on {_long(review.advice_circulated_on)}.",
                "already_circulated",
            )
        review.advice_circulated_on = _date(
            "circulated_on",
            circulated_on,
            "the date the advice was circulated",
            not_before=((review.invitations_sent_on, "the invitations"),),
        )
        if review.meeting_on is not None and review.advice_circulated_on > review.meeting_on:
            _refuse("circulated_on", "Advice must be circulated before the meeting.")
        review.advice_circulated_by = actor
        locking.bump(review)
        review.save(update_fields=["advice_circulated_on", "advice_circulated_by", "version"])
        _audit(actor, review.plan.child_id, review, request=request, step="advice_circulated")
    return review


def send_review_report(
    *,
    actor,
    review: AnnualReview,
    sent_on: dt.date,
    version: int | None = None,
    request=None,
) -> AnnualReview:
    """The review's written report sent to the local authority (reg 20(7)-(8): within 2 weeks
    of the meeting), as a record the council reads here: no attachment travels by e-mail."""
    _may_record_review(actor, review.plan)
    with transaction.atomic():
        review = _review_for_step(review, version)
        if review.meeting_on is None:
            _refuse("sent_on", "Record the review meeting first.", "no_meeting")
        if review.report_sent_on is not None:
            _refuse(
                "sent_on",
                f"The report was sent on {_long(review.report_sent_on)}.",
                "already_sent",
            )
        review.report_sent_on = _date(
            "sent_on",
            sent_on,
            "the date the report was sent",
            not_before=((review.meeting_on, "the meeting"),),
        )
        # A decision recorded first was made on this report (reg 20(7)-(10)): the report
        # reached the council no later than the day it decided.
        if review.decision_on is not None and review.report_sent_on > review.decision_on:
            _refuse(
                "sent_on",
                f"The council decided on {_long(review.decision_on)}, after reading the report: "
                "the report cannot be dated after the decision (SEND Regulations 2014 reg "
                "20(7)-(10)).",
                "after_decision",
            )
        review.report_sent_by = actor
        locking.bump(review)
        review.save(update_fields=["report_sent_on", "report_sent_by", "version"])
        _audit(actor, review.plan.child_id, review, request=request, step="review_report_sent")
    return review


def decide_after_review(
    *,
    actor,
    review: AnnualReview,
    decision: str,
    decided_on: dt.date,
    reasons: str,
    version: int | None = None,
    request=None,
) -> AnnualReview:
    """The LA's decision after the review meeting: keep, amend or cease (reg 20(10), within 4
    weeks of the meeting). Amending starts the amendment draft."""
    plan = review.plan
    _may_decide_reviews(actor, plan.area_id)
    if decision not in ReviewDecision.values:
        _refuse("decision", "Choose whether to keep, amend or cease the plan.", "required")
    why = _text("reasons", reasons, "the reasons for the decision")
    with transaction.atomic():
        review = AnnualReview.objects.select_for_update().select_related("plan").get(pk=review.pk)
        if version is not None and review.version != version:
            _refuse(
                "version",
                "This review changed since you opened it: open it again.",
                "review_changed",
            )
        if review.meeting_on is None:
            _refuse("decision", "Record the review meeting first.", "no_meeting")
        if review.decision:
            _refuse(
                "decision",
                f"The decision was already made on {_long(review.decision_on)}.",
                "already_decided",
            )
        review.decision_on = _date(
            "decided_on",
            decided_on,
            "the date of the decision",
            not_before=((review.meeting_on, "the review meeting"),),
        )
        # The council decides on the review report it was sent (reg 20(7)-(10)), so it cannot
        # have decided before the report reached it.
        if review.report_sent_on is not None and review.decision_on < review.report_sent_on:
            _refuse(
                "decided_on",
                f"The review report was sent on {_long(review.report_sent_on)}: the council "
                "decides after reading it, so the decision cannot be dated before then (SEND "
                "Regulations 2014 reg 20(7)-(10)).",
                "before_report",
            )
        review.decision, review.decision_reasons, review.decided_by = decision, why, actor
        if decision == ReviewDecision.AMEND:
            review.amended_version = start_amendment(
                actor=actor, plan=review.plan, reason=PlanVersion.Reason.REVIEW, request=request
            )
        review.version += 1
        review.save()
        _audit(actor, review.plan.child_id, review, request=request, step=f"review_{decision}")
    return review


def send_proposed_amendments(
    *, actor, review: AnnualReview, sent_on: dt.date, version: int | None = None, request=None
) -> AnnualReview:
    """The proposed amendments sent to the family: their 15 days begin (reg 22(2)(c)) and the
    amended plan is due within 8 weeks (reg 22(3))."""
    _may_write_plans(actor, review.plan.area_id)
    with transaction.atomic():
        review = locking.locked(
            AnnualReview.objects.select_related("plan"), review.pk, version, "review"
        )
        if review.decision != ReviewDecision.AMEND:
            _refuse("sent_on", "Only a decision to amend sends proposed amendments.")
        if review.amendments_sent_on:
            _refuse("sent_on", f"They were sent on {_long(review.amendments_sent_on)}.")
        review.amendments_sent_on = _date(
            "sent_on",
            sent_on,
            "the date the proposed amendments were sent",
            not_before=((review.decision_on, "the decision"),),
        )
        review.version += 1
        review.save(update_fields=["amendments_sent_on", "version"])
        _audit(actor, review.plan.child_id, review, request=request, step="amendments_sent")
    return review


def decide_not_to_amend(
    *,
    actor,
    review: AnnualReview,
    decided_on: dt.date,
    reasons: str,
    version: int | None = None,
    request=None,
) -> AnnualReview:
    """After proposing amendments, the LA decides not to amend the plan after all and tells the
    family (reg 22(4): "within 8 weeks of the proposed amendments being sent"). The amended
    plan is then not due (the engine marks it not applicable) and the amendment draft is
    dropped, since it will never be issued."""
    _may_decide_reviews(actor, review.plan.area_id)
    why = _text("reasons", reasons, "the reasons given to the family")
    with transaction.atomic():
        review = locking.locked(
            AnnualReview.objects.select_related("plan", "amended_version"),
            review.pk,
            version,
            "review",
        )
        if review.decision != ReviewDecision.AMEND or not review.amendments_sent_on:
            _refuse(
                "decided_on",
                "Only proposed amendments that were sent can be withdrawn: record them as sent "
                "first.",
                "no_amendments",
            )
        if review.decision_not_to_amend_on:
            _refuse(
                "decided_on",
                f"The decision not to amend was recorded on "
                f"{_long(review.decision_not_to_amend_on)}.",
                "already_decided",
            )
        draft = review.amended_version
        if draft is not None and draft.is_issued:
            _refuse(
                "decided_on",
                f"The amended plan was issued on {_long(draft.issued_on)}: it cannot be "
                "withdrawn now.",
                "already_amended",
            )
        review.decision_not_to_amend_on = _date(
            "decided_on",
            decided_on,
            "the date the family was told",
            not_before=((review.amendments_sent_on, "the proposed amendments being sent"),),
        )
        review.not_amending_reasons = why
        review.amended_version = None
        locking.bump(review)
        review.save(
            update_fields=[
                "decision_not_to_amend_on",
                "not_amending_reasons",
                "amended_version",
                "version",
            ]
        )
        dropped = None
        if draft is not None and not hasattr(draft, "phase_transfer"):
            dropped = draft.number
            draft.delete()
        _audit(
            actor,
            review.plan.child_id,
            review,
            request=request,
            step="not_amending",
            draft_dropped=dropped,
        )
    return review
