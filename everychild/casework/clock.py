"""A case's statutory clock: the only place casework turns its records into legal dates.

The case's recorded facts (the request, the decision, each piece of advice, the draft, the
consultations, the final plan, exceptions, the area's setting closures, letters sent) are
mapped to the statutory engine's JSON contract (`everychild.statutory.parse_facts`), which
validates them, and `timeline()` computes every milestone: due date, status, regulation and
any exception. Nothing here counts days itself except through the engine's rules and
`deadlines` (see docs/decisions/0004-casework-clock-and-locking.md).

For list pages, `clocks_for(cases)` computes many timelines from data fetched in a constant
number of queries (one per related table, grouped in Python), never one query per case, and
remembers each judgement under exactly the facts it was judged on (decision 0265).
"""

from __future__ import annotations

import datetime as dt
import json
import operator
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils import timezone

from everychild.areas.models import Area
from everychild.casework.facts import (
    CASE_FIELDS,
    facts_dict,
    trusted_facts,
)
from everychild.casework.models import (
    AdviceRequest,
    AssessmentRequest,
    CaseException,
    Consultation,
    Letter,
    Stage,
)
from everychild.statutory import (
    FactsError,
    Milestone,
    deadlines,
    parse_facts,
    timeline,
)
from everychild.statutory.milestones import OVERDUE, PENDING

#: A limit due within this many days is "due soon" on the caseload and breach-risk pages.
DUE_SOON_DAYS = 10

# Limits a caseworker works to (or chases): the "next legal date" of a case. The family's
# own periods (comment windows, mediation, appeal) are shown on the case, not chased.
_WORKED_TO = {
    "decision_whether_to_assess",
    "advice",
    "notice_not_to_issue",
    "consultation",
    "final_plan",
    "reassessment_decision",
    "reassessment_final_plan",
}
# --- The area's setting closures: parsed once, shared by every case of the area -------------

_CLOSURES: dict[tuple[int, str], tuple] = {}


def area_closures(area) -> tuple:
    """The area's setting closures as the engine's values, validated by the engine once and
    shared (the engine memoises closure windows by the identity of this tuple)."""
    cached = getattr(area, "_everychild_closures", None)
    if cached is not None:
        return cached
    raw = area.setting_closures or []
    key = (area.pk, json.dumps(raw, sort_keys=True))
    found = _CLOSURES.get(key)
    if found is None:
        if len(_CLOSURES) > 256:
            _CLOSURES.clear()
        parsed = parse_facts(
            {"today": "2014-09-01", "request_received": "2014-09-01", "setting_closures": raw}
        )
        found = _CLOSURES[key] = parsed.setting_closures
    area._everychild_closures = found
    return found


# --- Timelines ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseClock:
    """A case's computed clock and what it means for the lists: a value, never changed once
    made (the list pages share one between requests: see `clocks_for`).

    `next` is the earliest limit still running (pending or overdue) that the service works to;
    `status` is "overdue", "due_soon" (within DUE_SOON_DAYS), "on_track", "exception" (a
    missed limit lifted by an exception, nothing else running), "none" or "error" (the
    recorded dates are impossible: `error` says which)."""

    milestones: list[Milestone] = field(default_factory=list)
    next: Milestone | None = None
    status: str = "none"
    error: str = ""
    today: dt.date | None = None

    @property
    def days_remaining(self) -> int | None:
        return self.next.days_remaining if self.next is not None else None

    def milestone(self, key: str) -> Milestone | None:
        return next((m for m in self.milestones if m.key == key), None)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def sort_key(self) -> tuple:
        """What needs doing first: overdue (longest overdue first), then due soon, then
        exceptions, then on track (soonest first), then cases with no date running."""
        rank = _STATUS_RANK[self.status]
        days = self.days_remaining
        return (rank, days if days is not None else 10**6)


STATUS_LABELS = {
    "overdue": "Overdue",
    "due_soon": f"Due within {DUE_SOON_DAYS} days",
    "on_track": "On track",
    "exception": "Exception applies",
    "none": "No legal date running",
    "error": "Dates need checking",
}
_STATUS_RANK = {"overdue": 0, "due_soon": 1, "exception": 2, "on_track": 3, "none": 4, "error": 5}


def _summarise(milestones: list[Milestone], today: dt.date) -> CaseClock:
    running = [
        m
        for m in milestones
        if m.status in (PENDING, OVERDUE) and m.due is not None and m.rule in _WORKED_TO
    ]
    nxt, status = None, "none"
    if running:
        nxt = min(running, key=lambda m: (m.due, m.key))
        if nxt.status == OVERDUE:
            status = "overdue"
        elif nxt.days_remaining is not None and nxt.days_remaining <= DUE_SOON_DAYS:
            status = "due_soon"
        else:
            status = "on_track"
    elif any(m.exception is not None and m.met_on is None for m in milestones):
        status = "exception"
    return CaseClock(milestones=milestones, next=nxt, status=status, today=today)


def _compute(
    case: AssessmentRequest, facts_json: dict, closures: tuple, day_one: bool, trusted: bool
):
    if trusted:
        facts = trusted_facts(facts_json, closures)
    else:
        facts = parse_facts(facts_json)
        facts.setting_closures = closures
    milestones = timeline(facts, count_start_as_day_one=day_one)
    return milestones, facts.today


def clock_for(case: AssessmentRequest, *, today: dt.date | None = None) -> CaseClock:
    """One case's clock (a few queries: for the case page)."""
    today = today or timezone.localdate()
    advice = list(case.advice_requests.select_related("organisation"))
    return _clock(
        case,
        advice=advice,
        exceptions=list(case.exceptions.all()),
        consultations=list(case.consultations.all()),
        letters=list(case.letters.all()),
        today=today,
    )


def _clock(
    case, *, advice, exceptions, consultations, letters, today, area=None, trusted=False
) -> CaseClock:
    area = area or case.area
    try:
        facts_json = facts_dict(
            case,
            advice=advice,
            exceptions=exceptions,
            consultations=consultations,
            letters=letters,
            today=today,
            iso=not trusted,
        )
        milestones, judged_on = _compute(
            case, facts_json, area_closures(area), area.count_start_as_day_one, trusted
        )
    except (FactsError, LookupError, TypeError, ValueError, AttributeError) as error:
        return CaseClock(status="error", error=str(error), today=today)
    return _summarise(milestones, judged_on)


class _Row:
    """A related row as plain attributes: building model instances (and Django's
    per-instance prefetch querysets) costs more than the statutory engine itself."""

    __slots__ = ("__dict__",)

    def __init__(self, **values):
        self.__dict__.update(values)


_ADVICE_FIELDS = (
    "pk",
    "assessment_request_id",
    "kind",
    "received_by_body_on",
    "provided_on",
    "cancelled_on",
    "organisation__kind",
)
_EXCEPTION_FIELDS = (
    "pk",
    "assessment_request_id",
    "advice_request_id",
    "regulation",
    "starts_on",
    "ends_on",
    "reason",
)
_CONSULTATION_FIELDS = ("pk", "assessment_request_id", "sent_on", "answered_on")
_LETTER_FIELDS = ("pk", "assessment_request_id", "kind", "dated_on", "sent_on")
IN_CHUNK = 900  # SQLite's default limit on query parameters is far above this


def _rows(model, fields, case_filter) -> dict[int, list[_Row]]:
    names = [f.replace("organisation__kind", "organisation_kind") for f in fields]
    case_at = names.index("assessment_request_id")
    new = object.__new__
    grouped: dict[int, list[_Row]] = {}
    for values in model.objects.filter(**case_filter).order_by("pk").values_list(*fields):
        row = new(_Row)  # as _Row(**...), without building the dict twice
        row.__dict__ = dict(zip(names, values, strict=True))
        grouped.setdefault(values[case_at], []).append(row)
    return grouped


def clock_data(cases) -> dict[str, dict[int, list]]:
    """Everything the clocks of `cases` need beyond the case rows, in one query per table
    for any number of cases: a QuerySet is used as a subquery; a list is sent by id (in
    chunks of 900, so up to 900 cases is one query per table)."""
    if isinstance(cases, QuerySet):
        filters = [{"assessment_request_id__in": cases.order_by().values("pk")}]
    else:
        ids = [case.pk for case in cases]
        filters = [
            {"assessment_request_id__in": ids[i : i + IN_CHUNK]}
            for i in range(0, len(ids), IN_CHUNK)
        ] or [{"assessment_request_id__in": []}]
    data: dict[str, dict[int, list]] = {}
    for key, model, fields in (
        ("advice", AdviceRequest, _ADVICE_FIELDS),
        ("exceptions", CaseException, _EXCEPTION_FIELDS),
        ("consultations", Consultation, _CONSULTATION_FIELDS),
        ("letters", Letter, _LETTER_FIELDS),
    ):
        merged: dict[int, list] = {}
        for case_filter in filters:
            merged.update(_rows(model, fields, case_filter))
        data[key] = merged
    return data


def clocks_for(
    cases,
    *,
    today: dt.date | None = None,
    source: QuerySet | None = None,
    data: dict | None = None,
    areas: dict | None = None,
) -> dict:
    """{case id: CaseClock} for many cases in a constant number of queries: their areas, and
    one query each for advice, exceptions, consultations and letters. `cases` is a list (or
    a QuerySet); `source`, the QuerySet the list came from, lets the related rows be fetched
    with it as a subquery, so even thousands of cases take the same queries. `data` (from
    `clock_data`) and `areas` ({id: Area}) may be passed by a caller that reads them too."""
    today = today or timezone.localdate()
    cases = list(cases)
    # By subquery when the cases came from a QuerySet (the number of queries never grows
    # with the number of cases), else by id.
    if data is None:
        data = clock_data(source if source is not None else cases)
    if areas is None:
        areas = Area.objects.in_bulk({case.area_id for case in cases}) if cases else {}
    advice, exceptions = data["advice"], data["exceptions"]
    consultations, letters = data["consultations"], data["letters"]
    area_keys = {pk: _area_key(area) for pk, area in areas.items()}
    judged = _JUDGED
    out = {}
    for case in cases:
        pk = case.pk
        case_advice = advice.get(pk, ())
        case_exceptions = exceptions.get(pk, ())
        case_consultations = consultations.get(pk, ())
        case_letters = letters.get(pk, ())
        key = (
            pk,
            _case_facts(case),
            _values(case_advice),
            _values(case_exceptions),
            _values(case_consultations),
            _values(case_letters),
            today,
            area_keys[case.area_id],
        )
        found = judged.get(key)
        if found is None:
            found = _clock(
                case,
                advice=case_advice,
                exceptions=case_exceptions,
                consultations=case_consultations,
                letters=case_letters,
                today=today,
                area=areas[case.area_id],
                trusted=True,
            )
            if len(judged) >= JUDGED_MAX:
                judged.clear()
            judged[key] = found
        out[pk] = found
    return out


# --- Judgements remembered (decision 0265) --------------------------------------------------
#
# The engine's judgement of a case is a function of its facts alone: the case's fields that
# `facts_dict` reads (facts.CASE_FIELDS), its related rows (every column `clock_data` reads),
# the day, and the area's counting rule and setting closures. `clocks_for` remembers each
# judgement under exactly those values, so a list page asks the engine again only about a
# case whose facts changed (or on a new day); any change to any of them is a different key,
# never a stale date. Per process, bounded: emptied when it reaches JUDGED_MAX entries.

JUDGED_MAX = 20_000
_JUDGED: dict[tuple, CaseClock] = {}
_case_facts = operator.attrgetter(*CASE_FIELDS)


def _values(rows) -> tuple:
    """Every column of a case's related rows (`_Row`s from `clock_data`), in their order."""
    return tuple([tuple(row.__dict__.values()) for row in rows])


def _area_key(area) -> tuple:
    return (
        area.pk,
        area.count_start_as_day_one,
        json.dumps(area.setting_closures or [], sort_keys=True),
    )


# --- Dates the services and letters need -----------------------------------------------------


def comments_close(served_on: dt.date) -> dt.date:
    """The last day of the family's 15 days on the draft plan (reg 13(1)): the final plan may
    be issued only after it, unless the family agrees."""
    return deadlines.draft_plan_comments_close(served_on)


def comment_window(case: AssessmentRequest, on: dt.date | None = None) -> dict | None:
    """The family's 15 days on the draft (reg 13(1)), from the statutory engine: the last day,
    days left and whether comments are still open. None before a draft is served.

    The days left count today, as the 15 days count the day the draft was served: 15 on that
    day, 1 on the last day (a family told "0 days left" on a day they may still comment would
    think the chance gone)."""
    if case.draft_plan_served_on is None:
        return None
    on = on or timezone.localdate()
    last_day = comments_close(case.draft_plan_served_on)
    is_open = on <= last_day and case.stage == Stage.DRAFT_PLAN
    return {
        "served_on": case.draft_plan_served_on,
        "last_day": last_day,
        "days_left": (last_day - on).days + 1 if is_open else 0,
        "is_open": is_open,
        "final_issued": case.final_plan_issued_on is not None,
    }


def latest_draft_day(final_plan_due: dt.date) -> dt.date:
    """The last day a draft can be served for the family's 15 days to end before the final
    plan's due day (so the plan can be issued on time without asking them to agree)."""
    window = (comments_close(final_plan_due) - final_plan_due).days + 1
    return final_plan_due - dt.timedelta(days=window)


def consultation_due(sent_on: dt.date, *, area) -> dt.date:
    return deadlines.consultation_due(sent_on, count_start_as_day_one=area.count_start_as_day_one)


def advice_due(received_by_body_on: dt.date, *, area) -> dt.date:
    return deadlines.advice_due(
        received_by_body_on, count_start_as_day_one=area.count_start_as_day_one
    )


def disagreement_dates(letter_dated_on: dt.date) -> dict:
    """The family's dates in a decision letter: contact a mediation adviser within 2 months
    (reg 33); appeal within 2 months of the letter (or 1 month of a mediation certificate, if
    later) (Tribunal rules r.20)."""
    return {
        "mediation_contact_by": deadlines.mediation_contact_due(letter_dated_on),
        "appeal_by": deadlines.appeal_deadline(letter_dated_on),
    }


# --- Breach risk ----------------------------------------------------------------------------


@dataclass(slots=True)
class BreachRisk:
    """An open case that will miss the 6-week decision or the 20-week final plan unless
    something happens. `act_by` is the last day the next step can happen for the limit to be
    met; `days_remaining` counts to it (negative: the limit is already missed)."""

    case: AssessmentRequest
    clock: CaseClock
    limit: str  # "6 weeks" | "20 weeks" (or the re-assessment limits)
    due: dt.date
    act_by: dt.date
    days_remaining: int
    why: str
    missed: bool


def breach_risk(case: AssessmentRequest, clock: CaseClock) -> BreachRisk | None:
    """Will this open case miss its decision or final-plan limit unless something happens?

    - Decision (6 weeks, reg 4-5): not decided and due within DUE_SOON_DAYS (or past).
    - Final plan (20 weeks, reg 13(2)): the final plan may be issued only after the family's
      15 days on the draft (reg 13(1)) unless they agree, so a draft not yet served must be
      served by (due - 15 days); a served draft whose window closes on or after the due day
      needs the family's agreement; otherwise the plan itself is due within DUE_SOON_DAYS.
      Advice still awaited and due after the last day to serve the draft is named.
    Exceptions already applying are not risks (the limit is lifted)."""
    if clock.status == "error":
        return None
    today = clock.today
    decision = clock.milestone("decision_whether_to_assess") or clock.milestone(
        "reassessment_decision"
    )
    if decision is not None and decision.met_on is None and decision.due is not None:
        if decision.status in (PENDING, OVERDUE):
            days = (decision.due - today).days
            if days <= DUE_SOON_DAYS:
                why = (
                    "No decision whether to assess yet"
                    if days >= 0
                    else "The decision whether to assess is late"
                )
                return BreachRisk(
                    case, clock, _limit_label(decision), decision.due, decision.due, days, why,
                    days < 0,
                )  # fmt: skip
        return None
    final = clock.milestone("final_plan") or clock.milestone("reassessment_final_plan")
    if final is None or final.due is None or final.met_on is not None:
        return None
    if final.status not in (PENDING, OVERDUE):
        return None
    due = final.due
    label = _limit_label(final)
    if final.status == OVERDUE:
        return BreachRisk(
            case, clock, label, due, due, (due - today).days, "The final plan is late", True
        )
    served = case.draft_plan_served_on
    if served is None:
        act_by = latest_draft_day(due)
        days = (act_by - today).days
        awaited = [
            m
            for m in clock.milestones
            if m.rule == "advice" and m.met_on is None and m.due is not None and m.due > act_by
        ]
        if days > DUE_SOON_DAYS and not awaited:
            return None
        if days < 0:
            why = (
                "Too late to serve the draft with 15 days before the 20-week date: only the "
                "family's agreement to an earlier final plan avoids a breach"
            )
        elif awaited:
            n = len(awaited)
            why = (
                f"{n} piece{'s' if n != 1 else ''} of advice {'are' if n != 1 else 'is'} due "
                "after the last day to serve the draft"
            )
        else:
            why = "The draft plan must be served soon for the family's 15 days to end in time"
        return BreachRisk(case, clock, label, due, act_by, days, why, False)
    closes = comments_close(served)
    if closes >= due and case.family_agreed_early_issue_on is None:
        return BreachRisk(
            case, clock, label, due, due, (due - today).days,
            "The family's 15 days end after the 20-week date: issue on time only with their "
            "agreement", False,
        )  # fmt: skip
    days = (due - today).days
    if days <= DUE_SOON_DAYS:
        return BreachRisk(case, clock, label, due, due, days, "The final plan is due soon", False)
    return None


SHORT_LABELS = {
    "decision_whether_to_assess": "Decide whether to assess (6 weeks)",
    "notice_not_to_issue": "Draft plan, or notice not to issue (16 weeks)",
    "final_plan": "Final plan (20 weeks)",
    "reassessment_decision": "Decide whether to re-assess (15 days)",
    "reassessment_final_plan": "Plan after re-assessment (14 weeks)",
    "consultation": "Setting answers the consultation (15 days)",
}


def short_label(milestone: Milestone) -> str:
    """A milestone's name for a list: shorter than the engine's label, with the period."""
    return SHORT_LABELS.get(milestone.rule, milestone.label)


def _limit_label(milestone: Milestone) -> str:
    return {
        "decision_whether_to_assess": "6 weeks",
        "final_plan": "20 weeks",
        "reassessment_decision": "15 days (re-assessment)",
        "reassessment_final_plan": "14 weeks (re-assessment)",
    }.get(milestone.key, milestone.label)
