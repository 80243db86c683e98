"""The family sees the support plan and each review in the portal, and sends their views
(a young person is asked as "you"); they are told when a review is coming, with no child's
details in the message; a stranger sees nothing."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.notifications.models import Message
from everychild.support import notices, services
from everychild.support.models import SupportContribution, SupportPlan
from everychild.testing import factories

from .conftest import days_ago, with_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent(pupil):
    return factories.FamilyLinkFactory(child=pupil).user


def _portal(client, user):
    client.force_login(user)
    session = client.session
    session["families_email_code_ok"] = user.pk
    session.save()


def test_the_family_reads_the_plan_and_sends_views_the_senco_reads(
    client, parent, senco, support_plan
):
    plan = with_thread(support_plan, senco)
    client.force_login(parent)
    home = client.get(reverse("families:home")).content.decode()
    assert reverse("families:support-plan", args=[plan.pk]) in home
    page = client.get(reverse("families:support-plan", args=[plan.pk])).content.decode()
    assert "Small-group language sessions" in page and "What your child says" in page

    empty = client.post(reverse("families:support-plan", args=[plan.pk]), {})
    assert "Write something to send" in empty.content.decode()
    assert not SupportContribution.objects.exists()

    sent = client.post(
        reverse("families:support-plan", args=[plan.pk]),
        {"child_words": "I like the morning check-in", "family_words": "Thank you"},
    )
    assert sent.status_code == 302
    client.force_login(senco)
    senco_page = client.get(reverse("support:plan", args=[plan.pk])).content.decode()
    assert "I like the morning check-in" in senco_page


def test_a_young_person_is_asked_as_you(client, area, school, senco):
    young = factories.make_user(Role.YOUNG_PERSON)
    child = factories.ChildFactory(area=area, current_setting=school, own_account=young)
    plan = services.start_plan(
        actor=senco, child=child, started_on=days_ago(3), primary_need="SPLD"
    )
    client.force_login(young)
    page = client.get(reverse("families:support-plan", args=[plan.pk])).content.decode()
    assert "Your support plan" in page and "What you want to say" in page
    assert "your child" not in page.lower()


def test_a_stranger_sees_nothing(client, support_plan):
    stranger = factories.make_user(Role.PARENT)
    client.force_login(stranger)
    assert client.get(reverse("families:support-plan", args=[support_plan.pk])).status_code == 404


def test_the_family_is_told_once_that_a_review_is_coming_with_no_childs_details(
    parent, senco, pupil, support_plan
):
    today = timezone.localdate()
    services.start_cycle(
        actor=senco,
        plan=support_plan,
        version=SupportPlan.objects.get().version,
        started_on=days_ago(20),
        assessed="A",
        planned="B",
        review_due=today + dt.timedelta(days=10),
    )
    assert notices.sweep(today=today) == 1
    notices.sweep(today=today)
    message = Message.objects.get(template="family_support_review_coming_up")
    assert message.to == parent.email
    assert pupil.first_name not in message.body and pupil.last_name not in message.body
    assert pupil.current_setting.name not in message.body
