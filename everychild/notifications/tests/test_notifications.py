import datetime as dt

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.notifications import services
from everychild.notifications.models import Message, Status
from everychild.notifications.templates import (
    ALLOWED_FIELDS,
    TemplateError,
    all_templates,
    parse,
)
from everychild.testing import factories

from .scripted_backend import ScriptedBackend

pytestmark = pytest.mark.django_db
BACKEND = "everychild.notifications.tests.scripted_backend.ScriptedBackend"


@pytest.fixture(autouse=True)
def scripted(settings):
    settings.NOTIFICATIONS_BACKEND = BACKEND
    ScriptedBackend.reset()
    return ScriptedBackend


def send_test(key="k1", **kwargs):
    return services.notify(
        template="test_message",
        to="someone@example.org",
        personalisation={"reference": "EHC-2026-00001"},
        key=key,
        **kwargs,
    )


def test_every_template_in_the_repository_uses_only_impersonal_fields():
    templates = all_templates()
    assert templates, "there should be message templates in the repository"
    for template in templates:
        assert template.fields <= ALLOWED_FIELDS, template.name
        # No wording that invites a child's or parent's details into a message.
        lowered = (template.subject + template.body).lower()
        for word in ("date of birth", "nhs number", "upn", "dear (("):
            assert word not in lowered, (template.name, word)


def test_a_template_asking_for_a_childs_name_is_refused():
    with pytest.raises(TemplateError, match="first_name"):
        parse("bad", "Subject: About ((first_name))\n\nHello.")


def test_personal_details_cannot_be_put_into_a_message_and_nothing_is_recorded():
    with pytest.raises(TemplateError, match="child_name"):
        services.notify(
            template="test_message",
            to="someone@example.org",
            personalisation={"reference": "R1", "child_name": "Amelia"},
            key="k-personal",
        )
    assert not Message.objects.exists()


def test_a_missing_value_is_refused():
    with pytest.raises(TemplateError, match="reference"):
        services.notify(template="test_message", to="a@example.org", key="k-missing")


def test_a_message_is_recorded_and_sent_once_even_when_asked_twice(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        first = send_test()
    with django_capture_on_commit_callbacks(execute=True):
        second = send_test()
    assert first.pk == second.pk
    assert Message.objects.count() == 1
    first.refresh_from_db()
    assert first.status == Status.SENT
    assert [key for key, _, _ in ScriptedBackend.delivered] == ["k1"]
    assert "EHC-2026-00001" in ScriptedBackend.delivered[0][2]
    # A sweep afterwards finds nothing to send.
    services.send_due_messages()
    assert len(ScriptedBackend.delivered) == 1


def test_nothing_is_sent_when_the_change_that_asked_for_it_is_rolled_back(
    django_capture_on_commit_callbacks,
):
    class Abandon(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(Abandon),
        transaction.atomic(),
    ):
        send_test()
        raise Abandon
    assert not Message.objects.exists()
    assert ScriptedBackend.tries == 0


def test_when_notify_is_down_the_message_waits_and_goes_once_it_is_back(
    django_capture_on_commit_callbacks,
):
    ScriptedBackend.reset("temporary", "temporary")
    with django_capture_on_commit_callbacks(execute=True):
        message = send_test()
    message.refresh_from_db()
    assert message.status == Status.RETRYING
    assert "unavailable" in message.last_error
    now = timezone.now()
    # Not due yet: the sweep leaves it alone.
    services.send_due_messages(now=now)
    message.refresh_from_db()
    assert message.attempts == 1
    services.send_due_messages(now=now + dt.timedelta(minutes=2))  # second failure
    services.send_due_messages(now=now + dt.timedelta(minutes=2))  # not due again yet
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.RETRYING, 2)
    services.send_due_messages(now=now + dt.timedelta(hours=1))
    services.send_due_messages(now=now + dt.timedelta(hours=2))
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 3)
    assert len(ScriptedBackend.delivered) == 1


def test_a_message_the_provider_refuses_is_not_tried_again(django_capture_on_commit_callbacks):
    ScriptedBackend.reset("permanent")
    with django_capture_on_commit_callbacks(execute=True):
        message = send_test()
    services.send_due_messages(now=timezone.now() + dt.timedelta(days=2))
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert ScriptedBackend.tries == 1


def test_a_message_that_might_have_gone_is_never_resent_automatically(
    django_capture_on_commit_callbacks,
):
    ScriptedBackend.reset("uncertain")
    with django_capture_on_commit_callbacks(execute=True):
        message = send_test()
    services.send_due_messages(now=timezone.now() + dt.timedelta(days=2))
    message.refresh_from_db()
    assert message.status == Status.UNCERTAIN
    assert ScriptedBackend.tries == 1


def test_a_send_abandoned_by_a_stopped_worker_is_marked_uncertain_not_resent():
    message = send_test()  # on_commit not run: pretend a worker claimed it and died
    past = timezone.now() - dt.timedelta(hours=1)
    Message.objects.filter(pk=message.pk).update(status=Status.SENDING, claimed_at=past)
    outcome = services.send_due_messages()
    message.refresh_from_db()
    assert outcome["abandoned"] == 1
    assert message.status == Status.UNCERTAIN
    assert ScriptedBackend.tries == 0


def test_after_repeated_temporary_failures_it_gives_up(django_capture_on_commit_callbacks):
    ScriptedBackend.reset(*["temporary"] * services.MAX_ATTEMPTS)
    with django_capture_on_commit_callbacks(execute=True):
        message = send_test()
    later = timezone.now()
    for _ in range(services.MAX_ATTEMPTS + 2):
        later += dt.timedelta(days=1)
        services.send_due_messages(now=later)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert ScriptedBackend.tries == services.MAX_ATTEMPTS


def test_a_message_about_a_child_is_audited_without_the_child_in_the_body(
    django_capture_on_commit_callbacks,
):
    child = factories.ChildFactory(first_name="Zebedee")
    with django_capture_on_commit_callbacks(execute=True):
        message = send_test(child=child)
    assert "Zebedee" not in message.body and "Zebedee" not in message.subject
    assert AuditEntry.objects.filter(child_id=child.pk, record_id=str(message.pk)).exists()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    outcomes=st.lists(st.sampled_from(["ok", "temporary", "permanent", "uncertain"]), max_size=10),
    sweeps=st.integers(min_value=0, max_value=12),
    repeats=st.integers(min_value=1, max_value=3),
)
def test_whatever_happens_a_message_is_delivered_at_most_once(outcomes, sweeps, repeats):
    Message.objects.all().delete()
    ScriptedBackend.reset(*outcomes)
    for _ in range(repeats):
        message = send_test(key="prop")
        services.deliver(message.pk)
    later = timezone.now()
    for _ in range(sweeps):
        later += dt.timedelta(days=1)
        services.send_due_messages(now=later)
    assert len(ScriptedBackend.delivered) <= 1
    message.refresh_from_db()
    assert (message.status == Status.SENT) == (len(ScriptedBackend.delivered) == 1)


def test_administrators_see_the_messages_and_others_may_not(client):
    send_test()
    admin = factories.make_user(Role.SYSTEM_ADMINISTRATOR)
    client.force_login(admin)
    page = client.get(reverse("notifications:messages"))
    assert page.status_code == 200
    assert b"someone@example.org" in page.content
    client.force_login(factories.make_user(Role.CASEWORKER))
    assert client.get(reverse("notifications:messages")).status_code == 403


def test_an_administrator_can_send_a_failed_message_again(
    client, django_capture_on_commit_callbacks
):
    ScriptedBackend.reset("permanent", "ok")
    with django_capture_on_commit_callbacks(execute=True):
        message = send_test()
    client.force_login(factories.make_user(Role.SYSTEM_ADMINISTRATOR))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("notifications:send-again", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(ScriptedBackend.delivered) == 1
    # A sent message cannot be sent again.
    client.post(reverse("notifications:send-again", args=[message.pk]))
    message.refresh_from_db()
    assert len(ScriptedBackend.delivered) == 1
