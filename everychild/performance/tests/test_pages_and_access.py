"""Who sees what on the performance pages: the board and the forum see figures only, with
small numbers withheld, and never reach a child; the LA's managers see figures whole and can
open the records behind them, each record shown audited; caseworkers have no dashboard."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from everychild.access.models import AuditEntry
from everychild.accounts.models import OrganisationKind, Role
from everychild.casework.models import AdviceKind, Decision
from everychild.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(area):
    today = timezone.localdate()
    la = factories.LocalAuthorityFactory(area=area)
    ep = factories.EPServiceFactory(area=area)
    forum = factories.ParentCarerForumFactory(area=area)
    cases = []
    for n in range(6):
        child = factories.ChildFactory(area=area)
        received = today - timedelta(days=200 + n)
        case = factories.AssessmentRequestFactory(
            child=child,
            received_on=received,
            decision=Decision.ASSESS,
            decision_on=received + timedelta(days=30),
            final_plan_issued_on=received + timedelta(days=120 if n < 4 else 170),
        )
        factories.EHCPlanFactory(
            child=child, assessment_request=case, issued_on=case.final_plan_issued_on
        )
        cases.append(case)
    # One EP request waiting past its 6 weeks: a count of 1, withheld from the board.
    factories.AdviceRequestFactory(
        assessment_request=cases[0],
        kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY,
        organisation=ep,
        received_by_body_on=today - timedelta(days=60),
    )
    return {
        "area": area,
        "cases": cases,
        "board": factories.make_user(Role.BOARD_MEMBER, forum),
        "manager": factories.make_user(Role.TEAM_MANAGER, la),
        "caseworker": factories.make_user(Role.CASEWORKER, la),
        "epmanager": factories.make_user(Role.EP_MANAGER, ep),
    }


def _as(client, user):
    client.force_login(user)
    return client


def test_the_board_sees_figures_and_no_child(client, world):
    client = _as(client, world["board"])
    response = client.get("/performance/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Performance of the partnership" in text
    assert "fewer than 5" in text  # the one EP request waiting
    for case in world["cases"]:
        assert case.child.last_name not in text
        assert case.reference not in text


def test_the_board_cannot_reach_a_child_or_a_case(client, world):
    client = _as(client, world["board"])
    child = world["cases"][0].child
    assert client.get(f"/children/{child.pk}/").status_code == 403
    assert client.get("/children/").status_code == 403
    for measure in ("plans_within_20_weeks", "active_plans", "ep_advice_backlog"):
        assert client.get(f"/performance/measures/{measure}/records/").status_code == 403
        page = client.get(f"/performance/measures/{measure}/").content.decode()
        assert "/records/" not in page
    assert AuditEntry.objects.filter(actor=world["board"]).count() == 0


def test_the_board_cannot_reach_a_child_through_the_api(api_client, world):
    api_client.force_authenticate(world["board"])
    child = world["cases"][0].child
    assert api_client.get(f"/api/v1/children/{child.pk}/").status_code == 403
    body = api_client.get("/api/v1/measures/").json()
    backlog = next(m for m in body["measures"] if m["id"] == "ep_advice_backlog")
    assert backlog["value"] is None and backlog["withheld"] is True


def test_a_manager_sees_the_records_behind_a_figure_and_each_is_audited(client, world):
    client = _as(client, world["manager"])
    response = client.get(
        "/performance/measures/plans_within_20_weeks/records/",
        {"period": "last-12-months", "part": "not_met"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    late = world["cases"][4:]
    on_time = world["cases"][:4]
    for case in late:
        assert case.child.last_name in text
    for case in on_time:
        assert case.child.last_name not in text
    entries = AuditEntry.objects.filter(actor=world["manager"], reason__contains="drill-down")
    assert sorted(entries.values_list("child_id", flat=True)) == sorted(c.child_id for c in late)


def test_a_manager_sees_small_numbers_whole(client, world):
    client = _as(client, world["manager"])
    text = client.get("/performance/measures/ep_advice_backlog/").content.decode()
    assert "fewer than 5" not in text
    assert 'class="everychild-figure">1<' in text


def test_the_ep_service_manager_drills_into_ep_advice_only(client, world):
    client = _as(client, world["epmanager"])
    assert client.get("/performance/measures/ep_advice_backlog/records/").status_code == 200
    assert client.get("/performance/measures/plans_issued/records/").status_code == 403


def test_caseworkers_have_no_dashboard(client, api_client, world):
    client = _as(client, world["caseworker"])
    assert client.get("/performance/").status_code == 403
    assert client.get("/performance/benchmarks/").status_code == 403
    api_client.force_authenticate(world["caseworker"])
    assert api_client.get("/api/v1/benchmarks/").status_code == 403


def test_signed_out(client, api_client, world):
    response = client.get("/performance/")
    assert response.status_code == 302 and "/account/sign-in/" in response["Location"]
    assert api_client.get("/api/v1/measures/").status_code == 401


def test_every_table_downloads_as_csv(client, world):
    client = _as(client, world["board"])
    response = client.get("/performance/dashboard.csv", {"period": "last-12-months"})
    assert response["Content-Type"].startswith("text/csv")
    rows = {r["measure"]: r for r in csv.DictReader(io.StringIO(response.content.decode()))}
    assert rows["plans_issued"]["value"] == "6"
    assert rows["ep_advice_backlog"]["value"] == "[c]"  # withheld for the board
    trend = client.get("/performance/measures/plans_issued/data.csv").content.decode()
    header, *lines = list(csv.reader(io.StringIO(trend)))
    assert header[:4] == ["period", "from", "to", "value"]
    # Month by month the counts are small: the board sees them withheld, a manager whole.
    assert {line[3] for line in lines} <= {"0", "[c]"} and "[c]" in {line[3] for line in lines}
    client.force_login(world["manager"])
    trend = client.get("/performance/measures/plans_issued/data.csv").content.decode()
    assert sum(int(line[3] or 0) for line in list(csv.reader(io.StringIO(trend)))[1:]) == 6
    mix = client.get("/performance/measures/placement_mix/data.csv", {"table": "breakdown"})
    assert list(csv.reader(io.StringIO(mix.content.decode())))[0] == [
        "category",
        "plans",
        "share_percent",
    ]


def test_a_filtered_dashboard(client, world):
    client = _as(client, world["manager"])
    response = client.get("/performance/", {"period": "this-year", "need": "SEMH"})
    assert response.status_code == 200
    assert 'value="SEMH" selected' in response.content.decode()
    bad = client.get("/performance/", {"period": "1850", "caseworker": "nobody"})
    assert bad.status_code == 200  # the whole area is shown, and the mistake said
    text = bad.content.decode()
    assert "There is a problem" in text and "Select a valid choice" in text


def test_unknown_measure_is_not_found(client, world):
    client = _as(client, world["board"])
    assert client.get("/performance/measures/no_such_measure/").status_code == 404


def test_api_errors_are_structured(api_client, world):
    api_client.force_authenticate(world["board"])
    response = api_client.get("/api/v1/benchmarks/", {"la": "nonsense"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "la"
    assert api_client.get("/api/v1/measures/nothing/").status_code == 404
    bad = api_client.get("/api/v1/measures/", {"need": "NOTANEED"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "need"


def test_no_statistics_loaded_yet(client, world):
    client = _as(client, world["board"])
    response = client.get("/performance/benchmarks/")
    assert response.status_code == 200
    assert "have not been loaded" in response.content.decode()


def test_navigation_offers_performance_only_to_those_who_may_see_it(client, world):
    text = _as(client, world["board"]).get("/").content.decode()
    assert 'href="/performance/"' in text and 'href="/improvement/"' in text
    client.logout()
    text = _as(client, world["caseworker"]).get("/").content.decode()
    assert 'href="/performance/"' not in text
    assert OrganisationKind.PARENT_CARER_FORUM  # the board member sits for the forum
