"""Writes to the improvement plan, and the making of the SEND Board pack in the background.
Each write to the plan checks who may make it (the access policy), validates fully, writes in
a transaction and records the change in the action's history.

Nothing here touches a child's record, so the audit log is not involved: the plan's own
history (ActionUpdate) is the record of who changed what."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from everychild.areas.models import Area
from everychild.improvement import boardpack, selectors
from everychild.improvement.models import (
    ActionStatus,
    ActionUpdate,
    BoardPackRun,
    Evidence,
    ImprovementAction,
    Milestone,
    Priority,
    SuccessCriterion,
)
from everychild.improvement.policy import editable_improvement_actions, may_plan_improvement


class StaleUpdate(ValidationError):
    """Someone else updated the action since the form was opened."""


def _history(
    action, actor, note: str = "", changes: dict | None = None, **explained
) -> ActionUpdate:
    update = ActionUpdate(
        action=action, author=actor, note=note, changes=changes or {}, **explained
    )
    update.full_clean()
    update.save()
    return update


def create_priority(*, actor, area, number: int, title: str, description: str = "", source=""):
    if not may_plan_improvement(actor, area.pk):
        raise PermissionDenied("Only the local authority's managers can add priorities.")
    priority = Priority(
        area=area, number=number, title=title, description=description, source=source
    )
    priority.full_clean()
    with transaction.atomic():
        priority.save()
    return priority


def create_action(
    *,
    actor,
    priority: Priority,
    title: str,
    owner_organisation,
    owner,
    starts_on: date,
    due_on: date,
    description: str = "",
    number: int | None = None,
) -> ImprovementAction:
    """Add an action to a priority and name who owns it. Refused (nothing saved) if the due date
    is before the start, or the owner is outside the partnership."""
    if not may_plan_improvement(actor, priority.area_id):
        raise PermissionDenied("Only the local authority's managers can add actions.")
    with transaction.atomic():
        if number is None:
            last = (
                ImprovementAction.objects.select_for_update()
                .filter(priority=priority)
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
            )
            number = (last or 0) + 1
        action = ImprovementAction(
            priority=priority,
            number=number,
            title=title,
            description=description,
            owner_organisation=owner_organisation,
            owner=owner,
            starts_on=starts_on,
            due_on=due_on,
        )
        action.full_clean()
        action.save()
        _history(action, actor, "Action added to the plan.")
    return action


# The fields an owner may change with an update, and how each is shown in the history.
UPDATABLE = ("status", "rag", "due_on")


def _as_text(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def update_action(
    *,
    actor,
    action: ImprovementAction,
    version: int,
    note: str,
    status: str | None = None,
    rag: str | None = None,
    due_on: date | None = None,
    today: date | None = None,
    explanation: str = "",
) -> ImprovementAction:
    """The owner's update: a progress note, and any change of status, RAG rating or due date.
    Only the owning organisation's staff may make it; a form opened before someone else's
    update is refused rather than overwriting it.

    Marking the action completed while a success criterion is measured and not met needs an
    `explanation`: without one the board would read "completed" as "it worked". The
    explanation and the criteria it answers for are kept in the history, with who and when."""
    if not editable_improvement_actions(actor).filter(pk=action.pk).exists():
        raise PermissionDenied("Only the organisation that owns this action can update it.")
    if not (note or "").strip():
        raise ValidationError({"note": "Say what has happened since the last update."})
    with transaction.atomic():
        locked = (
            ImprovementAction.objects.select_for_update()
            .select_related("priority")
            .get(pk=action.pk)
        )
        if locked.version != version:
            raise StaleUpdate(
                "Someone else updated this action after you opened the form. Check their "
                "update, then make yours again.",
                code="stale",
            )
        changes = {}
        for name, value in (("status", status), ("rag", rag), ("due_on", due_on)):
            if value is not None and value != getattr(locked, name):
                changes[name] = [_as_text(getattr(locked, name)), _as_text(value)]
                setattr(locked, name, value)
        unmet = []
        if "status" in changes:
            locked.completed_on = (
                (today or date.today()) if locked.status == ActionStatus.COMPLETED else None
            )
            if locked.completed_on:
                unmet = selectors.unmet_criteria(locked, locked.completed_on)
        explanation = (explanation or "").strip() if unmet else ""
        if unmet and not explanation:
            raise ValidationError({"explanation": _explain_message(unmet)}, code="unexplained")
        locked.version += 1
        locked.full_clean()
        locked.save()
        _history(
            locked,
            actor,
            note.strip(),
            changes,
            explanation=explanation,
            unmet_criteria=[
                {
                    "description": r.criterion.description,
                    "target": r.target_text,
                    "by": r.criterion.target_by.isoformat(),
                    "figure_for": r.figure_for,
                }
                for r in unmet
            ],
        )
    return locked


def _explain_message(unmet) -> str:
    if len(unmet) == 1:
        return (
            f"Explain why the action is complete when its success criterion "
            f"“{unmet[0].criterion.description}” is not met"
        )
    return (
        f"Explain why the action is complete when {len(unmet)} of its success criteria are not met"
    )


def add_success_criterion(
    *, actor, action, description: str, measure_id: str, target, target_by: date
) -> SuccessCriterion:
    if not (
        may_plan_improvement(actor, action.priority.area_id)
        or editable_improvement_actions(actor).filter(pk=action.pk).exists()
    ):
        raise PermissionDenied("You cannot change this action's success criteria.")
    criterion = SuccessCriterion(
        action=action,
        description=description,
        measure_id=measure_id,
        target=target,
        target_by=target_by,
    )
    criterion.full_clean()
    with transaction.atomic():
        criterion.save()
        _history(
            action,
            actor,
            f"Success criterion added: {description} ({target} by {target_by:%-d %B %Y}).",
        )
    return criterion


def add_evidence(*, actor, action, title: str, url: str = "", file=None) -> Evidence:
    if not editable_improvement_actions(actor).filter(pk=action.pk).exists():
        raise PermissionDenied("Only the organisation that owns this action can add evidence.")
    evidence = Evidence(action=action, title=title, url=url or "", added_by=actor)
    if file is not None:
        evidence.file = file
    evidence.full_clean()
    with transaction.atomic():
        evidence.save()
        _history(action, actor, f"Evidence added: {title}.")
    return evidence


def add_milestone(*, actor, action, title: str, due_on: date) -> Milestone:
    if not editable_improvement_actions(actor).filter(pk=action.pk).exists():
        raise PermissionDenied("Only the organisation that owns this action can add milestones.")
    milestone = Milestone(action=action, title=title, due_on=due_on)
    milestone.full_clean()
    with transaction.atomic():
        milestone.save()
        _history(action, actor, f"Milestone added: {title}, due {due_on:%-d %B %Y}.")
    return milestone


def complete_milestone(*, actor, milestone: Milestone, completed_on: date) -> Milestone:
    action = milestone.action
    if not editable_improvement_actions(actor).filter(pk=action.pk).exists():
        raise PermissionDenied("Only the organisation that owns this action can update it.")
    if completed_on > date.today():
        raise ValidationError({"completed_on": "The date cannot be in the future."})
    with transaction.atomic():
        milestone.completed_on = completed_on
        milestone.full_clean()
        milestone.save()
        _history(action, actor, f"Milestone met: {milestone.title}, {completed_on:%-d %B %Y}.")
    return milestone


# --- the SEND Board pack, made in the background ---------------------------------------------


def request_board_pack(*, area: Area, as_at: date, actor) -> BoardPackRun:
    """Record the request and hand it to the task framework once it is committed."""
    if as_at > timezone.localdate():
        raise ValueError("The board pack cannot show figures as at a day in the future.")
    run = BoardPackRun.objects.create(area=area, as_at=as_at, requested_by=actor)
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    # The task module imports this one (its task calls make_board_pack below).
    from everychild.improvement.tasks import make_board_pack

    make_board_pack.enqueue(run_id)


def make_board_pack(run_id: int) -> str:
    """Make the pack for a run; a run already started or finished is left alone, so running
    the task twice makes one pack."""
    claimed = BoardPackRun.objects.filter(pk=run_id, status=BoardPackRun.Status.QUEUED).update(
        status=BoardPackRun.Status.RUNNING, progress=1, step="Starting"
    )
    run = BoardPackRun.objects.select_related("area").get(pk=run_id)
    if not claimed:
        return run.status

    def progress(percent: int, step: str) -> None:
        BoardPackRun.objects.filter(pk=run_id).update(progress=percent, step=step[:120])

    try:
        pack = boardpack.make_board_pack(run.area, on=run.as_at, progress=progress)
    except Exception as error:  # noqa: BLE001 - the person waiting is told; the log has the rest
        BoardPackRun.objects.filter(pk=run_id).update(
            status=BoardPackRun.Status.FAILED,
            error=f"The pack could not be made ({type(error).__name__}). Please try again; "
            "if it fails again, tell the system administrator.",
            finished_at=timezone.now(),
        )
        raise
    BoardPackRun.objects.filter(pk=run_id).update(
        status=BoardPackRun.Status.DONE,
        progress=100,
        step="Ready",
        pdf=pack.pdf,
        pages=pack.pages,
        seconds=round(pack.seconds, 2),
        finished_at=timezone.now(),
    )
    return BoardPackRun.Status.DONE
