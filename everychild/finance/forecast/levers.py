"""Scenario levers: what a finance officer can change, each within a range, each for a span of
dates. A lever acts on a year when it is in force on that year's 1 October (the day that lies
in both the academic year and the financial year starting that year)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from everychild.core.prose import in_sentence, long_date
from everychild.finance.forecast.dimensions import (
    ALLOWED_AGES,
    MAX_AGE,
    PLACEMENT_LABELS,
    PLACEMENT_TYPES,
    lever_key_day,
)


@dataclass(frozen=True)
class LeverKind:
    key: str
    label: str
    unit: str
    low: float
    high: float
    neutral: float  # the value that changes nothing (or None: it replaces an estimate)
    explanation: str
    needs_placement: bool = False  # a placement type it acts on
    needs_source: bool = False  # a placement type it takes children from
    needs_age: bool = False


REQUEST_GROWTH = "request_growth"
CONVERSION_RATE = "conversion_rate"
PLACEMENT_SHIFT = "placement_shift"
EXTRA_PLACES = "extra_places"
EXIT_RATE_CHANGE = "exit_rate_change"
COST_INFLATION = "cost_inflation"
FUNDING_GROWTH = "funding_growth"

LEVER_KINDS: dict[str, LeverKind] = {
    kind.key: kind
    for kind in (
        LeverKind(
            REQUEST_GROWTH,
            "Growth in requests for assessment",
            "% a year",
            -20,
            30,
            0,
            "Requests per head of the 0 to 25 population grow by this much a year (instead of "
            "the damped recent trend). Population change comes on top.",
        ),
        LeverKind(
            CONVERSION_RATE,
            "Requests that lead to a plan",
            "%",
            0,
            100,
            0,
            "The share of requests for assessment that end with a plan (instead of the share "
            "seen in recent years).",
        ),
        LeverKind(
            PLACEMENT_SHIFT,
            "New plans placed elsewhere",
            "% of new plans",
            0,
            100,
            0,
            "Of the new plans that would be placed in the 'from' placement, this share are "
            "placed in the 'to' placement instead (where a child of that age can be).",
            needs_placement=True,
            needs_source=True,
        ),
        LeverKind(
            EXTRA_PLACES,
            "Extra places",
            "places",
            0,
            2000,
            0,
            "This many more places open in the placement; they are kept full with children "
            "who would otherwise be in the 'from' placement.",
            needs_placement=True,
            needs_source=True,
        ),
        LeverKind(
            EXIT_RATE_CHANGE,
            "Change in plans ending",
            "%",
            -50,
            100,
            0,
            "Plans held by young people of this academic age and older end this much more (or "
            "less) often, e.g. better preparation for adulthood.",
            needs_age=True,
        ),
        LeverKind(
            COST_INFLATION,
            "Cost inflation",
            "% a year",
            -5,
            20,
            0,
            "Unit costs rise by this much a year after the current year (instead of the "
            "recorded inflation assumption).",
        ),
        LeverKind(
            FUNDING_GROWTH,
            "Growth in high-needs funding",
            "% a year",
            -10,
            20,
            0,
            "The high-needs block allocation grows by this much a year after the last year "
            "recorded (instead of the recorded funding assumption).",
        ),
    )
}


@dataclass(frozen=True)
class Lever:
    kind: str
    value: float
    starts_on: dt.date
    ends_on: dt.date | None = None
    placement_type: str = ""
    source_type: str = ""
    age_from: int | None = None

    def in_force(self, year: int) -> bool:
        key = lever_key_day(year)
        return self.starts_on <= key and (self.ends_on is None or self.ends_on >= key)

    def with_value(self, value: float) -> Lever:
        return Lever(
            self.kind,
            value,
            self.starts_on,
            self.ends_on,
            self.placement_type,
            self.source_type,
            self.age_from,
        )

    def describe(self) -> str:
        kind = LEVER_KINDS[self.kind]
        value = f"{self.value:g} {kind.unit}"
        if self.kind == EXTRA_PLACES:
            into = in_sentence(PLACEMENT_LABELS[self.placement_type])
            source = in_sentence(PLACEMENT_LABELS[self.source_type])
            text = f"{self.value:g} more places in {into}, filled from {source}"
        elif self.kind == PLACEMENT_SHIFT:
            into = in_sentence(PLACEMENT_LABELS[self.placement_type])
            source = in_sentence(PLACEMENT_LABELS[self.source_type])
            text = f"{self.value:g} % of new plans in {source} placed in {into} instead"
        elif self.kind == EXIT_RATE_CHANGE:
            text = f"{kind.label}: {value} from age {self.age_from}"
        else:
            text = f"{kind.label}: {value}"
        span = f"from {long_date(self.starts_on)}"
        if self.ends_on:
            span += f" to {long_date(self.ends_on)}"
        return f"{text}, {span}"


def validate(lever: Lever) -> list[tuple[str, str]]:
    """Problems with a lever as (field, message); empty when it can be used."""
    problems: list[tuple[str, str]] = []
    kind = LEVER_KINDS.get(lever.kind)
    if kind is None:
        return [("kind", "Choose a lever from the list.")]
    value = lever.value
    if value is None or value != value:  # missing or NaN
        problems.append(("value", f"Enter a value for {in_sentence(kind.label)}."))
    elif not kind.low <= value <= kind.high:
        problems.append(
            (
                "value",
                f"{kind.label} must be between {kind.low:g} and {kind.high:g} {kind.unit}.",
            )
        )
    if lever.starts_on is None:
        problems.append(("starts_on", "Enter the date the lever starts."))
    elif lever.ends_on is not None and lever.ends_on < lever.starts_on:
        problems.append(("ends_on", "The end date must be on or after the start date."))
    if kind.needs_placement and lever.placement_type not in PLACEMENT_TYPES:
        problems.append(("placement_type", "Choose the placement the lever acts on."))
    if kind.needs_source:
        if lever.source_type not in PLACEMENT_TYPES:
            problems.append(("source_type", "Choose the placement children come from."))
        elif lever.source_type == lever.placement_type:
            problems.append(
                ("source_type", "The placement children come from must be a different one.")
            )
        elif lever.placement_type in PLACEMENT_TYPES:
            lo_t, hi_t = ALLOWED_AGES[lever.placement_type]
            lo_s, hi_s = ALLOWED_AGES[lever.source_type]
            if max(lo_t, lo_s) > min(hi_t, hi_s):
                problems.append(
                    (
                        "source_type",
                        "No child can be in both placements at the same age: choose another.",
                    )
                )
    if kind.needs_age and (lever.age_from is None or not 0 <= lever.age_from <= MAX_AGE):
        problems.append(("age_from", f"Enter an academic age from 0 to {MAX_AGE}."))
    return problems


def value_in_force(levers: list[Lever], kind: str, year: int) -> float | None:
    """The value of the last lever of `kind` in force in `year`, or None."""
    value = None
    for lever in levers:
        if lever.kind == kind and lever.in_force(year):
            value = lever.value
    return value
