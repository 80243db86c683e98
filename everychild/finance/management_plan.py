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
class MonitoringPoint:
    label: str
    as_at: dt.date
    in_year: float
    target: float | None

    @property
    def gap(self) -> float | None:
        return None if self.target is None else self.in_year - self.target


@dataclass
class ManagementPlan:
    area_name: str
    as_of: dt.date
    years: list[PlanYear]
    agreement: SafetyValveAgreement | None
    monitoring: list[MonitoringPoint] = field(default_factory=list)
    run: ForecastRun | None = None
    override_year: int = STATUTORY_OVERRIDE_ENDS.year - 1

    @property
    def at_override_end(self) -> PlanYear | None:
        return next((y for y in self.years if y.year == self.override_year), None)

    @property
    def targets(self) -> dict[int, float]:
        return {y.year: y.target_cumulative for y in self.years if y.target_cumulative is not None}


def latest_targets(agreement: SafetyValveAgreement | None) -> dict[int, tuple[float, float]]:
    if agreement is None:
        return {}
    out = {}
    for target in sorted(agreement.targets.all(), key=lambda t: t.pk):
        out[target.financial_year] = (
            float(target.in_year_deficit),
            float(target.cumulative_deficit),
        )
    return out


def management_plan(area, run: ForecastRun | None, as_of: dt.date) -> ManagementPlan:
    """Years before the current financial year as recorded (outturn, or the latest monitoring
    point); the current year and after from the forecast `run` (central)."""
    current = financial_year_of(as_of)
    agreement = selectors.current_agreement(area)
    targets = latest_targets(agreement)
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
    monitoring = []
    if agreement is not None:
        for b in selectors.budget_years(area):
            if b.year not in targets or b.income is None:
                continue
            for quarter, ret in sorted(b.returns.items()):
                spend = float(sum(line.forecast_outturn for line in ret.lines.all()))
                monitoring.append(
                    MonitoringPoint(
                        label=f"{b.label} {'outturn' if quarter == 4 else f'quarter {quarter}'}",
                        as_at=ret.as_at,
                        in_year=spend - float(b.income),
                        target=targets[b.year][0],
                    )
                )
    return ManagementPlan(
        area_name=area.name,
        as_of=as_of,
        years=years,
        agreement=agreement,
        monitoring=monitoring,
        run=run,
    )


def _f(value) -> float | None:
    return None if value is None else float(value)
