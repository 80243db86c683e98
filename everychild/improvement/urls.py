from django.urls import path

from everychild.improvement import views

app_name = "improvement"
urlpatterns = [
    path("", views.plan, name="plan"),
    path("overdue/", views.overdue, name="overdue"),
    path("report/", views.progress_report, name="report"),
    path("actions/new/", views.action_add, name="action-add"),
    path("actions/<int:action_id>/", views.action_detail, name="action"),
    path("actions/<int:action_id>/update/", views.action_update, name="action-update"),
    path("actions/<int:action_id>/evidence/", views.evidence_add, name="evidence-add"),
    path("actions/<int:action_id>/milestones/", views.milestone_add, name="milestone-add"),
    path(
        "actions/<int:action_id>/milestones/<int:milestone_id>/met/",
        views.milestone_complete,
        name="milestone-complete",
    ),
    path("actions/<int:action_id>/criteria/", views.criterion_add, name="criterion-add"),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence-download"),
]

# The board pack is asked for from the performance dashboard, so its pages keep their addresses
# under /performance/board-pack/: everychild/urls.py mounts these there, as "board-pack:…".
board_pack_urlpatterns = (
    [
        path("", views.board_pack, name="packs"),
        path("<int:run_id>/", views.board_pack_run, name="run"),
        path("<int:run_id>/status.json", views.board_pack_status, name="status"),
        path("<int:run_id>/pack.pdf", views.board_pack_pdf, name="pdf"),
    ],
    "board-pack",
)
