from django.urls import path

from everychild.families import views

app_name = "families"
urlpatterns = [
    path("", views.home, name="home"),
    path("request/", views.request_start, name="request-start"),
    path("request/check/", views.request_check, name="request-check"),
    path("request/sent/", views.request_done, name="request-done"),
    path("request/<slug:step>/", views.request_step, name="request-step"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("code/", views.email_code, name="code"),
    path("sharing/", views.sharing, name="sharing"),
    path("cases/<int:case_id>/", views.case, name="case"),
    path("cases/<int:case_id>/views/", views.views_choose, name="views"),
    path("cases/<int:case_id>/views/<slug:kind>/", views.views_edit, name="views-edit"),
    path("cases/<int:case_id>/views/<slug:kind>/files/", views.views_upload, name="views-upload"),
    path(
        "cases/<int:case_id>/reviews/<int:review_id>/views/",
        views.views_choose,
        name="review-views",
    ),
    path(
        "cases/<int:case_id>/reviews/<int:review_id>/views/<slug:kind>/",
        views.views_edit,
        name="review-views-edit",
    ),
    path(
        "cases/<int:case_id>/reviews/<int:review_id>/views/<slug:kind>/files/",
        views.views_upload,
        name="review-views-upload",
    ),
    path("cases/<int:case_id>/draft-plan/", views.draft, name="draft"),
    path("cases/<int:case_id>/plan/", views.plan, name="plan"),
    path(
        "cases/<int:case_id>/plan/versions/<int:number>/",
        views.plan_version,
        name="plan-version",
    ),
    path(
        "cases/<int:case_id>/plan/versions/<int:number>/pdf/",
        views.plan_version_pdf,
        name="plan-version-pdf",
    ),
    path(
        "cases/<int:case_id>/advice/<int:advice_id>/",
        views.advice_report,
        name="advice-report",
    ),
    path("cases/<int:case_id>/message/", views.message, name="message"),
    path("cases/<int:case_id>/documents/<int:document_id>/", views.document, name="document"),
    path("invite/<int:child_id>/", views.invite, name="invite"),
    path("share/<int:case_id>/<int:document_id>/", views.share, name="share"),
    path("answered/<int:case_id>/", views.answered, name="answered"),
    path("support/<int:plan_id>/", views.support_plan, name="support-plan"),
    path(
        "support/<int:plan_id>/request/",
        views.request_from_support_plan,
        name="support-plan-request",
    ),
]
