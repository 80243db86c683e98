from django.urls import path

from everychild.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("placements/", views.placements, name="placements"),
    path("placements/bring-up-to-date/", views.placements_sync, name="placements-sync"),
    path("agreed-fees/", views.agreed_fees, name="agreed-fees"),
    path("agreed-fees/<int:placement_id>/", views.agreed_fee_new, name="agreed-fee-new"),
    path("costs/new/", views.cost_rate_new, name="cost-rate-new"),
    path("assumptions/new/", views.assumption_new, name="assumption-new"),
    path("population/new/", views.population_new, name="population-new"),
    path("budget/", views.budget, name="budget"),
    path("budget/<int:year>/funding/", views.funding_new, name="funding-new"),
    path("budget/<int:year>/set/", views.budget_set, name="budget-set"),
    path("budget/<int:year>/monitoring/", views.monitoring_new, name="monitoring-new"),
    path("budget/<int:year>/balance/", views.balance_new, name="balance-new"),
    path("forecast/", views.forecast, name="forecast"),
    path("forecast/run/", views.forecast_run, name="forecast-baseline-run"),
    path("forecast/<int:scenario_id>/run/", views.forecast_run, name="forecast-run"),
    path("forecast/jobs/<int:run_id>/", views.forecast_job, name="forecast-job"),
    path("scenarios/", views.scenario_list, name="scenarios"),
    path("scenarios/new/", views.scenario_new, name="scenario-new"),
    path("scenarios/compare/", views.scenario_compare, name="scenario-compare"),
    path("scenarios/<int:scenario_id>/", views.scenario_detail, name="scenario"),
    path("safety-valve/", views.safety_valve, name="safety-valve"),
    path(
        "safety-valve/dsg-management-plan.xlsx",
        views.dsg_management_plan,
        name="dsg-management-plan",
    ),
    path("safety-valve/agreement/new/", views.agreement_new, name="agreement-new"),
    path("safety-valve/targets/new/", views.target_new, name="target-new"),
    path("safety-valve/payments/new/", views.payment_new, name="payment-new"),
    path(
        "safety-valve/payments/<int:payment_id>/outcome/",
        views.payment_outcome,
        name="payment-outcome",
    ),
    path(
        "safety-valve/monitoring-dates/new/", views.monitoring_date_new, name="monitoring-date-new"
    ),
]
