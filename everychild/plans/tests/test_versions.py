"""Drafting, issuing and amending plans: versions are frozen once issued."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.casework.models import Stage
from everychild.casework.services import CaseChanged
from everychild.plans import diff, services
from everychild.plans.models import EHCPlan, IssuedVersionError, PlanVersion
from everychild.plans.services import DraftChanged
from everychild.plans.tests.conftest import days_ago, issue
from everychild.testing import factories


def write_plan(caseworker, draft):
    draft = services.set_section_a(actor=caseworker, draft=draft, text="I love trains.")
    draft = services.set_need_types(actor=caseworker, draft=draft, primary_need="SLCN")
    draft = services.add_need(
        actor=caseworker, draft=draft, section="B", text="Understands only short sentences."
    )
    draft = services.add_outcome(
        actor=caseworker,
        draft=draft,
        text="Will follow a two-step instruction",
        needs=["b1"],
        by_when=None,
        measured_by="Teacher observation, termly",
    )
    return services.add_provision(
        actor=caseworker,
        draft=draft,
        section="F",
        what="Speech and language therapy",
        how_often="1 session of 30 minutes a week",
        how_long="for 1 year",
        by_whom="Speech and language therapist",
        qualification="HCPC registered",
        outcomes=["e1"],
    )


def test_the_caseworker_drafts_and_issuing_the_final_plan_issues_version_1(
    case_at_draft, caseworker, school
):
    draft = services.draft_for_case(actor=caseworker, case=case_at_draft)
    # K from the advice received, I from the child's setting.
    assert draft.sections["K"]["advice"][0]["kind"] == "Psychological advice"
    assert draft.sections["I"]["setting_name"] == school.name
    draft = write_plan(caseworker, draft)
    case = issue(case_at_draft, caseworker)
    assert case.stage == Stage.PLAN_ISSUED
    plan = EHCPlan.objects.get(assessment_request=case)
    assert (plan.primary_need, plan.setting, plan.issued_on) == ("SLCN", school, days_ago(2))
    version = PlanVersion.objects.get(pk=draft.pk)
    assert version.is_issued and version.number == 1
    assert version.quality["score"] == version.quality_score
    assert AuditEntry.objects.filter(record_id=str(version.pk), detail__step="plan_issued")


def test_without_section_b_the_final_plan_is_refused_and_nothing_is_written(
    case_at_draft, caseworker
):
    services.draft_for_case(actor=caseworker, case=case_at_draft)
    with pytest.raises(ValidationError) as refused:
        issue(case_at_draft, caseworker)
    assert "Section B describes no special educational needs" in str(refused.value)
    case_at_draft.refresh_from_db()
    assert case_at_draft.final_plan_issued_on is None
    assert not EHCPlan.objects.exists()
    assert not PlanVersion.objects.filter(status="final").exists()


def test_without_a_draft_the_final_plan_is_refused(case_at_draft, caseworker):
    with pytest.raises(ValidationError) as refused:
        issue(case_at_draft, caseworker)
    assert refused.value.error_dict["issued_on"][0].code == "no_plan_draft"


def test_an_issued_version_can_never_be_edited(area, caseworker):
    plan = factories.issued_plan(factories.ChildFactory(area=area))
    version = PlanVersion.objects.get(document__plan=plan)
    with pytest.raises(IssuedVersionError):
        services.set_section_a(actor=caseworker, draft=version, text="Changed")
    version.sections["A"]["text"] = "Changed behind the service's back"
    with pytest.raises(IssuedVersionError):
        version.save()
    with pytest.raises(IssuedVersionError):
        PlanVersion.objects.filter(pk=version.pk).update(status="draft")
    with pytest.raises(IssuedVersionError):
        version.delete()
    with pytest.raises(IssuedVersionError):
        PlanVersion.objects.filter(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.sections["A"]["text"] != "Changed behind the service's back"


def test_a_change_from_a_stale_page_is_refused(case_at_draft, caseworker):
    draft = services.draft_for_case(actor=caseworker, case=case_at_draft)
    stale = draft.lock_version
    services.set_section_a(actor=caseworker, draft=draft, text="First", lock_version=stale)
    with pytest.raises(DraftChanged):
        services.set_section_a(actor=caseworker, draft=draft, text="Second", lock_version=stale)
    draft.refresh_from_db()
    assert draft.sections["A"]["text"] == "First"


def test_an_amendment_is_a_new_version_and_the_comparison_shows_what_changed(area, caseworker):
    plan = factories.issued_plan(factories.ChildFactory(area=area))
    draft = services.start_amendment(actor=caseworker, plan=plan, reason="other")
    assert draft.number == 2 and not draft.is_issued
    draft = services.add_provision(
        actor=caseworker,
        draft=draft,
        section="F",
        what="Swimming lessons",
        how_often="1 lesson of 30 minutes a week",
        how_long="for 1 term",
        by_whom="Swimming teacher",
        qualification="Qualified",
        outcomes=["e1"],
    )
    issued = services.issue_amendment(actor=caseworker, draft=draft, issued_on=days_ago(0))
    assert issued.is_issued
    first = PlanVersion.objects.get(document__plan=plan, number=1)
    changes = {s.section: s for s in diff.compare(first.sections, issued.sections)}
    assert [c.kind for c in changes["F"].changes] == ["added"]
    assert changes["F"].changes[0].label == "Swimming lessons"
    assert not changes["B"].changed


def test_a_changed_item_shows_its_fields_before_and_after():
    from everychild.plans.examples import example_sections

    old = example_sections()
    new = example_sections()
    new["F"]["provision"][0]["how_often"] = "2 sessions of 45 minutes a week"
    new["E"]["outcomes"].pop()
    changes = {s.section: s for s in diff.compare(old, new)}
    [changed] = changes["F"].changes
    assert changed.kind == "changed"
    assert changed.fields == [
        ("How often", old["F"]["provision"][0]["how_often"], "2 sessions of 45 minutes a week")
    ]
    assert [c.kind for c in changes["E"].changes] == ["removed"]


def test_only_the_las_caseworkers_write_plans(case_at_draft, area):
    senco = factories.make_user(Role.SENCO, case_at_draft.child.current_setting)
    with pytest.raises(PermissionDenied):
        services.draft_for_case(actor=senco, case=case_at_draft)


def test_the_family_may_write_section_a(case_at_draft, caseworker):
    draft = services.draft_for_case(actor=caseworker, case=case_at_draft)
    link = factories.FamilyLinkFactory(child=case_at_draft.child)
    draft = services.set_section_a(actor=link.user, draft=draft, text="In our words.")
    assert draft.sections["A"]["text"] == "In our words."
    stranger = factories.make_user(Role.PARENT)
    with pytest.raises(PermissionDenied):
        services.set_section_a(actor=stranger, draft=draft, text="Not ours")


def test_bad_input_is_refused_with_the_field_named(case_at_draft, caseworker):
    draft = services.draft_for_case(actor=caseworker, case=case_at_draft)
    with pytest.raises(ValidationError) as refused:
        services.add_outcome(
            actor=caseworker, draft=draft, text="x", needs=["b7"], by_when=None, measured_by=""
        )
    assert "needs" in refused.value.error_dict
    with pytest.raises(ValidationError) as refused:
        services.set_placement(actor=caseworker, draft=draft, setting=None)
    assert "setting" in refused.value.error_dict


def test_section_k_takes_the_summary_of_advice_submitted_through_the_portal(
    case_at_draft, caseworker
):
    from everychild.advice.models import AdviceWork

    advice = case_at_draft.advice_requests.get()
    AdviceWork.objects.create(
        advice_request=advice,
        submitted_on=advice.provided_on,
        summary="Needs a language-rich classroom.",
    )
    draft = services.draft_for_case(actor=caseworker, case=case_at_draft)
    [entry] = draft.sections["K"]["advice"]
    assert entry["summary"] == "Needs a language-rich classroom."
    assert entry["provided_on"] == advice.provided_on.isoformat()


def test_the_only_change_to_an_issued_version_is_erasure_under_the_retention_policy(area):
    plan = factories.issued_plan(factories.ChildFactory(area=area))
    versions = PlanVersion.objects.filter(document__plan=plan)
    with pytest.raises(IssuedVersionError):
        versions.update(sections={"A": {"text": "Rewritten"}})
    versions.update(sections={}, quality={})
    assert versions.get().sections == {}


def test_section_a_starts_from_the_views_the_family_sent(case_at_draft, caseworker):
    from django.utils import timezone

    from everychild.families.models import ViewsStatement

    parent = factories.FamilyLinkFactory(child=case_at_draft.child).user
    ViewsStatement.objects.create(
        assessment_request=case_at_draft,
        author=parent,
        kind="child",
        about="I like horses.",
        hopes="To ride one.",
        sent_at=timezone.now(),
    )
    ViewsStatement.objects.create(  # a draft the family has not sent is not used
        assessment_request=case_at_draft,
        author=parent,
        kind="parent",
        about="Not sent yet",
    )
    draft = services.draft_for_case(actor=caseworker, case=case_at_draft)
    text = draft.sections["A"]["text"]
    assert "I like horses." in text and "To ride one." in text
    assert "Not sent yet" not in text


def test_the_final_plan_issued_from_two_stale_copies_is_issued_once(case_at_draft, caseworker):
    """Issue 17: two people issue the final plan from pages opened at the same version; the
    second is refused (the case moved on) and there is one plan, one final version."""
    write_plan(caseworker, services.draft_for_case(actor=caseworker, case=case_at_draft))
    seen = case_at_draft.version
    services.issue_final_plan(
        actor=caseworker, case=case_at_draft, version=seen, issued_on=days_ago(2)
    )
    with pytest.raises(CaseChanged):
        services.issue_final_plan(
            actor=caseworker, case=case_at_draft, version=seen, issued_on=days_ago(1)
        )
    assert EHCPlan.objects.filter(assessment_request=case_at_draft).count() == 1
    assert PlanVersion.objects.filter(status="final").count() == 1
