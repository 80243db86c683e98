"""Periods a measure is reported for: a span of days, both ends included.

A flow measure (plans issued, decisions made) counts what happened on the days of the period;
a stock measure (open cases, active plans) is the state at the end of the period, or today if
the period has not ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

DAY = timedelta(days=1)
FIRST_YEAR = 2019  # DfE's time series, and the demonstration area's history, begin in 2019


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"a period cannot end ({self.end}) before it starts ({self.start})")

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def state_day(self, today: date) -> date:
        """The day a stock measure is read on: the last day, or today if that is earlier."""
        return min(self.end, today)

    @property
    def name(self) -> str:
        return self.label or f"{self.start:%-d %b %Y} to {self.end:%-d %b %Y}"


def month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - DAY


def months(first: date, last: date) -> list[Period]:
    """Calendar months from the month holding `first` to the month holding `last`."""
    periods = []
    start = date(first.year, first.month, 1)
    while start <= last:
        end = month_end(start)
        periods.append(Period(start, end, f"{start:%b %Y}"))
        start = end + DAY
    return periods


def weeks(last: date, count: int = 52) -> list[Period]:
    """The `count` weeks (Monday to Sunday) up to the week holding `last`."""
    monday = last - timedelta(days=last.weekday())
    periods = []
    for i in range(count - 1, -1, -1):
        start = monday - timedelta(weeks=i)
        periods.append(Period(start, start + 6 * DAY, f"w/c {start:%-d %b %Y}"))
    return periods


def calendar_year(year: int, today: date | None = None) -> Period:
    end = date(year, 12, 31)
    if today is not None and today < end and today.year == year:
        return Period(date(year, 1, 1), today, f"{year} to {today:%-d %B}")
    return Period(date(year, 1, 1), end, str(year))


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def last_months(today: date, count: int) -> Period:
    """The `count` whole months before the month holding today, plus this month so far."""
    start = date(today.year, today.month, 1)
    for _ in range(count - 1):
        start = date(start.year - (start.month == 1), (start.month - 2) % 12 + 1, 1)
    return Period(start, today, f"last {count} months (from {start:%-d %B %Y})")


PERIOD_CHOICES_FIXED = (
    ("last-3-months", "The last 3 months"),
    ("last-12-months", "The last 12 months"),
    ("this-year", "This calendar year so far"),
)


def period_choices(today: date) -> list[tuple[str, str]]:
    choices = list(PERIOD_CHOICES_FIXED)
    choices += [(str(y), f"Calendar year {y}") for y in range(today.year - 1, FIRST_YEAR - 1, -1)]
    return choices


def resolve_period(key: str, today: date) -> Period:
    """The period a choice from `period_choices` stands for (ValueError if unknown)."""
    if key == "last-3-months":
        return last_months(today, 3)
    if key == "last-12-months":
        return last_months(today, 12)
    if key == "this-year":
        return calendar_year(today.year, today)
    if key.isdigit() and FIRST_YEAR <= int(key) < today.year:
        return calendar_year(int(key))
    raise ValueError(f"unknown period {key!r}")
