from django.urls import path

from everychild.casework import views

app_name = "casework"
urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("search/", views.search, name="search"),
    path("new/", views.new_request, name="new"),
    path("team/", views.team, name="team"),
    path("team/breach-risk/", views.breach_risk, name="breach-risk"),
    path("team/reallocate/", views.reallocate, name="reallocate"),
    path("tasks/", views.tasks, name="tasks"),
    path("team/decisions/", views.decision_owners, name="decision-owners"),
    path("panel/", views.panel, name="panel"),
    path("panel/<int:meeting_id>/", views.panel_meeting, name="panel-meeting"),
    path("<int:case_id>/", views.case_detail, name="case"),
    path("<int:case_id>/change/", views.change_request, name="change"),
    path("<int:case_id>/allocate/", views.allocate, name="allocate"),
    path("<int:case_id>/decision/", views.decision, name="decision"),
    path("<int:case_id>/advice/new/", views.advice_new, name="advice-new"),
    path(
        "<int:case_id>/advice/<int:advice_id>/received/",
        views.advice_provided,
        name="advice-provided",
    ),
    path("<int:case_id>/advice/<int:advice_id>/cancel/", views.advice_cancel, name="advice-cancel"),
    path("<int:case_id>/exceptions/new/", views.exception_new, name="exception-new"),
    path(
        "<int:case_id>/coronavirus-easement/",
        views.coronavirus_reason,
        name="coronavirus-reason",
    ),
    path(
        "<int:case_id>/exceptions/<int:exception_id>/end/",
        views.exception_end,
        name="exception-end",
    ),
    path("<int:case_id>/draft-plan/", views.draft, name="draft"),
    path("<int:case_id>/family-agreement/", views.family_agreement, name="family-agreement"),
    path("<int:case_id>/consultations/new/", views.consultation_new, name="consultation-new"),
    path(
        "<int:case_id>/consultations/<int:consultation_id>/answer/",
        views.consultation_answer,
        name="consultation-answer",
    ),
    path("<int:case_id>/final-plan/", views.final_plan, name="final"),
    path("<int:case_id>/issue-decision/", views.issue_decision, name="issue-decision"),
    path("<int:case_id>/not-to-issue/", views.not_to_issue, name="not-to-issue"),
    path("<int:case_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:case_id>/reassess/", views.reassess, name="reassess"),
    path("<int:case_id>/notes/", views.note_add, name="note-add"),
    path("<int:case_id>/documents/", views.document_upload, name="document-upload"),
    path(
        "<int:case_id>/documents/<int:document_id>/",
        views.document_download,
        name="document-download",
    ),
    path("<int:case_id>/letters/", views.letter_create, name="letter-create"),
    path("<int:case_id>/letters/<int:letter_id>/", views.letter_detail, name="letter"),
    path("<int:case_id>/letters/<int:letter_id>/sent/", views.letter_sent, name="letter-sent"),
]
