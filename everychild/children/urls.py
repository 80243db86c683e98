from django.urls import path

from everychild.children import views

app_name = "children"
urlpatterns = [
    path("", views.child_list, name="list"),
    path("add/", views.child_add, name="add"),
    path("<int:child_id>/", views.child_detail, name="detail"),
    path("<int:child_id>/change/", views.child_edit, name="edit"),
]
