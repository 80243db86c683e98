"""Writes for high-needs finance: configuration is added, never overwritten; bad input is
refused with the reason and changes nothing; placements follow the plans; scenarios are
refused whole when a lever is out of range; a forecast is refused when history is short."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role, SettingType
from everychild.finance import selectors, services
from everychild.finance.forecast.estimate import ForecastError
from everychild.finance.models import (
    BudgetLine,
    CostRate,
    MonitoringReturn,
    PaymentStatus,
    Placement,
    Scenario,
    SpendCategory,
)
from everychild.plans.models import CeaseReason
from everychild.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(la):
    return factories.make_user(Role.FINANCE_OFFICER, la)


@pytest.fixture
def leader(la):
    return factories.make_user(Role.SENIOR_LEADER, la)


def _rate(officer, area, amount, day, **extra):
    values = {"placement_type": "special_independent", "component": "fees"} | extra
    return services.record_cost_rate(
        actor=officer, area=area, annual_amount=Decimal(amount), effective_from=day, **values
    )


# --- The cost table -------------------------------------------------------------------------


def test_a_new_rate_supersedes_the_old_which_is_kept(officer, area):
    first = _rate(officer, area, "60000", dt.date(2025, 4, 1))
    second = _rate(officer, area, "64000", dt.date(2026, 4, 1))
    correction = _rate(officer, area, "64500", dt.date(2026, 4, 1), note="Corrected")
    table = selectors.cost_table(area, dt.date(2026, 6, 1))
    independent = next(r for r in table["rows"] if r.placement_type == "special_independent")
    assert independent.amounts["fees"] == Decimal("64500.00")
    states = {item["row"].pk: item["state"] for item in table["history"]}
    assert states == {correction.pk: "In force", second.pk: "Superseded", first.pk: "Superseded"}
    assert CostRate.objects.count() == 3
    # A year earlier, the first rate was in force.
    earlier = selectors.cost_table(area, dt.date(2025, 6, 1))
    row = next(r for r in earlier["rows"] if r.placement_type == "special_independent")
    assert row.amounts["fees"] == Decimal("60000.00")


@pytest.mark.parametrize(
    ("amount", "message"),
    [("-1", "Enter an amount of £0 or more."), (None, "This field cannot be null.")],
)
def test_a_negative_or_missing_rate_is_refused_and_nothing_saved(officer, area, amount, message):
    with pytest.raises(ValidationError) as error:
        services.record_cost_rate(
            actor=officer,
            area=area,
            placement_type="mainstream",
            component="top_up",
            annual_amount=None if amount is None else Decimal(amount),
            effective_from=dt.date(2026, 4, 1),
        )
    assert message in error.value.message_dict["annual_amount"]
    assert CostRate.objects.count() == 0


def test_the_cost_form_shows_the_reason_in_an_error_summary(client, officer, area):
    client.force_login(officer)
    response = client.post(
        "/finance/costs/new/",
        {
            "placement_type": "mainstream",
            "component": "top_up",
            "annual_amount": "-5",
            "effective_from": "1/4/2027",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Annual amount per plan must be £0 or more." in page
    assert CostRate.objects.count() == 0


def test_senior_leaders_and_other_areas_cannot_change_the_cost_table(leader, area, other_area):
    with pytest.raises(PermissionDenied):
        _rate(leader, area, "1", dt.date(2026, 4, 1))
    outsider = factories.make_user(Role.FINANCE_OFFICER, area=other_area)
    with pytest.raises(PermissionDenied):
        _rate(outsider, area, "1", dt.date(2026, 4, 1))
    assert CostRate.objects.count() == 0


def test_an_assumption_outside_its_range_is_refused(officer, area):
    with pytest.raises(ValidationError) as error:
        services.record_assumption(
            actor=officer,
            area=area,
            kind="cost_inflation",
            financial_year=2027,
            rate_percent=Decimal("45"),
        )
    assert "A rate must be 30 % or less." in error.value.message_dict["rate_percent"]


# --- The budget ----------------------------------------------------------------------------


def _amounts(value="1000"):
    return {c: Decimal(value) for c in SpendCategory.values}


def test_a_budget_with_a_missing_line_is_refused_whole(officer, area):
    amounts = _amounts()
    amounts[SpendCategory.CENTRAL] = None
    with pytest.raises(ValidationError) as error:
        services.record_budget(actor=officer, area=area, financial_year=2026, amounts=amounts)
    assert "(£0 if none)" in error.value.message_dict["central"][0]
    assert BudgetLine.objects.count() == 0


def test_the_budget_year_adds_up_income_outturn_and_the_deficit(officer, area):
    services.record_dsg_balance(
        actor=officer, area=area, financial_year=2024, cumulative_deficit=Decimal("10000000")
    )
    services.record_funding(
        actor=officer, area=area, financial_year=2025, hnb_allocation=Decimal("9000000")
    )
    services.record_budget(actor=officer, area=area, financial_year=2025, amounts=_amounts())
    for quarter, value in ((1, "800000"), (4, "1000000")):
        services.record_monitoring_return(
            actor=officer,
            area=area,
            financial_year=2025,
            quarter=quarter,
            as_at=dt.date(2025, 6, 30) if quarter == 1 else dt.date(2026, 3, 31),
            forecasts=_amounts(value),
        )
    services.record_assumption(
        actor=officer,
        area=area,
        kind="interest_rate",
        financial_year=2020,
        rate_percent=Decimal("5"),
    )
    [year] = [y for y in selectors.budget_years(area) if y.year == 2025]
    assert year.income == Decimal("9000000")
    assert year.budget_total == Decimal("12000")
    assert year.spend == Decimal("12000000") and year.spend_basis == "Outturn"
    assert year.in_year_deficit == Decimal("3000000")
    assert year.opening_deficit == Decimal("10000000")
    assert year.closing_deficit == Decimal("13000000") and year.closing_basis == "Calculated"
    assert year.interest == Decimal("575000")  # 5 % of the average of £10m and £13m


def test_a_monitoring_point_before_the_year_is_refused(officer, area):
    with pytest.raises(ValidationError):
        services.record_monitoring_return(
            actor=officer,
            area=area,
            financial_year=2026,
            quarter=1,
            as_at=dt.date(2026, 3, 1),
            forecasts=_amounts(),
        )
    assert MonitoringReturn.objects.count() == 0


# --- The Safety Valve -----------------------------------------------------------------------


def test_a_withheld_payment_needs_a_reason(officer, area):
    agreement = services.record_agreement(
        actor=officer,
        area=area,
        title="Safety Valve",
        status="agreed",
        agreed_on=dt.date(2025, 3, 1),
        balance_year=2029,
    )
    payment = services.add_dfe_payment(
        actor=officer,
        agreement=agreement,
        due_on=dt.date(2025, 12, 1),
        amount=Decimal("4000000"),
        conditions="Progress",
    )
    with pytest.raises(ValidationError) as error:
        services.settle_dfe_payment(
            actor=officer, payment=payment, status="withheld", settled_on=dt.date(2025, 12, 1)
        )
    assert "Say why" in error.value.message_dict["note"][0]
    services.settle_dfe_payment(
        actor=officer, payment=payment, status="paid", settled_on=dt.date(2025, 12, 10)
    )
    assert selectors.safety_valve_received(area) == {2025: Decimal("4000000.00")}
    assert selectors.expected_safety_valve(area, 2025) == {2025: 4000000.0}
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID


def _spend(total: str) -> dict:
    """A monitoring return's forecast outturn adding up to `total` (all of it on one line)."""
    return {c: Decimal(total) if c == SpendCategory.CENTRAL else Decimal(0) for c in SpendCategory}


@pytest.fixture
def monitored(officer, area):
    """An agreed Safety Valve for 2025-26 (in-year target £1.0m on £9.0m of funding) whose
    quarter 1 return is within the target and whose quarter 2 return is £1.2m over it, with a
    payment due before any return, one between the two, one after the second, one paid and
    one withheld."""
    services.record_funding(
        actor=officer, area=area, financial_year=2025, hnb_allocation=Decimal("9000000")
    )
    agreement = services.record_agreement(
        actor=officer,
        area=area,
        title="Safety Valve",
        status="agreed",
        agreed_on=dt.date(2025, 3, 1),
        balance_year=2027,
    )
    services.record_deficit_target(
        actor=officer,
        agreement=agreement,
        financial_year=2025,
        in_year_deficit=Decimal("1000000"),
        cumulative_deficit=Decimal("20000000"),
    )
    for quarter, as_at, total in (
        (1, dt.date(2025, 6, 30), "9500000"),
        (2, dt.date(2025, 9, 30), "11200000"),
    ):
        services.record_monitoring_return(
            actor=officer,
            area=area,
            financial_year=2025,
            quarter=quarter,
            as_at=as_at,
            forecasts=_spend(total),
        )
    payments = {}
    for name, due_on, amount in (
        ("before any return", dt.date(2025, 5, 1), "1000000"),
        ("after a return on track", dt.date(2025, 8, 1), "2000000"),
        ("after a return off track", dt.date(2025, 12, 15), "4000000"),
        ("paid", dt.date(2025, 7, 1), "8000000"),
        ("withheld", dt.date(2025, 11, 1), "16000000"),
    ):
        payments[name] = services.add_dfe_payment(
            actor=officer,
            agreement=agreement,
            due_on=due_on,
            amount=Decimal(amount),
            conditions="The monitoring shows the in-year deficit within the agreed target.",
        )
    services.settle_dfe_payment(
        actor=officer,
        payment=payments["paid"],
        status=PaymentStatus.PAID,
        settled_on=dt.date(2025, 7, 3),
    )
    services.settle_dfe_payment(
        actor=officer,
        payment=payments["withheld"],
        status=PaymentStatus.WITHHELD,
        settled_on=dt.date(2025, 11, 1),
        note="Insufficient progress.",
    )
    return payments


def test_a_payment_is_at_risk_when_the_last_return_before_it_is_over_target(area, monitored):
    outlooks = {o.payment.pk: o for o in selectors.payment_outlooks(area)}
    state = {name: outlooks[p.pk].state for name, p in monitored.items()}
    assert state == {
        "before any return": "expected",
        "after a return on track": "expected",
        "after a return off track": "at_risk",
        "paid": "paid",
        "withheld": "withheld",
    }
    at_risk = outlooks[monitored["after a return off track"].pk]
    assert at_risk.reason == (
        "The 2025-26 quarter 2 return (as at 30 September 2025) forecasts an in-year deficit "
        "of £2.2m, £1.2m over the agreement's target of £1.0m."
    )
    on_track = outlooks[monitored["after a return on track"].pk]
    assert "2025-26 quarter 1 return" in on_track.reason
    assert "within the agreement's target of £1.0m" in on_track.reason
    assert "no monitoring return" in outlooks[monitored["before any return"].pk].reason


def test_the_forecast_counts_paid_and_due_payments_and_knows_which_are_at_risk(area, monitored):
    inputs = selectors.finance_inputs(area, dt.date(2025, 10, 1))
    # Paid £8m, due £1m + £2m + £4m; the £16m withheld never counts.
    assert inputs.safety_valve == {2025: 15_000_000.0}
    assert inputs.safety_valve_at_risk == {2025: 4_000_000.0}
    assert [(p["due_on"], p["amount"]) for p in inputs.payments_at_risk] == [
        ("2025-12-15", 4_000_000.0)
    ]
    assert "£1.2m over the agreement's target" in inputs.payments_at_risk[0]["reason"]


def test_a_proposal_s_payments_are_not_counted_at_all(officer, area, monitored):
    services.record_agreement(
        actor=officer, area=area, title="A new proposal", status="proposed", balance_year=2030
    )
    inputs = selectors.finance_inputs(area, dt.date(2025, 10, 1))
    assert inputs.safety_valve == {} and inputs.safety_valve_at_risk == {}


def test_an_agreement_marked_agreed_needs_its_date(officer, area):
    with pytest.raises(ValidationError):
        services.record_agreement(
            actor=officer, area=area, title="SV", status="agreed", balance_year=2029
        )


# --- Placements ----------------------------------------------------------------------------


def test_placements_follow_the_plans_and_keep_their_history(officer, area):
    special = factories.SchoolFactory(area=area, setting_type=SettingType.MAINTAINED_SPECIAL)
    plan = factories.EHCPlanFactory(child__area=area, issued_on=dt.date(2024, 9, 1))
    ended = factories.EHCPlanFactory(
        child__area=area, issued_on=dt.date(2023, 1, 10), setting=None, setting_code="OLA"
    )
    result = services.sync_placements(actor=officer, area=area, on=dt.date(2026, 5, 1))
    assert result.opened == 2
    [first] = Placement.objects.filter(plan=plan)
    assert (first.placement_type, first.starts_on, first.ends_on) == (
        "mainstream",
        dt.date(2024, 9, 1),
        None,
    )
    assert Placement.objects.get(plan=ended).placement_type == "eotas"
    # The plan now names a special school: the mainstream placement closes, a new one opens.
    plan.setting = special
    plan.save()
    ended.ceased_on, ended.cease_reason = dt.date(2026, 7, 1), CeaseReason.NEEDS_MET
    ended.save()
    result = services.sync_placements(actor=officer, area=area, on=dt.date(2026, 9, 1))
    assert (result.opened, result.closed) == (1, 2)
    history = list(Placement.objects.filter(plan=plan).order_by("starts_on"))
    assert [(p.placement_type, p.starts_on, p.ends_on) for p in history] == [
        ("mainstream", dt.date(2024, 9, 1), dt.date(2026, 8, 31)),
        ("special_maintained", dt.date(2026, 9, 1), None),
    ]
    assert Placement.objects.get(plan=ended).ends_on == dt.date(2026, 7, 1)
    # Nothing to do a second time; each child whose placement changed was audited.
    assert services.sync_placements(actor=officer, area=area, on=dt.date(2026, 9, 1)).opened == 0
    assert AuditEntry.objects.filter(record_type="finance.Placement").count() == 4
    summary = {
        r["placement_type"]: r["plans"]
        for r in selectors.placements_summary(area, dt.date(2026, 9, 2))
    }
    assert summary["special_maintained"] == 1 and summary["eotas"] == 0


# --- Scenarios and forecasts ---------------------------------------------------------------


def test_a_scenario_with_a_lever_out_of_range_is_refused_whole(officer, area):
    with pytest.raises(ValidationError) as error:
        services.create_scenario(
            actor=officer,
            area=area,
            name="Too many places",
            levers=[
                {"kind": "extra_places", "value": 5000, "starts_on": dt.date(2026, 9, 1),
                 "placement_type": "resourced", "source_type": "special_independent"},
                {"kind": "cost_inflation", "value": 3, "starts_on": dt.date(2027, 4, 1)},
            ],
        )  # fmt: skip
    assert error.value.message_dict == {
        "levers[0].value": ["Extra places must be between 0 and 2000 places."]
    }
    assert Scenario.objects.count() == 0


def test_scenario_names_are_unique_in_an_area(officer, area):
    services.create_scenario(actor=officer, area=area, name="Plan A", levers=[])
    with pytest.raises(ValidationError):
        services.create_scenario(actor=officer, area=area, name="Plan A", levers=[])


def test_the_scenario_form_puts_a_lever_error_by_its_field(client, officer, area):
    client.force_login(officer)
    response = client.post(
        "/finance/scenarios/new/",
        {
            "name": "Faster growth",
            "lever0_kind": "",
            "lever1_kind": "request_growth",
            "lever1_value": "99",
            "lever1_starts_on": "1/9/2027",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_lever1_value"' in page
    assert "must be between -20 and 30 % a year" in page
    assert Scenario.objects.count() == 0


def test_a_forecast_with_too_little_history_is_refused_with_the_reason(
    client, officer, area, django_capture_on_commit_callbacks
):
    factories.EHCPlanFactory(child__area=area)
    scenario = services.baseline(area, actor=officer)
    with pytest.raises(ForecastError, match="too little history"):
        services.run_forecast(actor=officer, scenario=scenario)
    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):  # the background job runs
        response = client.post(f"/finance/forecast/{scenario.pk}/run/")
    page = client.get(response["Location"]).content.decode()
    assert "The forecast could not be made" in page and "There is too little history" in page
    assert not scenario.runs.exists()
