"""Who sees what: every role against every kind of record, as one table of expectations.

The world: two local areas. In the area (BCP):
- `target`: attends school A, has an open request for assessment (`case`) with open advice
  requests to the EP service, the health provider, social care and schools A and B, an EHC
  plan, a parent with parental responsibility and their own young person's account;
- `other`: attends school B, has a plan made before the area's records began (no request)
  and nothing else;
and in another area, `elsewhere`, with its own request, advice request and plan.
"""

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from everychild.access import policy
from everychild.accounts.models import Role
from everychild.casework import policy as casework_policy
from everychild.casework.models import AdviceKind
from everychild.children import policy as children_policy
from everychild.plans import policy as plans_policy
from everychild.testing import factories

pytestmark = pytest.mark.django_db

CHILDREN = ("target", "other", "elsewhere")
REFUSED = "refused"  # the role's page-level capability is missing: 403 for every record
SIGNED_OUT = "signed_out"

LA_AREA = {"target", "other"}
LA_ADVICE = {"ep", "health", "social_care", "school_a", "school_b"}
TARGET = {"target"}
ELSEWHERE = {"elsewhere"}
NONE: set = set()


@dataclass(frozen=True)
class Row:
    children: set | str  # the children they see (detail pages, lists, API)
    edit: set | str  # the children whose edit page they may open
    cases: set  # the children whose case files (AssessmentRequest) they see
    advice: set  # the advice requests they see (named by whom the advice was asked of)
    plans: set  # the children whose EHC plans they see


# fmt: off
MATRIX = {
    # who                       children    edit        cases       advice           plans
    "caseworker":           Row(LA_AREA,    LA_AREA,    TARGET,     LA_ADVICE,       LA_AREA),
    "team_manager":         Row(LA_AREA,    LA_AREA,    TARGET,     LA_ADVICE,       LA_AREA),
    "decision_maker":       Row(LA_AREA,    REFUSED,    TARGET,     LA_ADVICE,       LA_AREA),
    "ep":                   Row(TARGET,     REFUSED,    NONE,       {"ep"},          NONE),
    "ep_manager":           Row(TARGET,     REFUSED,    NONE,       {"ep"},          NONE),
    "health":               Row(TARGET,     REFUSED,    NONE,       {"health"},      NONE),
    "social_care":          Row(TARGET,     REFUSED,    NONE,       {"social_care"}, NONE),
    "senco":                Row(TARGET,     REFUSED,    NONE,       {"school_a"},    NONE),
    "parent":               Row(TARGET,     REFUSED,    NONE,       NONE,            NONE),
    "young_person":         Row(TARGET,     REFUSED,    NONE,       NONE,            NONE),
    "board":                Row(REFUSED,    REFUSED,    NONE,       NONE,            NONE),
    "finance":              Row(REFUSED,    REFUSED,    NONE,       NONE,            NONE),
    "admin":                Row(REFUSED,    REFUSED,    NONE,       NONE,            NONE),
    # People and organisations only (staff/tests): no child-level data.
    "staff_admin":          Row(REFUSED,    REFUSED,    NONE,       NONE,            NONE),
    "ep_staff_admin":       Row(REFUSED,    REFUSED,    NONE,       NONE,            NONE),
    # Subject access exports only, from their own pages (dataprotection tests).
    "dpo":                  Row(REFUSED,    REFUSED,    NONE,       NONE,            NONE),
    "caseworker_elsewhere": Row(ELSEWHERE,  ELSEWHERE,  ELSEWHERE,  ELSEWHERE,       ELSEWHERE),
    "signed_out":           Row(SIGNED_OUT, SIGNED_OUT, NONE,       NONE,            NONE),
}
# fmt: on
WHO = list(MATRIX)


@dataclass
class World:
    children: dict
    cases: dict
    advice: dict
    plans: dict
    users: dict

    def user(self, who):
        return self.users[who]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at the end; each
    test runs in a savepoint inside it, as with Django's TestCase.setUpTestData."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


def _build_world() -> World:
    area = factories.AreaFactory()
    elsewhere_area = factories.OtherAreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    la_elsewhere = factories.LocalAuthorityFactory(area=elsewhere_area)
    ep_service = factories.EPServiceFactory(area=area)
    health = factories.NHSProviderFactory(area=area)
    social_care = factories.SocialCareFactory(area=area)
    school_a, school_b = factories.SchoolFactory(area=area), factories.SchoolFactory(area=area)

    make = factories.make_user
    users = {
        "caseworker": make(Role.CASEWORKER, la),
        "team_manager": make(Role.TEAM_MANAGER, la),
        "decision_maker": make(Role.DECISION_MAKER, la),
        "ep": make(Role.EDUCATIONAL_PSYCHOLOGIST, ep_service),
        "ep_manager": make(Role.EP_MANAGER, ep_service),
        "health": make(Role.HEALTH_ADVISER, health),
        "social_care": make(Role.SOCIAL_CARE_ADVISER, social_care),
        "senco": make(Role.SENCO, school_a),
        "parent": make(Role.PARENT),
        "young_person": make(Role.YOUNG_PERSON),
        "board": make(Role.BOARD_MEMBER, la),
        "finance": make(Role.FINANCE_OFFICER, la),
        "admin": make(Role.SYSTEM_ADMINISTRATOR, la),
        "staff_admin": make(Role.STAFF_ADMINISTRATOR, la),
        "ep_staff_admin": make(Role.STAFF_ADMINISTRATOR, ep_service),
        "dpo": make(Role.DATA_PROTECTION_OFFICER, la),
        "caseworker_elsewhere": make(Role.CASEWORKER, la_elsewhere),
        "signed_out": None,
    }
    target = factories.ChildFactory(
        area=area, current_setting=school_a, own_account=users["young_person"]
    )
    other = factories.ChildFactory(area=area, current_setting=school_b)
    elsewhere = factories.ChildFactory(area=elsewhere_area)
    factories.FamilyLinkFactory(child=target, user=users["parent"])

    case = factories.AssessmentRequestFactory(child=target)
    elsewhere_case = factories.AssessmentRequestFactory(child=elsewhere)
    advice = {
        "ep": factories.AdviceRequestFactory(
            assessment_request=case, kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY, organisation=ep_service
        ),
        "health": factories.AdviceRequestFactory(
            assessment_request=case, kind=AdviceKind.HEALTH, organisation=health
        ),
        "social_care": factories.AdviceRequestFactory(
            assessment_request=case, kind=AdviceKind.SOCIAL_CARE, organisation=social_care
        ),
        # Educational advice asked of the child's setting, and of the setting before it: the
        # SENCO of school A sees their own setting's request only (decision 0194).
        "school_a": factories.AdviceRequestFactory(
            assessment_request=case, kind=AdviceKind.EDUCATION, organisation=school_a
        ),
        "school_b": factories.AdviceRequestFactory(
            assessment_request=case, kind=AdviceKind.EDUCATION, organisation=school_b
        ),
        "elsewhere": factories.AdviceRequestFactory(assessment_request=elsewhere_case),
    }
    plans = {
        "target": factories.EHCPlanFactory(child=target, assessment_request=case, setting=school_a),
        "other": factories.EHCPlanFactory(child=other, setting=school_b),
        "elsewhere": factories.EHCPlanFactory(child=elsewhere, assessment_request=elsewhere_case),
    }
    return World(
        children={"target": target, "other": other, "elsewhere": elsewhere},
        cases={"target": case, "elsewhere": elsewhere_case},
        advice=advice,
        plans=plans,
        users=users,
    )


def _client_for(client, world, who):
    if world.user(who) is not None:
        client.force_login(world.user(who))
    return client


def _api_client_for(api_client, world, who):
    if world.user(who) is not None:
        api_client.force_authenticate(world.user(who))
    return api_client


def _expected_page_status(rule, name) -> int:
    if rule == SIGNED_OUT:
        return 302
    if rule == REFUSED:
        return 403
    return 200 if name in rule else 404


def _expected_api_status(rule, name) -> int:
    if rule == SIGNED_OUT:
        return 401
    if rule == REFUSED:
        return 403
    return 200 if name in rule else 404


# --- Child records ------------------------------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_child_page(client, world, who):
    client = _client_for(client, world, who)
    actual, expected = {}, {}
    for name in CHILDREN:
        child = world.children[name]
        response = client.get(f"/children/{child.pk}/")
        actual[name] = response.status_code
        expected[name] = _expected_page_status(MATRIX[who].children, name)
        text = response.content.decode()
        if response.status_code == 200:
            assert child.upn in text
        else:
            # A refusal never shows the record, nor says whether it exists.
            assert child.last_name not in text
            assert child.upn not in text
        if response.status_code == 302:
            assert response["Location"] == f"/account/sign-in/?next=/children/{child.pk}/"
    assert actual == expected


@pytest.mark.parametrize("who", WHO)
def test_child_api(api_client, world, who):
    api_client = _api_client_for(api_client, world, who)
    actual, expected = {}, {}
    for name in CHILDREN:
        child = world.children[name]
        response = api_client.get(f"/api/v1/children/{child.pk}/")
        actual[name] = response.status_code
        expected[name] = _expected_api_status(MATRIX[who].children, name)
        body = response.json()
        if response.status_code == 200:
            assert body["upn"] == child.upn
        else:
            assert set(body) == {"errors"}
            assert child.last_name not in response.content.decode()
    assert actual == expected


@pytest.mark.parametrize("who", WHO)
def test_child_list_page(client, world, who):
    client = _client_for(client, world, who)
    response = client.get("/children/")
    rule = MATRIX[who].children
    if rule in (SIGNED_OUT, REFUSED):
        assert response.status_code == _expected_page_status(rule, None)
        return
    assert response.status_code == 200
    text = response.content.decode()
    listed = {
        name
        for name, child in world.children.items()
        if f'href="/children/{child.pk}/"' in text or child.last_name in text
    }
    assert listed == rule


@pytest.mark.parametrize("who", WHO)
def test_child_list_api(api_client, world, who):
    api_client = _api_client_for(api_client, world, who)
    response = api_client.get("/api/v1/children/")
    rule = MATRIX[who].children
    if rule in (SIGNED_OUT, REFUSED):
        assert response.status_code == _expected_api_status(rule, None)
        assert set(response.json()) == {"errors"}
        return
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert ids == {world.children[name].pk for name in rule}


@pytest.mark.parametrize("who", WHO)
def test_child_edit_page(client, world, who):
    client = _client_for(client, world, who)
    actual, expected = {}, {}
    for name in CHILDREN:
        response = client.get(f"/children/{world.children[name].pk}/change/")
        actual[name] = response.status_code
        expected[name] = _expected_page_status(MATRIX[who].edit, name)
    assert actual == expected


@pytest.mark.parametrize("who", WHO)
def test_search_finds_only_children_the_user_may_see(client, world, who):
    """Searching by a UPN is no way round the policy."""
    rule = MATRIX[who].children
    if rule in (SIGNED_OUT, REFUSED):
        return
    client = _client_for(client, world, who)
    for name, child in world.children.items():
        text = client.get("/children/", {"q": child.upn}).content.decode()
        assert (f'href="/children/{child.pk}/"' in text) == (name in rule), name


# --- Case files, advice requests and plans ------------------------------------------------


def _user_or_anonymous(world, who):
    return world.user(who) or AnonymousUser()


@pytest.mark.parametrize("who", WHO)
def test_case_files(world, who):
    user = _user_or_anonymous(world, who)
    visible = set(casework_policy.visible_assessment_requests(user))
    assert visible == {world.cases[name] for name in MATRIX[who].cases}
    for name, case in world.cases.items():
        assert policy.may(user, policy.Action.VIEW_CASE, case) == (name in MATRIX[who].cases)


@pytest.mark.parametrize("who", WHO)
def test_advice_requests(world, who):
    user = _user_or_anonymous(world, who)
    visible = set(casework_policy.visible_advice_requests(user))
    assert visible == {world.advice[name] for name in MATRIX[who].advice}
    for name, advice in world.advice.items():
        allowed = policy.may(user, policy.Action.VIEW_ADVICE_REQUEST, advice)
        assert allowed == (name in MATRIX[who].advice)


@pytest.mark.parametrize("who", WHO)
def test_plans(client, world, who):
    user = _user_or_anonymous(world, who)
    assert set(plans_policy.visible_plans(user)) == {
        world.plans[name] for name in MATRIX[who].plans
    }
    for name, plan in world.plans.items():
        assert policy.may(user, policy.Action.VIEW_PLAN, plan) == (name in MATRIX[who].plans)
    # The child's page shows the plans section to exactly those who may see the plan.
    rule = MATRIX[who].children
    if rule in (SIGNED_OUT, REFUSED):
        return
    client = _client_for(client, world, who)
    for name in rule:
        text = client.get(f"/children/{world.children[name].pk}/").content.decode()
        assert ("EHC plans" in text) == (name in MATRIX[who].plans), name


# --- The rules that hold across the table -------------------------------------------------


@pytest.mark.parametrize("who", WHO)
def test_lists_never_show_what_the_detail_page_would_refuse(client, api_client, world, who):
    if world.user(who) is None or MATRIX[who].children == REFUSED:
        return
    client = _client_for(client, world, who)
    api_client = _api_client_for(api_client, world, who)
    opens = {
        child.pk
        for child in world.children.values()
        if client.get(f"/children/{child.pk}/").status_code == 200
    }
    api_listed = {row["id"] for row in api_client.get("/api/v1/children/").json()["results"]}
    assert api_listed == opens
    assert (
        set(children_policy.visible_children(world.user(who)).values_list("pk", flat=True)) == opens
    )


@pytest.mark.parametrize("who", [w for w in WHO if MATRIX[w].children not in (REFUSED, SIGNED_OUT)])
def test_guessed_ids_are_not_found(client, api_client, world, who):
    client = _client_for(client, world, who)
    api_client = _api_client_for(api_client, world, who)
    missing = max(c.pk for c in world.children.values()) + 1000
    for path in (f"/children/{missing}/", f"/children/{missing}/change/"):
        assert client.get(path).status_code in (404, 403)
    response = api_client.get(f"/api/v1/children/{missing}/")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"field": None, "code": "not_found", "message": "Not found."}]
    }
    assert api_client.get("/api/v1/children/not-a-number/").status_code == 404


# --- Staff administration: people, not children -------------------------------------------

# Whose people each administrator sees in the staff list (by the world's user names); None:
# the staff pages are refused. A council's administrator sees every organisation of its area,
# an agency's only its own; neither sees the other area.
STAFF_SEEN = {
    "staff_admin": set(WHO) - {"parent", "young_person", "caseworker_elsewhere", SIGNED_OUT},
    "ep_staff_admin": {"ep", "ep_manager", "ep_staff_admin"},
}
STAFF_PAGES = ("/staff/", "/staff/staff.csv", "/staff/invite/")


@pytest.mark.parametrize("who", WHO)
def test_staff_pages(client, world, who):
    client = _client_for(client, world, who)
    for path in (*STAFF_PAGES, "/staff/organisations/"):
        status = client.get(path).status_code
        if who == SIGNED_OUT:
            assert status == 302, path
        elif who not in STAFF_SEEN or (who == "ep_staff_admin" and "organisations" in path):
            assert status == 403, (who, path)
        else:
            assert status == 200, (who, path)
    if who not in STAFF_SEEN:
        return
    listed = client.get("/staff/staff.csv").content.decode()
    seen = {name for name, user in world.users.items() if user and user.email in listed}
    assert seen == STAFF_SEEN[who]
    for name, user in world.users.items():
        if user is not None and name != who:
            expected = 200 if name in STAFF_SEEN[who] else 404
            assert client.get(f"/staff/people/{user.pk}/").status_code == expected, name
