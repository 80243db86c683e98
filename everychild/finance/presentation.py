"""From stored results and records to what a page (and the workbook) shows: tables, charts
and the words around them. The page and the DSG workbook use the same functions, so the
figures in one are the figures in the other."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from everychild.core import charts
from everychild.finance.forecast.dimensions import PLACEMENT_LABELS, PLACEMENT_TYPES, fy_label
from everychild.finance.forecast.forecast import STATUTORY_OVERRIDE_ENDS

MINUS = "\u2212"


def money_m(value, places: int = 1) -> str:
    """£ millions for people: £39.5m, −£2.1m (a surplus shown as a negative deficit)."""
    if value is None:
        return "Not known"
    value = float(value)
    text = f"£{abs(value) / 1e6:,.{places}f}m"
    return f"{MINUS}{text}" if value < 0 and round(abs(value) / 1e6, places) else text


def pounds(value) -> str:
    if value is None:
        return "Not recorded"
    value = Decimal(value)
    text = f"£{abs(value):,.0f}"
    return f"{MINUS}{text}" if value < 0 else text


def whole(value) -> str:
    return "Not known" if value is None else f"{float(value):,.0f}"


def percent(value, places: int = 1) -> str:
    return "Not known" if value is None else f"{float(value):.{places}f}%"


def _index(items, year):
    return next(i for i, item in enumerate(items) if item["year"] == year)


def forecast_tables(result: dict) -> dict:
    """The forecast's tables and charts, from a stored result."""
    ays = result["academic_years"]
    central = result["counts"]["central"]["total"]
    bands = result["counts"]["bands"]["total"]
    count_rows = []
    for i, year in enumerate(ays):
        count_rows.append(
            {
                "label": f"January {year['year'] + 1}",
                "academic_year": year["label"],
                "observed": year["observed"],
                "central": central[i],
                "p10": bands["p10"][i],
                "p90": bands["p90"][i],
            }
        )
    last_observed = max((i for i, y in enumerate(ays) if y["observed"]), default=-1)
    counts_chart = charts.band_chart(
        charts.BandChart(
            title="Plans held at each January census",
            description=(
                "Recorded counts, then the central forecast with the range in which 8 of 10 "
                "simulated futures fall. The table below gives the figures."
            ),
            x_labels=[f"Jan {y['year'] + 1}" for y in ays],
            series=[
                charts.Series(
                    "Recorded",
                    [v if ays[i]["observed"] else None for i, v in enumerate(central)],
                    "observed",
                ),
                charts.Series(
                    "Central forecast",
                    [v if i >= last_observed else None for i, v in enumerate(central)],
                    "central",
                    dashed=True,
                ),
            ],
            band=charts.Band(
                "10th to 90th percentile",
                [v if i >= last_observed else None for i, v in enumerate(bands["p10"])],
                [v if i >= last_observed else None for i, v in enumerate(bands["p90"])],
            ),
        )
    )
    fys = result["financial_years"]
    money = result["money"]["central"]
    money_bands = result["money"]["bands"]
    money_rows = []
    # A forecast made before payments at risk were worked out has neither key: its rows say
    # "Not known" there rather than pretend nothing was at risk.
    at_risk = money.get("safety_valve_at_risk")
    without = money.get("cumulative_without_at_risk")
    for i, year in enumerate(fys):
        cumulative = money["cumulative_deficit"]
        cumulative_bands = money_bands["cumulative_deficit"]
        money_rows.append(
            {
                "label": year["label"],
                "year": year["year"],
                "income": money["income"][i],
                "spend": money["spend"][i],
                "spend_p10": money_bands["spend"]["p10"][i],
                "spend_p90": money_bands["spend"]["p90"][i],
                "in_year": money["in_year_deficit"][i],
                "in_year_p10": money_bands["in_year_deficit"]["p10"][i],
                "in_year_p90": money_bands["in_year_deficit"]["p90"][i],
                "safety_valve": money["safety_valve"][i],
                "safety_valve_at_risk": None if at_risk is None else at_risk[i],
                "cumulative": None if cumulative is None else cumulative[i],
                "cumulative_without_at_risk": None if without is None else without[i],
                "cumulative_p10": None if cumulative_bands is None else cumulative_bands["p10"][i],
                "cumulative_p90": None if cumulative_bands is None else cumulative_bands["p90"][i],
                "interest": None if money["interest"] is None else money["interest"][i],
            }
        )
    labels = [y["label"] for y in fys]
    spend_chart = charts.band_chart(
        charts.BandChart(
            title="High-needs spending and income by financial year",
            description="Forecast spending (central, with its 10th to 90th percentile range) "
            "against income. The table below gives the figures.",
            x_labels=labels,
            series=[
                charts.Series("Spending (central)", money["spend"], "central"),
                charts.Series("Income", money["income"], "income", dashed=True),
            ],
            band=charts.Band(
                "Spending, 10th to 90th percentile",
                money_bands["spend"]["p10"],
                money_bands["spend"]["p90"],
            ),
            money=True,
        )
    )
    deficit_chart = None
    if money["cumulative_deficit"] is not None:
        override = result.get("statutory_override")
        markers = []
        if override:
            markers.append(
                charts.Marker(_index(fys, override["year"]), "Statutory override ends March 2028")
            )
        deficit_chart = charts.band_chart(
            charts.BandChart(
                title="Cumulative DSG deficit at each 31 March",
                description="The central forecast with its 10th to 90th percentile range; the "
                "line marks the end of the statutory override. The table gives the figures.",
                x_labels=[f"Mar {y['year'] + 1}" for y in fys],
                series=[
                    charts.Series(
                        "Cumulative deficit, every DfE payment due arriving",
                        money["cumulative_deficit"],
                        "central",
                    ),
                    *_without_at_risk_series(money),
                ],
                band=charts.Band(
                    "10th to 90th percentile",
                    money_bands["cumulative_deficit"]["p10"],
                    money_bands["cumulative_deficit"]["p90"],
                ),
                markers=markers,
                money=True,
            )
        )
    # Plans by placement: the last recorded census and every other projected year.
    by_placement = result["counts"]["central"]["by_placement"]
    shown = [last_observed] + list(range(last_observed + 1, len(ays), 2))
    if len(ays) - 1 not in shown:
        shown.append(len(ays) - 1)
    placement_rows = []
    for name in PLACEMENT_TYPES:
        placement_rows.append(
            {
                "label": PLACEMENT_LABELS[name],
                "values": [by_placement[name][i] for i in shown],
                "unit_cost": result["unit_costs"][name][0],
            }
        )
    return {
        "count_rows": count_rows,
        "counts_chart": counts_chart,
        "money_rows": money_rows,
        "spend_chart": spend_chart,
        "deficit_chart": deficit_chart,
        "placement_columns": [f"January {ays[i]['year'] + 1}" for i in shown],
        "placement_columns_observed": [ays[i]["observed"] for i in shown],
        "placement_rows": placement_rows,
        "first_year": fys[0]["label"],
        "breakdown_chart": _breakdown_chart(result.get("breakdown") or {}),
    }


def _without_at_risk_series(money: dict) -> list:
    """The deficit without the DfE payments at risk, drawn only where it differs."""
    if not any(money.get("safety_valve_at_risk") or []):
        return []
    return [
        charts.Series(
            "Without the DfE payments at risk",
            money["cumulative_without_at_risk"],
            "without-at-risk",
            dashed=True,
        )
    ]


def _breakdown_chart(breakdown: dict):
    if not breakdown.get("available"):
        return None
    return charts.signed_bar_chart(
        f"Why placement spending changes from {breakdown['from']} to {breakdown['to']}",
        "Each bar is one factor's share of the change; they add up to the total change. The "
        "table gives the figures.",
        [charts.Bar(part["label"].split(" (")[0], part["amount"]) for part in breakdown["parts"]],
    )


def headline(result: dict) -> dict:
    """The figures at the top of the forecast page."""
    tables_money = result["money"]
    first = 0
    counts = result["counts"]
    ays = result["academic_years"]
    last = len(ays) - 1
    return {
        "first_year": result["financial_years"][first]["label"],
        "in_year": tables_money["central"]["in_year_deficit"][first],
        "in_year_p10": tables_money["bands"]["in_year_deficit"]["p10"][first],
        "in_year_p90": tables_money["bands"]["in_year_deficit"]["p90"][first],
        "override": result.get("statutory_override"),
        "final_census": f"January {ays[last]['year'] + 1}",
        "final_plans": counts["central"]["total"][last],
        "final_p10": counts["bands"]["total"]["p10"][last],
        "final_p90": counts["bands"]["total"]["p90"][last],
    }


def compare(runs: list) -> dict:
    """Scenarios side by side: the in-year and cumulative deficit by year (every DfE payment
    due arriving, and without the payments at risk), and plans at the end, for each
    scenario's latest forecast."""
    years = None
    for run in runs:
        labels = [y["label"] for y in run.result["financial_years"]]
        years = labels if years is None else [y for y in years if y in labels]
    years = years or []
    rows = []
    for label in years:
        cells = []
        for run in runs:
            fys = [y["label"] for y in run.result["financial_years"]]
            i = fys.index(label)
            money = run.result["money"]["central"]
            cumulative = money["cumulative_deficit"]
            # A forecast made before payments at risk were worked out has no such figure:
            # None, which the page reads "Not known".
            without = money.get("cumulative_without_at_risk")
            cells.append(
                {
                    "in_year": money["in_year_deficit"][i],
                    "cumulative": None if cumulative is None else cumulative[i],
                    "cumulative_without_at_risk": None if without is None else without[i],
                }
            )
        rows.append({"label": label, "cells": cells})
    first = runs[0].result if runs else None
    summary = []
    for run in runs:
        result = run.result
        head = headline(result)
        total_spend = sum(result["money"]["central"]["spend"])
        summary.append(
            {
                "run": run,
                "plans": head["final_plans"],
                "final_census": head["final_census"],
                "override": head["override"],
                "override_without_at_risk": (head["override"] or {}).get(
                    "cumulative_without_at_risk"
                ),
                "total_spend": total_spend,
                "difference": None
                if first is None
                else total_spend - sum(first["money"]["central"]["spend"]),
            }
        )
    chart = None
    if runs and years:
        chart = charts.band_chart(
            charts.BandChart(
                title="In-year deficit by scenario",
                description="Each scenario's central forecast of the in-year deficit; the table "
                "gives the figures.",
                x_labels=years,
                series=[
                    charts.Series(
                        run.scenario.name,
                        [row["cells"][k]["in_year"] for row in rows],
                        f"scenario-{k % 4 + 1}",
                        dashed=k % 2 == 1,
                    )
                    for k, run in enumerate(runs)
                ],
                money=True,
            )
        )
    return {"rows": rows, "summary": summary, "chart": chart}


def deficit_path_chart(history_rows: list, result: dict | None, targets: dict) -> object:
    """The DSG deficit at each 31 March: recorded (or calculated from outturns), the central
    forecast after it, and the Safety Valve targets, to the end of the statutory override
    and beyond."""
    forecast, without = {}, {}
    if result and result["money"]["central"]["cumulative_deficit"] is not None:
        money = result["money"]["central"]
        drawn = _without_at_risk_series(money)
        for i, year in enumerate(result["financial_years"]):
            forecast[year["year"]] = money["cumulative_deficit"][i]
            if drawn:
                without[year["year"]] = money["cumulative_without_at_risk"][i]
    # Recorded years up to the forecast's first year (which the forecast covers).
    first = min(forecast, default=None)
    recorded = {
        row.year: float(row.closing_deficit)
        for row in history_rows
        if row.closing_deficit is not None and (first is None or row.year < first)
    }
    years = sorted(set(recorded) | set(forecast) | set(targets))
    if not years:
        return None
    first_forecast = min(forecast, default=None)
    series = [
        charts.Series("Recorded or from outturn", [recorded.get(y) for y in years], "observed"),
        charts.Series(
            "Central forecast, every DfE payment due arriving",
            [
                forecast.get(y)
                if y in forecast
                else (recorded.get(y) if first_forecast and y == first_forecast - 1 else None)
                for y in years
            ],
            "central",
            dashed=True,
        ),
    ]
    if without:
        series.append(
            charts.Series(
                "Central forecast without the DfE payments at risk",
                [without.get(y) for y in years],
                "without-at-risk",
                dashed=True,
            )
        )
    if targets:
        series.append(
            charts.Series("Safety Valve target", [targets.get(y) for y in years], "target")
        )
    markers = []
    override_year = STATUTORY_OVERRIDE_ENDS.year - 1
    if override_year in years:
        markers.append(
            charts.Marker(years.index(override_year), "Statutory override ends March 2028")
        )
    return charts.band_chart(
        charts.BandChart(
            title="The DSG deficit at each 31 March",
            description="Recorded balances and balances calculated from each year's outturn, "
            "then the central forecast, against the Safety Valve targets. The table gives the "
            "figures.",
            x_labels=[f"Mar {y + 1}" for y in years],
            series=series,
            markers=markers,
            money=True,
        )
    )


def as_of_text(day: dt.date) -> str:
    return day.strftime("%-d %B %Y")


def fy(year: int) -> str:
    return fy_label(year)


def reconcile_in_year_deficit(current, result: dict | None) -> dict | None:
    """The year's in-year deficit as monitoring has it beside the forecast's, for the same
    financial year, with where they part (issue 20): monitoring's spend is the finance team's
    latest forecast outturn (or the budget before the first return); the forecast's is its
    modelled cost of the plans (plans x the cost table) plus central services, and its income
    the allocation it projects. None when either is missing or they are for different years.

    `current` is a `finance.selectors.BudgetYear`; `result` a forecast run's result."""
    if current is None or not result:
        return None
    labels = [y["label"] for y in result["financial_years"]]
    if current.label not in labels:
        return None
    i = labels.index(current.label)
    money = result["money"]["central"]
    forecast = {
        "income": money["income"][i],
        "spend": money["spend"][i],
        "deficit": money["in_year_deficit"][i],
    }
    monitoring = {
        "income": None if current.income is None else float(current.income),
        "spend": None if current.spend is None else float(current.spend),
        "deficit": None if current.in_year_deficit is None else float(current.in_year_deficit),
    }

    def gap(key):
        if monitoring[key] is None or forecast[key] is None:
            return None
        return forecast[key] - monitoring[key]

    rows = [
        {"label": "Income", "key": "income"},
        {"label": "Spending", "key": "spend"},
        {"label": "In-year deficit (spending less income)", "key": "deficit"},
    ]
    for row in rows:
        row.update(
            monitoring=monitoring[row["key"]],
            forecast=forecast[row["key"]],
            difference=gap(row["key"]),
        )
    spend_gap, income_gap, deficit_gap = gap("spend"), gap("income"), gap("deficit")
    reasons = []
    if deficit_gap is None:
        explanation = "Monitoring has no income or spending recorded for this year yet."
    elif round(abs(deficit_gap) / 1e5) == 0:
        explanation = "The two agree (to within £0.1m)."
    else:
        higher = "higher" if deficit_gap > 0 else "lower"
        explanation = f"The forecast's in-year deficit is {money_m(abs(deficit_gap))} {higher}."
        if spend_gap is not None and round(abs(spend_gap) / 1e5):
            more = "more" if spend_gap > 0 else "less"
            reasons.append(
                f"The forecast expects {money_m(abs(spend_gap))} {more} spending than the "
                f"latest monitoring ({current.spend_basis.lower()}): it costs each plan it "
                "projects for the year at the cost table's rates, so plans expected to start "
                "or end, and rates that differ from the fees actually paid, move it."
            )
        if income_gap is not None and round(abs(income_gap) / 1e5):
            more = "more" if income_gap > 0 else "less"
            reasons.append(
                f"It counts {money_m(abs(income_gap))} {more} income than is recorded now: it "
                "took the income recorded when it was made (or, for a year not yet recorded, "
                "the last allocation grown at the assumed rate). Make the forecast again to "
                "bring it up to date."
            )
    return {
        "label": current.label,
        "spend_basis": current.spend_basis,
        "as_of": result.get("as_of", ""),
        "rows": rows,
        "difference": deficit_gap,
        "explanation": explanation,
        "reasons": reasons,
    }


def plans_change(result: dict, baseline: dict | None, *, adds_places: bool) -> dict | None:
    """How a scenario's number of EHC plans at its last census differs from the central
    forecast's, placement by placement, and why (issue 20: "40 more places" showed fewer plans
    and nothing said why). None for the central forecast itself or when either is missing."""
    if not baseline or result is baseline:
        return None
    ays, base_ays = result["academic_years"], baseline["academic_years"]
    if not ays or ays[-1]["year"] != base_ays[-1]["year"]:
        return None
    census = f"January {ays[-1]['year'] + 1}"
    total = result["counts"]["central"]["total"][-1]
    base_total = baseline["counts"]["central"]["total"][-1]
    rows = []
    for placement in PLACEMENT_TYPES:
        ours = result["counts"]["central"]["by_placement"][placement][-1]
        theirs = baseline["counts"]["central"]["by_placement"][placement][-1]
        if round(ours) or round(theirs):
            rows.append(
                {
                    "label": PLACEMENT_LABELS[placement],
                    "central": theirs,
                    "scenario": ours,
                    "difference": round(ours) - round(theirs),
                }
            )
    difference = round(total) - round(base_total)
    if difference == 0:
        summary = f"The same number of EHC plans in {census} as the central forecast."
    else:
        more = "more" if difference > 0 else "fewer"
        summary = (
            f"{abs(difference):,} {more} EHC {'plan' if abs(difference) == 1 else 'plans'} in "
            f"{census} than the central forecast ({whole(total)} against {whole(base_total)})."
        )
    why = []
    if adds_places:
        why.append(
            "Extra places add no plans of their own: they move children who would have been "
            "placed elsewhere into the new places."
        )
        if difference:
            why.append(
                "The number of plans still changes because each kind of placement has its own "
                "rates, learned from the area's history, at which plans end and children move "
                "on (into post-16 provision, for example). Children in the new places follow "
                "those places' rates from then on, so over the years fewer or more of them "
                "still hold a plan. The table shows where the difference falls."
            )
    return {
        "census": census,
        "total": total,
        "baseline_total": base_total,
        "difference": difference,
        "summary": summary,
        "why": why,
        "rows": rows,
    }
