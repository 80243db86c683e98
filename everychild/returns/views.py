from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from everychild.access.policy import Capability, has_capability, requires, work_areas
from everychild.core.models import JobRun
from everychild.returns import selectors, services
from everychild.returns.forms import ChecksForm, ImportForm
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


def _runs(kind: str, areas, *, label, url: str) -> list[tuple]:
    """The runs of a kind lately, for the user's areas: (run, what it was, its page)."""
    names = {area.pk: area.name for area in areas}
    runs = (
        JobRun.objects.filter(kind=kind, scope__in=[services.scope(area) for area in areas])
        .select_related("requested_by")
        .defer("result")[:RUNS_LISTED]
    )
    several = len(areas) > 1
    return [
        (
            run,
            label(run) + (f" for {names.get(run.params.get('area'))}" if several else ""),
            reverse(url, args=[run.pk]),
        )
        for run in runs
    ]


def _run_of(request, kind: str, run_id: int):
    areas = {area.pk: area for area in _areas(request.user)}
    run = get_object_or_404(JobRun.objects.select_related("requested_by"), pk=run_id, kind=kind)
    area = areas.get(run.params.get("area"))
    if area is None:
        raise Http404("No such run.")
    return run, area


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
    return render(
        request,
        "returns/sen2_checks.html",
        {
            "form": form,
            "runs": _runs(
                services.CHECKS,
                areas,
                label=lambda run: f"{run.params['year']} return",
                url="returns:sen2-checks-run",
            ),
            "may_import": has_capability(request.user, Capability.IMPORT_RETURNS),
        },
    )


@requires(Capability.RETURNS)
def sen2_checks_run(request, run_id: int):
    """One run of the checks: how far it has got while it runs (the page asks to be looked at
    again, no script needed), then what it found, with who ran it and when."""
    run, area = _run_of(request, services.CHECKS, run_id)
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


# --- a SEN2 file from another system, uploaded, checked and imported in the background -------

ROWS_SHOWN = 500


@requires(Capability.IMPORT_RETURNS)
def sen2_import(request):
    """Upload a SEN2 file another system made, and check it or import it in the background:
    the sen2_import command's checks and limits, for the data team without a terminal."""
    areas = _areas(request.user)
    form = ImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        run, _started = services.request_import(
            request.user,
            area=areas[0],
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect("returns:sen2-import-run", run_id=run.pk)
    return render(
        request,
        "returns/sen2_import.html",
        {
            "form": form,
            "area": areas[0],
            "runs": _runs(
                services.IMPORT,
                areas,
                label=lambda run: (
                    f"{run.params['filename']} "
                    + ("(check only)" if run.params["dry_run"] else "(import)")
                ),
                url="returns:sen2-import-run",
            ),
        },
    )


@requires(Capability.IMPORT_RETURNS)
def sen2_import_run(request, run_id: int):
    """One check or import of a file: how far it has got, then one row per person."""
    run, area = _run_of(request, services.IMPORT, run_id)
    rows = []
    if run.status == JobRun.Status.DONE:
        # Refused people first: they are what must be put right.
        rows = sorted(run.result["rows"], key=lambda row: (row["status"] != "refused",))
    can_import = (
        run.status == JobRun.Status.DONE
        and run.result["dry_run"]
        and run.result["ok"]
        and bool(run.upload)
    )
    if request.method == "POST":
        if not can_import:
            raise Http404("This file cannot be imported from here.")
        started, _ = services.import_checked_file(request.user, run)
        return redirect("returns:sen2-import-run", run_id=started.pk)
    return render(
        request,
        "returns/sen2_import_run.html",
        {
            "run": run,
            "area": area,
            "rows": rows[:ROWS_SHOWN],
            "not_shown": max(0, len(rows) - ROWS_SHOWN),
            "can_import": can_import,
        },
    )
