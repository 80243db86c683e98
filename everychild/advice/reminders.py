"""The reminder sweep: two weeks before advice is due, a reminder to the professional it is
allocated to (or the service's managers while nobody has it); once it is overdue with no
reg 8(2) exception, an escalation to the service's managers and the case's caseworker.

Idempotent: each message has a key (the request, the due date and the person), and
`notify` sends nothing for a key already used, so the sweep can run as often as cron or the
worker likes and a message is never sent twice. No child's name is ever in a message: only
the case reference and a sign-in link."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from everychild.access.policy import Capability, members_with
from everychild.accounts.models import OrganisationKind
from everychild.advice.services import absolute
from everychild.casework import clock
from everychild.casework.models import AdviceRequest
from everychild.notifications.models import Message
from everychild.notifications.services import notify
from everychild.statutory.milestones import OVERDUE, PENDING

REMINDER_DAYS = 14
AGENCY_KINDS = (
    OrganisationKind.EDUCATIONAL_PSYCHOLOGY,
    OrganisationKind.NHS_ICB,
    OrganisationKind.NHS_PROVIDER,
    OrganisationKind.SOCIAL_CARE,
)


def _managers(organisation_id: int) -> list:
    return [
        m.user
        for m in members_with(
            Capability.MANAGE_ADVICE, organisation_id=organisation_id
        ).select_related("user")
    ]


def _send(template, person, key, values, counts, name) -> None:
    if person is None or not person.email:
        return
    if Message.objects.filter(key=key).exists():
        counts["already_sent"] += 1
        return
    notify(template=template, to=person.email, personalisation=values, key=key, user=person)
    counts[name] += 1


def send_advice_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """Send the reminders and escalations due today (and any missed by an earlier sweep)."""
    today = today or timezone.localdate()
    counts = {"reminders": 0, "escalations": 0, "already_sent": 0}
    advice = list(
        AdviceRequest.objects.filter(
            provided_on__isnull=True,
            cancelled_on__isnull=True,
            organisation__kind__in=AGENCY_KINDS,
            received_by_body_on__lte=today,
        ).select_related("assessment_request__caseworker", "organisation", "assigned_to")
    )
    cases = {a.assessment_request_id: a.assessment_request for a in advice}
    clocks = clock.clocks_for(list(cases.values()), today=today)
    for item in advice:
        case = item.assessment_request
        milestone = clocks[case.pk].milestone(f"advice:{item.pk}")
        if milestone is None or milestone.due is None:
            continue
        values = {
            "reference": case.reference,
            "due_date": f"{milestone.due.day} {milestone.due:%B %Y}",
            "organisation": item.organisation.name,
        }
        due = milestone.due.isoformat()
        if milestone.status == PENDING and (milestone.due - today).days <= REMINDER_DAYS:
            link = absolute(reverse("advice:request", args=[item.pk]))
            people = [item.assigned_to] if item.assigned_to else _managers(item.organisation_id)
            for person in people:
                _send(
                    "advice_reminder",
                    person,
                    f"advice-reminder:{item.pk}:{due}:{person.pk}",
                    {**values, "link": link},
                    counts,
                    "reminders",
                )
        elif milestone.status == OVERDUE:
            for person, link in [
                (m, absolute(reverse("advice:request", args=[item.pk])))
                for m in _managers(item.organisation_id)
            ] + [(case.caseworker, absolute(reverse("casework:case", args=[case.pk])))]:
                if person is None:
                    continue
                _send(
                    "advice_overdue",
                    person,
                    f"advice-overdue:{item.pk}:{due}:{person.pk}",
                    {**values, "link": link},
                    counts,
                    "escalations",
                )
    return counts
