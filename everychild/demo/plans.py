"""The demonstration area's plans as documents: sections A-K and versions for every plan seeded
by `seed_demo_area`, the history of their annual reviews, drafts for the cases at the draft
stage, some phase transfers under way and a few disagreements. Idempotent and set-wise
(bulk_create), so it runs in seconds over the area's ~4,400 plans."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from everychild.access.audit import AuditEvent, record_many
from everychild.accounts.models import Organisation, SettingType
from everychild.casework.models import AssessmentRequest, Stage
from everychild.plans import quality
from everychild.plans.contributions import advice_for_section_k
from everychild.plans.examples import example_sections
from everychild.plans.models import (
    AnnualReview,
    Disagreement,
    EHCPlan,
    PhaseTransfer,
    PlanDocument,
    PlanVersion,
    ReviewDecision,
    TribunalOrder,
)
from everychild.statutory import reviews as review_rules

AUDIT_REASON = "Demonstration data: plans seeded"
VIEWS = [
    "I like drawing, dinosaurs and swimming. I want to have friends and to be a vet.",
    "I like football and computer games. I find busy classrooms hard. I want a job with cars.",
    "Our child loves music and being outdoors. We want them to be safe, happy and to communicate.",
    "I want to go to college and learn to cook. I like quiet places and my dog.",
    "Enjoys trains and building things. We hope our child will learn to read and make a friend.",
]


@dataclass
class Result:
    documents: int = 0
    versions: int = 0
    reviews: int = 0
    drafts: int = 0
    disagreements: int = 0

    @property
    def created(self) -> bool:
        return bool(self.documents or self.drafts)


def _flaws(rng: random.Random) -> int:
    roll = rng.random()
    return 0 if roll < 0.55 else 1 if roll < 0.8 else 2 if roll < 0.93 else 4


def _sections(rng, plan_row, settings_by_id, by_when):
    setting = settings_by_id.get(plan_row["setting_id"])
    return example_sections(
        rng=rng,
        setting=setting,
        setting_code=plan_row["setting_code"],
        primary_need=plan_row["primary_need"],
        outcomes=rng.randint(3, 8),
        provision_lines=rng.randint(5, 16),
        flaws=_flaws(rng),
        views=rng.choice(VIEWS),
        by_when=by_when,
    )


def _due_before(issued_on: date, meeting: date) -> date:
    """The review date the meeting answered: the anniversary of issue nearest after it."""
    due = review_rules.next_review_due(issued_on)
    while due < meeting - timedelta(days=120):
        due = review_rules.next_review_due(due)
    return due


def _version(document, number, status, reason, sections, issued_on):
    report = quality.check(sections)
    return PlanVersion(
        document=document,
        number=number,
        status=status,
        reason=reason,
        sections=sections,
        quality=report.to_json(),
        quality_score=report.score,
        issued_on=issued_on,
    )


@transaction.atomic
def seed_plans(area, *, today: date | None = None) -> Result:
    today = today or timezone.localdate()
    rng = random.Random(f"plans-{area.pk}")
    result = Result()
    rows = list(
        EHCPlan.objects.filter(area=area, document__isnull=True)
        .order_by("pk")
        .values(
            "pk",
            "child_id",
            "assessment_request_id",
            "issued_on",
            "setting_id",
            "setting_code",
            "primary_need",
            "last_review_meeting_on",
            "ceased_on",
        )
    )
    settings_by_id = Organisation.objects.filter(area=area).in_bulk()
    # Plans whose case already began a document (a draft written in casework) are left alone.
    taken = set(
        PlanDocument.objects.filter(assessment_request__area=area).values_list(
            "assessment_request_id", flat=True
        )
    )
    rows = [r for r in rows if r["assessment_request_id"] not in taken]
    documents = PlanDocument.objects.bulk_create(
        [
            PlanDocument(
                area=area,
                child_id=r["child_id"],
                plan_id=r["pk"],
                assessment_request_id=r["assessment_request_id"],
            )
            for r in rows
        ],
        batch_size=1000,
    )
    result.documents = len(documents)
    versions, reviews = [], []
    for row, document in zip(rows, documents, strict=True):
        by_when = date(max(today.year, row["issued_on"].year + 1), 7, 31)
        sections = _sections(rng, row, settings_by_id, by_when)
        reason = (
            PlanVersion.Reason.NEW_PLAN
            if row["assessment_request_id"]
            else PlanVersion.Reason.HISTORICAL
        )
        versions.append(
            _version(document, 1, PlanVersion.Status.FINAL, reason, sections, row["issued_on"])
        )
        meeting = row["last_review_meeting_on"]
        if meeting is None:
            continue
        # The report goes to the council within 2 weeks of the meeting (reg 20(7)-(8)) and the
        # council decides on it, within 4 weeks of the meeting (reg 20(10)): never before it.
        report_sent = min(meeting + timedelta(days=rng.randint(5, 14)), today)
        decided = max(meeting + timedelta(days=rng.randint(10, 30)), report_sent)
        recent = decided > today
        amend = not recent and rng.random() < 0.3 and row["ceased_on"] is None
        review = AnnualReview(
            plan_id=row["pk"],
            due_on=_due_before(row["issued_on"], meeting),
            invitations_sent_on=meeting - timedelta(days=rng.randint(14, 28)),
            advice_circulated_on=meeting - timedelta(days=rng.randint(14, 21)),
            meeting_on=meeting,
            attendees="Parent, SENCO, class teacher, caseworker",
            views_summary="The family are pleased with progress and want the support to continue.",
            progress_summary="Most outcomes are on track; communication targets met.",
            recommendation=ReviewDecision.AMEND if amend else ReviewDecision.MAINTAIN,
            recommended_changes="Update outcomes for the next year." if amend else "",
            report_sent_on=report_sent,
        )
        if not recent:
            review.decision = ReviewDecision.AMEND if amend else ReviewDecision.MAINTAIN
            review.decision_on = decided
            review.decision_reasons = "As the review meeting recommended."
        if amend:
            sent = decided
            issued = min(sent + timedelta(days=rng.randint(20, 56)), today)
            if issued > review_rules.amendment_dates(sent).comments_close:
                review.amendments_sent_on = sent
                changed = _sections(rng, row, settings_by_id, by_when)
                changed["A"] = sections["A"]
                amended = _version(
                    document,
                    2,
                    PlanVersion.Status.FINAL,
                    PlanVersion.Reason.REVIEW,
                    changed,
                    issued,
                )
                versions.append(amended)
                review._amended = amended
        reviews.append(review)
    PlanVersion.objects.bulk_create(versions, batch_size=1000)
    for review in reviews:
        amended = getattr(review, "_amended", None)
        if amended is not None:
            review.amended_version = amended
    AnnualReview.objects.bulk_create(reviews, batch_size=1000)
    result.versions, result.reviews = len(versions), len(reviews)
    result.drafts = _drafts(area, rng, settings_by_id)
    result.disagreements = _disagreements_and_moves(area, rng, today, settings_by_id)
    record_many(
        AuditEvent(
            action="create",
            child_id=document.child_id,
            record_type=PlanDocument._meta.label,
            record_id=str(document.pk),
            reason=AUDIT_REASON,
        )
        for document in documents
    )
    return result


def _drafts(area, rng, settings_by_id) -> int:
    """Drafts for the cases at the draft-plan stage (the caseworkers' work in progress)."""
    cases = list(
        AssessmentRequest.objects.filter(area=area, stage=Stage.DRAFT_PLAN, plan_document=None)
        .select_related("child")
        .order_by("pk")
    )
    documents = PlanDocument.objects.bulk_create(
        [PlanDocument(area=area, child_id=c.child_id, assessment_request=c) for c in cases]
    )
    drafts = []
    for case, document in zip(cases, documents, strict=True):
        sections = example_sections(
            rng=rng,
            setting=settings_by_id.get(case.child.current_setting_id),
            outcomes=rng.randint(3, 6),
            provision_lines=rng.randint(4, 10),
            flaws=_flaws(rng) + 1,
            views=rng.choice(VIEWS),
        )
        sections["K"]["advice"] = advice_for_section_k(case)
        drafts.append(
            _version(
                document, 1, PlanVersion.Status.DRAFT, PlanVersion.Reason.NEW_PLAN, sections, None
            )
        )
    PlanVersion.objects.bulk_create(drafts, batch_size=500)
    return len(drafts)


def _disagreements_and_moves(area, rng, today, settings_by_id) -> int:
    if Disagreement.objects.filter(area=area).exists():
        return 0
    active = list(
        EHCPlan.objects.filter(area=area, ceased_on__isnull=True)
        .select_related("child")
        .order_by("pk")
    )
    chosen = rng.sample(active, min(40, len(active)))
    items = []
    for plan in chosen:
        letter = today - timedelta(days=rng.randint(20, 300))
        contacted = letter + timedelta(days=rng.randint(5, 40))
        item = Disagreement(
            area=area,
            child_id=plan.child_id,
            plan=plan,
            decision_disputed=rng.choice(
                [
                    "The school named in section I",
                    "The provision in section F",
                    "The decision not to amend after review",
                    "The description of needs in B",
                ]
            ),
            decision_letter_on=letter,
        )
        if contacted <= today:
            item.mediation_adviser_contacted_on = contacted
            item.mediation_certificate_on = min(contacted + timedelta(days=3), today)
            registered = item.mediation_certificate_on + timedelta(days=rng.randint(10, 25))
            if registered <= today and rng.random() < 0.6:
                item.appeal_registered_on = registered
                if rng.random() < 0.3 and registered + timedelta(days=40) <= today:
                    item.conceded_on = registered + timedelta(days=40)
                    item.outcome = Disagreement.Outcome.CONCEDED
                    item.outcome_on = item.conceded_on
        items.append(item)
    Disagreement.objects.bulk_create(items)
    TribunalOrder.objects.bulk_create(
        [
            TribunalOrder(
                disagreement=d, kind=TribunalOrder.Kind.NAME_SCHOOL, ordered_on=d.conceded_on
            )
            for d in items
            if d.conceded_on
        ]
    )
    # Phase transfers under way: about half of next September's movers have a setting named.
    next_phase = _next_phase_settings(settings_by_id)
    moves = []
    for plan in active:
        move = review_rules.phase_move(plan.child.date_of_birth, today)
        if move is None or rng.random() < 0.4:
            continue
        named = None
        if rng.random() < 0.6 and plan.setting_id:
            named = _setting_for_next_phase(
                rng,
                settings_by_id.get(plan.setting_id) or plan.setting,
                move.transfer,
                next_phase,
            )
        moves.append(
            PhaseTransfer(
                plan=plan,
                year=move.year,
                kind=move.kind,
                transfer=move.transfer,
                consulted_on=today - timedelta(days=rng.randint(10, 60)),
                named_setting=named,
                named_on=today - timedelta(days=rng.randint(1, 9)) if named else None,
            )
        )
    PhaseTransfer.objects.bulk_create(moves, ignore_conflicts=True)
    return len(items)


#: The phase of the setting a transfer names (reg 2): the one the child moves into. The plan
#: is amended to name it by 15 February, or 31 March for post-16 (reg 18(1)).
NEXT_PHASE = {
    "early_years_to_school": "primary",
    "primary_to_secondary": "secondary",
    "secondary_to_post16": "post-16",
}
#: A special school of the demonstration takes children of every age (2 to 19): it may be
#: named again for the next phase.
EVERY_PHASE = "all-through"


def _next_phase_settings(settings_by_id) -> dict[str, list[Organisation]]:
    """The area's open settings by phase, in a fixed order (the seeder stays deterministic)."""
    found: dict[str, list[Organisation]] = {}
    for org in sorted(settings_by_id.values(), key=lambda o: o.pk):
        if org.is_setting and org.is_active and org.phase:
            found.setdefault(org.phase, []).append(org)
    return found


def _setting_for_next_phase(rng, current, transfer: str, next_phase) -> Organisation | None:
    """The setting a transfer names: the current one only when it already teaches the next
    phase (an all-through special school, or a child already at a secondary school), else one
    of the next phase, of the same type as the current one where the area has one (a
    resourced provision leads to a resourced provision), otherwise a mainstream one. Naming
    the school being left would leave the child without a place in September."""
    phase = NEXT_PHASE.get(transfer)
    if phase is None or current.phase in (phase, EVERY_PHASE):
        return current
    candidates = next_phase.get(phase, [])
    for wanted in (current.setting_type, SettingType.MAINSTREAM):
        same_type = [org for org in candidates if org.setting_type == wanted]
        if same_type:
            return rng.choice(same_type)
    return rng.choice(candidates) if candidates else None
