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
from everychild.support import selectors as support_selectors
from everychild.support import services as support_services
from everychild.support.models import SupportPlan


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


def _support_plan(request, setting):
    """The support plan the request starts from (?support_plan= or the posted field), with the
    request it pre-fills; (None, None) for a request not made from a plan. A plan that is not
    one of the setting's pupils' open plans is "not found"."""
    plan_id = request.POST.get("support_plan") or request.GET.get("support_plan")
    if not plan_id:
        return None, None
    try:
        return support_selectors.request_draft(request.user, plan_id, setting, request=request)
    except SupportPlan.DoesNotExist:
        raise Http404("No support plan found") from None


@requires(Capability.REQUEST_ASSESSMENT)
def new_request(request):
    setting = _setting_or_404(request)
    plan, draft = _support_plan(request, setting)
    pupils = (
        visible_children(request.user)
        .filter(current_setting=setting)
        .order_by("last_name", "first_name")
    )
    initial = {}
    rows = forms.evidence_row_count(request.POST)
    if plan is not None:
        # The request is for the plan's child: the only pupil offered.
        pupils = pupils.filter(pk=plan.child_id)
        steps = draft["evidence"][-(forms.MAX_EVIDENCE_ROWS - 1) :]
        draft["evidence"] = steps
        initial = forms.initial_from_support(draft)
        if request.method != "POST":
            rows = max(forms.EVIDENCE_ROWS, len(steps) + 1)
    form = forms.SchoolRequestForm(
        request.POST or None, request.FILES or None, pupils=pupils, rows=rows, initial=initial
    )
    if plan is not None:
        form.fields["pupil"].empty_label = None  # the plan's child, not "not listed"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "reason": data["reason"],
            "consent_given_by": data["consent_given_by"],
            "consent_given_on": data["consent_given_on"],
            "family_views": data["family_views"],
            "child_views": data["child_views"],
            "evidence": form.evidence_values(),
            "documents": form.uploads(),
            "request": request,
        }
        try:
            if plan is not None:
                case = support_services.request_from_plan(
                    actor=request.user, plan=plan, setting=setting, **fields
                )
            else:
                case = services.record_school_request(
                    actor=request.user,
                    setting=setting,
                    child=data["pupil"],
                    child_details={
                        key: data.get(key)
                        for key in ("first_name", "last_name", "date_of_birth", "upn", "postcode")
                    },
                    **fields,
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
    from_plans = (
        []
        if plan is not None
        else list(support_selectors.plans_to_request_from(request.user, setting))
    )
    return render(
        request,
        "schools/new_request.html",
        {"setting": setting, "form": form, "support_plan": plan, "from_plans": from_plans},
    )


@requires(Capability.REQUEST_ASSESSMENT)
def request_detail(request, school_request_id: int):
    try:
        context = selectors.school_request_for(request.user, school_request_id, request=request)
    except SchoolRequest.DoesNotExist:
        raise Http404("No request found") from None
    return render(request, "schools/request.html", context)
