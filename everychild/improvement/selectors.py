"""Reads of the improvement plan, each through the access policy's selectors: the board sees
every action of its area's plan; a partner organisation sees its own."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, OuterRef, Prefetch, Subquery, TextField, Value, When

from everychild.improvement.models import (
    ActionStatus,
    ActionUpdate,
    Evidence,
    ImprovementAction,
    Priority,
    SuccessCriterion,
)
from everychild.improvement.policy import (
    editable_improvement_actions,
    may_plan_improvement,
    visible_improvement_actions,
)
from everychild.performance import measures, periods
from everychild.performance import selectors as performance
from everychild.performance.dataset import AreaData
from everychild.performance.measures import Measure
from everychild.performance.selectors import TargetPoint
from everychild.performance.suppression import shown

# Monitoring meetings with the DfE's SEND adviser: evidence is due two weeks before
# (DOMAIN.md section 7).
EVIDENCE_DUE_BEFORE = timedelta(weeks=2)
DUE_SOON = timedelta(weeks=8)


def action_for(user, action_id: int) -> ImprovementAction | None:
    """The action if the user may see it, with everything its page shows; else None."""
    return (
        visible_improvement_actions(user)
        .select_related("priority", "owner_organisation", "owner")
        .prefetch_related(
            "success_criteria",
            "milestones",
            Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")),
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("author")),
        )
        .filter(pk=action_id)
        .first()
    )


def may_update(user, action: ImprovementAction) -> bool:
    return editable_improvement_actions(user).filter(pk=action.pk).exists()


def may_plan(user, area) -> bool:
    return area is not None and may_plan_improvement(user, area.pk)


def _actions(user, area):
    return (
        visible_improvement_actions(user)
        .filter(priority__area=area)
        .select_related("priority", "owner_organisation", "owner")
    )


def _with_completion(actions):
    """Each action with `completion_explanation`: for a completed action, the explanation on
    the update that completed it (the latest, if reopened and completed again), which is there
    exactly when a criterion was not met; "" or None otherwise. A list reads "Completed" with
    it, so the board does not take "completed" for "it worked". One subquery, however many
    actions (the same update `completion` finds among prefetched ones)."""
    completing = ActionUpdate.objects.filter(
        action=OuterRef("pk"), changes__status__1=ActionStatus.COMPLETED
    ).order_by("-at", "-pk")
    return actions.annotate(
        completion_explanation=Case(
            When(
                status=ActionStatus.COMPLETED,
                then=Subquery(completing.values("explanation")[:1]),
            ),
            default=Value(""),
            output_field=TextField(),
        )
    )


@dataclass
class PriorityView:
    priority: Priority
    actions: list[ImprovementAction] = field(default_factory=list)


def plan(user, area) -> list[PriorityView]:
    """The priorities of the area's plan, each with the actions the user may see."""
    by_priority: dict[int, PriorityView] = {}
    for priority in Priority.objects.filter(area=area).order_by("number"):
        by_priority[priority.pk] = PriorityView(priority)
    for action in _with_completion(_actions(user, area)).prefetch_related("success_criteria"):
        by_priority[action.priority_id].actions.append(action)
    return [view for view in by_priority.values() if view.actions or may_plan(user, area)]


def overdue(user, area, today: date) -> list[ImprovementAction]:
    return list(
        _actions(user, area)
        .exclude(status=ActionStatus.COMPLETED)
        .filter(due_on__lt=today)
        .order_by("due_on", "priority__number", "number")
    )


def due_soon(user, area, today: date, within: timedelta = DUE_SOON) -> list[ImprovementAction]:
    return list(
        _actions(user, area)
        .exclude(status=ActionStatus.COMPLETED)
        .filter(due_on__gte=today, due_on__lte=today + within)
        .order_by("due_on", "priority__number", "number")
    )


def trajectory(area, measure_id: str) -> list[TargetPoint]:
    """The targets the plan sets for a measure, in date order: the trajectory the dashboard
    draws and rates the measure against. (Targets describe the service, not a child, and are
    the same for everyone who sees the measure.)"""
    points: dict[date, TargetPoint] = {}
    criteria = SuccessCriterion.objects.filter(
        action__priority__area=area, measure_id=measure_id
    ).order_by("target_by", "pk")
    for criterion in criteria:
        # Two targets for the same day: the later one written stands.
        points[criterion.target_by] = TargetPoint(
            criterion.target_by, float(criterion.target), criterion.description
        )
    return [points[d] for d in sorted(points)]


def trajectories(area) -> dict[str, list[TargetPoint]]:
    out: dict[str, dict[date, TargetPoint]] = {}
    criteria = SuccessCriterion.objects.filter(action__priority__area=area).order_by(
        "target_by", "pk"
    )
    for c in criteria:
        out.setdefault(c.measure_id, {})[c.target_by] = TargetPoint(
            c.target_by, float(c.target), c.description
        )
    return {m: [points[d] for d in sorted(points)] for m, points in out.items()}


@dataclass
class ReportLine:
    action: ImprovementAction
    overdue_at_meeting: bool
    latest_update: ActionUpdate | None
    evidence_in_time: list[Evidence]
    evidence_late: list[Evidence]
    milestones_due: list
    needs_evidence: bool


@dataclass
class ProgressReport:
    meeting_on: date
    evidence_due_on: date
    lines: list[tuple[Priority, list[ReportLine]]]

    @property
    def actions_without_evidence(self) -> int:
        return sum(1 for _, lines in self.lines for line in lines if line.needs_evidence)


def progress_report(user, area, meeting_on: date) -> ProgressReport:
    """For a monitoring meeting with the DfE's SEND adviser: every action the user sees, its
    status and latest update, the evidence given by the deadline (two weeks before) and after
    it, milestones due by the meeting, and the actions still without evidence."""
    evidence_due_on = meeting_on - EVIDENCE_DUE_BEFORE
    actions = (
        _with_completion(_actions(user, area))
        .filter(starts_on__lte=meeting_on)
        .prefetch_related(
            "milestones",
            Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")),
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("author")),
        )
        .order_by("priority__number", "number")
    )
    grouped: dict[int, tuple[Priority, list[ReportLine]]] = {}
    for action in actions:
        evidence = list(action.evidence.all())
        in_time = [e for e in evidence if e.added_at.date() <= evidence_due_on]
        late = [e for e in evidence if e.added_at.date() > evidence_due_on]
        updates = [u for u in action.updates.all() if u.at.date() <= meeting_on]
        line = ReportLine(
            action=action,
            overdue_at_meeting=action.status != ActionStatus.COMPLETED
            and action.due_on < meeting_on,
            latest_update=updates[0] if updates else None,
            evidence_in_time=in_time,
            evidence_late=late,
            milestones_due=[m for m in action.milestones.all() if m.due_on <= meeting_on],
            needs_evidence=not in_time,
        )
        grouped.setdefault(action.priority_id, (action.priority, []))[1].append(line)
    return ProgressReport(meeting_on, evidence_due_on, list(grouped.values()))


# --- whether a success criterion is met ------------------------------------------------------
# A criterion is judged on its measure's latest figure: a flow measure over the last 3 months to
# the day (the board pack's period, so the action page and the pack say the same), a stock
# measure on the day itself. Met means on or better than the target, in the measure's own
# direction; the target's date says when it should be met, not whether it is.

CRITERION_MONTHS = 3


class Standing:
    MET = "met"
    NOT_MET = "not_met"
    NOT_MEASURED = "not_measured"


STANDING_TEXT = {
    Standing.MET: "Met",
    Standing.NOT_MET: "Not met",
    Standing.NOT_MEASURED: "Not yet measured",
}


@dataclass(frozen=True)
class CriterionResult:
    criterion: SuccessCriterion
    measure: Measure | None
    standing: str
    # The figure as this reader may see it: small numbers withheld for those who may not open
    # the records behind it, "" for those who see no figures at all (the judgement still shows).
    figure_text: str
    # The days the figure is for, in words: "the last 3 months, 8 September 2026 to 7 December
    # 2026" or "7 December 2026"; "" when there is no figure.
    figure_for: str
    # Why there is no figure, when there is none.
    reason: str = ""

    @property
    def standing_text(self) -> str:
        return STANDING_TEXT[self.standing]

    @property
    def target_text(self) -> str:
        target = float(self.criterion.target)
        return self.measure.format(target) if self.measure else f"{target:g}"


def judge(
    criterion: SuccessCriterion, data: AreaData, *, suppress: bool, sees_figures: bool = True
) -> CriterionResult:
    """Whether a criterion is met by its measure's figure as at the data's day."""
    try:
        measure = measures.get(criterion.measure_id)
    except KeyError:
        return CriterionResult(
            criterion, None, Standing.NOT_MEASURED, "", "", "The measure no longer exists."
        )
    period = periods.last_months(data.today, CRITERION_MONTHS)
    figure = measure.cached_figure(data, period)
    if figure.value is None:
        reason = figure.not_counted or "There is no figure for these days yet."
        return CriterionResult(criterion, measure, Standing.NOT_MEASURED, "", "", reason)
    # Judged on the true figure, as the dashboard rates it: the words say only whether the
    # target is met, never the number behind a withheld figure.
    met = performance.rag(measure, figure.value, float(criterion.target)) == "green"
    seen = shown(figure, measure.unit, measure.aggregate, suppress=suppress)
    on_day = period.state_day(data.today)
    return CriterionResult(
        criterion,
        measure,
        Standing.MET if met else Standing.NOT_MET,
        performance.figure_text(measure, seen) if sees_figures else "",
        f"{on_day:%-d %B %Y}" if measure.kind == "stock" else period.name,
    )


def criteria_results(user, action: ImprovementAction, data: AreaData) -> list[CriterionResult]:
    """The action's criteria as this reader sees them judged. Figures only: no child's record is
    read out, so nothing is audited (as on the dashboard)."""
    area = action.priority.area
    sees_figures = performance.may_see_aggregates(user)
    return [
        judge(
            c,
            data,
            suppress=_suppressed(user, area, c.measure_id),
            sees_figures=sees_figures,
        )
        for c in action.success_criteria.all()
    ]


def _suppressed(user, area, measure_id: str) -> bool:
    try:
        return performance.suppressed_for(user, area, measures.get(measure_id))
    except KeyError:
        return True


def unmet_criteria(action: ImprovementAction, on: date) -> list[CriterionResult]:
    """The action's criteria measured and not met as at a day: what completing it must
    explain (services.update_action)."""
    data = performance.load(action.priority.area, on=on)
    results = (judge(c, data, suppress=True) for c in action.success_criteria.all())
    return [r for r in results if r.standing == Standing.NOT_MET]


def completion(action: ImprovementAction) -> ActionUpdate | None:
    """The update that marked the action completed (the latest one, if it was reopened and
    completed again), which holds any explanation of criteria not met; None if not completed."""
    if action.status != ActionStatus.COMPLETED:
        return None
    for update in action.updates.all():  # newest first
        if update.changes.get("status", [None, None])[1] == ActionStatus.COMPLETED:
            return update
    return None


# --- the board's view, for the board pack ----------------------------------------------------
# The SEND Board sees the whole plan (and nothing about any child), so the pack, which is made
# for the board, lists every action of the area's plan.


def board_actions(area) -> list[ImprovementAction]:
    return list(
        ImprovementAction.objects.filter(priority__area=area)
        .select_related("priority", "owner_organisation", "owner")
        .order_by("priority__number", "number")
    )


@dataclass
class CompletedLine:
    action: ImprovementAction
    criteria: list[CriterionResult]
    completion: ActionUpdate | None

    @property
    def unmet(self) -> list[CriterionResult]:
        return [r for r in self.criteria if r.standing == Standing.NOT_MET]


def board_completed(area, data: AreaData) -> list[CompletedLine]:
    """The actions completed by the data's day, each criterion judged on the figures as at that
    day (small numbers withheld, as the board sees them), with the explanation given for any
    criterion not met when it was completed: "completed" in the pack means what it means on
    the action's page."""
    actions = (
        ImprovementAction.objects.filter(
            priority__area=area, status=ActionStatus.COMPLETED, completed_on__lte=data.today
        )
        .select_related("priority", "owner_organisation", "owner")
        .prefetch_related(
            "success_criteria",
            Prefetch("updates", queryset=ActionUpdate.objects.select_related("author")),
        )
        .order_by("priority__number", "number")
    )
    return [
        CompletedLine(
            action,
            [judge(c, data, suppress=True) for c in action.success_criteria.all()],
            completion(action),
        )
        for action in actions
    ]


def board_overdue(area, on: date) -> list[ImprovementAction]:
    return [a for a in board_actions(area) if a.is_overdue(on)]


def board_due_soon(area, on: date, within: timedelta = DUE_SOON) -> list[ImprovementAction]:
    return sorted(
        (
            a
            for a in board_actions(area)
            if a.status != ActionStatus.COMPLETED and on <= a.due_on <= on + within
        ),
        key=lambda a: a.due_on,
    )
