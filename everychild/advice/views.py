"""Agency portal and EP waiting list pages. Thin: reads through the selectors, writes through
the services. A request that is not the user's agency's is "not found" (404)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import Capability, requires
from everychild.advice import charts, forms, selectors, services
from everychild.advice.models import AdviceItem, Capacity, Leave, Scenario
from everychild.casework.models import AdviceRequest
from everychild.core.forms import apply_errors as _apply_errors
from everychild.plans import selectors as plan_selectors
from everychild.plans import services as plan_services
from everychild.plans.models import ReviewInvitee


def _row_or_404(request, advice_id) -> selectors.QueueRow:
    try:
        return selectors.advice_for_agency(request.user, advice_id, request=request)
    except AdviceRequest.DoesNotExist:
        raise Http404("No request for advice found") from None


def _service_or_404(request):
    service = selectors.managed_service(request.user)
    if service is None:
        raise Http404("You manage no advice service")
    return service


def _form_page(request, *, form, call, template, context, success, redirect_to):
    """Run the service on a valid form; on refusal show the form again with what to fix."""
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(*redirect_to)
    return render(request, template, {"form": form, **context})


# --- The agency's queue -----------------------------------------------------------------------


@requires(Capability.GIVE_ADVICE)
def queue(request):
    form = forms.QueueForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    show = values.get("show") or "open"
    sort = values.get("sort") or "due"
    # A page of QUEUE_PAGE_SIZE rows in the queue's order, and only the rows shown are read in
    # full, audited and drawn (decision 0261: at scale 5 an EP's open queue is ~400 rows).
    page = selectors.queue_page(
        request.user,
        show=show,
        sort=sort,
        query=values.get("q", ""),
        page=request.GET.get("page"),
    )
    selectors.audit_listed(request.user, page.object_list, request=request)
    query = request.GET.copy()
    query.pop("page", None)
    base = reverse("advice:queue")
    return render(
        request,
        "advice/queue.html",
        {
            "form": form,
            "page": page,
            "rows": [_queue_row(row, base) for row in page.object_list],
            "total": page.paginator.count,
            "query_string": query.urlencode(),
            "show": show,
            "sort": sort,
            "today": timezone.localdate(),
            "review_invitations": plan_selectors.review_invitations_for(
                request.user, request=request
            ),
        },
    )


def _short(day) -> str:
    """A date as the template's date:"j M Y" writes it (in English)."""
    return f"{day.day} {day:%b %Y}" if day else ""


def _queue_row(row: selectors.QueueRow, base: str) -> dict:
    """One queue row as display values, worked out here rather than by template tags and
    filters: the queue is long and opened often (issue 21)."""
    advice = row.advice
    case = advice.assessment_request
    days = row.days_remaining
    return {
        "href": f"{base}{advice.pk}/",
        "title": (
            f"Advice for {case.reference}"
            if advice.provided_on
            else f"{case.child.full_name}, {case.reference}"
        ),
        "kind": advice.get_kind_display(),
        "rules": [rule.name for rule in row.rules],
        "asked_by": (case.caseworker.full_name if case.caseworker else "") or "The council",
        "received": _short(advice.received_by_body_on),
        "due": _short(row.due),
        # "Days left" of -18 reads as a sum: past the due date, say how far past.
        "days": "" if days is None else (f"{-days} overdue" if days < 0 else str(days)),
        "status": row.status_label
        + (f": {advice.assigned_to.full_name}" if advice.assigned_to else ""),
        "clock_status": row.clock_status,
    }


# --- Annual reviews the agency is invited to (decision 0260) ---------------------------------


@requires(Capability.GIVE_ADVICE)
def review_advice(request, review_id):
    """The service's advice for an annual review, given here by its professional: the page
    shows only the child's name, the reference, the meeting's date and what is asked, never
    the plan (a service sees only what it was asked)."""
    try:
        invitee = plan_selectors.review_invitation_for(request.user, review_id, request=request)
    except ReviewInvitee.DoesNotExist:
        raise Http404("No invitation to this review for your service") from None
    review = invitee.review
    # Bound even once the advice is in: a page opened before it was recorded is then refused
    # by the service with the reason, rather than its text dropped without a word.
    form = forms.ReviewAdviceForm(request.POST or None, initial={"version": review.version})

    def call(data):
        plan_services.record_review_advice(
            actor=request.user,
            review=review,
            invitee_id=invitee.pk,
            advice=data["advice"],
            received_on=timezone.localdate(),
            version=data["version"],
            request=request,
        )

    return _form_page(
        request,
        form=form,
        call=call,
        template="advice/review_advice.html",
        context={
            "invitee": invitee,
            "review": review,
            "reference": plan_selectors.review_reference(review.plan),
        },
        success="Your advice has been sent to the review.",
        redirect_to=("advice:queue",),
    )


@requires(Capability.GIVE_ADVICE)
def request_detail(request, advice_id):
    row = _row_or_404(request, advice_id)
    advice = row.advice
    work = selectors.work_of(advice)
    is_open = advice.provided_on is None and advice.cancelled_on is None
    return render(
        request,
        "advice/request.html",
        {
            "row": row,
            "advice": advice,
            "case": advice.assessment_request,
            "work": work,
            "items": list(work.items.all()) if work else [],
            "appointments": list(advice.appointments.all()),
            "is_open": is_open,
            "can_work": is_open and services.may_work_on(request.user, advice),
            # A setting's SENCOs all work on its requests: nothing to allocate (decision 0194).
            "can_allocate": is_open
            and not advice.to_school_or_setting
            and (
                services.is_manager(request.user, advice.organisation_id)
                or (
                    not services.has_managers(advice.organisation_id)
                    and advice.assigned_to_id is None
                )
            ),
        },
    )


@requires(Capability.GIVE_ADVICE)
def allocate(request, advice_id):
    row = _row_or_404(request, advice_id)
    advice = row.advice
    form = forms.AllocateForm(
        request.POST or None,
        initial={"professional": advice.assigned_to_id, "priority_rules": row.rules},
        professionals=services.professionals(advice.organisation_id),
        rules=selectors.rules_of(advice.organisation),
    )

    def call(data):
        services.allocate(
            actor=request.user,
            advice=advice,
            professional=data["professional"],
            priority_rules=data["priority_rules"],
            request=request,
        )

    return _form_page(
        request,
        form=form,
        call=call,
        template="advice/step.html",
        context={"advice": advice, "heading": "Allocate the request", "button": "Allocate"},
        success="Request allocated.",
        redirect_to=("advice:request", advice.pk),
    )


@requires(Capability.GIVE_ADVICE)
def appointment(request, advice_id):
    advice = _row_or_404(request, advice_id).advice
    form = forms.AppointmentForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        call=lambda d: services.record_appointment(
            actor=request.user,
            advice=advice,
            on=d["on"],
            outcome=d["outcome"],
            notes=d["notes"],
            evidence=d["evidence"],
            request=request,
        ),
        template="advice/step.html",
        context={"advice": advice, "heading": "Record an appointment", "button": "Save"},
        success="Appointment recorded.",
        redirect_to=("advice:request", advice.pk),
    )


@requires(Capability.GIVE_ADVICE)
def item_add(request, advice_id):
    advice = _row_or_404(request, advice_id).advice
    form = forms.ItemForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        call=lambda d: services.add_item(actor=request.user, advice=advice, request=request, **d),
        template="advice/step.html",
        context={"advice": advice, "heading": "Add to the advice", "button": "Add"},
        success="Added to the advice.",
        redirect_to=("advice:request", advice.pk),
    )


@requires(Capability.GIVE_ADVICE)
def item_remove(request, advice_id, item_id):
    advice = _row_or_404(request, advice_id).advice
    item = AdviceItem.objects.filter(pk=item_id, work__advice_request=advice).first()
    if item is None:
        raise Http404("No such item")
    if request.method == "POST":
        try:
            services.remove_item(actor=request.user, item=item, request=request)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "Removed from the advice.")
    return redirect("advice:request", advice.pk)


@requires(Capability.GIVE_ADVICE)
def document(request, advice_id):
    advice = _row_or_404(request, advice_id).advice
    form = forms.DocumentForm(request.POST or None, request.FILES or None)
    return _form_page(
        request,
        form=form,
        call=lambda d: services.attach_document(
            actor=request.user, advice=advice, upload=d["file"], request=request
        ),
        template="advice/step.html",
        context={"advice": advice, "heading": "Upload the advice", "button": "Upload"},
        success="Document uploaded.",
        redirect_to=("advice:request", advice.pk),
    )


@requires(Capability.GIVE_ADVICE)
def document_download(request, advice_id):
    advice = _row_or_404(request, advice_id).advice
    return _download(request, advice)


def _download(request, advice):
    work = selectors.work_of(advice)
    if work is None or not work.document:
        raise Http404("No document")
    audit.record(
        action=AuditAction.DOWNLOAD,
        actor=request.user,
        child=advice.assessment_request.child_id,
        record=work,
        request=request,
    )
    return FileResponse(
        work.document.open("rb"),
        as_attachment=True,
        filename=work.document_name,
        content_type=work.document_type,
    )


@requires(Capability.GIVE_ADVICE)
def submit(request, advice_id):
    advice = _row_or_404(request, advice_id).advice
    form = forms.SubmitForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        call=lambda d: services.submit(
            actor=request.user, advice=advice, summary=d["summary"], request=request
        ),
        template="advice/step.html",
        context={
            "advice": advice,
            "heading": "Submit the advice",
            "button": "Submit the advice",
            "intro": "The advice goes to the council's caseworker and the case's clock records "
            "it as given today. After this you can read it back but no longer change it or see "
            "the child's other details.",
        },
        success="Advice submitted to the council.",
        redirect_to=("advice:request", advice.pk),
    )


# --- The caseworker's view of advice received ---------------------------------------------------


@requires(Capability.CASEWORK)
def received(request, advice_id):
    try:
        advice = selectors.received_for_casework(request.user, advice_id, request=request)
    except AdviceRequest.DoesNotExist:
        raise Http404("No advice found") from None
    work = selectors.work_of(advice)
    return render(
        request,
        "advice/received.html",
        {
            "advice": advice,
            "case": advice.assessment_request,
            "work": work,
            "items": list(work.items.all()) if work else [],
        },
    )


@requires(Capability.CASEWORK)
def received_download(request, advice_id):
    try:
        advice = selectors.received_for_casework(request.user, advice_id, request=request)
    except AdviceRequest.DoesNotExist:
        raise Http404("No advice found") from None
    return _download(request, advice)


# --- The EP waiting list ------------------------------------------------------------------------


@requires(Capability.MANAGE_ADVICE)
def waiting_list(request):
    service = _service_or_404(request)
    rows = [
        r
        for r in selectors.queue(request.user, show="open", sort="due")
        if r.advice.organisation_id == service.pk
    ]
    selectors.audit_listed(request.user, rows, request=request)
    return render(
        request,
        "advice/waiting_list.html",
        {
            "service": service,
            "rows": rows,
            "rules": selectors.rules_of(service),
            "measures": selectors.measures(service),
            "rule_form": forms.RuleForm(),
        },
    )


@requires(Capability.MANAGE_ADVICE)
def rule_add(request):
    service = _service_or_404(request)
    form = forms.RuleForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        call=lambda d: services.add_priority_rule(
            actor=request.user, organisation=service, request=request, **d
        ),
        template="advice/setting_step.html",
        context={"heading": "Add a priority rule", "button": "Add the rule"},
        success="Priority rule added.",
        redirect_to=("advice:waiting-list",),
    )


@requires(Capability.MANAGE_ADVICE)
def capacity_page(request):
    service = _service_or_404(request)
    people = services.professionals(service.pk)
    today = timezone.localdate()
    weeks = 8
    table = [
        {"person": p, "weeks": selectors.capacity_rules.weekly(service.pk, today, weeks, p)}
        for p in people
    ]
    mondays = [selectors.capacity_rules.week_start(today) + dt.timedelta(weeks=i) for i in range(8)]
    return render(
        request,
        "advice/capacity.html",
        {
            "service": service,
            "table": table,
            "mondays": mondays,
            "totals": selectors.capacity_rules.weekly(service.pk, today, weeks),
            "periods": Capacity.objects.filter(organisation=service).select_related("professional"),
            "leave": Leave.objects.filter(organisation=service, ends_on__gte=today).select_related(
                "professional"
            ),
        },
    )


@requires(Capability.MANAGE_ADVICE)
def capacity_set(request):
    service = _service_or_404(request)
    form = forms.CapacityForm(
        request.POST or None, professionals=services.professionals(service.pk)
    )
    return _form_page(
        request,
        form=form,
        call=lambda d: services.set_capacity(
            actor=request.user, organisation=service, request=request, **d
        ),
        template="advice/setting_step.html",
        context={"heading": "Set available assessments a week", "button": "Save"},
        success="Capacity saved.",
        redirect_to=("advice:capacity",),
    )


@requires(Capability.MANAGE_ADVICE)
def leave_add(request):
    service = _service_or_404(request)
    form = forms.LeaveForm(request.POST or None, professionals=services.professionals(service.pk))
    return _form_page(
        request,
        form=form,
        call=lambda d: services.add_leave(
            actor=request.user, organisation=service, request=request, **d
        ),
        template="advice/setting_step.html",
        context={"heading": "Record leave", "button": "Save"},
        success="Leave recorded.",
        redirect_to=("advice:capacity",),
    )


# --- The forecast -----------------------------------------------------------------------------


@requires(Capability.MANAGE_ADVICE)
def forecast(request):
    service = _service_or_404(request)
    inputs = selectors.forecast_inputs(service)
    baseline = selectors.forecast(service, inputs=inputs)
    scenarios = [
        selectors.forecast(service, scenario=s, inputs=inputs)
        for s in selectors.scenarios_of(service)
    ]
    goal_form = forms.GoalSeekForm(request.GET or None)
    goal = None
    if request.GET and goal_form.is_valid():
        by, starting = goal_form.cleaned_data["by"], goal_form.cleaned_data["starting"]
        last = baseline.first_week + dt.timedelta(weeks=52) - dt.timedelta(days=1)
        if by <= baseline.first_week or by > last:
            goal_form.add_error(
                "by",
                f"Choose a date after {baseline.first_week:%-d %B %Y} and on or before "
                f"{last:%-d %B %Y} (the forecast's 52 weeks).",
            )
        elif starting is not None and not baseline.first_week <= starting <= by:
            goal_form.add_error(
                "starting", "The extra capacity must start between now and the date to clear by."
            )
        else:
            goal = selectors.goal_seek(service, by=by, starting=starting)
    return render(
        request,
        "advice/forecast.html",
        {
            "service": service,
            "baseline": baseline,
            "scenarios": scenarios,
            "chart": charts.forecast_chart(baseline, scenarios) if baseline.result else "",
            "backtest": selectors.backtest(service),
            "goal_form": goal_form,
            "goal": goal,
            "scenario_form": forms.ScenarioForm(),
            "history_weeks": inputs.history_weeks,
        },
    )


@requires(Capability.MANAGE_ADVICE)
def scenario_add(request):
    service = _service_or_404(request)
    form = forms.ScenarioForm(request.POST or None)
    return _form_page(
        request,
        form=form,
        call=lambda d: services.save_scenario(
            actor=request.user, organisation=service, request=request, **d
        ),
        template="advice/setting_step.html",
        context={"heading": "Save a scenario", "button": "Save the scenario"},
        success="Scenario saved.",
        redirect_to=("advice:forecast",),
    )


@requires(Capability.MANAGE_ADVICE)
def scenario_delete(request, scenario_id):
    service = _service_or_404(request)
    scenario = Scenario.objects.filter(pk=scenario_id, organisation=service).first()
    if scenario is None:
        raise Http404("No such scenario")
    if request.method == "POST":
        services.delete_scenario(actor=request.user, scenario=scenario, request=request)
        messages.success(request, "Scenario removed.")
    return redirect("advice:forecast")
