"""Writes to EHC plans: drafting the sections, issuing versions, reviews, phase transfers,
ceasing and disagreements.

As in casework: keyword-only arguments; the actor's right checked first (PermissionDenied);
bad input refused with a ValidationError naming the field and saying what to fix, before
anything is written; every write in one transaction with its audit entry. A draft carries a
`lock_version` (optimistic locking, as a case's `version`): a change made from a stale page is
refused with `DraftChanged`. An issued version is never changed (IssuedVersionError)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import (
    LA_CHILD_ROLES,
    LA_EDIT_ROLES,
    Action,
    la_area_ids,
    may,
    roles,
    visible_reviewable_plans,
)
from everychild.accounts.models import Organisation, Role
from everychild.children.codes import NeedType
from everychild.core.wording import long_date as _long
from everychild.core.wording import refuse as _refuse
from everychild.plans import quality
from everychild.plans.advice import advice_for_section_k, family_views_for_section_a
from everychild.plans.models import (
    AnnualReview,
    CeaseReason,
    Disagreement,
    EHCPlan,
    IssuedVersionError,
    PhaseTransfer,
    PlanCessation,
    PlanDocument,
    PlanVersion,
    ReviewDecision,
    SettingCode,
    TribunalOrder,
)
from everychild.plans.sections import (
    ITEM_LIST,
    NEED_SECTIONS,
    PROVISION_SECTIONS,
    empty_sections,
    next_id,
    normalised,
)
from everychild.statutory import reviews as review_rules

SEND_REGULATIONS_IN_FORCE = dt.date(2014, 9, 1)
MAX_TEXT = 5000


class DraftChanged(Exception):
    """The draft changed since the caller read it."""

    code = "draft_changed"

    def __init__(self, draft: PlanVersion):
        self.current_version = draft.lock_version
        super().__init__(
            "This draft changed since you opened it: someone else saved a change first. "
            "Nothing you entered has been saved. Look at the draft as it is now, then save again."
        )


def today() -> dt.date:
    return timezone.localdate()


def _date(field: str, day, what: str, *, not_before=(), future_allowed=False) -> dt.date:
    if day is None:
        _refuse(field, f"Enter {what}.", "required")
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        _refuse(field, f"Enter {what} as a real date, like 27/3/2025.", "invalid_date")
    if not future_allowed and day > today():
        _refuse(field, f"{what[0].upper()}{what[1:]} cannot be in the future.", "future")
    if day < SEND_REGULATIONS_IN_FORCE:
        _refuse(field, f"{what[0].upper()}{what[1:]} cannot be before 1 September 2014.")
    for earlier, label in not_before:
        if earlier is not None and day < earlier:
            _refuse(
                field,
                f"{what[0].upper()}{what[1:]} must be on or after {label} ({_long(earlier)}).",
                "out_of_order",
            )
    return day


def _text(field: str, value, what: str, *, required=True, max_length=MAX_TEXT) -> str:
    if value is not None and not isinstance(value, str):
        _refuse(field, f"Enter {what} as text.")
    text = (value or "").strip()
    if required and not text:
        _refuse(field, f"Enter {what}.", "required")
    if len(text) > max_length:
        _refuse(field, f"{what[0].upper()}{what[1:]} must be {max_length} characters or fewer.")
    return text


def _audit(actor, child_id, record, action=AuditAction.UPDATE, request=None, **detail):
    audit.record(
        action=action, actor=actor, child=child_id, record=record, request=request, detail=detail
    )


# --- Who may do what -------------------------------------------------------------------------


def _may_write_plans(actor, area_id: int) -> None:
    if area_id not in la_area_ids(actor, LA_EDIT_ROLES):
        raise PermissionDenied("Only the area's caseworkers and team managers can write plans.")


def _may_decide_reviews(actor, area_id: int) -> None:
    if area_id not in la_area_ids(actor, LA_CHILD_ROLES):
        raise PermissionDenied("Only the local authority's SEND team can decide after a review.")


def _may_record_review(actor, plan: EHCPlan) -> None:
    if not visible_reviewable_plans(actor).filter(pk=plan.pk).exists():
        raise PermissionDenied("You cannot record reviews for this plan.")


# --- Drafts ------------------------------------------------------------------------------------


def _locked_draft(draft: PlanVersion, lock_version: int | None) -> PlanVersion:
    current = (
        # Lock the version's row only: PostgreSQL refuses FOR UPDATE on the nullable side of
        # the outer joins select_related makes (a document may have no plan or case yet).
        PlanVersion.objects.select_for_update(of=("self",))
        .select_related("document", "document__plan", "document__assessment_request")
        .get(pk=draft.pk)
    )
    if current.is_issued:
        raise IssuedVersionError(
            f"Version {current.number} was issued on {_long(current.issued_on)}: an issued "
            "version can never be edited. Start an amendment to change the plan."
        )
    if lock_version is not None and current.lock_version != lock_version:
        raise DraftChanged(current)
    return current


def _save_draft(draft: PlanVersion, actor, request, step: str) -> PlanVersion:
    draft.lock_version += 1
    report = quality.check(draft.sections)
    draft.quality = report.to_json()
    draft.quality_score = report.score
    draft.save(update_fields=["sections", "lock_version", "quality", "quality_score", "updated_at"])
    _audit(actor, draft.document.child_id, draft, request=request, step=step)
    return draft


def draft_for_case(*, actor, case, request=None) -> PlanVersion:
    """The draft plan for an assessment: made on first use (section K from the advice received,
    section I from the child's current setting), returned as it is afterwards."""
    _may_write_plans(actor, case.area_id)
    with transaction.atomic():
        document, _ = PlanDocument.objects.get_or_create(
            assessment_request=case, defaults={"area_id": case.area_id, "child_id": case.child_id}
        )
        draft = document.versions.filter(status=PlanVersion.Status.DRAFT).first()
        if draft is not None:
            return draft
        if document.versions.exists():
            _refuse("__all__", "This plan has been issued: start an amendment to change it.")
        sections = empty_sections()
        sections["K"]["advice"] = advice_for_section_k(case)
        sections["A"]["text"] = family_views_for_section_a(case)
        setting = case.child.current_setting
        if setting is not None:
            _fill_placement(sections, setting=setting, setting_code="", setting_type="")
        report = quality.check(sections)
        draft = PlanVersion.objects.create(
            document=document,
            number=1,
            reason=PlanVersion.Reason.NEW_PLAN,
            sections=sections,
            quality=report.to_json(),
            quality_score=report.score,
        )
        _audit(actor, case.child_id, draft, AuditAction.CREATE, request, step="draft_started")
    return draft


def start_amendment(*, actor, plan: EHCPlan, reason: str, request=None) -> PlanVersion:
    """A new draft version copied from the plan's latest issued version (reg 22)."""
    _may_write_plans(actor, plan.area_id)
    if reason not in PlanVersion.Reason.values or reason in ("new", "historical"):
        _refuse("reason", "Choose why the plan is being amended.", "unknown_code")
    if plan.ceased_on is not None:
        _refuse("__all__", "This plan has ceased: it cannot be amended.", "ceased")
    with transaction.atomic():
        document = _document_for_plan(plan)
        existing = document.versions.filter(status=PlanVersion.Status.DRAFT).first()
        if existing is not None:
            return existing
        latest = document.versions.order_by("-number").first()
        sections = normalised(latest.sections if latest else None)
        report = quality.check(sections)
        draft = PlanVersion.objects.create(
            document=document,
            number=(latest.number + 1) if latest else 1,
            reason=reason,
            sections=sections,
            quality=report.to_json(),
            quality_score=report.score,
        )
        _audit(actor, plan.child_id, draft, AuditAction.CREATE, request, step="amendment_started")
    return draft


def _document_for_plan(plan: EHCPlan) -> PlanDocument:
    document = PlanDocument.objects.filter(plan=plan).first()
    if document is None and plan.assessment_request_id:
        document = PlanDocument.objects.filter(
            assessment_request_id=plan.assessment_request_id
        ).first()
        if document is not None:
            document.plan = plan
            document.save(update_fields=["plan"])
    if document is None:
        document = PlanDocument.objects.create(
            area_id=plan.area_id,
            child_id=plan.child_id,
            plan=plan,
            assessment_request_id=plan.assessment_request_id,
        )
    return document


def set_section_a(
    *, actor, draft: PlanVersion, text: str, lock_version: int | None = None, request=None
) -> PlanVersion:
    """Section A: the views, interests and aspirations of the child and family. The LA's
    caseworkers write it; the family, who may see the child, may write it themselves."""
    child = draft.document.child
    family = bool(roles(actor) & {Role.PARENT, Role.YOUNG_PERSON}) and may(
        actor, Action.VIEW_CHILD, child
    )
    if not family:
        _may_write_plans(actor, draft.document.area_id)
    value = _text("text", text, "the views, interests and aspirations", max_length=20000)
    with transaction.atomic():
        draft = _locked_draft(draft, lock_version)
        sections = normalised(draft.sections)
        sections["A"]["text"] = value
        draft.sections = sections
        return _save_draft(draft, actor, request, "section_a")


def set_need_types(
    *,
    actor,
    draft: PlanVersion,
    primary_need: str,
    secondary_need: str = "",
    lock_version: int | None = None,
    request=None,
) -> PlanVersion:
    """Section B's primary and secondary type of need (the SEN2 list)."""
    _may_write_plans(actor, draft.document.area_id)
    if primary_need not in NeedType.values:
        _refuse("primary_need", "Choose the primary type of need.", "unknown_code")
    if secondary_need and secondary_need not in NeedType.values:
        _refuse("secondary_need", "Choose a secondary type of need from the list.", "unknown_code")
    if secondary_need == primary_need:
        _refuse("secondary_need", "The secondary need must differ from the primary need.")
    with transaction.atomic():
        draft = _locked_draft(draft, lock_version)
        sections = normalised(draft.sections)
        sections["B"]["primary_need"] = primary_need
        sections["B"]["secondary_need"] = secondary_need or ""
        draft.sections = sections
        return _save_draft(draft, actor, request, "need_types")


def add_need(
    *, actor, draft: PlanVersion, section: str, text: str, lock_version=None, request=None
) -> PlanVersion:
    """A need in section B (educational), C (health) or D (social care)."""
    _may_write_plans(actor, draft.document.area_id)
    if section not in NEED_SECTIONS:
        _refuse("section", "Needs go in section B, C or D.")
    value = _text("text", text, "the need")
    with transaction.atomic():
        draft = _locked_draft(draft, lock_version)
        sections = normalised(draft.sections)
        sections[section]["needs"].append({"id": next_id(sections, section), "text": value})
        draft.sections = sections
        return _save_draft(draft, actor, request, f"need_{section}")


def add_outcome(
    *,
    actor,
    draft: PlanVersion,
    text: str,
    needs: list[str],
    by_when: dt.date | None,
    measured_by: str,
    lock_version=None,
    request=None,
) -> PlanVersion:
    """An outcome in section E. Which needs it answers, by when and how it will be measured
    are asked for; if left out, the quality check says so before issue."""
    _may_write_plans(actor, draft.document.area_id)
    value = _text("text", text, "the outcome")
    measured = _text("measured_by", measured_by, "how it will be measured", required=False)
    if by_when is not None and (not isinstance(by_when, dt.date) or by_when < today()):
        _refuse("by_when", "The date an outcome is to be reached by must be in the future.")
    with transaction.atomic():
        draft = _locked_draft(draft, lock_version)
        sections = normalised(draft.sections)
        known = {n["id"] for key in NEED_SECTIONS for n in sections[key]["needs"]}
        unknown = [n for n in needs or [] if n not in known]
        if unknown:
            _refuse("needs", "Choose needs from sections B, C and D of this plan.")
        sections["E"]["outcomes"].append(
            {
                "id": next_id(sections, "E"),
                "text": value,
                "needs": list(needs or []),
                "by_when": by_when.isoformat() if by_when else "",
                "measured_by": measured,
            }
        )
        draft.sections = sections
        return _save_draft(draft, actor, request, "outcome")


def add_provision(
    *,
    actor,
    draft: PlanVersion,
    section: str,
    what: str,
    how_often: str,
    how_long: str,
    by_whom: str,
    qualification: str,
    outcomes: list[str],
    lock_version=None,
    request=None,
) -> PlanVersion:
    """A line of provision in F (special educational), G (health), H1 or H2 (social care)."""
    _may_write_plans(actor, draft.document.area_id)
    if section not in PROVISION_SECTIONS:
        _refuse("section", "Provision goes in section F, G, H1 or H2.")
    line = {"what": _text("what", what, "what the provision is")}
    for field, value, label in (
        ("how_often", how_often, "how often"),
        ("how_long", how_long, "for how long"),
        ("by_whom", by_whom, "who provides it"),
        ("qualification", qualification, "their qualification"),
    ):
        line[field] = _text(field, value, label, required=False, max_length=500)
    with transaction.atomic():
        draft = _locked_draft(draft, lock_version)
        sections = normalised(draft.sections)
        known = {o["id"] for o in sections["E"]["outcomes"]}
        if any(o not in known for o in outcomes or []):
            _refuse("outcomes", "Choose outcomes from section E of this plan.")
        sections[section]["provision"].append(
            {"id": next_id(sections, section), **line, "outcomes": list(outcomes or [])}
        )
        draft.sections = sections
        return _save_draft(draft, actor, request, f"provision_{section}")


def remove_item(
    *, actor, draft: PlanVersion, section: str, item_id: str, lock_version=None, request=None
) -> PlanVersion:
    """Take an item out of the draft, and any links to it."""
    _may_write_plans(actor, draft.document.area_id)
    if section not in ITEM_LIST or section == "K":
        _refuse("section", "That section has no items to remove.")
    with transaction.atomic():
        draft = _locked_draft(draft, lock_version)
        sections = normalised(draft.sections)
        items = sections[section][ITEM_LIST[section]]
        kept = [item for item in items if item.get("id") != item_id]
        if len(kept) == len(items):
            _refuse("item", "That item is not in this draft (it may have been removed already).")
        sections[section][ITEM_LIST[section]] = kept
        for outcome in sections["E"]["outcomes"]:
            outcome["needs"] = [n for n in outcome.get("needs", []) if n != item_id]
        for key in PROVISION_SECTIONS:
            for line in sections[key]["provision"]:
                line["outcomes"] = [o for o in line.get("outcomes", []) if o != item_id]
        draft.sections = sections
        return _save_draft(draft, actor, request, f"removed_{section}")


def _fill_placement(sections, *, setting, setting_code, setting_type) -> None:
    sections["I"] = {
        "setting_id": setting.pk if setting else None,
        "setting_name": setting.name if setting else "",
        "urn": (setting.urn if setting else "") or "",
        "ukprn": (setting.ukprn if setting else "") or "",
        "setting_code": setting_code or "",
        "setting_type": setting_type
        or (setting.get_setting_type_display() if setting and setting.setting_type else ""),
    }


def set_placement(
    *,
    actor,
    draft: PlanVersion,
    setting: Organisation | None,
    setting_code: str = "",
    setting_type: str = "",
    lock_version=None,
    request=None,
) -> PlanVersion:
    """Section I: the school or setting by name (its URN or UKPRN come with it), or an SEN2
    setting code where there is none (home education, other arrangements)."""
    _may_write_plans(actor, draft.document.area_id)
    if setting is None and not setting_code:
        _refuse("setting", "Choose the school or setting, or an SEN2 setting code.", "required")
    if setting is not None and (not setting.is_setting or not setting.is_active):
        _refuse("setting", "Choose a school, college or early years setting.", "not_a_setting")
    if setting_code and setting_code not in SettingCode.values:
        _refuse("setting_code", "Choose a setting code from the list.", "unknown_code")
    kind = _text(
        "setting_type", setting_type, "the type of setting", required=False, max_length=200
    )
    with transaction.atomic():
        draft = _locked_draft(draft, lock_version)
        sections = normalised(draft.sections)
        _fill_placement(sections, setting=setting, setting_code=setting_code, setting_type=kind)
        draft.sections = sections
        return _save_draft(draft, actor, request, "placement")


def set_personal_budget(
    *,
    actor,
    draft: PlanVersion,
    requested: bool,
    text: str,
    amount: str,
    lock_version=None,
    request=None,
) -> PlanVersion:
    """Section J: the personal budget, if one was asked for (reg 11; Code 9.95-9.124)."""
    _may_write_plans(actor, draft.document.area_id)
    details = _text("text", text, "what the budget is for", required=bool(requested))
    money = _text("amount", amount, "the amount", required=False, max_length=100)
    with transaction.atomic():
        draft = _locked_draft(draft, lock_version)
        sections = normalised(draft.sections)
        sections["J"] = {"requested": bool(requested), "text": details, "amount": money}
        draft.sections = sections
        return _save_draft(draft, actor, request, "personal_budget")


def refresh_advice(*, actor, draft: PlanVersion, request=None) -> PlanVersion:
    """Section K again from the advice received (it is also refreshed on issue)."""
    _may_write_plans(actor, draft.document.area_id)
    with transaction.atomic():
        draft = _locked_draft(draft, None)
        sections = normalised(draft.sections)
        sections["K"]["advice"] = advice_for_section_k(draft.document.assessment_request)
        draft.sections = sections
        return _save_draft(draft, actor, request, "section_k")


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


def issue_new_plan(*, actor, case, issued_on: dt.date, request=None) -> EHCPlan:
    """The first final version of a new plan and the EHCPlan record. Called by casework's
    `issue_final_plan` inside its transaction, after its own checks of the legal clock."""
    _may_write_plans(actor, case.area_id)
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


# --- Annual reviews ----------------------------------------------------------------------------


def six_monthly_under_5(area_id: int) -> bool:
    from everychild.plans.models import AreaPlanSettings

    return AreaPlanSettings.objects.filter(
        area_id=area_id, six_monthly_reviews_under_5=True
    ).exists()


def next_review_due(plan: EHCPlan, *, six_monthly: bool | None = None) -> dt.date:
    """From the statutory engine: 12 months (6 for under-5s where the area chose it) from the
    last review meeting or the plan's issue."""
    if six_monthly is None:
        six_monthly = six_monthly_under_5(plan.area_id)
    return review_rules.next_review_due(
        plan.last_review_meeting_on or plan.issued_on,
        born=plan.child.date_of_birth,
        six_monthly_under_5=six_monthly,
        count_start_as_day_one=plan.area.count_start_as_day_one,
    )


def _open_review(plan: EHCPlan) -> AnnualReview | None:
    return plan.reviews.select_for_update().filter(decision="").order_by("-due_on", "-pk").first()


def record_review_meeting(
    *,
    actor,
    plan: EHCPlan,
    meeting_on: dt.date,
    invitations_sent_on: dt.date | None,
    advice_circulated_on: dt.date | None,
    attendees: str,
    views_summary: str,
    progress_summary: str,
    recommendation: str,
    recommended_changes: str = "",
    report_sent_on: dt.date | None = None,
    request=None,
) -> AnnualReview:
    """The review meeting, as the setting's SENCO or the LA records it (regs 20-21)."""
    _may_record_review(actor, plan)
    if plan.ceased_on is not None:
        _refuse("meeting_on", "This plan has ceased: it is no longer reviewed.", "ceased")
    meeting = _date(
        "meeting_on",
        meeting_on,
        "the date of the review meeting",
        not_before=(
            (plan.issued_on, "the plan's issue"),
            (plan.last_review_meeting_on, "the last review meeting"),
        ),
    )
    if plan.last_review_meeting_on == meeting:
        _refuse("meeting_on", "A review meeting on that date is already recorded.", "duplicate")
    invited = (
        _date(
            "invitations_sent_on",
            invitations_sent_on,
            "the date invitations were sent",
            not_before=((plan.issued_on, "the plan's issue"),),
        )
        if invitations_sent_on
        else None
    )
    if invited and invited > meeting:
        _refuse("invitations_sent_on", "Invitations must be sent before the meeting.")
    circulated = (
        _date(
            "advice_circulated_on",
            advice_circulated_on,
            "the date advice was circulated",
            not_before=((plan.issued_on, "the plan's issue"),),
        )
        if advice_circulated_on
        else None
    )
    if circulated and circulated > meeting:
        _refuse("advice_circulated_on", "Advice must be circulated before the meeting.")
    report = (
        _date(
            "report_sent_on",
            report_sent_on,
            "the date the report was sent",
            not_before=((meeting, "the meeting"),),
        )
        if report_sent_on
        else None
    )
    if recommendation not in ReviewDecision.values:
        _refuse("recommendation", "Choose what the meeting recommends.", "required")
    who = _text("attendees", attendees, "who attended")
    views = _text("views_summary", views_summary, "the child's and family's views")
    progress = _text("progress_summary", progress_summary, "progress towards the outcomes")
    changes = _text(
        "recommended_changes",
        recommended_changes,
        "the changes recommended",
        required=recommendation == ReviewDecision.AMEND,
    )
    with transaction.atomic():
        locked = EHCPlan.objects.select_for_update().select_related("child", "area").get(pk=plan.pk)
        review = _open_review(locked)
        due = next_review_due(locked)
        if review is None or review.meeting_on is not None:
            review = AnnualReview(plan=locked, due_on=due)
        review.meeting_on = meeting
        review.invitations_sent_on = invited
        review.advice_circulated_on = circulated
        review.attendees, review.views_summary, review.progress_summary = who, views, progress
        review.recommendation, review.recommended_changes = recommendation, changes
        review.report_sent_on = report
        review.meeting_recorded_by = actor
        review.version += 1
        review.save()
        locked.last_review_meeting_on = meeting
        locked.save(update_fields=["last_review_meeting_on"])
        _audit(actor, locked.child_id, review, AuditAction.CREATE, request, step="review_meeting")
    return review


def decide_after_review(
    *,
    actor,
    review: AnnualReview,
    decision: str,
    decided_on: dt.date,
    reasons: str,
    version: int | None = None,
    request=None,
) -> AnnualReview:
    """The LA's decision after the review meeting: keep, amend or cease (reg 20(10), within 4
    weeks of the meeting). Amending starts the amendment draft."""
    plan = review.plan
    _may_decide_reviews(actor, plan.area_id)
    if decision not in ReviewDecision.values:
        _refuse("decision", "Choose whether to keep, amend or cease the plan.", "required")
    why = _text("reasons", reasons, "the reasons for the decision")
    with transaction.atomic():
        review = AnnualReview.objects.select_for_update().select_related("plan").get(pk=review.pk)
        if version is not None and review.version != version:
            _refuse(
                "version",
                "This review changed since you opened it: open it again.",
                "review_changed",
            )
        if review.meeting_on is None:
            _refuse("decision", "Record the review meeting first.", "no_meeting")
        if review.decision:
            _refuse(
                "decision",
                f"The decision was already made on {_long(review.decision_on)}.",
                "already_decided",
            )
        review.decision_on = _date(
            "decided_on",
            decided_on,
            "the date of the decision",
            not_before=((review.meeting_on, "the review meeting"),),
        )
        review.decision, review.decision_reasons, review.decided_by = decision, why, actor
        if decision == ReviewDecision.AMEND:
            review.amended_version = start_amendment(
                actor=actor, plan=review.plan, reason=PlanVersion.Reason.REVIEW, request=request
            )
        review.version += 1
        review.save()
        _audit(actor, review.plan.child_id, review, request=request, step=f"review_{decision}")
    return review


def send_proposed_amendments(
    *, actor, review: AnnualReview, sent_on: dt.date, request=None
) -> AnnualReview:
    """The proposed amendments sent to the family: their 15 days begin (reg 22(2)(c)) and the
    amended plan is due within 8 weeks (reg 22(3))."""
    _may_write_plans(actor, review.plan.area_id)
    with transaction.atomic():
        review = AnnualReview.objects.select_for_update().select_related("plan").get(pk=review.pk)
        if review.decision != ReviewDecision.AMEND:
            _refuse("sent_on", "Only a decision to amend sends proposed amendments.")
        if review.amendments_sent_on:
            _refuse("sent_on", f"They were sent on {_long(review.amendments_sent_on)}.")
        review.amendments_sent_on = _date(
            "sent_on",
            sent_on,
            "the date the proposed amendments were sent",
            not_before=((review.decision_on, "the decision"),),
        )
        review.version += 1
        review.save(update_fields=["amendments_sent_on", "version"])
        _audit(actor, review.plan.child_id, review, request=request, step="amendments_sent")
    return review


# --- Phase transfers, ceasing --------------------------------------------------------------------


def record_phase_transfer(
    *,
    actor,
    plan: EHCPlan,
    year: int,
    kind: str,
    preferred_setting: str = "",
    consulted_on: dt.date | None = None,
    named_setting: Organisation | None = None,
    named_on: dt.date | None = None,
    request=None,
) -> PhaseTransfer:
    """Where a move between phases stands: the family's preference, the consultation, the
    setting named (reg 18(1): the amended plan by 15 February or 31 March)."""
    _may_write_plans(actor, plan.area_id)
    if kind not in PhaseTransfer.Kind.values:
        _refuse("kind", "Choose the kind of move.", "unknown_code")
    if named_setting is not None and not named_on:
        _refuse("named_on", "Enter the date the setting was named.", "required")
    with transaction.atomic():
        item, _ = PhaseTransfer.objects.select_for_update().get_or_create(
            plan=plan, year=year, defaults={"kind": kind}
        )
        item.kind = kind
        item.preferred_setting = _text(
            "preferred_setting",
            preferred_setting,
            "the preferred setting",
            required=False,
            max_length=200,
        )
        if consulted_on:
            item.consulted_on = _date("consulted_on", consulted_on, "the consultation date")
        if named_setting is not None:
            if not named_setting.is_setting:
                _refuse("named_setting", "Choose a school, college or setting.")
            item.named_setting = named_setting
            item.named_on = _date("named_on", named_on, "the date the setting was named")
        item.save()
        _audit(actor, plan.child_id, item, request=request, step="phase_transfer")
    return item


def cease_plan(
    *,
    actor,
    plan: EHCPlan,
    reason: str,
    decided_on: dt.date,
    notice_sent_on: dt.date,
    ceases_on: dt.date,
    explanation: str,
    transferred_to: str = "",
    request=None,
) -> PlanCessation:
    """Cease to maintain the plan (CFA 2014 s.45; regs 29-31) for an SEN2 reason 1-9, with
    notice to the family of their right to appeal. Reason 5: the LA the child moved to."""
    _may_write_plans(actor, plan.area_id)
    if reason not in CeaseReason.values:
        _refuse("reason", "Choose the reason the plan ceases (SEN2 reasons 1 to 9).", "required")
    why = _text("explanation", explanation, "the explanation given to the family")
    moved_to = _text(
        "transferred_to",
        transferred_to,
        "the local authority the child moved to",
        required=reason == CeaseReason.TRANSFERRED,
        max_length=200,
    )
    decided = _date(
        "decided_on",
        decided_on,
        "the date of the decision",
        not_before=((plan.issued_on, "the plan's issue"),),
    )
    notice = _date(
        "notice_sent_on",
        notice_sent_on,
        "the date notice was sent",
        not_before=((decided, "the decision"),),
    )
    ends = _date(
        "ceases_on",
        ceases_on,
        "the date the plan ceases",
        future_allowed=True,
        not_before=((notice, "the notice"),),
    )
    with transaction.atomic():
        locked = EHCPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.ceased_on is not None:
            _refuse("reason", f"This plan already ceased on {_long(locked.ceased_on)}.")
        cessation = PlanCessation.objects.create(
            plan=locked,
            reason=reason,
            decided_on=decided,
            notice_sent_on=notice,
            ceases_on=ends,
            transferred_to=moved_to,
            explanation=why,
            decided_by=actor,
        )
        locked.ceased_on, locked.cease_reason = ends, reason
        locked.save(update_fields=["ceased_on", "cease_reason"])
        _audit(actor, locked.child_id, cessation, AuditAction.CREATE, request, step="ceased")
    return cessation


# --- Disagreements -----------------------------------------------------------------------------

DISAGREEMENT_DATES = (
    ("mediation_adviser_contacted_on", "the date the family contacted the mediation adviser"),
    ("mediation_certificate_on", "the date of the mediation certificate"),
    ("mediation_wanted_la_told_on", "the date the LA was told the family wants mediation"),
    ("mediation_held_on", "the date of the mediation"),
    ("appeal_registered_on", "the date the appeal was registered"),
    ("conceded_on", "the date the LA told the Tribunal it would not oppose"),
    ("outcome_on", "the date of the outcome"),
)


def record_disagreement(
    *, actor, plan: EHCPlan, decision_disputed: str, decision_letter_on: dt.date, request=None
) -> Disagreement:
    _may_write_plans(actor, plan.area_id)
    what = _text(
        "decision_disputed", decision_disputed, "the decision disagreed with", max_length=200
    )
    letter = _date("decision_letter_on", decision_letter_on, "the date of the decision letter")
    with transaction.atomic():
        item = Disagreement.objects.create(
            area_id=plan.area_id,
            child_id=plan.child_id,
            plan=plan,
            decision_disputed=what,
            decision_letter_on=letter,
        )
        _audit(actor, plan.child_id, item, AuditAction.CREATE, request, step="disagreement")
    return item


def update_disagreement(
    *,
    actor,
    disagreement: Disagreement,
    outcome: str = "",
    notes: str = "",
    request=None,
    **dates,
) -> Disagreement:
    """Mediation, the appeal, a concession (reg 45) and the outcome, as they happen."""
    _may_write_plans(actor, disagreement.area_id)
    unknown = set(dates) - {name for name, _ in DISAGREEMENT_DATES}
    if unknown:
        raise TypeError(f"unknown dates {sorted(unknown)}")
    if outcome and outcome not in Disagreement.Outcome.values:
        _refuse("outcome", "Choose the outcome from the list.", "unknown_code")
    with transaction.atomic():
        item = Disagreement.objects.select_for_update().get(pk=disagreement.pk)
        for name, what in DISAGREEMENT_DATES:
            value = dates.get(name)
            if value:
                setattr(
                    item,
                    name,
                    _date(
                        name,
                        value,
                        what,
                        not_before=((item.decision_letter_on, "the decision letter"),),
                    ),
                )
        if outcome:
            if not item.outcome_on:
                _refuse("outcome_on", "Enter the date of the outcome.", "required")
            item.outcome = outcome
        if outcome == Disagreement.Outcome.CONCEDED and not item.conceded_on:
            _refuse("conceded_on", "Enter the date the LA told the Tribunal.", "required")
        if notes:
            item.notes = _text("notes", notes, "notes")
        item.save()
        _audit(actor, item.child_id, item, request=request, step="disagreement_updated")
    return item


def record_tribunal_order(
    *, actor, disagreement: Disagreement, kind: str, ordered_on: dt.date, request=None
) -> TribunalOrder:
    """An order of the Tribunal, or what the LA conceded (reg 45: counted from its notice)."""
    _may_write_plans(actor, disagreement.area_id)
    if kind not in TribunalOrder.Kind.values:
        _refuse("kind", "Choose what the Tribunal ordered.", "unknown_code")
    day = _date(
        "ordered_on",
        ordered_on,
        "the date of the order",
        not_before=((disagreement.decision_letter_on, "the decision letter"),),
    )
    with transaction.atomic():
        order = TribunalOrder.objects.create(disagreement=disagreement, kind=kind, ordered_on=day)
        _audit(actor, disagreement.child_id, order, AuditAction.CREATE, request, step="order")
    return order


def record_order_complied(
    *, actor, order: TribunalOrder, complied_on: dt.date, request=None
) -> TribunalOrder:
    _may_write_plans(actor, order.disagreement.area_id)
    with transaction.atomic():
        order = (
            TribunalOrder.objects.select_for_update()
            .select_related("disagreement")
            .get(pk=order.pk)
        )
        order.complied_on = _date(
            "complied_on",
            complied_on,
            "the date the order was met",
            not_before=((order.ordered_on, "the order"),),
        )
        order.save(update_fields=["complied_on"])
        _audit(actor, order.disagreement.child_id, order, request=request, step="order_complied")
    return order
