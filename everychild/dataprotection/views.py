"""The data protection officer's pages: subject access exports and the retention policy."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import Capability, requires
from everychild.core.models import JobRun

from . import exports, retention, selectors
from .forms import AnonymiseForm, ChildSearchForm
from .tasks import anonymise_due_records


@requires(Capability.DATA_PROTECTION)
def home(request):
    form = ChildSearchForm(request.GET or None)
    found = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        found = selectors.find_children(
            request.user,
            upn=data.get("upn", ""),
            last_name=data.get("last_name", ""),
            date_of_birth=data.get("date_of_birth"),
            request=request,
        )
    return render(
        request,
        "dataprotection/home.html",
        {
            "form": form,
            "found": found,
            "report": retention.report(timezone.localdate()),
            "anonymise_form": AnonymiseForm(),
            "exports": _recent_exports(request),
        },
    )


def _recent_exports(request) -> list[tuple[JobRun, object]]:
    """The last exports made in the officer's areas, each with its child (each child listed is
    audited: their name is shown)."""
    runs = list(exports.officers_runs(request.user)[:10])
    children = selectors.officers_children(request.user).in_bulk(
        {run.params.get("child") for run in runs}
    )
    listed = [
        (run, children[run.params["child"]]) for run in runs if run.params.get("child") in children
    ]
    if listed:
        audit.record_shown(
            request.user,
            [(child.pk, "children.Child", str(child.pk)) for _, child in listed],
            request=request,
            reason="Subject access exports listed",
        )
    return listed


@requires(Capability.DATA_PROTECTION)
@require_POST
def export_start(request, child_id: int):
    """Make a child's export in the background (it can take longer than a request may); a
    second press while it is being made shows the same run."""
    child = selectors.officers_children(request.user).filter(pk=child_id).first()
    if child is None:
        raise Http404("No such child")
    run, _started = exports.request_export(actor=request.user, child=child)
    return redirect("dataprotection:export-run", run_id=run.pk)


def _run(request, run_id: int) -> JobRun:
    run = exports.officers_runs(request.user).filter(pk=run_id).first()
    if run is None:
        raise Http404("No such export")
    return run


@requires(Capability.DATA_PROTECTION)
def export_run(request, run_id: int):
    """How far an export has got (no script needed), then where to download it."""
    run = _run(request, run_id)
    child = selectors.officers_children(request.user).filter(pk=run.params["child"]).first()
    if child is None:
        raise Http404("No such export")
    audit.record(
        action=AuditAction.VIEW,
        actor=request.user,
        child=child,
        record=child,
        request=request,
        reason="Subject access export",
    )
    return render(request, "dataprotection/export_run.html", {"run": run, "child": child})


def _download(request, run_id: int, form: str, content_type: str):
    run = _run(request, run_id)
    if run.status != JobRun.Status.DONE or not (run.result or {}).get(form):
        raise Http404("This export is not ready")
    child, kept = exports.open_kept(actor=request.user, run=run, form=form, request=request)
    response = FileResponse(kept, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="subject-access-{child.pk}.{form}"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Capability.DATA_PROTECTION)
def export_json(request, run_id: int):
    return _download(request, run_id, "json", "application/json; charset=utf-8")


@requires(Capability.DATA_PROTECTION)
def export_pdf(request, run_id: int):
    return _download(request, run_id, "pdf", "application/pdf")


@requires(Capability.DATA_PROTECTION)
@require_POST
def anonymise(request):
    form = AnonymiseForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "dataprotection/home.html",
            {
                "form": ChildSearchForm(),
                "found": None,
                "report": retention.report(timezone.localdate()),
                "anonymise_form": form,
            },
        )
    anonymise_due_records.enqueue(request.user.pk)
    messages.success(
        request,
        "The records past their retention date are being made anonymous. The figures below "
        "show the progress.",
    )
    return redirect("dataprotection:home")
