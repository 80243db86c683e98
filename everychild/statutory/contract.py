"""The JSON contract: facts in, timeline out.

``parse_facts(obj)`` turns one JSON object (already decoded) into :class:`Facts`, refusing
anything impossible with :class:`FactsError` naming the field by a dotted path
(``advice[0].provided_on``). ``timeline_json(facts)`` gives
``{"rules_version": ..., "milestones": [...]}``. The CLI, the management command and the API
endpoint all go through these two functions, so they accept and refuse exactly the same input.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from .facts import (
    ADVICE_KINDS,
    MEDIATION_AGREEMENT_KINDS,
    PHASE_TRANSFERS,
    PROCESSES,
    RECOMMENDATION_BODIES,
    TRIBUNAL_ORDER_KINDS,
    AdviceRequest,
    Consultation,
    Decision,
    Facts,
    MediationAgreement,
    PhaseTransfer,
    RecordedException,
    SettingClosure,
    TransferIn,
    TribunalOrder,
    TribunalRecommendation,
)
from .milestones import AppliedException, Milestone, timeline
from .rules import (
    EXCEPTION_KINDS,
    RECOMMENDATIONS_FROM,
    RULES_VERSION,
    SEND_REGULATIONS_IN_FORCE,
)

__all__ = ["FactsError", "evaluate", "milestone_json", "parse_facts", "timeline_json"]


class FactsError(ValueError):
    """A fact that is missing, malformed or impossible. ``field`` is a dotted path."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

_COMMON = {
    "today",
    "process",
    "setting_closures",
    "consultations",
    "exceptions",
    "date_of_birth",
    "decision_letter_on",
    "mediation_contacted_on",
    "mediation_certificate_on",
    "appeal_lodged_on",
    "tribunal_order",
    "tribunal_recommendations",
    "mediation_requested_on",
    "mediation_held_on",
    "mediation_agreement",
    "no_coronavirus_reason",
}
_ASSESSMENT = {
    "request_received",
    "decision",
    "advice",
    "draft_plan_served_on",
    "family_agreed_early_issue_on",
    "decision_not_to_issue_on",
    "final_plan_issued_on",
}
_REVIEW = {
    "plan_issued_on",
    "last_review_meeting_on",
    "review_notice_sent_on",
    "review_meeting_on",
    "review_report_sent_on",
    "review_decision_on",
    "proposed_amendments_sent_on",
    "amended_plan_issued_on",
    "family_agreed_early_amendment_on",
    "decision_not_to_amend_on",
    "post16_move_on",
    "phase_transfer",
}
_TRANSFER_IN = _REVIEW | {"transfer_in"}
_ALL_FACTS = _COMMON | _ASSESSMENT | _TRANSFER_IN
_BY_PROCESS = {
    "assessment": _ASSESSMENT,
    # A re-assessment (regs 24-27) has the facts of an assessment; its limits differ.
    "reassessment": _ASSESSMENT,
    "review": _REVIEW,
    # A plan transferred in (reg 15, 16) is then reviewed and amended like any other.
    "transfer_in": _TRANSFER_IN,
    "tribunal_order": set(),
}

_TRIBUNAL_STEPS = {
    "assess": ("notified_on", "decision_not_to_issue_on", "draft_plan_issued_on",
               "final_plan_issued_on"),
    "make_plan": ("draft_plan_issued_on", "final_plan_issued_on"),
    "amend_plan": ("amended_plan_issued_on",),
    "name_school": ("amended_plan_issued_on",),
    "cease": (),
}  # fmt: skip
_TRANSFER_FIELDS = {
    "moved_on",
    "old_authority_aware_on",
    "plan_transferred_on",
    "family_notified_on",
    "health_body_aware_on",
    "health_body_notified_on",
}
_TRIBUNAL_FIELDS = {
    "kind",
    "on",
    "unopposed",
    "notified_on",
    "decision_not_to_issue_on",
    "draft_plan_issued_on",
    "final_plan_issued_on",
    "amended_plan_issued_on",
}


class _Reader:
    """Reads one JSON object, tracking the dotted path for error messages."""

    def __init__(self, obj: Any, path: str, today: date | None) -> None:
        if not isinstance(obj, dict):
            raise FactsError(path, "expected a JSON object")
        self.obj = obj
        self.path = path
        self.today = today

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def allow_only(self, allowed: set[str]) -> None:
        for key in self.obj:
            if key not in allowed:
                raise FactsError(self.at(str(key)), f"unknown fact {key!r}")

    def get(self, key: str) -> Any:
        return self.obj.get(key)

    def date(self, key: str, *, required: bool = False, happened: bool = True) -> date | None:
        value = self.obj.get(key)
        if value is None:
            if required:
                raise FactsError(self.at(key), "is required")
            return None
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise FactsError(self.at(key), f"{value!r} is not an ISO date (YYYY-MM-DD)")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise FactsError(self.at(key), f"{value!r} is not a real date") from None
        if happened and self.today is not None and day > self.today:
            raise FactsError(
                self.at(key),
                f"{value} is after today ({self.today.isoformat()}): only record what has happened",
            )
        return day

    def event(self, key: str, *, required: bool = False) -> date | None:
        """A date that starts or stops a statutory clock: on or after 1 September 2014."""
        day = self.date(key, required=required)
        if day is not None and day < SEND_REGULATIONS_IN_FORCE:
            raise FactsError(
                self.at(key),
                f"{day.isoformat()} is before 1 September 2014, when the SEND Regulations 2014 "
                "came into force; earlier cases are not modelled",
            )
        return day

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.obj.get(key)
        if value is None:
            if required:
                raise FactsError(self.at(key), "is required")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise FactsError(self.at(key), "expected a string")
        value = str(value).strip()
        if required and not value:
            raise FactsError(self.at(key), "must not be empty")
        return value

    def choice(self, key: str, choices, *, default: str | None = None) -> str | None:
        value = self.obj.get(key)
        if value is None:
            if default is None:
                raise FactsError(self.at(key), f"is required: one of {', '.join(choices)}")
            return default
        if value not in choices:
            raise FactsError(self.at(key), f"{value!r} is not one of {', '.join(choices)}")
        return value

    def flag(self, key: str) -> bool:
        value = self.obj.get(key)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise FactsError(self.at(key), "expected true or false")
        return value

    def items(self, key: str) -> list[_Reader]:
        value = self.obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise FactsError(self.at(key), "expected a list")
        return [_Reader(item, f"{self.at(key)}[{i}]", self.today) for i, item in enumerate(value)]

    def child(self, key: str) -> _Reader | None:
        value = self.obj.get(key)
        if value is None:
            return None
        return _Reader(value, self.at(key), self.today)


def _not_before(field: str, later: date | None, earlier: date | None, what: str) -> None:
    """Refuse an impossible order of events: `later` must not be before `earlier`."""
    if later is not None and earlier is not None and later < earlier:
        raise FactsError(field, f"{later.isoformat()} is before {what} ({earlier.isoformat()})")


def _requires(field: str, value: Any, needed: Any, what: str) -> None:
    if value is not None and needed is None:
        raise FactsError(field, f"cannot be recorded without {what}")


def _exceptions(reader: _Reader, key: str, scope: str) -> tuple[RecordedException, ...]:
    found = []
    for item in reader.items(key):
        item.allow_only({"reg", "from", "to", "reason"})
        reg = item.text("reg", required=True)
        kind = EXCEPTION_KINDS.get(reg)
        if kind is None:
            allowed = sorted(
                k
                for k, v in EXCEPTION_KINDS.items()
                if v.how == "recorded" and v.recorded_on == scope
            )
            raise FactsError(item.at("reg"), f"{reg!r} is not one of {', '.join(allowed)}")
        if kind.how == "detected":
            how = (
                "the engine detects it from the dates"
                if kind.key == "coronavirus_easement"
                else "the engine detects it from advice requests and setting_closures; "
                "record the closure instead"
            )
            raise FactsError(item.at("reg"), f"{reg} is not recorded by hand: {how}")
        if kind.recorded_on != scope:
            where = "an advice item's exceptions" if kind.recorded_on == "advice" else "exceptions"
            raise FactsError(item.at("reg"), f"{reg} is recorded in {where}")
        starts = item.date("from", required=True)
        ends = item.date("to", happened=False)
        _not_before(item.at("to"), ends, starts, "from")
        reason = item.text("reason", required=True)
        if kind.min_continuous_days and ends is not None:
            days = (ends - starts).days + 1
            if days < kind.min_continuous_days:
                raise FactsError(
                    item.at("to"),
                    f"an absence of {days} days is shorter than the "
                    f"{kind.min_continuous_days // 7} continuous weeks {reg} requires",
                )
        found.append(RecordedException(reg, starts, ends, reason))
    return tuple(found)


def _unique_id(item: _Reader, seen: set[str]) -> str:
    ident = item.text("id", required=True)
    if ident in seen:
        raise FactsError(item.at("id"), f"duplicate id {ident!r}")
    seen.add(ident)
    return ident


def _steps(reader: _Reader, kinds: tuple[str, ...], not_before: date | None) -> dict:
    """The kind, date and step dates of a Tribunal order (reg 44(2)) or of a mediation
    agreement (reg 42), which runs on the same steps ("other" agreed action: ``done_on``)."""
    agreement = "other" in kinds  # only a mediation agreement has "other" action
    fields = _TRIBUNAL_FIELDS - {"unopposed"} | ({"done_on"} if agreement else {"unopposed"})
    reader.allow_only(fields)
    kind = reader.choice("kind", kinds)
    on = reader.event("on", required=True)
    _not_before(reader.at("on"), on, not_before, "mediation_held_on")
    steps = {"kind": kind, "on": on}
    allowed = ("done_on",) if kind == "other" else _TRIBUNAL_STEPS[kind]
    for key in sorted(fields - {"kind", "on", "unopposed"}):
        value = reader.event(key)
        if value is not None and key not in allowed:
            what = "mediation agreement" if agreement else "order"
            raise FactsError(reader.at(key), f"is not a step of a {kind!r} {what}")
        _not_before(reader.at(key), value, on, reader.at("on"))
        steps[key] = value
    _not_before(
        reader.at("final_plan_issued_on"),
        steps["final_plan_issued_on"],
        steps["draft_plan_issued_on"],
        reader.at("draft_plan_issued_on"),
    )
    return steps


def _transfer_in(reader: _Reader | None, review_base: date | None, base_name: str):
    """A plan transferred in from another council (reg 15, 16)."""
    if reader is None:
        return None
    reader.allow_only(_TRANSFER_FIELDS)
    moved = reader.event("moved_on", required=True)
    _not_before(reader.at("moved_on"), moved, review_base, base_name)
    aware = reader.event("old_authority_aware_on")
    transferred = reader.event("plan_transferred_on")
    _not_before(
        reader.at("plan_transferred_on"), transferred, aware, reader.at("old_authority_aware_on")
    )
    notified = reader.event("family_notified_on")
    _requires(
        reader.at("family_notified_on"), notified, transferred, reader.at("plan_transferred_on")
    )
    _not_before(
        reader.at("family_notified_on"), notified, transferred, reader.at("plan_transferred_on")
    )
    health_aware = reader.event("health_body_aware_on")
    health_notified = reader.event("health_body_notified_on")
    _requires(
        reader.at("health_body_notified_on"),
        health_notified,
        health_aware,
        reader.at("health_body_aware_on"),
    )
    _not_before(
        reader.at("health_body_notified_on"),
        health_notified,
        health_aware,
        reader.at("health_body_aware_on"),
    )
    return TransferIn(moved, aware, transferred, notified, health_aware, health_notified)


def parse_facts(obj: dict) -> Facts:
    """Validate one decoded JSON object and build :class:`Facts`.

    Raises :class:`FactsError` for an unknown key, a date that is not ISO (YYYY-MM-DD), a
    thing that happened dated after ``today``, or an impossible order of events.
    """
    if not isinstance(obj, dict):
        raise FactsError("facts", "expected a JSON object")
    top = _Reader(obj, "", None)
    top.allow_only(_ALL_FACTS)
    today = top.date("today", required=True)
    top.today = today
    process = top.choice("process", PROCESSES, default="assessment")
    foreign = _ALL_FACTS - _COMMON - _BY_PROCESS[process]
    for key in obj:
        if key in foreign and obj[key] is not None:
            raise FactsError(key, f"is not a fact of the {process!r} process")

    date_of_birth = top.date("date_of_birth")

    # --- assessment ---
    request = top.event("request_received", required=process in ("assessment", "reassessment"))
    _not_before("request_received", request, date_of_birth, "date_of_birth")
    decision = None
    reader = top.child("decision")
    if reader is not None:
        reader.allow_only({"outcome", "on"})
        outcome = reader.choice("outcome", ("assess", "not_assess"))
        on = reader.event("on", required=True)
        _not_before("decision.on", on, request, "request_received")
        decision = Decision(outcome, on)
    not_assessing = decision is not None and decision.outcome == "not_assess"
    decided_on = decision.on if decision is not None else None

    advice = []
    seen: set[str] = set()
    for item in top.items("advice"):
        item.allow_only(
            {"id", "kind", "received_by_body_on", "provided_on", "to_school_or_setting",
             "exceptions"}
        )  # fmt: skip
        ident = _unique_id(item, seen)
        kind = item.choice("kind", ADVICE_KINDS, default="other")
        received = item.event("received_by_body_on")
        _not_before(item.at("received_by_body_on"), received, request, "request_received")
        provided = item.event("provided_on")
        _requires(item.at("provided_on"), provided, received, "received_by_body_on")
        _not_before(item.at("provided_on"), provided, received, "received_by_body_on")
        advice.append(
            AdviceRequest(
                ident,
                kind,
                received,
                provided,
                item.flag("to_school_or_setting"),
                _exceptions(item, "exceptions", "advice"),
            )
        )

    closures = []
    for item in top.items("setting_closures"):
        item.allow_only({"from", "to"})
        first = item.date("from", required=True, happened=False)
        last = item.date("to", required=True, happened=False)
        _not_before(item.at("to"), last, first, "from")
        closures.append(SettingClosure(first, last))

    draft = top.event("draft_plan_served_on")
    not_issuing = top.event("decision_not_to_issue_on")
    final = top.event("final_plan_issued_on")
    for key, value in (
        ("draft_plan_served_on", draft),
        ("decision_not_to_issue_on", not_issuing),
        ("final_plan_issued_on", final),
    ):
        _not_before(key, value, request, "request_received")
        _not_before(key, value, decided_on, "decision.on")
        if value is not None and not_assessing:
            raise FactsError(key, "the decision was not to assess (decision.outcome)")
    _not_before("final_plan_issued_on", final, draft, "draft_plan_served_on")
    agreed_early = top.event("family_agreed_early_issue_on")
    _requires("family_agreed_early_issue_on", agreed_early, draft, "draft_plan_served_on")
    _not_before("family_agreed_early_issue_on", agreed_early, draft, "draft_plan_served_on")
    _not_before("final_plan_issued_on", final, not_issuing, "decision_not_to_issue_on")

    # --- review ---
    plan_issued = top.event("plan_issued_on")
    _not_before("plan_issued_on", plan_issued, date_of_birth, "date_of_birth")
    last_review = top.event("last_review_meeting_on")
    _not_before("last_review_meeting_on", last_review, plan_issued, "plan_issued_on")
    if process in ("review", "transfer_in") and plan_issued is None and last_review is None:
        raise FactsError("plan_issued_on", "is required for a review (or last_review_meeting_on)")
    review_base = last_review or plan_issued
    meeting = top.event("review_meeting_on")
    base_name = "last_review_meeting_on" if last_review else "plan_issued_on"
    _not_before("review_meeting_on", meeting, review_base, base_name)
    notice = top.event("review_notice_sent_on")
    _not_before("review_notice_sent_on", notice, review_base, base_name)
    _not_before("review_meeting_on", meeting, notice, "review_notice_sent_on")
    report = top.event("review_report_sent_on")
    review_decision = top.event("review_decision_on")
    for key, value in (("review_report_sent_on", report), ("review_decision_on", review_decision)):
        _requires(key, value, meeting, "review_meeting_on")
        _not_before(key, value, meeting, "review_meeting_on")
    proposed = top.event("proposed_amendments_sent_on")
    _not_before("proposed_amendments_sent_on", proposed, review_base, base_name)
    amended = top.event("amended_plan_issued_on")
    _requires("amended_plan_issued_on", amended, proposed, "proposed_amendments_sent_on")
    _not_before("amended_plan_issued_on", amended, proposed, "proposed_amendments_sent_on")
    agreed_amendment = top.event("family_agreed_early_amendment_on")
    _requires(
        "family_agreed_early_amendment_on",
        agreed_amendment,
        proposed,
        "proposed_amendments_sent_on",
    )
    _not_before(
        "family_agreed_early_amendment_on",
        agreed_amendment,
        proposed,
        "proposed_amendments_sent_on",
    )
    not_amending = top.event("decision_not_to_amend_on")
    _requires("decision_not_to_amend_on", not_amending, proposed, "proposed_amendments_sent_on")
    _not_before("decision_not_to_amend_on", not_amending, proposed, "proposed_amendments_sent_on")
    if not_amending is not None and amended is not None:
        raise FactsError(
            "decision_not_to_amend_on", "the amended plan was issued (amended_plan_issued_on)"
        )
    # The date of a move between post-16 institutions: planned, so it may be in the future.
    post16_move = top.date("post16_move_on", happened=False)
    _not_before("post16_move_on", post16_move, review_base, base_name)
    transfer_in = _transfer_in(top.child("transfer_in"), review_base, base_name)
    if process == "transfer_in" and transfer_in is None:
        raise FactsError("transfer_in", "is required for the 'transfer_in' process")
    transfer = None
    reader = top.child("phase_transfer")
    if reader is not None:
        reader.allow_only({"year", "kind", "transfer"})
        year = reader.get("year")
        if isinstance(year, bool) or not isinstance(year, int) or not 2015 <= year <= 2100:
            raise FactsError(reader.at("year"), "expected a calendar year (2015-2100)")
        # "transfer" names one of the six reg 2 transfers; "kind" only the reg 18(1) date it is
        # judged by. Either is enough; given both, they must agree.
        which = reader.get("transfer")
        if which is not None and which not in PHASE_TRANSFERS:
            raise FactsError(
                reader.at("transfer"), f"{which!r} is not one of {', '.join(PHASE_TRANSFERS)}"
            )
        limb = PHASE_TRANSFERS[which].limb if which is not None else None
        kind = reader.choice("kind", ("school", "post16"), default=limb or "")
        if not kind:
            raise FactsError(reader.at("kind"), "is required: one of school, post16 (or transfer)")
        if limb is not None and kind != limb:
            raise FactsError(
                reader.at("kind"), f"{kind!r} does not match the transfer {which!r} ({limb})"
            )
        transfer = PhaseTransfer(year, kind, which or "")

    # --- common ---
    consultations = []
    seen = set()
    for item in top.items("consultations"):
        item.allow_only({"id", "sent_on", "answered_on"})
        ident = _unique_id(item, seen)
        sent = item.event("sent_on")
        _not_before(item.at("sent_on"), sent, request, "request_received")
        answered = item.event("answered_on")
        _requires(item.at("answered_on"), answered, sent, "sent_on")
        _not_before(item.at("answered_on"), answered, sent, "sent_on")
        consultations.append(Consultation(ident, sent, answered))

    letter = top.event("decision_letter_on")
    _not_before("decision_letter_on", letter, request, "request_received")
    contacted = top.event("mediation_contacted_on")
    certificate = top.event("mediation_certificate_on")
    lodged = top.event("appeal_lodged_on")
    for key, value in (
        ("mediation_contacted_on", contacted),
        ("mediation_certificate_on", certificate),
        ("appeal_lodged_on", lodged),
    ):
        _requires(key, value, letter, "decision_letter_on")
        _not_before(key, value, letter, "decision_letter_on")
    _not_before("mediation_certificate_on", certificate, contacted, "mediation_contacted_on")
    requested = top.event("mediation_requested_on")
    _requires("mediation_requested_on", requested, letter, "decision_letter_on")
    _not_before("mediation_requested_on", requested, letter, "decision_letter_on")
    held = top.event("mediation_held_on")
    _requires("mediation_held_on", held, requested, "mediation_requested_on")
    _not_before("mediation_held_on", held, requested, "mediation_requested_on")
    _not_before("mediation_certificate_on", certificate, held, "mediation_held_on")
    agreement = None
    reader = top.child("mediation_agreement")
    if reader is not None:
        if held is None:
            raise FactsError("mediation_agreement", "cannot be recorded without mediation_held_on")
        agreement = MediationAgreement(**_steps(reader, MEDIATION_AGREEMENT_KINDS, held))

    order = None
    reader = top.child("tribunal_order")
    if reader is not None:
        steps = _steps(reader, TRIBUNAL_ORDER_KINDS, None)
        unopposed = reader.flag("unopposed")
        if steps["kind"] == "cease" and unopposed:
            raise FactsError(
                reader.at("unopposed"),
                "an appeal the local authority did not oppose is not dismissed (reg 45)",
            )
        order = TribunalOrder(unopposed=unopposed, **steps)
    elif process == "tribunal_order":
        raise FactsError("tribunal_order", "is required for the 'tribunal_order' process")

    recommendations = []
    seen = set()
    for item in top.items("tribunal_recommendations"):
        item.allow_only({"id", "body", "on", "answered_on"})
        ident = _unique_id(item, seen)
        body = item.choice("body", RECOMMENDATION_BODIES)
        on = item.event("on", required=True)
        if on < RECOMMENDATIONS_FROM:
            raise FactsError(
                item.at("on"),
                f"{on.isoformat()} is before 3 April 2018: the Tribunal could not then make "
                "recommendations to health or social care",
            )
        answered = item.event("answered_on")
        _not_before(item.at("answered_on"), answered, on, item.at("on"))
        recommendations.append(TribunalRecommendation(ident, body, on, answered))

    return Facts(
        today=today,
        process=process,
        request_received=request,
        decision=decision,
        advice=tuple(advice),
        setting_closures=tuple(closures),
        draft_plan_served_on=draft,
        family_agreed_early_issue_on=agreed_early,
        consultations=tuple(consultations),
        decision_not_to_issue_on=not_issuing,
        final_plan_issued_on=final,
        exceptions=_exceptions(top, "exceptions", "case"),
        plan_issued_on=plan_issued,
        last_review_meeting_on=last_review,
        review_notice_sent_on=notice,
        review_meeting_on=meeting,
        review_report_sent_on=report,
        review_decision_on=review_decision,
        proposed_amendments_sent_on=proposed,
        amended_plan_issued_on=amended,
        family_agreed_early_amendment_on=agreed_amendment,
        phase_transfer=transfer,
        date_of_birth=date_of_birth,
        decision_letter_on=letter,
        mediation_contacted_on=contacted,
        mediation_certificate_on=certificate,
        appeal_lodged_on=lodged,
        tribunal_order=order,
        tribunal_recommendations=tuple(recommendations),
        decision_not_to_amend_on=not_amending,
        post16_move_on=post16_move,
        transfer_in=transfer_in,
        mediation_requested_on=requested,
        mediation_held_on=held,
        mediation_agreement=agreement,
        no_coronavirus_reason=top.flag("no_coronavirus_reason"),
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _exception_json(found: AppliedException | None) -> dict | None:
    if found is None:
        return None
    return {
        "reg": found.reg,
        "regulation": found.regulation,
        "reason": found.reason,
        "from": _iso(found.starts_on),
        "to": _iso(found.ends_on),
        "detected": found.detected,
        "assumed": found.assumed,
    }


def milestone_json(milestone: Milestone) -> dict:
    """One milestone as JSON-ready data (dates as ISO strings)."""
    return {
        "key": milestone.key,
        "rule": milestone.rule,
        "label": milestone.label,
        "due": _iso(milestone.due),
        "met_on": _iso(milestone.met_on),
        "status": milestone.status,
        "days_remaining": milestone.days_remaining,
        "regulation": milestone.regulation,
        "exception": _exception_json(milestone.exception),
    }


def timeline_json(facts: Facts, *, count_start_as_day_one: bool = False) -> dict:
    """``{"rules_version": ..., "milestones": [...]}`` for a case's facts."""
    return {
        "rules_version": RULES_VERSION,
        "milestones": [
            milestone_json(m)
            for m in timeline(facts, count_start_as_day_one=count_start_as_day_one)
        ],
    }


def evaluate(obj: dict, *, count_start_as_day_one: bool = False) -> dict:
    """Parse and compute in one call (what the API endpoint and management command need)."""
    return timeline_json(parse_facts(obj), count_start_as_day_one=count_start_as_day_one)
