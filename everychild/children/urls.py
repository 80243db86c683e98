from django.urls import path

from everychild.children import views

app_name = "children"
urlpatterns = [
    path("", views.child_list, name="list"),
    path("add/", views.child_add, name="add"),
    path("<int:child_id>/", views.child_detail, name="detail"),
    path("<int:child_id>/change/", views.child_edit, name="edit"),
    path("duplicates/", views.duplicate_list, name="duplicates"),
    path("<int:child_id>/duplicates/", views.child_duplicates, name="child_duplicates"),
    path("<int:child_id>/merge/<int:other_id>/", views.child_merge, name="merge"),
    path("merges/<int:merge_id>/undo/", views.merge_undo, name="merge_undo"),
]

# Exceptional access keeps the addresses it had under /access/ (see everychild/urls.py).
break_glass_urlpatterns = (
    [
        path("exceptional-access/", views.break_glass, name="ask"),
        path("exceptional-access/review/", views.break_glass_review, name="review"),
        path(
            "exceptional-access/review/<int:grant_id>/reviewed/",
            views.break_glass_mark_reviewed,
            name="reviewed",
        ),
    ],
    "break_glass",
)
