from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from everychild.access import services
from everychild.access.forms import BreakGlassForm
from everychild.access.policy import Capability, requires, reviewable_break_glass_grants


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
    return render(request, "access/break_glass.html", {"form": form})


@requires(Capability.REVIEW_AUDIT)
def break_glass_review(request):
    grants = (
        reviewable_break_glass_grants(request.user)
        .select_related("user", "reviewed_by")
        .order_by("-granted_at")[:200]
    )
    return render(request, "access/break_glass_review.html", {"grants": grants})


@requires(Capability.REVIEW_AUDIT)
@require_POST
def break_glass_mark_reviewed(request, grant_id: int):
    grant = get_object_or_404(reviewable_break_glass_grants(request.user), pk=grant_id)
    services.mark_reviewed(actor=request.user, grant=grant)
    messages.success(request, "Marked as reviewed.")
    return redirect("access:break-glass-review")
