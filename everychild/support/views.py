"""SEN support pages: a SENCO's list, a child's support plan and its cycles, and the area's
ordinarily available provision (public)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from everychild.access.policy import (
    Action,
    Capability,
    has_capability,
    la_area_ids,
    may,
    organisation_ids,
    public,
    requires,
)
from everychild.areas.models import Area
from everychild.core.dates import today
from everychild.core.forms import apply_errors
from everychild.plans import quality
from everychild.support import forms, selectors, services, transfer
from everychild.support.models import (
    BroadArea,
    Consultation,
    OutcomeResult,
    ProvisionOffer,
    SupportPlan,
)
from everychild.support.policy import writable_setting_ids
from everychild.support.thread import as_plan_sections, normalised

# The plan quality rules that read what a support plan holds (A, B, E, F): the same rules as
# an EHC plan's, so an EHC plan can start from a support plan that passes them.
QUALITY_RULES = (
    quality.vague_provision,
    quality.unquantified_provision,
    quality.provision_without_deliverer,
    quality.provision_without_outcome,
    quality.outcome_without_need,
    quality.outcome_not_measurable,
    quality.need_without_provision,
    quality.no_needs,
    quality.no_views,
)


def _plan(request, plan_id: int) -> SupportPlan:
    try:
        return selectors.plan_for_viewing(request.user, plan_id, request=request)
    except SupportPlan.DoesNotExist:
        raise Http404("No support plan found") from None


def _editable(request, plan_id: int) -> SupportPlan:
    plan = _plan(request, plan_id)
    if not may(request.user, Action.EDIT_SUPPORT_PLAN, plan):
        raise PermissionDenied(
            "Only the SENCO of the child's current setting can change their support plan."
        )
    return plan


def _pupil_choices(pupils) -> list[tuple[str, str]]:
    """The pupils a plan can be started or imported for, named so two of one name differ."""
    return [(str(c.pk), f"{c.full_name} (born {c.date_of_birth:%-d %B %Y})") for c in pupils]


@requires(Capability.SUPPORT_PLANS)
def plan_list(request):
    rows = selectors.support_plan_rows(request.user, today=today(), request=request)
    return render(
        request,
        "support/list.html",
        {
            "rows": rows,
            "overdue": sum(1 for r in rows if r.status == "overdue"),
            "can_start": bool(writable_setting_ids(request.user)),
        },
    )


@requires(Capability.SUPPORT_PLANS)
def start(request):
    pupils = list(selectors.pupils_without_open_plan(request.user))
    choices = _pupil_choices(pupils)
    form = forms.StartPlanForm(request.POST or None, pupils=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        child = next(c for c in pupils if str(c.pk) == data["child"])
        try:
            plan = services.start_plan(
                actor=request.user,
                child=child,
                started_on=data["started_on"],
                primary_need=data["primary_need"],
                secondary_need=data["secondary_need"],
                child_views=data["child_views"],
                family_views=data["family_views"],
                outside_involvement=data["outside_involvement"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Support plan started for {child.full_name}.")
            return redirect("support:plan", plan_id=plan.pk)
    return render(
        request,
        "support/form.html",
        {
            "form": form,
            "heading": "Start a support plan",
            "intro": "Record that a pupil is on SEN support, with what they and their family "
            "say. You add needs, outcomes and provision on the next page.",
            "button": "Start the plan",
            "back": reverse("support:list"),
            "no_pupils": not pupils,
        },
    )


@requires(Capability.SEE_CHILDREN)
def plan(request, plan_id: int):
    plan = _plan(request, plan_id)
    thread = normalised(plan.thread)
    findings = [
        f for rule in QUALITY_RULES for f in rule(quality.normalised(as_plan_sections(plan)))
    ]
    cycles = selectors.cycles_of(plan)
    outcome_text = {o["id"]: o["text"] for o in thread["outcomes"]}
    result_labels = dict(OutcomeResult.choices)
    for cycle in cycles:
        cycle.results_shown = [
            (outcome_text.get(key, "An outcome since removed"), result_labels.get(v["result"], ""))
            for key, v in cycle.review_results.items()
        ]
    return render(
        request,
        "support/plan.html",
        {
            "plan": plan,
            "thread": thread,
            "need_text": {n["id"]: n["text"] for n in thread["needs"]},
            "outcome_text": outcome_text,
            "findings": findings,
            "cycles": cycles,
            "open_cycle": next((c for c in cycles if c.reviewed_on is None), None),
            "can_edit": may(request.user, Action.EDIT_SUPPORT_PLAN, plan),
            # A SENCO who makes requests starts one from the plan (decision 0221).
            "can_request": may(request.user, Action.EDIT_SUPPORT_PLAN, plan)
            and has_capability(request.user, Capability.REQUEST_ASSESSMENT),
            "requests_made": selectors.requests_made_from(plan),
            "history": selectors.history_of(plan.child, request.user).exclude(pk=plan.pk),
            "contributions": selectors.contributions_to(plan),
            "consultations": selectors.consultations_of(plan),
            "today": today(),
        },
    )


def _step(request, plan, form, call, *, heading, button, success, intro=""):
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect("support:plan", plan_id=plan.pk)
    return render(
        request,
        "support/form.html",
        {
            "form": form,
            "plan": plan,
            "heading": heading,
            "intro": intro,
            "button": button,
            "back": reverse("support:plan", args=[plan.pk]),
        },
    )


@requires(Capability.SUPPORT_PLANS)
def edit_views(request, plan_id: int):
    plan = _editable(request, plan_id)
    form = forms.ViewsForm(
        request.POST or None,
        initial={
            "version": plan.version,
            "child_views": plan.child_views,
            "family_views": plan.family_views,
            "outside_involvement": plan.outside_involvement,
        },
    )
    return _step(
        request,
        plan,
        form,
        lambda d: services.update_views(actor=request.user, plan=plan, **d, request=request),
        heading="Views and who is involved",
        button="Save",
        success="Saved.",
    )


@requires(Capability.SUPPORT_PLANS)
def add_item(request, plan_id: int, kind: str):
    plan = _editable(request, plan_id)
    thread = normalised(plan.thread)
    initial = {"version": plan.version}
    if kind == "needs":
        form = forms.NeedForm(request.POST or None, initial=initial)
        heading, button = "Add a need", "Add the need"
    elif kind == "outcomes":
        form = forms.OutcomeForm(
            request.POST or None,
            initial=initial,
            need_choices=[(n["id"], n["text"]) for n in thread["needs"]],
        )
        heading, button = "Add an outcome", "Add the outcome"
    elif kind == "provision":
        form = forms.ProvisionForm(
            request.POST or None,
            initial=initial,
            outcome_choices=[(o["id"], o["text"]) for o in thread["outcomes"]],
            offer_choices=selectors.offer_choices(plan.area_id),
        )
        heading, button = "Add provision", "Add the provision"
    else:
        raise Http404("No such part of a support plan")

    def call(data):
        version = data.pop("version")
        services.add_to_thread(
            actor=request.user,
            plan=plan,
            version=version,
            kind=kind,
            fields=data,
            request=request,
        )

    return _step(request, plan, form, call, heading=heading, button=button, success="Added.")


@requires(Capability.SUPPORT_PLANS)
def remove_item(request, plan_id: int, kind: str, item_id: str):
    plan = _editable(request, plan_id)
    thread = normalised(plan.thread)
    item = next((i for i in thread.get(kind, []) if i["id"] == item_id), None)
    if item is None:
        raise Http404("That item is not in this plan")
    if request.method == "POST":
        try:
            services.remove_from_thread(
                actor=request.user,
                plan=plan,
                version=request.POST.get("version"),
                kind=kind,
                item_id=item_id,
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Removed.")
        return redirect("support:plan", plan_id=plan.pk)
    return render(
        request,
        "support/remove.html",
        {"plan": plan, "item": item.get("text") or item.get("what"), "kind": kind},
    )


@requires(Capability.SUPPORT_PLANS)
def start_cycle(request, plan_id: int):
    plan = _editable(request, plan_id)
    form = forms.CycleForm(
        request.POST or None, initial={"version": plan.version, "started_on": None}
    )

    def call(data):
        services.start_cycle(actor=request.user, plan=plan, **data, request=request)

    return _step(
        request,
        plan,
        form,
        call,
        heading="Start an assess, plan, do, review cycle",
        intro="Record what was assessed and what was agreed. The review is due at the end of "
        "the cycle: at least once a term, as the SEND Code of Practice expects (6.65).",
        button="Start the cycle",
        success="Cycle started.",
    )


@requires(Capability.SUPPORT_PLANS)
def review_cycle(request, plan_id: int, number: int):
    plan = _editable(request, plan_id)
    cycle = plan.cycles.filter(number=number, reviewed_on__isnull=True).first()
    if cycle is None:
        raise Http404("No cycle waiting for its review")
    form = forms.ReviewForm(
        request.POST or None,
        initial={"version": plan.version},
        outcomes=normalised(plan.thread)["outcomes"],
    )

    def call(data):
        services.review_cycle(
            actor=request.user,
            cycle=cycle,
            version=data["version"],
            reviewed_on=data["reviewed_on"],
            done=data["done"],
            results=form.results(),
            summary=data["summary"],
            request=request,
        )

    return _step(
        request,
        plan,
        form,
        call,
        heading=f"Review cycle {cycle.number}",
        intro="Record the review held with the child and their parents: what was done and "
        "how far each outcome was met.",
        button="Record the review",
        success=f"Review of cycle {cycle.number} recorded.",
    )


@requires(Capability.SUPPORT_PLANS)
def end(request, plan_id: int):
    plan = _editable(request, plan_id)
    form = forms.EndForm(request.POST or None, initial={"version": plan.version})
    return _step(
        request,
        plan,
        form,
        lambda d: services.end_plan(actor=request.user, plan=plan, **d, request=request),
        heading="End SEN support",
        button="End SEN support",
        success="SEN support ended.",
    )


# --- Ordinarily available provision -----------------------------------------------------


@public
def ordinarily_available(request, area_id: int | None = None):
    """What every school and setting in an area provides without a plan: public, so families
    can read it before and without signing in."""
    areas = list(Area.objects.order_by("name"))
    area = next((a for a in areas if a.pk == area_id), None) if area_id else None
    if area_id and area is None:
        raise Http404("No such area")
    if area is None and len(areas) == 1:
        area = areas[0]
    groups = []
    if area is not None:
        found = selectors.offers(area.pk)
        groups = [(label, found[key]) for key, label in BroadArea.choices]
    return render(
        request,
        "support/ordinarily_available.html",
        {
            "areas": areas,
            "area": area,
            "groups": groups,
            "can_keep": area is not None
            and area.pk in la_area_ids(request.user, Capability.MANAGE_TEAM),
        },
    )


@requires(Capability.MANAGE_TEAM)
def area_settings(request, area_id: int):
    """The area's choices for SEN support (decision 0240), kept by its SEND team managers."""
    if area_id not in la_area_ids(request.user, Capability.MANAGE_TEAM):
        raise PermissionDenied("Only the area's SEND team managers change these settings.")
    area = Area.objects.get(pk=area_id)
    current = selectors.support_settings(area.pk)
    form = forms.SettingsForm(
        request.POST or None,
        initial={
            "review_every_weeks": current.review_every_weeks,
            "past_settings_read_history": "yes" if current.past_settings_read_history else "no",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_settings(
                actor=request.user, area=area, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "The area's SEN support settings have been saved.")
            return redirect("provision:area", area_id=area.pk)
    return render(
        request,
        "support/form.html",
        {
            "form": form,
            "heading": f"SEN support settings for {area.name}",
            "button": "Save the settings",
            "back": reverse("provision:area", args=[area.pk]),
        },
    )


@requires(Capability.MANAGE_TEAM)
def add_offer(request, area_id: int):
    if area_id not in la_area_ids(request.user, Capability.MANAGE_TEAM):
        raise PermissionDenied("Only the area's SEND team managers keep its list.")
    area = Area.objects.get(pk=area_id)
    form = forms.OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_offer(actor=request.user, area=area, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Added to the area's ordinarily available provision.")
            return redirect("provision:area", area_id=area.pk)
    return render(
        request,
        "support/form.html",
        {
            "form": form,
            "heading": "Add ordinarily available provision",
            "button": "Add",
            "back": reverse("provision:area", args=[area.pk]),
        },
    )


@requires(Capability.MANAGE_TEAM)
def withdraw_offer(request, offer_id: int):
    offer = ProvisionOffer.objects.filter(
        pk=offer_id, area_id__in=la_area_ids(request.user, Capability.MANAGE_TEAM)
    ).first()
    if offer is None:
        raise Http404("No such entry")
    if request.method == "POST":
        services.withdraw_offer(actor=request.user, offer=offer)
        messages.success(request, f"“{offer.title}” withdrawn.")
        return redirect("provision:area", area_id=offer.area_id)
    return render(request, "support/withdraw.html", {"offer": offer})


# --- Help before a statutory assessment -------------------------------------------------


@requires(Capability.SUPPORT_PLANS)
def ask_for_consultation(request, plan_id: int):
    plan = _editable(request, plan_id)
    services_listed = selectors.services_to_consult(plan.area_id)
    form = forms.ConsultationForm(
        request.POST if request.method == "POST" else None,
        initial={"version": plan.version},
        services=services_listed,
    )

    def call(data):
        chosen = next((o for o in services_listed if str(o.pk) == data["organisation"]), None)
        services.ask_for_consultation(
            actor=request.user,
            plan=plan,
            version=data["version"],
            organisation=chosen,
            kind=data["kind"],
            question=data["question"],
            request=request,
        )

    return _step(
        request,
        plan,
        form,
        call,
        heading="Ask a service for advice",
        intro="Ask the area's educational psychology, therapy or early help services for "
        "advice before any request for an EHC needs assessment. Their answer becomes part of "
        "this plan's record.",
        button="Send the request for advice",
        success="Your request for advice has been sent.",
    )


@requires(Capability.ANSWER_CONSULTATIONS)
def consultation_queue(request):
    queue = selectors.consultation_queue(request.user)
    return render(
        request,
        "support/consultation_queue.html",
        {
            "open": [c for c in queue if c.answered_on is None],
            "answered": [c for c in queue if c.answered_on is not None][:50],
        },
    )


@requires(Capability.SIGNED_IN)
def consultation(request, consultation_id: int):
    try:
        found = selectors.consultation_for_viewing(request.user, consultation_id, request=request)
    except Consultation.DoesNotExist:
        raise Http404("No such request for advice") from None
    can_answer = found.answered_on is None and (
        found.organisation_id in organisation_ids(request.user, Capability.ANSWER_CONSULTATIONS)
    )
    form = forms.AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and can_answer and form.is_valid():
        try:
            services.answer_consultation(
                actor=request.user,
                consultation=found,
                answer=form.cleaned_data["answer"],
                request=request,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Your advice has been sent to the setting.")
            return redirect("support:consultation-queue")
    return render(
        request,
        "support/consultation.html",
        {
            "consultation": found,
            "plan": found.plan,
            "thread": normalised(found.plan.thread),
            "form": form,
            "can_answer": can_answer,
        },
    )


# --- A plan that moves with the child outside the area ----------------------------------

IMPORT_LIMIT = 1024 * 1024  # a support plan is a few kilobytes; refuse anything near a megabyte


@requires(Capability.SEE_CHILDREN)
def download(request, plan_id: int):
    """The plan as a file another setting's system (or EveryChild elsewhere) can import."""
    plan = _plan(request, plan_id)
    if plan.read_until:
        # The file hands the whole plan on; a setting the child has left reads only its part.
        raise PermissionDenied("Only the child's current setting can hand their plan on.")
    document = selectors.plan_as_file(request.user, plan, request=request)
    response = HttpResponse(
        json.dumps(document, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="support-plan-{plan.pk}.json"'
    return response


@requires(Capability.SUPPORT_PLANS)
def import_plan(request):
    pupils = list(selectors.pupils_without_open_plan(request.user))
    choices = _pupil_choices(pupils)
    form = forms.ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        pupils=choices,
    )
    if request.method == "POST" and form.is_valid():
        child = next(c for c in pupils if str(c.pk) == form.cleaned_data["child"])
        upload = form.cleaned_data["file"]
        try:
            if upload.size > IMPORT_LIMIT:
                raise ValidationError({"file": "The file must be smaller than 1 MB."})
            try:
                document = json.loads(upload.read().decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError):
                raise ValidationError(
                    {"file": "The file is not a support plan: it must be a JSON file."}
                ) from None
            plan = transfer.import_document(
                actor=request.user, child=child, document=document, request=request
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Support plan imported for {child.full_name}.")
            return redirect("support:plan", plan_id=plan.pk)
    return render(
        request,
        "support/form.html",
        {
            "form": form,
            "heading": "Import a support plan",
            "intro": "For a pupil who joined from a school or setting outside the area: upload "
            "the support plan file their last setting downloaded from EveryChild. Nothing is "
            "saved unless the whole file is right.",
            "button": "Import the plan",
            "back": reverse("support:list"),
            "no_pupils": not pupils,
            "multipart": True,
        },
    )
