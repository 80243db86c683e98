"""Issuing a plan version: the first final plan and amendments (reg 13-14, 22)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from everychild.access.models import AuditAction
from everychild.accounts.models import Organisation
from everychild.casework.models import AssessmentRequest
from everychild.casework.services import record_final_plan_issued
from everychild.core.wording import long_date as _long
from everychild.core.wording import refuse as _refuse
from everychild.plans import quality
from everychild.plans.contributions import advice_for_section_k
from everychild.plans.models import (
    AnnualReview,
    EHCPlan,
    PlanDocument,
    PlanVersion,
)
from everychild.plans.sections import (
    normalised,
)
from everychild.plans.services.pdfs import request_pdf
from everychild.plans.services.steps import (
    _audit,
    _date,
    _locked_draft,
    _may_write_plans,
)
from everychild.statutory import reviews as review_rules

# --- Issuing -----------------------------------------------------------------------------------


def _freeze(draft: PlanVersion, *, actor, issued_on: dt.date, field: str) -> quality.QualityReport:
    sections = normalised(draft.sections)
    if draft.document.assessment_request_id and draft.reason == PlanVersion.Reason.NEW_PLAN:
        sections["K"]["advice"] = advice_for_section_k(draft.document.assessment_request)
    report = quality.check(sections)
    if not report.may_issue:
        reasons = " ".join(f.message for f in report.blocking)
        _refuse(field, f"The plan cannot be issued yet. {reasons}", "plan_incomplete")
    # The only change a draft may have on issue: from draft to final, with the check recorded.
    PlanVersion.objects.filter(pk=draft.pk, status=PlanVersion.Status.DRAFT).update(
        sections=sections,
        status=PlanVersion.Status.FINAL,
        issued_on=issued_on,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        quality=report.to_json(),
        quality_score=report.score,
        lock_version=draft.lock_version + 1,
    )
    draft.refresh_from_db()
    # Its PDF is made now, in the background, and kept: the family's and the API's downloads
    # are then served at once (decision 0246). Rolled back with the issue if that fails.
    request_pdf(actor=actor if getattr(actor, "is_authenticated", False) else None, version=draft)
    return report


def _plan_fields(sections: dict) -> dict:
    b, i = sections["B"], sections["I"]
    setting = Organisation.objects.filter(pk=i["setting_id"]).first() if i["setting_id"] else None
    return {
        "primary_need": b["primary_need"],
        "secondary_need": b.get("secondary_need") or "",
        "setting": setting,
        "setting_code": i.get("setting_code") or "",
    }


def issue_final_plan(
    *, actor, case: AssessmentRequest, version: int | None, issued_on: dt.date, request=None
) -> AssessmentRequest:
    """Issue the final EHC plan (20 weeks, reg 13(2)) once the family's 15 days on the draft
    have run, or earlier if they agreed. In one transaction: casework takes the case's step
    (its checks of the legal clock, the stage, the chronology), then the plan's draft becomes
    its first final version and the EHCPlan record is made (refused, and nothing written, if
    the draft lacks section B or a placement)."""
    with transaction.atomic():
        case = record_final_plan_issued(
            actor=actor, case=case, version=version, issued_on=issued_on, request=request
        )
        _issue_new_plan(
            actor=actor, case=case, issued_on=case.final_plan_issued_on, request=request
        )
    return case


def _issue_new_plan(*, actor, case: AssessmentRequest, issued_on: dt.date, request=None) -> EHCPlan:
    """The first final version of a new plan and the EHCPlan record. Who may issue it was
    checked by casework's `record_final_plan_issued` in the same transaction: the role the
    area's settings name (decision 0192), who may be a manager or the panel."""
    document = PlanDocument.objects.filter(assessment_request=case).first()
    draft = (
        document.versions.select_for_update().filter(status=PlanVersion.Status.DRAFT).first()
        if document
        else None
    )
    if draft is None:
        _refuse(
            "issued_on",
            "There is no draft plan to issue: write the plan's sections first (Plan on the "
            "case page).",
            "no_plan_draft",
        )
    _freeze(draft, actor=actor, issued_on=issued_on, field="issued_on")
    plan = EHCPlan.objects.create(
        area_id=case.area_id,
        child_id=case.child_id,
        assessment_request=case,
        issued_on=issued_on,
        **_plan_fields(draft.sections),
    )
    document.plan = plan
    document.save(update_fields=["plan"])
    _audit(actor, case.child_id, draft, AuditAction.CREATE, request, step="plan_issued")
    return plan


def issue_amendment(
    *, actor, draft: PlanVersion, issued_on: dt.date, lock_version=None, request=None
) -> PlanVersion:
    """Issue an amended plan: a new final version; the plan's record follows its sections.
    Not inside the family's 15 days on the proposed amendments (reg 22(2)(c))."""
    plan = draft.document.plan
    if plan is None:
        _refuse("issued_on", "Issue a new plan from its case (the final plan step).")
    _may_write_plans(actor, plan.area_id)
    with transaction.atomic():
        draft = _locked_draft(draft, lock_version)
        previous = draft.document.versions.filter(status=PlanVersion.Status.FINAL)
        last = previous.order_by("-number").first()
        issued = _date(
            "issued_on",
            issued_on,
            "the date the amended plan was issued",
            not_before=((last.issued_on if last else None, "the previous version's issue"),),
        )
        review = AnnualReview.objects.filter(amended_version=draft).first()
        if review is not None and review.amendments_sent_on is not None:
            closes = review_rules.amendment_dates(review.amendments_sent_on).comments_close
            if issued <= closes:
                _refuse(
                    "issued_on",
                    f"The family has until {_long(closes)} to comment on the proposed "
                    "amendments (reg 22(2)(c)): issue the amended plan after that.",
                    "comment_window_open",
                )
        _freeze(draft, actor=actor, issued_on=issued, field="issued_on")
        fields = _plan_fields(draft.sections)
        for name, value in fields.items():
            setattr(plan, name, value)
        plan.save(update_fields=list(fields))
        _audit(actor, plan.child_id, draft, request=request, step="amendment_issued")
    return draft
