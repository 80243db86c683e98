from django.urls import path

from everychild.access import views

app_name = "access"
urlpatterns = [
    path("exceptional-access/", views.break_glass, name="break-glass"),
    path("exceptional-access/review/", views.break_glass_review, name="break-glass-review"),
    path(
        "exceptional-access/review/<int:grant_id>/reviewed/",
        views.break_glass_mark_reviewed,
        name="break-glass-reviewed",
    ),
]
