"""The plan quality check: each rule with a plan that passes it and one that fails it."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from everychild.plans import quality
from everychild.plans.examples import example_sections


class Setting:
    pk, name, urn, ukprn, setting_type = 7, "Oakfield Primary", "100001", "", ""

    def get_setting_type_display(self):
        return "Mainstream school"


def good():
    return example_sections(setting=Setting(), outcomes=4, provision_lines=6)


def codes(sections, rule):
    return [f.code for f in rule(quality.normalised(sections))]


def test_a_well_written_plan_has_no_findings_and_scores_100():
    report = quality.check(good())
    assert report.findings == ()
    assert report.score == 100
    assert report.may_issue


@pytest.mark.parametrize(
    "phrase", ["access to", "regular", "as required", "up to", "opportunities for"]
)
def test_vague_provision(phrase):
    plan = good()
    assert codes(plan, quality.vague_provision) == []
    plan["F"]["provision"][0]["what"] = f"Speech therapy: {phrase} a therapist"
    found = quality.vague_provision(quality.normalised(plan))
    assert [f.code for f in found] == ["vague_provision"]
    assert found[0].item == "f1" and phrase in found[0].message


def test_provision_with_no_quantity():
    plan = good()
    assert codes(plan, quality.unquantified_provision) == []
    plan["F"]["provision"][1]["how_often"] = "when the teacher thinks it helps"
    assert codes(plan, quality.unquantified_provision) == ["no_quantity"]
    plan["F"]["provision"][1]["how_often"] = "twice a week"
    assert codes(plan, quality.unquantified_provision) == []


def test_provision_without_who_delivers_it():
    plan = good()
    assert codes(plan, quality.provision_without_deliverer) == []
    plan["F"]["provision"][0]["by_whom"] = " "
    assert codes(plan, quality.provision_without_deliverer) == ["no_deliverer"]


def test_provision_without_an_outcome():
    plan = good()
    assert codes(plan, quality.provision_without_outcome) == []
    plan["F"]["provision"][2]["outcomes"] = ["e99"]  # a link to nothing counts as none
    assert codes(plan, quality.provision_without_outcome) == ["provision_without_outcome"]


def test_an_outcome_without_a_need():
    plan = good()
    assert codes(plan, quality.outcome_without_need) == []
    plan["E"]["outcomes"][0]["needs"] = []
    assert codes(plan, quality.outcome_without_need) == ["outcome_without_need"]


def test_an_outcome_without_a_date_or_measure():
    plan = good()
    assert codes(plan, quality.outcome_not_measurable) == []
    plan["E"]["outcomes"][0]["measured_by"] = ""
    found = quality.outcome_not_measurable(quality.normalised(plan))
    assert [f.code for f in found] == ["outcome_not_measurable"]
    assert "how it will be measured" in found[0].message


def test_a_need_without_provision():
    plan = good()
    assert codes(plan, quality.need_without_provision) == []
    plan["B"]["needs"].append({"id": "b9", "text": "Needs help with toileting."})
    assert codes(plan, quality.need_without_provision) == ["need_without_provision"]


def test_a_placement_with_neither_urn_ukprn_nor_setting_code():
    plan = good()
    assert codes(plan, quality.placement_unidentified) == []
    plan["I"]["urn"] = ""
    assert codes(plan, quality.placement_unidentified) == ["placement_unidentified"]
    plan["I"]["setting_code"] = "OLA"
    assert codes(plan, quality.placement_unidentified) == []


def test_no_placement_blocks_issue():
    plan = good()
    plan["I"] = {
        "setting_id": None,
        "setting_name": "",
        "urn": "",
        "ukprn": "",
        "setting_code": "",
        "setting_type": "",
    }
    report = quality.check(plan)
    assert [f.code for f in report.blocking] == ["no_placement"]
    assert not report.may_issue


def test_no_section_b_blocks_issue():
    plan = good()
    assert codes(plan, quality.no_needs) == []
    plan["B"]["needs"] = []
    plan["B"]["primary_need"] = ""
    report = quality.check(plan)
    assert {f.code for f in report.blocking} == {"no_section_b", "no_primary_need"}


def test_empty_section_a():
    plan = good()
    assert codes(plan, quality.no_views) == []
    plan["A"]["text"] = ""
    assert codes(plan, quality.no_views) == ["no_views"]


def test_no_outcomes_or_provision():
    plan = good()
    assert codes(plan, quality.no_outcomes_or_provision) == []
    plan["E"]["outcomes"], plan["F"]["provision"] = [], []
    assert codes(plan, quality.no_outcomes_or_provision) == ["no_outcomes", "no_provision"]


def test_a_section_is_scored_by_the_share_of_its_items_without_a_finding():
    plan = good()
    plan["F"]["provision"][0]["how_often"] = "as required"
    report = quality.check(plan)
    f = next(s for s in report.sections if s.section == "F")
    assert f.score == round(100 * 5 / 6)
    assert any("as required" in reason for reason in f.reasons)
    assert next(s for s in report.sections if s.section == "H1").score is None  # not used
    assert report.score < 100


@settings(max_examples=60, deadline=None)
@given(st.sets(st.integers(0, 5)), st.sets(st.integers(0, 5)))
def test_breaking_more_lines_never_raises_the_score(some, more):
    def broken(lines):
        plan = good()
        for line in lines:
            plan["F"]["provision"][line]["how_often"] = "regular sessions"
        return quality.check(plan)

    fewer, most = broken(some), broken(some | more)
    assert most.score <= fewer.score
    assert (most.score == 100) == (not (some | more))
