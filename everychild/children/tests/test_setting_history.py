"""The child's history of settings (decision 0240): every way a child's setting is set or
changed records a period there, with who recorded it, and the open period is always the
current setting."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.casework.services import school as school_requests
from everychild.children import services
from everychild.children.models import Child, SettingPeriod
from everychild.testing import factories

pytestmark = pytest.mark.django_db

BORN = timezone.localdate().replace(day=7, month=3) - dt.timedelta(days=9 * 365)


def _periods(child):
    return list(
        SettingPeriod.objects.filter(child=child)
        .order_by("started_on", "pk")
        .values_list("setting_id", "started_on", "ended_on", "recorded_by_id")
    )


def _details(**values):
    return {
        "first_name": "Amira",
        "last_name": "Haddad",
        "date_of_birth": BORN,
        "sex": "F",
        "upn_unknown_reason": "UN5",
        **values,
    }


def test_a_child_added_at_a_school_is_on_its_roll_from_today(caseworker, area):
    school = factories.SchoolFactory(area=area)
    child = services.create_child(actor=caseworker, area=area, **_details(current_setting=school))
    assert _periods(child) == [(school.pk, timezone.localdate(), None, caseworker.pk)]


def test_a_move_ends_the_old_period_and_starts_the_new_one(caseworker, area):
    first, second = factories.SchoolFactory(area=area), factories.SchoolFactory(area=area)
    child = services.create_child(actor=caseworker, area=area, **_details(current_setting=first))
    moved_on = timezone.localdate() + dt.timedelta(days=40)
    with time_machine.travel(moved_on, tick=False):
        child = services.update_child(
            actor=caseworker, child=child, version=child.version, current_setting=second
        )
    assert _periods(child) == [
        (first.pk, timezone.localdate(), moved_on, caseworker.pk),
        (second.pk, moved_on, None, caseworker.pk),
    ]
    steps = AuditEntry.objects.filter(record_type="children.SettingPeriod").values_list(
        "detail", flat=True
    )
    assert [d["setting_period"] for d in steps] == ["started", "ended", "started"]


def test_other_changes_to_the_record_leave_the_history_alone(caseworker, area):
    school = factories.SchoolFactory(area=area)
    child = services.create_child(actor=caseworker, area=area, **_details(current_setting=school))
    services.update_child(actor=caseworker, child=child, version=child.version, postcode="BH1 1AA")
    assert len(_periods(child)) == 1


def test_leaving_for_no_setting_ends_the_period_and_opens_none(caseworker, area):
    school = factories.SchoolFactory(area=area)
    child = services.create_child(actor=caseworker, area=area, **_details(current_setting=school))
    services.update_child(
        actor=caseworker, child=child, version=child.version, current_setting=None
    )
    [(setting, _, ended, _)] = _periods(child)
    assert setting == school.pk and ended == timezone.localdate()


def test_a_school_requesting_for_a_child_new_to_the_area_puts_them_on_its_roll(area):
    school = factories.SchoolFactory(area=area)
    senco = factories.make_user(Role.SENCO, school)
    child = school_requests._pupil(
        actor=senco,
        setting=school,
        child=None,
        details={"first_name": "Noor", "last_name": "Begum", "date_of_birth": BORN},
        request=None,
    )
    assert _periods(child) == [(school.pk, timezone.localdate(), None, senco.pk)]


def test_a_merge_that_fills_the_setting_starts_a_period_and_undoing_it_ends_it(area):
    manager = factories.make_user(Role.TEAM_MANAGER, factories.LocalAuthorityFactory(area=area))
    school = factories.SchoolFactory(area=area)
    kept = factories.ChildFactory(area=area, current_setting=None)
    merged = factories.ChildFactory(area=area, current_setting=school)
    merge = services.merge_children(actor=manager, kept=kept, merged=merged)
    assert [p[0] for p in _periods(kept)] == [school.pk]
    # The other record's own period stays with it (both records may have had one open).
    assert [p[0] for p in _periods(merged)] == [school.pk]
    services.undo_merge(actor=manager, merge=merge)
    [(_, _, ended, _)] = _periods(kept)
    assert ended == timezone.localdate()


def test_saying_the_same_setting_twice_records_one_move(caseworker, area):
    school = factories.SchoolFactory(area=area)
    child = services.create_child(actor=caseworker, area=area, **_details(current_setting=school))
    services.record_setting_change(child=child, actor=caseworker)
    services.record_setting_change(child=child, actor=caseworker)
    assert len(_periods(child)) == 1


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(moves=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 30)), max_size=8))
def test_the_open_period_is_always_the_current_setting(caseworker, area, moves):
    """Whatever moves happen, on whatever days: at most one open period, it is the current
    setting's, and the periods follow one another without overlapping."""
    schools = [factories.SchoolFactory(area=area) for _ in range(3)]
    choices = [None, *schools]
    child = services.create_child(
        actor=caseworker, area=area, **_details(current_setting=schools[0])
    )
    day = timezone.localdate()
    for choice, gap in moves:
        day += dt.timedelta(days=gap)
        with time_machine.travel(day, tick=False):
            child = services.update_child(
                actor=caseworker,
                child=Child.objects.get(pk=child.pk),
                version=Child.objects.get(pk=child.pk).version,
                current_setting=choices[choice],
            )
    periods = list(SettingPeriod.objects.filter(child=child).order_by("started_on", "pk"))
    open_ones = [p for p in periods if p.ended_on is None]
    child.refresh_from_db()
    if child.current_setting_id is None:
        assert open_ones == []
    else:
        assert [p.setting_id for p in open_ones] == [child.current_setting_id]
        assert periods[-1] == open_ones[0]
    for earlier, later in zip(periods, periods[1:], strict=False):
        assert earlier.ended_on is not None and earlier.ended_on <= later.started_on


# --- A move recorded after the day it happened ---------------------------------------------


def _change_page_data(client, child, **changes):
    form = client.get(f"/children/{child.pk}/change/").context["form"]
    data = {name: (value if value is not None else "") for name, value in form.initial.items()}
    data["date_of_birth"] = child.date_of_birth.strftime("%d/%m/%Y")
    data["current_setting"] = child.current_setting_id or ""
    data.update(changes)
    return data


def _moved_child(caseworker, area, started_days_ago=60):
    first = factories.SchoolFactory(area=area, name="Harbour Primary School")
    began = timezone.localdate() - dt.timedelta(days=started_days_ago)
    with time_machine.travel(began, tick=False):
        child = services.create_child(
            actor=caseworker, area=area, **_details(current_setting=first)
        )
    return child, first, began


def test_a_move_recorded_late_is_dated_the_day_it_happened(client, caseworker, area):
    child, first, began = _moved_child(caseworker, area)
    second = factories.SchoolFactory(area=area, name="Cliff Top Academy")
    moved_on = timezone.localdate() - dt.timedelta(days=10)
    client.force_login(caseworker)
    data = _change_page_data(
        client, child, current_setting=second.pk, setting_changed_on=f"{moved_on:%d/%m/%Y}"
    )
    response = client.post(f"/children/{child.pk}/change/", data, follow=True)
    assert "The record has been updated." in response.content.decode()
    assert _periods(child) == [
        (first.pk, began, moved_on, caseworker.pk),
        (second.pk, moved_on, None, caseworker.pk),
    ]


@pytest.mark.parametrize(
    "day, message",
    [
        (lambda began: began - dt.timedelta(days=1), "must be on or after"),
        (lambda began: timezone.localdate() + dt.timedelta(days=1), "today or in the past"),
    ],
    ids=["before the last move", "in the future"],
)
def test_a_day_the_move_cannot_have_happened_is_refused_and_nothing_changes(
    client, caseworker, area, day, message
):
    child, first, began = _moved_child(caseworker, area)
    second = factories.SchoolFactory(area=area)
    client.force_login(caseworker)
    data = _change_page_data(
        client, child, current_setting=second.pk, setting_changed_on=f"{day(began):%d/%m/%Y}"
    )
    response = client.post(f"/children/{child.pk}/change/", data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text and message in text
    child.refresh_from_db()
    assert child.current_setting == first
    assert _periods(child) == [(first.pk, began, None, caseworker.pk)]


def test_a_day_given_when_the_setting_did_not_change_is_refused(client, caseworker, area):
    child, first, began = _moved_child(caseworker, area)
    client.force_login(caseworker)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    data = _change_page_data(
        client, child, preferred_name="Mimi", setting_changed_on=f"{yesterday:%d/%m/%Y}"
    )
    response = client.post(f"/children/{child.pk}/change/", data)
    assert "the school, college or setting has not changed" in response.content.decode()
    child.refresh_from_db()
    assert child.preferred_name != "Mimi"
