"""The data protection officer's pages: subject access exports and the retention policy."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from everychild.access.policy import Capability, requires

from . import retention, selectors, subject_access
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
        },
    )


def _export(request, child_id: int):
    child = selectors.officers_children(request.user).filter(pk=child_id).first()
    if child is None:
        raise Http404("No such child")
    return child, subject_access.build(child, actor=request.user, request=request)


@requires(Capability.DATA_PROTECTION)
def export_json(request, child_id: int):
    child, export = _export(request, child_id)
    response = HttpResponse(export.as_json(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{child.pk}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


@requires(Capability.DATA_PROTECTION)
def export_pdf(request, child_id: int):
    child, export = _export(request, child_id)
    response = HttpResponse(export.as_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{child.pk}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


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
