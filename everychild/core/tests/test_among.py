"""`field__among=ids`: the records whose id is in a long list, however long (the records behind
a measure at England's size), the same on PostgreSQL and SQLite."""

import pytest

from everychild.areas.models import Area
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def test_finds_exactly_the_listed_records():
    first, second, third = (factories.OtherAreaFactory() for _ in range(3))
    found = Area.objects.filter(pk__among=[third.pk, first.pk]).order_by("pk")
    assert list(found) == [first, third]
    assert not Area.objects.filter(pk__among=[]).exists()


def test_a_list_of_england_size():
    """More ids than SQLite's default limit on placeholders (32,766): sent as one value."""
    area = factories.OtherAreaFactory()
    missing = range(10**9, 10**9 + 40_000)
    assert list(Area.objects.filter(pk__among=[*missing, area.pk])) == [area]
    assert Area.objects.filter(pk__among=missing).count() == 0


def test_only_whole_numbers_reach_the_database():
    with pytest.raises(ValueError):
        list(Area.objects.filter(pk__among=["1) OR (1=1"]))
