from django.urls import path

from everychild.returns import views

app_name = "returns"
urlpatterns = [
    path("sen2/", views.sen2_checks, name="sen2-checks"),
    path("sen2/checks/<int:run_id>/", views.sen2_checks_run, name="sen2-checks-run"),
    path("sen2/import/", views.sen2_import, name="sen2-import"),
    path("sen2/import/<int:run_id>/", views.sen2_import_run, name="sen2-import-run"),
]
