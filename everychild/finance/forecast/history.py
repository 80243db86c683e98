"""The area's own history, as arrays: plans (with their placements over time) and requests
for assessment. Everything the forecast learns, it learns from here.

Dates are proleptic ordinals (date.toordinal()); NEVER stands for "has not happened"."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import numpy as np

from everychild.finance.forecast.dimensions import (
    MAX_AGE,
    A,
    G,
    P,
    academic_ages,
)

NEVER = np.int64(10**9)  # later than any real date's ordinal (year 2,700,000)
DAYS_PER_MONTH = 365.25 / 12


def ordinal(day: dt.date | None) -> int:
    return int(NEVER) if day is None else day.toordinal()


def _ints(values) -> np.ndarray:
    return np.asarray(values, dtype=np.int64)


@dataclass(frozen=True)
class Episode:
    """One placement of one plan: from `starts_on` to `ends_on` (inclusive; None while it
    lasts), in a placement type (its index in PLACEMENT_TYPES)."""

    starts_on: dt.date
    ends_on: dt.date | None
    placement: int


@dataclass(frozen=True)
class PlanRecord:
    born: dt.date
    issued_on: dt.date
    ceased_on: dt.date | None
    need: int  # index in NEED_GROUPS
    from_request: bool
    episodes: tuple[Episode, ...]


def contiguous(plan: PlanRecord) -> tuple[tuple[Episode, ...], int]:
    """The plan's placements laid end to end from issue to ceasing: the first starts when the
    plan was issued, a gap is covered by the placement before it, overlaps are cut, and the
    last runs while the plan does. Returns the episodes and how many gaps or overlaps were
    mended (reported to the user, never silently)."""
    episodes = sorted(plan.episodes, key=lambda e: e.starts_on)
    if not episodes:
        raise ValueError("A plan needs at least one placement.")
    mended = int(episodes[0].starts_on != plan.issued_on)
    out: list[Episode] = []
    for i, episode in enumerate(episodes):
        start = plan.issued_on if i == 0 else episode.starts_on
        if i + 1 < len(episodes):
            following = episodes[i + 1].starts_on
            end = following - dt.timedelta(days=1)
            if episode.ends_on != end:
                mended += 1
        else:
            end = plan.ceased_on if plan.ceased_on is not None else None
            if episode.ends_on is not None and episode.ends_on != end:
                mended += 1
        if end is not None and end < start:
            mended += 1
            continue
        out.append(Episode(start, end, episode.placement))
    if not out:
        out.append(Episode(plan.issued_on, plan.ceased_on, episodes[-1].placement))
    return tuple(out), mended


@dataclass
class PlanHistory:
    born_year: np.ndarray
    born_in_autumn: np.ndarray
    issued: np.ndarray
    ceased: np.ndarray
    need: np.ndarray
    from_request: np.ndarray
    ep_plan: np.ndarray
    ep_start: np.ndarray
    ep_end: np.ndarray  # inclusive; NEVER while it lasts
    ep_type: np.ndarray
    mended: int = 0

    @classmethod
    def from_records(cls, records: list[PlanRecord]) -> PlanHistory:
        ep_plan, ep_start, ep_end, ep_type = [], [], [], []
        mended = 0
        for i, record in enumerate(records):
            episodes, fixed = contiguous(record)
            mended += fixed
            for episode in episodes:
                ep_plan.append(i)
                ep_start.append(ordinal(episode.starts_on))
                ep_end.append(ordinal(episode.ends_on))
                ep_type.append(episode.placement)
        return cls(
            born_year=_ints([r.born.year for r in records]),
            born_in_autumn=np.asarray([r.born.month >= 9 for r in records], dtype=bool),
            issued=_ints([ordinal(r.issued_on) for r in records]),
            ceased=_ints([ordinal(r.ceased_on) for r in records]),
            need=_ints([r.need for r in records]),
            from_request=np.asarray([r.from_request for r in records], dtype=bool),
            ep_plan=_ints(ep_plan),
            ep_start=_ints(ep_start),
            ep_end=_ints(ep_end),
            ep_type=_ints(ep_type),
            mended=mended,
        )

    def __len__(self) -> int:
        return len(self.issued)

    def active_on(self, day: dt.date) -> np.ndarray:
        d = day.toordinal()
        return (self.issued <= d) & (self.ceased > d)

    def placement_on(self, day: dt.date) -> np.ndarray:
        """Each plan's placement type on `day`; -1 where the plan is not active."""
        d = day.toordinal()
        out = np.full(len(self), -1, dtype=np.int64)
        covering = (self.ep_start <= d) & (self.ep_end >= d)
        out[self.ep_plan[covering]] = self.ep_type[covering]
        out[~self.active_on(day)] = -1
        return out

    def ages_on(self, day: dt.date) -> np.ndarray:
        """Academic ages on `day`, held within the model's range (0 to 24)."""
        return np.clip(academic_ages(self.born_year, self.born_in_autumn, day), 0, MAX_AGE)

    def state_on(self, day: dt.date) -> np.ndarray:
        """Active plans on `day` as counts by (age, need, placement)."""
        placement = self.placement_on(day)
        active = placement >= 0
        return _count(self.ages_on(day)[active], self.need[active], placement[active])

    def truncated(self, day: dt.date) -> PlanHistory:
        """The history as it was known at the end of `day`: later plans gone, later endings
        and moves not yet happened."""
        d = day.toordinal()
        keep = self.issued <= d
        new_index = np.cumsum(keep) - 1
        ep_keep = keep[self.ep_plan] & (self.ep_start <= d)
        ep_end = np.where(self.ep_end > d, NEVER, self.ep_end)[ep_keep]
        return replace(
            self,
            born_year=self.born_year[keep],
            born_in_autumn=self.born_in_autumn[keep],
            issued=self.issued[keep],
            ceased=np.where(self.ceased > d, NEVER, self.ceased)[keep],
            need=self.need[keep],
            from_request=self.from_request[keep],
            ep_plan=new_index[self.ep_plan[ep_keep]],
            ep_start=self.ep_start[ep_keep],
            ep_end=ep_end,
            ep_type=self.ep_type[ep_keep],
        )


def _count(ages: np.ndarray, needs: np.ndarray, placements: np.ndarray) -> np.ndarray:
    flat = (ages * G + needs) * P + placements
    return np.bincount(flat, minlength=A * G * P).reshape(A, G, P).astype(float)


@dataclass
class Flows:
    """What happened between two censuses, by cell."""

    exposure: np.ndarray = field(default_factory=lambda: np.zeros((A, G, P)))
    exits: np.ndarray = field(default_factory=lambda: np.zeros((A, G, P)))
    move_exposure: np.ndarray = field(default_factory=lambda: np.zeros((A, G, P)))
    moves: np.ndarray = field(default_factory=lambda: np.zeros((A, G, P, P)))
    entrants: np.ndarray = field(default_factory=lambda: np.zeros((A, G, P)))
    entrants_without_request: float = 0.0
    issued: float = 0.0  # plans issued between the censuses (entrants or not)

    def __add__(self, other: Flows) -> Flows:
        return Flows(
            self.exposure + other.exposure,
            self.exits + other.exits,
            self.move_exposure + other.move_exposure,
            self.moves + other.moves,
            self.entrants + other.entrants,
            self.entrants_without_request + other.entrants_without_request,
            self.issued + other.issued,
        )


def flows_between(plans: PlanHistory, first: dt.date, second: dt.date) -> Flows:
    """Endings (keyed by age at the first census), moves (keyed by age at the second, the age
    of the academic year they move into) and new plans still active at the second census."""
    p0, p1 = plans.placement_on(first), plans.placement_on(second)
    a0, a1 = plans.ages_on(first), plans.ages_on(second)
    need = plans.need
    active0, active1 = p0 >= 0, p1 >= 0
    flows = Flows()
    flows.exposure = _count(a0[active0], need[active0], p0[active0])
    ended = active0 & ~active1
    flows.exits = _count(a0[ended], need[ended], p0[ended])
    stayed = active0 & active1
    flows.move_exposure = _count(a1[stayed], need[stayed], p0[stayed])
    flat = ((a1[stayed] * G + need[stayed]) * P + p0[stayed]) * P + p1[stayed]
    flows.moves = np.bincount(flat, minlength=A * G * P * P).reshape(A, G, P, P).astype(float)
    issued_between = (plans.issued > first.toordinal()) & (plans.issued <= second.toordinal())
    entered = issued_between & active1
    flows.entrants = _count(a1[entered], need[entered], p1[entered])
    flows.entrants_without_request = float((entered & ~plans.from_request).sum())
    flows.issued = float(issued_between.sum())
    return flows


# --- Requests for assessment ---------------------------------------------------------------

AWAITING_DECISION, ASSESSING, DRAFT = 0, 1, 2
STAGE_LABELS = ("Waiting for a decision to assess", "Being assessed", "Draft plan issued")


@dataclass(frozen=True)
class RequestRecord:
    received_on: dt.date
    decided_on: dt.date | None = None
    assess: bool = False  # the decision was to assess
    draft_on: dt.date | None = None
    issued_on: dt.date | None = None
    not_issued_on: dt.date | None = None
    withdrawn_on: dt.date | None = None


@dataclass
class RequestHistory:
    received: np.ndarray
    decided: np.ndarray
    assess: np.ndarray
    draft: np.ndarray
    issued: np.ndarray
    not_issued: np.ndarray
    withdrawn: np.ndarray

    @classmethod
    def from_records(cls, records: list[RequestRecord]) -> RequestHistory:
        return cls(
            received=_ints([ordinal(r.received_on) for r in records]),
            decided=_ints([ordinal(r.decided_on) for r in records]),
            assess=np.asarray([r.assess for r in records], dtype=bool),
            draft=_ints([ordinal(r.draft_on) for r in records]),
            issued=_ints([ordinal(r.issued_on) for r in records]),
            not_issued=_ints([ordinal(r.not_issued_on) for r in records]),
            withdrawn=_ints([ordinal(r.withdrawn_on) for r in records]),
        )

    def __len__(self) -> int:
        return len(self.received)

    def resolved(self) -> np.ndarray:
        """The day each request's outcome was settled (a plan, a refusal, a withdrawal)."""
        refused = np.where(~self.assess, self.decided, NEVER)
        return np.minimum.reduce([self.issued, self.not_issued, self.withdrawn, refused])

    def received_between(self, start: dt.date, end: dt.date) -> int:
        """Requests received after `start`, up to and including `end`."""
        return int(((self.received > start.toordinal()) & (self.received <= end.toordinal())).sum())

    def open_on(self, day: dt.date) -> tuple[np.ndarray, np.ndarray]:
        """The requests waiting on `day` (received, no outcome yet): their stage and how many
        whole months they have been open."""
        d = day.toordinal()
        waiting = (self.received <= d) & (self.resolved() > d)
        stage = np.full(int(waiting.sum()), AWAITING_DECISION, dtype=np.int64)
        stage[(self.decided[waiting] <= d) & self.assess[waiting]] = ASSESSING
        stage[self.draft[waiting] <= d] = DRAFT
        months = ((d - self.received[waiting]) / DAYS_PER_MONTH).astype(np.int64)
        return stage, months

    def truncated(self, day: dt.date) -> RequestHistory:
        d = day.toordinal()
        keep = self.received <= d

        def cut(values):
            return np.where(values > d, NEVER, values)[keep]

        return RequestHistory(
            received=self.received[keep],
            decided=cut(self.decided),
            assess=(self.assess & (self.decided <= d))[keep],
            draft=cut(self.draft),
            issued=cut(self.issued),
            not_issued=cut(self.not_issued),
            withdrawn=cut(self.withdrawn),
        )


@dataclass
class History:
    """Everything the forecast learns from, known as at `as_of`."""

    plans: PlanHistory
    requests: RequestHistory
    # Resident population aged 0 to 25, by calendar year (mid-year estimates or projections).
    population: dict[int, float] = field(default_factory=dict)

    def truncated(self, day: dt.date) -> History:
        return History(self.plans.truncated(day), self.requests.truncated(day), self.population)
