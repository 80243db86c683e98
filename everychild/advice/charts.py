"""The forecast chart: the kit's band chart, as the finance forecasts use it (no JavaScript;
a title, a description and a data table beside it in the page)."""

from __future__ import annotations

from everychild.core.charts import Band, BandChart, Series, band_chart

_SCENARIO_CSS = ["scenario-1", "scenario-2", "scenario-3", "scenario-4"]


def forecast_chart(baseline, scenarios):
    rows = baseline.rows()
    labels = [r["ending"].strftime("%-d %b %Y") for r in rows]
    series = [Series("Backlog: central (median)", [r["central"] for r in rows], "central")]
    for i, view in enumerate(scenarios[: len(_SCENARIO_CSS)]):
        if view.result is not None:
            series.append(
                Series(
                    f"Scenario: {view.scenario.name}",
                    [float(v) for v in view.result.central],
                    _SCENARIO_CSS[i],
                    dashed=True,
                )
            )
    if baseline.clears_on:
        clears = f"clears by {baseline.clears_on:%-d %B %Y} and stays clear"
    else:
        clears = f"does not clear within the {baseline.weeks} weeks forecast"
    return band_chart(
        BandChart(
            title="Forecast of overdue EP advice requests, next 52 weeks",
            description=(
                f"Central line and 10th to 90th percentile band from {baseline.result.runs:,} "
                f"simulation runs; the backlog {clears}. The table below gives every figure."
            ),
            x_labels=labels,
            series=series,
            band=Band(
                "10th to 90th percentile",
                [r["low"] for r in rows],
                [r["high"] for r in rows],
            ),
        )
    )
