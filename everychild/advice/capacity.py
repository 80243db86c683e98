"""Capacity: each professional's available assessments a week, less leave.

A week runs Monday to Sunday. A professional on leave for some weekdays of a week has that
share of the week's capacity removed (3 days' leave: 2/5 of it left). A service that has set
no capacity at all is not limited (health and social care teams usually do not use it)."""

from __future__ import annotations

import datetime as dt

from everychild.advice.models import AdviceWork, Capacity, Leave

WEEKDAYS = 5


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _weekdays(start: dt.date, end: dt.date) -> set[dt.date]:
    days, day = set(), start
    while day <= end:
        if day.weekday() < WEEKDAYS:
            days.add(day)
        day += dt.timedelta(days=1)
    return days


def _rate_on(periods, day: dt.date) -> float:
    for period in periods:
        if period.starts_on <= day and (period.ends_on is None or day <= period.ends_on):
            return float(period.per_week)
    return 0.0


def uses_capacity(organisation_id: int) -> bool:
    return Capacity.objects.filter(organisation_id=organisation_id).exists()


def weekly(organisation_id: int, first_week: dt.date, weeks: int, professional=None) -> list:
    """Available assessments in each of `weeks` weeks from the week of `first_week`, for the
    whole service (or one professional), leave taken off."""
    start = week_start(first_week)
    end = start + dt.timedelta(weeks=weeks) - dt.timedelta(days=1)
    periods = Capacity.objects.filter(organisation_id=organisation_id, starts_on__lte=end)
    leave = Leave.objects.filter(
        organisation_id=organisation_id, starts_on__lte=end, ends_on__gte=start
    )
    if professional is not None:
        periods = periods.filter(professional=professional)
        leave = leave.filter(professional=professional)
    by_person: dict[int, list] = {}
    for period in periods.order_by("starts_on"):
        by_person.setdefault(period.professional_id, []).append(period)
    away: dict[int, set] = {}
    for item in leave:
        away.setdefault(item.professional_id, set()).update(
            _weekdays(max(item.starts_on, start), min(item.ends_on, end))
        )
    totals = []
    for week in range(weeks):
        monday = start + dt.timedelta(weeks=week)
        days = [monday + dt.timedelta(days=d) for d in range(WEEKDAYS)]
        total = 0.0
        for person, person_periods in by_person.items():
            off = away.get(person, set())
            # Each working day carries a fifth of the rate in force that day.
            total += sum(_rate_on(person_periods, d) for d in days if d not in off) / WEEKDAYS
        totals.append(round(total, 2))
    return totals


def available_this_week(organisation_id: int, professional, on: dt.date) -> float | None:
    """The professional's capacity in the week of `on`; None if the service sets none."""
    if not uses_capacity(organisation_id):
        return None
    return weekly(organisation_id, on, 1, professional)[0]


def allocated_in_week(organisation_id: int, professional, on: dt.date) -> int:
    start = week_start(on)
    return AdviceWork.objects.filter(
        advice_request__organisation_id=organisation_id,
        advice_request__assigned_to=professional,
        allocated_on__gte=start,
        allocated_on__lte=start + dt.timedelta(days=6),
    ).count()
