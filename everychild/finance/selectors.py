"""Reads for the high-needs finance pages, the API and the export. Everything here is an
aggregate or the area's own configuration: no child's record leaves this module."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from everychild.access.policy import Capability, la_area_ids
from everychild.areas.models import Area
from everychild.casework.models import AssessmentRequest, Decision
from everychild.children.selectors import of_the_child
from everychild.finance.forecast import dimensions
from everychild.finance.forecast.dimensions import financial_year_of, fy_label
from everychild.finance.forecast.forecast import FinanceInputs
from everychild.finance.forecast.history import (
    Episode,
    History,
    PlanHistory,
    PlanRecord,
    RequestHistory,
    RequestRecord,
)
from everychild.finance.forecast.money import CostRow, rate_for_year, rates_in_force
from everychild.finance.models import (
    AgreementStatus,
    Assumption,
    AssumptionKind,
    BudgetLine,
    CostComponent,
    CostRate,
    DfEPayment,
    DSGBalance,
    FundingAllocation,
    MonitoringReturn,
    PaymentStatus,
    Placement,
    PlacementFee,
    PlacementType,
    PopulationFigure,
    SafetyValveAgreement,
    Scenario,
    SpendCategory,
)
from everychild.finance.presentation import money_m
from everychild.plans.models import EHCPlan


def may_configure(user, area: Area) -> bool:
    """Cost tables, assumptions and the budget are kept by the area's finance officers."""
    return area.pk in la_area_ids(user, Capability.CONFIGURE_FINANCE)


def _latest(rows, key) -> dict:
    """The last row for each key, rows given oldest first. Rows are only ever added, so the
    latest is the one added last (by id: a clock set back cannot reorder them)."""
    out = {}
    for row in rows:
        out[key(row)] = row
    return out


# --- The cost table and assumptions --------------------------------------------------------


def cost_rows(area: Area) -> list[CostRate]:
    return list(
        CostRate.objects.filter(area=area)
        .select_related("recorded_by")
        .order_by("effective_from", "pk")
    )


def model_cost_rows(rows: list[CostRate]) -> list[CostRow]:
    return [
        CostRow(r.placement_type, r.component, float(r.annual_amount), r.effective_from)
        for r in rows
    ]


@dataclass
class CostTableRow:
    placement_type: str
    label: str
    amounts: dict[str, Decimal | None]
    total: Decimal | None
    effective_from: dt.date | None


def cost_table(area: Area, on: dt.date) -> dict:
    """The rates in force on `on` by placement type and component, the rows that take effect
    later, and every row ever recorded (newest first) with whether it is still in force."""
    rows = cost_rows(area)
    rows_as_model = model_cost_rows(rows)
    in_force = rates_in_force(rows_as_model, on)
    by_identity = {id(m): r for m, r in zip(rows_as_model, rows, strict=True)}
    table = []
    for value, label in PlacementType.choices:
        amounts: dict[str, Decimal | None] = {}
        dates = []
        for component in CostComponent.values:
            held = in_force.get((value, component))
            if held is None:
                amounts[component] = None
            else:
                amounts[component] = by_identity[id(held)].annual_amount
                dates.append(held.effective_from)
        known = [a for a in amounts.values() if a is not None]
        table.append(
            CostTableRow(
                value, label, amounts, sum(known) if known else None, max(dates, default=None)
            )
        )
    current_ids = {id(by_identity[id(m)]) for m in in_force.values()}
    history = []
    for row in reversed(rows):
        if id(row) in current_ids:
            state = "In force"
        elif row.effective_from > on:
            state = "From " + row.effective_from.strftime("%-d %B %Y")
        else:
            state = "Superseded"
        history.append({"row": row, "state": state})
    return {
        "rows": table,
        "components": CostComponent.choices,
        "history": history,
        "scheduled": [r for r in rows if r.effective_from > on],
    }


def assumptions(area: Area) -> dict[str, dict[int, float]]:
    """Each kind's rate (as a fraction) by the financial year it starts from."""
    rows = Assumption.objects.filter(area=area).order_by("pk")
    latest = _latest(rows, lambda r: (r.kind, r.financial_year))
    out: dict[str, dict[int, float]] = {kind: {} for kind in AssumptionKind.values}
    for (kind, year), row in latest.items():
        out[kind][year] = float(row.rate_percent) / 100
    return out


def assumption_history(area: Area) -> list[Assumption]:
    return list(Assumption.objects.filter(area=area).select_related("recorded_by").order_by("-pk"))


def population(area: Area) -> dict[int, float]:
    rows = PopulationFigure.objects.filter(area=area).order_by("pk")
    return {y: float(r.population) for y, r in _latest(rows, lambda r: r.year).items()}


def population_rows(area: Area) -> list[PopulationFigure]:
    rows = PopulationFigure.objects.filter(area=area).order_by("pk")
    return sorted(_latest(rows, lambda r: r.year).values(), key=lambda r: r.year)


# --- Placements ----------------------------------------------------------------------------


def fees_in_force(placement_ids, on: dt.date) -> dict[tuple[int, str], PlacementFee]:
    """The agreed fee in force on `on` for each (placement, component) that has one: the row
    with the latest start on or before `on`, and of those the last recorded."""
    current: dict[tuple[int, str], PlacementFee] = {}
    rows = PlacementFee.objects.filter(
        placement_id__in=placement_ids, effective_from__lte=on
    ).order_by("effective_from", "pk")
    for row in rows:
        current[(row.placement_id, row.component)] = row
    return current


def placements_summary(area: Area, on: dt.date) -> list[dict]:
    """Active plans on `on` by placement type, with the annual cost of each: the fee agreed for
    the placement where there is one, otherwise the area's rate in force. Counts only, no
    child."""
    counts = defaultdict(int)
    placed: dict[int, tuple[int, str]] = {}  # plan -> (placement, type)
    for placement_id, plan_id, placement_type in (
        Placement.objects.filter(area=area, starts_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .filter(plan__issued_on__lte=on)
        .filter(Q(plan__ceased_on__isnull=True) | Q(plan__ceased_on__gt=on))
        .order_by("starts_on", "pk")
        .values_list("pk", "plan_id", "placement_type")
    ):
        if plan_id not in placed:
            placed[plan_id] = (placement_id, placement_type)
            counts[placement_type] += 1
    # Plans not yet given a placement record: their type from the setting they name.
    unplaced = (
        _active_plans(area, on)
        .exclude(pk__in=placed)
        .values("setting__setting_type", "setting_code")
        .annotate(n=Count("pk"))
    )
    for row in unplaced:
        name = dimensions.placement_type_for(row["setting__setting_type"], row["setting_code"])
        counts[name] += row["n"]
    rates = rates_in_force(model_cost_rows(cost_rows(area)), on)
    agreed = fees_in_force([pid for pid, _ in placed.values()], on)
    # Per type: the agreed amounts that replace a rate, and how many placements have any.
    replaced: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    with_fees: dict[str, set[int]] = defaultdict(set)
    type_of = dict(placed.values())
    for (placement_id, component), fee in agreed.items():
        placement_type = type_of[placement_id]
        replaced[placement_type][component].append(float(fee.annual_amount))
        with_fees[placement_type].add(placement_id)
    out = []
    for value, label in PlacementType.choices:
        n = counts[value]
        components = {c: row.amount for (p, c), row in rates.items() if p == value}
        has_rate = bool(components)
        annual = 0.0
        complete = True
        for component in set(components) | set(replaced[value]):
            own = replaced[value].get(component, [])
            annual += sum(own)
            rest = n - len(own)
            if rest:
                if component in components:
                    annual += rest * components[component]
                elif own:
                    # Some placements have an agreed amount for a component the table has no
                    # rate for: the others' cost for it is unknown, and we do not guess.
                    complete = False
        unit = sum(components.values()) if has_rate else None
        known = n == 0 or has_rate or (len(with_fees[value]) == n and complete)
        out.append(
            {
                "placement_type": value,
                "label": label,
                "plans": n,
                "unit_cost": unit,
                "agreed_fees": len(with_fees[value]),
                "annual_cost": annual if known and complete else None,
            }
        )
    return out


def _active_plans(area: Area, on: dt.date):
    return EHCPlan.objects.filter(area=area, issued_on__lte=on).filter(
        Q(ceased_on__isnull=True) | Q(ceased_on__gt=on)
    )


# --- The budget ----------------------------------------------------------------------------


def funding(area: Area) -> dict[int, FundingAllocation]:
    rows = FundingAllocation.objects.filter(area=area).order_by("pk")
    return _latest(rows, lambda r: r.financial_year)


def budget_lines(area: Area) -> dict[int, dict[str, Decimal]]:
    rows = BudgetLine.objects.filter(area=area).order_by("pk")
    out: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for (year, category), row in _latest(rows, lambda r: (r.financial_year, r.category)).items():
        out[year][category] = row.amount
    return dict(out)


def monitoring_returns(area: Area) -> dict[int, dict[int, MonitoringReturn]]:
    """Financial year -> quarter -> the latest return for it (with its lines)."""
    rows = MonitoringReturn.objects.filter(area=area).prefetch_related("lines").order_by("pk")
    out: dict[int, dict[int, MonitoringReturn]] = defaultdict(dict)
    for (year, quarter), row in _latest(rows, lambda r: (r.financial_year, r.quarter)).items():
        out[year][quarter] = row
    return dict(out)


def balances(area: Area) -> dict[int, DSGBalance]:
    rows = DSGBalance.objects.filter(area=area).order_by("pk")
    return _latest(rows, lambda r: r.financial_year)


def current_agreement(area: Area) -> SafetyValveAgreement | None:
    return (
        SafetyValveAgreement.objects.filter(area=area)
        .prefetch_related("targets", "payments", "monitoring_dates")
        .order_by("-pk")
        .first()
    )


def safety_valve_received(area: Area) -> dict[int, Decimal]:
    """DfE payments received, by the financial year they were paid in."""
    out: dict[int, Decimal] = defaultdict(Decimal)
    agreements = SafetyValveAgreement.objects.filter(area=area)
    for agreement in agreements.prefetch_related("payments"):
        for payment in agreement.payments.all():
            if payment.status == PaymentStatus.PAID and payment.settled_on:
                out[financial_year_of(payment.settled_on)] += payment.amount
    return dict(out)


@dataclass
class BudgetYear:
    year: int
    label: str
    income: Decimal | None
    hnb_allocation: Decimal | None
    other_income: Decimal | None
    budget: dict[str, Decimal]
    budget_total: Decimal | None
    returns: dict[int, MonitoringReturn]
    spend: Decimal | None
    spend_basis: str
    in_year_deficit: Decimal | None
    safety_valve: Decimal
    opening_deficit: Decimal | None
    closing_deficit: Decimal | None
    closing_basis: str
    interest_rate: float | None
    interest: Decimal | None
    by_category: list[dict] = field(default_factory=list)


def _return_total(monitoring_return: MonitoringReturn) -> Decimal:
    return sum((line.forecast_outturn for line in monitoring_return.lines.all()), Decimal(0))


def budget_years(area: Area) -> list[BudgetYear]:
    """Every financial year with anything recorded: income, budget, the latest monitoring
    point's forecast outturn (the outturn at quarter 4), the in-year and cumulative deficit
    (the audited balance where recorded) and the interest on carrying it."""
    alloc, lines, returns = funding(area), budget_lines(area), monitoring_returns(area)
    recorded_balances = balances(area)
    received = safety_valve_received(area)
    interest_rates = assumptions(area)[AssumptionKind.INTEREST_RATE]
    years = sorted(set(alloc) | set(lines) | set(returns) | set(recorded_balances))
    out: list[BudgetYear] = []
    previous_closing: Decimal | None = None
    for year in years:
        allocation = alloc.get(year)
        income = allocation.total if allocation else None
        budget = lines.get(year, {})
        budget_total = sum(budget.values(), Decimal(0)) if budget else None
        year_returns = returns.get(year, {})
        if year_returns:
            latest_quarter = max(year_returns)
            latest = year_returns[latest_quarter]
            spend = _return_total(latest)
            spend_basis = (
                "Outturn" if latest.is_outturn else f"Forecast at quarter {latest_quarter}"
            )
        else:
            latest = None
            spend, spend_basis = budget_total, "Budget" if budget_total is not None else ""
        in_year = spend - income if spend is not None and income is not None else None
        sv = received.get(year, Decimal(0))
        opening = previous_closing
        if opening is None and year - 1 in recorded_balances:
            opening = recorded_balances[year - 1].cumulative_deficit
        if year in recorded_balances:
            closing, closing_basis = recorded_balances[year].cumulative_deficit, "Recorded balance"
        elif opening is not None and in_year is not None:
            closing, closing_basis = opening + in_year - sv, "Calculated"
        else:
            closing, closing_basis = None, ""
        rate = rate_for_year(interest_rates, year)
        interest = None
        if rate is not None and opening is not None and closing is not None:
            interest = max(Decimal(0), (opening + closing) / 2) * Decimal(str(rate))
        by_category = []
        for category, label in SpendCategory.choices:
            row = {"category": category, "label": label, "budget": budget.get(category)}
            for quarter in range(1, 5):
                ret = year_returns.get(quarter)
                value = None
                if ret is not None:
                    value = next(
                        (
                            line.forecast_outturn
                            for line in ret.lines.all()
                            if line.category == category
                        ),
                        None,
                    )
                row[f"q{quarter}"] = value
            latest_value = row.get(f"q{max(year_returns)}") if year_returns else None
            row["variance"] = (
                latest_value - row["budget"]
                if latest_value is not None and row["budget"] is not None
                else None
            )
            by_category.append(row)
        out.append(
            BudgetYear(
                year=year,
                label=fy_label(year),
                income=income,
                hnb_allocation=allocation.hnb_allocation if allocation else None,
                other_income=allocation.other_income if allocation else None,
                budget=budget,
                budget_total=budget_total,
                returns=year_returns,
                spend=spend,
                spend_basis=spend_basis,
                in_year_deficit=in_year,
                safety_valve=sv,
                opening_deficit=opening,
                closing_deficit=closing,
                closing_basis=closing_basis,
                interest_rate=rate,
                interest=interest,
                by_category=by_category,
            )
        )
        previous_closing = closing
    return out


# --- What the forecast learns from ---------------------------------------------------------


def forecast_history(area: Area) -> History:
    """The area's plans (with their placements over time) and requests, as the model's arrays.
    Read for statistics only: nothing here is shown to anyone."""
    episodes: dict[int, list[Episode]] = defaultdict(list)
    for plan_id, starts_on, ends_on, placement_type in Placement.objects.filter(
        area=area
    ).values_list("plan_id", "starts_on", "ends_on", "placement_type"):
        episodes[plan_id].append(
            Episode(starts_on, ends_on, dimensions.PLACEMENT_INDEX[placement_type])
        )
    records = []
    for (
        plan_id,
        born,
        issued_on,
        ceased_on,
        setting_type,
        setting_code,
        need,
        request_id,
    ) in (
        EHCPlan.objects.filter(area=area)
        .annotate(born=of_the_child("date_of_birth"))
        .values_list(
            "pk",
            "born",
            "issued_on",
            "ceased_on",
            "setting__setting_type",
            "setting_code",
            "primary_need",
            "assessment_request_id",
        )
    ):
        plan_episodes = episodes.get(plan_id)
        if not plan_episodes:
            # No placement recorded yet: the setting the plan names, for its whole life.
            placement = dimensions.placement_type_for(setting_type, setting_code)
            plan_episodes = [Episode(issued_on, ceased_on, dimensions.PLACEMENT_INDEX[placement])]
        records.append(
            PlanRecord(
                born=born,
                issued_on=issued_on,
                ceased_on=ceased_on,
                need=dimensions.NEED_INDEX[dimensions.need_group_for(need)],
                from_request=request_id is not None,
                episodes=tuple(plan_episodes),
            )
        )
    requests = [
        RequestRecord(
            received_on=received,
            decided_on=decided,
            assess=decision == Decision.ASSESS,
            draft_on=draft,
            issued_on=issued,
            not_issued_on=not_issued,
            withdrawn_on=withdrawn,
        )
        for received, decided, decision, draft, issued, not_issued, withdrawn in (
            AssessmentRequest.objects.filter(area=area).values_list(
                "received_on",
                "decision_on",
                "decision",
                "draft_plan_served_on",
                "final_plan_issued_on",
                "decision_not_to_issue_on",
                "withdrawn_on",
            )
        )
    ]
    return History(
        PlanHistory.from_records(records), RequestHistory.from_records(requests), population(area)
    )


def finance_inputs(area: Area, as_of: dt.date) -> FinanceInputs:
    """The money side of the forecast: cost table, assumptions, income, central services, the
    cumulative deficit when the current year began, and Safety Valve payments still to come."""
    rates = assumptions(area)
    current = financial_year_of(as_of)
    years = {b.year: b for b in budget_years(area)}
    opening = None
    if current - 1 in years and years[current - 1].closing_deficit is not None:
        opening = float(years[current - 1].closing_deficit)
    elif current in years and years[current].opening_deficit is not None:
        opening = float(years[current].opening_deficit)
    central = {
        year: float(amounts[SpendCategory.CENTRAL])
        for year, amounts in budget_lines(area).items()
        if SpendCategory.CENTRAL in amounts
    }
    outlooks = agreed_payment_outlooks(area)
    return FinanceInputs(
        cost_rows=model_cost_rows(cost_rows(area)),
        inflation=rates[AssumptionKind.COST_INFLATION],
        funding_growth=rates[AssumptionKind.FUNDING_GROWTH],
        interest=rates[AssumptionKind.INTEREST_RATE],
        income={year: float(row.total) for year, row in funding(area).items()},
        central_spend=central,
        opening_deficit=opening,
        safety_valve=_counted_by_year(outlooks, current, COUNTED_IF_ALL_ARRIVE),
        safety_valve_at_risk=_counted_by_year(outlooks, current, {"at_risk"}),
        payments_at_risk=[outlook.as_dict() for outlook in outlooks if outlook.at_risk],
    )


# --- The Safety Valve: which of the DfE's payments the monitoring puts at risk -------------


def agreement_targets(agreement: SafetyValveAgreement | None) -> dict[int, tuple[float, float]]:
    """Financial year -> (in-year, cumulative) deficit target: the latest recorded row."""
    if agreement is None:
        return {}
    out = {}
    for target in sorted(agreement.targets.all(), key=lambda t: t.pk):
        out[target.financial_year] = (
            float(target.in_year_deficit),
            float(target.cumulative_deficit),
        )
    return out


@dataclass(frozen=True)
class MonitoringPoint:
    """What a monitoring return says against the agreement: its forecast in-year deficit (the
    return's forecast outturn less the year's recorded income) beside the year's target."""

    year: int
    quarter: int
    as_at: dt.date
    in_year: float
    target: float | None

    @property
    def label(self) -> str:
        return (
            f"{fy_label(self.year)} {'outturn' if self.quarter == 4 else f'quarter {self.quarter}'}"
        )

    @property
    def gap(self) -> float | None:
        return None if self.target is None else self.in_year - self.target


def monitoring_points(area: Area, targets: dict[int, tuple[float, float]]) -> list[MonitoringPoint]:
    """Every monitoring return for a year the agreement sets a target for (and whose income
    is recorded, without which the in-year deficit is not known), earliest first."""
    out = []
    for b in budget_years(area):
        if b.year not in targets or b.income is None:
            continue
        for quarter, ret in sorted(b.returns.items()):
            out.append(
                MonitoringPoint(
                    year=b.year,
                    quarter=quarter,
                    as_at=ret.as_at,
                    in_year=float(_return_total(ret) - b.income),
                    target=targets[b.year][0],
                )
            )
    return out


@dataclass(frozen=True)
class PaymentOutlook:
    """A DfE payment and whether the deficit path may count it: paid (counted), withheld
    (never counted), due and expected, or due and at risk (with the evidence)."""

    payment: DfEPayment
    state: str  # "paid", "withheld", "expected" or "at_risk"
    reason: str
    evidence: MonitoringPoint | None = None

    @property
    def at_risk(self) -> bool:
        return self.state == "at_risk"

    def as_dict(self) -> dict:
        """For a forecast's stored result: what it judged, in words, as at its date."""
        return {
            "payment_id": self.payment.pk,
            "due_on": self.payment.due_on.isoformat(),
            "amount": float(self.payment.amount),
            "reason": self.reason,
        }


def payment_outlook(payment: DfEPayment, points: list[MonitoringPoint]) -> PaymentOutlook:
    """The one judgement of a payment's prospects. The DfE pays an instalment only when the
    council's monitoring shows it keeping to the agreed deficit path, so a payment still due
    is at risk when the latest monitoring return as at or before its due date (the evidence
    the DfE would have in front of it) forecasts an in-year deficit above the agreement's
    target for that return's year. In-year, not cumulative: the in-year deficit is what a
    return measures, while the cumulative figure depends on the DfE's payments themselves.
    Without a return to judge by, the payment is expected (and the page says so)."""
    if payment.status == PaymentStatus.PAID:
        return PaymentOutlook(payment, "paid", f"Paid on {payment.settled_on:%-d %B %Y}.")
    if payment.status == PaymentStatus.WITHHELD:
        why = f": {payment.settled_note}" if payment.settled_note else "."
        return PaymentOutlook(payment, "withheld", f"Withheld by the DfE{why}")
    before = [p for p in points if p.as_at <= payment.due_on and p.target is not None]
    if not before:
        return PaymentOutlook(
            payment,
            "expected",
            "Expected: no monitoring return before it falls due shows the deficit against a "
            "target yet.",
        )
    point = max(before, key=lambda p: (p.as_at, p.year, p.quarter))
    said = (
        f"The {point.label} return (as at {point.as_at:%-d %B %Y}) forecasts an in-year "
        f"deficit of {money_m(point.in_year)}"
    )
    if point.gap > 0:
        return PaymentOutlook(
            payment,
            "at_risk",
            f"{said}, {money_m(point.gap)} over the agreement's target of {money_m(point.target)}.",
            point,
        )
    return PaymentOutlook(
        payment,
        "expected",
        f"Expected: {said[0].lower()}{said[1:]}, within the agreement's target of "
        f"{money_m(point.target)}.",
        point,
    )


def payment_outlooks(area: Area) -> list[PaymentOutlook]:
    """Each payment of the current agreement, judged against its monitoring."""
    agreement = current_agreement(area)
    if agreement is None:
        return []
    points = monitoring_points(area, agreement_targets(agreement))
    return [payment_outlook(payment, points) for payment in agreement.payments.all()]


def _counted_by_year(outlooks, from_year: int, states: set[str]) -> dict[int, float]:
    """Payments in `states` by financial year (paid: the year paid; due: the year due)."""
    out: dict[int, float] = defaultdict(float)
    for outlook in outlooks:
        if outlook.state not in states:
            continue
        payment = outlook.payment
        day = payment.settled_on if outlook.state == "paid" else payment.due_on
        if day and financial_year_of(day) >= from_year:
            out[financial_year_of(day)] += float(payment.amount)
    return dict(out)


COUNTED_IF_ALL_ARRIVE = {"paid", "expected", "at_risk"}


def agreed_payment_outlooks(area: Area) -> list[PaymentOutlook]:
    """The outlooks the deficit path counts from: none unless the agreement is agreed (a
    proposal's payments are not promised)."""
    return payment_outlooks(area) if _agreed(area) else []


def expected_safety_valve(area: Area, from_year: int) -> dict[int, float]:
    """Payments an agreed Safety Valve still brings from `from_year` on if every payment due
    arrives: those paid this year or later, and those due (at risk or not). Withheld ones
    never count."""
    return _counted_by_year(agreed_payment_outlooks(area), from_year, COUNTED_IF_ALL_ARRIVE)


def _agreed(area: Area) -> bool:
    agreement = current_agreement(area)
    return agreement is not None and agreement.status == AgreementStatus.AGREED


# --- Scenarios -----------------------------------------------------------------------------


def scenarios(area: Area):
    return (
        Scenario.objects.filter(area=area)
        .prefetch_related("levers")
        .select_related("created_by")
        .order_by("-is_baseline", "name")
    )


def scenario(area: Area, scenario_id: int) -> Scenario:
    return scenarios(area).get(pk=scenario_id)


def latest_run(scenario: Scenario):
    return scenario.runs.order_by("-pk").first()


def central_runs_beside(area, run) -> tuple:
    """The central forecast's run to set a scenario's `run` beside: the latest made no later
    than it (from the same records, as far as the service can tell), and the central run made
    since, if any. A scenario set beside a central forecast made from newer records would show
    a difference that is only the new records' (issue 20)."""
    baseline = Scenario.objects.filter(area=area, is_baseline=True).first()
    if baseline is None:
        return None, None
    # Runs are numbered as they are made (one table for every scenario's), so the id orders
    # them even when two share a timestamp.
    runs = baseline.runs.order_by("-pk")
    return runs.filter(pk__lte=run.pk).first(), runs.filter(pk__gt=run.pk).first()
