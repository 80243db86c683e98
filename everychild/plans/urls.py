from django.urls import path

from everychild.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("reviews/", views.review_backlog, name="reviews"),
    path("reviews/my-pupils/", views.senco_reviews, name="senco-reviews"),
    path("reviews/<int:review_id>/", views.review_detail, name="review"),
    path(
        "reviews/<int:review_id>/amendments-sent/",
        views.amendments_sent,
        name="review-amendments-sent",
    ),
    path(
        "reviews/<int:review_id>/not-amending/",
        views.review_not_amending,
        name="review-not-amending",
    ),
    path("phase-transfers/", views.phase_transfers, name="phase-transfers"),
    path("disagreements/", views.disagreement_list, name="disagreements"),
    path("disagreements/<int:disagreement_id>/", views.disagreement_detail, name="disagreement"),
    path("case/<int:case_id>/", views.case_draft, name="case-draft"),
    path("draft/<int:version_id>/issue/", views.draft_issue, name="draft-issue"),
    path(
        "draft/<int:version_id>/suggestions/",
        views.draft_suggestions,
        name="draft-suggestions",
    ),
    path(
        "draft/<int:version_id>/suggestions/<int:advice_item_id>/edit/",
        views.draft_suggestion_edit,
        name="draft-suggestion-edit",
    ),
    path("draft/<int:version_id>/<str:section>/", views.draft_section, name="draft-section"),
    path(
        "draft/<int:version_id>/<str:section>/<str:item_id>/remove/",
        views.draft_remove,
        name="draft-remove",
    ),
    path("<int:plan_id>/", views.plan_detail, name="plan"),
    path("<int:plan_id>/amend/", views.amend, name="amend"),
    path("<int:plan_id>/amendment/", views.amendment, name="amendment"),
    path("<int:plan_id>/compare/", views.compare, name="compare"),
    path("<int:plan_id>/versions/<int:number>/", views.version_html, name="version"),
    path("<int:plan_id>/versions/<int:number>/pdf", views.version_pdf, name="version-pdf"),
    path(
        "<int:plan_id>/versions/<int:number>/pdf/runs/<int:run_id>/",
        views.version_pdf_run,
        name="version-pdf-run",
    ),
    path(
        "<int:plan_id>/versions/<int:number>/pdf/runs/<int:run_id>.pdf",
        views.version_pdf_file,
        name="version-pdf-file",
    ),
    path("<int:plan_id>/review/", views.review_meeting, name="review-meeting"),
    path("<int:plan_id>/annual-review/", views.annual_review, name="annual-review"),
    path("<int:plan_id>/annual-review/invite/", views.review_invite, name="review-invite"),
    path("<int:plan_id>/annual-review/advice/", views.review_advice, name="review-advice"),
    path(
        "<int:plan_id>/annual-review/circulated/",
        views.review_circulated,
        name="review-circulated",
    ),
    path("<int:plan_id>/annual-review/report/", views.review_report, name="review-report"),
    path("<int:plan_id>/phase-transfer/", views.phase_transfer, name="phase-transfer"),
    path("<int:plan_id>/transfer-in/", views.transfer_in, name="transfer-in"),
    path("<int:plan_id>/post16-move/", views.post16_move, name="post16-move"),
    path("<int:plan_id>/cease/", views.cease, name="cease"),
    path("<int:plan_id>/letters/", views.plan_letter, name="plan-letter"),
    path("<int:plan_id>/disagreements/new/", views.disagreement_new, name="disagreement-new"),
]
