from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from everychild.access.policy import (
    Action,
    Capability,
    has_capability,
    la_area_ids,
    may,
    requires,
)
from everychild.areas.models import Area
from everychild.casework.policy import visible_assessment_requests
from everychild.children import matching, selectors, services
from everychild.children.forms import (
    BreakGlassForm,
    ChildEditForm,
    ChildForm,
    ChildSearchForm,
    MergeForm,
)
from everychild.children.models import Child, ChildMerge
from everychild.children.policy import reviewable_break_glass_grants
from everychild.core.forms import apply_errors as _apply_errors
from everychild.plans.policy import visible_plans
from everychild.support import selectors as support_selectors

PAGE_SIZE = 25


@requires(Capability.SEE_CHILDREN)
def child_list(request):
    form = ChildSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    children = selectors.search_children(request.user, query)
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.audit_shown(request.user, page.object_list, request=request)
    return render(
        request,
        "children/list.html",
        {
            "form": form,
            "query": query,
            "page": page,
            "can_add": has_capability(request.user, Capability.EDIT_CHILDREN)
            and bool(la_area_ids(request.user, Capability.EDIT_CHILDREN)),
        },
    )


@requires(Capability.SEE_CHILDREN)
def child_detail(request, child_id: int):
    try:
        child = selectors.child_for_viewing(request.user, child_id, request=request)
    except Child.DoesNotExist:
        # The same answer whether the child does not exist or is not yours to see.
        raise Http404("No child found") from None
    cases = visible_assessment_requests(request.user).filter(child=child).order_by("-received_on")
    # Plans by their own rule: a plan made before the area's history in EveryChild began has
    # no request, and must still show.
    plans = visible_plans(request.user).filter(child=child).select_related("setting")
    casework = cases.exists() or plans.exists()
    return render(
        request,
        "children/detail.html",
        {
            "child": child,
            "cases": cases,
            "plans": plans,
            "family": child.family_links.select_related("user") if casework else [],
            "can_edit": may(request.user, Action.EDIT_CHILD, child),
            # Where the child has been (decision 0240): for the council's staff who keep the
            # record, not for a setting, which sees only its own time with the child.
            "setting_history": selectors.setting_history(child)
            if may(request.user, Action.EDIT_CHILD, child)
            else [],
            # Casework staff of the child's area may record a request for assessment.
            "can_record_request": has_capability(request.user, Capability.CASEWORK)
            and child.area_id in la_area_ids(request.user, Capability.WRITE_CASES),
            "can_merge": _may_merge(request.user, child),
            # The graduated approach behind any request (Code 9.14): SEN support plans.
            "support_plans": support_selectors.history_of(child, request.user),
            "merges": selectors.merges_of(child),
            "can_undo": child.area_id in la_area_ids(request.user, Capability.MANAGE_TEAM),
            "now": timezone.now(),
        },
    )


def _may_merge(user, child: Child) -> bool:
    return (
        child.merged_into_id is None
        and has_capability(user, Capability.WRITE_CASES)
        and may(user, Action.EDIT_CHILD, child)
    )


def _form_values(form) -> dict:
    return {key: (value if value is not None else "") for key, value in form.cleaned_data.items()}


@requires(Capability.EDIT_CHILDREN)
def child_add(request):
    areas = la_area_ids(request.user, Capability.EDIT_CHILDREN)
    if not areas:
        raise PermissionDenied("Only an area's caseworkers and managers can add a child.")
    area = Area.objects.get(pk=sorted(areas)[0])
    form = ChildForm(request.POST or None, area=area)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        values = _form_values(form)
        values["current_setting"] = form.cleaned_data["current_setting"]
        # Likely duplicates are offered before a new record is made; the caseworker opens the
        # record they meant, or says none of them is this child.
        candidate = Child(area=area, **services.normalised(values))
        if not request.POST.get("none_is_this_child"):
            duplicates = selectors.likely_duplicates(request.user, candidate, request=request)
        if not duplicates:
            try:
                child = services.create_child(
                    actor=request.user, area=area, request=request, **values
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, f"{child.full_name} has been added.")
                return redirect("children:detail", child_id=child.pk)
    return render(
        request,
        "children/form.html",
        {"form": form, "heading": "Add a child or young person", "duplicates": duplicates},
    )


@requires(Capability.EDIT_CHILDREN)
def child_edit(request, child_id: int):
    try:
        child = selectors.child_for_viewing(request.user, child_id, request=request)
    except Child.DoesNotExist:
        raise Http404("No child found") from None
    if not may(request.user, Action.EDIT_CHILD, child):
        raise PermissionDenied("You cannot change this child's record.")
    initial = {field: getattr(child, field) for field in services.EDITABLE_FIELDS}
    initial["version"] = child.version
    form = ChildEditForm(request.POST or None, initial=initial, area=child.area)
    if request.method == "POST" and form.is_valid():
        values = _form_values(form)
        values["current_setting"] = form.cleaned_data["current_setting"]
        values["version"] = form.cleaned_data["version"]
        values["setting_changed_on"] = form.cleaned_data["setting_changed_on"]
        try:
            services.update_child(actor=request.user, child=child, request=request, **values)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, "The record has been updated.")
            return redirect("children:detail", child_id=child.pk)
    return render(
        request,
        "children/form.html",
        {"form": form, "heading": f"Change {child.full_name}'s details", "child": child},
    )


# --- One record per child ------------------------------------------------------------------


def _record_to_merge(request, child_id: int) -> Child:
    try:
        child = selectors.child_for_viewing(request.user, child_id, request=request)
    except Child.DoesNotExist:
        raise Http404("No child found") from None
    if not _may_merge(request.user, child):
        raise PermissionDenied("You cannot merge this record.")
    return child


@requires(Capability.WRITE_CASES)
def duplicate_list(request):
    """The council's list of records that are likely one child: how a request made on the
    public form is matched to a child already known, afterwards and by a caseworker."""
    pairs = selectors.likely_duplicate_pairs(request.user, request=request)
    return render(request, "children/duplicates.html", {"pairs": pairs})


@requires(Capability.WRITE_CASES)
def child_duplicates(request, child_id: int):
    child = _record_to_merge(request, child_id)
    found = selectors.likely_duplicates(request.user, child, request=request)
    return render(request, "children/child_duplicates.html", {"child": child, "found": found})


@requires(Capability.WRITE_CASES)
def child_merge(request, child_id: int, other_id: int):
    child = _record_to_merge(request, child_id)
    other = _record_to_merge(request, other_id)
    form = MergeForm(request.POST or None, child=child, other=other)
    if request.method == "POST" and form.is_valid():
        kept, merged = (child, other) if form.cleaned_data["keep"] == "this" else (other, child)
        try:
            services.merge_children(actor=request.user, kept=kept, merged=merged, request=request)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                f"The records have been merged. Everything from record {merged.pk} is now on "
                "this record.",
            )
            return redirect("children:detail", child_id=kept.pk)
    return render(
        request,
        "children/merge.html",
        {
            "form": form,
            "pair": [(child, _attached(child)), (other, _attached(other))],
            "child": child,
            "other": other,
            "why": matching.reasons(child, other),
        },
    )


def _attached(child: Child) -> dict[str, int]:
    return {
        "requests": child.assessment_requests.count(),
        "plans": child.plans.count(),
        "family": child.family_links.count(),
    }


@requires(Capability.MANAGE_TEAM)
@require_POST
def merge_undo(request, merge_id: int):
    merge = get_object_or_404(ChildMerge, pk=merge_id)
    try:
        services.undo_merge(actor=request.user, merge=merge, request=request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "The merge has been undone: there are two records again.")
    return redirect("children:detail", child_id=merge.kept_id)


# --- Exceptional access --------------------------------------------------------------------


@requires(Capability.BREAK_GLASS)
def break_glass(request):
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = services.grant_break_glass(
                actor=request.user,
                identifier=form.cleaned_data["identifier"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.info(
                request, "Exceptional access recorded. Your manager will see your reason."
            )
            return redirect("children:detail", child_id=child.pk)
    return render(request, "children/break_glass.html", {"form": form})


@requires(Capability.REVIEW_AUDIT)
def break_glass_review(request):
    grants = (
        reviewable_break_glass_grants(request.user)
        .select_related("user", "reviewed_by")
        .order_by("-granted_at")[:200]
    )
    return render(request, "children/break_glass_review.html", {"grants": grants})


@requires(Capability.REVIEW_AUDIT)
@require_POST
def break_glass_mark_reviewed(request, grant_id: int):
    grant = get_object_or_404(reviewable_break_glass_grants(request.user), pk=grant_id)
    services.mark_reviewed(actor=request.user, grant=grant)
    messages.success(request, "Marked as reviewed.")
    return redirect("break_glass:review")
