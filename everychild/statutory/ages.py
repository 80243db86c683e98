"""When a child becomes a young person: for the portal (who acts for themselves) and for the
plan (whose views section A records).

A child is of compulsory school age until the school leaving date: the last Friday in June of
the school year (1 September to 31 August) in which they turn 16 (Education Act 1996 s.8;
Education (School Leaving Date) Order 1997). After it, rights under Part 3 of the Children and
Families Act 2014 pass to the young person (s.80; Code of Practice 8.13)."""

from __future__ import annotations

import datetime as dt


def _sixteenth_birthday(born: dt.date) -> dt.date:
    try:
        return born.replace(year=born.year + 16)
    except ValueError:  # born on 29 February
        return dt.date(born.year + 16, 3, 1)


def school_leaving_date(born: dt.date) -> dt.date:
    sixteen = _sixteenth_birthday(born)
    # The school year that holds the 16th birthday ends in June of this year.
    year = sixteen.year + 1 if sixteen.month >= 9 else sixteen.year
    last_of_june = dt.date(year, 6, 30)
    return last_of_june - dt.timedelta(days=(last_of_june.weekday() - 4) % 7)


def over_compulsory_school_age(born: dt.date, on: dt.date) -> bool:
    return on > school_leaving_date(born)
