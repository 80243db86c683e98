from django.urls import path

from everychild.dataprotection import views

app_name = "dataprotection"
urlpatterns = [
    path("", views.home, name="home"),
    path("subject-access/<int:child_id>/", views.export_start, name="export-start"),
    path("subject-access/exports/<int:run_id>/", views.export_run, name="export-run"),
    path("subject-access/exports/<int:run_id>.json", views.export_json, name="export-json"),
    path("subject-access/exports/<int:run_id>.pdf", views.export_pdf, name="export-pdf"),
    path("retention/anonymise/", views.anonymise, name="anonymise"),
]
