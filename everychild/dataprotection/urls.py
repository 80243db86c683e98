from django.urls import path

from everychild.dataprotection import views

app_name = "dataprotection"
urlpatterns = [
    path("", views.home, name="home"),
    path("subject-access/<int:child_id>.json", views.export_json, name="export-json"),
    path("subject-access/<int:child_id>.pdf", views.export_pdf, name="export-pdf"),
    path("retention/anonymise/", views.anonymise, name="anonymise"),
]
