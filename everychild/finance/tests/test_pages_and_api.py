"""The finance pages, the DSG management plan workbook and the API, on the demonstration area:
who may see them, that they show the forecast's figures and never a child."""

import io
import re
from decimal import Decimal
from html import unescape

import pytest
from django.test import TestCase
from openpyxl import load_workbook

from everychild.access.models import AuditEntry
from everychild.demo.area import SIGN_INS
from everychild.finance import selectors, services
from everychild.finance.presentation import money_m

pytestmark = pytest.mark.django_db

FINANCE = "finance@demo.test"
LEADER = "leader@demo.test"
REFUSED = [email for email, *_ in SIGN_INS if email != FINANCE]


def _pages(world):
    scenario = world["scenarios"]["40 more resourced places from September 2026"]
    central = world["scenarios"]["Central forecast"]
    return [
        "/finance/",
        "/finance/placements/",
        "/finance/budget/",
        "/finance/budget/?year=2025",
        "/finance/forecast/",
        f"/finance/forecast/?scenario={scenario.pk}",
        "/finance/scenarios/",
        "/finance/scenarios/new/",
        f"/finance/scenarios/{scenario.pk}/",
        f"/finance/scenarios/compare/?scenario={central.pk}&scenario={scenario.pk}",
        "/finance/safety-valve/",
    ]


API = ["/api/v1/finance/forecast", "/api/v1/finance/scenarios/"]


def _text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.mark.parametrize("email", [FINANCE, LEADER])
def test_finance_officers_and_senior_leaders_see_every_page(client, world, on_today, email):
    client.force_login(world["users"][email])
    for path in _pages(world):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.content.decode()
        # Aggregates only: no child's name or UPN on any finance page.
        for mark in world["child_marks"]:
            assert mark not in html, (path, mark)
    assert client.get("/finance/safety-valve/dsg-management-plan.xlsx").status_code == 200


@pytest.mark.parametrize("email", REFUSED)
def test_every_other_role_is_refused_the_pages_and_the_api(client, world, on_today, email):
    user = world["users"].get(email)
    if email == LEADER or user is None:
        pytest.skip("not a refused role")
    client.force_login(user)
    for path in [*_pages(world), "/finance/safety-valve/dsg-management-plan.xlsx"]:
        response = client.get(path)
        assert response.status_code == 403, path
        assert "£" not in response.content.decode(), path
    for path in API:
        response = client.get(path)
        assert response.status_code == 403, path
        assert response.json()["errors"][0]["code"] == "permission_denied"
    response = client.post(
        "/api/v1/finance/scenarios/", {"name": "X"}, content_type="application/json"
    )
    assert response.status_code == 403


def test_signed_out_people_are_sent_to_sign_in_and_the_api_says_401(client, world, api_client):
    response = client.get("/finance/forecast/")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
    assert api_client.get("/api/v1/finance/forecast").status_code == 401


def test_the_finance_navigation_shows_only_to_finance_roles(client, world, on_today):
    client.force_login(world["users"][FINANCE])
    assert 'href="/finance/"' in client.get("/").content.decode()
    client.force_login(world["users"]["caseworker@demo.test"])
    assert 'href="/finance/"' not in client.get("/").content.decode()


def test_senior_leaders_read_the_cost_table_but_only_finance_officers_change_it(
    client, world, on_today
):
    client.force_login(world["users"][LEADER])
    assert client.get("/finance/costs/new/").status_code == 403
    page = client.get("/finance/placements/").content.decode()
    assert "Add a rate" not in page
    client.force_login(world["users"][FINANCE])
    assert client.get("/finance/costs/new/").status_code == 200


def test_the_forecast_page_shows_bands_back_test_and_breakdown(client, world, on_today):
    client.force_login(world["users"][FINANCE])
    response = client.get("/finance/forecast/")
    run = response.context["run"]
    result = run.result
    text = _text(response)
    assert "Central forecast" in text
    backtest = result["backtest"]
    assert backtest["available"]
    assert f"Plan counts {backtest['count_mape']:.1f}%" in text
    assert f"cost {backtest['cost_mape']:.1f}%" in text
    override = result["statutory_override"]
    assert money_m(override["cumulative_deficit"]) in text
    assert "What drives the growth" in text and "Demography" in text
    # Each chart is an SVG with a title and description, beside a table of its figures.
    html = response.content.decode()
    assert html.count('<svg class="finance-chart') >= 4
    assert "<title" in html and "<desc" in html
    assert 'style="' not in html  # no inline style (CSP)
    assert "10th percentile" in text and "90th percentile" in text


def test_the_workbook_holds_the_figures_the_safety_valve_page_shows(client, world, on_today):
    client.force_login(world["users"][FINANCE])
    page = client.get("/finance/safety-valve/").content.decode()
    rows = re.findall(r'<tr class="govuk-table__row" data-year="(\d+)">(.*?)</tr>', page, re.S)
    assert len(rows) >= 8
    shown = {}
    for year, row in rows:
        for field, value in re.findall(r'data-field="(\w+)">(.*?)</td>', row, re.S):
            shown[(int(year), field)] = unescape(re.sub(r"<[^>]+>", "", value)).strip()

    response = client.get("/finance/safety-valve/dsg-management-plan.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:2] == ["Cover", "Summary"]
    assert {"High needs expenditure", "EHCP numbers", "Unit costs", "Safety Valve"} <= set(
        book.sheetnames
    )
    summary = book["Summary"]
    labels = {summary.cell(row=r, column=1).value: r for r in range(1, 20)}
    field_rows = {
        "income": "Income: high-needs block and other",
        "spend": "High-needs expenditure",
        "in_year": "In-year deficit (surplus negative)",
        "safety_valve": "DfE Safety Valve contribution: received, then expected",
        "safety_valve_at_risk": "Of which at risk on the monitoring",
        "cumulative": "Cumulative DSG deficit at 31 March, every DfE payment due arriving",
        "cumulative_without_at_risk": "Cumulative DSG deficit at 31 March without payments at risk",
        "target_in_year": "Safety Valve target: in-year deficit",
        "target_cumulative": "Safety Valve target: cumulative deficit",
        "interest": "Interest on carrying the deficit (general fund)",
    }
    years = {summary.cell(row=3, column=c).value: c for c in range(2, summary.max_column + 1)}
    checked = 0
    for (year, field), text in shown.items():
        column = years[f"{year}-{(year + 1) % 100:02d}"]
        value = summary.cell(row=labels[field_rows[field]], column=column).value
        if value is None:
            assert text in ("Not known", "–"), (year, field, text)
        else:
            assert money_m(value) == text, (year, field, value, text)
            checked += 1
    assert checked >= 40
    # The template's charts: the deficit against target, and plans by placement.
    assert len(summary._charts) == 1
    assert len(book["EHCP numbers"]._charts) == 1
    # No child in any cell.
    cells = " ".join(
        str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row if cell.value
    )
    for mark in world["child_marks"]:
        assert mark not in cells
    # The download is recorded, as an aggregate export.
    entry = AuditEntry.objects.filter(action="export").order_by("-seq").first()
    assert entry.detail == {"export": "DSG management plan", "aggregate": True}
    assert entry.child_id is None


def test_the_override_end_is_on_the_page(client, world, on_today):
    client.force_login(world["users"][FINANCE])
    text = _text(client.get("/finance/safety-valve/"))
    assert "31 March 2028, when the statutory override ends" in text
    assert "Withheld" in text or "Paid" in text


def test_scenarios_are_compared_side_by_side(client, world, on_today):
    client.force_login(world["users"][FINANCE])
    names = list(world["scenarios"])
    ids = [world["scenarios"][n].pk for n in names]
    response = client.get(f"/finance/scenarios/compare/?scenario={ids[0]}&scenario={ids[1]}")
    comparison = response.context["comparison"]
    assert [row["run"].scenario.pk for row in comparison["summary"]] == ids[:2]
    text = _text(response)
    for row in comparison["summary"]:
        assert money_m(row["total_spend"]) in text
    one = client.get(f"/finance/scenarios/compare/?scenario={ids[0]}")
    assert "Choose two or more scenarios to compare." in _text(one)


def test_extra_places_cost_less_than_the_central_forecast(world):
    central = world["scenarios"]["Central forecast"].runs.first().result
    places = world["scenarios"]["40 more resourced places from September 2026"].runs.first().result
    assert sum(places["money"]["central"]["spend"]) < sum(central["money"]["central"]["spend"])


# --- The API --------------------------------------------------------------------------------


def test_the_api_gives_the_central_line_and_bands(api_client, world):
    api_client.force_authenticate(world["users"][FINANCE])
    body = api_client.get("/api/v1/finance/forecast").json()
    assert body["scenario"]["name"] == "Central forecast"
    plans = body["plans"]
    n = len(plans["census"])
    assert len(plans["central"]) == len(plans["p10"]) == len(plans["p50"]) == len(plans["p90"]) == n
    for i in range(n):
        assert plans["p10"][i] <= plans["p50"][i] <= plans["p90"][i]
    spend = body["money"]["spend"]
    assert len(spend["central"]) == len(body["money"]["financial_years"])
    scenario = world["scenarios"]["Fewer independent placements for new plans"]
    other = api_client.get(f"/api/v1/finance/forecast?scenario={scenario.pk}").json()
    assert other["scenario"]["id"] == scenario.pk
    assert other["levers"]
    missing = api_client.get("/api/v1/finance/forecast?scenario=999999")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "not_found"


def test_the_api_lists_scenarios_and_makes_one(api_client, world, on_today):
    api_client.force_authenticate(world["users"][FINANCE])
    listed = api_client.get("/api/v1/finance/scenarios/").json()
    assert {s["name"] for s in listed["results"]} == set(world["scenarios"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        made = api_client.post(
            "/api/v1/finance/scenarios/",
            {
                "name": "Requests level off",
                "levers": [{"kind": "request_growth", "value": "0", "starts_on": "2027-09-01"}],
            },
            format="json",
        )
    # Saved at once; forecast in the background (issue 21): 202 and the job to follow.
    assert made.status_code == 202, made.json()
    body = made.json()
    assert body["levers"][0]["description"].startswith("Growth in requests for assessment: 0")
    job_url = body["forecast"]["job"]
    assert made["Location"] == job_url
    job = api_client.get(job_url).json()
    assert job["status"] == "done"
    assert job["requested_by"] == FINANCE
    assert job["finished_at"]
    forecast = api_client.get(job["forecast"])
    assert forecast.status_code == 200
    assert forecast.json()["scenario"]["name"] == "Requests level off"


def test_the_api_forecasts_a_scenario_again_once_however_often_it_is_asked(api_client, world):
    api_client.force_authenticate(world["users"][FINANCE])
    scenario = world["scenarios"]["40 more resourced places from September 2026"]
    # Not run here (no commit): the first job is still waiting when the second press comes.
    first = api_client.post(f"/api/v1/finance/scenarios/{scenario.pk}/forecast/")
    second = api_client.post(f"/api/v1/finance/scenarios/{scenario.pk}/forecast/")
    assert first.status_code == second.status_code == 202
    assert first.json()["started"] is True
    assert second.json()["started"] is False
    assert second.json()["job"] == first.json()["job"]
    waiting = api_client.get(first.json()["job"]).json()
    assert waiting["status"] == "queued"
    assert waiting["forecast"] is None
    missing = api_client.get("/api/v1/finance/forecast-jobs/999999")
    assert missing.status_code == 404
    assert missing.json()["errors"][0]["code"] == "not_found"
    # Another area's finance officer, or someone without finance, cannot follow it.
    api_client.force_authenticate(world["users"]["caseworker@demo.test"])
    assert api_client.get(first.json()["job"]).status_code == 403


def test_the_api_refuses_a_lever_outside_its_range_and_saves_nothing(api_client, world):
    api_client.force_authenticate(world["users"][FINANCE])
    response = api_client.post(
        "/api/v1/finance/scenarios/",
        {
            "name": "Impossible",
            "levers": [{"kind": "request_growth", "value": "45", "starts_on": "2027-09-01"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "levers[0].value",
            "code": "invalid",
            "message": "Growth in requests for assessment must be between -20 and 30 % a year.",
        }
    ]
    names = {s["name"] for s in api_client.get("/api/v1/finance/scenarios/").json()["results"]}
    assert "Impossible" not in names


# --- Goal-seek and the demonstration --------------------------------------------------------


def _goal_seek(client, scenario, data):
    """Ask for the search (a background job, run here as the request commits: the tests'
    immediate task backend) and open the page it sends you to."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        asked = client.post(f"/finance/scenarios/{scenario.pk}/", data)
    assert asked.status_code == 302, _text(asked)[:500]
    return client.get(asked["Location"])


def test_goal_seek_on_the_page_finds_the_funding_growth_that_balances_a_year(
    client, world, on_today
):
    """A constructed case with a known answer: funding growth moves only income, so the
    growth that balances 2029-30 is the one that takes this year's income to that year's
    spending. Set this year's income so that the answer is 10 % a year."""
    from decimal import Decimal

    from everychild.finance import forecasting, services

    area = world["area"]
    officer = world["users"][FINANCE]
    spend = forecasting.forecaster_for(area, on_today).central()
    target = spend.spend[spend.financial_years.index(2029)]
    allocation = Decimal(round(target / 1.1**3 - 1_400_000))
    services.record_funding(
        actor=officer,
        area=area,
        financial_year=2026,
        hnb_allocation=allocation,
        other_income=Decimal(1_400_000),
    )
    central = world["scenarios"]["Central forecast"]
    client.force_login(officer)
    response = _goal_seek(
        client,
        central,
        {"kind": "funding_growth", "target_year": 2029, "starts_on": "1/4/2027"},
    )
    goal = response.context["goal"]
    assert goal["result"].found
    assert goal["result"].value == pytest.approx(10.0, abs=0.05)
    assert "Growth in high-needs funding: 10.0 % a year" in _text(response)


def test_goal_seek_says_when_no_value_will_do(client, world, on_today):
    central = world["scenarios"]["Central forecast"]
    from decimal import Decimal

    from everychild.finance import services

    services.record_funding(
        actor=world["users"][FINANCE],
        area=world["area"],
        financial_year=2026,
        hnb_allocation=Decimal(1_000_000),
    )
    client.force_login(world["users"][FINANCE])
    response = _goal_seek(
        client,
        central,
        {"kind": "cost_inflation", "target_year": 2027, "starts_on": "1/4/2027"},
    )
    assert "No value balances the budget in 2027-28" in _text(response)


def test_the_demonstration_finance_loads_once(world):
    from everychild.demo.finance import seed_demo_finance
    from everychild.finance.models import CostRate, Placement
    from everychild.plans.models import EHCPlan

    area = world["area"]
    plans = EHCPlan.objects.filter(area=area)
    assert not plans.exclude(pk__in=Placement.objects.values("plan_id")).exists()
    rates = CostRate.objects.count()
    again = seed_demo_finance(runs=10)
    assert not again.created and CostRate.objects.count() == rates
    leader = world["users"][LEADER]
    assert leader.memberships.get().role == "senior_leader"


def test_the_central_forecast_is_made_on_first_use(
    client, world, on_today, django_capture_on_commit_callbacks
):
    from everychild.finance.models import Scenario

    Scenario.objects.filter(area=world["area"], is_baseline=True).delete()
    client.force_login(world["users"][FINANCE])
    page = client.get("/finance/forecast/")
    assert "There is no central forecast yet." in _text(page)
    assert client.get("/api/v1/finance/forecast").status_code == 404
    # Made in the background (the tests' task backend runs it as the request commits).
    with django_capture_on_commit_callbacks(execute=True):
        started = client.post("/finance/forecast/run/")
    response = client.get(started["Location"], follow=True)
    assert "has been forecast from today's records" in _text(response)
    central = Scenario.objects.get(area=world["area"], is_baseline=True)
    run = central.runs.get()
    assert run.runs == 100 and run.as_of == on_today
    assert client.get("/api/v1/finance/forecast").json()["scenario"]["id"] == central.pk


def test_forecasting_only_queues_the_work_and_a_second_press_shows_it(client, world):
    """Issue 21: the press returns at once with the forecast waiting for the worker; pressing
    again while it waits starts nothing more."""
    from everychild.core.models import JobRun

    client.force_login(world["users"][FINANCE])
    first = client.post("/finance/forecast/run/")  # on-commit callbacks not run: no worker
    assert client.post("/finance/forecast/run/")["Location"] == first["Location"]
    run = JobRun.objects.get(kind="finance-forecast")
    assert run.status == "queued" and run.requested_by == world["users"][FINANCE]
    text = _text(client.get(first["Location"]))
    assert "Waiting to start" in text and "Check again" in text


def test_goal_seek_only_queues_the_search_and_shows_it_waiting(client, world):
    """Issue 21: the search forecasts the scenario many times, so the press only queues it."""
    from everychild.core.models import JobRun

    central = world["scenarios"]["Central forecast"]
    client.force_login(world["users"][FINANCE])
    data = {"kind": "funding_growth", "target_year": 2029, "starts_on": "1/4/2027"}
    first = client.post(f"/finance/scenarios/{central.pk}/", data)  # no worker runs it
    assert client.post(f"/finance/scenarios/{central.pk}/", data)["Location"] == first["Location"]
    run = JobRun.objects.get(kind="finance-goal-seek")
    assert run.status == "queued"
    text = _text(client.get(first["Location"]))
    assert "Waiting to start" in text and "Check again" in text
    # A search is shown only on its own scenario's page.
    other = world["scenarios"][next(n for n in world["scenarios"] if n != "Central forecast")]
    assert "Waiting to start" not in _text(
        client.get(f"/finance/scenarios/{other.pk}/?goal={run.pk}")
    )


def test_the_overview_reconciles_monitorings_deficit_with_the_forecasts(client, world, on_today):
    """Issue 20: the overview showed two different "in-year deficit" figures, unlabelled. Both
    are shown, each saying where it comes from, beside each other with the difference."""
    client.force_login(world["users"][FINANCE])
    response = client.get("/finance/")
    text = " ".join(_text(response).split())
    assert "In-year deficit from monitoring" in text
    assert "the forecast's central estimate" in text
    assert "why the in-year deficits differ" in text
    found = response.context["reconciliation"]
    rows = {row["key"]: row for row in found["rows"]}
    deficit = rows["deficit"]
    assert deficit["difference"] == pytest.approx(deficit["forecast"] - deficit["monitoring"])
    assert money_m(deficit["monitoring"]) in text and money_m(deficit["forecast"]) in text
    assert found["explanation"] in text


def test_a_scenario_that_adds_places_explains_its_number_of_plans(client, world, on_today):
    """Issue 20: "40 more resourced places" showed a different number of plans from the central
    forecast, and nothing said why: places move children, they add no plans."""
    client.force_login(world["users"][FINANCE])
    scenario = world["scenarios"]["40 more resourced places from September 2026"]
    response = client.get(f"/finance/scenarios/{scenario.pk}/")
    text = " ".join(_text(response).split())
    change = response.context["plans_change"]
    assert change["summary"] in text
    assert "Extra places add no plans of their own" in text
    if change["difference"]:
        assert "each kind of placement has its own rates" in text
        assert "by placement: this scenario beside the central forecast" in text
        assert sum(row["difference"] for row in change["rows"]) == pytest.approx(
            change["difference"], abs=len(change["rows"])
        )
    central = world["scenarios"]["Central forecast"]
    assert client.get(f"/finance/scenarios/{central.pk}/").context["plans_change"] is None


def test_a_scenario_is_set_beside_the_central_forecast_of_its_own_time(client, world, on_today):
    """A scenario compared with a central forecast made since, from newer records, showed a
    difference that was only the new records': it is set beside the central forecast current
    when it was made, and the page says the central forecast has been made again."""
    from everychild.finance import selectors, services

    client.force_login(world["users"][FINANCE])
    scenario = world["scenarios"]["40 more resourced places from September 2026"]
    central = world["scenarios"]["Central forecast"]
    url = f"/finance/scenarios/{scenario.pk}/"
    before = client.get(url)
    assert "has been made again since this scenario" not in _text(before)
    old_total = before.context["plans_change"]["baseline_total"]
    services.run_forecast(actor=world["users"][FINANCE], scenario=central, runs=20, seed=7)
    after = client.get(url)
    assert "has been made again since this scenario" in " ".join(_text(after).split())
    assert after.context["plans_change"]["baseline_total"] == old_total
    newest = selectors.latest_run(central)
    assert selectors.central_runs_beside(central.area, newest) == (newest, None)


def _words(response) -> str:
    return " ".join(_text(response).split())


def _put_payments_at_risk(world):
    """The agreement's 2026-27 target set £1.5m better than the quarter 2 return forecasts,
    so the monitoring puts the four payments still due at risk; returns that return."""
    area, officer = world["area"], world["users"][FINANCE]
    agreement = selectors.current_agreement(area)
    targets = selectors.agreement_targets(agreement)
    quarter_2 = next(
        p for p in selectors.monitoring_points(area, targets) if p.label == "2026-27 quarter 2"
    )
    services.record_deficit_target(
        actor=officer,
        agreement=agreement,
        financial_year=2026,
        in_year_deficit=Decimal(round(quarter_2.in_year)) - Decimal(1_500_000),
        cumulative_deficit=Decimal(round(targets[2026][1])),
    )
    return quarter_2


def test_payments_the_monitoring_puts_at_risk_are_named_and_left_out_of_the_deficit(
    client, world, on_today
):
    officer = world["users"][FINANCE]
    quarter_2 = _put_payments_at_risk(world)
    run = services.run_forecast(
        actor=officer, scenario=world["scenarios"]["Central forecast"], as_of=on_today, runs=20
    )
    client.force_login(officer)

    forecast = _words(client.get("/finance/forecast/"))
    # The four payments still due (December 2026 to December 2029) are judged on that return.
    assert "4 DfE payments still due are at risk on the monitoring" in forecast
    reason = (
        "The 2026-27 quarter 2 return (as at 30 September 2026) forecasts an in-year deficit of "
        f"{money_m(quarter_2.in_year)}, £1.5m over the agreement's target of "
        f"{money_m(round(quarter_2.in_year) - 1_500_000)}."
    )
    assert f"£4.0m due 15 December 2026: {reason}" in forecast
    override = run.result["statutory_override"]
    assert override["at_risk"] == 8_000_000  # December 2026 and December 2027
    assert override["cumulative_without_at_risk"] == pytest.approx(
        override["cumulative_deficit"] + 8_000_000
    )
    assert (
        "The same, without the DfE payments the monitoring puts at risk "
        f"{money_m(override['cumulative_without_at_risk'])} (£8.0m of payments at risk by then)"
    ) in forecast

    response = client.get("/finance/safety-valve/")
    page = _words(response)
    assert "At risk " + reason in page
    assert (
        "Without the DfE payments the monitoring puts at risk: "
        f"{money_m(override['cumulative_without_at_risk'])}"
    ) in page
    cell = re.search(
        r'data-year="2027">.*?data-field="cumulative_without_at_risk">(.*?)</td>',
        response.content.decode(),
        re.S,
    ).group(1)
    assert unescape(cell) == money_m(override["cumulative_without_at_risk"])
    # The payment already made still counts, and is not called at risk.
    assert "Paid 15 Dec 2025" in page


def _compare_cells(response) -> dict:
    """{(scenario id, field): the text shown} from the compare page's side-by-side table."""
    rows = re.findall(
        r'<tr class="govuk-table__row" data-scenario="(\d+)">(.*?)</tr>',
        response.content.decode(),
        re.S,
    )
    return {
        (int(pk), field): unescape(re.sub(r"<[^>]+>", "", value)).strip()
        for pk, row in rows
        for field, value in re.findall(r'data-field="(\w+)">(.*?)</td>', row, re.S)
    }


def test_compared_scenarios_show_the_deficit_without_the_payments_at_risk_as_the_workbook_and_api(
    client, api_client, world, on_today
):
    officer = world["users"][FINANCE]
    _put_payments_at_risk(world)
    central = world["scenarios"]["Central forecast"]
    places = world["scenarios"]["40 more resourced places from September 2026"]
    for scenario in (central, places):
        services.run_forecast(actor=officer, scenario=scenario, as_of=on_today, runs=20)
    client.force_login(officer)
    api_client.force_authenticate(officer)
    response = client.get(f"/finance/scenarios/compare/?scenario={central.pk}&scenario={places.pk}")
    text = _words(response)
    assert "The same, without the DfE payments the monitoring puts at risk" in text
    shown = _compare_cells(response)
    for scenario in (central, places):
        override = selectors.latest_run(scenario).result["statutory_override"]
        # £8.0m of payments at risk by March 2028: the two figures differ by that much.
        assert override["cumulative_without_at_risk"] == pytest.approx(
            override["cumulative_deficit"] + 8_000_000
        )
        assert shown[(scenario.pk, "cumulative")] == money_m(override["cumulative_deficit"])
        assert shown[(scenario.pk, "cumulative_without_at_risk")] == money_m(
            override["cumulative_without_at_risk"]
        )
        # The API gives each scenario's forecast with the figures the page shows.
        body = api_client.get(f"/api/v1/finance/forecast?scenario={scenario.pk}").json()
        assert (
            money_m(body["statutory_override"]["cumulative_deficit"])
            == (shown[(scenario.pk, "cumulative")])
        )
        assert (
            money_m(body["statutory_override"]["cumulative_without_at_risk"])
            == (shown[(scenario.pk, "cumulative_without_at_risk")])
        )
        year = body["money"]["financial_years"].index("2027-28")
        assert (
            money_m(body["money"]["cumulative_deficit_without_payments_at_risk"][year])
            == (shown[(scenario.pk, "cumulative_without_at_risk")])
        )
    # The DSG workbook (the central forecast) holds the central scenario's figures at March 2028.
    book = load_workbook(
        io.BytesIO(client.get("/finance/safety-valve/dsg-management-plan.xlsx").content)
    )
    summary = book["Summary"]
    labels = {summary.cell(row=r, column=1).value: r for r in range(1, 20)}
    column = next(
        c
        for c in range(2, summary.max_column + 1)
        if summary.cell(row=3, column=c).value == "2027-28"
    )
    for field, label in (
        ("cumulative", "Cumulative DSG deficit at 31 March, every DfE payment due arriving"),
        (
            "cumulative_without_at_risk",
            "Cumulative DSG deficit at 31 March without payments at risk",
        ),
    ):
        value = summary.cell(row=labels[label], column=column).value
        assert money_m(value) == shown[(central.pk, field)], field


def test_a_scenario_forecast_before_payments_at_risk_reads_not_known_when_compared(
    client, world, on_today
):
    """A forecast stored before the payments at risk were worked out has no deficit without
    them: the comparison says "Not known" and why, and still shows the deficit it has."""
    central = world["scenarios"]["Central forecast"]
    places = world["scenarios"]["40 more resourced places from September 2026"]
    old = selectors.latest_run(places)
    result = old.result
    del result["money"]["central"]["cumulative_without_at_risk"]
    del result["money"]["central"]["safety_valve_at_risk"]
    del result["statutory_override"]["cumulative_without_at_risk"]
    del result["statutory_override"]["at_risk"]
    del result["payments_at_risk"]
    type(old).objects.filter(pk=old.pk).update(result=result)
    client.force_login(world["users"][FINANCE])
    response = client.get(f"/finance/scenarios/compare/?scenario={central.pk}&scenario={places.pk}")
    shown = _compare_cells(response)
    assert shown[(places.pk, "cumulative_without_at_risk")] == "Not known"
    assert shown[(places.pk, "cumulative")] == money_m(
        result["statutory_override"]["cumulative_deficit"]
    )
    assert shown[(central.pk, "cumulative_without_at_risk")] != "Not known"
    assert (
        f"“{places.name}” was forecast before the payments the monitoring puts at risk were "
        "worked out: it counts every DfE payment due, and its deficit without them is not known."
    ) in _words(response)
