"""The demonstration area's high-needs money: placements over time, a cost table with its
history, assumptions, population, funding, budgets and quarterly monitoring, the DSG balance,
a (hypothetical) Safety Valve agreement, and scenarios with their forecasts.

Published figures are used where DOMAIN.md gives them (the DSG deficit of £35.8m at March
2023, the 2024-25 high-needs allocation of £62.0m, typical costs per placement). Everything
else is made up, but made consistent: each year's spending is what the demonstration
caseload costs at the cost table's rates, so the budget, the monitoring returns and the
forecast agree with the plans they rest on. The demonstration caseload is smaller than BCP's
real one in earlier years, so its deficit is smaller than BCP's published deficit.

Placements over time are invented too: the seed gives each plan one setting (where the child
is now, or was when the plan ceased). Here each plan's earlier placements are drawn from
plausible moves at the transfer years (into reception, year 7, year 12 and post-19), so that
the forecast has moves to learn from."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from everychild.access.audit import AuditEvent, record_many
from everychild.access.models import AuditAction
from everychild.accounts.models import Membership, Role, User
from everychild.areas.models import Area
from everychild.demo import calibration
from everychild.finance import forecasting, selectors, services
from everychild.finance.forecast import dimensions as d
from everychild.finance.forecast.forecast import Forecaster
from everychild.finance.forecast.money import financial_year_counts, unit_costs
from everychild.finance.models import (
    AgreementStatus,
    CostRate,
    PaymentStatus,
    Placement,
    PlacementFee,
    SpendCategory,
)
from everychild.plans.models import EHCPlan

SEED = 839
FINANCE_EMAIL = "finance@demo.test"
LEADER_EMAIL = "leader@demo.test"
LEADER_NAME = "Lesley Broadstone"
AUDIT_REASON = "demonstration data"

# Annual cost per plan (2024-25) by placement type and component, from DOMAIN.md section 6:
# mainstream top-up about £8k (the school meets the first £6k from its own budget); resourced
# provision £6k place plus top-up; maintained special about £26k; independent or
# non-maintained special about £64k; specialist post-16 about £36k; independent alternative
# provision £25-30k. The rest are the demonstration's assumptions.
COSTS_2024 = {
    d.MAINSTREAM: {"top_up": 8000},
    d.RESOURCED: {"place": 6000, "top_up": 9500},
    d.SPECIAL_MAINTAINED: {"place": 10000, "top_up": 16500},
    d.SPECIAL_ACADEMY: {"place": 10000, "top_up": 17000},
    d.SPECIAL_INDEPENDENT: {"fees": 64000},
    d.POST16_FE: {"place": 6000, "top_up": 5500},
    d.POST16_SPECIALIST: {"fees": 36000},
    d.ALTERNATIVE_PROVISION: {"place": 10000, "top_up": 17500},
    d.EARLY_YEARS: {"top_up": 4500},
    d.EOTAS: {"fees": 21000},
    d.OTHER: {"top_up": 0},
}
# Uplifts each April, by financial year (independent fees rose faster than the rest).
UPLIFTS = {2022: 0.0, 2023: 0.035, 2024: 0.04, 2025: 0.03, 2026: 0.03}
INDEPENDENT_EXTRA = 0.03
FUNDING = {  # high-needs block allocation, other income (£)
    2022: (52_400_000, 1_100_000),
    2023: (57_600_000, 1_200_000),
    2024: (62_000_000, 1_300_000),  # DOMAIN.md: 2024/25 funding £62.0m
    2025: (65_100_000, 1_300_000),
    2026: (67_500_000, 1_400_000),
}
OPENING_BALANCE = (2022, Decimal("35800000"))  # DSG deficit at 31 March 2023: £35.8m
CENTRAL_SERVICES = {2022: 11.8e6, 2023: 12.4e6, 2024: 13.1e6, 2025: 13.9e6, 2026: 14.6e6}


def _central(year: int) -> float:
    """The central services budget for a year (growing 4 % a year after the last given)."""
    last = max(CENTRAL_SERVICES)
    return CENTRAL_SERVICES.get(year, CENTRAL_SERVICES[last] * 1.04 ** (year - last))


BUDGET_SHORTFALL = 0.92  # budgets set at 92 % of what the year turns out to cost
# How far each quarter's forecast has moved from the budget towards the outturn.
QUARTER_DRIFT = {1: 0.3, 2: 0.6, 3: 0.85, 4: 1.0}
POPULATION = {  # residents aged 0-25 (shaped like ONS estimates and projections for BCP)
    2015: 113_900, 2016: 114_600, 2017: 115_200, 2018: 115_700, 2019: 116_100,
    2020: 116_400, 2021: 116_600, 2022: 116_900, 2023: 117_300, 2024: 117_500,
    2025: 117_400, 2026: 117_100, 2027: 116_700, 2028: 116_200, 2029: 115_700,
    2030: 115_200, 2031: 114_800, 2032: 114_400, 2033: 114_100, 2034: 113_800,
    2035: 113_600, 2036: 113_400, 2037: 113_300, 2038: 113_200,
}  # fmt: skip

# Where a child was before a transfer year, given where they are after it. Keys: (age of the
# transfer, placement after); values: weights of the placement before.
BEFORE = {
    (4, d.MAINSTREAM): {d.EARLY_YEARS: 70, d.MAINSTREAM: 30},
    (4, d.RESOURCED): {d.EARLY_YEARS: 60, d.RESOURCED: 40},
    (4, d.SPECIAL_MAINTAINED): {d.EARLY_YEARS: 45, d.SPECIAL_MAINTAINED: 55},
    (4, d.SPECIAL_ACADEMY): {d.EARLY_YEARS: 45, d.SPECIAL_ACADEMY: 55},
    (4, d.SPECIAL_INDEPENDENT): {d.EARLY_YEARS: 50, d.SPECIAL_INDEPENDENT: 50},
    (11, d.SPECIAL_MAINTAINED): {d.MAINSTREAM: 30, d.RESOURCED: 6, d.SPECIAL_MAINTAINED: 64},
    (11, d.SPECIAL_ACADEMY): {d.MAINSTREAM: 30, d.RESOURCED: 6, d.SPECIAL_ACADEMY: 64},
    (11, d.SPECIAL_INDEPENDENT): {
        d.MAINSTREAM: 32,
        d.SPECIAL_MAINTAINED: 22,
        d.SPECIAL_INDEPENDENT: 46,
    },
    (11, d.ALTERNATIVE_PROVISION): {d.MAINSTREAM: 80, d.ALTERNATIVE_PROVISION: 20},
    (11, d.EOTAS): {d.MAINSTREAM: 55, d.SPECIAL_INDEPENDENT: 10, d.EOTAS: 35},
    (11, d.RESOURCED): {d.MAINSTREAM: 25, d.RESOURCED: 75},
    (16, d.POST16_FE): {
        d.MAINSTREAM: 74,
        d.RESOURCED: 4,
        d.SPECIAL_MAINTAINED: 9,
        d.ALTERNATIVE_PROVISION: 5,
        d.SPECIAL_INDEPENDENT: 4,
        d.EOTAS: 4,
    },
    (16, d.POST16_SPECIALIST): {
        d.SPECIAL_MAINTAINED: 45,
        d.SPECIAL_ACADEMY: 20,
        d.SPECIAL_INDEPENDENT: 27,
        d.MAINSTREAM: 8,
    },
    (16, d.OTHER): {
        d.MAINSTREAM: 50,
        d.ALTERNATIVE_PROVISION: 15,
        d.SPECIAL_INDEPENDENT: 8,
        d.EOTAS: 12,
        d.OTHER: 15,
    },
    (16, d.EOTAS): {d.MAINSTREAM: 40, d.SPECIAL_INDEPENDENT: 20, d.EOTAS: 40},
    (19, d.POST16_SPECIALIST): {
        d.SPECIAL_MAINTAINED: 38,
        d.SPECIAL_ACADEMY: 12,
        d.SPECIAL_INDEPENDENT: 22,
        d.POST16_SPECIALIST: 28,
    },
    (19, d.POST16_FE): {d.POST16_FE: 82, d.SPECIAL_MAINTAINED: 8, d.MAINSTREAM: 10},
    (19, d.OTHER): {d.POST16_FE: 45, d.OTHER: 55},
}
# Moves in the middle of a phase: a child now in one of these may have come from mainstream
# (or resourced provision) at a September within the phase.
MID_PHASE_MOVE = {
    d.SPECIAL_INDEPENDENT: 0.18,
    d.SPECIAL_MAINTAINED: 0.10,
    d.SPECIAL_ACADEMY: 0.10,
    d.ALTERNATIVE_PROVISION: 0.35,
    d.EOTAS: 0.30,
}


class DemoFinanceError(Exception):
    pass


@dataclass
class DemoFinanceResult:
    created: bool
    area: Area
    counts: dict = field(default_factory=dict)
    password: str | None = None
    warnings: list[str] = field(default_factory=list)


def _academic_year_at_age(born: dt.date, age: int) -> int:
    """The academic year in which a child born on `born` has academic age `age`."""
    return born.year + age + (1 if born.month >= 9 else 0)


def _pick(rng: random.Random, weights: dict) -> str:
    allowed = [(k, w) for k, w in weights.items() if w > 0]
    return rng.choices([k for k, _ in allowed], weights=[w for _, w in allowed])[0]


def placement_history(rng, born, issued, end, final: str) -> list[tuple[dt.date, str]]:
    """(start, placement) from the plan's issue to `end`, ending in `final`: walked back from
    the last placement through each transfer year the plan spans."""
    segments = [(None, final)]  # (move date into this placement, placement)
    current = final
    for age in sorted(d.TRANSFER_AGES, reverse=True):
        move = dt.date(_academic_year_at_age(born, age), 9, 1)
        if not issued < move <= end:
            continue
        options = BEFORE.get((age, current))
        if options is None:
            continue
        before = _pick(rng, options)
        lo, hi = d.ALLOWED_AGES[before]
        if before != current and lo <= age - 1 <= hi:
            segments[0] = (move, segments[0][1])
            segments.insert(0, (None, before))
            current = before
    # A move within a phase into the placement held at the plan's end.
    chance = MID_PHASE_MOVE.get(final)
    first_move = segments[-1][0] or issued
    if chance and segments[-1][1] == final and rng.random() < chance:
        years = range(first_move.year + 1, end.year + 1)
        septembers = [dt.date(y, 9, 1) for y in years if issued < dt.date(y, 9, 1) <= end]
        septembers = [
            s
            for s in septembers
            if d.academic_age(born, s) not in d.TRANSFER_AGES and 5 <= d.academic_age(born, s) <= 15
        ]
        if septembers:
            move = rng.choice(septembers)
            origin = d.MAINSTREAM if rng.random() < 0.85 else d.RESOURCED
            start_of_last = segments[-1][0]
            segments[-1] = (move, final)
            segments.insert(len(segments) - 1, (start_of_last, origin))
    out = []
    for i, (start, placement) in enumerate(segments):
        out.append((issued if i == 0 else start, placement))
    return out


def _sign_in(area: Area, password: str | None) -> User:
    finance = User.objects.get(email=FINANCE_EMAIL)
    la = Membership.objects.filter(user=finance, role=Role.FINANCE_OFFICER).first().organisation
    leader = User.objects.filter(email=LEADER_EMAIL).first()
    if leader is None:
        leader = User(email=LEADER_EMAIL, full_name=LEADER_NAME)
        # The same password as the other demonstration sign-ins (they share one hash).
        leader.password = make_password(password) if password else finance.password
        leader.save()
        Membership.objects.create(user=leader, organisation=la, role=Role.SENIOR_LEADER)
    elif password:
        leader.set_password(password)
        leader.save(update_fields=["password"])
    return finance


def seed_demo_finance(
    *, today: dt.date | None = None, password: str | None = None, runs: int = 1000
) -> DemoFinanceResult:
    """Load the demonstration area's finance records once (a second call changes nothing
    but, given a password, the senior leader's sign-in)."""
    area = Area.objects.filter(la_code=calibration.LA_CODE).first()
    if area is None:
        raise DemoFinanceError("Load the demonstration area first: python manage.py seed_demo_area")
    finance = _sign_in(area, password)
    if CostRate.objects.filter(area=area).exists():
        return DemoFinanceResult(created=False, area=area, password=password)
    today = today or timezone.localdate()
    rng = random.Random(f"{SEED}-finance")
    with transaction.atomic():
        placements = _placements(area, today, rng)
        _agreed_fees(area, today, rng)
        _configuration(area, finance, today)
        years = _budgets(area, finance, today)
        _safety_valve(area, finance, today, years)
    made = _scenarios(area, finance, today, runs)
    return DemoFinanceResult(
        created=True,
        area=area,
        password=password,
        counts={"placements": placements, "scenarios": made},
    )


def _placements(area: Area, today: dt.date, rng: random.Random) -> int:
    rows, children = [], []
    plans = EHCPlan.objects.filter(area=area).values_list(
        "pk",
        "child_id",
        "child__date_of_birth",
        "issued_on",
        "ceased_on",
        "setting_id",
        "setting__setting_type",
        "setting_code",
    )
    for pk, child_id, born, issued, ceased, setting_id, setting_type, code in plans.order_by("pk"):
        final = d.placement_type_for(setting_type, code)
        end = ceased or today
        history = placement_history(rng, born, issued, end, final)
        for i, (start, placement) in enumerate(history):
            last = i == len(history) - 1
            rows.append(
                Placement(
                    area=area,
                    plan_id=pk,
                    placement_type=placement,
                    setting_id=setting_id if last else None,
                    setting_code=code if last else "",
                    starts_on=start,
                    ends_on=ceased if last else history[i + 1][0] - dt.timedelta(days=1),
                )
            )
        children.append(child_id)
    Placement.objects.bulk_create(rows, batch_size=2000)
    record_many(
        AuditEvent(
            action=AuditAction.CREATE,
            child_id=child_id,
            record_type="finance.Placement",
            reason=AUDIT_REASON,
        )
        for child_id in children
    )
    return len(rows)


def _agreed_fees(area: Area, today: dt.date, rng: random.Random) -> int:
    """Most open independent and specialist post-16 placements have a fee agreed for the child,
    spread around the area's rate (some well above it, as in life); a few are still missing."""
    manager = User.objects.filter(email="manager@demo.test").first()
    rows, children = [], []
    open_placements = Placement.objects.filter(
        area=area,
        ends_on__isnull=True,
        placement_type__in=[d.SPECIAL_INDEPENDENT, d.POST16_SPECIALIST],
    ).values_list("pk", "placement_type", "starts_on", "plan__child_id")
    for pk, placement_type, starts_on, child_id in open_placements.order_by("pk"):
        if rng.random() < 0.12:
            continue  # not recorded yet: the page lists these
        years = max(0, d.financial_year_of(today) - 2024)
        base = COSTS_2024[placement_type]["fees"] * (1.06**years)
        amount = base * rng.lognormvariate(0, 0.25)
        rows.append(
            PlacementFee(
                placement_id=pk,
                component="fees",
                annual_amount=Decimal(round(amount, -2)),
                effective_from=starts_on,
                recorded_by=manager,
                note="Agreed at placement panel",
            )
        )
        children.append(child_id)
    PlacementFee.objects.bulk_create(rows, batch_size=2000)
    record_many(
        AuditEvent(
            action=AuditAction.CREATE,
            child_id=child_id,
            record_type="finance.PlacementFee",
            reason=AUDIT_REASON,
        )
        for child_id in children
    )
    return len(rows)


def _configuration(area: Area, finance: User, today: dt.date) -> None:
    factor = 1.0
    for year, uplift in sorted(UPLIFTS.items()):
        factor *= 1 + uplift
        effective = dt.date(year, 4, 1)
        if effective > today:
            break
        for placement, components in COSTS_2024.items():
            for component, base in components.items():
                amount = base * factor / (1.04 * 1.035)  # the table is 2024-25 prices
                if placement == d.SPECIAL_INDEPENDENT:
                    amount *= (1 + INDEPENDENT_EXTRA) ** (year - 2024)
                services.record_cost_rate(
                    actor=finance,
                    area=area,
                    placement_type=placement,
                    component=component,
                    annual_amount=Decimal(round(amount, -1)),
                    effective_from=effective,
                    note=f"{d.fy_label(year)} rates",
                )
    # A correction, to show that a changed rate is a new row and the old one is kept.
    services.record_cost_rate(
        actor=finance,
        area=area,
        placement_type=d.EOTAS,
        component="fees",
        annual_amount=Decimal("23500"),
        effective_from=dt.date(2026, 4, 1),
        note="Corrected: average of packages agreed in spring 2026",
    )
    for kind, year, rate, note in (
        ("cost_inflation", 2024, "3.5", "Medium-term financial plan"),
        ("cost_inflation", 2027, "2.5", "Medium-term financial plan, from 2027-28"),
        ("funding_growth", 2027, "3.0", "DfE indicative settlement"),
        ("interest_rate", 2023, "4.50", "Council's average cost of borrowing"),
    ):
        services.record_assumption(
            actor=finance,
            area=area,
            kind=kind,
            financial_year=year,
            rate_percent=Decimal(rate),
            note=note,
        )
    for year, people in POPULATION.items():
        services.record_population(
            actor=finance,
            area=area,
            year=year,
            population=people,
            note="Demonstration figures shaped like ONS estimates and projections",
        )
    for year, (hnb, other) in FUNDING.items():
        if dt.date(year, 4, 1) <= today:
            services.record_funding(
                actor=finance,
                area=area,
                financial_year=year,
                hnb_allocation=Decimal(hnb),
                other_income=Decimal(other),
            )
    services.record_dsg_balance(
        actor=finance,
        area=area,
        financial_year=OPENING_BALANCE[0],
        cumulative_deficit=OPENING_BALANCE[1],
        note="Statement of accounts 2022-23",
    )


CATEGORIES = [c for c in SpendCategory.values if c != SpendCategory.CENTRAL]


def _spend_by_year(area: Area, today: dt.date) -> dict[int, dict[str, float]]:
    """What each financial year's caseload costs at the table's rates (the demonstration's
    'actual' spending), by category; the current year from the central forecast."""
    history = selectors.forecast_history(area)
    rows = selectors.model_cost_rows(selectors.cost_rows(area))
    current = d.financial_year_of(today)
    counts = {
        year: history.plans.state_on(d.census_day(year)).sum(axis=(0, 1))
        for year in range(2020, d.last_census_on_or_before(today) + 1)
    }
    by_fy = financial_year_counts(counts)
    years = [y for y in sorted(by_fy) if min(FUNDING) <= y < current]
    costs = unit_costs(rows, {}, years, current) if years else []
    out = {}
    for i, year in enumerate(years):
        out[year] = {c: float(by_fy[year][p] * costs[i][p]) for p, c in enumerate(CATEGORIES)}
        out[year][SpendCategory.CENTRAL] = _central(year) * 1.03
    forecaster = Forecaster(history, selectors.finance_inputs(area, today), today, horizon=2)
    central = forecaster.central()
    out[current] = {c: float(central.placement_spend[0][p]) for p, c in enumerate(CATEGORIES)}
    out[current][SpendCategory.CENTRAL] = _central(current) * 1.03
    return out


def _budgets(area: Area, finance: User, today: dt.date) -> dict[int, dict]:
    spend = _spend_by_year(area, today)
    for year, actual in sorted(spend.items()):
        budget = {c: Decimal(round(v * BUDGET_SHORTFALL, -3)) for c, v in actual.items()}
        budget[SpendCategory.CENTRAL] = Decimal(round(_central(year), -3))
        services.record_budget(
            actor=finance, area=area, financial_year=year, amounts=budget, note="Budget set"
        )
        for quarter, drift in QUARTER_DRIFT.items():
            as_at = _quarter_end(year, quarter)
            if as_at > today:
                break
            forecasts = {
                c: Decimal(round(float(budget[c]) + drift * (actual[c] - float(budget[c])), -3))
                for c in actual
            }
            services.record_monitoring_return(
                actor=finance,
                area=area,
                financial_year=year,
                quarter=quarter,
                as_at=as_at,
                forecasts=forecasts,
                note="Outturn" if quarter == 4 else "Quarterly monitoring",
            )
    return spend


def _quarter_end(year: int, quarter: int) -> dt.date:
    return {
        1: dt.date(year, 6, 30),
        2: dt.date(year, 9, 30),
        3: dt.date(year, 12, 31),
        4: dt.date(year + 1, 3, 31),
    }[quarter]


def _safety_valve(area: Area, finance: User, today: dt.date, spend: dict) -> None:
    """A hypothetical agreement signed in March 2025 (BCP's real proposal was rejected in
    March 2024): in-year balance by 2029-30, with the DfE's payments in instalments."""
    agreed_on = dt.date(2025, 3, 20)
    if agreed_on > today:
        return
    agreement = services.record_agreement(
        actor=finance,
        area=area,
        title="Safety Valve agreement (demonstration: hypothetical)",
        status=AgreementStatus.AGREED,
        agreed_on=agreed_on,
        balance_year=2029,
        note="BCP's real 15-year proposal was rejected by the DfE in March 2024.",
    )
    years = {b.year: b for b in selectors.budget_years(area)}
    start = years.get(2024)
    in_year_2024 = float(start.in_year_deficit) if start and start.in_year_deficit else 8e6
    cumulative = float(years[2023].closing_deficit) if 2023 in years else 40e6
    payments = {2024: 12e6, 2025: 4e6, 2026: 4e6, 2027: 4e6, 2028: 4e6, 2029: 4e6}
    for i, year in enumerate(range(2024, 2030)):
        target = in_year_2024 * (1 - i / 5)
        cumulative += target - payments[year]
        services.record_deficit_target(
            actor=finance,
            agreement=agreement,
            financial_year=year,
            in_year_deficit=Decimal(round(target, -3)),
            cumulative_deficit=Decimal(round(cumulative, -3)),
        )
    points = selectors.monitoring_points(area, selectors.agreement_targets(agreement))
    first = services.add_dfe_payment(
        actor=finance,
        agreement=agreement,
        due_on=dt.date(2025, 3, 31),
        amount=Decimal(12_000_000),
        conditions="On signing the agreement.",
    )
    services.settle_dfe_payment(
        actor=finance, payment=first, status=PaymentStatus.PAID, settled_on=dt.date(2025, 3, 31)
    )
    for year in range(2025, 2030):
        payment = services.add_dfe_payment(
            actor=finance,
            agreement=agreement,
            due_on=dt.date(year, 12, 15),
            amount=Decimal(4_000_000),
            conditions=(
                f"The quarter 2 monitoring report for {d.fy_label(year)} shows the in-year "
                "deficit at or below the agreed target."
            ),
        )
        # The demonstration's DfE decides as the pages judge a payment still due: on the
        # last monitoring return before it, against the agreement's target.
        outlook = selectors.payment_outlook(payment, points)
        if payment.due_on > today or outlook.evidence is None:
            continue
        if outlook.at_risk:
            services.settle_dfe_payment(
                actor=finance,
                payment=payment,
                status=PaymentStatus.WITHHELD,
                settled_on=payment.due_on,
                note=f"Insufficient progress. {outlook.reason}",
            )
        else:
            services.settle_dfe_payment(
                actor=finance,
                payment=payment,
                status=PaymentStatus.PAID,
                settled_on=payment.due_on,
            )
    for due_on, description in (
        (dt.date(2025, 6, 30), "Progress report: 2024-25 outturn"),
        (dt.date(2025, 10, 31), "Progress report: quarter 2 of 2025-26"),
        (dt.date(2026, 2, 28), "Progress report: quarter 3 of 2025-26"),
        (dt.date(2026, 6, 30), "Progress report: 2025-26 outturn"),
        (dt.date(2026, 10, 31), "Progress report: quarter 2 of 2026-27"),
        (dt.date(2027, 2, 28), "Progress report: quarter 3 of 2026-27"),
        (dt.date(2027, 6, 30), "Progress report: 2026-27 outturn"),
    ):
        services.add_monitoring_date(
            actor=finance, agreement=agreement, due_on=due_on, description=description
        )


DEMO_SCENARIOS = (
    (
        "40 more resourced places from September 2026",
        "Forty new places in resourced provision at mainstream schools, filled by children "
        "who would otherwise go to independent special schools.",
        [
            {
                "kind": "extra_places",
                "value": 40,
                "starts_on": dt.date(2026, 9, 1),
                "placement_type": d.RESOURCED,
                "source_type": d.SPECIAL_INDEPENDENT,
            }
        ],
    ),
    (
        "Fewer independent placements for new plans",
        "20 % fewer new plans placed in independent special schools from September 2026, "
        "placed in maintained special schools instead.",
        [
            {
                "kind": "placement_shift",
                "value": 20,
                "starts_on": dt.date(2026, 9, 1),
                "placement_type": d.SPECIAL_MAINTAINED,
                "source_type": d.SPECIAL_INDEPENDENT,
            }
        ],
    ),
)


def _scenarios(area: Area, finance: User, today: dt.date, runs: int) -> int:
    made = [services.baseline(area, actor=finance)]
    for name, description, levers in DEMO_SCENARIOS:
        made.append(
            services.create_scenario(
                actor=finance, area=area, name=name, description=description, levers=levers
            )
        )
    for scenario in made:
        services.run_forecast(
            actor=finance, scenario=scenario, as_of=today, runs=runs, seed=forecasting.DEFAULT_SEED
        )
    return len(made)
