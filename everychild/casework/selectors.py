"""Reads of casework. Everything goes through the access policy's selectors
(`visible_assessment_requests`, `visible_advice_requests`), and every child's record shown to
a person is audited (one entry per child in a list).

The list pages compute each case's statutory clock in Python from data fetched in a constant
number of queries (`clock.clocks_for`): the number of queries does not grow with the number
of cases."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Q, QuerySet
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import Capability, has_capability, la_area_ids, roles_with
from everychild.accounts.models import (
    ADVICE_GIVING_KINDS,
    SETTING_KINDS,
    Organisation,
    OrganisationKind,
    User,
)
from everychild.casework import clock, policy
from everychild.casework import facts as case_facts
from everychild.casework.models import (
    OPEN_STAGES,
    AssessmentRequest,
    CaseDocument,
    Decision,
    GraduatedApproachStep,
    Letter,
    PanelMeeting,
    Stage,
)
from everychild.casework.policy import visible_advice_requests, visible_assessment_requests
from everychild.children.selectors import search_children
from everychild.core.wording import long_date as _long


@dataclass(slots=True)
class CaseRow:
    case: AssessmentRequest
    clock: clock.CaseClock


# --- One case -------------------------------------------------------------------------------


def case_for_viewing(user, case_id, *, request=None) -> AssessmentRequest:
    """The case if the user may open it (AssessmentRequest.DoesNotExist otherwise), its read
    audited."""
    try:
        case_id = int(case_id)
    except (TypeError, ValueError):
        raise AssessmentRequest.DoesNotExist from None
    case = (
        visible_assessment_requests(user)
        .select_related(
            "child",
            "child__current_setting",
            "area",
            "caseworker",
            "decided_by",
            "decision_to_issue_by",
            "not_to_issue_by",
        )
        .get(pk=case_id)
    )
    audit.record(
        action=AuditAction.VIEW, actor=user, child=case.child_id, record=case, request=request
    )
    return case


def advice_for_case(user, case: AssessmentRequest) -> QuerySet:
    return visible_advice_requests(user).filter(assessment_request=case)


def case_page(user, case: AssessmentRequest) -> dict:
    """What the case page shows: the clock, advice, consultations, exceptions, letters,
    documents, notes and the chronology."""
    advice = list(
        advice_for_case(user, case)
        .select_related("organisation", "work")
        .order_by("received_by_body_on")
    )
    exceptions = list(case.exceptions.select_related("advice_request", "recorded_by"))
    consultations = list(case.consultations.select_related("setting"))
    letters = list(case.letters.select_related("document", "created_by", "sent_by"))
    case_clock = clock._clock(
        case,
        advice=advice,
        exceptions=exceptions,
        consultations=consultations,
        letters=letters,
        today=timezone.localdate(),
    )
    due_by_advice = {
        m.key.split(":", 1)[1]: m for m in case_clock.milestones if m.key.startswith("advice:")
    }
    for item in advice:
        item.milestone = due_by_advice.get(str(item.pk))
    due_by_consultation = {
        m.key.split(":", 1)[1]: m
        for m in case_clock.milestones
        if m.key.startswith("consultation:")
    }
    for item in consultations:
        item.milestone = due_by_consultation.get(str(item.pk))
    return {
        "clock": case_clock,
        "milestones": case_clock.milestones,
        "advice": advice,
        "exceptions": exceptions,
        "consultations": consultations,
        "letters": letters,
        "documents": list(
            case.documents.select_related("uploaded_by").filter(kind=CaseDocument.Kind.UPLOAD)
        ),
        "notes": list(case.notes.select_related("author")[:100]),
        "events": list(case.events.select_related("actor").order_by("-happened_on", "-pk")),
        "next_steps": next_steps(user, case, case_clock, advice, consultations, letters),
        "reassessments": list(case.reassessments.only("pk", "reference", "stage")),
    }


def next_steps(user, case, case_clock, advice, consultations, letters) -> list[dict]:
    """'What happens next', in words, with the engine's dates and a link to each step the
    user may take."""
    steps: list[dict] = []
    can_decide = policy.may_take_decision(user, case, policy.ASSESS)
    can_decide_issue = policy.may_take_decision(user, case, policy.ISSUE)
    can_issue = policy.may_take_decision(user, case, policy.FINAL_PLAN)
    can_edit = policy.may_edit_case(user, case)
    sent_kinds = {letter.kind for letter in letters}

    def add(text, url_name=None, link_text=None, allowed=True):
        steps.append(
            {"text": text, "url_name": url_name if allowed else None, "link_text": link_text}
        )

    decision = case_clock.milestone("decision_whether_to_assess") or case_clock.milestone(
        "reassessment_decision"
    )
    final = case_clock.milestone("final_plan") or case_clock.milestone("reassessment_final_plan")
    if case.stage == Stage.AWAITING_DECISION:
        if decision and decision.due and decision.status == "overdue":
            text = f"The decision whether to assess was due on {_long(decision.due)}: it is late."
        else:
            when = f" by {_long(decision.due)}" if decision and decision.due else ""
            text = f"The panel decides whether to assess{when}."
        add(
            text,
            "casework:decision",
            "Record the decision",
            can_decide,
        )
    elif case.stage == Stage.ASSESSING:
        if case.decision == Decision.ASSESS and Letter.Kind.DECISION_TO_ASSESS not in sent_kinds:
            add(
                "Tell the family, and health, social care and the setting, that the assessment "
                "will go ahead.",
                "#letters",
                "Create the decision letter",
                can_edit,
            )
        awaited = [a for a in advice if a.provided_on is None and a.cancelled_on is None]
        if not advice:
            add(
                "Ask for advice: educational psychology, health, social care and the setting "
                "(reg 6).",
                "casework:advice-new",
                "Ask for advice",
                can_edit,
            )
        for item in awaited:
            due = item.milestone.due if getattr(item, "milestone", None) else None
            add(
                f"{item.get_kind_display()} from {item.organisation.name} is due"
                f"{' by ' + _long(due) if due else ''}.",
            )
        if advice and not awaited and case.decision_to_issue_on is None:
            add(
                "The assessment is complete: decide whether to issue a plan (it is on the "
                "agenda of the panel meeting).",
                "casework:issue-decision",
                "Record the decision whether to issue",
                can_decide_issue,
            )
        if advice and not awaited:
            latest = clock.latest_draft_day(final.due) if final and final.due else None
            if latest is None:
                tail = ""
            elif latest >= case_clock.today:
                tail = (
                    f" Serve it by {_long(latest)} so the family's 15 days end before the "
                    f"final plan is due ({_long(final.due)})."
                )
            else:
                tail = (
                    " It is too late for the family's 15 days to end before the final plan is "
                    f"due ({_long(final.due)}): serve it as soon as possible."
                )
            add(
                f"All advice is in: write and serve the draft plan.{tail}",
                "casework:draft",
                "Record the draft plan as served",
                can_edit,
            )
    elif case.stage == Stage.DRAFT_PLAN:
        closes = clock.comments_close(case.draft_plan_served_on)
        agreed = case.family_agreed_early_issue_on
        text = f"The family's 15 days to comment end on {_long(closes)}."
        if agreed:
            text += f" They agreed on {_long(agreed)} to an earlier final plan."
        add(text)
        for item in consultations:
            if item.answered_on is None:
                due = item.milestone.due if getattr(item, "milestone", None) else None
                add(
                    f"{item.setting.name} should answer the consultation"
                    f"{' by ' + _long(due) if due else ''}."
                )
        if case.decision_to_issue_on is None:
            add(
                "No decision to issue a plan is recorded yet: the final plan can be issued "
                "only once it is.",
                "casework:issue-decision",
                "Record the decision whether to issue",
                can_decide_issue,
            )
        else:
            add(f"The decision to issue a plan was made on {_long(case.decision_to_issue_on)}.")
        if final and final.due and final.status == "overdue":
            text = (
                f"The final plan was due on {_long(final.due)}: issue it as soon as the "
                "family's 15 days are up (or earlier if they agree)."
            )
        else:
            when = f" by {_long(final.due)}" if final and final.due else ""
            text = (
                f"Issue the final plan{when}, after the family's 15 days "
                "(or earlier if they agree)."
            )
        add(
            text,
            "casework:final",
            "Record the final plan as issued",
            can_issue and case.decision_to_issue_on is not None,
        )
    elif case.stage == Stage.PLAN_ISSUED:
        add(
            f"The final plan was issued on {_long(case.final_plan_issued_on)}. It must be "
            "reviewed within 12 months."
        )
    elif case.stage in (Stage.NOT_ASSESSING, Stage.NOT_ISSUING):
        kind = (
            Letter.Kind.DECISION_NOT_TO_ASSESS
            if case.stage == Stage.NOT_ASSESSING
            else Letter.Kind.DECISION_NOT_TO_ISSUE
        )
        if kind not in sent_kinds:
            add(
                "Send the decision letter: it gives the family's right to appeal, mediation "
                "and the dates by which to act.",
                "#letters",
                "Create the decision letter",
                can_edit,
            )
        letter_on = case_facts.appealable_letter_date(letters, timezone.localdate())
        if letter_on is not None:
            dates = clock.disagreement_dates(letter_on)
            add(
                f"The family may contact a mediation adviser by "
                f"{_long(dates['mediation_contact_by'])} and appeal by "
                f"{_long(dates['appeal_by'])}."
            )
    elif case.stage == Stage.WITHDRAWN:
        add(f"The request was withdrawn on {_long(case.withdrawn_on)}: the clock stopped.")
    return steps


def document_for_download(user, case_id, document_id, *, request=None) -> CaseDocument:
    """A document of a case the user may open (CaseDocument.DoesNotExist otherwise), the
    download audited."""
    case = visible_assessment_requests(user).filter(pk=case_id).first()
    if case is None:
        raise CaseDocument.DoesNotExist
    document = CaseDocument.objects.get(pk=document_id, assessment_request=case)
    audit.record(
        action=AuditAction.DOWNLOAD,
        actor=user,
        child=case.child_id,
        record=document,
        request=request,
        detail={"case": case.pk},
    )
    return document


# --- Lists ----------------------------------------------------------------------------------


def audit_shown(user, cases, *, request=None) -> None:
    """One audit entry per child shown in a list."""
    audit.record_shown(
        user,
        ((case.child_id, "casework.AssessmentRequest", str(case.pk)) for case in cases),
        request=request,
        detail={"list": True},
    )


def open_cases(user) -> QuerySet:
    """The open cases the user may see."""
    return visible_assessment_requests(user).filter(stage__in=OPEN_STAGES)


_SUMMARY_FIELDS = (
    "id",
    "reference",
    "stage",
    "received_on",
    "decision",
    "decision_on",
    "draft_plan_served_on",
    "family_agreed_early_issue_on",
    "no_coronavirus_reason",
    "final_plan_issued_on",
    "decision_not_to_issue_on",
    "decision_to_issue_on",
    "withdrawn_on",
    "reassessment_of_id",
    "version",
    "area_id",
    "child_id",
    "caseworker_id",
    "child__first_name",
    "child__last_name",
    "child__preferred_name",
    "caseworker__full_name",
)
_SUMMARY_NAMES = tuple(f.replace("__", "_") for f in _SUMMARY_FIELDS)
_STAGE_LABELS = dict(Stage.choices)


class CaseSummary:
    """An open case as the list pages need it, read with one `values_list` query: for the
    hundreds of cases a breach-risk list considers, model instances (three per row, with
    the child and caseworker) cost more than computing their statutory clocks. It has the
    attributes the clock reads from a case (`clock.facts_dict`, `clock.breach_risk`)."""

    __slots__ = _SUMMARY_NAMES

    def __init__(self, values):
        for name, value in zip(_SUMMARY_NAMES, values, strict=True):
            setattr(self, name, value)

    @property
    def pk(self) -> int:
        return self.id

    @property
    def child_name(self) -> str:
        return f"{self.child_preferred_name or self.child_first_name} {self.child_last_name}"

    @property
    def stage_label(self) -> str:
        return _STAGE_LABELS[self.stage]

    @property
    def caseworker_name(self) -> str:
        return self.caseworker_full_name or ""


def summaries(qs: QuerySet) -> list[CaseSummary]:
    return [CaseSummary(values) for values in qs.order_by().values_list(*_SUMMARY_FIELDS)]


def _matching(user, qs: QuerySet, query: str) -> QuerySet:
    """Cases whose child matches a name, UPN or date of birth (as the children search reads
    them), or whose reference matches."""
    query = (query or "").strip()
    if not query:
        return qs
    children = search_children(user, query).values("pk")
    return qs.filter(Q(child__in=children) | Q(reference__iexact=query))


SHOW_CHOICES = {
    "mine": "Allocated to me",
    "all": "All open cases in the area",
    "unallocated": "Not yet allocated",
    "awaiting_decision": "Waiting for a decision",
}
SORT_CHOICES = {
    "priority": "What needs doing first",
    "due": "Next legal date",
    "child": "Child's name",
    "received": "Date received (oldest first)",
    "stage": "Stage",
}
STATUS_CHOICES = dict(clock.STATUS_LABELS)


def default_show(user) -> str:
    if has_capability(user, Capability.CASELOAD):
        return "mine"
    if has_capability(user, Capability.DECIDE) and not has_capability(user, Capability.MANAGE_TEAM):
        return "awaiting_decision"
    return "all"


def caseload(
    user,
    *,
    show: str = "mine",
    stage: str = "",
    status: str = "",
    query: str = "",
    sort: str = "priority",
    today: dt.date | None = None,
) -> list[CaseRow]:
    """Open cases with their clocks, filtered and sorted (default: what needs doing first)."""
    qs = open_cases(user)
    if show == "mine":
        qs = qs.filter(caseworker=user)
    elif show == "unallocated":
        qs = qs.filter(caseworker__isnull=True)
    elif show == "awaiting_decision":
        qs = qs.filter(stage=Stage.AWAITING_DECISION)
    if stage in {s.value for s in OPEN_STAGES}:
        qs = qs.filter(stage=stage)
    qs = _matching(user, qs, query)
    cases = summaries(qs)
    clocks = clock.clocks_for(cases, today=today, source=qs)
    rows = [CaseRow(case, clocks[case.pk]) for case in cases]
    if status in clock.STATUS_LABELS:
        rows = [row for row in rows if row.clock.status == status]
    return sort_rows(rows, sort)


_STAGE_ORDER = {s.value: i for i, s in enumerate(Stage)}


def sort_rows(rows: list[CaseRow], sort: str) -> list[CaseRow]:
    far = dt.date.max
    if sort == "due":
        key = lambda r: (r.clock.next.due if r.clock.next else far, r.case.pk)  # noqa: E731
    elif sort == "child":
        key = lambda r: (r.case.child_last_name, r.case.child_first_name, r.case.pk)  # noqa: E731
    elif sort == "received":
        key = lambda r: (r.case.received_on, r.case.pk)  # noqa: E731
    elif sort == "stage":
        key = lambda r: (_STAGE_ORDER[r.case.stage], r.clock.sort_key, r.case.pk)  # noqa: E731
    else:
        key = lambda r: (*r.clock.sort_key, r.case.received_on, r.case.pk)  # noqa: E731
    return sorted(rows, key=key)


def search_cases(user, query: str) -> QuerySet:
    """Every case (open or closed) the user may see whose child matches a name, UPN or date
    of birth, or whose reference matches."""
    query = (query or "").strip()
    qs = visible_assessment_requests(user).select_related("child", "caseworker")
    if not query:
        return qs.none()
    return _matching(user, qs, query).order_by("-received_on", "-pk")


# --- The team -------------------------------------------------------------------------------


def casework_staff(area_ids) -> QuerySet:
    """The areas' caseworkers and managers (who may hold cases)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role__in=roles_with(Capability.WRITE_CASES),
            memberships__organisation__kind=OrganisationKind.LOCAL_AUTHORITY,
            memberships__organisation__area_id__in=list(area_ids),
        )
        .distinct()
        .order_by("full_name")
    )


def team_overview(user, *, today: dt.date | None = None) -> dict:
    """For a team manager: unallocated requests, each coordinator's caseload with how many
    cases are overdue or due soon, and how many open cases are at risk of a breach."""
    areas = la_area_ids(user, Capability.MANAGE_TEAM)
    qs = open_cases(user).filter(area_id__in=areas)
    cases = summaries(qs)
    clocks = clock.clocks_for(cases, today=today, source=qs)
    rows = [CaseRow(case, clocks[case.pk]) for case in cases]
    staff = list(casework_staff(areas))
    loads = {
        person.pk: {"person": person, "open": 0, "overdue": 0, "due_soon": 0} for person in staff
    }
    unallocated = []
    for row in rows:
        if row.case.caseworker_id is None:
            unallocated.append(row)
            continue
        load = loads.get(row.case.caseworker_id)
        if load is None:  # allocated to someone no longer in the team
            load = loads[row.case.caseworker_id] = {
                "person": SimpleNamespace(full_name=row.case.caseworker_name),
                "open": 0,
                "overdue": 0,
                "due_soon": 0,
            }
        load["open"] += 1
        if row.clock.status in ("overdue", "due_soon"):
            load[row.clock.status] += 1
    risks = [r for r in (clock.breach_risk(row.case, row.clock) for row in rows) if r]
    return {
        "unallocated": sort_rows(unallocated, "priority"),
        "loads": sorted(loads.values(), key=lambda x: (-x["open"], x["person"].full_name)),
        "staff": staff,
        "open_count": len(rows),
        "at_risk_count": sum(1 for r in risks if not r.missed),
        "missed_count": sum(1 for r in risks if r.missed),
    }


def team_cases(user, *, caseworker_id: int | None = None, today: dt.date | None = None) -> list:
    """For a team manager reallocating: the open cases of their areas (those of one
    caseworker if `caseworker_id` is given), what needs doing first at the top."""
    areas = la_area_ids(user, Capability.MANAGE_TEAM)
    qs = open_cases(user).filter(area_id__in=areas)
    if caseworker_id is not None:
        qs = qs.filter(caseworker_id=caseworker_id)
    cases = summaries(qs)
    clocks = clock.clocks_for(cases, today=today, source=qs)
    return sort_rows([CaseRow(case, clocks[case.pk]) for case in cases], "priority")


def breach_risks(user, *, show: str = "at_risk", today: dt.date | None = None) -> list:
    """Open cases of the manager's areas that will miss 6 or 20 weeks unless something
    happens, by days remaining (fewest first). `show`: "at_risk" (not yet missed), "missed"
    (already past the limit) or "all"."""
    areas = la_area_ids(user, Capability.MANAGE_TEAM)
    qs = open_cases(user).filter(area_id__in=areas)
    cases = summaries(qs)
    clocks = clock.clocks_for(cases, today=today, source=qs)
    risks = [r for r in (clock.breach_risk(case, clocks[case.pk]) for case in cases) if r]
    if show == "at_risk":
        risks = [r for r in risks if not r.missed]
    elif show == "missed":
        risks = [r for r in risks if r.missed]
    return sorted(risks, key=lambda r: (r.days_remaining, r.due, r.case.pk))


# --- Choices for the forms --------------------------------------------------------------------


def advice_organisations(area) -> QuerySet:
    """Organisations that may be asked for advice in the area (agencies and settings)."""
    return Organisation.objects.filter(
        Q(area=area) | Q(area__isnull=True),
        kind__in=[*ADVICE_GIVING_KINDS, *SETTING_KINDS],
        is_active=True,
    ).order_by("kind", "name")


def consultation_settings(area) -> QuerySet:
    return Organisation.objects.filter(
        Q(area=area) | Q(area__isnull=True), kind__in=list(SETTING_KINDS), is_active=True
    ).order_by("name")


# --- Letters to send ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LetterDue:
    """A letter the case's records call for and nobody has made yet (what "Create" offers
    on the case page, and what My tasks lists as a letter to send)."""

    kind: str
    subject: str
    label: str


def letters_due(case: AssessmentRequest) -> list[LetterDue]:
    """The case's letters not yet made, from its decisions, advice requests, consultations
    and plan steps (plan letters after issue are made from the plan's pages)."""
    made = set(Letter.objects.filter(assessment_request=case).values_list("kind", "subject"))
    wanted: list[LetterDue] = []

    def want(kind, subject="", label=None):
        if (kind, subject) not in made:
            wanted.append(LetterDue(kind, subject, label or Letter.Kind(kind).label))

    if case.decision == Decision.ASSESS:
        want(Letter.Kind.DECISION_TO_ASSESS)
        for advice in case.advice_requests.filter(cancelled_on__isnull=True).select_related(
            "organisation"
        ):
            want(
                Letter.Kind.ADVICE_REQUEST,
                f"advice:{advice.pk}",
                f"Request for advice to {advice.organisation.name}",
            )
    if case.decision == Decision.NOT_ASSESS:
        want(Letter.Kind.DECISION_NOT_TO_ASSESS)
    if case.draft_plan_served_on:
        want(Letter.Kind.DRAFT_PLAN_NOTICE)
    if case.decision == Decision.ASSESS:
        for consultation in case.consultations.select_related("setting"):
            want(
                Letter.Kind.SCHOOL_CONSULTATION,
                f"consultation:{consultation.pk}",
                f"Consultation with {consultation.setting.name}",
            )
    if case.decision_not_to_issue_on:
        want(Letter.Kind.DECISION_NOT_TO_ISSUE)
    if case.final_plan_issued_on:
        want(Letter.Kind.FINAL_PLAN_NOTICE)
    return wanted


# --- The panel meeting (decision 0192) --------------------------------------------------------


@dataclass(slots=True)
class AgendaItem:
    """A case waiting for one of the panel's decisions: its legal date and its papers."""

    case: AssessmentRequest
    which: str  # policy.ASSESS or policy.ISSUE
    due: dt.date | None
    overdue: bool
    advice: list
    documents: list
    evidence: int  # rows of the school's graduated-approach evidence (0: none sent)
    may_decide: bool


def panel_meetings(user, area_ids) -> QuerySet:
    return PanelMeeting.objects.filter(area_id__in=area_ids).select_related("created_by")


def panel_meeting_for(user, meeting_id):
    """A meeting of one of the user's panels (PanelMeeting.DoesNotExist otherwise)."""
    return (
        PanelMeeting.objects.filter(area_id__in=la_area_ids(user, Capability.DECIDE))
        .select_related("area", "created_by")
        .get(pk=meeting_id)
    )


def panel_agenda(user, area_id: int, *, request=None) -> dict[str, list[AgendaItem]]:
    """The cases of the area waiting for a decision whether to assess, and those whose
    assessment is complete (all the advice asked is in) waiting for a decision whether to
    issue a plan, soonest legal date first, each with its papers. Every child shown is
    audited."""
    cases = visible_assessment_requests(user).filter(area_id=area_id)
    waiting_assess = cases.filter(stage=Stage.AWAITING_DECISION)
    waiting_issue = cases.filter(
        stage__in=(Stage.ASSESSING, Stage.DRAFT_PLAN),
        decision=Decision.ASSESS,
        decision_to_issue_on__isnull=True,
        advice_requests__isnull=False,
    ).distinct()
    related = ("child", "area", "school_request")
    rows = [(case, policy.ASSESS) for case in waiting_assess.select_related(*related)] + [
        (case, policy.ISSUE) for case in waiting_issue.select_related(*related)
    ]
    # A case with advice still awaited is not complete: dropped below, by its advice.
    ids = [case.pk for case, _ in rows]
    advice_by_case: dict[int, list] = {}
    for item in (
        visible_advice_requests(user)
        .filter(assessment_request_id__in=ids)
        .select_related("organisation")
        .order_by("received_by_body_on", "pk")
    ):
        advice_by_case.setdefault(item.assessment_request_id, []).append(item)
    documents_by_case: dict[int, list] = {}
    for document in CaseDocument.objects.filter(assessment_request_id__in=ids).order_by(
        "uploaded_at", "pk"
    ):
        documents_by_case.setdefault(document.assessment_request_id, []).append(document)
    evidence: dict[int, int] = {}
    for case_id in GraduatedApproachStep.objects.filter(
        school_request__assessment_request_id__in=ids
    ).values_list("school_request__assessment_request_id", flat=True):
        evidence[case_id] = evidence.get(case_id, 0) + 1
    clocks = clock.clocks_for([case for case, _ in rows]) if rows else {}
    agenda: dict[str, list[AgendaItem]] = {policy.ASSESS: [], policy.ISSUE: []}
    for case, which in rows:
        advice = advice_by_case.get(case.pk, [])
        if which == policy.ISSUE and (
            not advice or any(a.provided_on is None and a.cancelled_on is None for a in advice)
        ):
            continue
        case_clock = clocks.get(case.pk)
        key = "decision_whether_to_assess" if which == policy.ASSESS else "final_plan"
        milestone = None
        if case_clock is not None:
            milestone = case_clock.milestone(key) or case_clock.milestone(
                "reassessment_decision" if which == policy.ASSESS else "reassessment_final_plan"
            )
        due = milestone.due if milestone is not None else None
        agenda[which].append(
            AgendaItem(
                case=case,
                which=which,
                due=due,
                overdue=due is not None and due < timezone.localdate(),
                advice=[a for a in advice if a.provided_on is not None],
                documents=documents_by_case.get(case.pk, []),
                evidence=evidence.get(case.pk, 0),
                may_decide=policy.may_take_decision(user, case, which),
            )
        )
    for items in agenda.values():
        items.sort(key=lambda item: (item.due or dt.date.max, item.case.pk))
    audit.record_shown(
        user,
        (
            (item.case.child_id, "children.Child", str(item.case.child_id))
            for items in agenda.values()
            for item in items
        ),
        action=AuditAction.VIEW,
        request=request,
    )
    return agenda


def decisions_at(meeting) -> list[dict]:
    """The decisions recorded at a panel meeting: which case, what was decided, by whom."""
    rows = []
    fields = (
        ("decision_meeting", "decision_on", "decided_by", None),
        ("decision_to_issue_meeting", "decision_to_issue_on", "decision_to_issue_by", "issue"),
        ("not_to_issue_meeting", "decision_not_to_issue_on", "not_to_issue_by", "not_issue"),
    )
    for meeting_field, on_field, by_field, what in fields:
        for case in AssessmentRequest.objects.filter(**{meeting_field: meeting}).select_related(
            "child", by_field
        ):
            if what is None:
                words = (
                    "Decided to assess"
                    if case.decision == Decision.ASSESS
                    else "Decided not to assess"
                )
            elif what == "issue":
                words = "Decided to issue an EHC plan"
            else:
                words = "Decided not to issue an EHC plan"
            rows.append(
                {
                    "case": case,
                    "words": words,
                    "on": getattr(case, on_field),
                    "by": getattr(case, by_field),
                }
            )
    rows.sort(key=lambda row: (row["case"].reference, row["words"]))
    return rows
