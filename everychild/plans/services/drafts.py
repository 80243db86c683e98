"""Drafting a plan's sections A-K, for a new plan or an amendment."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from everychild.access.models import AuditAction
from everychild.access.policy import (
    Action,
    Capability,
    has_capability,
    may,
)
from everychild.accounts.models import Organisation
from everychild.children.codes import NeedType
from everychild.core.dates import today
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text
from everychild.plans import quality
from everychild.plans.contributions import advice_for_section_k, family_views_for_section_a
from everychild.plans.models import (
    EHCPlan,
    PlanDocument,
    PlanVersion,
    SettingCode,
)
from everychild.plans.sections import (
    ITEM_LIST,
    NEED_SECTIONS,
    PROVISION_SECTIONS,
    empty_sections,
    next_id,
    normalised,
)
from everychild.plans.services.steps import (
    _audit,
    _locked_draft,
    _may_write_plans,
)

# --- Drafts ------------------------------------------------------------------------------------


def _save_draft(draft: PlanVersion, actor, request, step: str, **detail) -> PlanVersion:
    draft.lock_version += 1
    report = quality.check(draft.sections)
    draft.quality = report.to_json()
    draft.quality_score = report.score
    draft.save(update_fields=["sections", "lock_version", "quality", "quality_score", "updated_at"])
    _audit(actor, draft.document.child_id, draft, request=request, step=step, **detail)
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
    family = has_capability(actor, Capability.FAMILY_PORTAL) and may(
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
