"""Casework pages. Thin: each reads through the selectors and writes through the services.
A case that is not the user's is "not found" (404), as for children."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from everychild.access.policy import Capability, has_capability, la_area_ids, requires
from everychild.areas.models import Area
from everychild.casework import (
    case_panels,
    clock,
    forms,
    policy,
    school_requests,
    selectors,
    services,
    worklist,
)
from everychild.casework.models import (
    AdviceRequest,
    AssessmentRequest,
    CaseDocument,
    CaseException,
    Consultation,
    Letter,
    PanelMeeting,
    Stage,
)
from everychild.casework.services import CaseChanged
from everychild.casework.templatetags import casework_tags
from everychild.children.models import Child
from everychild.children.selectors import audit_shown, child_for_viewing, search_children
from everychild.core.digits import ascii_digits
from everychild.core.forms import apply_errors as _apply_errors
from everychild.plans import services as plan_services

CASELOAD_PAGE_SIZE = 100
BREACH_PAGE_SIZE = 100
# Requests waiting for a caseworker, a page at a time (at scale 5 there were 166, each row with
# a form and a list of 52 people: the team view's heaviest part; the top of the list is what
# needs allocating first).
UNALLOCATED_PAGE_SIZE = 50
TASKS_PAGE_SIZE = 100


def _case_or_404(request, case_id) -> AssessmentRequest:
    try:
        return selectors.case_for_viewing(request.user, case_id, request=request)
    except AssessmentRequest.DoesNotExist:
        raise Http404("No case found") from None


def _changed(request, form_class, form_kwargs, error: CaseChanged):
    """Re-show what was typed, now carrying the case's current version, with the message."""
    data = request.POST.copy()
    data["version"] = str(error.current_version)
    form = form_class(data, request.FILES or None, **form_kwargs)
    form.is_valid()
    form.add_error(None, str(error))
    return form


def _calling(request, service, fields: tuple[str, ...], **fixed):
    """The service call a step page makes: the form's `fields` passed by name, with the acting
    user, the request and the record it acts on (`fixed`)."""

    def call(data):
        return service(
            actor=request.user, request=request, **fixed, **{name: data[name] for name in fields}
        )

    return call


def _step(
    request,
    case: AssessmentRequest,
    *,
    form_class,
    call,
    heading: str,
    intro: str = "",
    success: str,
    form_kwargs: dict | None = None,
    initial: dict | None = None,
    button: str = "Save",
    extra: dict | None = None,
    template: str = "casework/step.html",
    done_url: str | None = None,
):
    """A change to a case: show the form (with the case's version), run the service, and
    on refusal show the form again with what was typed and what to fix."""
    form_kwargs = form_kwargs or {}
    start = {"version": case.version, **(initial or {})}
    changed = False
    if request.method == "POST":
        form = form_class(request.POST, request.FILES or None, **form_kwargs)
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            except CaseChanged as error:
                form = _changed(request, form_class, form_kwargs, error)
                changed = True
            else:
                messages.success(request, success)
                if done_url:
                    return redirect(done_url)
                return redirect("casework:case", case_id=case.pk)
    else:
        form = form_class(initial=start, **form_kwargs)
    context = {
        "case": case,
        "form": form,
        "heading": heading,
        "intro": intro,
        "button": button,
        "changed": changed,
        "recent_events": case.events.select_related("actor").order_by("-recorded_at", "-pk")[:5]
        if changed
        else [],
        **(extra or {}),
    }
    return render(request, template, context, status=409 if changed else 200)


# --- Lists ------------------------------------------------------------------------------------


@requires(Capability.CASEWORK)
def caseload(request):
    form = forms.CaseloadForm(request.GET or None)
    values = form.cleaned_data if form.is_valid() else {}
    show = values.get("show") or selectors.default_show(request.user)
    sort = values.get("sort") or "priority"
    rows = selectors.caseload(
        request.user,
        show=show,
        stage=values.get("stage", ""),
        status=values.get("status", ""),
        query=values.get("q", ""),
        sort=sort,
    )
    page = Paginator(rows, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.audit_shown(request.user, [row.case for row in page.object_list], request=request)
    shown = [_caseload_row(row) for row in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.clock.status] = counts.get(row.clock.status, 0) + 1
    return render(
        request,
        "casework/caseload.html",
        {
            "form": form,
            "page": page,
            "rows": shown,
            "total": len(rows),
            "show": show,
            "show_label": selectors.SHOW_CHOICES.get(show, ""),
            "sort": sort,
            "sort_label": selectors.SORT_CHOICES.get(sort, ""),
            "counts": counts,
            "query_string": query.urlencode(),
            "sort_links": _sort_links(request, sort),
            "can_record": bool(la_area_ids(request.user, Capability.WRITE_CASES)),
        },
    )


def _short(day) -> str:
    return f"{day.day} {day:%b %Y}" if day else ""


def _caseload_row(row: selectors.CaseRow) -> dict:
    """One caseload row as display values, worked out here rather than by template filters:
    a caseload is long and rendered often (benchmarks/bench_casework.py)."""
    case, case_clock = row.case, row.clock
    nxt = case_clock.next
    return {
        "href": f"/cases/{case.pk}/",
        "child": case.child_name,
        "reference": case.reference,
        "stage": case.stage_label,
        "due": _short(nxt.due) if nxt else "",
        "step": clock.short_label(nxt) if nxt else "",
        "status": case_clock.status_label,
        "tag": casework_tags.clock_tag_class(case_clock.status),
        "days": casework_tags.days_words(nxt.days_remaining) if nxt else "",
        "caseworker": case.caseworker_name or "Not allocated",
        "received": _short(case.received_on),
    }


def _sort_links(request, current: str) -> list[dict]:
    links = []
    for key, label in selectors.SORT_CHOICES.items():
        query = request.GET.copy()
        query["sort"] = key
        query.pop("page", None)
        links.append(
            {"key": key, "label": label, "href": f"?{query.urlencode()}", "current": key == current}
        )
    return links


@requires(Capability.CASEWORK)
def search(request):
    form = forms.SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    cases = selectors.search_cases(request.user, query)
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    selectors.audit_shown(request.user, page.object_list, request=request)
    return render(
        request,
        "casework/search.html",
        {"form": form, "query": query, "page": page, "query_string": urlencode({"q": query})},
    )


@requires(Capability.MANAGE_TEAM)
def team(request):
    return _team_page(request, page_number=request.GET.get("page"))


def _team_page(request, *, page_number=None, allocation=None, allocating=None, status=200):
    """The team page. `allocation`, the AllocateForm sent back from the unallocated row of the
    case `allocating`, is shown on the page holding that row, its error on the row's select
    and in the error summary; None if the case is no longer waiting for a caseworker."""
    overview = selectors.team_overview(request.user)
    if allocating is not None:
        index = next(
            (i for i, row in enumerate(overview["unallocated"]) if row.case.pk == allocating.pk),
            None,
        )
        if index is None:
            return None
        page_number = index // UNALLOCATED_PAGE_SIZE + 1
    page = Paginator(overview["unallocated"], UNALLOCATED_PAGE_SIZE).get_page(page_number)
    selectors.audit_shown(request.user, [row.case for row in page.object_list], request=request)
    # The same options in every unallocated row's select: rendered once, not once per row
    # (166 rows of 52 people at scale 5 were half the page's time); and each row's values
    # ready in a dict, which the template reads much faster than attributes of attributes.
    staff_options = render_to_string("casework/_staff_options.html", {"staff": overview["staff"]})
    unallocated = [
        {
            "pk": row.case.pk,
            "child": row.case.child_name,
            "reference": row.case.reference,
            "received_on": row.case.received_on,
            "version": row.case.version,
            "running": row.clock.next is not None,
            "due": row.clock.next.due if row.clock.next is not None else None,
            "tag": casework_tags.clock_tag_class(row.clock.status),
            "status_label": row.clock.status_label,
            "short_label": casework_tags.short_label(row.clock.next),
            "error": allocation.errors["caseworker"][0]
            if allocating is not None and row.case.pk == allocating.pk
            else "",
        }
        for row in page.object_list
    ]
    return render(
        request,
        "casework/team.html",
        {
            "overview": overview,
            "unallocated": unallocated,
            "page": page,
            "staff_options": staff_options,
            "allocation": allocation,
        },
        status=status,
    )


@requires(Capability.MANAGE_TEAM)
def breach_risk(request):
    form = forms.BreachFilterForm(request.GET or None)
    show = (form.cleaned_data.get("show") if form.is_valid() else "") or "at_risk"
    risks = selectors.breach_risks(request.user, show=show)
    page = Paginator(risks, BREACH_PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.audit_shown(request.user, [r.case for r in page.object_list], request=request)
    shown = [
        {
            "href": f"/cases/{risk.case.pk}/",
            "child": risk.case.child_name,
            "reference": risk.case.reference,
            "stage": risk.case.stage_label.lower(),
            "limit": risk.limit,
            "due": _short(risk.due),
            "act_by": _short(risk.act_by),
            **_breach_figures(risk),
            "missed": risk.missed,
            "why": risk.why,
            "caseworker": risk.case.caseworker_name or "Not allocated",
        }
        for risk in page.object_list
    ]
    return render(
        request,
        "casework/breach_risk.html",
        {
            "form": form,
            "page": page,
            "rows": shown,
            "show": show,
            "total": len(risks),
            "query_string": urlencode({"show": show}),
        },
    )


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _breach_figures(risk) -> dict:
    """The two figures a manager acts on, each a count of days that is never negative: how
    far past the act-by date the case is (or how long is left to act), and how far it is to
    the legal limit (or how far past it). One signed "days left" read as "-12 days left"."""
    today = risk.clock.today
    to_act = (risk.act_by - today).days
    to_limit = (risk.due - today).days
    return {
        "act_by_words": (
            f"{_days(-to_act)} past it"
            if to_act < 0
            else ("today" if to_act == 0 else f"{_days(to_act)} left to act")
        ),
        "act_by_late": to_act < 0,
        "limit_words": (
            f"{_days(-to_limit)} past the limit"
            if to_limit < 0
            else ("the limit is today" if to_limit == 0 else f"{_days(to_limit)} to the limit")
        ),
        "limit_late": to_limit < 0,
    }


@requires(Capability.MANAGE_TEAM)
def reallocate(request):
    """Reallocate several cases at once (a caseworker leaves or is off sick): choose the cases
    with checkboxes and the new caseworker, check, then confirm. All or none (the service);
    each case carries the version the manager saw, so a case changed meanwhile is not moved
    on an out-of-date view."""
    areas = la_area_ids(request.user, Capability.MANAGE_TEAM)
    staff = list(selectors.casework_staff(areas))
    source = request.GET.get("from") or request.POST.get("from") or ""
    source_id = int(source) if ascii_digits(source) else None
    rows = selectors.team_cases(request.user, caseworker_id=source_id)
    selectors.audit_shown(request.user, [row.case for row in rows], request=request)
    by_pk = {str(row.case.pk): row for row in rows}
    form = forms.ReallocateForm(
        request.POST if request.method == "POST" else None, rows=rows, area_ids=areas
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        chosen = [by_pk[pk] for pk in form.cleaned_data["cases"]]
        caseworker = form.cleaned_data["caseworker"]
        # A version missing from the post counts as out of date (0), never as "no check".
        versions = {
            row.case.pk: _int(request.POST.get(f"version-{row.case.pk}"), 0) for row in chosen
        }
        if request.POST.get("confirm") != "yes":
            return render(
                request,
                "casework/reallocate_confirm.html",
                {
                    "rows": [
                        {"case": row.case, "version": versions[row.case.pk]} for row in chosen
                    ],
                    "caseworker": caseworker,
                    "source": source_id or "",
                },
            )
        cases = list(AssessmentRequest.objects.filter(pk__in=versions.keys()).order_by("reference"))
        try:
            services.reallocate_cases(
                actor=request.user,
                cases=[(case, versions[case.pk]) for case in cases],
                caseworker=caseworker,
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
            status = 400
        except CaseChanged as error:
            form.add_error(
                "cases",
                f"{error.case.reference} changed since you opened this page: nothing has been "
                "reallocated. Check the cases below as they are now and choose again.",
            )
            status = 409
        else:
            n = len(cases)
            messages.success(
                request,
                f"{n} case{'s' if n != 1 else ''} reallocated to {caseworker.full_name}.",
            )
            return redirect("casework:team")
    elif request.method == "POST":
        status = 400
    chosen_now = set(form["cases"].value() or [])
    return render(
        request,
        "casework/reallocate.html",
        {
            "form": form,
            # The checkboxes are written by the template itself: Django's widget templates
            # took 0.3 ms a box, 130 ms for a team's 440 open cases (issue 21).
            "rows": [{"row": row, "checked": str(row.case.pk) in chosen_now} for row in rows],
            "staff": staff,
            "source": source_id,
        },
        status=status,
    )


def _int(value, default: int) -> int:
    return int(value) if value and ascii_digits(value) else default


# --- A new request ------------------------------------------------------------------------------


@requires(Capability.CASEWORK)
def new_request(request):
    areas = la_area_ids(request.user, Capability.WRITE_CASES)
    if not areas:
        raise PermissionDenied("Only an area's caseworkers and managers can record a request.")
    child_id = request.GET.get("child") or request.POST.get("child")
    if not child_id:
        finder = forms.SearchForm(request.GET or None)
        query = finder.cleaned_data["q"] if finder.is_valid() else ""
        children = (
            search_children(request.user, query).filter(area_id__in=areas)[:25] if query else []
        )
        audit_shown(request.user, children, request=request)
        return render(
            request,
            "casework/new_request_find.html",
            {"form": finder, "query": query, "children": children},
        )
    try:
        child = child_for_viewing(request.user, int(child_id), request=request)
    except (Child.DoesNotExist, ValueError):
        raise Http404("No child found") from None
    if child.area_id not in areas:
        raise Http404("No child found")
    form = forms.RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.record_request(
                actor=request.user,
                area=child.area,
                child=child,
                source=data["source"],
                received_on=data["received_on"],
                requested_by=data["requested_by"],
                reason=data["reason"],
                transferred_in=data["transferred_in"],
                transferred_from=data["transferred_from"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Request {case.reference} recorded.")
            return redirect("casework:case", case_id=case.pk)
    return render(request, "casework/new_request.html", {"form": form, "child": child})


# --- The case page ------------------------------------------------------------------------------


@requires(Capability.CASEWORK)
def case_detail(request, case_id: int):
    case = _case_or_404(request, case_id)
    context = selectors.case_page(request.user, case)
    context.update(
        case=case,
        child=case.child,
        can_edit=policy.may_edit_case(request.user, case),
        can_decide=policy.may_take_decision(request.user, case, policy.ASSESS),
        can_decide_issue=policy.may_take_decision(request.user, case, policy.ISSUE),
        can_manage=policy.may_manage_cases(request.user, case.area_id),
        note_form=forms.NoteForm(),
        upload_form=forms.UploadForm(),
        letter_kinds=_letter_kinds(case),
        is_open=case.is_open,
        # What a school sent with its request made in the service (decision 0193).
        school_request=school_requests.school_request_of(case),
        # Evidence other apps hold (the child's SEN support plans: decision 0221).
        panels=case_panels.panels_for(request.user, case, request=request),
    )
    return render(request, "casework/case.html", context)


def _letter_kinds(case) -> list:
    return selectors.letters_due(case)


def _editable(request, case_id) -> AssessmentRequest:
    case = _case_or_404(request, case_id)
    if not policy.may_edit_case(request.user, case):
        raise PermissionDenied("You cannot change this case.")
    return case


@requires(Capability.CASEWORK)
def change_request(request, case_id: int):
    case = _editable(request, case_id)

    call = _calling(
        request,
        services.update_request,
        ("version", "source", "requested_by", "received_on", "reason"),
        case=case,
    )

    return _step(
        request,
        case,
        form_class=forms.RequestChangeForm,
        call=call,
        heading="Change the request's details",
        success="The request's details have been changed.",
        initial={
            "source": case.source,
            "requested_by": case.requested_by,
            "received_on": case.received_on.strftime("%d/%m/%Y"),
            "reason": case.reason,
        },
    )


def _deciding(request, case_id: int, which: str):
    """The case, if the user holds the role the area names for this decision (decision 0192),
    and the panel meeting the decision is recorded at (from the agenda's link), if any."""
    case = _case_or_404(request, case_id)
    if not policy.may_take_decision(request.user, case, which):
        raise PermissionDenied(policy.decision_owner_refusal(case, which))
    meeting = None
    meeting_id = request.GET.get("meeting")
    if meeting_id:
        try:
            meeting = selectors.panel_meeting_for(request.user, int(meeting_id))
        except (PanelMeeting.DoesNotExist, ValueError):
            raise Http404("No panel meeting found") from None
        if meeting.area_id != case.area_id:
            raise Http404("No panel meeting found")
    return case, meeting


def _done_url(meeting) -> str | None:
    return reverse("casework:panel-meeting", args=[meeting.pk]) if meeting else None


def _meeting_words(meeting) -> str:
    return f" It is recorded as made at the {meeting}." if meeting else ""


@requires(Capability.CASEWORK)
def decision(request, case_id: int):
    case, meeting = _deciding(request, case_id, policy.ASSESS)

    call = _calling(
        request,
        services.decide_whether_to_assess,
        ("version", "decision", "decided_on", "reasons"),
        case=case,
        meeting=meeting,
    )

    return _step(
        request,
        case,
        form_class=forms.DecisionForm,
        call=call,
        heading="Decide whether to assess",
        intro="The decision is due within 6 weeks of the request (SEND Regulations 2014 reg "
        "4(1) and 5(1)). It is made once." + _meeting_words(meeting),
        success="The decision has been recorded.",
        button="Record the decision",
        done_url=_done_url(meeting),
    )


@requires(Capability.CASEWORK)
def issue_decision(request, case_id: int):
    """The decision, once the assessment is complete, whether to issue a plan: to issue
    (s.40(2)) or not to (reg 10), with the reasons."""
    case, meeting = _deciding(request, case_id, policy.ISSUE)

    def call(data):
        service = (
            services.decide_to_issue
            if data["decision"] == forms.IssueDecisionForm.ISSUE
            else services.decide_not_to_issue
        )
        return service(
            actor=request.user,
            request=request,
            case=case,
            meeting=meeting,
            version=data["version"],
            decided_on=data["decided_on"],
            reasons=data["reasons"],
        )

    return _step(
        request,
        case,
        form_class=forms.IssueDecisionForm,
        call=call,
        heading="Decide whether to issue an EHC plan",
        intro="Once the assessment is complete. A decision not to issue must be sent within 16 "
        "weeks of the request (reg 10(1)); the final plan within 20 weeks (reg 13(2)), and only "
        "after a decision to issue." + _meeting_words(meeting),
        success="The decision whether to issue a plan has been recorded.",
        button="Record the decision",
        done_url=_done_url(meeting),
    )


@requires(Capability.CASEWORK)
def not_to_issue(request, case_id: int):
    case, meeting = _deciding(request, case_id, policy.ISSUE)

    call = _calling(
        request,
        services.decide_not_to_issue,
        ("version", "decided_on", "reasons"),
        case=case,
        meeting=meeting,
    )

    return _step(
        request,
        case,
        form_class=forms.NotToIssueForm,
        call=call,
        heading="Decide not to issue a plan",
        intro="The family must be told within 16 weeks of the request (reg 10(1)), with their "
        "right to appeal." + _meeting_words(meeting),
        success="The decision not to issue a plan has been recorded.",
        button="Record the decision",
        done_url=_done_url(meeting),
    )


# --- The panel meeting (decision 0192) ----------------------------------------------------------


@requires(Capability.DECIDE)
def panel(request):
    """The panel's meetings, and a new one opened with its date and members."""
    areas = sorted(la_area_ids(request.user, Capability.DECIDE))
    if not areas:
        raise PermissionDenied("Only an area's panel members can hold a panel meeting.")
    area = Area.objects.get(pk=areas[0])
    form = forms.PanelMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.hold_panel_meeting(
                actor=request.user,
                area=area,
                held_on=data["held_on"],
                members=data["members"],
                notes=data["notes"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"The {meeting} is open: its agenda is below.")
            return redirect("casework:panel-meeting", meeting_id=meeting.pk)
    meetings = selectors.panel_meetings(request.user, areas)[:50]
    return render(
        request,
        "casework/panel.html",
        {"form": form, "meetings": meetings, "area": area},
        status=400 if form.errors else 200,
    )


@requires(Capability.DECIDE)
def panel_meeting(request, meeting_id: int):
    """A meeting's agenda (the cases waiting for each decision, with their legal dates and
    papers) and the decisions recorded at it."""
    try:
        meeting = selectors.panel_meeting_for(request.user, meeting_id)
    except PanelMeeting.DoesNotExist:
        raise Http404("No panel meeting found") from None
    agenda = selectors.panel_agenda(request.user, meeting.area_id, request=request)
    decided = selectors.decisions_at(meeting)
    selectors.audit_shown(request.user, [row["case"] for row in decided], request=request)
    return render(
        request,
        "casework/panel_meeting.html",
        {
            "meeting": meeting,
            "to_assess": agenda[policy.ASSESS],
            "to_issue": agenda[policy.ISSUE],
            "decided": decided,
        },
    )


@requires(Capability.MANAGE_TEAM)
def decision_owners(request):
    """The area's managers name who records each of a case's decisions."""
    areas = sorted(la_area_ids(request.user, Capability.MANAGE_TEAM))
    if not areas:
        raise PermissionDenied("Only an area's team managers can change who decides.")
    area = Area.objects.get(pk=areas[0])
    fields = (
        "assess_decided_by",
        "issue_decided_by",
        "final_plan_issued_by",
        "reviews_convened_by",
    )
    form = forms.DecisionOwnersForm(
        request.POST or None, initial={name: getattr(area, name) for name in fields}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_decision_owners(
                actor=request.user, area=area, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "Who does each of these has been changed.")
            return redirect("casework:decision-owners")
    return render(
        request,
        "casework/decision_owners.html",
        {"form": form, "area": area},
        status=400 if form.errors else 200,
    )


@requires(Capability.CASEWORK)
def advice_new(request, case_id: int):
    case = _editable(request, case_id)

    call = _calling(
        request, services.request_advice_from_several, ("version", "requests"), case=case
    )

    return _step(
        request,
        case,
        form_class=forms.AdviceRequestsForm,
        form_kwargs={
            "area": case.area,
            "child": case.child,
            "kinds": services.ADVICE_ORGANISATION_KINDS,
        },
        call=call,
        heading="Ask for advice",
        intro="Ask each body you need in one go: the educational psychologist, health, social "
        "care, the child's school or setting, and any other (SEND Regulations 2014, reg 6(1)). "
        "Each has 6 weeks from receiving the request to give its advice (reg 8(1)). Record "
        "each piece as received on the case page when it comes.",
        success="The requests for advice have been recorded.",
        button="Record the requests for advice",
        template="casework/advice_new.html",
    )


def _advice_or_404(request, case, advice_id) -> AdviceRequest:
    advice = (
        selectors.advice_for_case(request.user, case)
        .select_related("organisation", "assessment_request")
        .filter(pk=advice_id)
        .first()
    )
    if advice is None:
        raise Http404("No request for advice found")
    return advice


@requires(Capability.CASEWORK)
def advice_provided(request, case_id: int, advice_id: int):
    case = _editable(request, case_id)
    advice = _advice_or_404(request, case, advice_id)

    call = _calling(
        request, services.record_advice_provided, ("version", "provided_on"), advice=advice
    )

    return _step(
        request,
        case,
        form_class=forms.AdviceProvidedForm,
        call=call,
        heading=f"Record {advice.get_kind_display().lower()} as received",
        intro=f"Asked of {advice.organisation.name}.",
        success="The advice has been recorded as received.",
    )


@requires(Capability.CASEWORK)
def advice_cancel(request, case_id: int, advice_id: int):
    case = _editable(request, case_id)
    advice = _advice_or_404(request, case, advice_id)

    call = _calling(
        request,
        services.cancel_advice_request,
        ("version", "cancelled_on", "reason"),
        advice=advice,
    )

    return _step(
        request,
        case,
        form_class=forms.AdviceCancelForm,
        call=call,
        heading=f"Cancel the request for {advice.get_kind_display().lower()}",
        intro=f"Asked of {advice.organisation.name}. Their access to the child's record ends.",
        success="The request for advice has been cancelled.",
        button="Cancel the request",
    )


@requires(Capability.CASEWORK)
def exception_new(request, case_id: int):
    case = _editable(request, case_id)

    call = _calling(
        request,
        services.record_exception,
        ("version", "regulation", "starts_on", "ends_on", "reason", "advice"),
        case=case,
    )

    return _step(
        request,
        case,
        form_class=forms.ExceptionForm,
        form_kwargs={"case": case},
        call=call,
        heading="Record an exception to a time limit",
        intro="School and setting closures are found from the area's term dates: they are "
        "not recorded here.",
        success="The exception has been recorded.",
    )


@requires(Capability.CASEWORK)
def exception_end(request, case_id: int, exception_id: int):
    case = _editable(request, case_id)
    item = CaseException.objects.filter(pk=exception_id, assessment_request=case).first()
    if item is None:
        raise Http404("No exception found")

    call = _calling(request, services.end_exception, ("version", "ends_on"), exception=item)

    return _step(
        request,
        case,
        form_class=forms.ExceptionEndForm,
        call=call,
        heading="Record the end of the exceptional circumstances",
        intro=f"{item.get_regulation_display()}, from {item.starts_on:%d/%m/%Y}.",
        success="The end of the exception has been recorded.",
    )


@requires(Capability.CASEWORK)
def coronavirus_reason(request, case_id: int):
    case = _editable(request, case_id)

    def call(data):
        services.record_coronavirus_reason(
            actor=request.user,
            request=request,
            case=case,
            version=data["version"],
            no_reason=data["had_reason"] == "no",
        )

    return _step(
        request,
        case,
        form_class=forms.CoronavirusReasonForm,
        call=call,
        initial={"had_reason": "no" if case.no_coronavirus_reason else "yes"},
        heading="The 2020 coronavirus easement",
        intro="Between 1 May and 25 September 2020 a time limit did not apply where it was "
        "not reasonably practicable to meet it for a reason relating to coronavirus "
        "(SI 2020/471). Where nothing is recorded, EveryChild assumes there was such a "
        "reason. If you know there was none, record it: the usual limit then stands, on this "
        "page, in the measures and in the SEN2 return.",
        success="What applied in 2020 has been recorded.",
    )


@requires(Capability.CASEWORK)
def draft(request, case_id: int):
    case = _editable(request, case_id)

    call = _calling(request, services.serve_draft_plan, ("version", "served_on"), case=case)

    return _step(
        request,
        case,
        form_class=forms.DraftForm,
        call=call,
        heading="Record the draft plan as served",
        intro="The family then has at least 15 days to comment, ask for a meeting and ask for "
        "a school (reg 13(1)). The final plan cannot be issued before those days are up "
        "unless they agree.",
        success="The draft plan has been recorded as served.",
    )


@requires(Capability.CASEWORK)
def family_agreement(request, case_id: int):
    case = _editable(request, case_id)

    call = _calling(request, services.record_family_agreement, ("version", "agreed_on"), case=case)

    return _step(
        request,
        case,
        form_class=forms.FamilyAgreementForm,
        call=call,
        heading="Record the family's agreement to an earlier final plan",
        intro="Only if the family has said they do not need all of their 15 days.",
        success="The family's agreement has been recorded.",
    )


@requires(Capability.CASEWORK)
def consultation_new(request, case_id: int):
    case = _editable(request, case_id)

    call = _calling(
        request, services.send_consultation, ("version", "setting", "sent_on"), case=case
    )

    return _step(
        request,
        case,
        form_class=forms.ConsultationForm,
        form_kwargs={"area": case.area},
        call=call,
        heading="Consult a school, college or setting",
        intro="It should answer within 15 days (Children and Families Act 2014 s.39-40; "
        "Code of Practice 9.83).",
        success="The consultation has been recorded.",
    )


@requires(Capability.CASEWORK)
def consultation_answer(request, case_id: int, consultation_id: int):
    case = _editable(request, case_id)
    item = (
        Consultation.objects.select_related("setting", "assessment_request")
        .filter(pk=consultation_id, assessment_request=case)
        .first()
    )
    if item is None:
        raise Http404("No consultation found")

    call = _calling(
        request,
        services.record_consultation_answer,
        ("version", "answered_on", "outcome"),
        consultation=item,
    )

    return _step(
        request,
        case,
        form_class=forms.ConsultationAnswerForm,
        call=call,
        heading=f"Record {item.setting.name}'s answer",
        success="The answer has been recorded.",
    )


@requires(Capability.CASEWORK)
def final_plan(request, case_id: int):
    case = _case_or_404(request, case_id)
    if not policy.may_take_decision(request.user, case, policy.FINAL_PLAN):
        raise PermissionDenied(policy.decision_owner_refusal(case, policy.FINAL_PLAN))

    call = _calling(request, plan_services.issue_final_plan, ("version", "issued_on"), case=case)

    return _step(
        request,
        case,
        form_class=forms.FinalPlanForm,
        call=call,
        heading="Record the final plan as issued",
        intro="Due within 20 weeks of the request (reg 13(2)), and only after the family's "
        "15 days on the draft, unless they agreed to an earlier date.",
        success="The final plan has been recorded as issued.",
    )


@requires(Capability.CASEWORK)
def withdraw(request, case_id: int):
    case = _editable(request, case_id)

    call = _calling(request, services.withdraw, ("version", "withdrawn_on", "reason"), case=case)

    return _step(
        request,
        case,
        form_class=forms.WithdrawForm,
        call=call,
        heading="Withdraw the request",
        intro="The clock stops and the case closes.",
        success="The request has been withdrawn.",
        button="Withdraw the request",
    )


@requires(Capability.MANAGE_TEAM)
def allocate(request, case_id: int):
    case = _case_or_404(request, case_id)
    if not policy.may_manage_cases(request.user, case.area_id):
        raise PermissionDenied("Only the area's team managers can allocate cases.")

    call = _calling(request, services.allocate, ("version", "caseworker"), case=case)

    form_kwargs = {"area_ids": [case.area_id]}
    if request.method == "POST" and request.POST.get("next") == "team":
        # The team page's one-click allocation: back to the team page, or the page again with
        # the error on this row's select, whose id ("caseworker-<case>") the summary links to.
        form = forms.AllocateForm(
            request.POST, auto_id=f"%s-{case.pk}", child_name=case.child.full_name, **form_kwargs
        )
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except (ValidationError, CaseChanged) as error:
                text = str(error) if isinstance(error, CaseChanged) else " ".join(error.messages)
                messages.error(request, f"{case.reference}: {text}")
            else:
                name = form.cleaned_data["caseworker"].full_name
                messages.success(request, f"{case.reference} allocated to {name}.")
        elif "caseworker" in form.errors:
            page = _team_page(request, allocation=form, allocating=case, status=400)
            if page is not None:
                return page
            messages.error(request, form.errors["caseworker"][0])
        else:
            messages.error(request, f"{case.reference}: choose a caseworker.")
        return redirect("casework:team")
    return _step(
        request,
        case,
        form_class=forms.AllocateForm,
        form_kwargs=form_kwargs,
        call=call,
        heading="Allocate the case" if case.caseworker_id is None else "Reallocate the case",
        success="The case has been allocated.",
        initial={"caseworker": case.caseworker_id},
    )


@requires(Capability.CASEWORK)
def reassess(request, case_id: int):
    case = _editable(request, case_id)
    if case.stage != Stage.PLAN_ISSUED:
        raise Http404("Only a case whose plan was issued can be re-assessed")
    form = forms.ReassessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.request_reassessment(
                actor=request.user,
                case=case,
                source=data["source"],
                received_on=data["received_on"],
                requested_by=data["requested_by"],
                reason=data["reason"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Request to re-assess {new.reference} recorded.")
            return redirect("casework:case", case_id=new.pk)
    return render(
        request,
        "casework/step.html",
        {
            "case": case,
            "form": form,
            "heading": "Record a request to re-assess",
            "intro": "The decision is due within 15 days (reg 25), the plan within 14 weeks of "
            "the notice of the decision to re-assess (reg 27).",
            "button": "Record the request",
        },
    )


# --- Notes, documents and letters -----------------------------------------------------------


@requires(Capability.CASEWORK)
@require_POST
def note_add(request, case_id: int):
    case = _editable(request, case_id)
    form = forms.NoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_note(
                actor=request.user, case=case, text=form.cleaned_data["text"], request=request
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The note has been added.")
            return redirect(reverse("casework:case", args=[case.pk]) + "#notes")
    return _case_with_form_errors(request, case, note_form=form)


@requires(Capability.CASEWORK)
@require_POST
def document_upload(request, case_id: int):
    case = _editable(request, case_id)
    form = forms.UploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.upload_document(
                actor=request.user,
                case=case,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                request=request,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The document has been added.")
            return redirect(reverse("casework:case", args=[case.pk]) + "#documents")
    return _case_with_form_errors(request, case, upload_form=form)


def _case_with_form_errors(request, case, **forms_with_errors):
    context = selectors.case_page(request.user, case)
    context.update(
        case=case,
        child=case.child,
        can_edit=True,
        can_decide=policy.may_take_decision(request.user, case, policy.ASSESS),
        can_decide_issue=policy.may_take_decision(request.user, case, policy.ISSUE),
        can_manage=policy.may_manage_cases(request.user, case.area_id),
        note_form=forms.NoteForm(),
        upload_form=forms.UploadForm(),
        letter_kinds=_letter_kinds(case),
        is_open=case.is_open,
    )
    context.update(forms_with_errors)
    context["form"] = next(iter(forms_with_errors.values()))  # for the page title's "(error)"
    return render(request, "casework/case.html", context, status=400)


@requires(Capability.CASEWORK)
def document_download(request, case_id: int, document_id: int):
    try:
        document = selectors.document_for_download(
            request.user, case_id, document_id, request=request
        )
    except CaseDocument.DoesNotExist:
        raise Http404("No document found") from None
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@requires(Capability.CASEWORK)
@require_POST
def letter_create(request, case_id: int):
    case = _editable(request, case_id)
    kind = request.POST.get("kind", "")
    subject = request.POST.get("subject", "")[:40]
    known = Letter.objects.filter(assessment_request=case).values_list("pk", flat=True)
    known = set(known)
    try:
        letter = services.generate_letter(
            actor=request.user, case=case, kind=kind, subject=subject, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("casework:case", args=[case.pk]) + "#letters")
    if letter.pk in known:
        messages.info(
            request,
            f"This letter was already made on {letter.dated_on:%-d %B %Y}: here it is. "
            "No second letter was made.",
        )
    else:
        messages.success(
            request, f"The {letter.get_kind_display().lower()} letter has been created."
        )
    return redirect("casework:letter", case_id=case.pk, letter_id=letter.pk)


def _letter_or_404(case, letter_id) -> Letter:
    letter = (
        Letter.objects.filter(pk=letter_id, assessment_request=case)
        .select_related("document")
        .first()
    )
    if letter is None:
        raise Http404("No letter found")
    return letter


@requires(Capability.CASEWORK)
def letter_detail(request, case_id: int, letter_id: int):
    case = _case_or_404(request, case_id)
    letter = _letter_or_404(case, letter_id)
    return render(
        request,
        "casework/letter.html",
        {
            "case": case,
            "letter": letter,
            "can_edit": policy.may_edit_case(request.user, case),
            "sent_form": forms.LetterSentForm(initial={"version": case.version}),
        },
    )


@requires(Capability.CASEWORK)
def letter_sent(request, case_id: int, letter_id: int):
    case = _editable(request, case_id)
    letter = _letter_or_404(case, letter_id)

    call = _calling(request, services.record_letter_sent, ("version", "sent_on"), letter=letter)

    return _step(
        request,
        case,
        form_class=forms.LetterSentForm,
        call=call,
        heading=f"Record the {letter.get_kind_display().lower()} letter as sent",
        success="The letter has been recorded as sent.",
    )


# --- My tasks -----------------------------------------------------------------------------------


def task_rows(tasks, today) -> list[dict]:
    """Tasks as the page shows them: the dates in words and a tag for how pressing each is."""
    week = today + dt.timedelta(days=7)
    rows = []
    for task in tasks:
        if task.is_overdue(today):
            tag, status = "govuk-tag--red", "Overdue"
        elif task.is_late_to_act(today):
            tag, status = "govuk-tag--orange", "Act now"
        elif task.due is not None and task.due <= week:
            tag, status = "govuk-tag--yellow", "Due this week"
        elif task.due is None:
            tag, status = "govuk-tag--grey", "No legal date"
        else:
            tag, status = "govuk-tag--green", "On track"
        rows.append(
            {
                "task": task,
                "when": worklist.describe_due(task, today),
                "tag": tag,
                "status": status,
            }
        )
    return rows


def _worker_name(task) -> str:
    return task.caseworker or "Not yet allocated"


@requires(Capability.CASEWORK)
def tasks(request):
    user = request.user
    manager = bool(la_area_ids(user, Capability.MANAGE_TEAM))
    staff = selectors.casework_staff(la_area_ids(user, Capability.MANAGE_TEAM)) if manager else None
    form = forms.TasksForm(request.GET or None, kinds=worklist.KINDS, staff=staff)
    values = form.cleaned_data if form.is_valid() else {}
    whose = values.get("caseworker", "") if manager else ""
    today = timezone.localdate()
    found = worklist.tasks_for(
        user,
        caseworker=whose or None,
        kind=values.get("kind", ""),
        today=today,
        request=request,
        audited=False,
    )
    if whose == worklist.ALL:
        # By caseworker (a stable sort keeps each one's tasks in the list's order).
        found = sorted(found, key=_worker_name)
    # A page at a time (decision 0282): every caseworker's list is ~3,000 tasks at scale 5, and
    # only the page's children are audited and drawn; the counts are of the whole list.
    page = Paginator(found, TASKS_PAGE_SIZE).get_page(request.GET.get("page"))
    worklist.audit_tasks(user, page.object_list, request=request)
    groups: list[dict] = []
    if whose == worklist.ALL:
        totals = Counter(_worker_name(task) for task in found)
        for name, items in groupby(page.object_list, key=_worker_name):
            groups.append({"name": name, "rows": task_rows(items, today), "total": totals[name]})
    else:
        groups = [{"name": "", "rows": task_rows(page.object_list, today), "total": len(found)}]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "casework/tasks.html",
        {
            "form": form,
            "groups": groups,
            "counts": worklist.counts(found, today),
            "page": page,
            "total": len(found),
            "query_string": query.urlencode(),
            "manager": manager,
            "whose": whose,
            "panel": not has_capability(user, Capability.WRITE_CASES),
        },
    )
