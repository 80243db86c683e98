"""Writes for high-needs finance. Each takes keyword-only arguments, checks who is acting,
validates fully (nothing is saved if anything is wrong), writes in one transaction and records
it in the audit log. Configuration rows are only ever added: the latest row is in force and
the earlier ones are its history."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import Capability, has_capability, work_area
from everychild.areas.models import Area
from everychild.core import jobs, locking
from everychild.core.models import JobRun
from everychild.core.wording import in_sentence
from everychild.finance import forecasting, selectors
from everychild.finance.forecast import dimensions
from everychild.finance.forecast.estimate import ForecastError
from everychild.finance.forecast.levers import LEVER_KINDS, Lever, validate
from everychild.finance.models import (
    Assumption,
    BudgetLine,
    CostRate,
    DeficitTarget,
    DfEPayment,
    DSGBalance,
    ForecastRun,
    FundingAllocation,
    MonitoringDate,
    MonitoringLine,
    MonitoringReturn,
    PaymentStatus,
    Placement,
    PlacementFee,
    PopulationFigure,
    SafetyValveAgreement,
    Scenario,
    ScenarioLever,
    SpendCategory,
)
from everychild.plans.models import EHCPlan
from everychild.plans.policy import visible_plans


def _configurer(actor, area) -> None:
    if not selectors.may_configure(actor, area):
        raise PermissionDenied("Only the area's finance officers can change its finance records.")


def _finance_user(actor, area) -> None:
    if work_area(actor, Capability.FINANCE, local_authority=True) != area:
        raise PermissionDenied("Only the area's finance officers and senior leaders can do this.")


def _save(record, *, actor, request=None, detail=None):
    """full_clean, save and audit one configuration row."""
    record.full_clean()
    record.save()
    audit.record(
        action=AuditAction.CREATE, actor=actor, record=record, request=request, detail=detail or {}
    )
    return record


@transaction.atomic
def record_cost_rate(
    *,
    actor,
    area,
    placement_type: str,
    component: str,
    annual_amount: Decimal,
    effective_from: dt.date,
    note: str = "",
    request=None,
) -> CostRate:
    """Add a row to the cost table (a later row for the same placement and component, or the
    same date recorded later, supersedes the earlier one; nothing is overwritten)."""
    _configurer(actor, area)
    return _save(
        CostRate(
            area=area,
            placement_type=placement_type,
            component=component,
            annual_amount=annual_amount,
            effective_from=effective_from,
            note=note,
            recorded_by=actor,
        ),
        actor=actor,
        request=request,
    )


@transaction.atomic
def record_assumption(
    *, actor, area, kind: str, financial_year: int, rate_percent: Decimal, note="", request=None
) -> Assumption:
    _configurer(actor, area)
    return _save(
        Assumption(
            area=area,
            kind=kind,
            financial_year=financial_year,
            rate_percent=rate_percent,
            note=note,
            recorded_by=actor,
        ),
        actor=actor,
        request=request,
    )


@transaction.atomic
def record_population(
    *, actor, area, year: int, population: int, note="", request=None
) -> PopulationFigure:
    _configurer(actor, area)
    return _save(
        PopulationFigure(area=area, year=year, population=population, note=note, recorded_by=actor),
        actor=actor,
        request=request,
    )


@transaction.atomic
def record_funding(
    *,
    actor,
    area,
    financial_year: int,
    hnb_allocation: Decimal,
    other_income: Decimal = Decimal(0),
    note="",
    request=None,
) -> FundingAllocation:
    _configurer(actor, area)
    return _save(
        FundingAllocation(
            area=area,
            financial_year=financial_year,
            hnb_allocation=hnb_allocation,
            other_income=other_income,
            note=note,
            recorded_by=actor,
        ),
        actor=actor,
        request=request,
    )


def _amounts(amounts: dict[str, Decimal | None]) -> dict[str, Decimal]:
    """Every spending category, each £0 or more: a budget or a return with a gap is refused."""
    errors = {}
    for category, label in SpendCategory.choices:
        value = amounts.get(category)
        if value is None:
            errors[category] = f"Enter the amount for {in_sentence(label)} (£0 if none)."
        elif value < 0:
            errors[category] = f"The amount for {in_sentence(label)} must be £0 or more."
    unknown = set(amounts) - set(SpendCategory.values)
    if unknown:
        raise ValueError(f"Unknown categories: {sorted(unknown)}")
    if errors:
        raise ValidationError(errors)
    return {category: Decimal(amounts[category]) for category in SpendCategory.values}


@transaction.atomic
def record_budget(
    *, actor, area, financial_year: int, amounts: dict, note="", request=None
) -> list[BudgetLine]:
    """A financial year's budget, every category at once."""
    _configurer(actor, area)
    values = _amounts(amounts)
    now = timezone.now()
    lines = []
    for category, amount in values.items():
        line = BudgetLine(
            area=area,
            financial_year=financial_year,
            category=category,
            amount=amount,
            note=note,
            recorded_by=actor,
            recorded_at=now,
        )
        line.full_clean()
        lines.append(line)
    BudgetLine.objects.bulk_create(lines)
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        request=request,
        detail={"budget": dimensions.fy_label(financial_year)},
    )
    return lines


@transaction.atomic
def record_monitoring_return(
    *,
    actor,
    area,
    financial_year: int,
    quarter: int,
    as_at: dt.date,
    forecasts: dict,
    note="",
    request=None,
) -> MonitoringReturn:
    """A quarterly monitoring point: the forecast outturn for every category (quarter 4 is
    the outturn)."""
    _configurer(actor, area)
    values = _amounts(forecasts)
    if as_at is not None and as_at < dt.date(financial_year, 4, 1):
        raise ValidationError(
            {"as_at": "A monitoring point cannot be before the financial year starts."}
        )
    monitoring_return = MonitoringReturn(
        area=area,
        financial_year=financial_year,
        quarter=quarter,
        as_at=as_at,
        note=note,
        recorded_by=actor,
    )
    monitoring_return.full_clean()
    monitoring_return.save()
    MonitoringLine.objects.bulk_create(
        MonitoringLine(monitoring_return=monitoring_return, category=c, forecast_outturn=v)
        for c, v in values.items()
    )
    audit.record(action=AuditAction.CREATE, actor=actor, record=monitoring_return, request=request)
    return monitoring_return


@transaction.atomic
def record_dsg_balance(
    *, actor, area, financial_year: int, cumulative_deficit: Decimal, note="", request=None
) -> DSGBalance:
    _configurer(actor, area)
    return _save(
        DSGBalance(
            area=area,
            financial_year=financial_year,
            cumulative_deficit=cumulative_deficit,
            note=note,
            recorded_by=actor,
        ),
        actor=actor,
        request=request,
    )


# --- The Safety Valve ----------------------------------------------------------------------


@transaction.atomic
def record_agreement(
    *,
    actor,
    area,
    title: str,
    status: str,
    balance_year: int,
    agreed_on: dt.date | None = None,
    note="",
    request=None,
) -> SafetyValveAgreement:
    _configurer(actor, area)
    if status == "agreed" and agreed_on is None:
        raise ValidationError({"agreed_on": "Enter the date the agreement was made."})
    return _save(
        SafetyValveAgreement(
            area=area,
            title=title,
            status=status,
            agreed_on=agreed_on,
            balance_year=balance_year,
            note=note,
            recorded_by=actor,
        ),
        actor=actor,
        request=request,
    )


@transaction.atomic
def record_deficit_target(
    *,
    actor,
    agreement: SafetyValveAgreement,
    financial_year: int,
    in_year_deficit: Decimal,
    cumulative_deficit: Decimal,
    note="",
    request=None,
) -> DeficitTarget:
    _configurer(actor, agreement.area)
    return _save(
        DeficitTarget(
            agreement=agreement,
            financial_year=financial_year,
            in_year_deficit=in_year_deficit,
            cumulative_deficit=cumulative_deficit,
            note=note,
            recorded_by=actor,
        ),
        actor=actor,
        request=request,
    )


@transaction.atomic
def add_dfe_payment(
    *,
    actor,
    agreement: SafetyValveAgreement,
    due_on: dt.date,
    amount: Decimal,
    conditions: str,
    request=None,
) -> DfEPayment:
    _configurer(actor, agreement.area)
    return _save(
        DfEPayment(
            agreement=agreement,
            due_on=due_on,
            amount=amount,
            conditions=conditions,
            recorded_by=actor,
        ),
        actor=actor,
        request=request,
    )


@transaction.atomic
def settle_dfe_payment(
    *,
    actor,
    payment: DfEPayment,
    status: str,
    settled_on: dt.date,
    note: str = "",
    version: int | None = None,
    request=None,
) -> DfEPayment:
    """Record that the DfE paid an instalment, or withheld it (and why); refused if someone
    recorded it since `version` was read."""
    _configurer(actor, payment.agreement.area)
    if status not in (PaymentStatus.PAID, PaymentStatus.WITHHELD):
        raise ValidationError({"status": "Choose whether the payment was made or withheld."})
    if status == PaymentStatus.WITHHELD and not note.strip():
        raise ValidationError({"note": "Say why the DfE withheld the payment."})
    payment = locking.locked(DfEPayment.objects, payment.pk, version, "payment")
    payment.status, payment.settled_on, payment.settled_note = status, settled_on, note
    locking.bump(payment)
    payment.full_clean()
    payment.save()
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        record=payment,
        request=request,
        detail={"status": status},
    )
    return payment


@transaction.atomic
def add_monitoring_date(
    *, actor, agreement: SafetyValveAgreement, due_on: dt.date, description: str, request=None
) -> MonitoringDate:
    _configurer(actor, agreement.area)
    return _save(
        MonitoringDate(
            agreement=agreement, due_on=due_on, description=description, recorded_by=actor
        ),
        actor=actor,
        request=request,
    )


# --- Placements ----------------------------------------------------------------------------


@dataclass
class PlacementSync:
    opened: int
    closed: int

    def __str__(self) -> str:
        return f"{self.opened} opened, {self.closed} closed"


@transaction.atomic
def sync_placements(*, actor, area, on: dt.date, request=None) -> PlacementSync:
    """Bring placements into step with the plans: a plan with none gets one from its issue
    date in the placement its setting is; a plan now naming a different setting has its open
    placement closed the day before `on` and a new one opened from `on`; a ceased plan's open
    placement closes when the plan did. Each child whose placement changes is audited."""
    if actor is not None:
        _configurer(actor, area)
    placed = set(Placement.objects.filter(area=area).values_list("plan_id", flat=True))
    open_placements = {
        p.plan_id: p for p in Placement.objects.filter(area=area, ends_on__isnull=True)
    }
    new, changed, children = [], [], []
    for plan in EHCPlan.objects.filter(area=area).values(
        "pk",
        "child_id",
        "issued_on",
        "ceased_on",
        "setting_id",
        "setting__setting_type",
        "setting_code",
    ):
        derived = dimensions.placement_type_for(plan["setting__setting_type"], plan["setting_code"])

        def placement(starts_on, ends_on, plan=plan, derived=derived):
            return Placement(
                area=area,
                plan_id=plan["pk"],
                placement_type=derived,
                setting_id=plan["setting_id"],
                setting_code=plan["setting_code"],
                starts_on=starts_on,
                ends_on=ends_on,
            )

        if plan["pk"] not in placed:
            new.append(placement(plan["issued_on"], plan["ceased_on"]))
            children.append(plan["child_id"])
            continue
        current = open_placements.get(plan["pk"])
        if current is None:
            continue
        if plan["ceased_on"] is not None:
            current.ends_on = max(current.starts_on, plan["ceased_on"])
            changed.append(current)
            children.append(plan["child_id"])
        elif (current.placement_type, current.setting_id, current.setting_code) != (
            derived,
            plan["setting_id"],
            plan["setting_code"],
        ) and on > current.starts_on:
            current.ends_on = on - dt.timedelta(days=1)
            changed.append(current)
            new.append(placement(on, None))
            children.append(plan["child_id"])
    Placement.objects.bulk_create(new, batch_size=2000)
    Placement.objects.bulk_update(changed, ["ends_on"], batch_size=2000)
    address = audit.client_address(request)
    audit.record_many(
        audit.AuditEvent(
            action=AuditAction.UPDATE,
            actor=actor,
            child_id=child_id,
            record_type="finance.Placement",
            ip_address=address,
            reason="placement brought into step with the plan's setting",
        )
        for child_id in children
    )
    return PlacementSync(opened=len(new), closed=len(changed))


def sync_all_placements(*, on: dt.date | None = None) -> PlacementSync:
    """Every area's placements brought into step with its plans (the nightly job)."""
    on = on or timezone.localdate()
    total = PlacementSync(opened=0, closed=0)
    for area in Area.objects.order_by("name"):
        result = sync_placements(actor=None, area=area, on=on)
        total.opened += result.opened
        total.closed += result.closed
    return total


# --- Scenarios and forecasts ---------------------------------------------------------------


def lever_from(values: dict) -> Lever:
    return Lever(
        kind=values.get("kind", ""),
        value=None if values.get("value") is None else float(values["value"]),
        starts_on=values.get("starts_on"),
        ends_on=values.get("ends_on"),
        placement_type=values.get("placement_type") or "",
        source_type=values.get("source_type") or "",
        age_from=values.get("age_from"),
    )


def lever_errors(levers: list[dict]) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for i, values in enumerate(levers):
        for field_name, message in validate(lever_from(values)):
            errors.setdefault(f"levers[{i}].{field_name}", []).append(message)
    return errors


@transaction.atomic
def create_scenario(
    *, actor, area, name: str, description: str = "", levers: list[dict], request=None
) -> Scenario:
    """A scenario and its levers; refused whole if any lever is outside its range."""
    _finance_user(actor, area)
    errors = lever_errors(levers)
    scenario = Scenario(area=area, name=name.strip(), description=description, created_by=actor)
    try:
        scenario.full_clean()
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    scenario.save()
    for position, values in enumerate(levers):
        lever = lever_from(values)
        kind = LEVER_KINDS[lever.kind]
        row = ScenarioLever(
            scenario=scenario,
            position=position,
            kind=lever.kind,
            value=Decimal(str(lever.value)),
            starts_on=lever.starts_on,
            ends_on=lever.ends_on,
            placement_type=lever.placement_type if kind.needs_placement else "",
            source_type=lever.source_type if kind.needs_source else "",
            age_from=lever.age_from if kind.needs_age else None,
        )
        row.full_clean()
        row.save()
    audit.record(action=AuditAction.CREATE, actor=actor, record=scenario, request=request)
    return scenario


def baseline(area, *, actor=None) -> Scenario:
    """The area's central scenario (recent trends, no levers), made on first use."""
    scenario, _ = Scenario.objects.get_or_create(
        area=area,
        is_baseline=True,
        defaults={
            "name": "Central forecast",
            "description": "Recent trends continue; no change of policy.",
            "created_by": actor,
        },
    )
    return scenario


@transaction.atomic
def run_forecast(
    *,
    actor,
    scenario: Scenario,
    as_of: dt.date | None = None,
    runs: int | None = None,
    seed: int = forecasting.DEFAULT_SEED,
    horizon: int = forecasting.DEFAULT_HORIZON,
    request=None,
) -> ForecastRun:
    """Forecast a scenario from the area's records today and store the result. Raises
    ForecastError (with the reason) when the records cannot support it. The forecast reads
    every plan of the area for its statistics and keeps only aggregates: one audit entry
    says so, rather than one per child, because no child's record is shown to anyone."""
    if actor is not None:
        _finance_user(actor, scenario.area)
    as_of = as_of or timezone.localdate()
    runs = runs or forecasting.default_runs()
    forecaster = forecasting.forecaster_for(scenario.area, as_of, horizon=horizon)
    result = forecaster.run(forecasting.levers_of(scenario), runs=runs, seed=seed)
    run = ForecastRun.objects.create(
        scenario=scenario,
        as_of=as_of,
        computed_by=actor,
        runs=runs,
        seed=seed,
        horizon=horizon,
        result=result,
    )
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        record=run,
        request=request,
        reason="aggregate forecast from every plan and request of the area",
        detail={
            "plans": len(forecaster.history.plans),
            "requests": len(forecaster.history.requests),
        },
    )
    return run


# A forecast reads every plan and request of the area and simulates them many times: seconds to
# minutes, so it runs as a background job (issue 21; decision 0210), one per scenario at once.
FORECAST_JOB = "finance-forecast"


def request_forecast(*, actor, scenario: Scenario, new: bool = False) -> tuple[JobRun, bool]:
    """Start forecasting `scenario` in the background, or give the run already doing it
    (`new`: the scenario was made just now, and its page is where the person goes next)."""
    _finance_user(actor, scenario.area)
    return jobs.start(
        FORECAST_JOB,
        scope=f"area:{scenario.area_id}",
        key=f"scenario:{scenario.pk}",
        params={
            "area": scenario.area_id,
            "scenario": scenario.pk,
            "name": scenario.name,
            "new": new,
        },
        actor=actor,
    )


def do_forecast(run: JobRun, progress) -> dict:
    """The job (registered in FinanceConfig.ready()): the forecast, or why the records cannot
    support one, which the person is told as before."""
    scenario = Scenario.objects.select_related("area").get(
        pk=run.params["scenario"], area_id=run.params["area"]
    )
    progress(10, "Reading the area's plans and requests, and simulating")
    try:
        forecast = run_forecast(actor=run.requested_by, scenario=scenario)
    except ForecastError as error:
        return {"problem": str(error)}
    return {"forecast_run": forecast.pk}


# Goal-seek forecasts the scenario again at each step of its search: a job like the forecast.
GOAL_SEEK_JOB = "finance-goal-seek"


def request_goal_seek(
    *, actor, scenario: Scenario, template: Lever, target_year: int, as_of: dt.date, horizon: int
) -> tuple[JobRun, bool]:
    """Start searching, in the background, for the value of `template`'s lever that balances
    the budget in `target_year`; the same search already running is given instead."""
    _finance_user(actor, scenario.area)
    lever = {
        "kind": template.kind,
        "starts_on": template.starts_on.isoformat(),
        "placement_type": template.placement_type,
        "source_type": template.source_type,
        "age_from": template.age_from,
    }
    return jobs.start(
        GOAL_SEEK_JOB,
        scope=f"area:{scenario.area_id}",
        key=f"scenario:{scenario.pk}:{target_year}:{as_of}:"
        + ":".join(str(value) for value in lever.values()),
        params={
            "area": scenario.area_id,
            "scenario": scenario.pk,
            "target_year": target_year,
            "as_of": as_of.isoformat(),
            "horizon": horizon,
            "lever": lever,
        },
        actor=actor,
    )


def goal_seek_lever(params: dict) -> Lever:
    """The lever a goal-seek run searched, at its neutral value."""
    lever = params["lever"]
    return Lever(
        kind=lever["kind"],
        value=LEVER_KINDS[lever["kind"]].neutral,
        starts_on=dt.date.fromisoformat(lever["starts_on"]),
        placement_type=lever["placement_type"],
        source_type=lever["source_type"],
        age_from=lever["age_from"],
    )


def do_goal_seek(run: JobRun, progress) -> dict:
    """The job (registered in FinanceConfig.ready()): the search's result, or why the records
    cannot support it."""
    params = run.params
    scenario = Scenario.objects.select_related("area").get(
        pk=params["scenario"], area_id=params["area"]
    )
    progress(10, "Forecasting the scenario at each value the search tries")
    try:
        result = forecasting.goal_seek(
            scenario.area,
            scenario,
            goal_seek_lever(params),
            params["target_year"],
            dt.date.fromisoformat(params["as_of"]),
            horizon=params["horizon"],
        )
    except ForecastError as error:
        return {"problem": str(error)}
    return {"result": asdict(result)}


@transaction.atomic
def record_placement_fee(
    *,
    actor,
    placement: Placement,
    component: str,
    annual_amount: Decimal,
    effective_from: dt.date,
    note: str = "",
    request=None,
) -> PlacementFee:
    """Record the annual amount agreed for one placement (e.g. an independent school's fee),
    from a date. Only the area's SEND team managers, who agree placements, record them; a later
    row supersedes an earlier one and nothing is overwritten."""
    if not (
        has_capability(actor, Capability.MANAGE_TEAM)
        and visible_plans(actor).filter(pk=placement.plan_id).exists()
    ):
        raise PermissionDenied("Only the area's SEND team managers can record agreed fees.")
    errors = {}
    if effective_from < placement.starts_on:
        errors["effective_from"] = (
            f"The fee cannot start before the placement does ({placement.starts_on:%-d %B %Y})"
        )
    elif placement.ends_on is not None and effective_from > placement.ends_on:
        errors["effective_from"] = (
            f"The placement ended on {placement.ends_on:%-d %B %Y}: the fee must start before"
        )
    if errors:
        raise ValidationError(errors)
    fee = PlacementFee(
        placement=placement,
        component=component,
        annual_amount=annual_amount,
        effective_from=effective_from,
        note=note,
        recorded_by=actor,
    )
    fee.full_clean()
    fee.save()
    audit.record(
        action=AuditAction.CREATE,
        actor=actor,
        child=placement.plan.child_id,
        record=fee,
        request=request,
        detail={"component": component, "effective_from": effective_from.isoformat()},
    )
    return fee
