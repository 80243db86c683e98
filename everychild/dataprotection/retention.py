"""Retention (UK GDPR Art. 5(1)(e)): a child's SEND record is kept until their date of birth
plus a number of years set in configuration (31 by default: the IRMS Information Management
Toolkit for Schools keeps SEN files and EHC plans until the child's date of birth + 31 years),
then made anonymous: everything that could identify them, or that someone wrote about them, is
removed; dates, codes and references stay, so the area's statistics and the audit log still add
up.

Which parts of each record are personal is declared below for every model that holds records
about a child (`graph.child_record_models`); a test fails when a model gains free text that is
in neither list, so nothing new escapes the policy."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.casework.models import OPEN_STAGES, AssessmentRequest
from everychild.children.models import Child, FamilyLink
from everychild.core.models import JobRun
from everychild.plans.models import EHCPlan, PlanVersion
from everychild.plans.services.pdfs import remove_draft_pdfs

from .graph import child_record_models, records_of
from .models import Anonymisation

REMOVED = "[Removed under the retention policy]"

# Free text, names, addresses and files: cleared when a record is anonymised.
PERSONAL = {
    "advice.AdviceItem": ["text"],
    "advice.AdviceWork": ["summary", "document", "document_name"],
    "advice.Appointment": ["notes"],
    "casework.AssessmentRequest": [
        "requested_by",
        "reason",
        "decision_reasons",
        "not_to_issue_reasons",
        "decision_to_issue_reasons",
        "withdrawal_reason",
    ],
    "casework.CaseDocument": ["title", "file", "original_name"],
    # What a school sent with its request (decision 0193): who agreed, views, its evidence.
    "casework.SchoolRequest": ["consent_given_by", "family_views", "child_views"],
    "casework.GraduatedApproachStep": ["what", "outcome"],
    "children.BreakGlassGrant": ["reason"],
    # The identifiers a merge filled in (a UPN, an NHS number, a postcode), kept to undo it.
    "children.ChildMerge": ["filled"],
    "casework.CaseException": ["reason"],
    "casework.CaseNote": ["text"],
    "casework.Letter": ["html"],
    "families.DraftPlanResponse": ["comments", "preferred_setting"],
    "families.FamilyMessage": ["body"],
    "families.Invitation": ["full_name", "email"],
    "families.PublicRequest": ["contact_name", "contact_email", "contact_phone", "setting_name"],
    "families.ViewsAttachment": ["file", "original_name"],
    "families.ViewsStatement": ["about", "what_matters", "what_is_hard", "hopes", "how_to_help"],
    "finance.PlacementFee": ["note"],
    "notifications.Message": ["to"],
    "plans.AnnualReview": [
        "attendees",
        "views_summary",
        "progress_summary",
        "recommended_changes",
        "decision_reasons",
        "not_amending_reasons",
    ],
    # Who was invited to a review (a parent's or a professional's name) and their advice.
    "plans.ReviewInvitee": ["name", "advice"],
    "plans.Disagreement": ["decision_disputed", "notes"],
    "plans.MediationAgreement": ["what"],
    "plans.Post16Move": ["moving_to"],
    "plans.TribunalRecommendation": ["recommendation", "answer"],
    "plans.PhaseTransfer": ["preferred_setting"],
    "plans.PlanCessation": ["explanation"],
    "plans.PlanPDF": ["file"],
    # An issued version's contents (the quality check quotes them): PlanVersion allows this
    # one change to an issued version, erasure under the retention policy.
    "plans.PlanVersion": ["sections", "quality"],
    "returns.CarriedPlanItems": ["items", "plan_details", "placement_details"],
    "returns.CarriedRequestItems": ["items"],
    "support.SupportPlan": [
        "end_reason",
        "child_views",
        "family_views",
        "thread",
        "outside_involvement",
    ],
    "support.Consultation": ["question", "answer"],
    "support.SupportContribution": ["child_words", "family_words"],
    "support.SupportCycle": [
        "assessed",
        "planned",
        "done",
        "review_results",
        "review_summary",
    ],
}
# Text that identifies no one (codes, references, our own wording, checksums): kept.
NOT_PERSONAL = {
    "children.ChildMerge": ["moved"],  # the ids of the rows a merge moved
    "advice.AdviceItem": ["amount", "frequency", "delivered_by"],
    "advice.AdviceWork": ["document_type", "document_sha256"],
    "casework.AssessmentRequest": ["reference", "transferred_from"],
    "casework.CaseDocument": ["stored_name", "content_type", "sha256"],
    # What a letter is about, as record ids ("advice:12", "review:3"): no words about anyone.
    "casework.Letter": ["subject"],
    # Event wording comes from casework.chronology: steps, dates, staff and organisations.
    "casework.CaseEvent": ["kind", "summary", "data"],
    "families.Invitation": ["relationship", "token_hash"],
    "families.ViewsAttachment": ["stored_name", "content_type", "sha256"],
    "finance.Placement": ["setting_code"],
    "plans.PlanCessation": ["transferred_to"],  # the name of a local authority
    "plans.PlanTransferIn": ["from_authority", "new_health_body"],  # a council's, an ICB's name
    "plans.TribunalRecommendation": ["body_name"],  # the health or social care body's name
    # Message bodies never hold personal details (notifications.templates).
    "notifications.Message": [
        "key",
        "template",
        "subject",
        "body",
        "last_error",
        "provider_reference",
    ],
    "returns.CarriedPlanItems": ["setting_key", "source"],
    "returns.CarriedRequestItems": ["source"],
    "dataprotection.Anonymisation": ["rule"],
}


def years_kept() -> int:
    return settings.RETENTION_YEARS_AFTER_BIRTH


def rule_text() -> str:
    return f"Date of birth + {years_kept()} years"


def keep_until(date_of_birth: dt.date) -> dt.date:
    years = years_kept()
    try:
        return date_of_birth.replace(year=date_of_birth.year + years)
    except ValueError:  # 29 February
        return date_of_birth.replace(year=date_of_birth.year + years, day=28)


def _latest_birth_due(today: dt.date) -> dt.date:
    years = years_kept()
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def due(today: dt.date):
    """Children whose record has passed its retention date and is not yet anonymous. A child
    with an open case or an active plan is never due (they cannot be, at 31, but a wrong date
    of birth must not cost a child their record)."""
    open_cases = AssessmentRequest.objects.filter(stage__in=OPEN_STAGES).values("child_id")
    active_plans = EHCPlan.objects.filter(ceased_on__isnull=True).values("child_id")
    return (
        Child.objects.filter(date_of_birth__lte=_latest_birth_due(today))
        .filter(anonymisation__isnull=True)
        .exclude(Q(pk__in=open_cases) | Q(pk__in=active_plans))
        .order_by("date_of_birth", "pk")
    )


def held_back(today: dt.date):
    """Past the retention date but kept because a case is open or a plan active."""
    return (
        Child.objects.filter(date_of_birth__lte=_latest_birth_due(today))
        .filter(anonymisation__isnull=True)
        .exclude(pk__in=due(today).values("pk"))
    )


@dataclass
class RetentionReport:
    today: dt.date
    rule: str
    due: int
    held_back: int
    anonymised: int
    next_due: list[tuple[dt.date, int]]  # (year-month, children) coming due in the next year


def report(today: dt.date) -> RetentionReport:
    """What anonymisation would do today, changing nothing (the dry run)."""
    coming: dict[dt.date, int] = {}
    soon = Child.objects.filter(
        date_of_birth__gt=_latest_birth_due(today),
        date_of_birth__lte=_latest_birth_due(today + dt.timedelta(days=365)),
    ).values_list("date_of_birth", flat=True)
    for born in soon:
        month = keep_until(born).replace(day=1)
        coming[month] = coming.get(month, 0) + 1
    return RetentionReport(
        today=today,
        rule=rule_text(),
        due=due(today).count(),
        held_back=held_back(today).count(),
        anonymised=Anonymisation.objects.count(),
        next_due=sorted(coming.items()),
    )


def _cleared(field: models.Field, value):
    if isinstance(field, models.JSONField):
        return [] if isinstance(value, list) else {}
    if isinstance(field, models.FileField):
        return ""
    return REMOVED[: field.max_length] if field.max_length else REMOVED


@transaction.atomic
def _remove_kept_exports(child: Child) -> int:
    """A kept subject access export (0214) is a copy of the record: it goes with it. So does
    the kept PDF of a draft of the child's plan (0246)."""
    removed = remove_draft_pdfs(
        PlanVersion.objects.filter(document__child=child).values_list("pk", flat=True)
    )
    for run in JobRun.objects.filter(kind="subject-access", params__child=child.pk):
        for form in ("pdf", "json"):
            name = (run.result or {}).get(form)
            if name:
                default_storage.delete(name)
                removed += 1
        JobRun.objects.filter(pk=run.pk).update(result={"child": child.pk, "removed": True})
    return removed


def anonymise(child: Child, *, actor=None, today: dt.date) -> Anonymisation:
    """Make one child's record anonymous. Refuses a child not yet due."""
    child = Child.objects.select_for_update().get(pk=child.pk)
    if not due(today).filter(pk=child.pk).exists():
        raise ValueError(f"Child {child.pk}'s record is not due for anonymisation.")
    cleared = files = 0
    for records in child_record_models():
        names = PERSONAL.get(records.label, [])
        if not names:
            continue
        fields = [records.model._meta.get_field(n) for n in names]
        for obj in records_of(child, records):
            changed = []
            for f in fields:
                value = getattr(obj, f.attname)
                if not value:
                    continue
                if isinstance(f, models.FileField):
                    stored = getattr(obj, f.name)
                    stored.storage.delete(stored.name)
                    files += 1
                setattr(obj, f.attname, _cleared(f, value))
                changed.append(f.attname)
            if changed:
                # .update(): the records' own save() may refuse changes (notes only add).
                records.model._default_manager.filter(pk=obj.pk).update(
                    **{name: getattr(obj, name) for name in changed}
                )
                cleared += len(changed)
    FamilyLink.objects.filter(child=child).delete()
    files += _remove_kept_exports(child)
    born = child.date_of_birth
    Child.objects.filter(pk=child.pk).update(
        first_name="Anonymised",
        last_name=f"record {child.pk}",
        preferred_name="",
        # The month and year stay for statistics (ages at each step); the day goes.
        date_of_birth=born.replace(day=1),
        postcode="",
        upn="",
        uln="",
        nhs_number="",
        own_account=None,
    )
    done = Anonymisation.objects.create(
        child=child,
        done_by=actor,
        rule=rule_text(),
        fields_cleared=cleared,
        files_removed=files,
    )
    audit.record(
        action=AuditAction.UPDATE,
        actor=actor,
        child=child,
        record=done,
        reason=f"Anonymised under the retention policy ({rule_text()})",
        detail={"fields_cleared": cleared, "files_removed": files},
    )
    return done


def anonymise_due(*, actor=None, today: dt.date, limit: int | None = None) -> int:
    """Anonymise every child due today (each in its own transaction); returns how many."""
    ids = list(due(today).values_list("pk", flat=True))
    if limit is not None:
        ids = ids[:limit]
    for child_id in ids:
        anonymise(Child(pk=child_id), actor=actor, today=today)
    return len(ids)
