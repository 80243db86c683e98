"""My tasks: everything due from a caseworker, derived from the legal clock and the records.

Nothing here is stored: a task exists because the records say something is waiting (a
decision not yet made, advice not yet in, a letter not yet made, a family's comments not yet
answered) and its legal date comes from the statutory engine through the clock modules. When
the record changes the task goes; there is no second copy to fall out of step
(docs/decisions/0190-tasks-from-the-records.md).

Casework gives the tasks of its own records. Apps above it (plans: reviews to decide;
families: comments, meetings, preferred schools, messages) register a *source* from their
AppConfig.ready(): a function taking the `Scope` and returning tasks. Every source reads
set-wise (a fixed number of queries however many cases), so the list's query count does not
grow with the caseload.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from everychild.access import audit
from everychild.access.policy import Capability, capabilities, la_area_ids
from everychild.areas.models import Area, DecisionOwner
from everychild.casework import clock, policy
from everychild.casework.models import (
    OPEN_STAGES,
    AdviceRequest,
    Consultation,
    Decision,
    Letter,
    Stage,
)
from everychild.casework.policy import visible_assessment_requests
from everychild.casework.selectors import CaseSummary, summaries
from everychild.core.wording import long_date

#: The panel needs the papers before it meets: a decision is prepared this many days before
#: its legal date (local practice, not law: the law's date is the legal date beside it).
PANEL_PAPERS_DAYS = 7
#: Advice is chased once its 6 weeks (reg 8(1)) have this many days or fewer left.
ADVICE_CHASE_DAYS = clock.DUE_SOON_DAYS
#: A draft is "to send" once all advice is in, or when its last day is this close anyway.
DRAFT_WARNING_DAYS = 14
#: Decision letters are looked for on cases decided within this many days (older decisions
#: without a letter in EveryChild were notified before the service held letters).
LETTER_LOOKBACK_DAYS = 42


@dataclass(frozen=True, slots=True)
class Task:
    """One thing due from someone: what, for which child, by when, and where it is done."""

    kind: str
    case_id: int
    child: str
    child_id: int
    caseworker_id: int | None
    caseworker: str
    legal_date: dt.date | None  # the law's date (None: the law sets none)
    what: str  # what to do, in plain English
    link: str
    act_by: dt.date | None = None  # the last day to act for the legal date to be met
    since: dt.date | None = None  # when it arrived (family items)
    regulation: str = ""
    reference: str = ""

    @property
    def kind_label(self) -> str:
        return KINDS.get(self.kind, self.kind)

    @property
    def due(self) -> dt.date | None:
        """The date it is worked to: the act-by date where there is one."""
        return self.act_by or self.legal_date

    def is_overdue(self, today: dt.date) -> bool:
        return self.legal_date is not None and self.legal_date < today

    def is_late_to_act(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


@dataclass(slots=True)
class Scope:
    """Whose tasks, and what the sources share: the cases (a QuerySet of every stage, to use
    as a subquery), the cases being worked (open or recently decided) as summaries with their
    clocks, and the day."""

    cases: QuerySet
    worked: list[CaseSummary]
    clocks: dict[int, clock.CaseClock]
    today: dt.date
    panel_only: bool = False
    by_id: dict[int, CaseSummary] = field(default_factory=dict)
    clock_rows: dict = field(default_factory=dict)
    areas: dict = field(default_factory=dict)
    # The areas whose decision to issue a plan is this list's to take: where the owner the
    # area's settings name (decision 0192) is one whose tasks the list shows.
    issue_areas: frozenset[int] = frozenset()

    def final_plan_due(self, case_id: int) -> dt.date | None:
        """The 20-week date (reg 13(2)) of a case being worked, from the engine."""
        case_clock = self.clocks.get(case_id)
        if case_clock is None:
            return None
        final = case_clock.milestone("final_plan") or case_clock.milestone(
            "reassessment_final_plan"
        )
        return final.due if final is not None and final.met_on is None else None


Source = Callable[[Scope], Iterable[Task]]

#: kind -> label, in the order the filter lists them.
KINDS: dict[str, str] = {}
_sources: list[Source] = []


def register_source(source: Source, kinds: dict[str, str]) -> None:
    """Add a source of tasks and the kinds it gives (once, however often ready() runs)."""
    for kind, label in kinds.items():
        KINDS.setdefault(kind, label)
    if source not in _sources:
        _sources.append(source)


def child_name(first: str, last: str, preferred: str = "") -> str:
    return f"{preferred or first} {last}"


def _task(case: CaseSummary, kind: str, **values) -> Task:
    return Task(
        kind=kind,
        case_id=case.pk,
        child=case.child_name,
        child_id=case.child_id,
        caseworker_id=case.caseworker_id,
        caseworker=case.caseworker_name,
        reference=case.reference,
        **values,
    )


def _case_link(case_id: int, anchor: str = "") -> str:
    return reverse("casework:case", args=[case_id]) + (f"#{anchor}" if anchor else "")


# --- Casework's own tasks ---------------------------------------------------------------------


def decisions(scope: Scope) -> Iterable[Task]:
    """Requests waiting for the decision whether to assess (reg 4(1), 5(1): 6 weeks; reg 25:
    15 days for a re-assessment). The caseworker prepares it for the panel a week ahead; the
    panel member sees the decision to make."""
    for case in scope.worked:
        if case.stage != Stage.AWAITING_DECISION:
            continue
        case_clock = scope.clocks[case.pk]
        milestone = case_clock.milestone("decision_whether_to_assess") or case_clock.milestone(
            "reassessment_decision"
        )
        if milestone is None or milestone.due is None or milestone.met_on is not None:
            continue
        if scope.panel_only:
            what, act_by = "Decide whether to assess, with reasons", None
        else:
            what = "Prepare the request for the panel's decision whether to assess"
            act_by = milestone.due - dt.timedelta(days=PANEL_PAPERS_DAYS)
        yield _task(
            case,
            "decision",
            legal_date=milestone.due,
            act_by=act_by,
            what=what,
            # The caseworker prepares the papers on the case page; only the panel decides.
            link=reverse("casework:decision", args=[case.pk])
            if scope.panel_only
            else _case_link(case.pk),
            regulation=milestone.regulation,
        )


def issue_decisions(scope: Scope) -> Iterable[Task]:
    """Assessments complete (every piece of advice asked for is in) with no decision yet
    whether to issue a plan (CFA 2014 s.40(2)), for whoever the area names to take it. Its
    legal date is the final plan's 20 weeks (reg 13(2)), the date the panel's agenda orders
    them by; while no draft is served it is to be acted on by week 16, when a decision not
    to issue must have been told to the family (reg 10(1))."""
    advice = scope.clock_rows.get("advice", {})
    for case in scope.worked:
        if (
            case.area_id not in scope.issue_areas
            or case.stage not in (Stage.ASSESSING, Stage.DRAFT_PLAN)
            or case.decision != Decision.ASSESS
            or case.decision_to_issue_on is not None
        ):
            continue
        asked = advice.get(case.pk, ())
        if not asked or any(a.provided_on is None and a.cancelled_on is None for a in asked):
            continue
        case_clock = scope.clocks[case.pk]
        final = case_clock.milestone("final_plan") or case_clock.milestone(
            "reassessment_final_plan"
        )
        if final is None or final.due is None:
            continue
        notice = case_clock.milestone("notice_not_to_issue")
        act_by = (
            notice.due if notice is not None and notice.status in ("pending", "overdue") else None
        )
        yield _task(
            case,
            "issue",
            legal_date=final.due,
            act_by=act_by if act_by is not None and act_by < final.due else None,
            what="Decide whether to issue a plan, with reasons",
            link=reverse("casework:issue-decision", args=[case.pk]),
            regulation="13(2)",
        )


def advice_to_chase(scope: Scope) -> Iterable[Task]:
    """Advice not yet given whose 6 weeks (reg 8(1)) are nearly up or past."""
    cases = scope.by_id
    rows = (
        AdviceRequest.objects.filter(
            assessment_request_id__in=[c.pk for c in scope.worked if c.stage in OPEN_STAGES],
            provided_on__isnull=True,
            cancelled_on__isnull=True,
        )
        .order_by("pk")
        .values_list("assessment_request_id", "kind", "received_by_body_on", "organisation__name")
    )
    labels = dict(AdviceRequest._meta.get_field("kind").choices)
    for case_id, kind, received, organisation in rows:
        case = cases[case_id]
        due = clock.advice_due(received, area=scope.areas[case.area_id])
        if (due - scope.today).days > ADVICE_CHASE_DAYS:
            continue
        late = "it is late" if due < scope.today else "it is due soon"
        yield _task(
            case,
            "advice",
            legal_date=due,
            what=f"Chase {organisation} for the {labels[kind].lower()}: {late}",
            link=_case_link(case_id, "advice"),
            regulation="8(1)",
        )


def drafts_to_send(scope: Scope) -> Iterable[Task]:
    """Assessments with no draft served yet: ready once all advice is in, pressing once the
    last day to serve it (so the family's 15 days, reg 13(1), end before the 20-week date,
    reg 13(2)) is near."""
    for case in scope.worked:
        if case.stage != Stage.ASSESSING or case.draft_plan_served_on is not None:
            continue
        case_clock = scope.clocks[case.pk]
        due = scope.final_plan_due(case.pk)
        if due is None:
            continue
        act_by = clock.latest_draft_day(due)
        awaiting = any(
            m.rule == "advice" and m.met_on is None and m.status in ("pending", "overdue")
            for m in case_clock.milestones
        )
        if awaiting and (act_by - scope.today).days > DRAFT_WARNING_DAYS:
            continue
        what = (
            "Write the draft plan and send it to the family"
            if not awaiting
            else "Send the draft plan soon, with the advice still awaited chased"
        )
        yield _task(
            case,
            "draft",
            legal_date=due,
            act_by=act_by,
            what=what,
            link=reverse("casework:draft", args=[case.pk]),
            regulation="13(2)",
        )


def consultations_waiting(scope: Scope) -> Iterable[Task]:
    """Settings consulted and not yet answered (15 days, Code of Practice 9.83)."""
    rows = (
        Consultation.objects.filter(
            assessment_request_id__in=[c.pk for c in scope.worked if c.stage in OPEN_STAGES],
            answered_on__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "assessment_request_id", "sent_on", "setting__name")
    )
    for pk, case_id, sent_on, setting in rows:
        case = scope.by_id[case_id]
        due = clock.consultation_due(sent_on, area=scope.areas[case.area_id])
        yield _task(
            case,
            "consultation",
            legal_date=due,
            what=f"Record {setting}'s answer to the consultation, or chase it",
            link=reverse("casework:consultation-answer", args=[case_id, pk]),
            regulation="Code of Practice 9.83",
            since=sent_on,
        )


def letters_to_send(scope: Scope) -> Iterable[Task]:
    """A decision recorded and its letter not yet made: the family must be told of the
    decision whether to assess (reg 4(2), 5(1)) and of a decision not to issue (reg 10(1))."""
    letters = scope.clock_rows.get("letters", {})
    for case in scope.worked:
        made = {row.kind for row in letters.get(case.pk, ())}
        case_clock = scope.clocks[case.pk]
        wanted = None
        if case.decision and case.decision_on is not None:
            kind = (
                Letter.Kind.DECISION_TO_ASSESS
                if case.decision == Decision.ASSESS
                else Letter.Kind.DECISION_NOT_TO_ASSESS
            )
            milestone = case_clock.milestone("decision_whether_to_assess") or case_clock.milestone(
                "reassessment_decision"
            )
            if kind not in made and case.decision_on >= scope.today - dt.timedelta(
                days=LETTER_LOOKBACK_DAYS
            ):
                wanted = (kind, milestone.due if milestone else case.decision_on, "5(1)")
        if wanted is None and case.decision_not_to_issue_on is not None:
            kind = Letter.Kind.DECISION_NOT_TO_ISSUE
            if kind not in made:
                milestone = case_clock.milestone("notice_not_to_issue")
                wanted = (
                    kind,
                    milestone.due if milestone else case.decision_not_to_issue_on,
                    "10(1)",
                )
        if wanted is None:
            continue
        kind, legal_date, regulation = wanted
        yield _task(
            case,
            "letter",
            legal_date=legal_date,
            what=f"Make and send the letter: {Letter.Kind(kind).label.lower()}",
            link=_case_link(case.pk, "letters"),
            regulation=regulation,
        )


register_source(decisions, {"decision": "Decision to prepare"})
register_source(issue_decisions, {"issue": "Decision whether to issue"})
register_source(advice_to_chase, {"advice": "Advice to chase"})
register_source(drafts_to_send, {"draft": "Draft plan to send"})
register_source(consultations_waiting, {"consultation": "Consultation waiting"})
register_source(letters_to_send, {"letter": "Letter to send"})


# --- The list ---------------------------------------------------------------------------------

ALL = "all"
UNALLOCATED = "unallocated"


def _scope_cases(user, caseworker) -> tuple[QuerySet, bool, frozenset[str]] | None:
    """The cases whose tasks the user sees: a caseworker their own; a team manager one
    caseworker's, the unallocated, or all of their areas' (caseworker=ALL); the panel the
    requests waiting for its decisions. With them, the owners (decision 0192) whose decisions
    the list shows: a caseworker's list a caseworker's (and, for a manager, a manager's); the
    panel's the panel's. None: no tasks at all."""
    caps = capabilities(user)
    base = visible_assessment_requests(user)
    staff = frozenset({DecisionOwner.CASEWORKER, DecisionOwner.MANAGER})
    if Capability.MANAGE_TEAM in caps and caseworker not in (None, ""):
        areas = la_area_ids(user, Capability.MANAGE_TEAM)
        qs = base.filter(area_id__in=areas)
        if caseworker == UNALLOCATED:
            return qs.filter(caseworker__isnull=True), False, staff
        if caseworker != ALL:
            try:
                qs = qs.filter(caseworker_id=int(caseworker))
            except (TypeError, ValueError):
                return None
        return qs, False, staff
    if Capability.WRITE_CASES in caps:
        return base.filter(caseworker=user), False, staff
    if Capability.DECIDE in caps:
        areas = la_area_ids(user, Capability.DECIDE)
        return base.filter(area_id__in=areas), True, frozenset({DecisionOwner.PANEL})
    return None


def _issue_areas(user, areas: dict, owners: frozenset[str]) -> frozenset[int]:
    """The areas (of those listed) whose decision to issue is the list's: the owner the area
    names is one the list shows, and the user holds that owner's role in the area."""
    held: dict[str, set[int]] = {}
    found = set()
    for area in areas.values():
        owner = area.issue_decided_by
        capability = policy.OWNER_CAPABILITY.get(owner)
        if owner not in owners or capability is None:
            continue
        if owner not in held:
            held[owner] = set(la_area_ids(user, capability))
        if area.pk in held[owner]:
            found.add(area.pk)
    return frozenset(found)


def sort_key(task: Task, today: dt.date) -> tuple:
    """Overdue first (longest overdue first), then by the date worked to; undated last."""
    overdue = task.is_overdue(today)
    due = task.due or dt.date.max
    return (0 if overdue else 1, task.legal_date if overdue else due, task.since or dt.date.max,
            task.case_id, task.kind)  # fmt: skip


def tasks_for(
    user,
    *,
    caseworker=None,
    kind: str = "",
    today: dt.date | None = None,
    request=None,
    audited: bool = True,
) -> list[Task]:
    """Everything due from the user (or, for a team manager, from `caseworker`: an id, ALL or
    UNALLOCATED), ordered by legal date, overdue first. Each child listed is audited as read
    (`audited=False`: the caller shows a page of them and audits that with `audit_tasks`)."""
    today = today or timezone.localdate()
    found = _scope_cases(user, caseworker)
    if found is None:
        return []
    cases, panel_only, owners = found
    recent = today - dt.timedelta(days=LETTER_LOOKBACK_DAYS)
    worked_qs = cases.filter(
        Q(stage__in=OPEN_STAGES)
        | Q(stage=Stage.NOT_ASSESSING, decision_on__gte=recent)
        | Q(stage=Stage.NOT_ISSUING, decision_not_to_issue_on__gte=recent)
    )
    if panel_only:
        # The panel's: the decisions whether to assess, and the assessments whose decision to
        # issue the area gives the panel (the complete ones are picked out with their advice).
        worked_qs = worked_qs.filter(
            Q(stage=Stage.AWAITING_DECISION)
            | Q(
                stage__in=(Stage.ASSESSING, Stage.DRAFT_PLAN),
                decision=Decision.ASSESS,
                decision_to_issue_on__isnull=True,
                area__issue_decided_by=DecisionOwner.PANEL,
            )
        )
    worked = summaries(worked_qs)
    # The cases' related rows by their ids when they fit one query per table (a direct index
    # look-up), else with the cases' query as a subquery: one query per table either way.
    rows = clock.clock_data(worked if len(worked) <= clock.IN_CHUNK else worked_qs)
    areas = Area.objects.in_bulk({case.area_id for case in worked}) if worked else {}
    clocks = clock.clocks_for(worked, today=today, data=rows, areas=areas)
    scope = Scope(
        cases=cases,
        worked=worked,
        clocks=clocks,
        today=today,
        panel_only=panel_only,
        by_id={case.pk: case for case in worked},
        clock_rows=rows,
        areas=areas,
        issue_areas=_issue_areas(user, areas, owners),
    )
    sources = [decisions, issue_decisions] if panel_only else _sources
    tasks: list[Task] = []
    for source in sources:
        tasks.extend(source(scope))
    if kind:
        tasks = [task for task in tasks if task.kind == kind]
    tasks.sort(key=lambda task: sort_key(task, today))
    if audited:
        audit_tasks(user, tasks, request=request)
    return tasks


def audit_tasks(user, tasks: Iterable[Task], *, request=None) -> None:
    """One audit entry per case listed (a child with several tasks on a case is one read)."""
    shown = {(t.child_id, "casework.AssessmentRequest", str(t.case_id)) for t in tasks}
    audit.record_shown(user, sorted(shown), request=request, detail={"list": "tasks"})


def counts(tasks: list[Task], today: dt.date | None = None) -> dict:
    """For the home page: how many are overdue and how many are due within 7 days."""
    today = today or timezone.localdate()
    week = today + dt.timedelta(days=7)
    overdue = sum(1 for t in tasks if t.is_late_to_act(today))
    this_week = sum(1 for t in tasks if not t.is_late_to_act(today) and t.due and t.due <= week)
    return {"total": len(tasks), "overdue": overdue, "this_week": this_week}


def describe_due(task: Task, today: dt.date) -> str:
    """The dates in words, for the page and the API."""
    if task.legal_date is None:
        return f"Sent {long_date(task.since)}" if task.since else "No legal date"
    words = long_date(task.legal_date)
    if task.act_by and task.act_by != task.legal_date:
        words = f"{words} (act by {long_date(task.act_by)})"
    return words
