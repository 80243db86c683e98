"""Reads for a setting's SENCO: the requests for assessment their setting made, and where each
is, on the same statutory clock the caseworker sees (casework/clock.py). A SENCO sees what
their setting sent and the case's legal steps, not the council's case file (its notes, other
agencies' advice, letters): decision 0193. Every read is audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import requesting_setting_ids
from everychild.accounts.models import Organisation
from everychild.casework import clock
from everychild.casework.models import CaseDocument, SchoolRequest
from everychild.core.digits import ascii_digits


@dataclass(slots=True)
class SchoolRequestRow:
    school_request: SchoolRequest
    clock: clock.CaseClock

    @property
    def case(self):
        return self.school_request.assessment_request


def requesting_settings(user) -> QuerySet:
    """The settings the user makes requests for (their SENCO memberships)."""
    return Organisation.objects.filter(pk__in=requesting_setting_ids(user)).order_by("name")


def visible_school_requests(user) -> QuerySet:
    """Selector: the requests made by the user's own settings; none for anyone else."""
    return SchoolRequest.objects.filter(setting_id__in=requesting_setting_ids(user))


def setting_requests(user, *, request=None) -> list[SchoolRequestRow]:
    """The setting's requests, newest first, each with its clock (a constant number of
    queries), audited as one entry per child shown."""
    found = list(
        visible_school_requests(user)
        .select_related(
            "setting",
            "assessment_request",
            "assessment_request__child",
            "assessment_request__area",
        )
        .order_by("-assessment_request__received_on", "-pk")
    )
    clocks = clock.clocks_for([s.assessment_request for s in found])
    rows = [SchoolRequestRow(s, clocks[s.assessment_request_id]) for s in found]
    audit.record_shown(
        user,
        ((row.case.child_id, "casework.AssessmentRequest", str(row.case.pk)) for row in rows),
        request=request,
        detail={"list": "setting_requests"},
    )
    return rows


def school_request_for(user, school_request_id, *, request=None) -> dict:
    """One of the setting's requests with its clock, evidence and documents
    (SchoolRequest.DoesNotExist when it is not the user's setting's), its read audited."""
    if not ascii_digits(school_request_id):
        raise SchoolRequest.DoesNotExist
    school_request = (
        visible_school_requests(user)
        .select_related(
            "setting",
            "made_by",
            "assessment_request",
            "assessment_request__child",
            "assessment_request__area",
        )
        .get(pk=school_request_id)
    )
    case = school_request.assessment_request
    audit.record(
        action=AuditAction.VIEW,
        actor=user,
        child=case.child_id,
        record=case,
        request=request,
        detail={"page": "setting_request"},
    )
    case_clock = clock.clock_for(case, today=timezone.localdate())
    return {
        "school_request": school_request,
        "case": case,
        "clock": case_clock,
        "milestones": case_clock.milestones,
        "evidence": list(school_request.evidence.all()),
        "documents": list(
            case.documents.filter(kind=CaseDocument.Kind.UPLOAD, uploaded_by__isnull=False).filter(
                uploaded_by_id=school_request.made_by_id
            )
        ),
    }


def school_request_of(case) -> SchoolRequest | None:
    """What a school sent with this request, for the caseworker's case page (None if the
    request did not come through the school's form)."""
    return (
        SchoolRequest.objects.filter(assessment_request=case)
        .select_related("setting", "made_by")
        .prefetch_related("evidence")
        .first()
    )
