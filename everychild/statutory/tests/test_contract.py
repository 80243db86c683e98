"""The JSON contract: parse_facts refuses impossible facts naming the field; timeline_json
has the agreed shape."""

from __future__ import annotations

import copy
import json

import pytest

from everychild.statutory import Facts, FactsError, parse_facts, timeline_json
from everychild.statutory.milestones import STATUSES

FULL = {
    "today": "2025-12-01",
    "process": "assessment",
    "request_received": "2025-01-06",
    "decision": {"outcome": "assess", "on": "2025-02-10"},
    "advice": [
        {
            "id": "ep",
            "kind": "educational_psychology",
            "received_by_body_on": "2025-02-12",
            "provided_on": "2025-03-20",
            "to_school_or_setting": False,
            "exceptions": [
                {"reg": "8(2)(c)", "from": "2025-03-01", "to": "2025-03-01", "reason": "missed"}
            ],
        }
    ],
    "setting_closures": [{"from": "2025-07-21", "to": "2025-09-02"}],
    "draft_plan_served_on": "2025-04-01",
    "consultations": [{"id": "school", "sent_on": "2025-04-01", "answered_on": "2025-04-10"}],
    "final_plan_issued_on": "2025-05-20",
    "exceptions": [{"reg": "10(4)(c)", "from": "2025-02-01", "to": None, "reason": "illness"}],
    "date_of_birth": "2018-05-01",
    "decision_letter_on": "2025-05-20",
    "mediation_contacted_on": "2025-06-01",
    "mediation_certificate_on": "2025-06-03",
    "appeal_lodged_on": "2025-07-01",
    "tribunal_order": {
        "kind": "name_school",
        "on": "2025-10-01",
        "unopposed": False,
        "amended_plan_issued_on": "2025-10-10",
    },
}


def test_full_assessment_parses():
    facts = parse_facts(copy.deepcopy(FULL))
    assert isinstance(facts, Facts)
    assert facts.advice[0].exceptions[0].reg == "8(2)(c)"
    assert facts.setting_closures[0].last_closed_day.isoformat() == "2025-09-02"


def test_timeline_json_shape():
    result = timeline_json(parse_facts(copy.deepcopy(FULL)))
    assert json.loads(json.dumps(result)) == result
    assert set(result) == {"rules_version", "milestones"}
    for m in result["milestones"]:
        assert set(m) == {
            "key", "rule", "label", "due", "met_on", "status", "days_remaining", "regulation",
            "exception",
        }  # fmt: skip
        assert m["status"] in STATUSES


def test_nulls_mean_absent():
    facts = parse_facts(
        {
            "today": "2025-03-01",
            "request_received": "2025-01-06",
            "decision": None,
            "advice": None,
            "final_plan_issued_on": None,
        }
    )
    assert facts.decision is None and facts.advice == ()


def test_review_and_tribunal_processes_parse():
    review = parse_facts(
        {
            "today": "2026-03-01",
            "process": "review",
            "plan_issued_on": "2025-03-01",
            "review_meeting_on": "2025-11-20",
            "review_report_sent_on": "2025-11-27",
            "review_decision_on": "2025-12-01",
            "proposed_amendments_sent_on": "2025-12-01",
            "amended_plan_issued_on": "2026-01-20",
            "phase_transfer": {"year": 2026, "kind": "school"},
        }
    )
    assert review.phase_transfer.year == 2026
    order = parse_facts(
        {"today": "2025-06-01", "process": "tribunal_order",
         "tribunal_order": {"kind": "assess", "on": "2025-03-03", "unopposed": True}}
    )  # fmt: skip
    assert order.tribunal_order.unopposed is True


def broken(path: str, value) -> dict:
    """FULL with the fact at a dotted path (list indexes as numbers) set to `value`;
    ``_DELETE`` removes it instead."""
    facts = copy.deepcopy(FULL)
    *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
    target = facts
    for part in parents:
        target = target[part]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value
    return facts


_DELETE = object()


@pytest.mark.parametrize(
    ("facts", "field", "words"),
    [
        (broken("colour", "red"), "colour", "unknown fact 'colour'"),
        (broken("advice.0.colour", "red"), "advice[0].colour", "unknown fact"),
        (broken("decision.reason", "x"), "decision.reason", "unknown fact"),
        (broken("tribunal_order.judge", "x"), "tribunal_order.judge", "unknown fact"),
        (broken("today", _DELETE), "today", "required"),
        (broken("today", "01/12/2025"), "today", "not an ISO date"),
        (broken("request_received", "2025-1-6"), "request_received", "not an ISO date"),
        (broken("request_received", 20250106), "request_received", "not an ISO date"),
        (broken("request_received", "2025-02-30"), "request_received", "not a real date"),
        (broken("request_received", "2026-01-06"), "request_received", "after today"),
        (broken("request_received", "2014-08-31"), "request_received", "1 September 2014"),
        (broken("request_received", _DELETE), "request_received", "required"),
        (broken("process", "appeal"), "process", "not one of"),
        (broken("decision.on", "2025-01-05"), "decision.on", "before request_received"),
        (broken("decision.outcome", "maybe"), "decision.outcome", "not one of"),
        (broken("decision", "assess"), "decision", "expected a JSON object"),
        (broken("advice", {"id": "x"}), "advice", "expected a list"),
        (broken("advice.0.provided_on", "2025-02-11"), "advice[0].provided_on",
         "before received_by_body_on"),
        (broken("advice.0.received_by_body_on", _DELETE), "advice[0].provided_on",
         "without received_by_body_on"),
        (broken("advice.0.received_by_body_on", "2025-01-01"), "advice[0].received_by_body_on",
         "before request_received"),
        (broken("advice.0.id", _DELETE), "advice[0].id", "required"),
        (broken("advice.0.kind", "psychic"), "advice[0].kind", "not one of"),
        (broken("advice.0.to_school_or_setting", "yes"), "advice[0].to_school_or_setting",
         "true or false"),
        (broken("advice.0.exceptions.0.reg", "10(4)(c)"), "advice[0].exceptions[0].reg",
         "recorded in exceptions"),
        (broken("setting_closures.0.to", "2025-07-01"), "setting_closures[0].to", "before from"),
        (broken("draft_plan_served_on", "2025-02-01"), "draft_plan_served_on", "decision.on"),
        (broken("final_plan_issued_on", "2025-03-01"), "final_plan_issued_on",
         "before draft_plan_served_on"),
        (broken("consultations.0.answered_on", "2025-03-31"), "consultations[0].answered_on",
         "before sent_on"),
        (broken("consultations", [{"id": "a"}, {"id": "a"}]), "consultations[1].id",
         "duplicate id"),
        (broken("mediation_certificate_on", "2025-05-30"), "mediation_certificate_on",
         "before mediation_contacted_on"),
        (broken("decision_letter_on", _DELETE), "mediation_contacted_on",
         "without decision_letter_on"),
        (broken("tribunal_order.kind", "abolish"), "tribunal_order.kind", "not one of"),
        (broken("tribunal_order.final_plan_issued_on", "2025-10-05"),
         "tribunal_order.final_plan_issued_on", "not a step of a 'name_school' order"),
        (broken("tribunal_order.amended_plan_issued_on", "2025-09-01"),
         "tribunal_order.amended_plan_issued_on", "before tribunal_order.on"),
        (broken("tribunal_order.unopposed", 1), "tribunal_order.unopposed", "true or false"),
        (broken("plan_issued_on", "2025-01-01"), "plan_issued_on",
         "not a fact of the 'assessment' process"),
        (broken("date_of_birth", "2025-02-01"), "request_received", "before date_of_birth"),
    ],
)  # fmt: skip
def test_impossible_facts_are_refused_naming_the_field(facts, field, words):
    with pytest.raises(FactsError) as raised:
        parse_facts(facts)
    assert raised.value.field == field
    assert words in raised.value.message
    assert str(raised.value).startswith(f"{field}: ")


def test_decision_not_to_assess_then_a_plan_is_refused():
    facts = broken("decision.outcome", "not_assess")
    with pytest.raises(FactsError) as raised:
        parse_facts(facts)
    assert raised.value.field == "draft_plan_served_on"


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"today": "2025-01-01", "process": "review"}, "plan_issued_on"),
        ({"today": "2025-01-01", "process": "tribunal_order"}, "tribunal_order"),
        (
            {"today": "2025-06-01", "process": "review", "plan_issued_on": "2025-01-01",
             "request_received": "2025-01-01"},
            "request_received",
        ),
        (
            {"today": "2025-06-01", "process": "review", "plan_issued_on": "2025-01-01",
             "review_report_sent_on": "2025-03-01"},
            "review_report_sent_on",
        ),
        (
            {"today": "2025-06-01", "process": "review", "plan_issued_on": "2025-01-01",
             "phase_transfer": {"year": "2026", "kind": "school"}},
            "phase_transfer.year",
        ),
        (
            {"today": "2025-06-01", "process": "review", "plan_issued_on": "2025-01-01",
             "phase_transfer": {"year": 2026, "kind": "post16", "transfer": "infant_to_junior"}},
            "phase_transfer.kind",
        ),
        (
            {"today": "2025-06-01", "process": "review", "plan_issued_on": "2025-01-01",
             "phase_transfer": {"year": 2026, "transfer": "nursery_to_university"}},
            "phase_transfer.transfer",
        ),
        (
            {"today": "2025-06-01", "process": "review", "plan_issued_on": "2025-01-01",
             "phase_transfer": {"year": 2026}},
            "phase_transfer.kind",
        ),
        (
            {"today": "2025-06-01", "process": "review", "plan_issued_on": "2025-01-01",
             "amended_plan_issued_on": "2025-03-01"},
            "amended_plan_issued_on",
        ),
        ([1, 2], "facts"),
    ],
)  # fmt: skip
def test_process_facts(facts, field):
    with pytest.raises(FactsError) as raised:
        parse_facts(facts)
    assert raised.value.field == field


def test_future_closures_and_planned_exception_ends_are_allowed():
    facts = parse_facts(
        {
            "today": "2025-03-01",
            "request_received": "2025-01-06",
            "setting_closures": [{"from": "2025-07-21", "to": "2025-09-02"}],
            "exceptions": [
                {"reg": "10(4)(d)", "from": "2025-02-01", "to": "2025-04-30", "reason": "abroad"}
            ],
        }
    )
    assert facts.exceptions[0].ends_on.isoformat() == "2025-04-30"
