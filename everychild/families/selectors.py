"""Reads of the family portal. Everything a family sees comes from the statutory engine (via
casework's clock) and from the case's facts, in words written here: never a caseworker's
note, a chronology summary, an organisation's or another person's name (the allocated
caseworker's own name apart: docs/decisions/0200)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.access.policy import Capability, la_area_ids
from everychild.advice.models import AdviceWork
from everychild.advice.selectors import advice_received_for
from everychild.casework import clock
from everychild.casework import facts as case_facts
from everychild.casework.models import AdviceKind, AssessmentRequest, CaseDocument, Stage
from everychild.casework.policy import family_cases
from everychild.children.models import Child
from everychild.children.policy import family_children, visible_children
from everychild.core.wording import long_date as _long
from everychild.families.models import (
    PLAN_SECTIONS,
    VIEWS_QUESTIONS,
    DraftPlanResponse,
    FamilyMessage,
    PublicRequest,
    ViewsStatement,
)
from everychild.plans import clock as plan_clock
from everychild.plans import selectors as plan_selectors
from everychild.plans.documents import document_context
from everychild.plans.models import (
    AnnualReview,
    Disagreement,
    EHCPlan,
    PlanVersion,
    ReviewDecision,
)
from everychild.statutory import ages as age
from everychild.statutory import deadlines
from everychild.statutory.milestones import OVERDUE, PENDING

# Who gives each kind of advice, in a family's words (no organisation's or person's name).
ADVICE_FROM = {
    AdviceKind.EDUCATIONAL_PSYCHOLOGY: "the educational psychology service",
    AdviceKind.HEALTH: "the health service",
    AdviceKind.SOCIAL_CARE: "children's social care",
    AdviceKind.EDUCATION: "{childs} school or setting",
    AdviceKind.OTHER: "another professional",
}

# The words below name the child as {child} ("your child", or "you" to a young person acting
# for themselves), {childs} ("your child's" or "your") and the verb after it as {needs}.
STAGE_WORDS = {
    Stage.AWAITING_DECISION: (
        "We are deciding whether to do an assessment",
        "We have your request. We are now deciding whether to do an education, health and "
        "care (EHC) needs assessment. This means finding out what help {child} {needs}.",
    ),
    Stage.ASSESSING: (
        "We are doing the assessment",
        "We agreed to do an EHC needs assessment. We are asking people who know {child} "
        "for their advice.",
    ),
    Stage.DRAFT_PLAN: (
        "We have sent you a draft plan",
        "We have written a draft EHC plan. You can read it and tell us what you think.",
    ),
    Stage.PLAN_ISSUED: (
        "The final plan has been issued",
        "{Childs} EHC plan is final. The school or setting named in it must give the "
        "help it describes.",
    ),
    Stage.NOT_ASSESSING: (
        "We decided not to do an assessment",
        "We wrote to you to explain why. You can ask for mediation or appeal.",
    ),
    Stage.NOT_ISSUING: (
        "We decided not to issue a plan",
        "We wrote to you to explain why. You can ask for mediation or appeal.",
    ),
    Stage.WITHDRAWN: ("The request was withdrawn", "This request is closed."),
}

YOU = {"child": "you", "childs": "your", "Childs": "Your", "needs": "need"}
YOUR_CHILD = {
    "child": "your child",
    "childs": "your child's",
    "Childs": "Your child's",
    "needs": "needs",
}


def speaks_for_themselves(user, case_or_child) -> bool:
    """Whether the reader is the young person whose record this is (CFA 2014 s.80: from the end
    of compulsory school age the young person acts for themselves): the portal then says
    "you", never "your child"."""
    child = getattr(case_or_child, "child", case_or_child)
    return user is not None and child.own_account_id == getattr(user, "pk", None)


def _say(text: str, young: bool) -> str:
    return text.format(**(YOU if young else YOUR_CHILD))


def _advice_from(advice) -> str:
    """Who gave (or was asked for) a piece of advice, by kind ("{childs} school or setting" for
    any advice from a setting), to be said with _say."""
    if advice.organisation.is_setting:
        return ADVICE_FROM[AdviceKind.EDUCATION]
    return ADVICE_FROM.get(advice.kind, "another professional")


# What the family can do when a legal date has passed: said with every late step.
WHAT_YOU_CAN_DO = (
    "You can send a message to your caseworker to ask what is happening. If that does not put "
    "it right, you can complain to the council, and then to the Local Government and Social "
    "Care Ombudsman."
)

# The legal dates a family is shown as "the next legal date", and what each means. (A
# consultation's date is shown with who we are waiting for.)
MEANINGS = {
    "decision_whether_to_assess": "the last day we can tell you whether we will do an assessment",
    "final_plan": "the last day we can send you the final EHC plan (20 weeks from the request)",
    "draft_plan_comments_close": "the last day you can comment on the draft plan",
    "reassessment_decision": "the last day we can tell you whether we will assess again",
    "reassessment_final_plan": "the last day we can send you the final plan after re-assessment",
}
# What happens when we miss a legal date (the family is told, and what they can do).
MISSED = {
    "decision_whether_to_assess": (
        "We did not tell you our decision in time. We are sorry. Your caseworker's manager "
        "has been told. You can complain to the council, and to the Local Government and "
        "Social Care Ombudsman if that does not put it right."
    ),
    "final_plan": (
        "We did not send the final plan in time. We are sorry. We are working to finish it "
        "as soon as we can. You can complain to the council, and to the Ombudsman if that "
        "does not put it right."
    ),
    "reassessment_decision": (
        "We did not tell you in time whether we will assess again. We are sorry. " + WHAT_YOU_CAN_DO
    ),
    "reassessment_final_plan": (
        "We did not send the final plan after the re-assessment in time. We are sorry. "
        + WHAT_YOU_CAN_DO
    ),
    "advice": (
        "Some advice is late. We are chasing it. We will not wait for it longer than we must."
    ),
}
# The annual review is late: CFA 2014 s.44(1) (within 12 months of the plan's making or last
# review).
REVIEW_LATE = (
    "The annual review of the plan is late: it should have been held by {due}. We are sorry. "
    "You can ask {childs} school or college to hold the review meeting. " + WHAT_YOU_CAN_DO
)


@dataclass
class WhereAreWe:
    case: AssessmentRequest
    heading: str
    explanation: str
    next_date: dt.date | None = None
    next_meaning: str = ""
    # What happens next when it has no legal date of its own yet (a decision to amend whose
    # changes are not sent).
    next_step: str = ""
    waiting_for: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    can_do: list[dict] = field(default_factory=list)
    history: list[tuple[dt.date, str]] = field(default_factory=list)
    window: dict | None = None
    review_due: dt.date | None = None
    review_late: bool = False
    appeal: AppealRights | None = None
    young: bool = False
    caseworker_name: str = ""

    @property
    def message_to(self) -> str:
        return message_to(self.caseworker_name)


def children_for(user, *, request=None) -> list[dict]:
    """The family's children, each with their cases (newest first). Audited."""
    children = list(family_children(user).order_by("first_name", "pk"))
    cases = {}
    for case in family_cases(user).order_by("-received_on", "-pk"):
        cases.setdefault(case.child_id, []).append(case)
    if children:
        audit.record_many(
            [
                audit.AuditEvent(
                    action=AuditAction.VIEW,
                    actor=user,
                    child_id=c.pk,
                    record_type="children.Child",
                    record_id=str(c.pk),
                    ip_address=audit.client_address(request),
                    detail={"page": "family_home"},
                )
                for c in children
            ]
        )
    return [{"child": c, "cases": cases.get(c.pk, [])} for c in children]


def family_case(user, case_id, *, request=None) -> AssessmentRequest:
    """One of the family's cases, or AssessmentRequest.DoesNotExist (the same whether it does
    not exist or is someone else's). Audited."""
    case = family_cases(user).select_related("child", "area").get(pk=case_id)
    audit.record(
        action=AuditAction.VIEW,
        actor=user,
        child=case.child_id,
        record=case,
        request=request,
        detail={"page": "family_case"},
    )
    return case


def where_are_we(case: AssessmentRequest, *, today: dt.date | None = None, user=None) -> WhereAreWe:
    """'Where are we?' for one case, from the engine's milestones and the case's facts, in
    words for the reader (a young person acting for themselves is "you"). The next legal date
    is never one that has passed: a missed date is said to be late, with an apology and what
    the family can do."""
    today = today or timezone.localdate()
    young = speaks_for_themselves(user, case)
    advice = list(case.advice_requests.select_related("organisation"))
    case_clock = clock._clock(
        case,
        advice=advice,
        exceptions=list(case.exceptions.all()),
        consultations=list(case.consultations.all()),
        letters=list(case.letters.all()),
        today=today,
    )
    heading, explanation = STAGE_WORDS[Stage(case.stage)]
    view = WhereAreWe(
        case=case,
        heading=heading,
        explanation=_say(explanation, young),
        young=young,
        caseworker_name=caseworker_name(case),
    )
    by_key = {m.key: m for m in case_clock.milestones}

    # The next legal date: the earliest still to come that the family should know about.
    running = [
        m
        for m in case_clock.milestones
        if m.status in (PENDING, OVERDUE) and m.due is not None and m.rule in MEANINGS
    ]
    upcoming = [m for m in running if m.status == PENDING and m.due >= today]
    if case.is_open and upcoming:
        nxt = min(upcoming, key=lambda m: m.due)
        view.next_date, view.next_meaning = nxt.due, MEANINGS[nxt.rule]

    # Who we are waiting for.
    if case.is_open:
        for item in advice:
            if item.provided_on or item.cancelled_on:
                continue
            milestone = by_key.get(f"advice:{item.pk}")
            who = _say(_advice_from(item), young)
            line = f"We asked {who} for advice on {_long(item.received_by_body_on)}"
            if milestone is not None and milestone.due is not None:
                late = milestone.status == OVERDUE
                line += (
                    f"; it was due by {_long(milestone.due)} and is late. We are chasing it."
                    if late
                    else f"; it is due by {_long(milestone.due)}."
                )
            else:
                line += "."
            view.waiting_for.append(line)
        for consultation in case.consultations.all():
            if consultation.answered_on is None:
                milestone = by_key.get(f"consultation:{consultation.pk}")
                due = f"; it should answer by {_long(milestone.due)}." if milestone else "."
                view.waiting_for.append(
                    f"We asked a school or setting whether it can meet {_say('{childs}', young)} "
                    f"needs on {_long(consultation.sent_on)}{due}"
                )
        if case.stage == Stage.AWAITING_DECISION:
            view.waiting_for.append("We are waiting for our panel to decide.")
        for m in running:
            if m.status == OVERDUE and m.rule in MISSED and m.rule != "advice":
                view.missed.append(f"The legal date was {_long(m.due)}. " + MISSED[m.rule])

    view.window = clock.comment_window(case, today)
    if case.stage == Stage.PLAN_ISSUED and case.final_plan_issued_on:
        # A review still under way (its decision, or the amendment it decided on) comes before
        # the next annual review: that is what must happen next by law.
        _after_review(view, case, today)
        view.appeal = appeal_rights(case, today)
        view.review_due = next_review_due(case)
        if view.review_due < today:
            view.review_late = True
            view.missed.append(_say(REVIEW_LATE.replace("{due}", _long(view.review_due)), young))
        elif view.next_date is None and not view.next_step:
            view.next_date = view.review_due
            view.next_meaning = "the latest date for the next annual review of the plan"
    if case.stage in (Stage.NOT_ASSESSING, Stage.NOT_ISSUING):
        letter_on = case_facts.appealable_letter_date(case.letters.all(), today)
        if letter_on is not None:
            dates = clock.disagreement_dates(letter_on)
            if dates["appeal_by"] >= today:
                view.next_date = dates["appeal_by"]
                view.next_meaning = (
                    "the last day to appeal to the tribunal (you must first contact a "
                    f"mediation adviser, by {_long(dates['mediation_contact_by'])})"
                )
    view.can_do = _can_do(case, view, user)
    view.history = family_history(case, young=young)
    return view


# The steps after a review meeting that are "the next legal date" while still to come (reg
# 20(10), 22(2)(c), 22(3)), what each means to the family, and what is said when one is missed.
AFTER_REVIEW = {
    "review_decision": "the last day we can tell you what we decided after the review meeting",
    "amendment_comments_close": (
        "the last day you can tell us what you think of the changes we propose to the plan"
    ),
    "amended_plan": (
        "the last day we can send you the amended plan (8 weeks from when we sent you the "
        "changes we propose)"
    ),
}
# A decision to amend before its changes are sent: reg 22(2)(c) (at least 15 days to comment)
# and 22(3) (the amended plan within 8 weeks of sending them), said without dates, which the
# engine gives only once the changes are sent.
AMENDMENTS_TO_COME = (
    "We will send you the changes we propose. You will then have at least 15 days to tell us "
    "what you think, and we must send you the amended plan within 8 weeks of sending you the "
    "changes."
)
AFTER_REVIEW_MISSED = {
    "review_decision": (
        "We did not tell you in time what we decided after the review meeting. We are sorry. "
        + WHAT_YOU_CAN_DO
    ),
    "amended_plan": (
        "We did not send you the amended plan in time. We are sorry. " + WHAT_YOU_CAN_DO
    ),
}


def review_under_way(case: AssessmentRequest) -> AnnualReview | None:
    """The latest review whose meeting was held and which is not finished: waiting for the
    council's decision, or for the amended plan (or the notice not to amend) it decided on."""
    review = (
        AnnualReview.objects.filter(plan__assessment_request=case, meeting_on__isnull=False)
        .select_related("plan__area", "amended_version")
        .order_by("-meeting_on", "-pk")
        .first()
    )
    return review if review is not None and not review.is_complete else None


def _after_review(view: WhereAreWe, case: AssessmentRequest, today: dt.date) -> None:
    """The next legal date while a review is under way, from the engine's steps of that review
    (the staff review page's): the decision, then the family's days to comment on the proposed
    changes, then the amended plan. A decision to amend whose changes are not sent yet has no
    date of its own: the family is told what will happen."""
    review = review_under_way(case)
    if review is None:
        return
    steps = review_steps(review, today)
    for key, words in AFTER_REVIEW_MISSED.items():
        missed = steps.get(key)
        if missed is not None and missed.status == OVERDUE:
            view.missed.append(f"The legal date was {_long(missed.due)}. " + words)
    upcoming = [
        m
        for key, m in steps.items()
        if key in AFTER_REVIEW and m.status == PENDING and m.due is not None and m.due >= today
    ]
    if upcoming:
        nxt = min(upcoming, key=lambda m: m.due)
        view.next_date, view.next_meaning = nxt.due, AFTER_REVIEW[nxt.key]
        amended = steps.get("amended_plan")
        if nxt.key == "amendment_comments_close" and amended is not None and amended.due:
            view.next_meaning += f". We must then send you the amended plan by {_long(amended.due)}"
    elif review.decision == ReviewDecision.AMEND and review.amendments_sent_on is None:
        view.next_step = (
            _say(
                f"On {_long(review.decision_on)} we decided to change (amend) {{childs}} plan. ",
                view.young,
            )
            + AMENDMENTS_TO_COME
        )


@dataclass(frozen=True)
class AppealRights:
    """The family's right to appeal a decision about the plan (CFA 2014 s.51): what it was and
    when we sent it, the last day to contact a mediation adviser (reg 33) and the last day for
    an appeal to reach the Tribunal (HESC Rules r.20(1)(c)), both from the engine by the staff
    side's own selector (`plans.selectors.disagreement_dates`)."""

    what: str
    sent_on: dt.date
    mediation_contact_by: dt.date
    appeal_by: dt.date
    # Only the school or other place named in section I can be appealed without a mediation
    # certificate (CFA 2014 s.55; reg 33); a decision to cease has no section I.
    about_a_plan: bool
    # Whether the mediation adviser can still be contacted in time (the appeal's last day can
    # fall later: moved to a working day, or a month from a certificate).
    mediation_open: bool = True


def appealable_plan_decision(plan: EHCPlan) -> tuple[str, dt.date, bool]:
    """The latest decision about the plan that can be appealed, with the date we sent it, from
    the staff side's list (`plans.selectors.appealable_decisions`, CFA 2014 s.51(2)(c), (e),
    (f)): the final plan, an amended plan, a review's decision to keep the plan as it is or not
    to change it after all, or the notice that the plan will cease. (what, sent on, about the
    plan's contents)."""
    latest = plan_selectors.appealable_decisions(plan)[-1]
    return latest.what, latest.sent_on, latest.about_a_plan


def appeal_rights(case: AssessmentRequest, today: dt.date) -> AppealRights | None:
    """The family's appeal rights against the latest decision about the plan, while there is
    still time to appeal. A disagreement the caseworker recorded on that decision brings its
    mediation certificate, which can give a later last day (1 month from the certificate)."""
    plan = plan_of(case)
    if plan is None:
        return None
    what, sent_on, about_a_plan = appealable_plan_decision(plan)
    recorded = (
        Disagreement.objects.filter(plan=plan, decision_letter_on=sent_on).order_by("-pk").first()
    )
    dates = plan_selectors.disagreement_dates(
        recorded or Disagreement(plan=plan, decision_letter_on=sent_on)
    )
    if dates["appeal_by"] < today:
        return None
    return AppealRights(
        what=what,
        sent_on=sent_on,
        mediation_contact_by=dates["mediation_contact_by"],
        appeal_by=dates["appeal_by"],
        about_a_plan=about_a_plan,
        mediation_open=dates["mediation_contact_by"] >= today,
    )


def caseworker_name(case: AssessmentRequest) -> str:
    """The name of the caseworker the family deals with (the issue 20 exception to 'no
    person's name': a family must know who their caseworker is)."""
    worker = case.caseworker
    return (worker.full_name or "").strip() if worker is not None else ""


def message_to(caseworker: str) -> str:
    """Who a family's message reaches, for a link, a heading or a confirmation: their
    caseworker (`caseworker_name`), or while the request has none, the SEND team, whose
    managers are told (services.send_message). "Send a message to your caseworker" promised a
    family someone they did not have yet."""
    return "your caseworker" if caseworker else "the SEND team"


def plan_of(case: AssessmentRequest):
    """The EHC plan that came from this case (None before the final plan)."""
    return EHCPlan.objects.filter(assessment_request=case).first()


def next_review_due(case: AssessmentRequest) -> dt.date:
    """The latest date of the next annual review: the scheduled review not yet held, or 12
    months starting with the plan's making or its last review (CFA 2014 s.44(1))."""
    plan = plan_of(case)
    if plan is not None:
        scheduled = plan.reviews.filter(meeting_on__isnull=True).order_by("due_on").first()
        if scheduled is not None:
            return scheduled.due_on
        # The same judgement as the plan's own page (reg 15 for a plan transferred in).
        return plan_clock.review_due(
            issued_on=plan.issued_on,
            last_meeting_on=plan.last_review_meeting_on,
            born=None,
            six_monthly_under_5=False,
            count_start_as_day_one=case.area.count_start_as_day_one,
            transferred_on=plan_clock.transferred_on(getattr(plan, "transfer_in", None)),
        )
    return deadlines.annual_review_due(
        case.final_plan_issued_on, count_start_as_day_one=case.area.count_start_as_day_one
    )


def _can_do(case: AssessmentRequest, view: WhereAreWe, user=None) -> list[dict]:
    """What the reader can do now: what they have already done is offered as something to
    read, never as something still to do."""
    actions = []
    if case.is_open:
        sent = user is not None and all(
            statement is not None and statement.is_sent
            for kind, statement in statements_for(user, case).items()
            if kind in views_kinds(user, case)
        )
        actions.append(
            {
                "text": "Read the views you sent"
                if sent
                else _say("Tell us about {childs} views, interests and hopes", view.young),
                "url_name": "families:views",
            }
        )
    commented = user is not None and sent_responses_for(user, case)
    if view.window and view.window["is_open"]:
        last_day = _long(view.window["last_day"])
        actions.append(
            {
                "text": f"Add more comments on the draft plan by {last_day}"
                if commented
                else f"Comment on the draft plan by {last_day}",
                "url_name": "families:draft",
            }
        )
    elif view.window:
        actions.append(
            {"text": "Read the draft plan and your comments", "url_name": "families:draft"}
        )
    if case.stage == Stage.PLAN_ISSUED:
        actions.append(
            {"text": "Read the final plan, reviews and documents", "url_name": "families:plan"}
        )
    if user is not None:
        actions.append(
            {
                "text": f"Send a message to {message_to(view.caseworker_name)}",
                "url_name": "families:message",
            }
        )
    return actions


# Section A explained the first time a family meets it: a name alone tells a parent nothing
# (SEND Code of Practice 9.69: the views, interests and aspirations of the child and their
# parents, or of the young person; the plan opens with them).
SECTION_A = {
    False: "Section A is about your child and your family: your child's views, interests and "
    "hopes for the future, and yours, written in your own words. It is the first part of the "
    "plan, so everyone who reads the plan reads it first.",
    True: "Section A is about you: your views, interests and hopes for the future, written in "
    "your own words. It is the first part of the plan, so everyone who reads the plan reads it "
    "first.",
}


def section_a_explained(user, case) -> str:
    return SECTION_A[speaks_for_themselves(user, case)]


def views_kinds(user, case) -> list[str]:
    """A young person writes "All about me"; a parent writes their own page and may help a
    child write theirs."""
    if speaks_for_themselves(user, case):
        return [ViewsStatement.Kind.CHILD]
    return [ViewsStatement.Kind.CHILD, ViewsStatement.Kind.PARENT]


# Chronology entries a family sees, each in words written here (never the staff summary).
def family_history(case: AssessmentRequest, *, young: bool = False) -> list[tuple[dt.date, str]]:
    words = {
        "request_received": lambda e: "We received the request for an assessment.",
        "reassessment_requested": lambda e: "We received the request for a re-assessment.",
        "decision_to_assess": lambda e: "We decided to do an assessment.",
        "decision_not_to_assess": lambda e: "We decided not to do an assessment.",
        "advice_requested": lambda e: (
            f"We asked {_say(ADVICE_FROM.get(e.data.get('advice_kind'), 'a professional'), young)}"
            " for advice."
        ),
        "advice_provided": lambda e: (
            f"We received advice from "
            f"{_say(ADVICE_FROM.get(e.data.get('advice_kind'), 'a professional'), young)}."
        ),
        "draft_plan_served": lambda e: "We sent you the draft plan.",
        "final_plan_issued": lambda e: "We issued the final plan.",
        "decision_not_to_issue": lambda e: "We decided not to issue a plan.",
        "request_withdrawn": lambda e: "The request was withdrawn.",
    }
    return [
        (event.happened_on, words[event.kind](event))
        for event in case.events.filter(kind__in=list(words)).order_by("happened_on", "pk")
    ]


def statements_for(user, case, review=None) -> dict[str, ViewsStatement | None]:
    """The user's own pages of views for the case's assessment, or for one annual review."""
    found = {
        s.kind: s
        for s in ViewsStatement.objects.filter(assessment_request=case, author=user, review=review)
    }
    return {kind: found.get(kind) for kind in ViewsStatement.Kind.values}


def draft_response_for(user, case) -> DraftPlanResponse | None:
    """The reader's comments on the draft not yet sent (at most one)."""
    return DraftPlanResponse.objects.filter(
        assessment_request=case, author=user, sent_at__isnull=True
    ).first()


def sent_responses_for(user, case) -> list[DraftPlanResponse]:
    """Every set of comments on the draft the reader has sent, oldest first."""
    return list(
        DraftPlanResponse.objects.filter(
            assessment_request=case, author=user, sent_at__isnull=False
        ).order_by("sent_at", "pk")
    )


def messages_sent_by(user, case) -> list[FamilyMessage]:
    """The reader's own messages to the caseworker on this case, newest first."""
    return list(
        FamilyMessage.objects.filter(assessment_request=case, author=user).order_by(
            "-sent_at", "-pk"
        )
    )


def family_messages_for(assessment_request) -> list[FamilyMessage]:
    """Every message the family sent on this case, newest first, for the case page. The
    caller checks access."""
    return list(
        FamilyMessage.objects.filter(assessment_request=assessment_request)
        .select_related("author")
        .prefetch_related("answers__answered_by")
        .order_by("-sent_at", "-pk")
    )


# --- The issued plan, its advice and the annual reviews, for the family -----------------------


def issued_versions(case) -> list[PlanVersion]:
    """Every issued version of the plan that came from this case, newest first. Drafts never:
    a family reads a draft only when it is served on them, on the draft plan page."""
    return list(
        PlanVersion.objects.filter(
            Q(document__assessment_request=case) | Q(document__plan__assessment_request=case),
            status=PlanVersion.Status.FINAL,
        )
        .select_related("document__child", "document__area")
        .order_by("-number")
    )


def issued_version_for_family(
    user, case_id, number, *, request=None, download: bool = False
) -> tuple[AssessmentRequest, PlanVersion]:
    """(case, issued version) for one of the family's cases (PlanVersion.DoesNotExist or
    AssessmentRequest.DoesNotExist otherwise, the same whether it does not exist or is not
    theirs). The read (or download) is audited."""
    case = family_cases(user).select_related("child", "area").get(pk=case_id)
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise PlanVersion.DoesNotExist from None
    version = next((v for v in issued_versions(case) if v.number == number), None)
    if version is None:
        raise PlanVersion.DoesNotExist
    audit.record(
        action=AuditAction.DOWNLOAD if download else AuditAction.VIEW,
        actor=user,
        child=case.child_id,
        record=version,
        request=request,
        detail={"page": "family_plan_pdf" if download else "family_plan"},
    )
    return case, version


def advice_for_family(case, *, user) -> list[dict]:
    """The advice gathered for the assessment (section K of the plan, reg 12(1)(k)), once the
    draft plan has been served: who gave it (by kind, never a person, in the reader's words),
    when, its summary and whether its report can be downloaded. Every piece of advice received
    is listed: one sent through the advice portal with its summary and report, one the
    caseworker recorded as received (by post or e-mail) with neither. Listing only the portal's
    left a family whose timeline said "We received advice from the health service" told that
    the plan used none."""
    if case.draft_plan_served_on is None:
        return []
    young = speaks_for_themselves(user, case)
    sent = {work.advice_request_id: work for work in advice_received_for(case)}
    received = (
        case.advice_requests.filter(provided_on__isnull=False)
        .select_related("organisation")
        .order_by("provided_on", "pk")
    )
    return [
        {
            "id": item.pk,
            "from": _say(_advice_from(item), young),
            "kind": item.get_kind_display(),
            "provided_on": item.provided_on,
            "summary": (sent[item.pk].summary or "").strip() if item.pk in sent else "",
            "has_file": item.pk in sent and bool(sent[item.pk].document),
        }
        for item in received
    ]


def advice_report_for_family(user, case_id, advice_id, *, request=None):
    """The advice report (AdviceWork) for one of the family's cases, after the draft plan was
    served (AdviceWork.DoesNotExist otherwise). Audited as a download."""
    case = family_cases(user).get(pk=case_id)
    if case.draft_plan_served_on is None:
        raise AdviceWork.DoesNotExist
    work = advice_received_for(case).get(advice_request_id=int(advice_id))
    if not work.document:
        raise AdviceWork.DoesNotExist
    audit.record(
        action=AuditAction.DOWNLOAD,
        actor=user,
        child=case.child_id,
        record=work,
        request=request,
        detail={"page": "family_advice"},
    )
    return work


@dataclass(frozen=True)
class ReviewForFamily:
    """One annual review in the family's own words (never the staff table: no regulation
    numbers, no staff names, no counts of professionals). Each of `meeting`, `views`, `decided`
    and `next` is a sentence or empty; the dates in them come from the statutory engine."""

    review: AnnualReview
    due_on: dt.date
    invited_on: dt.date | None
    meeting_on: dt.date | None
    sent_views: list
    open: bool
    meeting: str = ""
    views: str = ""
    decided: str = ""
    next: str = ""
    # The family may still comment on the proposed changes (reg 22(2)(c)): the page offers a
    # message to the caseworker.
    may_comment: bool = False


# What the council decided after a review, said to the reader ({childs}: "your child's"/"your").
DECIDED = {
    ReviewDecision.MAINTAIN: "On {on} we decided to keep {childs} plan as it is.",
    ReviewDecision.AMEND: "On {on} we decided to change (amend) {childs} plan.",
    ReviewDecision.CEASE: "On {on} we decided to end {childs} plan (to cease to maintain it).",
}


def review_steps(review: AnnualReview, today: dt.date) -> dict:
    """The engine's steps of one review after its meeting (the decision, and the amendment's
    comments, amended plan or notice not to amend), by key: the staff review page's call."""
    try:
        return {m.key: m for m in plan_clock.review_milestones(review, today=today)}
    except LookupError:
        # A plan made before the SEND Regulations 2014: the engine has no clock for it.
        return {}


def _meeting_words(review: AnnualReview, today: dt.date) -> str:
    if review.meeting_on is not None:
        return f"The review meeting was held on {_long(review.meeting_on)}."
    planned = review.meeting_planned_on
    if planned is not None and planned >= today:
        return f"The review meeting is on {_long(planned)}."
    if planned is not None:
        return (
            f"The review meeting was arranged for {_long(planned)}. We have not yet been told "
            "that it was held."
        )
    if review.due_on < today:
        return (
            f"The review meeting has not been held. It should have been held by "
            f"{_long(review.due_on)}, so it is late. We are sorry."
        )
    return f"The review meeting has not been held yet. It must be held by {_long(review.due_on)}."


def _views_words(sent: list, family_sent: list, held: bool, young: bool) -> str:
    """Whether the reader's views are in (the link to send or read them is the page's)."""
    if sent:
        pages = "1 page" if len(sent) == 1 else f"{len(sent)} pages"
        last = max(s.sent_at for s in sent)
        return f"We have your views: you sent {pages} on {_long(timezone.localtime(last).date())}."
    if family_sent and not young:
        return "We have views from your family."
    if held:
        return "We did not receive your views before the meeting."
    return ""


def _next_words(review: AnnualReview, steps: dict, today: dt.date, young: bool) -> tuple[str, bool]:
    """What happens next after the decision, and whether the reader may still comment on the
    proposed changes. Every date is the engine's (reg 20(10), 22(2)(c), 22(3), 22(4))."""
    if review.meeting_on is None:
        return "", False
    if not review.decision:
        decision = steps.get("review_decision")
        if decision is None or decision.due is None:
            return "", False
        if decision.status == OVERDUE:
            return (
                f"We should have told you what we decided by {_long(decision.due)}. We are late. "
                "We are sorry. " + WHAT_YOU_CAN_DO,
                False,
            )
        return (
            _say(
                f"We will tell you by {_long(decision.due)} whether we will keep {{childs}} plan "
                "as it is, change it or end it.",
                young,
            ),
            False,
        )
    if review.decision == ReviewDecision.MAINTAIN:
        return _say("{Childs} plan stays as it is until the next review.", young), False
    if review.decision == ReviewDecision.CEASE:
        return _say("We will write to tell you when {childs} plan ends.", young), False
    # Amend.
    if review.decision_not_to_amend_on is not None:
        return (
            f"On {_long(review.decision_not_to_amend_on)} we told you that we will not change "
            "the plan after all.",
            False,
        )
    issued = review.amended_version if review.amended_version_id else None
    if issued is not None and issued.is_issued:
        return f"We sent you the amended plan on {_long(issued.issued_on)}.", False
    if review.amendments_sent_on is None:
        return (
            AMENDMENTS_TO_COME,
            False,
        )
    window, amended = steps.get("amendment_comments_close"), steps.get("amended_plan")
    words = f"We sent you the changes we propose on {_long(review.amendments_sent_on)}."
    may_comment = window is not None and window.status == PENDING and window.due >= today
    if may_comment:
        words += f" You can tell us what you think until {_long(window.due)}."
    elif window is not None and window.due is not None:
        words += f" The time to comment ended on {_long(window.due)}."
    if amended is not None and amended.due is not None:
        if amended.status == OVERDUE:
            words += (
                f" We should have sent you the amended plan by {_long(amended.due)}. We are "
                "late. We are sorry."
            )
        else:
            words += f" We must send you the amended plan by {_long(amended.due)}."
    return words, may_comment


def reviews_for_family(user, case, *, today: dt.date | None = None) -> list[ReviewForFamily]:
    """The annual reviews of the plan that came from this case, newest first, each read for the
    family: when the meeting is or was, whether their views are in, what was decided and what
    happens next, spoken to the reader ("your child's", or "your" to a young person)."""
    today = today or timezone.localdate()
    young = speaks_for_themselves(user, case)
    reviews = list(
        AnnualReview.objects.filter(plan__assessment_request=case)
        .select_related("plan__area", "plan__child", "amended_version")
        .order_by("-due_on", "-pk")
    )
    mine, family = {}, {}
    for statement in ViewsStatement.objects.filter(review__in=reviews, sent_at__isnull=False):
        family.setdefault(statement.review_id, []).append(statement)
        if statement.author_id == getattr(user, "pk", None):
            mine.setdefault(statement.review_id, []).append(statement)
    shown = []
    for review in reviews:
        steps = review_steps(review, today) if review.meeting_on else {}
        next_words, may_comment = _next_words(review, steps, today, young)
        held = review.meeting_on is not None
        shown.append(
            ReviewForFamily(
                review=review,
                due_on=review.due_on,
                invited_on=review.invitations_sent_on,
                meeting_on=review.meeting_on,
                sent_views=mine.get(review.pk, []),
                open=not held and review.plan.ceased_on is None,
                meeting=_meeting_words(review, today),
                views=_views_words(mine.get(review.pk, []), family.get(review.pk, []), held, young),
                decided=DECIDED[review.decision].format(
                    on=_long(review.decision_on), **(YOU if young else YOUR_CHILD)
                )
                if review.decision
                else "",
                next=next_words,
                may_comment=may_comment,
            )
        )
    return shown


def case_documents(case) -> list[CaseDocument]:
    """The documents a family may read: the letters sent to them and the documents the
    caseworker shared with them (such as the draft plan); never anything else on the case."""
    return list(
        case.documents.filter(
            Q(letter__sent_on__isnull=False) | Q(shared_with_family__isnull=False)
        ).order_by("-uploaded_at", "-pk")
    )


def document_for_family(user, case_id, document_id, *, request=None) -> CaseDocument:
    """One of the documents a family may read on their own case (CaseDocument.DoesNotExist
    otherwise, the same whether it does not exist or is not theirs). Audited."""
    case = family_cases(user).get(pk=case_id)
    document = next(d for d in case_documents(case) if d.pk == int(document_id))
    audit.record(
        action=AuditAction.DOWNLOAD,
        actor=user,
        child=case.child_id,
        record=document,
        request=request,
        detail={"page": "family_document"},
    )
    return document


def child_to_invite(user, child_id: int, *, request=None) -> Child | None:
    """The child a caseworker is inviting a parent or young person for: one they may see and
    whose area's cases they may change. Showing the invitation form shows the child's name,
    so the read is audited like any other."""
    child = (
        visible_children(user)
        .filter(pk=child_id, area_id__in=la_area_ids(user, Capability.WRITE_CASES))
        .first()
    )
    if child is not None:
        audit.record(
            action=AuditAction.VIEW, actor=user, child=child, record=child, request=request
        )
    return child


def linked_parents(user, child: Child):
    """For a young person acting for themselves: the parents linked to their record."""
    if child.own_account_id != user.pk:
        return None
    return child.family_links.select_related("user").order_by("pk")


def may_choose_parent_access(user, child: Child, today: dt.date | None = None) -> bool:
    return child.own_account_id == user.pk and age.over_compulsory_school_age(
        child.date_of_birth, today or timezone.localdate()
    )


# --- For casework and plans -------------------------------------------------------------------


@dataclass(frozen=True)
class FamilyViews:
    """Views sent by the family for one case: for the case page and for section A."""

    kind: str
    kind_label: str
    sent_at: dt.datetime
    answers: list[tuple[str, str]]
    attachments: list


def family_views_for(assessment_request: AssessmentRequest) -> list[FamilyViews]:
    """The views, interests and aspirations the family has sent for this case (drafts are
    never shown), for section A of the plan (reg 12(1)(a)). The caller checks access."""
    return _sent_views(
        ViewsStatement.objects.filter(
            assessment_request=assessment_request, review__isnull=True, sent_at__isnull=False
        )
    )


def family_views_for_review(review) -> list[FamilyViews]:
    """The views the family sent before an annual review (drafts are never shown), for the
    review meeting. The caller checks access to the plan."""
    return _sent_views(ViewsStatement.objects.filter(review=review, sent_at__isnull=False))


def open_reviews_for(case) -> list:
    """Annual reviews of the plan that came from this case whose meeting has not been held:
    the family may still send views for them."""
    return list(
        AnnualReview.objects.filter(
            plan__assessment_request=case, plan__ceased_on__isnull=True, meeting_on__isnull=True
        ).order_by("due_on", "pk")
    )


def review_of(case, review_id: int):
    """One annual review of the plan that came from this case (None if it is another's)."""
    return (
        AnnualReview.objects.filter(pk=review_id, plan__assessment_request=case)
        .select_related("plan")
        .first()
    )


def _sent_views(statements) -> list[FamilyViews]:
    statements = statements.prefetch_related("attachments").order_by("kind", "sent_at")
    return [
        FamilyViews(
            kind=s.kind,
            kind_label=s.get_kind_display(),
            sent_at=s.sent_at,
            answers=[
                (question, getattr(s, name))
                for name, (question, _hint) in VIEWS_QUESTIONS[s.kind].items()
                if getattr(s, name)
            ],
            attachments=list(s.attachments.all()),
        )
        for s in statements
    ]


def draft_responses_for(assessment_request: AssessmentRequest) -> list[dict]:
    """The family's sent comments on the draft, section by section, for the case page."""
    responses = DraftPlanResponse.objects.filter(
        assessment_request=assessment_request, sent_at__isnull=False
    ).prefetch_related("answers__answered_by")
    return [
        {
            "pk": r.pk,
            "sent_at": r.sent_at,
            "comments": [(k, PLAN_SECTIONS[k], r.comments[k]) for k in sorted(r.comments)],
            "wants_meeting": r.wants_meeting,
            "preferred_setting": r.preferred_setting,
            # Which of what they sent the caseworker has answered (the task list's marker).
            "answers": {a.subject: a for a in r.answers.all()},
        }
        for r in responses
    ]


def public_request_for(assessment_request: AssessmentRequest) -> PublicRequest | None:
    return PublicRequest.objects.filter(assessment_request=assessment_request).first()


def draft_plan_html(case) -> str:
    """The draft plan served on the family, section by section, as the plans module writes it
    (the same words as its PDF); empty when the draft was given to them only as a document."""
    if case.draft_plan_served_on is None:
        return ""
    version = (
        PlanVersion.objects.filter(
            document__assessment_request=case, status=PlanVersion.Status.DRAFT
        )
        .select_related("document__child", "document__area")
        .order_by("-number")
        .first()
    )
    if version is None:
        return ""
    return render_to_string("plans/document.html", document_context(version))
