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
    path("board-pack/", views.board_pack, name="board-pack"),
    path("board-pack/<int:run_id>/", views.board_pack_run, name="board-pack-run"),
    path("board-pack/<int:run_id>/status.json", views.board_pack_status, name="board-pack-status"),
    path("board-pack/<int:run_id>/pack.pdf", views.board_pack_pdf, name="board-pack-pdf"),
]
