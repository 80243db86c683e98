"""The rule registry: every time limit in DOMAIN.md sections 2-4, fully described and
versioned by date."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest

from everychild.statutory import (
    EXCEPTION_KINDS,
    RULES_VERSION,
    registry_json,
    rule,
    rule_keys,
    rule_versions,
    rules,
)
from everychild.statutory.rules import (
    EASEMENT_FROM,
    EASEMENT_TO,
    RECOMMENDATIONS_FROM,
    SEND_REGULATIONS_IN_FORCE,
    exception_keys_on,
)

# Every time limit in DOMAIN.md sections 2-4.
DOMAIN_LIMITS = {
    "decision_whether_to_assess",
    "advice",
    "notice_not_to_issue",
    "draft_plan_comments_close",
    "consultation",
    "final_plan",
    "reassessment_decision",
    "reassessment_final_plan",
    "annual_review_meeting",
    "review_meeting_notice",
    "review_report",
    "review_decision",
    "review_interval_under_5",
    "review_advice_circulated",
    "amendment_comments_close",
    "amended_plan",
    "phase_transfer_school",
    "phase_transfer_post16",
    "post16_move_amendment",
    "mediation_contact",
    "mediation_certificate",
    "mediation_held",
    "appeal_deadline",
    "appeal_after_mediation_certificate",
    "tribunal_notify_assess",
    "tribunal_decide_not_to_issue",
    "tribunal_final_plan_after_assessment",
    "tribunal_draft_plan",
    "tribunal_final_plan",
    "tribunal_amend_plan",
    "tribunal_name_school",
    "tribunal_cease",
    # Added by decision 0130 (DOMAIN.md sections 3-4).
    "transfer_plan",
    "transfer_family_notice",
    "transfer_review",
    "transfer_health",
    "decision_not_to_amend",
    "mediation_certificate_after_mediation",
    "mediation_agreement_other",
    "tribunal_recommendation_response",
}


def test_rules_version_is_an_iso_date():
    assert date.fromisoformat(RULES_VERSION)


def test_every_domain_time_limit_is_a_rule():
    assert set(rule_keys()) == DOMAIN_LIMITS


@pytest.mark.parametrize("key", sorted(DOMAIN_LIMITS))
def test_every_version_is_fully_described(key):
    for version in rule_versions(key):
        for field in ("label", "period", "counted_from", "regulation", "if_missed",
                      "family_explanation"):  # fmt: skip
            assert getattr(version, field).strip(), f"{key}.{field}"
        # A citation: a regulation, a section of the Act, a Tribunal rule or the Code.
        assert re.search(r"\b(reg |s\.|r\.)\d", version.regulation), version.regulation
        assert all(e in EXCEPTION_KINDS for e in version.exceptions)
        assert version.in_force_from >= SEND_REGULATIONS_IN_FORCE
        assert version.duty in ("must", "should", "family")
        assert version.source in ("verified", "secondary", "check")
        assert "\n" not in version.if_missed


@pytest.mark.parametrize("key", sorted(DOMAIN_LIMITS))
def test_versions_follow_on_without_gaps_or_overlaps(key):
    versions = rule_versions(key)
    # Every rule dates from the 2014 law except the Tribunal's recommendations power (2018).
    starts = RECOMMENDATIONS_FROM if key == "tribunal_recommendation_response" else None
    assert versions[0].in_force_from == (starts or SEND_REGULATIONS_IN_FORCE)
    assert versions[-1].in_force_to is None
    for before, after in zip(versions, versions[1:], strict=False):
        assert after.in_force_from == before.in_force_to + timedelta(days=1)


def test_the_easement_is_a_version_in_force_1_may_to_25_september_2020():
    eased = rule("final_plan", date(2020, 6, 1))
    assert (eased.in_force_from, eased.in_force_to) == (EASEMENT_FROM, EASEMENT_TO)
    assert "coronavirus_easement" in eased.exceptions
    assert "coronavirus_easement" not in rule("final_plan", date(2020, 4, 30)).exceptions
    assert "coronavirus_easement" not in rule("final_plan", date(2020, 9, 26)).exceptions
    assert "coronavirus_easement" not in rule("final_plan").exceptions


@pytest.mark.parametrize(
    "key",
    ["draft_plan_comments_close", "amendment_comments_close",
     "consultation", "appeal_deadline", "mediation_contact"],
)  # fmt: skip
def test_not_eased(key):
    assert len(rule_versions(key)) == 1


def test_exceptions_are_those_of_the_law_in_force_when_the_limit_fell_due():
    assert exception_keys_on("final_plan", date(2020, 5, 25))[-1] == "coronavirus_easement"
    later = exception_keys_on("final_plan", date(2021, 5, 26))
    assert set(later) == {"10(4)(a)", "10(4)(b)", "10(4)(c)", "10(4)(d)"}
    assert "coronavirus_easement" not in exception_keys_on("final_plan", date(2020, 9, 26))
    assert "coronavirus_easement" in exception_keys_on("annual_review_meeting", date(2020, 9, 25))


def test_no_rule_before_1_september_2014():
    with pytest.raises(LookupError):
        rule("final_plan", date(2014, 8, 31))


def test_rules_lists_one_version_of_each_for_a_date():
    assert [r.key for r in rules()] == list(rule_keys())
    in_2020 = rules(date(2020, 6, 1))
    assert len(in_2020) == len(DOMAIN_LIMITS)
    assert "coronavirus_easement" in {e for r in in_2020 for e in r.exceptions}


def test_registry_json_is_serialisable_for_the_public_page():
    data = json.loads(json.dumps(registry_json()))
    assert data["rules_version"] == RULES_VERSION
    assert len(data["rules"]) == len(DOMAIN_LIMITS)
    final = next(r for r in data["rules"] if r["key"] == "final_plan")
    assert final["period"] == "20 weeks"
    assert final["regulation"] == "SEND Regulations 2014 reg 13(2)"
    assert {e["key"] for e in final["exceptions"]} == {"10(4)(a)", "10(4)(b)", "10(4)(c)",
                                                      "10(4)(d)"}  # fmt: skip
    assert final["family_explanation"] and final["if_missed"]
    assert {e["key"] for e in data["exceptions"]} == set(EXCEPTION_KINDS)


def test_domain_periods():
    start = date(2025, 1, 6)
    expected = {
        "decision_whether_to_assess": 42,
        "advice": 42,
        "notice_not_to_issue": 112,
        "draft_plan_comments_close": 14,
        "consultation": 15,
        "final_plan": 140,
        "reassessment_decision": 15,
        "reassessment_final_plan": 98,
        "review_report": 14,
        "review_decision": 28,
        "amendment_comments_close": 14,
        "amended_plan": 56,
        "mediation_held": 30,
        "tribunal_notify_assess": 14,
        "tribunal_decide_not_to_issue": 70,
        "tribunal_final_plan_after_assessment": 98,
        "tribunal_draft_plan": 35,
        "tribunal_final_plan": 77,
        "tribunal_amend_plan": 35,
        "tribunal_name_school": 14,
        "tribunal_cease": 0,
        "transfer_family_notice": 42,
        "decision_not_to_amend": 56,
        "mediation_agreement_other": 14,
        "tribunal_recommendation_response": 35,
    }
    for key, days in expected.items():
        assert (rule(key).due(start) - start).days == days, key


def test_facts_built_directly_before_the_2014_law_are_refused():
    from everychild.statutory import Facts, timeline

    with pytest.raises(LookupError):
        timeline(Facts(today=date(2015, 1, 1), request_received=date(2014, 8, 1)))


def test_a_limits_length_in_days_is_the_regulations():
    from everychild.statutory import period_days

    assert period_days("decision_whether_to_assess") == 42  # reg 4(1): 6 weeks
    assert period_days("advice") == 42  # reg 8(1): 6 weeks
    assert period_days("final_plan") == 140  # reg 13(2): 20 weeks
    assert period_days("draft_plan_comments_close") == 15  # reg 13(1): 15 days
    assert period_days("consultation") == 15
    # During the 2020 easement the lengths were the same (only exceptions were added).
    assert period_days("final_plan", date(2020, 6, 1)) == 140
    with pytest.raises(ValueError, match="months"):
        period_days("annual_review_meeting")
    with pytest.raises(LookupError):
        period_days("final_plan", date(2014, 8, 31))
