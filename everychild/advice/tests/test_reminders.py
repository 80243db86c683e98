"""The reminder sweep: a reminder 2 weeks before due, an escalation when overdue, never twice."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from everychild.advice import reminders
from everychild.casework import clock
from everychild.notifications.models import Message


def test_reminder_then_escalation_each_sent_once(area_setup):
    advice = area_setup["advice"]["ep"]
    due = clock.advice_due(advice.received_by_body_on, area=advice.assessment_request.area)
    before_due = due - dt.timedelta(days=10)
    first = reminders.send_advice_reminders(today=before_due)
    again = reminders.send_advice_reminders(today=before_due)
    assert first["reminders"] >= 1 and again["reminders"] == 0
    reminder = Message.objects.filter(key__startswith=f"advice-reminder:{advice.pk}:")
    assert reminder.count() == 1  # to the EP manager while nobody has it
    assert reminder.get().to == "epm@ep.test"

    late = due + dt.timedelta(days=3)
    reminders.send_advice_reminders(today=late)
    call_command("send_advice_reminders", "--today", late.isoformat())
    escalations = Message.objects.filter(key__startswith=f"advice-overdue:{advice.pk}:")
    assert sorted(escalations.values_list("to", flat=True)) == ["cw@la.test", "epm@ep.test"]
    for message in Message.objects.all():
        assert advice.assessment_request.child.last_name not in message.body


def test_nothing_is_sent_for_advice_already_given(area_setup):
    advice = area_setup["advice"]["ep"]
    advice.provided_on = timezone.localdate()
    advice.save()
    due = clock.advice_due(advice.received_by_body_on, area=advice.assessment_request.area)
    reminders.send_advice_reminders(today=due + dt.timedelta(days=5))
    assert not Message.objects.filter(key__contains=f":{advice.pk}:").exists()
