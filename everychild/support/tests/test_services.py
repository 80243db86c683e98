"""A SENCO's support plan: started with the child's and family's views, the golden thread,
assess-plan-do-review cycles with review dates, and refusals that change nothing."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from everychild.access.models import AuditEntry
from everychild.support import services
from everychild.support.models import SupportCycle, SupportPlan, SupportSettings

from .conftest import days_ago, move, with_thread

pytestmark = pytest.mark.django_db


def test_a_senco_starts_a_plan_for_a_pupil_of_their_setting_and_it_is_audited(
    senco, pupil, support_plan
):
    assert support_plan.child == pupil
    assert support_plan.started_by_setting == pupil.current_setting
    assert support_plan.child_views.startswith("I like drawing")
    entry = AuditEntry.objects.filter(record_type="support.SupportPlan").latest("seq")
    assert entry.child_id == pupil.pk and entry.action == "create"


def test_a_senco_cannot_start_a_plan_for_another_schools_pupil(other_senco, pupil):
    with pytest.raises(PermissionDenied):
        services.start_plan(
            actor=other_senco, child=pupil, started_on=days_ago(5), primary_need="MLD"
        )
    assert not SupportPlan.objects.exists()


def test_one_open_plan_per_child(senco, pupil, support_plan):
    with pytest.raises(ValidationError, match="already has an open support plan"):
        services.start_plan(actor=senco, child=pupil, started_on=days_ago(5), primary_need="MLD")


def test_a_future_start_and_a_missing_need_are_refused_naming_the_field(senco, pupil):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.start_plan(actor=senco, child=pupil, started_on=tomorrow, primary_need="MLD")
    assert "started_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.start_plan(actor=senco, child=pupil, started_on=days_ago(1), primary_need="")
    assert "primary_need" in refused.value.message_dict
    assert not SupportPlan.objects.exists()


def test_the_thread_links_provision_to_outcomes_to_needs(senco, support_plan):
    plan = with_thread(support_plan, senco)
    assert plan.thread["outcomes"][0]["needs"] == ["b1"]
    assert plan.thread["provision"][0]["outcomes"] == ["e1"]
    plan = services.remove_from_thread(
        actor=senco, plan=plan, version=plan.version, kind="outcomes", item_id="e1"
    )
    assert plan.thread["provision"][0]["outcomes"] == []


def test_a_stale_save_is_refused_and_changes_nothing(senco, support_plan):
    opened_at = support_plan.version
    services.add_to_thread(
        actor=senco, plan=support_plan, version=opened_at, kind="needs", fields={"text": "A"}
    )
    with pytest.raises(ValidationError, match="changed since you opened it"):
        services.add_to_thread(
            actor=senco, plan=support_plan, version=opened_at, kind="needs", fields={"text": "B"}
        )
    support_plan.refresh_from_db()
    assert [n["text"] for n in support_plan.thread["needs"]] == ["A"]


def test_a_cycle_is_due_for_review_a_term_later_unless_the_area_says_otherwise(senco, support_plan):
    cycle = services.start_cycle(
        actor=senco,
        plan=support_plan,
        version=support_plan.version,
        started_on=days_ago(30),
        assessed="Speech and language screening: receptive language below age",
        planned="Small-group sessions three times a week",
    )
    assert cycle.number == 1
    assert cycle.review_due == days_ago(30) + dt.timedelta(weeks=12)

    SupportSettings.objects.create(area=support_plan.area, review_every_weeks=8)
    services.review_cycle(
        actor=senco,
        cycle=cycle,
        version=SupportPlan.objects.get().version,
        reviewed_on=days_ago(1),
        done="Sessions held",
        results={},
        summary="",
    )
    second = services.start_cycle(
        actor=senco,
        plan=support_plan,
        version=SupportPlan.objects.get().version,
        started_on=days_ago(1),
        assessed="Progress check",
        planned="Continue",
    )
    assert second.number == 2
    assert second.review_due == days_ago(1) + dt.timedelta(weeks=8)


def test_a_review_records_a_result_for_every_outcome(senco, support_plan):
    plan = with_thread(support_plan, senco)
    cycle = services.start_cycle(
        actor=senco,
        plan=plan,
        version=plan.version,
        started_on=days_ago(40),
        assessed="Screening",
        planned="Sessions",
    )
    plan.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.review_cycle(
            actor=senco,
            cycle=cycle,
            version=plan.version,
            reviewed_on=days_ago(1),
            done="Sessions held",
            results={},
            summary="",
        )
    assert "result_e1" in refused.value.message_dict
    services.review_cycle(
        actor=senco,
        cycle=cycle,
        version=plan.version,
        reviewed_on=days_ago(1),
        done="Sessions held",
        results={"e1": "progressing"},
        summary="Keep going",
    )
    cycle.refresh_from_db()
    assert cycle.review_results == {"e1": {"result": "progressing"}}


def test_the_next_cycle_waits_for_the_last_review(senco, support_plan):
    services.start_cycle(
        actor=senco,
        plan=support_plan,
        version=support_plan.version,
        started_on=days_ago(30),
        assessed="A",
        planned="B",
    )
    with pytest.raises(ValidationError, match="Review cycle 1"):
        services.start_cycle(
            actor=senco,
            plan=support_plan,
            version=SupportPlan.objects.get().version,
            started_on=days_ago(1),
            assessed="A",
            planned="B",
        )
    assert SupportCycle.objects.count() == 1


def test_the_plan_moves_with_the_child(
    senco, other_senco, caseworker, pupil, other_school, support_plan
):
    """A new setting's SENCO writes the plan; the old setting's SENCO no longer can."""
    move(caseworker, pupil, other_school)
    support_plan = SupportPlan.objects.get(pk=support_plan.pk)
    plan = services.add_to_thread(
        actor=other_senco,
        plan=support_plan,
        version=support_plan.version,
        kind="needs",
        fields={"text": "Needs time to settle in a new class"},
    )
    assert plan.thread["needs"][0]["text"].startswith("Needs time")
    with pytest.raises(PermissionDenied):
        services.add_to_thread(
            actor=senco, plan=plan, version=plan.version, kind="needs", fields={"text": "X"}
        )


def test_the_catalogue_is_kept_by_the_councils_managers(team_manager, senco, area):
    offer = services.add_offer(
        actor=team_manager,
        area=area,
        broad_area="communication",
        title="Visual timetables",
        description="Every classroom uses a visual timetable.",
    )
    assert offer.withdrawn_on is None
    with pytest.raises(PermissionDenied):
        services.add_offer(
            actor=senco, area=area, broad_area="communication", title="X", description="Y"
        )
    services.withdraw_offer(actor=team_manager, offer=offer)
    offer.refresh_from_db()
    assert offer.withdrawn_on == timezone.localdate()
