from django.urls import path

from everychild.schools import views

app_name = "schools"
urlpatterns = [
    path("requests/", views.requests_list, name="requests"),
    path("requests/new/", views.new_request, name="new-request"),
    path("requests/<int:school_request_id>/", views.request_detail, name="request"),
]
