"""A school's or setting's pages for its SENCO: make a request for an EHC needs assessment and
see where each of the setting's requests is, on the case's statutory clock. Thin: reads through
casework's school-request selectors, writes through casework's request service. A request that
is not the user's setting's is "not found" (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from everychild.access import audit
from everychild.access.policy import Capability, requires
from everychild.casework import school_requests as selectors
from everychild.casework import services
from everychild.casework.models import SchoolRequest
from everychild.children.policy import visible_children
from everychild.core.forms import apply_errors
from everychild.schools import forms


def _setting_or_404(request):
    setting = selectors.requesting_settings(request.user).first()
    if setting is None:
        raise Http404("You make requests for no setting")
    return setting


@requires(Capability.REQUEST_ASSESSMENT)
def requests_list(request):
    setting = _setting_or_404(request)
    rows = selectors.setting_requests(request.user, request=request)
    return render(request, "schools/requests.html", {"setting": setting, "rows": rows})


@requires(Capability.REQUEST_ASSESSMENT)
def new_request(request):
    setting = _setting_or_404(request)
    pupils = (
        visible_children(request.user)
        .filter(current_setting=setting)
        .order_by("last_name", "first_name")
    )
    form = forms.SchoolRequestForm(request.POST or None, request.FILES or None, pupils=pupils)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.record_school_request(
                actor=request.user,
                setting=setting,
                child=data["pupil"],
                child_details={
                    key: data.get(key)
                    for key in ("first_name", "last_name", "date_of_birth", "upn", "postcode")
                },
                reason=data["reason"],
                consent_given_by=data["consent_given_by"],
                consent_given_on=data["consent_given_on"],
                family_views=data["family_views"],
                child_views=data["child_views"],
                evidence=form.evidence_values(),
                documents=form.uploads(),
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                f"Your request has been sent to the council. Its reference is {case.reference}.",
            )
            return redirect("schools:request", case.school_request.pk)
    elif request.method != "POST":
        audit.record_shown(
            request.user,
            ((child.pk, "children.Child", str(child.pk)) for child in pupils),
            request=request,
            detail={"list": "setting_pupils_for_request"},
        )
    return render(request, "schools/new_request.html", {"setting": setting, "form": form})


@requires(Capability.REQUEST_ASSESSMENT)
def request_detail(request, school_request_id: int):
    try:
        context = selectors.school_request_for(request.user, school_request_id, request=request)
    except SchoolRequest.DoesNotExist:
        raise Http404("No request found") from None
    return render(request, "schools/request.html", context)
