"""A family's request for an EHC needs assessment, started from their child's support plan
(decision 0242): the public form's answers come from what the family sees of the plan, every
answer can be changed before sending, nothing is written until they send it, and nobody else's
plan can start one."""

import pytest
from django.urls import reverse

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.casework.models import AssessmentRequest
from everychild.families.models import PublicRequest
from everychild.support import services
from everychild.support.models import SupportCycle, SupportPlan
from everychild.testing import factories

from .conftest import days_ago, with_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent(pupil):
    return factories.FamilyLinkFactory(child=pupil).user


@pytest.fixture
def reviewed(senco, support_plan, la):
    """The plan with its thread, one cycle reviewed "not yet", and advice asked of the EP
    service (which the family does not see)."""
    plan = with_thread(support_plan, senco)
    cycle = services.start_cycle(
        actor=senco,
        plan=plan,
        version=plan.version,
        started_on=days_ago(50),
        assessed="Language screen (SENCO's notes)",
        planned="Small-group sessions",
    )
    services.review_cycle(
        actor=senco,
        cycle=SupportCycle.objects.get(pk=cycle.pk),
        version=SupportPlan.objects.get(pk=plan.pk).version,
        reviewed_on=days_ago(5),
        done="Sessions held",
        results={"e1": "not_yet"},
        summary="Little change; we will think about next steps",
    )
    return SupportPlan.objects.get(pk=plan.pk)


def _start(client, user, plan):
    client.force_login(user)
    return client.post(reverse("families:support-plan-request", args=[plan.pk]))


def test_the_familys_answers_start_from_the_plan_and_can_be_changed(
    client, parent, pupil, school, reviewed
):
    client.force_login(parent)
    page = client.get(reverse("families:support-plan", args=[reviewed.pk])).content.decode()
    assert "Ask for an assessment, starting from this plan" in page

    response = _start(client, parent, reviewed)
    assert response.url == reverse("families:request-step", kwargs={"step": "child"})
    assert not AssessmentRequest.objects.exists()  # nothing written until they send it
    child_step = client.get(response.url).content.decode()
    assert pupil.first_name in child_step and "filled in this answer" in child_step
    why = client.get(reverse("families:request-step", kwargs={"step": "why"})).content.decode()
    assert "Finds it hard to follow spoken instructions" in why
    assert "Small-group language sessions" in why
    assert "Follows a two-step instruction in class: Not yet" in why
    assert "Little change" in why
    # The setting's own notes are not the family's to see, so not in their answers.
    assert "SENCO&#x27;s notes" not in why and "SENCO's notes" not in why

    # They change the reason, agree to sharing, and send it on the usual form.
    for name, values in (
        ("child", {}),
        ("you", {}),
        ("setting", {}),
        ("why", {"reason": "The help has not worked. She is falling further behind."}),
        ("consent", {"consent": "on"}),
    ):
        if not values:
            form = client.get(reverse("families:request-step", kwargs={"step": name}))
            values = {
                key: value
                for key, value in form.context["form"].initial.items()
                if value not in (None, "")
            }
            if name == "setting":
                values.setdefault("setting_name", "")
        sent = client.post(reverse("families:request-step", kwargs={"step": name}), values)
        assert sent.status_code == 302, sent.content.decode()[:1500]
    client.post(reverse("families:request-check"))
    case = AssessmentRequest.objects.get()
    assert case.reason == "The help has not worked. She is falling further behind."
    public = PublicRequest.objects.get()
    assert public.contact_email == parent.email
    assert (case.child.first_name, case.child.date_of_birth) == (
        pupil.first_name,
        pupil.date_of_birth,
    )


def test_the_read_of_the_plan_is_audited(client, parent, reviewed):
    _start(client, parent, reviewed)
    assert AuditEntry.objects.filter(
        actor=parent,
        record_type="support.SupportPlan",
        detail__page="family_request_from_support_plan",
    ).exists()


def test_another_family_cannot_start_from_the_plan(client, reviewed):
    stranger = factories.FamilyLinkFactory().user
    assert _start(client, stranger, reviewed).status_code == 404
    assert "family_request" not in client.session


def test_a_link_alone_does_not_replace_answers_already_started(client, parent, reviewed):
    client.force_login(parent)
    response = client.get(reverse("families:support-plan-request", args=[reviewed.pk]))
    assert response.url == reverse("families:support-plan", args=[reviewed.pk])
    assert "family_request" not in client.session


def test_a_young_person_writes_as_themselves(client, area, school, senco):
    young = factories.make_user(Role.YOUNG_PERSON)
    child = factories.ChildFactory(area=area, current_setting=school, own_account=young)
    plan = services.start_plan(
        actor=senco, child=child, started_on=days_ago(90), primary_need="SEMH"
    )
    _start(client, young, plan)
    answers = client.session["family_request"]
    assert answers["relationship"] == "young_person"
    assert answers["reason"].startswith("I have had extra help (SEN support) at")
