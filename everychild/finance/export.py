"""The DSG management plan as an XLSX workbook, shaped like the DfE's DSG management plan
template: a cover, the summary of income, spending and the deficit year by year (with its
chart), high-needs spending by category, EHCP numbers by placement (with its chart), unit
costs, the Safety Valve, and the assumptions. Aggregates only: no child appears anywhere."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from everychild.core import spreadsheets
from everychild.finance.forecast.dimensions import PLACEMENT_LABELS, PLACEMENT_TYPES
from everychild.finance.management_plan import ManagementPlan
from everychild.finance.models import SpendCategory

MONEY = "£#,##0;[Red]-£#,##0"
COUNT = "#,##0"
HEADING = Font(bold=True, size=14)
BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE3EA")

SUMMARY_ROWS = (
    ("Income: high-needs block and other", "income"),
    ("High-needs expenditure", "spend"),
    ("In-year deficit (surplus negative)", "in_year"),
    ("DfE Safety Valve contribution: received, then expected", "safety_valve"),
    ("Of which at risk on the monitoring", "safety_valve_at_risk"),
    ("Cumulative DSG deficit at 31 March, every DfE payment due arriving", "cumulative"),
    ("Cumulative DSG deficit at 31 March without payments at risk", "cumulative_without_at_risk"),
    ("Safety Valve target: in-year deficit", "target_in_year"),
    ("Safety Valve target: cumulative deficit", "target_cumulative"),
    ("Interest on carrying the deficit (general fund)", "interest"),
)


def _header(sheet, row: int, values: list) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.font = BOLD
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(sheet, first: int = 44, rest: int = 15) -> None:
    sheet.column_dimensions["A"].width = first
    for column in range(2, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = rest


def workbook(plan: ManagementPlan) -> bytes:
    book = Workbook()
    _cover(book.active, plan)
    _summary(book.create_sheet("Summary"), plan)
    result = plan.run.result if plan.run else None
    if result:
        _expenditure(book.create_sheet("High needs expenditure"), plan, result)
        _ehcp_numbers(book.create_sheet("EHCP numbers"), result)
        _unit_costs(book.create_sheet("Unit costs"), result)
    _safety_valve(book.create_sheet("Safety Valve"), plan)
    _assumptions(book.create_sheet("Assumptions"), plan, result)
    spreadsheets.neutralise_workbook(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cover(sheet, plan: ManagementPlan) -> None:
    sheet.title = "Cover"
    sheet["A1"] = "DSG management plan"
    sheet["A1"].font = HEADING
    rows = [
        ("Local authority", plan.area_name),
        ("Prepared on", plan.as_of),
        ("Forecast", plan.run.scenario.name if plan.run else "No forecast yet"),
        ("Forecast made on", plan.run.as_of if plan.run else None),
        ("Statutory override ends", "31 March 2028"),
        (
            "About this workbook",
            "Produced by EveryChild from the area's records. Years before the current "
            "financial year are as recorded (outturn); the current year and later are the "
            "central forecast. Figures are aggregates: no child's record is included.",
        ),
    ]
    for i, (label, value) in enumerate(rows, start=3):
        sheet.cell(row=i, column=1, value=label).font = BOLD
        cell = sheet.cell(row=i, column=2, value=value)
        if hasattr(value, "year"):
            cell.number_format = "d mmmm yyyy"
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 90


def _summary(sheet, plan: ManagementPlan) -> None:
    sheet["A1"] = "Summary: the high-needs budget and the DSG deficit"
    sheet["A1"].font = HEADING
    _header(sheet, 3, ["Financial year"] + [y.label for y in plan.years])
    sheet.cell(row=4, column=1, value="Basis").font = BOLD
    for column, year in enumerate(plan.years, start=2):
        sheet.cell(row=4, column=column, value=year.basis).alignment = Alignment(wrap_text=True)
    for offset, (label, attribute) in enumerate(SUMMARY_ROWS):
        row = 5 + offset
        sheet.cell(row=row, column=1, value=label)
        for column, year in enumerate(plan.years, start=2):
            value = getattr(year, attribute)
            cell = sheet.cell(row=row, column=column, value=None if value is None else round(value))
            cell.number_format = MONEY
    _widths(sheet)
    if plan.years:
        chart = LineChart()
        chart.title = "Cumulative DSG deficit at 31 March: forecast and Safety Valve target"
        chart.y_axis.title = "£"
        chart.x_axis.title = "Financial year"
        chart.height, chart.width = 9, 22
        last_column = 1 + len(plan.years)
        cumulative_row = 5 + [a for _, a in SUMMARY_ROWS].index("cumulative")
        without_row = 5 + [a for _, a in SUMMARY_ROWS].index("cumulative_without_at_risk")
        target_row = 5 + [a for _, a in SUMMARY_ROWS].index("target_cumulative")
        for row in (cumulative_row, without_row, target_row):
            data = Reference(sheet, min_col=1, max_col=last_column, min_row=row, max_row=row)
            chart.add_data(data, from_rows=True, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=2, max_col=last_column, min_row=3))
        sheet.add_chart(chart, "B15")


def _expenditure(sheet, plan: ManagementPlan, result: dict) -> None:
    sheet["A1"] = "High-needs expenditure by category (forecast, central)"
    sheet["A1"].font = HEADING
    years = result["financial_years"]
    _header(sheet, 3, ["Category"] + [y["label"] for y in years])
    money = result["money"]["central"]
    for offset, (category, label) in enumerate(SpendCategory.choices):
        row = 4 + offset
        sheet.cell(row=row, column=1, value=label)
        if category == SpendCategory.CENTRAL:
            values = money["central_services"]
        else:
            values = money["placement_spend"][category]
        for column, value in enumerate(values, start=2):
            sheet.cell(row=row, column=column, value=round(value)).number_format = MONEY
    total_row = 4 + len(SpendCategory.choices)
    sheet.cell(row=total_row, column=1, value="Total").font = BOLD
    for column, value in enumerate(money["spend"], start=2):
        cell = sheet.cell(row=total_row, column=column, value=round(value))
        cell.number_format, cell.font = MONEY, BOLD
    _widths(sheet, first=52)


def _ehcp_numbers(sheet, result: dict) -> None:
    sheet["A1"] = "Number of EHC plans at each January census, by placement"
    sheet["A1"].font = HEADING
    years = result["academic_years"]
    _header(
        sheet,
        3,
        ["Placement"]
        + [f"Jan {y['year'] + 1}{'' if y['observed'] else ' (forecast)'}" for y in years],
    )
    by_placement = result["counts"]["central"]["by_placement"]
    for offset, name in enumerate(PLACEMENT_TYPES):
        row = 4 + offset
        sheet.cell(row=row, column=1, value=PLACEMENT_LABELS[name])
        for column, value in enumerate(by_placement[name], start=2):
            sheet.cell(row=row, column=column, value=round(value)).number_format = COUNT
    total_row = 4 + len(PLACEMENT_TYPES)
    bands = result["counts"]["bands"]["total"]
    for offset, (label, values) in enumerate(
        (
            ("Total (central)", result["counts"]["central"]["total"]),
            ("Total: 10th percentile", bands["p10"]),
            ("Total: 90th percentile", bands["p90"]),
        )
    ):
        sheet.cell(row=total_row + offset, column=1, value=label).font = BOLD
        for column, value in enumerate(values, start=2):
            sheet.cell(
                row=total_row + offset, column=column, value=round(value)
            ).number_format = COUNT
    _widths(sheet, first=52, rest=13)
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = "EHC plans by placement"
    chart.y_axis.title = "Plans"
    chart.height, chart.width = 10, 24
    last_column = 1 + len(years)
    data = Reference(sheet, min_col=1, max_col=last_column, min_row=4, max_row=total_row - 1)
    chart.add_data(data, from_rows=True, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, max_col=last_column, min_row=3))
    sheet.add_chart(chart, f"B{total_row + 5}")


def _unit_costs(sheet, result: dict) -> None:
    sheet["A1"] = "Annual cost per plan by placement"
    sheet["A1"].font = HEADING
    years = result["financial_years"]
    _header(sheet, 3, ["Placement"] + [y["label"] for y in years])
    for offset, name in enumerate(PLACEMENT_TYPES):
        row = 4 + offset
        sheet.cell(row=row, column=1, value=PLACEMENT_LABELS[name])
        for column, value in enumerate(result["unit_costs"][name], start=2):
            sheet.cell(row=row, column=column, value=round(value)).number_format = MONEY
    _widths(sheet, first=52)


def _safety_valve(sheet, plan: ManagementPlan) -> None:
    sheet["A1"] = "Safety Valve: targets, actual at each monitoring point, and payments"
    sheet["A1"].font = HEADING
    agreement = plan.agreement
    if agreement is None:
        sheet["A3"] = "No Safety Valve agreement is recorded."
        return
    sheet["A3"], sheet["B3"] = "Agreement", agreement.title
    sheet["A4"], sheet["B4"] = "Status", agreement.get_status_display()
    sheet["A5"], sheet["B5"] = (
        "In-year balance by",
        f"{agreement.balance_year}-{(agreement.balance_year + 1) % 100:02d}",
    )
    row = 7
    _header(
        sheet,
        row,
        ["Financial year", "Target in-year", "Actual or forecast in-year", "Difference",
         "Target cumulative", "Actual or forecast cumulative", "Basis", "Status"],
    )  # fmt: skip
    for year in plan.years:
        if year.target_in_year is None:
            continue
        row += 1
        values = [
            year.label,
            year.target_in_year,
            year.in_year,
            year.in_year_gap,
            year.target_cumulative,
            year.cumulative,
            year.basis,
            year.status,
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(
                row=row, column=column, value=round(value) if isinstance(value, float) else value
            )
            if column in (2, 3, 4, 5, 6):
                cell.number_format = MONEY
    row += 2
    _header(sheet, row, ["Monitoring point", "As at", "In-year deficit", "Target", "Difference"])
    for point in plan.monitoring:
        row += 1
        sheet.cell(row=row, column=1, value=point.label)
        sheet.cell(row=row, column=2, value=point.as_at).number_format = "d mmm yyyy"
        for column, value in ((3, point.in_year), (4, point.target), (5, point.gap)):
            cell = sheet.cell(row=row, column=column, value=None if value is None else round(value))
            cell.number_format = MONEY
    row += 2
    _header(
        sheet,
        row,
        ["DfE payment due", "Amount", "Status", "Settled on", "Conditions", "On the monitoring"],
    )
    for outlook in plan.payments:
        payment = outlook.payment
        row += 1
        if outlook.state in ("expected", "at_risk"):
            at_risk = "At risk: " if outlook.at_risk else ""
            sheet.cell(row=row, column=6, value=at_risk + outlook.reason)
        sheet.cell(row=row, column=1, value=payment.due_on).number_format = "d mmm yyyy"
        sheet.cell(row=row, column=2, value=float(payment.amount)).number_format = MONEY
        sheet.cell(row=row, column=3, value=payment.get_status_display())
        if payment.settled_on:
            sheet.cell(row=row, column=4, value=payment.settled_on).number_format = "d mmm yyyy"
        sheet.cell(row=row, column=5, value=payment.conditions + (
            f" ({payment.settled_note})" if payment.settled_note else ""
        ))  # fmt: skip
    row += 2
    _header(sheet, row, ["Report due", "What"])
    for date in agreement.monitoring_dates.all():
        row += 1
        sheet.cell(row=row, column=1, value=date.due_on).number_format = "d mmm yyyy"
        sheet.cell(row=row, column=2, value=date.description)
    _widths(sheet, first=26, rest=18)


def _assumptions(sheet, plan: ManagementPlan, result: dict | None) -> None:
    sheet["A1"] = "Assumptions and how the forecast was made"
    sheet["A1"].font = HEADING
    row = 3
    if result is None:
        sheet.cell(row=row, column=1, value="No forecast has been made yet.")
        return
    inflow = result["inflow"]
    items = [
        ("Scenario", plan.run.scenario.name),
        ("Levers", "; ".join(result["levers"]) or "None: recent trends continue"),
        ("Simulation runs", result["runs"]),
        ("Random seed", result["seed"]),
        (
            # The 12 months to the day the forecast was made (issue 20: say the dates).
            f"Requests in the 12 months to {dt.date.fromisoformat(result['as_of']):%-d %B %Y}",
            round(inflow["requests_last_year"]),
        ),
        ("Share of requests leading to a plan (%)", round(inflow["conversion"] * 100, 1)),
        ("Recent annual growth in requests per head (%)", round(inflow["growth_trend"] * 100, 1)),
    ]
    backtest = result.get("backtest") or {}
    if backtest.get("available"):
        items.append(("Back-test error, plan counts (MAPE %)", round(backtest["count_mape"], 1)))
        if backtest.get("cost_mape") is not None:
            items.append(("Back-test error, cost (MAPE %)", round(backtest["cost_mape"], 1)))
    for warning in result["warnings"]:
        items.append(("Note", warning))
    for label, value in items:
        sheet.cell(row=row, column=1, value=label).font = BOLD
        sheet.cell(row=row, column=2, value=value).alignment = Alignment(wrap_text=True)
        row += 1
    sheet.column_dimensions["A"].width = 46
    sheet.column_dimensions["B"].width = 100
