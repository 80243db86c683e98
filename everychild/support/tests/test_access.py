"""Who sees which support plan, on the pages and through /api/v1/support-plans/: a SENCO their
setting's pupils (and the plan follows the child), LA casework staff their area's, a parent
their own child's, aggregate roles none."""

import pytest
from django.urls import reverse

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.testing import factories

from .conftest import move

pytestmark = pytest.mark.django_db

API = "/api/v1/support-plans/"


def _ids(client, user):
    client.force_login(user)
    response = client.get(API)
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_a_senco_sees_their_pupils_plans_only(client, senco, other_senco, support_plan):
    assert _ids(client, senco) == {support_plan.pk}
    assert _ids(client, other_senco) == set()
    client.force_login(other_senco)
    assert client.get(reverse("support:plan", args=[support_plan.pk])).status_code == 404


def test_when_the_child_moves_the_new_senco_sees_the_history_and_the_old_does_not(
    client, senco, other_senco, caseworker, pupil, other_school, support_plan
):
    move(caseworker, pupil, other_school)
    assert _ids(client, other_senco) == {support_plan.pk}
    assert _ids(client, senco) == set()
    client.force_login(senco)
    assert client.get(reverse("support:plan", args=[support_plan.pk])).status_code == 404


def test_the_councils_caseworkers_see_their_areas_plans(client, caseworker, support_plan):
    assert _ids(client, caseworker) == {support_plan.pk}
    other_area_worker = factories.make_user(Role.CASEWORKER, area=factories.OtherAreaFactory())
    assert _ids(client, other_area_worker) == set()


def test_a_parent_sees_their_own_childs_plan_only(client, pupil, support_plan):
    parent = factories.FamilyLinkFactory(child=pupil).user
    stranger = factories.make_user(Role.PARENT)
    assert _ids(client, parent) == {support_plan.pk}
    assert _ids(client, stranger) == set()


@pytest.mark.parametrize(
    "role", [Role.BOARD_MEMBER, Role.FINANCE_OFFICER, Role.SENIOR_LEADER, Role.STAFF_ADMINISTRATOR]
)
def test_aggregate_roles_see_no_childs_plan(client, role, support_plan):
    user = factories.make_user(role)
    client.force_login(user)
    assert client.get(API).status_code == 403
    assert client.get(reverse("support:plan", args=[support_plan.pk])).status_code == 403


def test_only_a_senco_of_the_setting_gets_the_controls(client, senco, caseworker, support_plan):
    page = reverse("support:plan", args=[support_plan.pk])
    client.force_login(senco)
    assert "Add a need" in client.get(page).content.decode()
    client.force_login(caseworker)
    body = client.get(page).content.decode()
    assert "Add a need" not in body and "I like drawing" in body
    assert client.get(reverse("support:add", args=[support_plan.pk, "needs"])).status_code == 403


def test_every_view_of_a_plan_is_audited(client, senco, support_plan):
    client.force_login(senco)
    before = AuditEntry.objects.filter(action="view", record_type="support.SupportPlan").count()
    client.get(reverse("support:plan", args=[support_plan.pk]))
    client.get(API)
    after = AuditEntry.objects.filter(action="view", record_type="support.SupportPlan").count()
    assert after == before + 2
