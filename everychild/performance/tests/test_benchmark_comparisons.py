"""Issue 20: benchmark charts of counts compare like with like (each area indexed to the same
first year = 100, as DfE publishes no population to make rates), and the comparator area is
chosen by name from a list, not by typing a code."""

import re
from html import unescape

import pytest

from everychild.accounts.models import Role
from everychild.performance import benchmarking
from everychild.performance.dfe import import_release
from everychild.performance.presenters import indexed, indicator_views
from everychild.performance.tests.dfe_files import write_release
from everychild.testing import factories

pytestmark = pytest.mark.django_db

BCP, SOUTHAMPTON = "E06000058", "E06000045"


@pytest.fixture
def release(tmp_path, area):
    area.la_code = BCP
    area.save()
    values = {}
    for code, first, second in ((BCP, 100, 150), (SOUTHAMPTON, 1000, 1100)):
        values[("newplans", "new_ehc_plans", code, "2019")] = str(first)
        values[("newplans", "new_ehc_plans", code, "2020")] = str(second)
    import_release(write_release(tmp_path / "release", values=values))
    return area


def test_indexing():
    assert indexed([100, 150, None], 100) == [100.0, 150.0, None]
    assert indexed([5, 6], 0) == [None, None]


def test_counts_are_indexed_to_the_same_first_year(release):
    result = benchmarking.benchmarks(SOUTHAMPTON)
    views = {v["indicator"].id: v for v in indicator_views(result) if "indicator" in v}
    plans = views["plans_issued"]
    assert plans["index_base"] == "2019"
    rows = {row["name"]: row["cells"] for row in plans["index_rows"]}
    # 1,000 -> 1,100 is a rise of a tenth: 110, whatever the size of the area.
    assert rows["Southampton"][:2] == ["100.0", "110.0"]
    # The counts themselves are still in the published table.
    published = {row["name"]: row["cells"] for row in plans["rows"]}
    assert published["Southampton"][0]["text"] == "1,000"
    assert "(index: 2019 = 100)" in plans["chart"]
    # A percentage is not indexed.
    assert views["timeliness_excluding_exceptions"]["index_rows"] == []


def test_the_comparator_is_chosen_by_name(client, release):
    forum = factories.ParentCarerForumFactory(area=release)
    client.force_login(factories.make_user(Role.BOARD_MEMBER, forum))
    html = unescape(client.get("/performance/benchmarks/", {"la": SOUTHAMPTON}).content.decode())
    select = re.search(
        r'<select class="govuk-select[^"]*" id="la" name="la".*?</select>', html, re.S
    )
    assert select, "a select of local authorities"
    options = re.findall(r'<option value="(\w+)"( selected)?>([^<]+)</option>', select.group(0))
    assert [(name, bool(chosen)) for _, chosen, name in options] == [
        ("Bournemouth, Christchurch and Poole", False),
        ("Southampton", True),
    ]
    assert '<label class="govuk-label" for="la">Compare another local authority</label>' in html
    assert "no population figures" in html
    assert "rates per 10,000 children and young people" in html
