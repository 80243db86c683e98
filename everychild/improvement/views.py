"""The improvement plan's pages: the plan, an action (its criteria, milestones, evidence and
history), the owner's update, evidence, milestones and success criteria, the overdue actions,
the progress report for a meeting with the DfE's adviser, and the SEND Board pack (asked for,
followed while it is made, downloaded). Thin: reads are selectors, writes are services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from everychild.access.policy import Capability, requires, work_area
from everychild.core.dates import today
from everychild.core.forms import apply_errors as _apply_errors
from everychild.improvement import selectors, services
from everychild.improvement.forms import (
    ActionForm,
    ActionUpdateForm,
    BoardPackForm,
    EvidenceForm,
    MeetingForm,
    MilestoneForm,
    SuccessCriterionForm,
)
from everychild.improvement.models import BoardPackRun, Evidence, Milestone, Priority
from everychild.performance import selectors as performance


def _area(request):
    return work_area(request.user, refusal="Your account is not linked to a local area.")


def _action_or_404(request, action_id: int):
    action = selectors.action_for(request.user, action_id)
    if action is None:
        # Not found whether it does not exist or is another organisation's.
        raise Http404("No such action")
    return action


def _editable_or_403(request, action):
    if not selectors.may_update(request.user, action):
        raise PermissionDenied("Only the organisation that owns this action can change it.")


@requires(Capability.IMPROVEMENT)
def plan(request):
    area = _area(request)
    today = timezone.localdate()
    return render(
        request,
        "improvement/plan.html",
        {
            "area": area,
            "priorities": selectors.plan(request.user, area),
            "overdue_count": len(selectors.overdue(request.user, area, today)),
            "today": today,
            "may_plan": selectors.may_plan(request.user, area),
        },
    )


@requires(Capability.IMPROVEMENT)
def overdue(request):
    area = _area(request)
    today = timezone.localdate()
    return render(
        request,
        "improvement/overdue.html",
        {"area": area, "actions": selectors.overdue(request.user, area, today), "today": today},
    )


@requires(Capability.IMPROVEMENT)
def action_detail(request, action_id: int):
    action = _action_or_404(request, action_id)
    today = timezone.localdate()
    return render(
        request,
        "improvement/action.html",
        {
            "action": action,
            "criteria": _criteria(request, action),
            "completion": selectors.completion(action),
            "sees_figures": performance.may_see_aggregates(request.user),
            "today": today,
            "may_update": selectors.may_update(request.user, action),
            "may_plan": selectors.may_plan(request.user, action.priority.area),
        },
    )


def _criteria(request, action):
    if not action.success_criteria.all():
        return []  # no figures to make
    data = performance.load(action.priority.area, on=timezone.localdate())
    return selectors.criteria_results(request.user, action, data)


@requires(Capability.IMPROVEMENT)
def action_update(request, action_id: int):
    action = _action_or_404(request, action_id)
    _editable_or_403(request, action)
    initial = {
        "status": action.status,
        "rag": action.rag,
        "due_on": action.due_on,
        "version": action.version,
    }
    # Bound on every POST, even an empty one, so that nothing sent is told what is missing.
    form = ActionUpdateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_action(
                actor=request.user,
                action=action,
                version=data["version"],
                note=data["note"],
                status=data["status"],
                rag=data["rag"],
                due_on=data["due_on"],
                today=timezone.localdate(),
                explanation=data["explanation"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Action {action.reference} has been updated.")
            return redirect("improvement:action", action_id=action.pk)
    criteria = _criteria(request, action)
    return render(
        request,
        "improvement/update.html",
        {
            "action": action,
            "form": form,
            "criteria": criteria,
            # The explanation is asked for where completing would need it (or it was missed).
            "ask_explanation": "explanation" in form.errors
            or any(r.standing == selectors.Standing.NOT_MET for r in criteria),
            "sees_figures": performance.may_see_aggregates(request.user),
        },
    )


@requires(Capability.IMPROVEMENT)
def evidence_add(request, action_id: int):
    action = _action_or_404(request, action_id)
    _editable_or_403(request, action)
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_evidence(
                actor=request.user,
                action=action,
                title=form.cleaned_data["title"],
                url=form.cleaned_data["url"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The evidence has been added.")
            return redirect("improvement:action", action_id=action.pk)
    return render(
        request,
        "improvement/form.html",
        {
            "action": action,
            "form": form,
            "heading": "Add evidence",
            "button": "Add evidence",
            "multipart": True,
        },
    )


@requires(Capability.IMPROVEMENT)
def evidence_download(request, evidence_id: int):
    evidence = Evidence.objects.select_related("action").filter(pk=evidence_id).first()
    if evidence is None or not evidence.file:
        raise Http404("No such evidence")
    _action_or_404(request, evidence.action_id)  # the same rule as the action itself
    return FileResponse(evidence.file.open("rb"), as_attachment=True)


@requires(Capability.IMPROVEMENT)
def milestone_add(request, action_id: int):
    action = _action_or_404(request, action_id)
    _editable_or_403(request, action)
    form = MilestoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_milestone(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The milestone has been added.")
            return redirect("improvement:action", action_id=action.pk)
    return render(
        request,
        "improvement/form.html",
        {"action": action, "form": form, "heading": "Add a milestone", "button": "Add milestone"},
    )


@requires(Capability.IMPROVEMENT)
def milestone_complete(request, action_id: int, milestone_id: int):
    action = _action_or_404(request, action_id)
    _editable_or_403(request, action)
    milestone = Milestone.objects.filter(pk=milestone_id, action=action).first()
    if milestone is None:
        raise Http404("No such milestone")
    if request.method != "POST":
        raise PermissionDenied("Use the button on the action's page.")
    services.complete_milestone(
        actor=request.user, milestone=milestone, completed_on=timezone.localdate()
    )
    messages.success(request, f"“{milestone.title}” is marked as met.")
    return redirect("improvement:action", action_id=action.pk)


@requires(Capability.IMPROVEMENT)
def criterion_add(request, action_id: int):
    action = _action_or_404(request, action_id)
    if not (
        selectors.may_update(request.user, action)
        or selectors.may_plan(request.user, action.priority.area)
    ):
        raise PermissionDenied("You cannot change this action's success criteria.")
    form = SuccessCriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_success_criterion(actor=request.user, action=action, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The success criterion has been added.")
            return redirect("improvement:action", action_id=action.pk)
    return render(
        request,
        "improvement/form.html",
        {
            "action": action,
            "form": form,
            "heading": "Add a success criterion",
            "button": "Add success criterion",
        },
    )


@requires(Capability.IMPROVEMENT)
def action_add(request):
    area = _area(request)
    if not selectors.may_plan(request.user, area):
        raise PermissionDenied("Only the local authority's managers can add actions.")
    priorities = Priority.objects.filter(area=area).order_by("number")
    form = ActionForm(request.POST or None, area=area, priorities=priorities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.create_action(
                actor=request.user,
                priority=data["priority"],
                title=data["title"],
                description=data["description"],
                owner_organisation=data["owner_organisation"],
                owner=data["owner"].user,
                starts_on=data["starts_on"],
                due_on=data["due_on"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Action {action.reference} has been added.")
            return redirect("improvement:action", action_id=action.pk)
    return render(
        request,
        "improvement/form.html",
        {"form": form, "heading": "Add an action to the plan", "button": "Add action"},
    )


@requires(Capability.IMPROVEMENT)
def progress_report(request):
    area = _area(request)
    today = timezone.localdate()
    # Asked by GET (the report is a view of the plan, not a change to it): the form is bound
    # only once a date has been sent, so the first visit shows no error.
    form = MeetingForm(request.GET if MeetingForm.sent(request.GET) else None)
    meeting_on = form.cleaned_data["meeting"] if form.is_bound and form.is_valid() else None
    report = selectors.progress_report(request.user, area, meeting_on) if meeting_on else None
    return render(
        request,
        "improvement/report.html",
        {
            "area": area,
            "report": report,
            "form": form,
            "today": today,
        },
    )


# --- the SEND Board pack (at /performance/board-pack/, where the dashboard asks for it) ------


def _board_pack_runs(area):
    return BoardPackRun.objects.filter(area=area).select_related("requested_by").defer("pdf")


@requires(Capability.SEE_AGGREGATES)
def board_pack(request):
    """Ask for the SEND Board pack: it is made in the background while a page shows how far
    it has got, and the packs made lately are listed to download again."""
    area = _area(request)
    if request.method == "POST":
        form = BoardPackForm(request.POST)
        if form.is_valid():
            run = services.request_board_pack(
                area=area, as_at=form.cleaned_data["date"], actor=request.user
            )
            return redirect("board-pack:run", run_id=run.pk)
    else:
        form = BoardPackForm(initial={"date": today()})
    runs = _board_pack_runs(area)[:10]
    return render(request, "improvement/board_packs.html", {"form": form, "runs": runs})


@requires(Capability.SEE_AGGREGATES)
def board_pack_run(request, run_id: int):
    run = get_object_or_404(_board_pack_runs(_area(request)), pk=run_id)
    return render(request, "improvement/board_pack_run.html", {"run": run})


@requires(Capability.SEE_AGGREGATES)
def board_pack_status(request, run_id: int):
    """How far a pack has got, for the page's script to show without reloading."""
    run = get_object_or_404(_board_pack_runs(_area(request)), pk=run_id)
    return JsonResponse(
        {
            "status": run.status,
            "status_text": run.get_status_display(),
            "progress": run.progress,
            "step": run.step,
            "error": run.error,
            "download": reverse("board-pack:pdf", args=[run.pk])
            if run.status == BoardPackRun.Status.DONE
            else "",
        }
    )


@requires(Capability.SEE_AGGREGATES)
def board_pack_pdf(request, run_id: int):
    run = get_object_or_404(
        BoardPackRun.objects.filter(area=_area(request), status=BoardPackRun.Status.DONE),
        pk=run_id,
    )
    response = HttpResponse(bytes(run.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{run.filename}"'
    return response
