from django.urls import path

from everychild.performance import views

app_name = "performance"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("dashboard.csv", views.dashboard_csv, name="dashboard-csv"),
    path("measures/<slug:measure_id>/", views.measure_detail, name="measure"),
    path("measures/<slug:measure_id>/data.csv", views.measure_csv, name="measure-csv"),
    path("measures/<slug:measure_id>/records/", views.records, name="records"),
    path("benchmarks/", views.benchmarks_page, name="benchmarks"),
    path("benchmarks/data.csv", views.benchmarks_csv, name="benchmarks-csv"),
]
