from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from everychild.access.policy import Capability, requires, work_areas
from everychild.returns import selectors
from everychild.returns.forms import ChecksForm


@requires(Capability.RETURNS)
def sen2_checks(request):
    """The data team's page: run every SEN2 rule on the area's current data, see the failures
    by rule and by caseworker, and open each child's record to put it right."""
    # The areas whose return this user may check: those where they work for the LA.
    areas = sorted(
        work_areas(request.user, Capability.CASEWORK, local_authority=True),
        key=lambda area: area.name,
    )
    if not areas:
        raise PermissionDenied("Only a local authority's staff can check its SEN2 return.")
    years = selectors.return_years(timezone.localdate())
    form = ChecksForm(request.GET or None, years=years, areas=areas)
    checks = None
    if request.GET and form.is_valid():
        checks = selectors.run_checks(
            request.user,
            area=form.chosen_area(),
            year=form.cleaned_data["year"],
            rule=form.cleaned_data["rule"],
            request=request,
        )
    query = {"year": request.GET.get("year", "")}
    if "area" in form.fields:
        query["area"] = request.GET.get("area", "")
    return render(
        request,
        "returns/sen2_checks.html",
        {"form": form, "checks": checks, "query": urlencode(query)},
    )
