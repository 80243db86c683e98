"""A setting the child has left (decision 0240): by default it sees nothing of the child's
support plans; where the area lets past settings read the support history, its SENCO reads,
and never changes, the plans that ran while the child was with them, as they stood on the day
the child left, on the pages and through /api/v1/support-plans/. The new setting's SENCO sees
the whole history and writes the open plan. Every read is audited."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from everychild.access.models import AuditEntry
from everychild.support import services
from everychild.support.models import SupportCycle, SupportPlan, SupportSettings
from everychild.testing import factories

from .conftest import days_ago, move, with_thread

pytestmark = pytest.mark.django_db

API = "/api/v1/support-plans/"


def _api(client, user) -> dict[int, dict]:
    client.force_login(user)
    response = client.get(API)
    assert response.status_code == 200, response.content
    return {row["id"]: row for row in response.json()["results"]}


def _allow(area, allowed=True):
    SupportSettings.objects.update_or_create(
        area=area, defaults={"past_settings_read_history": allowed}
    )


@pytest.fixture
def history(senco, other_senco, caseworker, pupil, other_school, support_plan):
    """A plan with two cycles at the first school (the first reviewed there); the child moves
    30 days ago; the new SENCO reviews the second cycle and starts a third."""
    plan = with_thread(support_plan, senco)

    def start(actor, started, assessed, planned):
        fresh = SupportPlan.objects.get(pk=plan.pk)
        return services.start_cycle(
            actor=actor,
            plan=fresh,
            version=fresh.version,
            started_on=started,
            assessed=assessed,
            planned=planned,
        )

    def review(actor, cycle, on, result, summary):
        services.review_cycle(
            actor=actor,
            cycle=SupportCycle.objects.get(pk=cycle.pk),
            version=SupportPlan.objects.get(pk=plan.pk).version,
            reviewed_on=on,
            done="Provision delivered",
            results={"e1": result},
            summary=summary,
        )

    first = start(senco, days_ago(55), "Reading check", "Daily reading with an adult")
    review(senco, first, days_ago(40), "progressing", "Reviewed at the first school")
    second = start(senco, days_ago(39), "Second look", "Small-group work")
    move(caseworker, pupil, other_school, on=days_ago(30))
    review(other_senco, second, days_ago(10), "met", "Reviewed at the new school")
    start(other_senco, days_ago(9), "Settling-in check", "Buddy at break")
    return SupportPlan.objects.get(pk=plan.pk)


def test_by_default_the_old_setting_sees_nothing(client, senco, history):
    assert _api(client, senco) == {}
    assert client.get(reverse("support:plan", args=[history.pk])).status_code == 404
    assert client.get(f"{API}{history.pk}/").status_code == 404


def test_where_the_area_allows_the_old_senco_reads_their_time_only(client, senco, area, history):
    _allow(area)
    row = _api(client, senco)[history.pk]
    assert row["read_until"] == days_ago(30).isoformat()
    assert [c["number"] for c in row["cycles"]] == [1, 2]
    # The second cycle's review was held after the child left: not the old school's to read.
    assert row["cycles"][0]["review_summary"] == "Reviewed at the first school"
    assert row["cycles"][1]["reviewed_on"] is None and row["cycles"][1]["review_summary"] == ""
    assert client.get(f"{API}{history.pk}/").json()["cycles"] == row["cycles"]

    body = client.get(reverse("support:plan", args=[history.pk])).content.decode()
    assert "has left your setting" in body
    assert "Reviewed at the first school" in body
    assert "Reviewed at the new school" not in body and "Buddy at break" not in body
    assert "Add a need" not in body and "Start the next cycle" not in body
    assert history.child.current_setting.name not in body  # where the child went is not said


def test_the_old_senco_cannot_change_or_hand_on_the_plan(client, senco, area, history):
    _allow(area)
    client.force_login(senco)
    for name, args in (
        ("support:add", [history.pk, "needs"]),
        ("support:views", [history.pk]),
        ("support:end", [history.pk]),
        ("support:consultation-new", [history.pk]),
        ("support:download", [history.pk]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403, name
    assert (
        client.post(reverse("support:add", args=[history.pk, "needs"]), {"text": "X"}).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.add_to_thread(
            actor=senco, plan=history, version=history.version, kind="needs", fields={"text": "X"}
        )
    # Their working list is of their own pupils, not of children who have left.
    assert history.child.full_name not in client.get(reverse("support:list")).content.decode()


def test_the_new_senco_sees_the_whole_history_and_writes_it(client, other_senco, area, history):
    _allow(area)
    row = _api(client, other_senco)[history.pk]
    assert row["read_until"] is None and [c["number"] for c in row["cycles"]] == [1, 2, 3]
    body = client.get(reverse("support:plan", args=[history.pk])).content.decode()
    assert "Reviewed at the new school" in body and "Add a need" in body


def test_a_plan_begun_after_the_child_left_is_not_the_old_settings(
    client, senco, other_senco, area, history
):
    _allow(area)
    services.end_plan(
        actor=other_senco,
        plan=history,
        version=history.version,
        ended_on=days_ago(5),
        reason="Needs met",
    )
    later = services.start_plan(
        actor=other_senco, child=history.child, started_on=days_ago(2), primary_need="SEMH"
    )
    assert set(_api(client, senco)) == {history.pk}
    assert client.get(reverse("support:plan", args=[later.pk])).status_code == 404


def test_a_plan_that_ended_before_the_child_arrived_is_not_that_settings(
    client, senco, other_senco, caseworker, area, pupil, other_school, school
):
    """Back at the first school after a spell elsewhere: the other school, left since, reads
    only the plan that ran while the child was there."""
    _allow(area)
    earlier = services.start_plan(
        actor=senco, child=pupil, started_on=days_ago(300), primary_need="SLCN"
    )
    services.end_plan(
        actor=senco, plan=earlier, version=earlier.version, ended_on=days_ago(200), reason="Met"
    )
    move(caseworker, pupil, other_school, on=days_ago(150))
    during = services.start_plan(
        actor=other_senco, child=pupil, started_on=days_ago(120), primary_need="SEMH"
    )
    move(caseworker, pupil, school, on=days_ago(60))
    assert set(_api(client, other_senco)) == {during.pk}
    assert set(_api(client, senco)) == {earlier.pk, during.pk}


def test_switching_the_area_setting_off_again_ends_the_reading(client, senco, area, history):
    _allow(area)
    assert set(_api(client, senco)) == {history.pk}
    _allow(area, False)
    assert _api(client, senco) == {}


def test_another_areas_setting_never_reads(client, area, history):
    _allow(area)
    elsewhere = factories.SchoolFactory(area=factories.OtherAreaFactory())
    outsider = factories.make_user("senco", elsewhere)
    assert _api(client, outsider) == {}


def test_the_old_setting_reading_is_audited_as_such(client, senco, area, history):
    _allow(area)
    client.force_login(senco)
    client.get(reverse("support:plan", args=[history.pk]))
    entry = AuditEntry.objects.filter(
        action="view", record_type="support.SupportPlan", actor=senco
    ).latest("pk")
    assert entry.detail == {"as_past_setting_until": days_ago(30).isoformat()}


def test_the_areas_managers_choose_on_a_page_and_the_choice_is_audited(
    client, team_manager, senco, area, history
):
    page = reverse("support:settings", args=[area.pk])
    client.force_login(team_manager)
    form = client.get(page).content.decode()
    assert "Can a school or setting a child has left read back the support it gave?" in form

    wrong = client.post(page, {"review_every_weeks": "40", "past_settings_read_history": "yes"})
    assert "govuk-error-summary" in wrong.content.decode() and "from 1 to 16" in (
        wrong.content.decode()
    )
    assert not SupportSettings.objects.filter(past_settings_read_history=True).exists()

    saved = client.post(page, {"review_every_weeks": "10", "past_settings_read_history": "yes"})
    assert saved.status_code == 302
    chosen = SupportSettings.objects.get(area=area)
    assert (chosen.review_every_weeks, chosen.past_settings_read_history) == (10, True)
    entry = AuditEntry.objects.filter(record_type="support.SupportSettings").latest("pk")
    assert entry.actor_id == team_manager.pk
    assert entry.detail["after"]["past_settings_read_history"] is True
    assert set(_api(client, senco)) == {history.pk}


def test_only_the_areas_managers_change_the_settings(client, senco, caseworker, area):
    page = reverse("support:settings", args=[area.pk])
    for user in (senco, caseworker):
        client.force_login(user)
        assert client.post(page, {"review_every_weeks": "10"}).status_code == 403
    other = factories.make_user(
        "team_manager", factories.LocalAuthorityFactory(area=factories.OtherAreaFactory())
    )
    client.force_login(other)
    assert client.get(page).status_code == 403
    assert not SupportSettings.objects.exists()


def test_the_old_senco_reads_the_needs_of_their_time_but_not_the_new_settings_words(
    client, senco, other_senco, area, history
):
    _allow(area)
    # What the first school wrote, dated in its time (the fixture adds it today).
    plan = SupportPlan.objects.get(pk=history.pk)
    for kind in ("needs", "outcomes", "provision"):
        for item in plan.thread[kind]:
            item["added_on"] = days_ago(50).isoformat()
    plan.save(update_fields=["thread"])
    plan = services.add_to_thread(
        actor=other_senco,
        plan=plan,
        version=plan.version,
        kind="needs",
        fields={"text": "Anxious at the start of the day since moving"},
    )
    services.update_views(
        actor=other_senco,
        plan=plan,
        version=plan.version,
        child_views="I like my new school's library",
        family_views="Settling well",
        outside_involvement="School nurse",
    )

    row = _api(client, senco)[history.pk]
    assert [n["text"] for n in row["needs"]] == ["Finds it hard to follow spoken instructions"]
    assert row["child_views"] == row["family_views"] == row["outside_involvement"] == ""
    body = client.get(reverse("support:plan", args=[history.pk])).content.decode()
    assert "Finds it hard to follow spoken instructions" in body
    for later in ("Anxious at the start", "new school's library", "Settling well", "School nurse"):
        assert later not in body

    # The new setting sees everything, its own words included.
    row = _api(client, other_senco)[history.pk]
    assert len(row["needs"]) == 2 and row["child_views"] == "I like my new school's library"
