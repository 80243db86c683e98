from django.urls import path

from everychild.support import views

app_name = "support"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("start/", views.start, name="start"),
    path("import/", views.import_plan, name="import"),
    path("<int:plan_id>/file/", views.download, name="download"),
    path("<int:plan_id>/", views.plan, name="plan"),
    path("<int:plan_id>/views/", views.edit_views, name="views"),
    path("<int:plan_id>/add/<slug:kind>/", views.add_item, name="add"),
    path("<int:plan_id>/remove/<slug:kind>/<slug:item_id>/", views.remove_item, name="remove"),
    path("<int:plan_id>/cycles/new/", views.start_cycle, name="cycle-new"),
    path("<int:plan_id>/cycles/<int:number>/review/", views.review_cycle, name="cycle-review"),
    path("<int:plan_id>/end/", views.end, name="end"),
    path("<int:plan_id>/advice/new/", views.ask_for_consultation, name="consultation-new"),
    path("advice/", views.consultation_queue, name="consultation-queue"),
    path("advice/<int:consultation_id>/", views.consultation, name="consultation"),
    path(
        "ordinarily-available/<int:area_id>/add/", views.add_offer, name="ordinarily-available-add"
    ),
    path("settings/<int:area_id>/", views.area_settings, name="settings"),
    path(
        "ordinarily-available/withdraw/<int:offer_id>/", views.withdraw_offer, name="offer-withdraw"
    ),
]

# Public: mounted at /ordinarily-available/ (everychild/urls.py).
public_urlpatterns = [
    path("", views.ordinarily_available, name="list"),
    path("<int:area_id>/", views.ordinarily_available, name="area"),
]
