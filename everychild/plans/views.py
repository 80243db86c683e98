"""Plan pages. Thin: reads through the selectors, writes through the services. A plan or case
the user may not open is "not found" (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import (
    Capability,
    CapabilityRefused,
    has_capability,
    la_area_ids,
    requires,
    setting_ids,
)
from everychild.casework import clock as casework_clock
from everychild.casework.models import AssessmentRequest, Letter
from everychild.core.dates import today
from everychild.core.forms import apply_errors as _apply_errors
from everychild.core.models import JobRun
from everychild.families.selectors import family_views_for_review
from everychild.plans import documents, forms, selectors, services
from everychild.plans import letters as plan_letters
from everychild.plans.models import (
    AnnualReview,
    Disagreement,
    EHCPlan,
    IssuedVersionError,
    PlanVersion,
    TribunalOrder,
)
from everychild.plans.policy import may_write_plans
from everychild.plans.sections import (
    NEED_SECTIONS,
    PROVISION_SECTIONS,
    SECTION_KEYS,
    SECTION_TITLES,
    normalised,
)
from everychild.plans.services import DraftChanged
from everychild.plans.services import pdfs as pdf_services

PAGE_SIZE = 100


def _form_page(
    request,
    *,
    form,
    call,
    heading,
    caption,
    back,
    success,
    redirect_to,
    button="Save",
    intro="",
    extra=None,
):
    """Show the form; on a valid post run the service; on refusal show it again with what was
    typed and what to fix (a GOV.UK error summary)."""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        except (DraftChanged, IssuedVersionError) as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, success)
            return redirect(redirect_to)
    context = {
        "form": form,
        "heading": heading,
        "caption": caption,
        "back": back,
        "button": button,
        "intro": intro,
        **(extra or {}),
    }
    return render(request, "plans/form.html", context, status=status)


def _plan_or_404(request, plan_id, *, reviews=False) -> EHCPlan:
    try:
        return selectors.plan_for_viewing(request.user, plan_id, request=request, reviews=reviews)
    except EHCPlan.DoesNotExist:
        raise Http404("No plan found") from None


def _plan_to_write(request, plan_id) -> EHCPlan:
    """The plan, for a page whose saving the services allow only to those who write plans
    (policy.may_write_plans): anyone else (a panel member reads plans but decides rather than
    writes) is refused before a form is shown that could not be saved."""
    plan = _plan_or_404(request, plan_id)
    if not may_write_plans(request.user, plan.area_id):
        raise CapabilityRefused(Capability.WRITE_CASES)
    return plan


def _writable_areas(user) -> set[int]:
    """The areas whose drafts `user` may write: the one check behind both the draft's pages
    (_draft_or_404) and the controls the workspace offers (may_write), so a panel member, who
    reads the draft but decides rather than writes, is offered no "Change" that would fail."""
    return la_area_ids(user, Capability.WRITE_CASES)


def _draft_or_404(request, version_id) -> PlanVersion:
    if not has_capability(request.user, Capability.WRITE_CASES):
        # A refusal by role, not a record out of reach: the 403 page says why.
        raise CapabilityRefused(Capability.WRITE_CASES)
    version = (
        PlanVersion.objects.select_related(
            "document",
            "document__child",
            "document__area",
            "document__plan",
            "document__assessment_request",
        )
        .filter(pk=version_id, document__area_id__in=_writable_areas(request.user))
        .first()
    )
    if version is None:
        raise Http404("No draft found")
    audit.record(
        action=AuditAction.VIEW,
        actor=request.user,
        child=version.document.child_id,
        record=version,
        request=request,
    )
    return version


def _draft_home(version: PlanVersion) -> str:
    document = version.document
    if document.plan_id and version.is_issued:
        return reverse("plans:plan", args=[document.plan_id])
    if document.plan_id and version.reason != PlanVersion.Reason.NEW_PLAN:
        return reverse("plans:amendment", args=[document.plan_id])
    return reverse("plans:case-draft", args=[document.assessment_request_id])


# --- The caseload's plans -----------------------------------------------------------------------


@requires(Capability.CASEWORK)
def overview(request):
    return render(
        request,
        "plans/overview.html",
        {
            "quality": selectors.quality_overview(request.user, request=request),
            "drafts": selectors.drafts_in_progress(request.user, request=request),
        },
    )


# --- Drafting ----------------------------------------------------------------------------------


def _draft_context(draft: PlanVersion | None, user=None) -> dict:
    if draft is None:
        return {"draft": None, "may_write": has_capability(user, Capability.WRITE_CASES)}
    report = selectors.quality_of(draft)
    may_write = user is not None and draft.document.area_id in _writable_areas(user)
    return {
        "draft": draft,
        "may_write": may_write,
        "sections": normalised(draft.sections),
        "report": report,
        "scores": {s.section: s for s in report.sections},
        "keys": SECTION_KEYS,
        "titles": SECTION_TITLES,
        "need_sections": NEED_SECTIONS,
        "provision_sections": PROVISION_SECTIONS,
        "document_html": documents.render_plan_html(draft),
        # Suggestions from structured advice are offered to those who may accept them.
        "suggestion_count": len(selectors.open_suggestions(draft))
        if may_write and draft.document.assessment_request_id
        else 0,
        "source_warnings": selectors.source_warnings(draft),
    }


@requires(Capability.CASEWORK)
def case_draft(request, case_id: int):
    try:
        case, draft = selectors.draft_for_case_viewing(request.user, case_id, request=request)
    except (AssessmentRequest.DoesNotExist, ValueError):
        raise Http404("No case found") from None
    if request.method == "POST":
        try:
            services.draft_for_case(actor=request.user, case=case, request=request)
        except PermissionDenied:
            raise
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("plans:case-draft", case_id=case.pk)
    plan = EHCPlan.objects.filter(assessment_request=case).first()
    return render(
        request,
        "plans/draft.html",
        {
            "case": case,
            "child": case.child,
            "plan": plan,
            "next_step": _next_legal_step(case),
            **_draft_context(draft, request.user),
        },
    )


def _next_legal_step(case: AssessmentRequest) -> dict:
    """What the draft workspace offers as its primary action: the next legal step. The draft
    goes to the family first (reg 12); the final plan only once their 15 days on it have run
    (reg 13(1)) or they agreed to an earlier one, and then as a secondary action, so a
    half-written draft is never one click from being issued. Dates from the casework clock."""
    if case.draft_plan_served_on is None:
        return {"serve": case.is_open}
    window = casework_clock.comment_window(case, today())
    agreed = case.family_agreed_early_issue_on is not None
    return {
        "serve": False,
        "window": window,
        "agreed": agreed,
        # Only once the decision to issue is recorded (decision 0192).
        "no_decision": case.decision_to_issue_on is None and case.is_open,
        "may_issue": case.is_open
        and case.final_plan_issued_on is None
        and case.decision_to_issue_on is not None
        and (agreed or (window is not None and today() > window["last_day"])),
    }


@requires(Capability.CASEWORK)
def amendment(request, plan_id: int):
    plan = _plan_or_404(request, plan_id)
    document = selectors.document_of(plan)
    draft = document.versions.filter(status=PlanVersion.Status.DRAFT).first() if document else None
    if draft is None:
        return redirect("plans:plan", plan_id=plan.pk)
    return render(
        request,
        "plans/draft.html",
        {
            "plan": plan,
            "child": plan.child,
            "amending": True,
            **_draft_context(draft, request.user),
        },
    )


@requires(Capability.CASEWORK)
def draft_section(request, version_id: int, section: str):
    draft = _draft_or_404(request, version_id)
    if section not in SECTION_KEYS or section == "K":
        raise Http404("No such section")
    if draft.is_issued:
        messages.error(request, "An issued version can never be edited: start an amendment.")
        return redirect(_draft_home(draft))
    sections = normalised(draft.sections)
    data = request.POST if request.method == "POST" else None
    start = {"lock_version": draft.lock_version}
    common = {"actor": request.user, "draft": draft, "request": request}
    need_choices = [
        (n["id"], f"{key}: {n['text']}") for key in NEED_SECTIONS for n in sections[key]["needs"]
    ]
    outcome_choices = [(o["id"], o["text"]) for o in sections["E"]["outcomes"]]
    caption = f"{draft.document.child.full_name}: section {section}"
    heading = SECTION_TITLES[section]
    extra = {"section_key": section, "sections": sections, "draft": draft}
    if section == "A":
        form = forms.SectionAForm(data, initial={**start, "text": sections["A"]["text"]})

        def call(d):
            services.set_section_a(text=d["text"], lock_version=d["lock_version"], **common)
    elif section in NEED_SECTIONS:
        posting_types = request.POST.get("form") == "types"
        need_form = forms.NeedForm(None if posting_types else data, initial=start)
        types_form = (
            forms.NeedTypesForm(
                data if posting_types else None,
                initial={
                    **start,
                    "primary_need": sections["B"]["primary_need"],
                    "secondary_need": sections["B"]["secondary_need"],
                },
            )
            if section == "B"
            else None
        )
        if posting_types:
            form = types_form

            def call(d):
                services.set_need_types(
                    primary_need=d["primary_need"],
                    secondary_need=d["secondary_need"],
                    lock_version=d["lock_version"],
                    **common,
                )
        else:
            form = need_form

            def call(d):
                services.add_need(
                    section=section, text=d["text"], lock_version=d["lock_version"], **common
                )

        extra["page_forms"] = [f for f in (types_form, need_form) if f is not None]
    elif section == "E":
        form = forms.OutcomeForm(data, initial=start, need_choices=need_choices)

        def call(d):
            services.add_outcome(
                text=d["text"],
                needs=d["needs"],
                by_when=d["by_when"],
                measured_by=d["measured_by"],
                lock_version=d["lock_version"],
                **common,
            )
    elif section in PROVISION_SECTIONS:
        form = forms.ProvisionForm(data, initial=start, outcome_choices=outcome_choices)

        def call(d):
            services.add_provision(
                section=section,
                what=d["what"],
                how_often=d["how_often"],
                how_long=d["how_long"],
                by_whom=d["by_whom"],
                qualification=d["qualification"],
                outcomes=d["outcomes"],
                lock_version=d["lock_version"],
                **common,
            )
    elif section == "I":
        form = forms.PlacementForm(
            data,
            area_id=draft.document.area_id,
            initial={
                **start,
                "setting": sections["I"]["setting_id"],
                "setting_code": sections["I"]["setting_code"],
                "setting_type": sections["I"]["setting_type"],
            },
        )

        def call(d):
            services.set_placement(
                setting=d["setting"],
                setting_code=d["setting_code"],
                setting_type=d["setting_type"],
                lock_version=d["lock_version"],
                **common,
            )
    else:  # J
        form = forms.BudgetForm(data, initial={**start, **sections["J"]})

        def call(d):
            services.set_personal_budget(
                requested=d["requested"],
                text=d["text"],
                amount=d["amount"],
                lock_version=d["lock_version"],
                **common,
            )

    return _form_page(
        request,
        form=form,
        call=call,
        heading=heading,
        caption=caption,
        back=_draft_home(draft),
        success=f"Section {section} has been saved.",
        redirect_to=_draft_home(draft),
        button="Add" if section in (*NEED_SECTIONS, "E", *PROVISION_SECTIONS) else "Save",
        extra=extra,
    )


@requires(Capability.CASEWORK)
def draft_remove(request, version_id: int, section: str, item_id: str):
    """Removing an item asks first (a page of its own, so no script is needed): a removed
    need takes its links from outcomes and provision with it."""
    draft = _draft_or_404(request, version_id)
    if request.method != "POST":
        item = _draft_item(draft, section, item_id)
        if item is None:
            raise Http404("No such item in this draft")
        return render(
            request,
            "plans/draft_remove.html",
            {
                "draft": draft,
                "section": section,
                "title": SECTION_TITLES.get(section, ""),
                "item_text": item.get("text") or item.get("what") or "",
                "back": _draft_home(draft),
            },
        )
    try:
        services.remove_item(
            actor=request.user, draft=draft, section=section, item_id=item_id, request=request
        )
    except (ValidationError, IssuedVersionError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, "The item has been removed.")
    return redirect(_draft_home(draft))


def _draft_item(draft: PlanVersion, section: str, item_id: str) -> dict | None:
    if section == "K" or section not in SECTION_KEYS:
        return None
    for key in ("needs", "outcomes", "provision"):
        for item in normalised(draft.sections).get(section, {}).get(key, []) or []:
            if item.get("id") == item_id:
                return item
    return None


# --- Suggestions from structured advice (decision 0195) --------------------------------------


def _suggestions_home(draft: PlanVersion) -> str:
    return reverse("plans:draft-suggestions", args=[draft.pk])


@requires(Capability.CASEWORK)
def draft_suggestions(request, version_id: int):
    """The needs, outcomes and provision the advice gave, offered into the draft's sections one
    at a time: accept, edit then accept, or reject."""
    draft = _draft_or_404(request, version_id)
    if draft.is_issued:
        return redirect(_draft_home(draft))
    if request.method == "POST":
        form = forms.SuggestionDecisionForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Choose a suggestion to accept or reject.")
            return redirect(_suggestions_home(draft))
        d = form.cleaned_data
        service = (
            services.accept_suggestion if d["decision"] == "accept" else services.reject_suggestion
        )
        try:
            service(
                actor=request.user,
                draft=draft,
                advice_item_id=d["advice_item"],
                lock_version=d["lock_version"],
                request=request,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except (DraftChanged, IssuedVersionError) as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                "The suggestion has been added to the draft."
                if d["decision"] == "accept"
                else "The suggestion has been rejected: it will not be offered again.",
            )
        return redirect(_suggestions_home(draft))
    open_ = selectors.open_suggestions(draft)
    groups = [
        (key, SECTION_TITLES[key], [s for s in open_ if s.section == key])
        for key in SECTION_KEYS
        if any(s.section == key for s in open_)
    ]
    return render(
        request,
        "plans/suggestions.html",
        {
            "draft": draft,
            "child": draft.document.child,
            "groups": groups,
            "count": len(open_),
            "rejected": selectors.rejected_suggestions(draft),
            "back": _draft_home(draft),
        },
    )


@requires(Capability.CASEWORK)
def draft_suggestion_edit(request, version_id: int, advice_item_id: int):
    """Edit a suggestion before it goes into the draft (it keeps its source, marked edited)."""
    draft = _draft_or_404(request, version_id)
    if draft.is_issued:
        return redirect(_draft_home(draft))
    suggestion = next(
        (s for s in selectors.open_suggestions(draft) if s.advice_item_id == advice_item_id),
        None,
    )
    if suggestion is None:
        raise Http404("No such suggestion open for this draft")
    form_class = forms.EDIT_SUGGESTION_FORMS[suggestion.item_kind]
    form = form_class(
        request.POST if request.method == "POST" else None,
        initial={"lock_version": draft.lock_version, **suggestion.as_plan_item()},
    )

    def call(d):
        services.accept_suggestion(
            actor=request.user,
            draft=draft,
            advice_item_id=advice_item_id,
            edits={k: v for k, v in d.items() if k != "lock_version"},
            lock_version=d["lock_version"],
            request=request,
        )

    return _form_page(
        request,
        form=form,
        call=call,
        heading=f"Edit, then add to section {suggestion.section}",
        caption=f"{draft.document.child.full_name}: {suggestion.item_kind_label.lower()}",
        intro=suggestion.source_label,
        back=_suggestions_home(draft),
        success=f"The edited suggestion has been added to section {suggestion.section}.",
        redirect_to=_suggestions_home(draft),
        button="Add to the draft",
    )


@requires(Capability.CASEWORK)
def draft_issue(request, version_id: int):
    """Issue an amended plan (a new plan is issued from its case: the final plan step)."""
    draft = _draft_or_404(request, version_id)
    if draft.document.plan_id is None or draft.is_issued:
        raise Http404("Nothing to issue here")
    form = forms.IssueForm(
        request.POST if request.method == "POST" else None,
        initial={"lock_version": draft.lock_version},
    )

    def call(d):
        services.issue_amendment(
            actor=request.user,
            draft=draft,
            issued_on=d["issued_on"],
            lock_version=d["lock_version"],
            request=request,
        )

    return _form_page(
        request,
        form=form,
        call=call,
        heading="Issue the amended plan",
        caption=draft.document.child.full_name,
        back=_draft_home(draft),
        intro="Issuing makes this version final: it can never be edited afterwards.",
        success="The amended plan has been issued.",
        redirect_to=reverse("plans:plan", args=[draft.document.plan_id]),
        button="Issue the amended plan",
    )


# --- A plan, its versions and documents ---------------------------------------------------------


@requires(Capability.CASEWORK)
def plan_detail(request, plan_id: int):
    plan = _plan_or_404(request, plan_id)
    versions = selectors.versions_of(plan)
    reviews = list(plan.reviews.select_related("amended_version").order_by("-due_on", "-pk"))
    return render(
        request,
        "plans/plan.html",
        {
            "plan": plan,
            "child": plan.child,
            "versions": versions,
            "draft": next((v for v in versions if not v.is_issued), None),
            "finals": [v for v in versions if v.is_issued],
            "reviews": reviews,
            "next_review_due": services.next_review_due(plan) if plan.is_active else None,
            "cessation": getattr(plan, "cessation", None) if hasattr(plan, "cessation") else None,
            "disagreements": plan.disagreements.all(),
            "amend_form": forms.AmendForm(),
            # Amend, cease, transfers and disagreements are written by those who write plans.
            "may_write": may_write_plans(request.user, plan.area_id),
            "plan_letters": _plan_letters(plan),
            **_plan_review(request, plan),
            **selectors.plan_clock(plan),
        },
    )


def _plan_review(request, plan) -> dict:
    """The review in progress (or the latest) on the plan's page, as the school sees it."""
    shown = _review_shown(request, selectors.open_review_of(plan))
    return {"current_review": shown["review"], "timeline": shown["timeline"]}


def _plan_letters(plan) -> list[dict]:
    """The plan's letters: those made (a link to each) and those its records call for."""
    if plan.assessment_request_id is None:
        return []
    made = {
        (letter.kind, letter.subject): letter
        for letter in Letter.objects.filter(assessment_request_id=plan.assessment_request_id)
    }
    return [
        {"due": due, "letter": made.get((due.kind, due.subject))}
        for due in plan_letters.plan_letters(plan)
    ]


@requires(Capability.CASEWORK)
@require_POST
def plan_letter(request, plan_id: int):
    plan = _plan_or_404(request, plan_id)
    kind = request.POST.get("kind", "")
    subject = request.POST.get("subject", "")[:40]
    before = Letter.objects.filter(
        assessment_request_id=plan.assessment_request_id, kind=kind, subject=subject
    ).exists()
    try:
        letter = services.make_plan_letter(
            actor=request.user, plan=plan, kind=kind, subject=subject, request=request
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("plans:plan", args=[plan.pk]) + "#letters")
    if before:
        messages.info(
            request, "This letter was already made: here it is. No second letter was made."
        )
    else:
        messages.success(
            request, f"The {letter.get_kind_display().lower()} letter has been created."
        )
    return redirect("casework:letter", case_id=letter.assessment_request_id, letter_id=letter.pk)


def _version(request, plan_id, number) -> PlanVersion:
    try:
        return selectors.version_for_viewing(request.user, plan_id, number, request=request)
    except (EHCPlan.DoesNotExist, PlanVersion.DoesNotExist):
        raise Http404("No such version") from None


@requires(Capability.CASEWORK)
def version_html(request, plan_id: int, number: int):
    version = _version(request, plan_id, number)
    return render(
        request,
        "plans/version.html",
        {
            "version": version,
            "plan_id": plan_id,
            "child": version.document.child,
            "document_html": documents.render_plan_html(version),
            "report": selectors.quality_of(version),
        },
    )


@requires(Capability.CASEWORK)
def version_pdf(request, plan_id: int, number: int):
    """The version's PDF when it is kept (an issued version's, made once); otherwise a page
    to make it in the background (decision 0246), and, pressed (POST), the job's page."""
    version = _version(request, plan_id, number)
    if request.method == "POST":
        run, _started = pdf_services.request_pdf(actor=request.user, version=version)
        return redirect("plans:version-pdf-run", plan_id=plan_id, number=number, run_id=run.pk)
    pdf = documents.kept_pdf(version)
    if pdf is None:
        return render(
            request,
            "plans/version_pdf.html",
            {
                "version": version,
                "plan_id": plan_id,
                "child": version.document.child,
                "runs": list(selectors.pdf_runs(version)[:5]),
            },
        )
    return _pdf_response(request, version, pdf, plan_id)


def _pdf_response(request, version: PlanVersion, pdf: bytes, plan_id: int) -> HttpResponse:
    audit.record(
        action=AuditAction.DOWNLOAD,
        actor=request.user,
        child=version.document.child_id,
        record=version,
        request=request,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    state = "draft-" if not version.is_issued else ""
    response["Content-Disposition"] = (
        f'inline; filename="ehc-plan-{plan_id}-{state}version-{version.number}.pdf"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf_run(request, plan_id: int, number: int, run_id: int):
    version = _version(request, plan_id, number)
    run = selectors.pdf_runs(version).filter(pk=run_id).first()
    if run is None:
        raise Http404("No such PDF")
    return version, run


@requires(Capability.CASEWORK)
def version_pdf_run(request, plan_id: int, number: int, run_id: int):
    """How far the PDF has got (no script needed), then the link to it."""
    version, run = _pdf_run(request, plan_id, number, run_id)
    return render(
        request,
        "plans/version_pdf_run.html",
        {"version": version, "plan_id": plan_id, "child": version.document.child, "run": run},
    )


@requires(Capability.CASEWORK)
def version_pdf_file(request, plan_id: int, number: int, run_id: int):
    """A draft's PDF as the run made it (an issued version's is served by version_pdf)."""
    version, run = _pdf_run(request, plan_id, number, run_id)
    name = (run.result or {}).get("file") if run.status == JobRun.Status.DONE else None
    if not name:
        raise Http404("This PDF is not ready")
    with default_storage.open(name, "rb") as handle:
        pdf = handle.read()
    return _pdf_response(request, version, pdf, plan_id)


@requires(Capability.CASEWORK)
def compare(request, plan_id: int):
    plan = _plan_or_404(request, plan_id)
    versions = selectors.versions_of(plan)
    by_number = {v.number: v for v in versions}
    try:
        old = by_number[
            int(request.GET.get("from", 0) or (versions[-2].number if len(versions) > 1 else 0))
        ]
        new = by_number[int(request.GET.get("to", 0) or versions[-1].number)]
    except (KeyError, ValueError, IndexError):
        old = new = None
    return render(
        request,
        "plans/compare.html",
        {
            "plan": plan,
            "child": plan.child,
            "versions": versions,
            "old": old,
            "new": new,
            "changes": selectors.compare_versions(old, new) if old and new else [],
        },
    )


@requires(Capability.CASEWORK)
def amend(request, plan_id: int):
    plan = _plan_to_write(request, plan_id)
    form = forms.AmendForm(request.POST if request.method == "POST" else None)

    def call(d):
        services.start_amendment(actor=request.user, plan=plan, reason=d["reason"], request=request)

    return _form_page(
        request,
        form=form,
        call=call,
        heading="Amend the plan",
        caption=plan.child.full_name,
        back=reverse("plans:plan", args=[plan.pk]),
        success="An amendment has been started.",
        redirect_to=reverse("plans:amendment", args=[plan.pk]),
        button="Start the amendment",
    )


# --- Reviews -----------------------------------------------------------------------------------


@requires(Capability.PLAN_REVIEWS)
def review_backlog(request):
    backlog = selectors.review_backlog(request.user)
    overdue_page = Paginator(backlog["overdue"], PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(overdue_page.object_list)
    month = backlog["this_month"][:PAGE_SIZE]
    awaiting, amendments_overdue = selectors.review_backlog_shown(
        request.user, backlog, rows + month, limit=PAGE_SIZE, request=request
    )
    return render(
        request,
        "plans/reviews.html",
        {
            "on": backlog["on"],
            "overdue": rows,
            "overdue_page": overdue_page,
            "overdue_count": len(backlog["overdue"]),
            "this_month": month,
            "this_month_count": len(backlog["this_month"]),
            "awaiting": awaiting,
            "amendments_overdue": amendments_overdue,
            # A SENCO sees their pupils' reviews here too, but the plan and the council's
            # review decision are casework pages: their names are not links for them.
            "can_open_plans": has_capability(request.user, Capability.CASEWORK),
            # Only someone who works for a setting (its SENCO) has "their setting's pupils".
            "has_setting": bool(setting_ids(request.user)),
        },
    )


@requires(Capability.PLAN_REVIEWS)
def senco_reviews(request):
    rows = selectors.senco_reviews(request.user)
    overview = selectors.senco_review_overview(request.user, rows)
    selectors.awaiting_decision_shown(
        request.user,
        [item.review for item in overview["awaiting"]],
        request=request,
        what="senco_reviews_awaiting_council",
    )
    selectors.awaiting_decision_shown(
        request.user,
        overview["meeting_not_recorded"],
        request=request,
        what="senco_reviews_meeting_not_recorded",
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    selectors.fill_rows(request.user, shown, request=request, what="senco_reviews")
    return render(
        request,
        "plans/senco_reviews.html",
        {"rows": shown, "page": page, "on": today(), "overview": overview},
    )


@requires(Capability.PLAN_REVIEWS)
def review_meeting(request, plan_id: int):
    plan = _plan_or_404(request, plan_id, reviews=True)
    form = forms.ReviewMeetingForm(
        request.POST if request.method == "POST" else None,
        initial={"version": plan.review_version},
    )

    def call(d):
        services.record_review_meeting(actor=request.user, plan=plan, request=request, **d)

    back = (
        reverse("plans:senco-reviews")
        if not la_area_ids(request.user)
        else reverse("plans:reviews")
    )
    if request.GET.get("from") == "review":
        back = _run_home(plan)
    return _form_page(
        request,
        form=form,
        call=call,
        heading="Record the review meeting",
        caption=plan.child.full_name,
        back=back,
        intro=f"Review due by {services.next_review_due(plan):%-d %B %Y}.",
        success="The review meeting has been recorded.",
        redirect_to=back,
    )


# --- The annual review as its convener runs it (reg 20 at school, reg 21 otherwise) ------------


def _run_home(plan) -> str:
    return reverse("plans:annual-review", args=[plan.pk])


def _review_shown(request, review: AnnualReview | None) -> dict:
    """The review's timeline for a page, the review's reading audited."""
    if review is None:
        return {"review": None, "timeline": []}
    audit.record(
        action=AuditAction.VIEW,
        actor=request.user,
        child=review.plan.child_id,
        record=review,
        request=request,
    )
    views = family_views_for_review(review)
    return {
        "review": review,
        "timeline": selectors.review_timeline(review, family_views=views),
        "family_views": views,
    }


@requires(Capability.PLAN_REVIEWS)
def annual_review(request, plan_id: int):
    """One page the school (or the council, where it convenes) runs the review from: each step
    with its legal date, and the next thing to do."""
    plan = _plan_or_404(request, plan_id, reviews=True)
    review = selectors.open_review_of(plan)
    current = review if review is not None and not review.decision else None
    shown = _review_shown(request, review)
    may_decide = plan.area_id in la_area_ids(request.user, Capability.CASEWORK)
    return render(
        request,
        "plans/annual_review.html",
        {
            **shown,
            "plan": plan,
            "current": current,
            "may_invite": plan.is_active
            and (current is None or (not current.invitations_sent_on and not current.meeting_on)),
            "awaiting_advice": [
                i for i in (current.invitees.all() if current else []) if not i.is_family
            ],
            "may_decide": may_decide,
            "next_review_due": services.next_review_due(plan) if plan.is_active else None,
            "back": reverse("plans:plan", args=[plan.pk])
            if may_decide
            else reverse("plans:senco-reviews"),
        },
    )


def _current_review_or_404(request, plan_id):
    plan = _plan_or_404(request, plan_id, reviews=True)
    review = selectors.open_review_of(plan)
    if review is None or review.decision:
        raise Http404("No review in progress")
    return plan, review


@requires(Capability.PLAN_REVIEWS)
def review_invite(request, plan_id: int):
    plan = _plan_or_404(request, plan_id, reviews=True)
    setting = plan.child.current_setting
    form = forms.ReviewInvitationsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "version": plan.review_version,
            "sent_on": today(),
            "school": setting.name if setting else "",
        },
        area_id=plan.area_id,
    )

    def call(d):
        services.send_review_invitations(
            actor=request.user,
            plan=plan,
            meeting_on=d["meeting_on"],
            sent_on=d["sent_on"],
            invitees=form.invited(),
            version=d["version"],
            request=request,
        )

    return _form_page(
        request,
        form=form,
        call=call,
        heading="Invite people to the review meeting",
        caption=plan.child.full_name,
        back=_run_home(plan),
        intro="Invite the family, the school, the council's SEN officer, health and social care "
        "at least 2 weeks before the meeting (SEND Regulations 2014 reg 20(2)-(3)). The family "
        "are told in the family portal and can send their own and their child's views there; "
        "a service chosen from EveryChild is told by e-mail and gives its advice here itself.",
        success="The invitations have been recorded.",
        redirect_to=_run_home(plan),
        button="Record the invitations",
    )


@requires(Capability.PLAN_REVIEWS)
def review_advice(request, plan_id: int):
    plan, review = _current_review_or_404(request, plan_id)
    professionals = [i for i in review.invitees.all() if not i.is_family and not i.advice]
    form = forms.ReviewAdviceForm(
        request.POST if request.method == "POST" else None,
        initial={"version": review.version, "received_on": today()},
        professionals=professionals,
    )

    def call(d):
        services.record_review_advice(
            actor=request.user,
            review=review,
            invitee_id=d["invitee"],
            advice=d["advice"],
            received_on=d["received_on"],
            version=d["version"],
            request=request,
        )

    return _form_page(
        request,
        form=form,
        call=call,
        heading="Record advice for the review",
        caption=plan.child.full_name,
        back=_run_home(plan),
        intro="The advice and information each professional gives for the review (reg 20(3)). "
        "It is kept here, so nobody needs to e-mail it as an attachment.",
        success="The advice has been recorded.",
        redirect_to=_run_home(plan),
        button="Record the advice",
    )


@requires(Capability.PLAN_REVIEWS)
def review_circulated(request, plan_id: int):
    plan, review = _current_review_or_404(request, plan_id)
    form = forms.ReviewCirculatedForm(
        request.POST if request.method == "POST" else None,
        initial={"version": review.version, "circulated_on": today()},
    )

    def call(d):
        services.circulate_review_advice(
            actor=request.user,
            review=review,
            circulated_on=d["circulated_on"],
            version=d["version"],
            request=request,
        )

    return _form_page(
        request,
        form=form,
        call=call,
        heading="Record the advice as sent to everyone invited",
        caption=plan.child.full_name,
        back=_run_home(plan),
        success="The advice has been recorded as sent.",
        redirect_to=_run_home(plan),
        button="Record as sent",
    )


@requires(Capability.PLAN_REVIEWS)
def review_report(request, plan_id: int):
    plan, review = _current_review_or_404(request, plan_id)
    form = forms.ReviewReportForm(
        request.POST if request.method == "POST" else None,
        initial={"version": review.version, "sent_on": today()},
    )

    def call(d):
        services.send_review_report(
            actor=request.user,
            review=review,
            sent_on=d["sent_on"],
            version=d["version"],
            request=request,
        )

    return _form_page(
        request,
        form=form,
        call=call,
        heading="Send the review report to the council",
        caption=plan.child.full_name,
        back=_run_home(plan),
        intro="The report of the meeting recorded here is the report: the council reads it in "
        "the service. Record the date it was sent; the council then has until 4 weeks after the "
        "meeting to decide (reg 20(7)-(10)).",
        success="The report has been sent to the council.",
        redirect_to=_run_home(plan),
        button="Send the report",
    )


def _review_or_404(request, review_id) -> AnnualReview:
    review = (
        AnnualReview.objects.select_related("plan", "plan__child", "plan__area")
        .filter(pk=review_id, plan__area_id__in=la_area_ids(request.user))
        .first()
    )
    if review is None:
        raise Http404("No review found")
    audit.record(
        action=AuditAction.VIEW,
        actor=request.user,
        child=review.plan.child_id,
        record=review,
        request=request,
    )
    return review


@requires(Capability.CASEWORK)
def review_detail(request, review_id: int):
    review = _review_or_404(request, review_id)
    form = forms.ReviewDecisionForm(
        request.POST if request.method == "POST" else None, initial={"version": review.version}
    )

    def call(d):
        services.decide_after_review(
            actor=request.user,
            review=review,
            decision=d["decision"],
            decided_on=d["decided_on"],
            reasons=d["reasons"],
            version=d["version"],
            request=request,
        )

    after = reverse("plans:review", args=[review.pk])
    if review.decision and request.method != "POST":
        # A post from a page opened before the decision goes on to be refused (review_changed).
        form = None
    views = family_views_for_review(review)
    extra = {
        "review": review,
        "clock": selectors.review_clock(review, review.plan.area),
        "plan": review.plan,
        "family_views": views,
        "timeline": selectors.review_timeline(
            selectors.review_for_timeline(review.pk), family_views=views
        ),
    }
    if form is None:
        return render(request, "plans/review.html", {**extra, "form": None})
    return _form_page(
        request,
        form=form,
        call=call,
        heading="Decide after the review",
        caption=review.plan.child.full_name,
        back=reverse("plans:reviews"),
        success="The decision has been recorded.",
        redirect_to=after,
        button="Record the decision",
        extra={**extra, "review_page": True},
    )


@requires(Capability.CASEWORK)
def amendments_sent(request, review_id: int):
    review = _review_or_404(request, review_id)
    form = forms.AmendmentsSentForm(
        request.POST if request.method == "POST" else None, initial={"version": review.version}
    )

    def call(d):
        services.send_proposed_amendments(
            actor=request.user,
            review=review,
            sent_on=d["sent_on"],
            version=d["version"],
            request=request,
        )

    return _form_page(
        request,
        form=form,
        call=call,
        heading="Record the proposed amendments as sent",
        caption=review.plan.child.full_name,
        back=reverse("plans:review", args=[review.pk]),
        intro="The family then has 15 days to comment (reg 22(2)(c)); the amended plan is due "
        "within 8 weeks (reg 22(3)).",
        success="The proposed amendments have been recorded as sent.",
        redirect_to=reverse("plans:review", args=[review.pk]),
    )


@requires(Capability.CASEWORK)
def review_not_amending(request, review_id: int):
    review = _review_or_404(request, review_id)
    if review.decision_not_to_amend_on and request.method != "POST":
        # Done once: the review's page says so. (A post from a page opened before it goes on
        # to be refused as stale.)
        return redirect("plans:review", review_id=review.pk)
    form = forms.NotAmendingForm(
        request.POST if request.method == "POST" else None, initial={"version": review.version}
    )

    def call(d):
        services.decide_not_to_amend(actor=request.user, review=review, request=request, **d)

    return _form_page(
        request,
        form=form,
        call=call,
        heading="Decide not to amend the plan after all",
        caption=review.plan.child.full_name,
        back=reverse("plans:review", args=[review.pk]),
        intro="After proposing amendments, the local authority may decide not to amend the plan; "
        "it must tell the family, with its reasons, within 8 weeks of sending the proposed "
        "amendments (reg 22(4)). The amended plan is then no longer due, and the draft "
        "amendment is removed.",
        success="The decision not to amend has been recorded.",
        redirect_to=reverse("plans:review", args=[review.pk]),
        button="Record the decision",
    )


# --- Phase transfers, ceasing, disagreements ----------------------------------------------------


@requires(Capability.CASEWORK)
def phase_transfers(request):
    # A page at a time: only the page's children are read in full and audited (decision 0281).
    page, outstanding = selectors.phase_transfers(
        request.user, page=request.GET.get("page"), request=request
    )
    # The name links to the transfer's form only where the user writes plans (not a panel's).
    areas = {row.plan.area_id for row in page.object_list}
    return render(
        request,
        "plans/phase_transfers.html",
        {
            "page": page,
            "rows": page.object_list,
            "writable_areas": {a for a in areas if may_write_plans(request.user, a)},
            "total": page.paginator.count,
            "post16_moves": selectors.post16_moves(request.user, request=request),
            "outstanding": outstanding,
        },
    )


@requires(Capability.CASEWORK)
def phase_transfer(request, plan_id: int):
    plan = _plan_to_write(request, plan_id)
    on = today()
    year = selectors.transfer_year(on)
    record = plan.phase_transfers.filter(year=year).first()
    move = selectors.phase_move_for(plan.child.date_of_birth, on, record)
    initial = {"version": record.version if record else 0}
    if move is not None:
        initial["transfer"] = move.transfer
    if record:
        initial.update(
            preferred_setting=record.preferred_setting,
            consulted_on=record.consulted_on,
            named_setting=record.named_setting_id,
            named_on=record.named_on,
        )
    form = forms.PhaseTransferForm(
        request.POST if request.method == "POST" else None, initial=initial, area_id=plan.area_id
    )

    def call(d):
        services.record_phase_transfer(
            actor=request.user, plan=plan, year=year, request=request, **d
        )

    if move is None:
        heading = f"Move between phases in {year}"
        intro = (
            "The national pattern has no move for this child next September; where the area's "
            "infant, junior, first or middle schools make one, choose it below (reg 2)."
        )
    else:
        heading = f"Move to {move.to_phase} in {move.year}"
        intro = (
            f"The amended plan naming the new setting is due by "
            f"{move.amended_plan_by:%-d %B %Y} (reg 18(1))."
        )
    return _form_page(
        request,
        form=form,
        call=call,
        heading=heading,
        caption=plan.child.full_name,
        back=reverse("plans:phase-transfers"),
        intro=intro,
        success="The phase transfer has been updated.",
        redirect_to=reverse("plans:phase-transfers"),
    )


@requires(Capability.CASEWORK)
def post16_move(request, plan_id: int):
    plan = _plan_to_write(request, plan_id)
    move = plan.post16_moves.filter(move_on__gte=today()).order_by("move_on").first()
    initial = {"version": move.version if move else 0}
    if move:
        initial.update(moving_to=move.moving_to, move_on=move.move_on)
    form = forms.Post16MoveForm(request.POST if request.method == "POST" else None, initial=initial)

    def call(d):
        services.record_post16_move(
            actor=request.user,
            plan=plan,
            move=move,
            move_on=d["move_on"],
            moving_to=d["moving_to"],
            version=d["version"] if move else None,
            request=request,
        )

    return _form_page(
        request,
        form=form,
        call=call,
        heading="A move between post-16 institutions",
        caption=plan.child.full_name,
        back=reverse("plans:plan", args=[plan.pk]),
        intro="At a time other than a phase transfer, the plan is reviewed and amended at least "
        "5 months before the move (reg 18(2)).",
        success="The move has been recorded.",
        redirect_to=reverse("plans:plan", args=[plan.pk]),
    )


@requires(Capability.CASEWORK)
def transfer_in(request, plan_id: int):
    plan = _plan_to_write(request, plan_id)
    record = getattr(plan, "transfer_in", None)
    initial = {"version": record.version if record else 0}
    if record:
        initial.update(
            {f: getattr(record, f) for f in forms.TransferInForm.base_fields if f != "version"}
        )
    form = forms.TransferInForm(request.POST if request.method == "POST" else None, initial=initial)

    def call(d):
        services.record_transfer_in(actor=request.user, plan=plan, request=request, **d)

    return _form_page(
        request,
        form=form,
        call=call,
        heading="A plan transferred from another council",
        caption=plan.child.full_name,
        back=reverse("plans:plan", args=[plan.pk]),
        intro="When a child with a plan moves into the area, the old council transfers the plan "
        "and this council maintains it as if it had made it; it tells the family within 6 weeks "
        "whether it will assess and when it will review, and reviews it by the later of the "
        "12 months and 3 months from the transfer (SEND Regulations 2014 reg 15). reg 16: a "
        "change of health commissioning body.",
        success="The transfer has been recorded.",
        redirect_to=reverse("plans:plan", args=[plan.pk]),
    )


@requires(Capability.CASEWORK)
def cease(request, plan_id: int):
    plan = _plan_to_write(request, plan_id)
    form = forms.CeaseForm(request.POST if request.method == "POST" else None)

    def call(d):
        services.cease_plan(actor=request.user, plan=plan, request=request, **d)

    return _form_page(
        request,
        form=form,
        call=call,
        heading="Cease to maintain the plan",
        caption=plan.child.full_name,
        back=reverse("plans:plan", args=[plan.pk]),
        intro="The family can appeal: the notice must say so (regs 29-31).",
        success="The plan has been recorded as ceasing.",
        redirect_to=reverse("plans:plan", args=[plan.pk]),
        button="Cease the plan",
    )


@requires(Capability.CASEWORK)
def disagreement_list(request):
    return render(
        request,
        "plans/disagreements.html",
        {"rows": selectors.disagreements(request.user, request=request)},
    )


@requires(Capability.CASEWORK)
def disagreement_new(request, plan_id: int):
    plan = _plan_to_write(request, plan_id)
    form = forms.DisagreementForm(
        request.POST if request.method == "POST" else None,
        decisions=selectors.appealable_decisions(plan),
    )
    created = {}

    def call(d):
        created["item"] = services.record_disagreement(
            actor=request.user, plan=plan, request=request, **d
        )

    response = _form_page(
        request,
        form=form,
        call=call,
        heading="Record a disagreement",
        caption=plan.child.full_name,
        back=reverse("plans:plan", args=[plan.pk]),
        success="The disagreement has been recorded.",
        redirect_to=reverse("plans:disagreements"),
    )
    if "item" in created:
        return redirect("plans:disagreement", disagreement_id=created["item"].pk)
    return response


def _disagreement_or_404(request, disagreement_id) -> Disagreement:
    item = (
        Disagreement.objects.select_related("child", "plan")
        .filter(pk=disagreement_id, area_id__in=la_area_ids(request.user))
        .first()
    )
    if item is None:
        raise Http404("No disagreement found")
    audit.record(
        action=AuditAction.VIEW,
        actor=request.user,
        child=item.child_id,
        record=item,
        request=request,
    )
    return item


def _agreement_initial(agreement) -> dict:
    if agreement is None:
        return {"version": 0}
    names = [f for f in forms.MediationAgreementForm.base_fields if f != "version"]
    return {"version": agreement.version, **{f: getattr(agreement, f) for f in names}}


@requires(Capability.CASEWORK)
def disagreement_detail(request, disagreement_id: int):
    item = _disagreement_or_404(request, disagreement_id)
    # The services' own check: a panel member reads the disagreement but is offered no form
    # whose saving would be refused, and a post is refused before its form is checked.
    may_write = may_write_plans(request.user, item.area_id)
    if request.method == "POST" and not may_write:
        raise PermissionDenied("Only the area's caseworkers and team managers can write plans.")
    which = request.POST.get("form") if request.method == "POST" else None
    update = forms.DisagreementUpdateForm(
        request.POST if which == "update" else None,
        initial={f: getattr(item, f) for f in forms.DisagreementUpdateForm.base_fields},
    )
    order_form = forms.TribunalOrderForm(request.POST if which == "order" else None)
    agreement = selectors.agreement_of(item)
    # Prefixed: the page has several forms, each with its own record's version.
    agreement_form = forms.MediationAgreementForm(
        request.POST if which == "agreement" else None,
        initial=_agreement_initial(agreement),
        prefix="agreement",
    )
    recommendation_form = forms.RecommendationForm(
        request.POST if which == "recommendation" else None
    )
    recommendations = list(item.recommendations.all())
    answer_forms = {
        r.pk: forms.RecommendationAnswerForm(
            request.POST
            if which == "answer" and request.POST.get("recommendation") == str(r.pk)
            else None,
            initial={"version": r.version},
            prefix=f"answer{r.pk}",
        )
        for r in recommendations
        if r.answered_on is None
    }
    forms_by_name = {
        "update": update,
        "order": order_form,
        "agreement": agreement_form,
        "recommendation": recommendation_form,
    }
    answering = None
    if which == "answer":
        answering = next(
            (
                r
                for r in recommendations
                if str(r.pk) == request.POST.get("recommendation") and r.pk in answer_forms
            ),
            None,
        )
        if answering is None:
            raise Http404("No recommendation waiting for an answer")
        forms_by_name["answer"] = answer_forms[answering.pk]
    here = reverse("plans:disagreement", args=[item.pk])
    try:
        if which == "update" and update.is_valid():
            services.update_disagreement(
                actor=request.user, disagreement=item, request=request, **update.cleaned_data
            )
            messages.success(request, "The disagreement has been updated.")
            return redirect(here)
        if which == "order" and order_form.is_valid():
            services.record_tribunal_order(
                actor=request.user, disagreement=item, request=request, **order_form.cleaned_data
            )
            messages.success(request, "The order has been recorded.")
            return redirect(here)
        if which == "agreement" and agreement_form.is_valid():
            services.record_mediation_agreement(
                actor=request.user,
                disagreement=item,
                request=request,
                **agreement_form.cleaned_data,
            )
            messages.success(request, "The mediation agreement has been recorded.")
            return redirect(here)
        if which == "recommendation" and recommendation_form.is_valid():
            services.record_recommendation(
                actor=request.user,
                disagreement=item,
                request=request,
                **recommendation_form.cleaned_data,
            )
            messages.success(request, "The recommendation has been recorded.")
            return redirect(here)
        if answering is not None and forms_by_name["answer"].is_valid():
            d = forms_by_name["answer"].cleaned_data
            services.record_recommendation_answer(
                actor=request.user,
                recommendation=answering,
                answered_on=d["answered_on"],
                answer=d["answer"],
                version=d["version"],
                request=request,
            )
            messages.success(request, "The body's answer has been recorded.")
            return redirect(here)
        if which == "complied":
            order = TribunalOrder.objects.filter(
                pk=request.POST.get("order"), disagreement=item
            ).first()
            if order is None:
                raise Http404("No order found")
            services.record_order_complied(
                actor=request.user, order=order, complied_on=today(), request=request
            )
            messages.success(request, "The order has been recorded as met today.")
            return redirect(here)
    except ValidationError as error:
        _apply_errors(forms_by_name.get(which, update), error)
    steps = selectors.disagreement_steps(item)
    return render(
        request,
        "plans/disagreement.html",
        {
            "item": item,
            "may_write": may_write,
            "update": update,
            "order_form": order_form,
            "agreement_form": agreement_form,
            "agreement": agreement,
            "recommendation_form": recommendation_form,
            "recommendations": [(r, answer_forms.get(r.pk)) for r in recommendations],
            "answer_form": forms_by_name.get("answer"),
            "dates": selectors.disagreement_dates(item),
            "steps": steps,
            "orders": [{"order": o, "steps": selectors.order_steps(o)} for o in item.orders.all()],
        },
    )
