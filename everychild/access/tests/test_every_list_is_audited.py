"""Every page or API list that shows children writes an audit entry for each child it shows
(UK GDPR art. 5(2), accountability: who saw whose record, and when). The test walks every
signed-in URL that takes no identifier, as the people who see children in lists, and checks
that each child whose name is on the answer has an entry written by that request. It then
walks every page of one child, case or plan (the routes whose only identifier is the child's,
the case's or the plan's) the same way."""

import datetime as dt
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from everychild.access.models import AuditEntry
from everychild.access.policy import PUBLIC, access_rule_of
from everychild.children.models import Child
from everychild.plans.models import AnnualReview, Disagreement, Post16Move
from everychild.testing import factories

pytestmark = pytest.mark.django_db

SURNAME = re.compile(r"Testfamily\d{5}")


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _list_routes() -> list[str]:
    """Signed-in routes without a path parameter: the lists, dashboards and their APIs."""
    routes = []
    for route, callback in _walk(get_resolver().url_patterns):
        if "<" in route or "(?P" in route or access_rule_of(callback) == PUBLIC:
            continue
        route = route.lstrip("^").rstrip("$").replace("\\Z", "")
        if "\\" in route or "(" in route:
            continue
        routes.append("/" + route)
    return sorted(set(routes))


LIST_ROUTES = _list_routes()

# Routes of one record, by the identifier they take.
RECORD_PARAMETERS = {"child_id", "case_id", "plan_id"}


def _record_routes() -> list[str]:
    routes = []
    for route, callback in _walk(get_resolver().url_patterns):
        names = set(re.findall(r"<(?:\w+:)?(\w+)>", route))
        if not names or not names <= RECORD_PARAMETERS or access_rule_of(callback) == PUBLIC:
            continue
        routes.append("/" + route.lstrip("^").rstrip("$"))
    return sorted(set(routes))


RECORD_ROUTES = _record_routes()


@pytest.fixture
def world(area, la, caseworker, team_manager):
    """Children at every stage a list shows: an overdue review, a review meeting awaiting the
    authority's decision, a draft plan in progress, a disagreement, an open case."""
    long_ago = timezone.localdate() - dt.timedelta(days=500)
    factories.issued_plan(factories.ChildFactory(area=area), issued_on=long_ago)
    # Reviewed early, so not on the backlog itself: only the awaiting-decision list shows it.
    recent = timezone.localdate() - dt.timedelta(days=200)
    awaiting = factories.issued_plan(factories.ChildFactory(area=area), issued_on=recent)
    AnnualReview.objects.create(
        plan=awaiting,
        due_on=recent + dt.timedelta(days=364),
        meeting_on=timezone.localdate() - dt.timedelta(days=3),
    )
    # Proposed amendments sent 130 days ago and no amended plan: only the list of amended
    # plans overdue (reg 22(3)) shows it.
    amending = factories.issued_plan(factories.ChildFactory(area=area), issued_on=recent)
    AnnualReview.objects.create(
        plan=amending,
        due_on=recent + dt.timedelta(days=364),
        meeting_on=timezone.localdate() - dt.timedelta(days=150),
        decision="amend",
        decision_on=timezone.localdate() - dt.timedelta(days=140),
        amendments_sent_on=timezone.localdate() - dt.timedelta(days=130),
    )
    # A post-16 move to come: listed under the phase transfers (reg 18(2)).
    Post16Move.objects.create(
        plan=factories.issued_plan(factories.ChildFactory(area=area), issued_on=recent),
        move_on=timezone.localdate() + dt.timedelta(days=100),
        moving_to="Bournemouth College",
    )
    case = factories.AssessmentRequestFactory(child=factories.ChildFactory(area=area), area=area)
    factories.plan_draft_for(case)
    disputed = factories.issued_plan(factories.ChildFactory(area=area))
    Disagreement.objects.create(
        area=area,
        child=disputed.child,
        plan=disputed,
        decision_disputed="Section F",
        decision_letter_on=timezone.localdate() - dt.timedelta(days=10),
    )
    return {"caseworker": caseworker, "team_manager": team_manager}


def test_the_walk_covers_the_plans_lists():
    assert {"/plans/", "/plans/reviews/", "/children/"} <= set(LIST_ROUTES)


@pytest.mark.parametrize("role", ["caseworker", "team_manager"])
def test_every_child_shown_in_a_list_has_an_audit_entry(client, world, role):
    client.force_login(world[role])
    unaudited = {}
    for route in LIST_ROUTES:
        before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        response = client.get(route, HTTP_ACCEPT="text/html,application/json")
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        shown = set(SURNAME.findall(response.content.decode(errors="replace")))
        if not shown:
            continue
        ids = AuditEntry.objects.filter(seq__gt=before, child_id__isnull=False).values("child_id")
        audited = set(Child.objects.filter(pk__in=ids).values_list("last_name", flat=True))
        if missing := shown - audited:
            unaudited[route] = sorted(missing)
    assert unaudited == {}


def test_the_walk_covers_the_pages_of_a_child_a_case_and_a_plan():
    assert {"children/<int:child_id>/", "family/invite/<int:child_id>/"} <= {
        r.lstrip("/") for r in RECORD_ROUTES
    }
    assert any("<int:case_id>" in r for r in RECORD_ROUTES)
    assert any("<int:plan_id>" in r for r in RECORD_ROUTES)


@pytest.mark.parametrize("role", ["caseworker", "team_manager"])
def test_every_page_of_one_child_that_names_them_has_an_audit_entry(
    client, area, caseworker, team_manager, role
):
    child = factories.ChildFactory(area=area)
    case = factories.AssessmentRequestFactory(child=child, area=area)
    plan = factories.issued_plan(child)
    ids = {"child_id": child.pk, "case_id": case.pk, "plan_id": plan.pk}
    client.force_login({"caseworker": caseworker, "team_manager": team_manager}[role])
    unaudited, named = [], 0
    for route in RECORD_ROUTES:
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(ids[m.group(1)]), route)
        before = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        response = client.get(url, HTTP_ACCEPT="text/html,application/json")
        if response.status_code != 200 or getattr(response, "streaming", False):
            continue
        if child.last_name not in response.content.decode(errors="replace"):
            continue
        named += 1
        if not AuditEntry.objects.filter(seq__gt=before, child_id=child.pk).exists():
            unaudited.append(route)
    assert named >= 10  # the walk reached the child's pages, or it proves nothing
    assert unaudited == []
