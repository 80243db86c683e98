from django.urls import path

from everychild.advice import views

app_name = "advice"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:advice_id>/", views.request_detail, name="request"),
    path("<int:advice_id>/allocate/", views.allocate, name="allocate"),
    path("<int:advice_id>/appointments/", views.appointment, name="appointment"),
    path("<int:advice_id>/items/", views.item_add, name="item-add"),
    path("<int:advice_id>/items/<int:item_id>/remove/", views.item_remove, name="item-remove"),
    path("<int:advice_id>/document/", views.document, name="document"),
    path("<int:advice_id>/document/download/", views.document_download, name="document-download"),
    path("<int:advice_id>/submit/", views.submit, name="submit"),
    path("received/<int:advice_id>/", views.received, name="received"),
    path("received/<int:advice_id>/document/", views.received_download, name="received-download"),
    path("reviews/<int:review_id>/", views.review_advice, name="review"),
    path("waiting-list/", views.waiting_list, name="waiting-list"),
    path("waiting-list/rules/", views.rule_add, name="rule-add"),
    path("capacity/", views.capacity_page, name="capacity"),
    path("capacity/set/", views.capacity_set, name="capacity-set"),
    path("capacity/leave/", views.leave_add, name="leave-add"),
    path("forecast/", views.forecast, name="forecast"),
    path("forecast/scenarios/", views.scenario_add, name="scenario-add"),
    path(
        "forecast/scenarios/<int:scenario_id>/delete/",
        views.scenario_delete,
        name="scenario-delete",
    ),
]
