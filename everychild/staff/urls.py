from django.urls import path

from everychild.staff import views

app_name = "staff"
urlpatterns = [
    path("", views.people, name="people"),
    path("staff.csv", views.export, name="export"),
    path("invite/", views.invite, name="invite"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/roles/", views.change_roles, name="change-roles"),
    path("people/<int:person_id>/deactivate/", views.deactivate, name="deactivate"),
    path("people/<int:person_id>/reactivate/", views.reactivate, name="reactivate"),
    path("people/<int:person_id>/reset-password/", views.reset_password, name="reset-password"),
    path(
        "people/<int:person_id>/reset-second-factor/",
        views.reset_second_factor,
        name="reset-second-factor",
    ),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/add/", views.add_organisation, name="add-organisation"),
    path("organisations/<int:organisation_id>/", views.organisation, name="organisation"),
    path(
        "organisations/<int:organisation_id>/close/",
        views.close_organisation,
        name="close-organisation",
    ),
    path("invitation/<str:token>/", views.accept, name="accept"),
]
