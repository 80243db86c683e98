"""What the family portal tells families, through the one notifications module.

Bodies carry a reference, a date and a sign-in link only: never a child's name or any other
personal detail (the templates in everychild/notifications/message_templates/family_*.txt).
Each message has an idempotency key naming the event, so a retried task or a second sweep
never sends it twice."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from everychild.access.policy import Capability, members_with
from everychild.accounts.models import User
from everychild.casework import clock
from everychild.casework.models import OPEN_STAGES, AssessmentRequest, Stage
from everychild.children.policy import family_children
from everychild.core.wording import long_date as _long
from everychild.notifications.services import notify
from everychild.plans.models import AnnualReview
from everychild.statutory import deadlines
from everychild.statutory.milestones import OVERDUE


def _link(path: str) -> str:
    return settings.SERVICE_BASE_URL.rstrip("/") + path


def family_addresses(case) -> list:
    """(e-mail, user) of everyone who sees this case in the portal, plus the requester's
    address for a request made without an account."""
    seen = {}
    child_id = case.child_id
    users = User.objects.filter(is_active=True).filter(
        pk__in=[
            *case.child.family_links.values_list("user_id", flat=True),
            *([case.child.own_account_id] if case.child.own_account_id else []),
        ]
    )
    for user in users:
        if family_children(user).filter(pk=child_id).exists():
            seen[user.email.lower()] = user
    public = getattr(case, "public_request", None) if hasattr(case, "public_request") else None
    if public is not None and public.contact_email.lower() not in seen:
        seen[public.contact_email.lower()] = None
    return list(seen.items())


def _to_family(case, template: str, key: str, **values) -> list:
    personalisation = {
        "reference": case.reference,
        "sign_in_link": _link(reverse("families:home")),
        **values,
    }
    return [
        notify(
            template=template,
            to=address,
            personalisation=personalisation,
            key=f"{key}:{address}"[:200],
            child=case.child,
            user=user,
        )
        for address, user in family_addresses(case)
    ]


def request_received(public_request) -> None:
    case = public_request.assessment_request
    notify(
        template="family_request_received",
        to=public_request.contact_email,
        personalisation={
            "reference": case.reference,
            "due_date": _long(_decision_due(case)),
        },
        key=f"family-request-received:{case.pk}",
        child=case.child,
    )


def _decision_due(case) -> dt.date:
    return deadlines.decision_whether_to_assess_due(
        case.received_on, count_start_as_day_one=case.area.count_start_as_day_one
    )


def invitation(invitation) -> None:
    """The link is sealed: services.invitation_link makes it as the message is sent."""
    notify(
        template="family_invitation",
        to=invitation.email,
        personalisation={"date": _long(invitation.expires_at.date())},
        sealed=("link",),
        key=f"family-invitation:{invitation.pk}",
        child=invitation.child,
    )


def invitation_link(token: str) -> str:
    return _link(reverse("families:accept", args=[token]))


def email_code(user, entry) -> None:
    """The sign-in code, sealed: made as the message is sent (services.email_code_for_sending),
    so the messages table keeps only a marker."""
    notify(
        template="sign_in_code",
        to=user.email,
        key=f"family-code:{entry.pk}",
        user=user,
        sealed=("code",),
    )


def decision(case) -> list:
    if not case.decision_on:
        return []
    template = (
        "family_decision_to_assess"
        if case.decision == "assess"
        else "family_decision_not_to_assess"
    )
    return _to_family(case, template, f"family-decision:{case.pk}:{case.decision_on}")


def draft_plan_ready(case, last_day: dt.date) -> list:
    return _to_family(
        case,
        "family_draft_plan_ready",
        f"family-draft:{case.pk}:{case.draft_plan_served_on}",
        last_date=_long(last_day),
    )


def final_plan_issued(case) -> list:
    return _to_family(case, "family_final_plan_issued", f"family-final:{case.pk}")


def review_coming_up(case, review_due: dt.date) -> list:
    return _to_family(
        case,
        "family_review_coming_up",
        f"family-review:{case.pk}:{review_due}",
        due_date=_long(review_due),
    )


def review_invited(review) -> list:
    """The family invited to the review meeting (reg 20(2)(a)): its date and a sign-in link; the
    review's steps and the advice are read in the portal, never sent as attachments."""
    case = review.plan.assessment_request
    if case is None or review.invitations_sent_on is None or review.meeting_planned_on is None:
        return []
    return _to_family(
        case,
        "family_review_invitation",
        f"family-review-invited:{review.pk}",
        date=_long(review.meeting_planned_on),
    )


def review_decided(review) -> list:
    """The council's decision after the review (reg 20(10)): that it is made; what it is, is read
    in the portal."""
    case = review.plan.assessment_request
    if case is None or not review.decision:
        return []
    return _to_family(case, "family_review_decision", f"family-review-decision:{review.pk}")


def legal_date_missed(case, milestone) -> list:
    return _to_family(
        case,
        "family_legal_date_missed",
        f"family-missed:{case.pk}:{milestone.key}:{milestone.due}",
        date=_long(milestone.due),
    )


def comments_received(response, author) -> None:
    """The family's confirmation that their comments on the draft plan arrived (each sending)."""
    case = response.assessment_request
    notify(
        template="family_comments_received",
        to=author.email,
        personalisation={
            "reference": case.reference,
            "last_date": _long(clock.comments_close(case.draft_plan_served_on)),
            "sign_in_link": _link(reverse("families:draft", args=[case.pk])),
        },
        key=f"family-comments:{response.pk}",
        child=case.child,
        user=author,
    )


def message_for_caseworker(message) -> list:
    """Tell the caseworker (or, with none allocated, the area's team managers) that the family
    has sent a message: the reference and a link only, never the words or the child's name."""
    case = message.assessment_request
    if case.caseworker is not None and case.caseworker.is_active:
        people = [case.caseworker]
    else:
        people = [
            membership.user
            for membership in members_with(
                Capability.MANAGE_TEAM, area_id=case.area_id, local_authority=True
            ).select_related("user")
        ]
    link = _link(reverse("casework:case", args=[case.pk]) + "#family")
    return [
        notify(
            template="family_message_received",
            to=person.email,
            personalisation={"reference": case.reference, "sign_in_link": link},
            key=f"family-message:{message.pk}:{person.pk}",
            user=person,
        )
        for person in {p.pk: p for p in people}.values()
        if person.email
    ]


# --- The sweep: tells families of what has happened, once each ----------------------------------

# How far back the sweep looks for an event to tell families about, and how far ahead for a
# review: a missed run of the sweep is caught up; older news is not sent late.
LOOK_BACK = dt.timedelta(days=14)
REVIEW_NOTICE = dt.timedelta(weeks=8)


def sweep(*, today: dt.date | None = None) -> int:
    """Tell families of decisions, draft plans, final plans, reviews coming up and missed
    legal dates. Safe to run as often as wanted: every message's key names its event, so
    nothing is sent twice. Returns the number of messages (new or already sent) it asked for."""
    today = today or timezone.localdate()
    since = today - LOOK_BACK
    # Only cases someone in a family can be told about.
    family = AssessmentRequest.objects.filter(
        Q(child__family_links__isnull=False)
        | Q(child__own_account__isnull=False)
        | Q(public_request__isnull=False)
    ).distinct()
    family = family.select_related("child", "area")
    asked = 0
    for case in family.filter(decision_on__gte=since, decision_on__lte=today):
        asked += len(decision(case))
    for case in family.filter(stage=Stage.DRAFT_PLAN, draft_plan_served_on__isnull=False):
        last_day = clock.comments_close(case.draft_plan_served_on)
        if today <= last_day:
            asked += len(draft_plan_ready(case, last_day))
    for case in family.filter(final_plan_issued_on__gte=since, final_plan_issued_on__lte=today):
        asked += len(final_plan_issued(case))
    # Plans whose first annual review falls within the next 8 weeks (reg 18: within 12 months).
    year_ago = today - dt.timedelta(days=365)
    for case in family.filter(
        stage=Stage.PLAN_ISSUED,
        final_plan_issued_on__gt=year_ago - dt.timedelta(days=7),
        final_plan_issued_on__lte=year_ago + REVIEW_NOTICE,
    ):
        due = deadlines.annual_review_due(
            case.final_plan_issued_on, count_start_as_day_one=case.area.count_start_as_day_one
        )
        if today <= due <= today + REVIEW_NOTICE:
            asked += len(review_coming_up(case, due))
    # Every later review the plans module has scheduled and not yet held (the same key as
    # above for the same date, so the first review is never announced twice).
    upcoming = AnnualReview.objects.filter(
        meeting_on__isnull=True,
        due_on__gte=today,
        due_on__lte=today + REVIEW_NOTICE,
        plan__ceased_on__isnull=True,
        plan__assessment_request__in=family,
    ).select_related("plan__assessment_request__child", "plan__assessment_request__area")
    for review in upcoming:
        asked += len(review_coming_up(review.plan.assessment_request, review.due_on))
    # Invitations to a review meeting, and the council's decision after one (reg 20(2), 20(10)).
    reviews = AnnualReview.objects.filter(plan__assessment_request__in=family).select_related(
        "plan__assessment_request__child", "plan__assessment_request__area"
    )
    for review in reviews.filter(
        invitations_sent_on__gte=since,
        invitations_sent_on__lte=today,
        meeting_planned_on__gte=today,
    ):
        asked += len(review_invited(review))
    for review in reviews.exclude(decision="").filter(
        decision_on__gte=since, decision_on__lte=today
    ):
        asked += len(review_decided(review))
    cases = {case.pk: case for case in family.filter(stage__in=OPEN_STAGES)}
    for case_id, case_clock in clock.clocks_for(list(cases.values()), today=today).items():
        case = cases[case_id]
        for milestone in case_clock.milestones:
            if milestone.status == OVERDUE and milestone.rule in (
                "decision_whether_to_assess",
                "final_plan",
            ):
                asked += len(legal_date_missed(case, milestone))
    return asked
