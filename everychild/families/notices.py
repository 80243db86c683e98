"""What the family portal tells families, through the one notifications module.

Bodies carry a reference, a date and a sign-in link only: never a child's name or any other
personal detail (the templates in everychild/notifications/message_templates/family_*.txt).
Each message has an idempotency key naming the event, so a retried task or a second sweep
never sends it twice."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _link(path: str) -> str:
    return settings.SERVICE_BASE_URL.rstrip("/") + path


def _notify(**kwargs):
    from everychild.notifications.services import notify

    return notify(**kwargs)


def family_addresses(case) -> list:
    """(e-mail, user) of everyone who sees this case in the portal, plus the requester's
    address for a request made without an account."""
    from everychild.access.policy import family_children
    from everychild.accounts.models import User

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
        _notify(
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
    _notify(
        template="family_request_received",
        to=public_request.contact_email,
        personalisation={
            "reference": case.reference,
            "decision_by": _long(_decision_due(case)),
        },
        key=f"family-request-received:{case.pk}",
        child=case.child,
    )


def _decision_due(case) -> dt.date:
    from everychild.statutory import deadlines

    return deadlines.decision_whether_to_assess_due(
        case.received_on, count_start_as_day_one=case.area.count_start_as_day_one
    )


def invitation(invitation, token: str) -> None:
    _notify(
        template="family_invitation",
        to=invitation.email,
        personalisation={
            "invitation_link": _link(reverse("families:accept", args=[token])),
            "expires_on": _long(invitation.expires_at.date()),
        },
        key=f"family-invitation:{invitation.pk}",
        child=invitation.child,
    )


def email_code(user, code: str, entry) -> None:
    _notify(
        template="family_sign_in_code",
        to=user.email,
        personalisation={"code": code},
        key=f"family-code:{entry.pk}",
        user=user,
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
        last_day=_long(last_day),
    )


def final_plan_issued(case) -> list:
    return _to_family(case, "family_final_plan_issued", f"family-final:{case.pk}")


def review_coming_up(case, review_due: dt.date) -> list:
    return _to_family(
        case,
        "family_review_coming_up",
        f"family-review:{case.pk}:{review_due}",
        review_by=_long(review_due),
    )


def legal_date_missed(case, milestone) -> list:
    return _to_family(
        case,
        "family_legal_date_missed",
        f"family-missed:{case.pk}:{milestone.key}:{milestone.due}",
        due_on=_long(milestone.due),
    )
