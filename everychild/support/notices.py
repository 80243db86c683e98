"""Telling families that a review of their child's support plan is coming up: once for each
cycle, two weeks ahead (the Code expects parents to be met and heard at each review, 6.65).
The message names no child and no school: it says a review is coming and where to sign in."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from everychild.accounts.models import User
from everychild.children.policy import family_children
from everychild.core.wording import long_date
from everychild.notifications.services import notify
from everychild.support.models import SupportCycle

NOTICE = dt.timedelta(days=14)


def _family_of(child) -> list[User]:
    """Everyone who sees the child in the family portal (a parent with parental
    responsibility the young person has not shut out; the young person themselves)."""
    candidates = User.objects.filter(is_active=True).filter(
        pk__in=[
            *child.family_links.values_list("user_id", flat=True),
            *([child.own_account_id] if child.own_account_id else []),
        ]
    )
    return [user for user in candidates if family_children(user).filter(pk=child.pk).exists()]


def review_coming_up(cycle: SupportCycle) -> int:
    link = settings.SERVICE_BASE_URL.rstrip("/") + reverse("families:home")
    sent = 0
    for user in _family_of(cycle.plan.child):
        notify(
            template="family_support_review_coming_up",
            to=user.email,
            personalisation={"due_date": long_date(cycle.review_due), "sign_in_link": link},
            key=f"support-review:{cycle.pk}:{user.pk}",
            child=cycle.plan.child,
            user=user,
        )
        sent += 1
    return sent


def sweep(*, today: dt.date | None = None) -> int:
    """Every open cycle whose review falls in the next two weeks; a cycle already announced is
    not announced again (the message key)."""
    today = today or timezone.localdate()
    due = (
        SupportCycle.objects.filter(
            reviewed_on__isnull=True,
            review_due__gte=today,
            review_due__lte=today + NOTICE,
            plan__ended_on__isnull=True,
        )
        .filter(plan__child__family_links__isnull=False)
        .distinct()
    )
    return sum(review_coming_up(c) for c in due.select_related("plan__child"))
