"""The professionals' services invited to an annual review, told so (decision 0260).

Each message carries only the review's reference, the meeting's date and a sign-in link: no
child's name, and no advice or plan travels by e-mail (issue 19). Each has a key (the invitee
and the person), so a message is never sent twice."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from everychild.access.policy import Capability, members_with
from everychild.accounts.models import OrganisationKind
from everychild.core.wording import long_date as _long
from everychild.notifications.services import notify
from everychild.plans.models import AnnualReview, ReviewInvitee
from everychild.plans.selectors import review_reference

TEMPLATE = "review_advice_invitation"


def _link(path: str) -> str:
    return settings.SERVICE_BASE_URL.rstrip("/") + path


def _people_told(invitee: ReviewInvitee) -> tuple[list, str]:
    """Whom to tell of one invitation, and where they give the advice. An advice-giving
    service's professionals use their advice queue; the council's SEN officer is the plan's
    caseworker, who gives it on the review's own page."""
    service = invitee.organisation
    if service.kind == OrganisationKind.LOCAL_AUTHORITY:
        case = invitee.review.plan.assessment_request
        caseworker = case.caseworker if case is not None else None
        people = [caseworker] if caseworker is not None and caseworker.is_active else []
        return people, reverse("plans:annual-review", args=[invitee.review.plan_id])
    people = [
        m.user
        for m in members_with(Capability.GIVE_ADVICE, organisation_id=service.pk).select_related(
            "user"
        )
    ]
    return people, reverse("advice:review", args=[invitee.review_id])


def services_invited(review: AnnualReview) -> list:
    """Tell the staff of each service invited in EveryChild (after the invitations commit)."""
    sent = []
    plan = review.plan
    for invitee in review.invitees.filter(organisation__isnull=False).select_related(
        "organisation"
    ):
        invitee.review = review  # the plan and its child, already read
        people, path = _people_told(invitee)
        values = {
            "reference": review_reference(plan),
            "date": _long(review.meeting_planned_on),
            "organisation": invitee.organisation.name,
            "link": _link(path),
        }
        for person in {p.pk: p for p in people if p.email}.values():
            sent.append(
                notify(
                    template=TEMPLATE,
                    to=person.email,
                    personalisation=values,
                    key=f"review-advice-invited:{invitee.pk}:{person.pk}",
                    child=plan.child,
                    user=person,
                )
            )
    return sent
