"""The phase transfers list a page at a time (decision 0281): the pages one after another are
the whole list in its order, the count of those still needing work is of the whole list, and
only the children shown are audited."""

import datetime as dt

import pytest
from django.utils import timezone

from everychild.access.models import AuditEntry
from everychild.plans import selectors
from everychild.plans.tests.test_query_counts import plans
from everychild.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def moving(area, caseworker, school):
    """Year 6 children with a transfer recorded (half with a setting named), and Year 11 ones
    with none: two dates due, and surnames in no particular order."""
    plans(5, area, caseworker, school)
    on = timezone.localdate()
    born = dt.date(on.year - 15 if on.month >= 9 else on.year - 16, 3, 1)  # Year 11
    for name in ("Young", "Abbott", "Mills", "Abbott"):
        child = factories.ChildFactory(area=area, date_of_birth=born, last_name=name)
        factories.issued_plan(child, issued_on=on - dt.timedelta(days=200))


def _audited(since: int) -> list[int]:
    return sorted(
        AuditEntry.objects.filter(pk__gt=since, detail__list="phase_transfers").values_list(
            "child_id", flat=True
        )
    )


def test_the_pages_one_after_another_are_the_whole_list_in_order(
    client, caseworker, moving, monkeypatch
):
    whole, outstanding = selectors.phase_transfers(caseworker, per_page=1000)
    rows = whole.object_list
    assert len(rows) == 9 and outstanding == 9
    keys = [(r.done, r.move.amended_plan_by, r.plan.child.last_name, r.plan.pk) for r in rows]
    assert keys == sorted(keys) and len({k[1] for k in keys}) == 2
    monkeypatch.setattr(selectors, "PHASE_PAGE_SIZE", 4)
    client.force_login(caseworker)
    shown = []
    for number in (1, 2, 3):
        since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get("/plans/phase-transfers/", {"page": number})
        assert response.status_code == 200
        page_rows = response.context["rows"]
        assert _audited(since) == sorted(r.plan.child_id for r in page_rows)
        assert "9 of 9 still need work" in response.content.decode()
        shown += [(r.plan.pk, r.move, r.missing) for r in page_rows]
    assert shown == [(r.plan.pk, r.move, r.missing) for r in rows]
    assert "Showing 9 to 9 of 9" in response.content.decode()
    beyond = client.get("/plans/phase-transfers/", {"page": "40"})
    assert [r.plan.pk for r in beyond.context["rows"]] == [rows[8].plan.pk]
    garbled = client.get("/plans/phase-transfers/", {"page": "2x"})
    assert [r.plan.pk for r in garbled.context["rows"]] == [r.plan.pk for r in rows[:4]]
