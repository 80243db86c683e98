"""Deny by default, checked over the whole project: every URL's view either names the
capability it needs or is on the short public list below, and the middleware refuses any view
that forgot to say."""

import pytest
from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, include, path
from rest_framework.response import Response
from rest_framework.views import APIView

from everychild.access.policy import PUBLIC, Capability, access_rule_of
from everychild.accounts.models import Role
from everychild.testing import factories

# Every view anyone may use without signing in, by URL name. Keep it short.
PUBLIC_URL_NAMES = {
    "home:healthz",
    "accounts:sign-in",
    "accounts:sign-out",
    # Resetting a forgotten password (issue 18): the same answer for every address,
    # rate-limited; the e-mailed link's token is the credential, held in the session after.
    "accounts:password-reset",
    "accounts:password-reset-sent",
    "accounts:password-reset-link",
    "accounts:password-reset-new",
    "home:accessibility",
    "home:privacy",
    "api-schema",
    "api-docs",
    # The EHC timeline calculator and its API: dates only, no personal data.
    "timeline:calculator",
    "api-timeline",
    # The family portal: asking for an assessment without an account (rate-limited, with a
    # honeypot), and the invitation link (its signed single-use token is the credential).
    "families:request-start",
    "families:request-step",
    "families:request-check",
    "families:request-done",
    "families:accept",
    # A staff invitation or password reset link (its single-use token is the credential).
    "staff:accept",
    # The local offer's ordinarily available provision (issue 22): published for families,
    # as the Code of Practice 4.1 requires; no personal data.
    "provision:list",
    "provision:area",
}


def _walk(patterns, prefix="", namespace=None):
    """Yield (route, name, callback) for every URL pattern, through every include()."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield prefix + str(pattern.pattern), name, pattern.callback


ALL_URLS = list(_walk(get_resolver().url_patterns))


def test_the_walk_finds_the_pages_and_the_api_router():
    routes = {route for route, _, _ in ALL_URLS}
    names = {name for _, name, _ in ALL_URLS}
    assert {"children:list", "children:detail", "child-list", "child-detail"} <= names
    assert any(route.startswith("api/v1/") for route in routes)
    assert names >= PUBLIC_URL_NAMES


@pytest.mark.parametrize(("route", "name", "callback"), ALL_URLS, ids=[r for r, _, _ in ALL_URLS])
def test_every_view_declares_its_access(route, name, callback):
    rule = access_rule_of(callback)
    assert rule is not None, f"{route} ({name}) declares no access rule: add @requires or @public"
    if rule == PUBLIC:
        assert name in PUBLIC_URL_NAMES, (
            f"{route} ({name}) is public but not on the public list: is that intended?"
        )
    else:
        assert Capability(rule) in Capability


def test_every_view_on_the_public_list_is_public():
    rules = {name: access_rule_of(callback) for _, name, callback in ALL_URLS}
    for name in PUBLIC_URL_NAMES:
        assert rules[name] == PUBLIC, name


# --- The middleware refuses an undeclared view --------------------------------------------

ran = []


def undeclared_page(request):
    ran.append("page")
    return HttpResponse("secret")


class UndeclaredAPI(APIView):
    def get(self, request):
        ran.append("api")
        return Response({"secret": True})


urlpatterns = [
    path("undeclared/", undeclared_page),
    path("api/undeclared/", UndeclaredAPI.as_view()),
    path("", include("everychild.urls")),  # the error pages link to the project's pages
]
handler403 = "everychild.core.errors.permission_denied"


@pytest.fixture
def undeclared_urls(settings):
    settings.ROOT_URLCONF = __name__
    ran.clear()
    yield
    ran.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_the_middleware_refuses_a_page_with_no_declared_rule(client, undeclared_urls, signed_in):
    if signed_in:
        client.force_login(factories.make_user(Role.TEAM_MANAGER))
    response = client.get("/undeclared/")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.content.decode()
    assert "secret" not in response.content.decode()
    assert ran == []


@pytest.mark.django_db
@pytest.mark.parametrize("signed_in", [False, True])
def test_the_middleware_refuses_an_api_view_with_no_declared_rule(
    api_client, undeclared_urls, signed_in
):
    if signed_in:
        api_client.force_authenticate(factories.make_user(Role.TEAM_MANAGER))
    response = api_client.get("/api/undeclared/")
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"
    assert ran == []


@pytest.mark.django_db
def test_rest_framework_refuses_an_api_view_with_no_declared_rule_on_its_own(rf):
    """PolicyPermission is the second lock: it refuses even if the middleware were skipped."""
    from rest_framework.test import force_authenticate

    request = rf.get("/api/undeclared/")
    force_authenticate(request, user=factories.make_user(Role.TEAM_MANAGER))
    response = UndeclaredAPI.as_view()(request)
    assert response.status_code == 403
    assert ran == []
