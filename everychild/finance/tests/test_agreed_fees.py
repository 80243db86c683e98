"""Fees agreed for individual placements: recorded by the SEND team's managers (who see the
children), used instead of the area's rate in the totals finance officers see (who do not)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.finance import selectors, services
from everychild.finance.models import Placement, PlacementFee
from everychild.testing import factories

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 10, 1)


@pytest.fixture
def officer(la):
    return factories.make_user(Role.FINANCE_OFFICER, la)


@pytest.fixture
def manager(la):
    return factories.make_user(Role.TEAM_MANAGER, la)


def _independent_placements(area, n, start=dt.date(2025, 9, 1)):
    placements = []
    for _ in range(n):
        plan = factories.EHCPlanFactory(child__area=area, issued_on=start)
        placements.append(
            Placement.objects.create(
                area=area, plan=plan, placement_type="special_independent", starts_on=start
            )
        )
    return placements


def _rate(officer, area, amount):
    services.record_cost_rate(
        actor=officer,
        area=area,
        placement_type="special_independent",
        component="fees",
        annual_amount=Decimal(amount),
        effective_from=dt.date(2025, 4, 1),
    )


def _row(area, on=DAY):
    [row] = [
        r
        for r in selectors.placements_summary(area, on)
        if r["placement_type"] == "special_independent"
    ]
    return row


def test_an_agreed_fee_replaces_the_usual_rate_for_that_placement_only(officer, manager, area):
    _rate(officer, area, "60000")
    first, _second, _third = _independent_placements(area, 3)
    assert _row(area)["annual_cost"] == 180_000
    services.record_placement_fee(
        actor=manager,
        placement=first,
        component="fees",
        annual_amount=Decimal("95000"),
        effective_from=dt.date(2025, 9, 1),
    )
    row = _row(area)
    assert row["annual_cost"] == 95_000 + 2 * 60_000
    assert row["agreed_fees"] == 1
    assert row["unit_cost"] == 60_000  # the table's rate is still shown as the rate


def test_a_later_fee_supersedes_the_earlier_which_is_kept(officer, manager, area):
    _rate(officer, area, "60000")
    [placement] = _independent_placements(area, 1)
    for amount, day in (("90000", dt.date(2025, 9, 1)), ("99000", dt.date(2026, 4, 1))):
        services.record_placement_fee(
            actor=manager,
            placement=placement,
            component="fees",
            annual_amount=Decimal(amount),
            effective_from=day,
        )
    assert _row(area, dt.date(2026, 3, 31))["annual_cost"] == 90_000
    assert _row(area, dt.date(2026, 4, 1))["annual_cost"] == 99_000
    assert PlacementFee.objects.filter(placement=placement).count() == 2


@pytest.mark.parametrize(
    ("amount", "day", "message"),
    [
        ("-1", dt.date(2025, 9, 1), "£0 or more"),
        ("50000", dt.date(2025, 8, 31), "cannot start before the placement"),
    ],
)
def test_a_fee_that_makes_no_sense_is_refused_and_nothing_saved(
    manager, area, amount, day, message
):
    [placement] = _independent_placements(area, 1)
    with pytest.raises(ValidationError, match=message):
        services.record_placement_fee(
            actor=manager,
            placement=placement,
            component="fees",
            annual_amount=Decimal(amount),
            effective_from=day,
        )
    assert not PlacementFee.objects.exists()


def test_only_the_areas_team_managers_record_fees(officer, area, other_area):
    [placement] = _independent_placements(area, 1)
    caseworker = factories.make_user(Role.CASEWORKER, factories.LocalAuthorityFactory(area=area))
    elsewhere = factories.make_user(
        Role.TEAM_MANAGER, factories.LocalAuthorityFactory(area=other_area)
    )
    for actor in (officer, caseworker, elsewhere):
        with pytest.raises(PermissionDenied):
            services.record_placement_fee(
                actor=actor,
                placement=placement,
                component="fees",
                annual_amount=Decimal("1"),
                effective_from=dt.date(2025, 9, 1),
            )
    assert not PlacementFee.objects.exists()


def test_the_team_manager_records_a_fee_through_the_pages_and_each_child_shown_is_audited(
    client, manager, area
):
    placements = _independent_placements(area, 2)
    client.force_login(manager)
    page = client.get(reverse("finance:agreed-fees"))
    assert page.status_code == 200
    assert "2 placements have no agreed fee recorded" in page.content.decode()
    assert AuditEntry.objects.filter(actor=manager, record_type="finance.Placement").count() == 2
    url = reverse("finance:agreed-fee-new", args=[placements[0].pk])
    refused = client.post(url, {"component": "fees", "annual_amount": "", "effective_from": ""})
    assert "There is a problem" in refused.content.decode()
    assert not PlacementFee.objects.exists()
    done = client.post(
        url,
        {
            "component": "fees",
            "annual_amount": "88,500",
            "effective_from": "1/9/2025",
            "note": "Contract 17",
        },
    )
    assert done.status_code == 302
    fee = PlacementFee.objects.get()
    assert (fee.annual_amount, fee.recorded_by) == (Decimal("88500"), manager)
    assert "£88,500" in client.get(url).content.decode()


def test_finance_officers_see_totals_but_not_the_children(client, officer, area):
    [placement] = _independent_placements(area, 1)
    client.force_login(officer)
    assert client.get(reverse("finance:agreed-fees")).status_code == 403
    assert client.get(reverse("finance:agreed-fee-new", args=[placement.pk])).status_code == 403
    page = client.get(reverse("finance:placements")).content.decode()
    assert "With a fee agreed for the child" in page
    assert placement.plan.child.last_name not in page


def test_another_areas_placement_is_not_found(client, area, other_area):
    [placement] = _independent_placements(other_area, 1)
    manager = factories.make_user(Role.TEAM_MANAGER, factories.LocalAuthorityFactory(area=area))
    client.force_login(manager)
    assert client.get(reverse("finance:agreed-fee-new", args=[placement.pk])).status_code == 404


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fees=st.lists(st.one_of(st.none(), st.integers(0, 300_000)), min_size=1, max_size=6))
def test_the_total_is_the_agreed_fees_plus_the_rate_for_the_rest(officer, manager, area, fees):
    PlacementFee.objects.all().delete()
    Placement.objects.all().delete()
    _rate(officer, area, "60000")
    placements = _independent_placements(area, len(fees))
    for placement, fee in zip(placements, fees, strict=True):
        if fee is not None:
            services.record_placement_fee(
                actor=manager,
                placement=placement,
                component="fees",
                annual_amount=Decimal(fee),
                effective_from=placement.starts_on,
            )
    expected = sum(60_000 if fee is None else fee for fee in fees)
    assert _row(area)["annual_cost"] == expected


def test_the_nightly_command_brings_placements_into_step_and_a_second_run_changes_nothing(area):

    factories.EHCPlanFactory(child__area=area, issued_on=dt.date(2025, 1, 6))
    first, second = io.StringIO(), io.StringIO()
    call_command("sync_placements", stdout=first)
    assert "1 opened" in first.getvalue()
    assert Placement.objects.filter(area=area).count() == 1
    call_command("sync_placements", stdout=second)
    assert "0 opened, 0 closed" in second.getvalue()


def test_the_agreed_fees_list_makes_the_same_number_of_queries_for_5_and_50_placements(
    client, manager, area, django_assert_max_num_queries
):
    """Issue 21: the list shows each child, setting and fee without a query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    school = factories.SchoolFactory(area=area)

    def placements(n):
        for placement in _independent_placements(area, n):
            Placement.objects.filter(pk=placement.pk).update(setting=school)
            services.record_placement_fee(
                actor=manager,
                placement=placement,
                component="fees",
                annual_amount=Decimal("70000"),
                effective_from=dt.date(2025, 9, 1),
            )

    placements(5)
    client.force_login(manager)
    url = reverse("finance:agreed-fees")
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as at_five:
        client.get(url)
    placements(45)
    with django_assert_max_num_queries(len(at_five.captured_queries)):
        page = client.get(url)
    assert page.content.decode().count("£70,000") == 50


# --- A page at a time (decision 0280) -----------------------------------------------------------


def test_the_agreed_fees_pages_one_after_another_are_the_whole_list_in_order(
    client, manager, area, monkeypatch
):
    from everychild.finance import agreed_fees

    placements = _independent_placements(area, 7)
    schools = [factories.SchoolFactory(area=area, name=name) for name in ("Oak", "Ash")]
    for i, placement in enumerate(placements):
        Placement.objects.filter(pk=placement.pk).update(setting=schools[i % 2])
    services.record_placement_fee(
        actor=manager,
        placement=placements[3],
        component="fees",
        annual_amount=Decimal("70000"),
        effective_from=dt.date(2025, 9, 1),
    )
    on = dt.date.today()
    whole, missing = agreed_fees.priced_placements(manager, area, on, per_page=1000)
    expected = list(
        Placement.objects.filter(pk__in=[p.pk for p in placements])
        .order_by("placement_type", "setting__name", "plan__child__last_name", "pk")
        .values_list("pk", flat=True)
    )
    assert [row["placement"].pk for row in whole.object_list] == expected and missing == 6
    monkeypatch.setattr(agreed_fees, "PAGE_SIZE", 3)
    client.force_login(manager)
    shown = []
    for number in (1, 2, 3):
        since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(reverse("finance:agreed-fees"), {"page": number})
        rows = response.context["rows"]
        # Only the page's children are audited; the warning counts every placement.
        audited = AuditEntry.objects.filter(pk__gt=since, record_type="finance.Placement")
        assert sorted(audited.values_list("record_id", flat=True)) == sorted(
            str(row["placement"].pk) for row in rows
        )
        assert "6 placements have no agreed fee recorded" in response.content.decode()
        shown += [row["placement"].pk for row in rows]
    assert shown == expected
    assert "Showing 7 to 7 of 7" in response.content.decode()
    last = client.get(reverse("finance:agreed-fees"), {"page": "99"})
    assert last.status_code == 200
    assert [row["placement"].pk for row in last.context["rows"]] == expected[6:]
    first = client.get(reverse("finance:agreed-fees"), {"page": "first"})
    assert [row["placement"].pk for row in first.context["rows"]] == expected[:3]
