"""The DSG management plan: the deficit year by year (recorded, then forecast), the Safety
Valve targets against it at each monitoring point, and the payments. The Safety Valve page and
the XLSX workbook both come from `management_plan`, so they show the same figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from everychild.finance import selectors
from everychild.finance.forecast.dimensions import financial_year_of, fy_label
from everychild.finance.forecast.forecast import STATUTORY_OVERRIDE_ENDS
from everychild.finance.models import ForecastRun, SafetyValveAgreement


@dataclass
class PlanYear:
    year: int
    label: str
    basis: str
    income: float | None
    spend: float | None
    in_year: float | None
    safety_valve: float | None
    cumulative: float | None
    interest: float | None
    target_in_year: float | None = None
    target_cumulative: float | None = None
    # Of `safety_valve`, the payments the monitoring puts at risk, and the deficit at 31
    # March without them (None where a forecast made before they were worked out is shown).
    safety_valve_at_risk: float | None = None
    cumulative_without_at_risk: float | None = None

    @property
    def in_year_gap(self) -> float | None:
        if self.in_year is None or self.target_in_year is None:
            return None
        return self.in_year - self.target_in_year

    @property
    def status(self) -> str:
        gap = self.in_year_gap
        if gap is None:
            return ""
        return "On track" if gap <= 0 else "Off track"


@dataclass
class ManagementPlan:
    area_name: str
    as_of: dt.date
    years: list[PlanYear]
    agreement: SafetyValveAgreement | None
    monitoring: list[selectors.MonitoringPoint] = field(default_factory=list)
    # Each payment judged against the monitoring today, and the payments the forecast `run`
    # judged at risk when it was made (its deficit path leaves out those).
    payments: list[selectors.PaymentOutlook] = field(default_factory=list)
    run: ForecastRun | None = None
    override_year: int = STATUTORY_OVERRIDE_ENDS.year - 1

    @property
    def at_override_end(self) -> PlanYear | None:
        return next((y for y in self.years if y.year == self.override_year), None)

    @property
    def at_risk_today(self) -> list[selectors.PaymentOutlook]:
        return [p for p in self.payments if p.at_risk]

    @property
    def run_at_risk(self) -> list[dict] | None:
        """None for a forecast made before payments at risk were worked out."""
        if self.run is None:
            return None
        return self.run.result.get("payments_at_risk")

    @property
    def forecast_out_of_date(self) -> bool:
        """The monitoring puts different payments at risk now than when the forecast was
        made: its deficit path without them needs forecasting again."""
        if self.run_at_risk is None:
            return self.run is not None
        return {p.payment.pk for p in self.at_risk_today} != {
            p["payment_id"] for p in self.run_at_risk
        }

    @property
    def targets(self) -> dict[int, float]:
        return {y.year: y.target_cumulative for y in self.years if y.target_cumulative is not None}


def management_plan(area, run: ForecastRun | None, as_of: dt.date) -> ManagementPlan:
    """Years before the current financial year as recorded (outturn, or the latest monitoring
    point); the current year and after from the forecast `run` (central)."""
    current = financial_year_of(as_of)
    agreement = selectors.current_agreement(area)
    targets = selectors.agreement_targets(agreement)
    recorded = [b for b in selectors.budget_years(area) if b.year < current]
    years: list[PlanYear] = []
    for b in recorded:
        years.append(
            PlanYear(
                year=b.year,
                label=b.label,
                basis=b.spend_basis + (f"; {b.closing_basis.lower()}" if b.closing_basis else ""),
                income=_f(b.income),
                spend=_f(b.spend),
                in_year=_f(b.in_year_deficit),
                safety_valve=_f(b.safety_valve),
                cumulative=_f(b.closing_deficit),
                interest=_f(b.interest),
                # Recorded years count only what the DfE paid: nothing is at risk.
                safety_valve_at_risk=0.0,
                cumulative_without_at_risk=_f(b.closing_deficit),
            )
        )
    if run is not None:
        result = run.result
        money = result["money"]["central"]
        for i, year in enumerate(result["financial_years"]):
            if year["year"] < current:
                continue
            years.append(
                PlanYear(
                    year=year["year"],
                    label=year["label"],
                    basis="Forecast",
                    income=money["income"][i],
                    spend=money["spend"][i],
                    in_year=money["in_year_deficit"][i],
                    safety_valve=money["safety_valve"][i],
                    cumulative=None
                    if money["cumulative_deficit"] is None
                    else money["cumulative_deficit"][i],
                    interest=None if money["interest"] is None else money["interest"][i],
                    safety_valve_at_risk=_at(money.get("safety_valve_at_risk"), i),
                    cumulative_without_at_risk=_at(money.get("cumulative_without_at_risk"), i),
                )
            )
    for row in years:
        if row.year in targets:
            row.target_in_year, row.target_cumulative = targets[row.year]
    known = {row.year for row in years}
    for year, (in_year, cumulative) in sorted(targets.items()):
        if year not in known:
            years.append(
                PlanYear(
                    year, fy_label(year), "Target only", None, None, None, None, None, None,
                    in_year, cumulative,
                )
            )  # fmt: skip
    years.sort(key=lambda r: r.year)
    monitoring = selectors.monitoring_points(area, targets) if agreement is not None else []
    return ManagementPlan(
        area_name=area.name,
        as_of=as_of,
        years=years,
        agreement=agreement,
        monitoring=monitoring,
        payments=selectors.payment_outlooks(area),
        run=run,
    )


def _f(value) -> float | None:
    return None if value is None else float(value)


def _at(values: list | None, i: int) -> float | None:
    return None if values is None else values[i]
