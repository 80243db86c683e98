"""Reads of plans, reviews, phase transfers and disagreements, through the access policy's
selectors (`visible_plans`, `visible_reviewable_plans`), each child's record shown audited.

The lists over a whole caseload (the review backlog: ~4,400 plans in one council) read the few
columns they need in one query and compute every due date with the statutory engine in Python;
only the page shown is fetched in full and audited."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Q

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import advice_organisation_ids, setting_ids
from everychild.accounts.models import ADVICE_GIVING_KINDS
from everychild.advice import selectors as advice_selectors
from everychild.areas.models import Area
from everychild.casework.policy import visible_assessment_requests
from everychild.children.selectors import of_the_child
from everychild.core.dates import today
from everychild.core.digits import ascii_digits
from everychild.core.models import JobRun
from everychild.plans import clock, diff, provenance, quality
from everychild.plans.models import (
    AnnualReview,
    AreaPlanSettings,
    Disagreement,
    EHCPlan,
    MediationAgreement,
    PhaseTransfer,
    PlanDocument,
    PlanVersion,
    Post16Move,
    RejectedSuggestion,
    ReviewDecision,
    ReviewInvitee,
    TribunalOrder,
)
from everychild.plans.policy import visible_plans, visible_reviewable_plans
from everychild.plans.sections import SECTION_KEYS, normalised
from everychild.statutory import deadlines
from everychild.statutory import reviews as review_rules


def _audit_view(user, child_id, record, request=None, **detail):
    audit.record(
        action=AuditAction.VIEW,
        actor=user,
        child=child_id,
        record=record,
        request=request,
        detail=detail,
    )


def _audit_list(user, child_ids, what: str, request=None) -> None:
    audit.record_shown(
        user,
        ((child_id, "plans.EHCPlan", "") for child_id in dict.fromkeys(child_ids)),
        request=request,
        detail={"list": what},
    )


def _audit_lists(user, shown: dict[str, list[int]], request=None) -> None:
    """Every list a page shows, audited in one write to the chain (one lock and one commit for
    the page, not one per list): the entries `_audit_list` would write for each list."""
    actor = user if user is not None and user.is_authenticated else None
    address = audit.client_address(request)
    audit.record_many(
        audit.AuditEvent(
            action=AuditAction.VIEW,
            actor=actor,
            child_id=child_id,
            record_type="plans.EHCPlan",
            ip_address=address,
            detail={"list": what},
        )
        for what, child_ids in shown.items()
        for child_id in dict.fromkeys(child_ids)
    )


# --- One plan --------------------------------------------------------------------------------


def plan_for_viewing(user, plan_id, *, request=None, reviews=False) -> EHCPlan:
    """The plan if the user may open it (EHCPlan.DoesNotExist otherwise), audited. With
    `reviews`, a SENCO may open the plans of their own pupils too (to record a review)."""
    try:
        plan_id = int(plan_id)
    except (TypeError, ValueError):
        raise EHCPlan.DoesNotExist from None
    selector = visible_reviewable_plans if reviews else visible_plans
    plan = (
        selector(user)
        .select_related("child", "child__current_setting", "area", "setting", "transfer_in")
        .get(pk=plan_id)
    )
    _audit_view(user, plan.child_id, plan, request)
    return plan


def document_of(plan: EHCPlan) -> PlanDocument | None:
    return PlanDocument.objects.filter(plan=plan).first() or (
        PlanDocument.objects.filter(assessment_request_id=plan.assessment_request_id).first()
        if plan.assessment_request_id
        else None
    )


def versions_of(plan: EHCPlan) -> list[PlanVersion]:
    document = document_of(plan)
    if document is None:
        return []
    return list(document.versions.select_related("issued_by").order_by("number"))


def version_for_viewing(user, plan_id, number, *, request=None) -> PlanVersion:
    plan = plan_for_viewing(user, plan_id, request=request)
    document = document_of(plan)
    if document is None:
        raise PlanVersion.DoesNotExist
    version = document.versions.select_related("document__child", "document__area").get(
        number=number
    )
    _audit_view(user, plan.child_id, version, request)
    return version


# The background job that makes a plan version's PDF (services/pdfs.py, decision 0246).
PDF_JOB = "plan-pdf"


def pdf_runs(version: PlanVersion):
    """The background runs that made (or are making) this version's PDF, newest first. The
    version was found through `version_for_viewing`, so its reader may see them."""
    return (
        JobRun.objects.filter(kind=PDF_JOB, params__version=version.pk)
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")
    )


def draft_for_case_viewing(user, case_id, *, request=None):
    """(case, draft or None) for a case the user may open; the case read audited."""
    case = (
        visible_assessment_requests(user)
        .select_related("child", "child__current_setting", "area")
        .get(pk=int(case_id))
    )
    _audit_view(user, case.child_id, case, request)
    document = PlanDocument.objects.filter(assessment_request=case).first()
    draft = document.versions.filter(status=PlanVersion.Status.DRAFT).first() if document else None
    return case, draft


def compare_versions(old: PlanVersion, new: PlanVersion) -> list[diff.SectionDiff]:
    return diff.compare(old.sections, new.sections)


def quality_of(version: PlanVersion) -> quality.QualityReport:
    return quality.check(version.sections)


# --- Reviews ---------------------------------------------------------------------------------


@dataclass(slots=True)
class ReviewRow:
    plan_id: int
    child_id: int
    due: dt.date
    overdue_days: int
    meeting_on: dt.date | None = None
    plan: EHCPlan | None = None

    @property
    def is_overdue(self) -> bool:
        return self.overdue_days > 0


def _six_monthly_areas(area_ids) -> set[int]:
    return set(
        AreaPlanSettings.objects.filter(
            area_id__in=area_ids, six_monthly_reviews_under_5=True
        ).values_list("area_id", flat=True)
    )


# No review period is shorter than this: the engine's shortest is 6 months (an under-5 where
# the area reviews them that often, Code 9.178: at least 180 days), the annual one 12 months,
# and a transfer in (reg 15) only makes the date later. A plan whose period (from its making or
# last review meeting) began fewer days than this before a day cannot be due by that day, so a
# list of plans due by a day need not read it. test_review_period_bound checks every day's
# period against the engine, so a shorter rule in the engine fails it rather than hiding plans.
REVIEW_PERIOD_AT_LEAST_DAYS = 150


def review_due_rows(plans_qs, *, on: dt.date, until: dt.date | None) -> list[ReviewRow]:
    """Every active plan in `plans_qs` with its next review date from the engine; those due on
    or before `until` (all when None), most overdue first. One query; no model instances.

    With `until`, the database leaves out the plans whose review period began too recently to
    end by then (REVIEW_PERIOD_AT_LEAST_DAYS); the engine judges every plan that remains."""
    plans = plans_qs.filter(ceased_on__isnull=True)
    if until is not None:
        began_by = until - dt.timedelta(days=REVIEW_PERIOD_AT_LEAST_DAYS)
        plans = plans.filter(
            Q(last_review_meeting_on__lte=began_by)
            | Q(last_review_meeting_on__isnull=True, issued_on__lte=began_by)
        )
    rows = list(
        plans.annotate(born=of_the_child("date_of_birth")).values_list(
            "pk",
            "child_id",
            "area_id",
            "issued_on",
            "last_review_meeting_on",
            "born",
            # reg 15: a plan transferred in is reviewed no earlier than 3 months from the
            # transfer (the move, until the plan arrives). One join, no extra query.
            "transfer_in__plan_transferred_on",
            "transfer_in__moved_on",
        )
    )
    area_ids = {row[2] for row in rows}
    six_monthly = _six_monthly_areas(area_ids)
    day_one = set(
        Area.objects.filter(pk__in=area_ids, count_start_as_day_one=True).values_list(
            "pk", flat=True
        )
    )
    found = []
    review_due = clock.review_due
    for pk, child_id, area_id, issued, last, born, transferred, moved in rows:
        due = review_due(
            issued_on=issued,
            last_meeting_on=last,
            born=born,
            six_monthly_under_5=area_id in six_monthly,
            count_start_as_day_one=area_id in day_one,
            transferred_on=transferred or moved,
        )
        if until is None or due <= until:
            found.append(ReviewRow(pk, child_id, due, (on - due).days, last))
    found.sort(key=lambda r: (r.due, r.plan_id))
    return found


def end_of_month(day: dt.date) -> dt.date:
    following = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def _fill_plans(rows: list[ReviewRow]) -> list[ReviewRow]:
    """The plans of the rows shown, with only what a row shows (the child's name, the setting)."""
    plans = (
        EHCPlan.objects.select_related("child", "setting")
        .only(
            "child__first_name",
            "child__preferred_name",
            "child__last_name",
            "setting__name",
            "setting_code",
        )
        .in_bulk([r.plan_id for r in rows])
    )
    for row in rows:
        row.plan = plans.get(row.plan_id)
    return rows


def fill_rows(user, rows: list[ReviewRow], *, request=None, what: str) -> list[ReviewRow]:
    """Fetch the plans of the rows shown, and audit their reading."""
    _fill_plans(rows)
    _audit_list(user, [r.child_id for r in rows], what, request)
    return rows


def review_backlog_shown(user, backlog: dict, rows: list[ReviewRow], *, limit: int, request=None):
    """What the backlog page shows of `backlog`: the rows given (their plans fetched), and the
    first `limit` reviews awaiting a decision and amended plans overdue; all of them audited in
    one write, each entry naming its list as before. Returns (awaiting, amendments_overdue)."""
    _fill_plans(rows)
    awaiting = list(backlog["awaiting_decision"][:limit])
    amendments = list(backlog["amendments_overdue"][:limit])
    _audit_lists(
        user,
        {
            "review_backlog": [r.child_id for r in rows],
            "review_awaiting_decision": [r.plan.child_id for r in awaiting],
            "review_amendments_overdue": [r.plan.child_id for r in amendments],
        },
        request,
    )
    return awaiting, amendments


def awaiting_decision_shown(
    user, awaiting, *, request=None, what: str = "review_awaiting_decision"
) -> list[AnnualReview]:
    """The reviews a list shows (awaiting the authority's decision, or their amended plan
    overdue), their reading audited (the list names each child)."""
    shown = list(awaiting)
    _audit_list(user, [r.plan.child_id for r in shown], what, request)
    return shown


def review_backlog(user, *, on: dt.date | None = None) -> dict:
    """The annual review backlog: plans whose review is overdue, and those due this month."""
    on = on or today()
    plans = visible_reviewable_plans(user)  # one look-up of the user's access for the page
    rows = review_due_rows(plans, on=on, until=end_of_month(on))
    overdue = [r for r in rows if r.due < on]
    this_month = [r for r in rows if r.due >= on]
    awaiting = (
        AnnualReview.objects.filter(plan__in=plans, meeting_on__isnull=False, decision="")
        .select_related("plan", "plan__child")
        .order_by("meeting_on")
    )
    return {
        "on": on,
        "overdue": overdue,
        "this_month": this_month,
        "awaiting_decision": awaiting,
        "amendments_overdue": amendments_overdue(user, on=on, plans=plans),
    }


def amendments_overdue(user, *, on: dt.date, plans=None) -> list[AnnualReview]:
    """Reviews whose amended plan is past its 8 weeks (reg 22(3)), by the engine; a review
    where the LA decided not to amend after all (reg 22(4)) has no amended plan due. One
    query; the dates computed in Python. `plans`: the user's visible_reviewable_plans, where
    the caller has them already."""
    candidates = (
        AnnualReview.objects.filter(
            plan__in=plans if plans is not None else visible_reviewable_plans(user),
            plan__ceased_on__isnull=True,
            decision=ReviewDecision.AMEND,
            amendments_sent_on__isnull=False,
            decision_not_to_amend_on__isnull=True,
        )
        .exclude(amended_version__status=PlanVersion.Status.FINAL)
        .select_related("plan", "plan__child", "plan__area", "amended_version")
        .order_by("amendments_sent_on", "pk")
    )
    return [r for r in candidates if clock.amendment_overdue(r, today=on)]


def senco_reviews(user, *, on: dt.date | None = None) -> list[ReviewRow]:
    """A SENCO's view: every plan of their pupils, next review first."""
    on = on or today()
    settings_ids = setting_ids(user)
    plans = visible_reviewable_plans(user).filter(child__current_setting_id__in=settings_ids)
    return review_due_rows(plans, on=on, until=None)


# Reviews due within this many days are listed as "due" on a SENCO's overview: a meeting
# needs its invitations out at least 2 weeks ahead (reg 20(3)), so they are planned a term out.
SENCO_DUE_WITHIN_DAYS = 56


@dataclass
class AwaitingCouncil:
    review: AnnualReview
    decision: object | None  # the engine's reg 20(10) milestone: the council's 4 weeks


def senco_review_overview(user, rows: list[ReviewRow], *, on: dt.date | None = None) -> dict:
    """Across a SENCO's setting: how many reviews are overdue, how many are due within
    SENCO_DUE_WITHIN_DAYS, and the reviews whose meeting was held and which wait for the
    council's decision, each with its legal date from the engine (reg 20(10))."""
    on = on or today()
    overdue = sum(1 for r in rows if r.is_overdue)
    due = sum(
        1 for r in rows if not r.is_overdue and r.due <= on + dt.timedelta(SENCO_DUE_WITHIN_DAYS)
    )
    plans = visible_reviewable_plans(user).filter(child__current_setting_id__in=setting_ids(user))
    waiting = (
        AnnualReview.objects.filter(
            plan__in=plans, plan__ceased_on__isnull=True, meeting_on__isnull=False, decision=""
        )
        .select_related("plan", "plan__child", "plan__area", "amended_version")
        .order_by("meeting_on", "pk")
    )
    awaiting, report_late = [], []
    for review in waiting:
        steps = {m.key: m for m in clock.review_milestones(review, today=on)}
        item = AwaitingCouncil(review=review, decision=steps.get("review_decision"))
        awaiting.append(item)
        report = steps.get("review_report")
        if report is not None and report.status == "overdue":
            # reg 20(7): the report is the school's to send within 2 weeks of the meeting.
            report_late.append(AwaitingCouncil(review=review, decision=report))
    # Meetings called (invitations sent) for a day now past and not recorded as held.
    not_recorded = list(
        AnnualReview.objects.filter(
            plan__in=plans,
            plan__ceased_on__isnull=True,
            meeting_on__isnull=True,
            decision="",
            meeting_planned_on__lt=on,
        )
        .select_related("plan", "plan__child")
        .order_by("meeting_planned_on", "pk")
    )
    return {
        "overdue": overdue,
        "due": due,
        "due_within": SENCO_DUE_WITHIN_DAYS,
        "awaiting": awaiting,
        "report_late": report_late,
        "meeting_not_recorded": not_recorded,
    }


def review_clock(review: AnnualReview, area: Area) -> dict:
    """The review's dates from the engine: meeting notice, report, decision, amendments, and
    each step after the meeting judged (`steps`: reg 20, 22(2)(c), 22(3), 22(4))."""
    try:
        found = {"steps": clock.review_milestones(review, today=today())}
    except LookupError as error:
        # A plan made before the SEND Regulations 2014 came into force (1 September 2014):
        # the engine has no clock for it, and the page says so rather than failing.
        return {"steps": [], "not_counted": str(error)}
    if review.meeting_on:
        found["meeting"] = review_rules.review_dates(
            review.meeting_on, count_start_as_day_one=area.count_start_as_day_one
        )
    if review.amendments_sent_on:
        found["amendments"] = review_rules.amendment_dates(
            review.amendments_sent_on, count_start_as_day_one=area.count_start_as_day_one
        )
    return found


# --- One review, step by step: the same timeline for the school and the council ---------------


@dataclass(frozen=True, slots=True)
class ReviewStep:
    """One step of an annual review: what, under which regulation, its legal date from the
    engine, when it was done and by whom, and how it stands (the engine's statuses)."""

    key: str
    label: str
    regulation: str
    due: dt.date | None
    done_on: dt.date | None
    by: str
    status: str
    days_remaining: int | None
    details: tuple[str, ...] = ()
    # For the milestone template tags, which read a milestone's rule.
    rule: str = ""


_REGS = "SEND Regulations 2014"


def _by(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else ""


def review_timeline(review: AnnualReview, *, family_views=(), on: dt.date | None = None):
    """The review's steps, in order (reg 20 for a child at school, reg 21 otherwise: the periods
    are the same): invitations and advice at least 2 weeks before the meeting (reg 20(3)-(4)),
    the family's and child's own views (reg 20(2)(a); CFA 2014 s.19), the meeting by the end
    of the review period (s.44(1)), the report within 2 weeks (reg 20(7)) and the council's
    decision within 4 weeks (reg 20(10)). Before the meeting is held its notice is counted back
    from the date it was called for. `family_views`: what the family sent (families module),
    passed in by the page, since the family portal sits above this module."""
    on = on or today()
    judge = review_rules.judge_review_step
    meeting = review.meeting_on or review.meeting_planned_on
    dates = (
        review_rules.review_dates(
            meeting, count_start_as_day_one=review.plan.area.count_start_as_day_one
        )
        if meeting
        else None
    )
    held = review.meeting_on is not None
    invitees = list(review.invitees.all()) if review.pk else []
    professionals = [i for i in invitees if not i.is_family]
    given = [i for i in professionals if i.advice]

    def step(key, label, regulation, due, done_on, by, details=()):
        judged = judge(due, done_on, on)
        return ReviewStep(
            key,
            label,
            regulation,
            judged.due,
            judged.done_on,
            _by(by),
            judged.status,
            judged.days_remaining,
            tuple(details),
        )

    sent_views = list(family_views)
    return [
        step(
            "invitations",
            "Invite the family and professionals to the meeting",
            f"{_REGS} reg 20(2)-(3), 21(2)-(3)",
            dates.invitations_by if dates else None,
            review.invitations_sent_on,
            review.invitations_sent_by,
            [f"{i.name} ({i.get_role_display()})" for i in invitees],
        ),
        step(
            "advice",
            "Gather advice and information and send it to everyone invited",
            f"{_REGS} reg 20(3)-(4), 21(3)-(4)",
            dates.advice_by if dates else None,
            review.advice_circulated_on,
            review.advice_circulated_by,
            [f"Advice received from {len(given)} of {len(professionals)} professionals invited"]
            + [f"{i.name}: received {i.advice_received_on:%-d %B %Y}" for i in given]
            if professionals
            else [],
        ),
        step(
            "views",
            "The family's and the child's views",
            "Children and Families Act 2014 s.19; " + f"{_REGS} reg 20(2)(a)",
            None,
            min((v.sent_at.date() for v in sent_views), default=None),
            None,
            [f"{v.kind_label}: sent {v.sent_at:%-d %B %Y}" for v in sent_views]
            or ["Nothing sent yet: the family write their views in the family portal"],
        ),
        step(
            "meeting",
            "Hold the review meeting",
            "Children and Families Act 2014 s.44(1)",
            review.due_on,
            review.meeting_on,
            review.meeting_recorded_by,
            [f"Called for {review.meeting_planned_on:%-d %B %Y}"]
            if review.meeting_planned_on and not held
            else [],
        ),
        step(
            "report",
            "Send the review report to the council",
            f"{_REGS} reg 20(7)-(8), 21(7)",
            dates.report_by if held else None,
            review.report_sent_on,
            review.report_sent_by,
        ),
        step(
            "decision",
            "The council decides to keep, amend or end the plan",
            f"{_REGS} reg 20(10)",
            dates.decision_by if held else None,
            review.decision_on if review.decision else None,
            review.decided_by,
            [review.get_decision_display()] if review.decision else [],
        ),
    ]


def with_steps(reviews):
    """Reviews with what their timeline reads, fetched with them."""
    return reviews.select_related(
        "plan__area",
        "plan__child",
        "invitations_sent_by",
        "advice_circulated_by",
        "meeting_recorded_by",
        "report_sent_by",
        "decided_by",
    ).prefetch_related("invitees")


def review_for_timeline(review_id: int) -> AnnualReview:
    """One review for its timeline. The caller has checked access to it and audits it."""
    return with_steps(AnnualReview.objects.all()).get(pk=review_id)


def open_review_of(plan: EHCPlan) -> AnnualReview | None:
    """The review in progress (not yet decided), else the latest, with what its timeline reads."""
    reviews = with_steps(plan.reviews.all())
    return (
        reviews.filter(decision="").order_by("-due_on", "-pk").first()
        or reviews.order_by("-due_on", "-pk").first()
    )


# --- Invitations to reviews, as the services invited see them (decision 0260) ---------------


def review_reference(plan: EHCPlan) -> str:
    """The reference a professional quotes: the assessment's, or the plan's number in
    EveryChild for a plan made before the area's history here begins."""
    case = plan.assessment_request
    return case.reference if case is not None else f"EHC plan {plan.pk}"


def _invitations_of(user):
    """The invitations addressed to the user's own advice-giving services, of reviews not yet
    decided: a service sees only what it was asked, never the plan or anyone else's advice."""
    return (
        ReviewInvitee.objects.filter(
            organisation_id__in=advice_organisation_ids(user),
            organisation__kind__in=ADVICE_GIVING_KINDS,
            review__decision="",
            review__invitations_sent_on__isnull=False,
            review__plan__ceased_on__isnull=True,
        )
        .select_related(
            "organisation", "review", "review__plan__child", "review__plan__assessment_request"
        )
        .order_by("review__meeting_planned_on", "pk")
    )


def review_invitations_for(user, *, request=None) -> list[ReviewInvitee]:
    """The user's services' review invitations, for their advice queue, each audited."""
    found = list(_invitations_of(user))
    audit.record_shown(
        user,
        ((i.review.plan.child_id, "plans.ReviewInvitee", str(i.pk)) for i in found),
        request=request,
        detail={"list": "review_invitations"},
    )
    return found


def review_invitation_for(user, review_id, *, request=None) -> ReviewInvitee:
    """The invitation of one of the user's services to this review (ReviewInvitee.DoesNotExist
    when none was invited), audited. One still waiting for advice first, where the review asked
    the same service in two capacities."""
    found = (
        _invitations_of(user)
        .filter(review_id=review_id)
        .order_by(F("advice_received_on").asc(nulls_first=True), "pk")
        .first()
        if ascii_digits(review_id)
        else None
    )
    if found is None:
        raise ReviewInvitee.DoesNotExist
    _audit_view(user, found.review.plan.child_id, found, request, page="review_invitation")
    return found


# --- Quality across the caseload -------------------------------------------------------------


OVERVIEW_LOWEST = 20

# How often each rule is broken across the given versions, counted by the database from each
# version's stored findings: decoding every version's whole quality report in Python (about
# 1 kB of JSON each, ~4,400 of them in one council) was most of /plans/'s time (issue 21).
_FINDING_COUNTS_SQL = {
    "sqlite": (
        "SELECT json_extract(f.value, '$.code'), COUNT(*) FROM plans_planversion v, "
        "json_each(v.quality, '$.findings') f "
        "WHERE v.id IN (SELECT value FROM json_each(%s)) GROUP BY 1"
    ),
    "postgresql": (
        "SELECT f.value ->> 'code', COUNT(*) FROM plans_planversion v CROSS JOIN LATERAL "
        "jsonb_array_elements(CASE WHEN jsonb_typeof(v.quality -> 'findings') = 'array' "
        "THEN v.quality -> 'findings' ELSE '[]'::jsonb END) f "
        "WHERE v.id = ANY(%s) GROUP BY 1"
    ),
}


def _finding_counts(version_ids: list[int]) -> dict[str, int]:
    sql = _FINDING_COUNTS_SQL.get(connection.vendor)
    if sql is None:  # another database: read the reports whole
        counts: dict[str, int] = {}
        for report in PlanVersion.objects.filter(pk__in=version_ids).values_list(
            "quality", flat=True
        ):
            for finding in (report or {}).get("findings", []):
                counts[finding["code"]] = counts.get(finding["code"], 0) + 1
        return counts
    param = json.dumps(version_ids) if connection.vendor == "sqlite" else version_ids
    with connection.cursor() as cursor:
        cursor.execute(sql, [param])
        return {code: n for code, n in cursor.fetchall() if code is not None}


def quality_overview(user, *, request=None) -> dict:
    """The latest version of each active plan the user may see, lowest quality first, and how
    often each rule is broken. The lowest few are listed by plan, so their reading is audited."""
    plans = visible_plans(user).filter(ceased_on__isnull=True)
    latest = (
        PlanVersion.objects.filter(document__plan__in=plans, status=PlanVersion.Status.FINAL)
        .order_by("document_id", "-number")
        .values(
            "id",
            "document_id",
            "number",
            "quality_score",
            "document__plan_id",
            "document__child_id",
        )
    )
    seen, rows = set(), []
    for row in latest:
        if row["document_id"] in seen:
            continue
        seen.add(row["document_id"])
        rows.append(row)
    counts = _finding_counts([row["id"] for row in rows])
    scores = [r["quality_score"] for r in rows if r["quality_score"] is not None]
    bands = {
        "90 or more": sum(1 for s in scores if s >= 90),
        "70 to 89": sum(1 for s in scores if 70 <= s < 90),
        "under 70": sum(1 for s in scores if s < 70),
    }
    rows.sort(key=lambda r: r["quality_score"] if r["quality_score"] is not None else 101)
    lowest = rows[:OVERVIEW_LOWEST]
    _audit_list(user, [r["document__child_id"] for r in lowest], "quality_lowest", request)
    return {
        "count": len(rows),
        "mean": round(sum(scores) / len(scores)) if scores else None,
        "bands": bands,
        # Most often first; rules found as often, by their code (a stable order).
        "rules": sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])),
        "lowest": lowest,
    }


def drafts_in_progress(user, *, request=None) -> list[PlanVersion]:
    """The drafts being written in the user's areas, each child named on the list audited."""
    drafts = list(
        PlanVersion.objects.filter(
            status=PlanVersion.Status.DRAFT,
            document__area_id__in=visible_plans(user).values("area_id").distinct(),
        )
        .select_related("document__child", "document__assessment_request", "document__plan")
        .order_by("-updated_at")[:100]
    )
    _audit_list(user, [d.document.child_id for d in drafts], "drafts_in_progress", request)
    return drafts


# --- Phase transfers -------------------------------------------------------------------------


def transfer_year(on: dt.date) -> int:
    """The calendar year of the next September move."""
    return on.year + 1 if on.month >= 9 else on.year


def phase_move_for(born, on: dt.date, record: PhaseTransfer | None):
    """The move this child makes next September: the reg 2 transfer recorded for them (an
    area's infant, junior, first and middle schools are its own), else the national pattern
    (reg 2(1)(a), (d), (f))."""
    if record is not None and record.transfer:
        return review_rules.phase_move(
            born,
            on,
            transfer=record.transfer,
            last_year_group=review_rules.academic_year_group(born, on),
        )
    return review_rules.phase_move(born, on)


@dataclass(slots=True)
class PhaseRow:
    plan: EHCPlan
    move: review_rules.PhaseMove
    record: PhaseTransfer | None
    missing: list[str]
    done: bool

    @property
    def late(self) -> bool:
        return not self.done and today() > self.move.amended_plan_by


@dataclass(slots=True)
class _Recorded:
    """Enough of this year's transfer record to judge the move and what is missing."""

    transfer: str
    consulted_on: dt.date | None
    named_setting_id: int | None
    amended_version_id: int | None


#: Rows on a page of the phase transfers (decision 0281): at scale 5 ~3,500 children move, and
#: auditing and drawing every one took ~3 s.
PHASE_PAGE_SIZE = 100


def _phase_missing(record) -> list[str]:
    missing = []
    if record is None or not record.consulted_on:
        missing.append("No setting consulted")
    if record is None or record.named_setting_id is None:
        missing.append("No setting named")
    if record is None or record.amended_version_id is None:
        missing.append("Amended plan not issued")
    return missing


def phase_transfers(
    user, *, on: dt.date | None = None, page=None, per_page: int | None = None, request=None
) -> tuple[Page, int]:
    """One page of the children with a plan moving between phases next September (reg 2),
    with the reg 18 date, where the named setting stands and what is missing: those still
    needing work first, then by the date due and surname. With it, how many of all of them
    (not only the page's) still need work.

    The order is worked out from a few columns of every active plan and this year's records;
    only the page's plans are read in full and audited (decision 0281)."""
    on = on or today()
    year = transfer_year(on)
    active = visible_plans(user).filter(ceased_on__isnull=True)
    recorded = {
        plan_id: _Recorded(*rest)
        for plan_id, *rest in PhaseTransfer.objects.filter(plan__in=active, year=year).values_list(
            "plan_id", "transfer", "consulted_on", "named_setting_id", "amended_version_id"
        )
    }
    moving = []  # (order, move, missing)
    active = active.annotate(born=of_the_child("date_of_birth"), surname=of_the_child("last_name"))
    for pk, born, surname in active.values_list("pk", "born", "surname"):
        move = phase_move_for(born, on, recorded.get(pk))
        if move is None:
            continue
        missing = _phase_missing(recorded.get(pk))
        # The plan's id last, so that every page follows on from the one before.
        moving.append(((not missing, move.amended_plan_by, surname, pk), move, missing))
    moving.sort(key=lambda row: row[0])
    shown = Paginator(moving, per_page or PHASE_PAGE_SIZE).get_page(page)
    ids = [order[-1] for order, _, _ in shown.object_list]
    plans = (
        EHCPlan.objects.filter(pk__in=ids)
        .select_related("child")
        .only("pk", "area", "child__first_name", "child__preferred_name", "child__last_name")
        .in_bulk()
    )
    records = {
        record.plan_id: record
        for record in PhaseTransfer.objects.filter(plan_id__in=ids, year=year)
        .select_related("named_setting")
        .only(
            "plan_id",
            "year",
            "transfer",
            "consulted_on",
            "amended_version_id",
            "named_setting__name",
        )
    }
    shown.object_list = [
        PhaseRow(plans[order[-1]], move, records.get(order[-1]), missing, done=not missing)
        for order, move, missing in shown.object_list
    ]
    _audit_list(user, [row.plan.child_id for row in shown.object_list], "phase_transfers", request)
    return shown, sum(1 for order, _, _ in moving if not order[0])


@dataclass(slots=True)
class _Issued:
    """Enough of an issued version for `clock.latest_amendment_before`."""

    number: int
    issued_on: dt.date
    is_issued: bool = True


def post16_moves(user, *, on: dt.date | None = None, request=None) -> list:
    """Moves between post-16 institutions at other times still to come (reg 18(2)), each with
    the engine's judgement of the amendment due 5 months before. Three queries, whatever the
    number of moves."""
    on = on or today()
    moves = list(
        Post16Move.objects.filter(
            plan__in=visible_plans(user), plan__ceased_on__isnull=True, move_on__gte=on
        )
        .select_related("plan", "plan__child")
        .order_by("move_on", "pk")
    )
    amendments: dict[int, list] = {}
    for plan_id, number, issued_on in PlanVersion.objects.filter(
        document__plan__in=[m.plan_id for m in moves],
        status=PlanVersion.Status.FINAL,
        number__gt=1,
    ).values_list("document__plan_id", "number", "issued_on"):
        amendments.setdefault(plan_id, []).append(_Issued(number, issued_on))
    _audit_list(user, [m.plan.child_id for m in moves], "post16_moves", request)
    return [
        (m, clock.post16_move_milestone(m.plan, m, amendments.get(m.plan_id, []), today=on))
        for m in moves
    ]


# --- A plan's clock ----------------------------------------------------------------------------


def plan_clock(plan: EHCPlan, *, on: dt.date | None = None) -> dict:
    """The plan's page: the next review and the transfer in (reg 15, 16), the open review's
    amendment (reg 22), and each post-16 move at another time (reg 18(2)), from the engine."""
    on = on or today()
    transfer = getattr(plan, "transfer_in", None)
    review = plan.reviews.select_related("amended_version").order_by("-due_on", "-pk").first()
    if review is not None and review.is_complete and review.decision != ReviewDecision.AMEND:
        review = None
    moves = list(plan.post16_moves.order_by("move_on"))
    versions = versions_of(plan) if moves else []
    return {
        "transfer": transfer,
        "milestones": clock.plan_milestones(plan, today=on, review=review, transfer=transfer),
        "post16_moves": [
            (move, clock.post16_move_milestone(plan, move, versions, today=on)) for move in moves
        ],
    }


# --- Disagreements ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AppealableDecision:
    """A decision about a plan that the family can appeal (CFA 2014 s.51(2)), with the date it
    was sent: mediation (reg 33) and the appeal (HESC Rules r.20(1)(c)) count from that day."""

    sent_on: dt.date
    what: str  # in words a family reads: "the final plan", "the decision to end the plan"
    # Whether the appeal can be about the plan's contents, section I among them: only the
    # school or other place named there can be appealed without a mediation certificate (CFA
    # 2014 s.55(1); reg 33). A decision to cease leaves no plan to name one.
    about_a_plan: bool
    # Same-day decisions: the later step wins (a review decision, then the notice to cease).
    order: int = 0


def appealable_decisions(plan: EHCPlan) -> list[AppealableDecision]:
    """Every appealable decision about the plan, oldest first: the final plan and each amended
    plan (s.51(2)(c)); after a review or re-assessment, a decision to keep the plan as it is, or
    not to amend it after proposing amendments (s.51(2)(e): "a decision ... not to secure the
    amendment or replacement of an EHC plan it maintains ... following a review or
    re-assessment under section 44"); and the notice to cease (s.51(2)(f)).

    A review's decision to keep the plan counts from `decision_on`: reg 20(10) has the council
    decide and tell the family in the same 4 weeks, the engine judges that step met on that
    day, and the decision letter is dated from it. Not amending after all counts from the day
    the family was told (reg 22(4), `decision_not_to_amend_on`)."""
    found = [
        AppealableDecision(issued_on, "the amended plan" if number > 1 else "the final plan", True)
        for number, issued_on in PlanVersion.objects.filter(
            document__plan=plan, status=PlanVersion.Status.FINAL
        ).values_list("number", "issued_on")
    ] or [AppealableDecision(plan.issued_on, "the final plan", True)]
    for decision, decided_on, not_amending_on in AnnualReview.objects.filter(
        Q(decision=ReviewDecision.MAINTAIN) | Q(decision_not_to_amend_on__isnull=False),
        plan=plan,
    ).values_list("decision", "decision_on", "decision_not_to_amend_on"):
        if decision == ReviewDecision.MAINTAIN:
            found.append(
                AppealableDecision(decided_on, "the decision to keep the plan as it is", True, 1)
            )
        if not_amending_on is not None:
            found.append(
                AppealableDecision(
                    not_amending_on, "the decision not to change the plan after all", True, 1
                )
            )
    cessation = getattr(plan, "cessation", None)
    if cessation is not None:
        found.append(
            AppealableDecision(cessation.notice_sent_on, "the decision to end the plan", False, 2)
        )
    return sorted(found, key=lambda d: (d.sent_on, d.order))


def disagreement_dates(item: Disagreement) -> dict:
    """Every date the engine gives for a disagreement: mediation and the appeal deadline."""
    dates = {
        "mediation_contact_by": deadlines.mediation_contact_due(item.decision_letter_on),
        "appeal_by": deadlines.appeal_deadline(
            item.decision_letter_on, item.mediation_certificate_on
        ),
    }
    if item.mediation_adviser_contacted_on:
        dates["certificate_by"] = deadlines.mediation_certificate_due(
            item.mediation_adviser_contacted_on
        )
    if item.mediation_wanted_la_told_on:
        dates["mediation_by"] = deadlines.mediation_held_due(item.mediation_wanted_la_told_on)
    return dates


ORDER_STEPS = {
    TribunalOrder.Kind.ASSESS: [
        ("notify_assess", "Notify the decision to assess"),
        ("final_plan", "Issue the final plan (or decide not to, within 10 weeks)"),
    ],
    TribunalOrder.Kind.MAKE_PLAN: [
        ("draft_plan", "Issue the draft plan"),
        ("final_plan", "Issue the final plan"),
    ],
    TribunalOrder.Kind.AMEND_PLAN: [("amend_plan", "Issue the amended plan")],
    TribunalOrder.Kind.NAME_SCHOOL: [("name_school", "Name the school or placement ordered")],
}


def order_steps(order: TribunalOrder, *, on: dt.date | None = None) -> list[dict]:
    """Each step of complying with the order, due by reg 44(2) (reg 45 if conceded): met (and
    whether late), or how many days overdue on `on` (today), so a missed date is never shown
    as if it were still to come."""
    on = on or today()
    complied = order.complied_on
    steps = []
    for step, label in ORDER_STEPS[order.kind]:
        due = deadlines.tribunal_due(order.kind, step, order.ordered_on)
        steps.append(
            {
                "label": label,
                "due": due,
                "met": complied is not None,
                "late": complied is not None and complied > due,
                "overdue_days": (on - due).days if complied is None and due < on else 0,
            }
        )
    return steps


def agreement_of(item: Disagreement) -> MediationAgreement | None:
    try:
        return item.mediation_agreement
    except MediationAgreement.DoesNotExist:
        return None


def disagreement_steps(item: Disagreement, *, on: dt.date | None = None) -> list:
    """Every step of the disagreement from the engine: mediation held within 30 days and the
    certificate after it (reg 37), the mediation agreement's steps (reg 42) and the answers to
    the Tribunal's recommendations (2017 Regulations). `item` comes with its agreement and
    recommendations (select_related / prefetch_related) on the lists."""
    return clock.disagreement_milestones(
        item,
        today=on or today(),
        agreement=agreement_of(item),
        recommendations=item.recommendations.all(),
    )


def disagreements(user, *, request=None) -> list[dict]:
    items = list(
        Disagreement.objects.filter(plan__in=visible_plans(user))
        .select_related("child", "plan", "mediation_agreement")
        .prefetch_related("orders", "recommendations")
        .order_by("-decision_letter_on")[:500]
    )
    _audit_list(user, [d.child_id for d in items], "disagreements", request)
    on = today()
    return [
        {
            "item": d,
            "dates": disagreement_dates(d),
            "orders": [{"order": o, "steps": order_steps(o)} for o in d.orders.all()],
            "steps": [
                m
                for m in disagreement_steps(d, on=on)
                if m.status in ("pending", "overdue")
                and m.key not in ("appeal_deadline", "mediation_contact")
            ],
        }
        for d in items
    ]


# --- Suggestions from structured advice (decision 0195) -----------------------------------------


@dataclass(slots=True)
class Suggestion:
    """One item of structured advice offered into a section of the draft."""

    advice_item_id: int
    advice_request_id: int
    item_kind: str  # need, outcome, provision
    item_kind_label: str
    section: str
    paragraph: int
    advice_kind: str
    body: str
    date: dt.date | None
    text: str
    amount: str
    frequency: str
    delivered_by: str

    @property
    def source(self) -> dict:
        return provenance.make_source(
            advice_request_id=self.advice_request_id,
            advice_item_id=self.advice_item_id,
            paragraph=self.paragraph,
            kind=self.advice_kind,
            body=self.body,
            date=self.date,
        )

    @property
    def source_label(self) -> str:
        return provenance.label(self.source)

    @property
    def how_often(self) -> str:
        """The advice's amount and frequency as the plan's "how often" ("30 minutes, twice a
        week")."""
        return ", ".join(part for part in (self.amount, self.frequency) if part)

    def as_plan_item(self) -> dict:
        """The fields of the plan item it becomes (before any edit)."""
        if self.item_kind == "provision":
            return {
                "what": self.text,
                "how_often": self.how_often,
                "how_long": "",
                "by_whom": self.delivered_by,
                "qualification": "",
            }
        if self.item_kind == "outcome":
            return {"text": self.text, "by_when": "", "measured_by": ""}
        return {"text": self.text}


def all_suggestions(version: PlanVersion) -> list[Suggestion]:
    """Every structured advice item submitted for the draft's assessment, as a suggestion for
    its section (accepted and rejected ones included). Empty for a plan with no case here."""
    case = version.document.assessment_request
    if case is None:
        return []
    found = []
    for work in advice_selectors.advice_received_for(case):
        advice = work.advice_request
        date = advice.provided_on or work.submitted_on
        for paragraph, item in enumerate(work.items.all(), start=1):
            found.append(
                Suggestion(
                    advice_item_id=item.pk,
                    advice_request_id=advice.pk,
                    item_kind=item.kind,
                    item_kind_label=item.get_kind_display(),
                    section=provenance.section_for(item.kind, item.section, advice.kind),
                    paragraph=paragraph,
                    advice_kind=advice.get_kind_display(),
                    body=advice.organisation.name,
                    date=date,
                    text=item.text,
                    amount=item.amount,
                    frequency=item.frequency,
                    delivered_by=item.delivered_by,
                )
            )
    order = {key: n for n, key in enumerate(SECTION_KEYS)}
    return sorted(found, key=lambda s: (order.get(s.section, 99), s.date or dt.date.min))


def rejected_suggestions(version: PlanVersion) -> list[RejectedSuggestion]:
    return list(
        RejectedSuggestion.objects.filter(document_id=version.document_id).select_related(
            "rejected_by", "advice_item", "advice_item__work__advice_request__organisation"
        )
    )


def open_suggestions(version: PlanVersion) -> list[Suggestion]:
    """The suggestions still to decide on: neither accepted into the plan (in this version or
    an earlier one, whose items this draft carries) nor rejected for this plan."""
    taken = provenance.accepted_advice_items(normalised(version.sections))
    rejected = set(
        RejectedSuggestion.objects.filter(document_id=version.document_id).values_list(
            "advice_item_id", flat=True
        )
    )
    return [
        s
        for s in all_suggestions(version)
        if s.advice_item_id not in taken and s.advice_item_id not in rejected
    ]


def source_warnings(version: PlanVersion) -> tuple[quality.Finding, ...]:
    """Provision with no source: the warnings the draft page shows (not scored, not blocking)."""
    return quality.warnings(version.sections)
