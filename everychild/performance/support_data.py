"""The area's SEN support records, loaded set-wise for the measures of SEN support (issue 22,
decision 0221): four queries for the whole area, then plain rows, as dataset.py does for
casework.

Loaded on first use by a support measure and kept on the AreaData (so a page of several
support measures reads them once). The filters of a page apply: setting (the child's current
setting), primary need and age group; a caseworker filter keeps no support plan (a support
plan has no caseworker)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from everychild.accounts.models import OrganisationKind, SettingType
from everychild.casework.models import GraduatedApproachStep
from everychild.performance.dataset import _rows, age_group
from everychild.support.models import RequestFromSupport, SupportCycle, SupportPlan

# The setting's phase, as DfE's "Special educational needs in England" tables group pupils.
PHASES = {
    "early_years": "Early years",
    "primary": "Primary",
    "secondary": "Secondary",
    "special": "Special school",
    "post16": "Post-16 and further education",
    "other": "Other or not known",
}
_SPECIAL = {
    SettingType.MAINTAINED_SPECIAL,
    SettingType.ACADEMY_SPECIAL,
    SettingType.INDEPENDENT_SPECIAL,
}


def phase_of(kind: str | None, setting_type: str | None, phase: str | None, age: int) -> str:
    """The phase of the child's setting: from its kind and type, then its stated phase, then
    (an all-through school) the child's age."""
    if kind == OrganisationKind.EARLY_YEARS or setting_type == SettingType.EARLY_YEARS:
        return "early_years"
    if kind == OrganisationKind.COLLEGE or setting_type in (
        SettingType.FE_COLLEGE,
        SettingType.SPECIALIST_POST16,
    ):
        return "post16"
    if setting_type in _SPECIAL:
        return "special"
    if kind != OrganisationKind.SCHOOL:
        return "other"
    stated = (phase or "").lower()
    if "primary" in stated or "infant" in stated or "junior" in stated:
        return "primary"
    if "secondary" in stated:
        return "secondary"
    return "primary" if age < 11 else "secondary" if age < 16 else "post16"


@dataclass(slots=True)
class SupportRow:
    id: int
    child_id: int
    started_on: date
    ended_on: date | None
    born: date
    primary_need: str
    setting_id: int | None
    phase: str
    age_group: str


@dataclass(slots=True)
class CycleRow:
    id: int
    plan_id: int
    review_due: date
    reviewed_on: date | None
    plan_ended_on: date | None


@dataclass
class SupportData:
    plans: list[SupportRow] = field(default_factory=list)
    cycles: list[CycleRow] = field(default_factory=list)
    # Requests that arrived with evidence of the graduated approach: a school's steps, or made
    # from a support plan.
    evidenced_case_ids: set[int] = field(default_factory=set)
    # The day each child's SEN support first began (their earliest support plan).
    support_began: dict[int, date] = field(default_factory=dict)
    # The rows' hash, or for the area's whole data the change stamp's name (dataset.load): the
    # measures' events and figures are remade when it changes.
    key: int | str = 0


def queries(area) -> tuple[tuple, ...]:
    """The four queries of the area's support records, as (queryset, columns): read by _fetch,
    and watched for changes with the casework tables (dataset.watched_tables)."""
    plans = (
        SupportPlan.objects.filter(area=area, child__merged_into__isnull=True),
        (
            "id",
            "child_id",
            "started_on",
            "ended_on",
            "child__date_of_birth",
            "primary_need",
            "child__current_setting_id",
            "child__current_setting__kind",
            "child__current_setting__setting_type",
            "child__current_setting__phase",
        ),
    )
    cycles = (
        SupportCycle.objects.filter(plan__area=area),
        ("id", "plan_id", "review_due", "reviewed_on", "plan__ended_on"),
    )
    stepped = (
        GraduatedApproachStep.objects.filter(school_request__assessment_request__area=area),
        ("school_request__assessment_request_id",),
    )
    made_from = (RequestFromSupport.objects.filter(plan__area=area), ("assessment_request_id",))
    return plans, cycles, stepped, made_from


def _fetch(area):
    return tuple(_rows(queryset, columns) for queryset, columns in queries(area))


_KEPT = ("support records",)


def support_of(data) -> SupportData:
    """The area's support records for this AreaData (loaded once for it, filtered as it is).
    For the area's whole data at a change stamp they are kept in its memo: the stamp moves when
    a support record changes (their tables are watched too), so they are read once per stamp,
    not once per page."""
    if data.support is not None:
        return data.support
    whole_at_stamp = bool(data.shared_as) and data.filters is None
    kept = data.memo.get(_KEPT) if whole_at_stamp else None
    if kept is not None and kept.key == data.shared_as:
        data.support = kept
        return kept
    rows = _fetch(data.area)
    plan_rows, cycle_rows, stepped, made_from = (r.converted() for r in rows)
    filters = data.filters
    found = SupportData(key=hash(tuple(tuple(r.rows) for r in rows)))
    for row in plan_rows:
        born = row[4]
        plan = SupportRow(
            id=row[0],
            child_id=row[1],
            started_on=row[2],
            ended_on=row[3],
            born=born,
            primary_need=row[5],
            setting_id=row[6],
            phase=phase_of(row[7], row[8], row[9], _age(born, data.today)),
            age_group=age_group(born, data.today),
        )
        if filters is not None and not filters.keeps_support_plan(plan, data.today):
            continue
        found.plans.append(plan)
        began = found.support_began.get(plan.child_id)
        if began is None or plan.started_on < began:
            found.support_began[plan.child_id] = plan.started_on
    kept = {p.id for p in found.plans}
    found.cycles = [CycleRow(*row) for row in cycle_rows if row[1] in kept]
    found.evidenced_case_ids = {row[0] for row in stepped} | {row[0] for row in made_from}
    if whole_at_stamp:
        # Named by the stamp (as the figures are shared): the same in every process, and new
        # whenever anything watched changes, so figures made from older records are never
        # taken for these.
        found.key = data.shared_as
        data.memo[_KEPT] = found
    data.support = found
    return found


def _age(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class FromSupport:
    """A mixin for a measure read from the support records: its events or spans are made once
    per state of those records (the casework memo's key does not see them change)."""

    def _support_memo(self, data, kind: str, make):
        support = support_of(data)
        slot = (kind, self.id)
        cached = data.memo.get(slot)
        if cached is None or cached[0] != support.key:
            cached = data.memo[slot] = (support.key, list(make(data)))
        return cached[1]

    def memo_version(self, data):
        return support_of(data).key

    def all_events(self, data):
        return self._support_memo(data, "support-events", self.events)

    def counted_spans(self, data):
        return self._support_memo(
            data,
            "support-spans",
            lambda d: [s for s in self.spans(d) if s.ends is None or s.ends > s.starts],
        )
