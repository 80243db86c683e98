"""High-needs finance pages: for the area's finance officers and senior leaders only, and
figures for the whole area only (no child appears on any of them)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import Capability, la_area_ids, requires, work_area
from everychild.areas.models import Area
from everychild.core.forms import apply_errors as _apply_errors
from everychild.core.models import JobRun
from everychild.finance import agreed_fees as agreed_fee_reads
from everychild.finance import (
    export,
    forms,
    presentation,
    selectors,
    services,
)
from everychild.finance.forecast.dimensions import financial_year_of, fy_label
from everychild.finance.forecast.goalseek import GoalSeekResult
from everychild.finance.forecast.levers import EXTRA_PLACES, LEVER_KINDS, Lever, validate
from everychild.finance.management_plan import management_plan
from everychild.finance.models import CostComponent, DfEPayment, Scenario


def _area(request):
    """The area whose high-needs money this user looks after (as a finance officer or senior
    leader of its council)."""
    return work_area(
        request.user,
        Capability.FINANCE,
        local_authority=True,
        refusal="Your role gives you no area's finances to look after.",
    )


def _configurer(request, area):
    if not selectors.may_configure(request.user, area):
        raise PermissionDenied("Only the area's finance officers can change its finance records.")


def _form_page(request, form, *, heading, caption, back, save, fields=None, intro=""):
    """A one-form page: on a valid POST, `save(cleaned_data)` (a service call); refusals come
    back as a GOV.UK error summary and nothing is saved."""
    if request.method == "POST" and form.is_valid():
        try:
            message = save(form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(back)
    return render(
        request,
        "finance/form.html",
        {
            "form": form,
            "heading": heading,
            "caption": caption,
            "back": back,
            "fields": [form[name] for name in (fields or form.fields)],
            "intro": intro,
        },
    )


def _today() -> dt.date:
    return timezone.localdate()


# --- Overview -----------------------------------------------------------------------------


@requires(Capability.FINANCE)
def overview(request):
    area = _area(request)
    today = _today()
    baseline = Scenario.objects.filter(area=area, is_baseline=True).first()
    run = selectors.latest_run(baseline) if baseline else None
    years = selectors.budget_years(area)
    current = next((y for y in years if y.year == financial_year_of(today)), None)
    plan = management_plan(area, run, today)
    return render(
        request,
        "finance/overview.html",
        {
            "area": area,
            "today": today,
            "current": current,
            "run": run,
            "headline": presentation.headline(run.result) if run else None,
            # Monitoring's in-year deficit beside the forecast's, with why they differ.
            "reconciliation": presentation.reconcile_in_year_deficit(
                current, run.result if run else None
            ),
            "deficit_chart": presentation.deficit_path_chart(
                years, run.result if run else None, plan.targets
            ),
            "plan": plan,
        },
    )


# --- Placements, the cost table and assumptions ------------------------------------------


@requires(Capability.FINANCE)
def placements(request):
    area = _area(request)
    today = _today()
    summary = selectors.placements_summary(area, today)
    known = [row["annual_cost"] for row in summary if row["annual_cost"] is not None]
    return render(
        request,
        "finance/placements.html",
        {
            "today": today,
            "summary": summary,
            "total_plans": sum(row["plans"] for row in summary),
            "total_agreed": sum(row["agreed_fees"] for row in summary),
            "total_cost": sum(known) if known else None,
            "missing_rates": [
                row["label"] for row in summary if row["plans"] and row["unit_cost"] is None
            ],
            "table": selectors.cost_table(area, today),
            "assumptions": selectors.assumption_history(area),
            "population": selectors.population_rows(area),
            "can_configure": selectors.may_configure(request.user, area),
        },
    )


@requires(Capability.FINANCE)
def cost_rate_new(request):
    area = _area(request)
    _configurer(request, area)
    form = forms.CostRateForm(request.POST or None)

    def save(data):
        services.record_cost_rate(actor=request.user, area=area, request=request, **data)
        return "The rate has been added to the cost table. Earlier rates are kept."

    return _form_page(
        request,
        form,
        heading="Add a rate to the cost table",
        caption="Placements and costs",
        back=reverse("finance:placements"),
        save=save,
        intro="A new rate takes effect from its date; the rate it replaces stays in the table's "
        "history.",
    )


@requires(Capability.FINANCE)
def assumption_new(request):
    area = _area(request)
    _configurer(request, area)
    form = forms.AssumptionForm(request.POST or None)

    def save(data):
        services.record_assumption(actor=request.user, area=area, request=request, **data)
        return "The assumption has been recorded."

    return _form_page(
        request,
        form,
        heading="Record an assumption",
        caption="Placements and costs",
        back=reverse("finance:placements"),
        save=save,
    )


@requires(Capability.FINANCE)
def population_new(request):
    area = _area(request)
    _configurer(request, area)
    form = forms.PopulationForm(request.POST or None)

    def save(data):
        services.record_population(actor=request.user, area=area, request=request, **data)
        return "The population figure has been recorded."

    return _form_page(
        request,
        form,
        heading="Record a population figure",
        caption="Placements and costs",
        back=reverse("finance:placements"),
        save=save,
    )


@requires(Capability.FINANCE)
@require_POST
def placements_sync(request):
    area = _area(request)
    _configurer(request, area)
    result = services.sync_placements(actor=request.user, area=area, on=_today(), request=request)
    messages.success(
        request,
        f"Placements are up to date: {result.opened:,} opened and {result.closed:,} closed.",
    )
    return redirect("finance:placements")


# --- The budget ----------------------------------------------------------------------------


@requires(Capability.FINANCE)
def budget(request):
    area = _area(request)
    today = _today()
    years = selectors.budget_years(area)
    try:
        chosen = int(request.GET.get("year", financial_year_of(today)))
    except ValueError:
        chosen = financial_year_of(today)
    year = next((y for y in years if y.year == chosen), None)
    return render(
        request,
        "finance/budget.html",
        {
            "years": years,
            "chosen": chosen,
            "chosen_label": fy_label(chosen),
            "year": year,
            "year_choices": sorted({y.year for y in years} | {financial_year_of(today)}),
            "can_configure": selectors.may_configure(request.user, area),
            "deficit_chart": presentation.deficit_path_chart(years, None, {}),
        },
    )


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404("No such financial year")
    return year


@requires(Capability.FINANCE)
def funding_new(request, year: int):
    area = _area(request)
    _configurer(request, area)
    year = _year_or_404(year)
    form = forms.FundingForm(request.POST or None)

    def save(data):
        services.record_funding(
            actor=request.user, area=area, financial_year=year, request=request, **data
        )
        return f"Funding for {fy_label(year)} has been recorded."

    return _form_page(
        request,
        form,
        heading=f"Record high-needs funding for {fy_label(year)}",
        caption="The high-needs budget",
        back=reverse("finance:budget") + f"?year={year}",
        save=save,
    )


@requires(Capability.FINANCE)
def budget_set(request, year: int):
    area = _area(request)
    _configurer(request, area)
    year = _year_or_404(year)
    form = forms.CategoryAmountsForm(request.POST or None)

    def save(data):
        services.record_budget(
            actor=request.user,
            area=area,
            financial_year=year,
            amounts=form.amounts(),
            request=request,
        )
        return f"The budget for {fy_label(year)} has been recorded."

    return _form_page(
        request,
        form,
        heading=f"Set the high-needs budget for {fy_label(year)}",
        caption="The high-needs budget",
        back=reverse("finance:budget") + f"?year={year}",
        save=save,
        intro="Enter every line (£0 if none). A budget set again replaces this one in force; "
        "the earlier one is kept.",
    )


@requires(Capability.FINANCE)
def monitoring_new(request, year: int):
    area = _area(request)
    _configurer(request, area)
    year = _year_or_404(year)
    form = forms.MonitoringForm(request.POST or None)

    def save(data):
        services.record_monitoring_return(
            actor=request.user,
            area=area,
            financial_year=year,
            quarter=data["quarter"],
            as_at=data["as_at"],
            forecasts=form.amounts(),
            request=request,
        )
        return f"The monitoring return for {fy_label(year)} has been recorded."

    return _form_page(
        request,
        form,
        heading=f"Record a monitoring return for {fy_label(year)}",
        caption="The high-needs budget",
        back=reverse("finance:budget") + f"?year={year}",
        save=save,
        intro="The forecast outturn for every line at this monitoring point (£0 if none). The "
        "quarter 4 return is the outturn.",
    )


@requires(Capability.FINANCE)
def balance_new(request, year: int):
    area = _area(request)
    _configurer(request, area)
    year = _year_or_404(year)
    form = forms.BalanceForm(request.POST or None)

    def save(data):
        services.record_dsg_balance(
            actor=request.user, area=area, financial_year=year, request=request, **data
        )
        return f"The DSG balance at 31 March {year + 1} has been recorded."

    return _form_page(
        request,
        form,
        heading=f"Record the DSG balance at 31 March {year + 1}",
        caption="The high-needs budget",
        back=reverse("finance:budget") + f"?year={year}",
        save=save,
    )


# --- The forecast --------------------------------------------------------------------------


def _scenario_or_404(area, scenario_id) -> Scenario:
    try:
        return selectors.scenario(area, int(scenario_id))
    except (Scenario.DoesNotExist, ValueError, TypeError):
        raise Http404("No such scenario") from None


@requires(Capability.FINANCE)
def forecast(request):
    area = _area(request)
    scenario_id = request.GET.get("scenario")
    if scenario_id:
        scenario = _scenario_or_404(area, scenario_id)
    else:
        scenario = Scenario.objects.filter(area=area, is_baseline=True).first()
    run = selectors.latest_run(scenario) if scenario else None
    context = {
        "scenario": scenario,
        "scenarios": selectors.scenarios(area),
        "run": run,
        "can_run": True,
    }
    if run is not None:
        context.update(presentation.forecast_tables(run.result))
        context["headline"] = presentation.headline(run.result)
        context["result"] = run.result
    return render(request, "finance/forecast.html", context)


@requires(Capability.FINANCE)
@require_POST
def forecast_run(request, scenario_id: int | None = None):
    """Forecast a scenario again from today's records (without an id: the central forecast,
    made on first use)."""
    area = _area(request)
    if scenario_id is None:
        scenario = services.baseline(area, actor=request.user)
    else:
        scenario = _scenario_or_404(area, scenario_id)
    run, _started = services.request_forecast(actor=request.user, scenario=scenario)
    return redirect("finance:forecast-job", run_id=run.pk)


@requires(Capability.FINANCE)
def forecast_job(request, run_id: int):
    """A forecast being made in the background: how far it has got (no script needed), then
    the forecast itself, or why it could not be made."""
    area = _area(request)
    run = get_object_or_404(
        JobRun.objects.select_related("requested_by"),
        pk=run_id,
        kind=services.FORECAST_JOB,
        scope=f"area:{area.pk}",
    )
    found = run.result or {}
    if run.status == JobRun.Status.DONE and "forecast_run" in found:
        name, scenario_id = run.params["name"], run.params["scenario"]
        if run.params.get("new"):
            messages.success(request, f"“{name}” has been saved and forecast.")
            return redirect("finance:scenario", scenario_id=scenario_id)
        messages.success(request, f"“{name}” has been forecast from today's records.")
        return redirect(reverse("finance:forecast") + f"?scenario={scenario_id}")
    return render(
        request, "finance/forecast_job.html", {"run": run, "problem": found.get("problem")}
    )


# --- Scenarios -----------------------------------------------------------------------------


@requires(Capability.FINANCE)
def scenario_list(request):
    area = _area(request)
    scenarios = list(selectors.scenarios(area))
    form = forms.CompareForm(scenarios=scenarios)
    return render(
        request,
        "finance/scenarios.html",
        {
            "rows": [(s, selectors.latest_run(s)) for s in scenarios],
            "form": form,
        },
    )


@requires(Capability.FINANCE)
def scenario_new(request):
    area = _area(request)
    form = forms.ScenarioForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.create_scenario(
                actor=request.user,
                area=area,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                levers=form.levers(),
                request=request,
            )
        except ValidationError as error:
            for key, problems in error.message_dict.items():
                if key.startswith("levers["):
                    slot, name = key[len("levers[") :].split("].")
                    target = form.slot_field(int(slot), name)
                else:
                    target = key if key in form.fields else None
                for problem in problems:
                    form.add_error(target, problem)
        else:
            # Saved now; forecast in the background, the page showing how far it has got.
            run, _started = services.request_forecast(
                actor=request.user, scenario=scenario, new=True
            )
            return redirect("finance:forecast-job", run_id=run.pk)
    return render(
        request,
        "finance/scenario_form.html",
        {"form": form, "kinds": LEVER_KINDS.values()},
    )


def _goal_seek_url(scenario, run: JobRun) -> str:
    return reverse("finance:scenario", args=[scenario.pk]) + f"?goal={run.pk}#goal-seek"


def _goal_seek_run(request, scenario) -> JobRun | None:
    """The goal-seek run the page was sent to show (its own area's and scenario's only)."""
    try:
        run_id = int(request.GET.get("goal", ""))
    except ValueError:
        return None
    return (
        JobRun.objects.filter(
            pk=run_id,
            kind=services.GOAL_SEEK_JOB,
            scope=f"area:{scenario.area_id}",
            params__scenario=scenario.pk,
        )
        .select_related("requested_by")
        .first()
    )


def _plans_change(area, scenario, run):
    """The scenario's plans beside the central forecast's, with why they differ (issue 20)."""
    if run is None or scenario.is_baseline:
        return None
    base_run, newer = selectors.central_runs_beside(area, run)
    change = presentation.plans_change(
        run.result,
        base_run.result if base_run else None,
        adds_places=scenario.levers.filter(kind=EXTRA_PLACES).exists(),
    )
    if change is not None and newer is not None:
        change["newer_central_on"] = newer.computed_at
    return change


@requires(Capability.FINANCE)
def scenario_detail(request, scenario_id: int):
    area = _area(request)
    scenario = _scenario_or_404(area, scenario_id)
    run = selectors.latest_run(scenario)
    years = [y["year"] for y in run.result["financial_years"]] if run else []
    posted = request.method == "POST"
    form = forms.GoalSeekForm(request.POST if posted else None, years=years)
    if posted and run is not None and form.is_valid():
        data = form.cleaned_data
        template = Lever(
            kind=data["kind"],
            value=LEVER_KINDS[data["kind"]].neutral,
            starts_on=data["starts_on"],
            placement_type=data.get("placement_type") or "",
            source_type=data.get("source_type") or "",
            age_from=data.get("age_from"),
        )
        problems = [p for p in validate(template) if p[0] != "value"]
        for field, message in problems:
            form.add_error(field if field in form.fields else None, message)
        if not problems:
            # Searched in the background: each step forecasts the scenario again.
            seek, _started = services.request_goal_seek(
                actor=request.user,
                scenario=scenario,
                template=template,
                target_year=data["target_year"],
                as_of=_today(),
                horizon=run.horizon,
            )
            return redirect(_goal_seek_url(scenario, seek))
    goal_run, goal = _goal_seek_run(request, scenario), None
    if goal_run is not None and goal_run.status == JobRun.Status.DONE:
        found = goal_run.result
        if "problem" in found:
            form.add_error(None, found["problem"])
        else:
            result = GoalSeekResult(**found["result"])
            template = services.goal_seek_lever(goal_run.params)
            goal = {
                "result": result,
                "kind": LEVER_KINDS[template.kind],
                "target": fy_label(goal_run.params["target_year"]),
                "lever": template.with_value(result.value) if result.value is not None else None,
            }
    return render(
        request,
        "finance/scenario.html",
        {
            "scenario": scenario,
            "run": run,
            "headline": presentation.headline(run.result) if run else None,
            "plans_change": _plans_change(area, scenario, run),
            "form": form,
            "goal": goal,
            "goal_run": goal_run,
            "goal_again_url": _goal_seek_url(scenario, goal_run) if goal_run else "",
        },
    )


@requires(Capability.FINANCE)
def scenario_compare(request):
    area = _area(request)
    scenarios = list(selectors.scenarios(area))
    form = forms.CompareForm(request.GET or None, scenarios=scenarios)
    comparison, missing = None, []
    if form.is_valid():
        chosen = [s for s in scenarios if s.pk in form.cleaned_data["scenario"]]
        runs = []
        for scenario in chosen:
            run = selectors.latest_run(scenario)
            if run is None:
                missing.append(scenario)
            else:
                runs.append(run)
        if len(runs) >= 2:
            comparison = presentation.compare(runs)
    return render(
        request,
        "finance/compare.html",
        {"form": form, "comparison": comparison, "missing": missing},
    )


# --- The Safety Valve ----------------------------------------------------------------------


@requires(Capability.FINANCE)
def safety_valve(request):
    area = _area(request)
    today = _today()
    baseline = Scenario.objects.filter(area=area, is_baseline=True).first()
    run = selectors.latest_run(baseline) if baseline else None
    plan = management_plan(area, run, today)
    return render(
        request,
        "finance/safety_valve.html",
        {
            "plan": plan,
            "agreement": plan.agreement,
            "deficit_chart": presentation.deficit_path_chart(
                selectors.budget_years(area), run.result if run else None, plan.targets
            ),
            "can_configure": selectors.may_configure(request.user, area),
        },
    )


@requires(Capability.FINANCE)
def dsg_management_plan(request):
    """The DSG management plan workbook (aggregates only); the download is audited."""
    area = _area(request)
    today = _today()
    baseline = Scenario.objects.filter(area=area, is_baseline=True).first()
    run = selectors.latest_run(baseline) if baseline else None
    content = export.workbook(management_plan(area, run, today))
    audit.record(
        action=AuditAction.EXPORT,
        actor=request.user,
        request=request,
        detail={"export": "DSG management plan", "aggregate": True},
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="dsg-management-plan-{today:%Y-%m-%d}.xlsx"'
    )
    return response


def _agreement_or_404(area):
    agreement = selectors.current_agreement(area)
    if agreement is None:
        raise Http404("No agreement recorded")
    return agreement


@requires(Capability.FINANCE)
def agreement_new(request):
    area = _area(request)
    _configurer(request, area)
    form = forms.AgreementForm(request.POST or None)

    def save(data):
        services.record_agreement(actor=request.user, area=area, request=request, **data)
        return "The agreement has been recorded."

    return _form_page(
        request,
        form,
        heading="Record a Safety Valve agreement or proposal",
        caption="The Safety Valve",
        back=reverse("finance:safety-valve"),
        save=save,
    )


@requires(Capability.FINANCE)
def target_new(request):
    area = _area(request)
    _configurer(request, area)
    agreement = _agreement_or_404(area)
    form = forms.TargetForm(request.POST or None)

    def save(data):
        services.record_deficit_target(
            actor=request.user, agreement=agreement, request=request, **data
        )
        return "The target has been recorded."

    return _form_page(
        request,
        form,
        heading="Record a deficit target",
        caption=agreement.title,
        back=reverse("finance:safety-valve"),
        save=save,
        intro="A target recorded again for the same year replaces the one in force; the "
        "earlier one is kept.",
    )


@requires(Capability.FINANCE)
def payment_new(request):
    area = _area(request)
    _configurer(request, area)
    agreement = _agreement_or_404(area)
    form = forms.PaymentForm(request.POST or None)

    def save(data):
        services.add_dfe_payment(actor=request.user, agreement=agreement, request=request, **data)
        return "The payment has been added."

    return _form_page(
        request,
        form,
        heading="Add a DfE payment",
        caption=agreement.title,
        back=reverse("finance:safety-valve"),
        save=save,
    )


@requires(Capability.FINANCE)
def payment_outcome(request, payment_id: int):
    area = _area(request)
    _configurer(request, area)
    payment = get_object_or_404(DfEPayment, pk=payment_id, agreement__area=area)
    form = forms.PaymentOutcomeForm(request.POST or None, initial={"version": payment.version})

    def save(data):
        services.settle_dfe_payment(actor=request.user, payment=payment, request=request, **data)
        return "The payment's outcome has been recorded."

    return _form_page(
        request,
        form,
        heading=f"Record what happened to the payment of {presentation.pounds(payment.amount)} "
        f"due {payment.due_on:%-d %B %Y}",
        caption=payment.agreement.title,
        back=reverse("finance:safety-valve"),
        save=save,
    )


@requires(Capability.FINANCE)
def monitoring_date_new(request):
    area = _area(request)
    _configurer(request, area)
    agreement = _agreement_or_404(area)
    form = forms.MonitoringDateForm(request.POST or None)

    def save(data):
        services.add_monitoring_date(
            actor=request.user, agreement=agreement, request=request, **data
        )
        return "The monitoring date has been added."

    return _form_page(
        request,
        form,
        heading="Add a monitoring date",
        caption=agreement.title,
        back=reverse("finance:safety-valve"),
        save=save,
    )


# --- Fees agreed for individual placements (SEND team managers) ------------------------------


def _team_area(request):
    ids = la_area_ids(request.user)
    if not ids:
        raise PermissionDenied("Your account is not linked to a council's SEND team.")
    return Area.objects.get(pk=min(ids))


@requires(Capability.MANAGE_TEAM)
def agreed_fees(request):
    area = _team_area(request)
    today = _today()
    # A page at a time: only the page's children are read in full and audited (decision 0280).
    page, missing = agreed_fee_reads.priced_placements(
        request.user, area, today, page=request.GET.get("page"), request=request
    )
    return render(
        request,
        "finance/agreed_fees.html",
        {
            "today": today,
            "page": page,
            "rows": page.object_list,
            "total": page.paginator.count,
            "missing": missing,
            "components": CostComponent.choices,
        },
    )


@requires(Capability.MANAGE_TEAM)
def agreed_fee_new(request, placement_id: int):
    area = _team_area(request)
    placement = agreed_fee_reads.priced_placement(request.user, area, placement_id, request=request)
    if placement is None:
        raise Http404("No such placement")
    form = forms.PlacementFeeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_placement_fee(
                actor=request.user, placement=placement, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, f"Fee recorded for {placement.plan.child.full_name}.")
            return redirect("finance:agreed-fees")
    return render(
        request,
        "finance/agreed_fee_form.html",
        {
            "form": form,
            "placement": placement,
            "history": agreed_fee_reads.fee_history(placement),
        },
    )
