"""The family's part of the caseworker's task list (casework.worklist): comments on the draft
plan, a request for a meeting, a request for a school or setting to be named, and messages,
each a task until the caseworker marks it answered (FamilyAnswer).

Registered from FamiliesConfig.ready(); reads set-wise (three queries however many cases)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef
from django.urls import reverse

from everychild.casework import clock
from everychild.casework.models import Stage
from everychild.casework.worklist import Scope, Task, child_name
from everychild.families.models import DraftPlanResponse, FamilyAnswer, FamilyMessage

KINDS = {
    "comments": "Family comments to answer",
    "meeting": "Meeting requested",
    "preferred_setting": "Preferred school requested",
    "message": "Family message unanswered",
}

_CASE_FIELDS = (
    "assessment_request_id",
    "assessment_request__reference",
    "assessment_request__child_id",
    "assessment_request__child__first_name",
    "assessment_request__child__last_name",
    "assessment_request__child__preferred_name",
    "assessment_request__caseworker_id",
    "assessment_request__caseworker__full_name",
)


def _task(case_values, kind, **values) -> Task:
    case_id, reference, child_id, first, last, preferred, worker_id, worker = case_values
    return Task(
        kind=kind,
        case_id=case_id,
        child=child_name(first, last, preferred),
        child_id=child_id,
        caseworker_id=worker_id,
        caseworker=worker or "",
        reference=reference,
        **values,
    )


def family_tasks(scope: Scope) -> Iterable[Task]:
    if scope.panel_only:
        return []
    case_ids = scope.cases.order_by().values("pk")
    tasks: list[Task] = []
    answered = set(
        FamilyAnswer.objects.filter(
            assessment_request__in=case_ids, response__isnull=False
        ).values_list("response_id", "subject")
    )
    # Only while the draft is with the family: once the final plan is issued (or the case
    # closed) the comments were either answered in it or are past answering.
    responses = (
        DraftPlanResponse.objects.filter(
            assessment_request__in=case_ids,
            assessment_request__stage=Stage.DRAFT_PLAN,
            sent_at__isnull=False,
        )
        .order_by("sent_at", "pk")
        .values_list(
            "pk",
            "comments",
            "wants_meeting",
            "preferred_setting",
            "sent_at",
            "assessment_request__draft_plan_served_on",
            *_CASE_FIELDS,
        )
    )
    for pk, comments, meeting, setting, sent_at, served_on, *case_values in responses:
        case_id = case_values[0]
        # The comments must be considered before the final plan, due by 20 weeks
        # (reg 13(2)); a meeting asked for is held within the family's 15 days (reg 13(1)(b)).
        legal_date = scope.final_plan_due(case_id)
        closes = clock.comments_close(served_on) if served_on else None
        link = reverse("casework:case", args=[case_id]) + "#family"
        since = sent_at.date()
        if comments and (pk, FamilyAnswer.Subject.COMMENTS) not in answered:
            sections = ", ".join(sorted(comments))
            tasks.append(
                _task(
                    case_values,
                    "comments",
                    legal_date=legal_date,
                    what=f"Answer the family's comments on the draft plan (sections {sections})",
                    link=link,
                    since=since,
                    regulation="13(1)",
                )
            )
        if meeting and (pk, FamilyAnswer.Subject.MEETING) not in answered:
            tasks.append(
                _task(
                    case_values,
                    "meeting",
                    legal_date=legal_date,
                    act_by=closes,
                    what="Arrange the meeting the family asked for about the draft plan",
                    link=link,
                    since=since,
                    regulation="13(1)(b)",
                )
            )
        if setting and (pk, FamilyAnswer.Subject.PREFERRED_SETTING) not in answered:
            tasks.append(
                _task(
                    case_values,
                    "preferred_setting",
                    legal_date=legal_date,
                    what=f"Consult {setting}, the school or setting the family asked for",
                    link=link,
                    since=since,
                    regulation="CFA 2014 s.38(2)(b), s.39",
                )
            )
    messages = (
        FamilyMessage.objects.filter(assessment_request__in=case_ids)
        .filter(~Exists(FamilyAnswer.objects.filter(message=OuterRef("pk"))))
        .order_by("sent_at", "pk")
        .values_list("sent_at", *_CASE_FIELDS)
    )
    for sent_at, *case_values in messages:
        tasks.append(
            _task(
                case_values,
                "message",
                legal_date=None,
                what="Reply to the family's message",
                link=reverse("casework:case", args=[case_values[0]]) + "#family-messages",
                since=sent_at.date(),
            )
        )
    return tasks
