"""Periods a measure is reported for: a span of days, both ends included.

A flow measure (plans issued, decisions made) counts what happened on the days of the period;
a stock measure (open cases, active plans) is the state at the end of the period, or today if
the period has not ended."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from everychild.core.digits import ascii_digits

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
    def dates(self) -> str:
        """The days it covers, in words: "1 December 2025 to 30 November 2026"."""
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"

    @property
    def name(self) -> str:
        """What the period is called and the dates it used, so a reader of a page, a CSV or the
        board pack never has to guess what "the last 12 months" meant on the day."""
        if not self.label:
            return self.dates
        label = f"calendar year {self.label}" if self.label.isdigit() else self.label
        return f"{label}, {self.dates}"


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


def months_before(day: date, count: int) -> date:
    """The day with the same number `count` months earlier; where that month is too short, the
    first day of the month after it (31 May less 3 months is 1 March: there is no 31 February)."""
    index = day.year * 12 + day.month - 1 - count
    year, month = divmod(index, 12)
    first = date(year, month + 1, 1)
    if day.day > month_end(first).day:
        return month_end(first) + DAY
    return first.replace(day=day.day)


def last_months(today: date, count: int) -> Period:
    """ "The last `count` months": the `count` months to today, today included, so that they
    end on today and begin on tomorrow's day of the month `count` months back. On 30 November
    2026 the last 12 months are 1 December 2025 to 30 November 2026 and the last 3 months 1
    September to 30 November 2026; on 15 November 2026, 16 November 2025 to 15 November 2026
    (decision 0207). Every page, CSV, the API and the board pack take their rolling periods
    from here, so they all mean the same days."""
    start = months_before(today + DAY, count)
    return Period(start, today, f"the last {count} months")


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
    if ascii_digits(key) and FIRST_YEAR <= int(key) < today.year:
        return calendar_year(int(key))
    raise ValueError(f"unknown period {key!r}")
