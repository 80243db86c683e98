"""DfE's real release (../shared/data/dfe-ehcp-statistics-2025): loaded whole, and the
benchmarking page, its CSV and the API showing BCP's published facts exactly: 2022, 7.3% of new
plans within 20 weeks excluding exceptions against England's 49.2%; 2024, 77.6% against 46.4%."""

import csv
import io

import pytest
from django.db import transaction

from everychild.accounts.models import Role
from everychild.performance import benchmarking
from everychild.performance.dfe import import_release
from everychild.performance.models import DfEStatistic
from everychild.performance.tests.dfe_files import REAL_RELEASE
from everychild.testing import factories

pytestmark = pytest.mark.skipif(
    not REAL_RELEASE.is_dir(),
    reason=f"DfE's published files are not at {REAL_RELEASE} (set EVERYCHILD_DFE_DATA_DIR to the "
    "folder holding data/ to run these tests)",
)

BCP = "E06000058"
ROWS = {
    "annual_reviews": 13290,
    "assessments": 12847,
    "caseload": 25339,
    "ceased_plans": 21164,
    "newplans": 17859,
    "personal_budgets": 22955,
    "requests": 13169,
    "residential_settings": 23117,
    "sen_need_newplans": 9768,
    "sen_needs_all_plans": 13939,
    "timeliness_20_week": 12211,
    "work_based_placements": 9917,
}


@pytest.fixture(scope="module")
def release(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield import_release(REAL_RELEASE)
        transaction.set_rollback(True)


@pytest.fixture
def bcp(release, db):
    area = factories.AreaFactory(
        la_code=BCP, statistical_neighbours=["E06000045", "E06000044"], setting_closures=[]
    )
    return area


def _series(result, indicator_id, role):
    item = next(i for i in result.indicators if i.indicator.id == indicator_id)
    series = item.series_by_role(role)
    return {p.key: p.value for p in series.points}


def test_the_whole_release_is_loaded(release, db):
    assert release.reporting_year == 2025
    assert release.rows == ROWS
    assert DfEStatistic.objects.count() == sum(ROWS.values())


def test_unavailable_figures_are_null_with_their_flag(release, db):
    england_2019 = DfEStatistic.objects.get(
        dataset__name="assessments", geographic_level="National", time_period=2019, is_total=True
    )
    assert england_2019.flags["assess_in_year"] == "x"
    columns = england_2019.dataset.columns
    assert england_2019.values[columns.index("assess_in_year")] is None
    assert england_2019.values[columns.index("assess_issued")] == 53899


def test_bcp_and_england_as_published(bcp):
    result = benchmarking.benchmarks(BCP)
    bcp_excl = _series(result, "timeliness_excluding_exceptions", "la")
    england_excl = _series(result, "timeliness_excluding_exceptions", "england")
    assert (bcp_excl["2022"], england_excl["2022"]) == (7.3, 49.2)
    assert (bcp_excl["2024"], england_excl["2024"]) == (77.6, 46.4)
    assert _series(result, "timeliness_including_exceptions", "la")["2024"] == 74.1
    assert _series(result, "timeliness_excluding_exceptions", "region")["2024"] == 28.5
    assert result.region_name == "South West"
    assert _series(result, "caseload", "la")["202425"] == 4432
    assert _series(result, "requests", "la")["2024"] == 1230
    neighbours = [s.name for s in result.indicators[0].series if s.role == "neighbour"]
    assert neighbours == ["Southampton", "Portsmouth"]


def test_the_refusal_rate_is_published_or_derived_from_the_counts(bcp):
    item = next(
        i for i in benchmarking.benchmarks(BCP).indicators if i.indicator.id == "refusal_rate"
    )
    points = {p.key: p for p in item.series_by_role("la").points}
    assert (points["2023"].value, points["2023"].derived) == (39.2, False)  # published
    assert (points["2019"].value, points["2019"].derived) == (21.1, True)  # 114 of 541


def test_the_benchmarking_page_shows_the_published_facts(client, bcp):
    la = factories.LocalAuthorityFactory(area=bcp)
    client.force_login(factories.make_user(Role.BOARD_MEMBER, la))
    response = client.get("/performance/benchmarks/")
    assert response.status_code == 200
    text = response.content.decode()
    for figure in ("7.3%", "49.2%", "77.6%", "46.4%"):
        assert figure in text
    assert "Bournemouth, Christchurch and Poole beside England, the South West" in text
    assert "<svg" in text and "<table" in text


def test_the_csv_has_every_figure_of_the_page(client, bcp):
    la = factories.LocalAuthorityFactory(area=bcp)
    client.force_login(factories.make_user(Role.TEAM_MANAGER, la))
    response = client.get("/performance/benchmarks/data.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    found = {
        (r["indicator"], r["geography"], r["period"]): r["value"]
        for r in rows
        if r["indicator"] == "timeliness_excluding_exceptions"
    }
    assert found[("timeliness_excluding_exceptions", "la", "2022")] == "7.3"
    assert found[("timeliness_excluding_exceptions", "england", "2022")] == "49.2"


def test_the_api_gives_the_same_series(api_client, bcp):
    la = factories.LocalAuthorityFactory(area=bcp)
    api_client.force_authenticate(factories.make_user(Role.BOARD_MEMBER, la))
    response = api_client.get("/api/v1/benchmarks/", {"la": BCP})
    assert response.status_code == 200
    body = response.json()
    assert body["release"]["reporting_year"] == 2025
    timeliness = next(i for i in body["indicators"] if i["id"] == "timeliness_excluding_exceptions")
    by_geo = {
        s["geography"]: {v["period"]: v["value"] for v in s["values"]} for s in timeliness["series"]
    }
    assert (by_geo["la"]["2022"], by_geo["england"]["2022"]) == (7.3, 49.2)
    assert (by_geo["la"]["2024"], by_geo["england"]["2024"]) == (77.6, 46.4)
    # The area's own live figures for the years DfE has not published.
    assert [p["period"] for p in timeliness["live"]][0] == "2025"


def test_the_api_compares_any_local_authority(api_client, bcp):
    la = factories.LocalAuthorityFactory(area=bcp)
    api_client.force_authenticate(factories.make_user(Role.TEAM_MANAGER, la))
    body = api_client.get("/api/v1/benchmarks/", {"la": "E06000045"}).json()
    assert body["la_name"] == "Southampton"
    timeliness = body["indicators"][0]
    assert all(not item["live"] for item in body["indicators"])  # not our area: no live figure
    assert timeliness["series"][1]["geography"] == "region"
