from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from everychild.access.policy import Capability, requires, work_areas
from everychild.core.models import JobRun
from everychild.returns import selectors, services
from everychild.returns.forms import ChecksForm
from everychild.returns.sen2 import rules

# Runs listed on the checks page, to open again.
RUNS_LISTED = 10


def _areas(user) -> list:
    """The areas whose return this user may check: those where they work for the LA."""
    areas = sorted(
        work_areas(user, Capability.CASEWORK, local_authority=True), key=lambda area: area.name
    )
    if not areas:
        raise PermissionDenied("Only a local authority's staff can check its SEN2 return.")
    return areas


@requires(Capability.RETURNS)
def sen2_checks(request):
    """The data team's page: start the checks of a return (made and checked in the background,
    since that takes longer than a web request may), and open the checks run lately."""
    areas = _areas(request.user)
    years = selectors.return_years(timezone.localdate())
    form = ChecksForm(request.POST if request.method == "POST" else None, years=years, areas=areas)
    if request.method == "POST" and form.is_valid():
        run, _started = services.request_checks(
            request.user, area=form.chosen_area(), year=form.cleaned_data["year"]
        )
        return redirect("returns:sen2-checks-run", run_id=run.pk)
    runs = (
        JobRun.objects.filter(
            kind=services.CHECKS, scope__in=[services.scope(area) for area in areas]
        )
        .select_related("requested_by")
        .defer("result")[:RUNS_LISTED]
    )
    names = {area.pk: area.name for area in areas}
    return render(
        request,
        "returns/sen2_checks.html",
        {"form": form, "runs": [(run, names.get(run.params.get("area"))) for run in runs]},
    )


@requires(Capability.RETURNS)
def sen2_checks_run(request, run_id: int):
    """One run of the checks: how far it has got while it runs (the page asks to be looked at
    again, no script needed), then what it found, with who ran it and when."""
    areas = {area.pk: area for area in _areas(request.user)}
    run = get_object_or_404(
        JobRun.objects.select_related("requested_by"), pk=run_id, kind=services.CHECKS
    )
    area = areas.get(run.params.get("area"))
    if area is None:
        raise Http404("No such run of the checks.")
    checks = None
    if run.status == JobRun.Status.DONE:
        rule = request.GET.get("rule", "")
        checks = selectors.checks_from(
            request.user,
            run.result,
            area=area,
            rule=rule if rule in rules.by_code() else "",
            request=request,
        )
    return render(
        request, "returns/sen2_checks_run.html", {"run": run, "area": area, "checks": checks}
    )
