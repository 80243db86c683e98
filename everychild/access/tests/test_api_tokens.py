"""Issue 17, identity: API tokens are credentials with a life.

Each test is an attack with a token: one stolen from the database, one kept after the owner
changed their password, was locked out or left, one older than its life, one used to pull
every child in a single call or to hammer the API, and one issued on a password alone."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.testing import factories
from everychild.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
LIST = "/api/v1/children/"
TOKENS = "/account/api-tokens/"


def _command_token(email: str, *args) -> str:
    out = io.StringIO()
    call_command("api_token", email, *args, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def _calls(api_client, token, path=LIST):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api_client.get(path)


def test_a_copy_of_the_database_holds_no_usable_token(caseworker):
    token = _command_token(caseworker.email)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - our own table names
            for row in cursor.fetchall():
                assert not any(token in str(value) for value in row), table


def test_a_token_stops_working_when_the_password_changes(api_client, caseworker):
    token = _command_token(caseworker.email)
    assert _calls(api_client, token).status_code == 200
    caseworker.set_password("a completely new passphrase")
    caseworker.save()
    assert _calls(api_client, token).status_code == 401


def test_a_token_stops_working_when_the_account_is_locked_out(client, api_client, caseworker):
    token = _command_token(caseworker.email)
    for n in range(5):
        client.post("/account/sign-in/", {"email": caseworker.email, "password": f"wrong {n}"})
    assert _calls(api_client, token).status_code == 401


def test_a_token_stops_working_when_the_account_is_deactivated_and_stays_dead(
    api_client, caseworker
):
    token = _command_token(caseworker.email)
    caseworker.is_active = False
    caseworker.save()
    caseworker.is_active = True
    caseworker.save()
    assert _calls(api_client, token).status_code == 401


def test_a_token_expires_after_ninety_days(api_client, caseworker):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        token = _command_token(caseworker.email)
    with time_machine.travel(start + dt.timedelta(days=89), tick=False):
        assert _calls(api_client, token).status_code == 200
    with time_machine.travel(start + dt.timedelta(days=90, minutes=1), tick=False):
        assert _calls(api_client, token).status_code == 401


def test_each_use_of_a_token_is_audited(api_client, caseworker):
    token = _command_token(caseworker.email)
    before = AuditEntry.objects.filter(actor=caseworker, record_type="accounts.ApiToken").count()
    _calls(api_client, token)
    _calls(api_client, token, "/api/v1/measures/")
    after = AuditEntry.objects.filter(actor=caseworker, record_type="accounts.ApiToken").count()
    assert after - before == 2


def test_no_call_returns_every_child(api_client, caseworker, area):
    factories.ChildFactory.create_batch(105, area=area)
    token = _command_token(caseworker.email)
    body = _calls(api_client, token, f"{LIST}?limit=100000").json()
    assert body["count"] == 105
    assert len(body["results"]) == 100


def test_a_token_is_throttled_on_its_own(api_client, caseworker, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "api_token": "3/minute",
        },
    }
    from django.core.cache import cache  # the throttle's counts live in the cache

    cache.clear()
    first = _command_token(caseworker.email, "--name", "first")
    second = _command_token(caseworker.email, "--name", "second")
    assert [_calls(api_client, first).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert _calls(api_client, second).status_code == 200


# --- Issued from the service, to a user who passed the second factor ------------------------


def _code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:0{device.digits}d}"


def test_a_password_alone_cannot_get_a_token(client, caseworker, settings):
    settings.REQUIRE_STAFF_2FA = True
    TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    client.post("/account/sign-in/", {"email": caseworker.email, "password": TEST_PASSWORD})
    response = client.post(TOKENS, {"name": "stolen", "days": "90"})
    assert response.status_code == 302 and "/account/two-factor/" in response["Location"]
    assert not caseworker.api_tokens.exists()


def test_a_verified_staff_member_makes_names_and_revokes_their_own_tokens(
    client, api_client, caseworker, settings
):
    settings.REQUIRE_STAFF_2FA = True
    device = TOTPDevice.objects.create(user=caseworker, name="phone", confirmed=True)
    client.post("/account/sign-in/", {"email": caseworker.email, "password": TEST_PASSWORD})
    client.post("/account/two-factor/", {"token": _code(device)})
    made = client.post(TOKENS, {"name": "Case management sync", "days": ""}, follow=True)
    page = made.content.decode()
    assert "Case management sync" in page
    token = made.context["new_token"]
    assert token in page  # shown once …
    assert token not in client.get(TOKENS).content.decode()  # … and never again
    [issued] = caseworker.api_tokens.all()
    assert (issued.expires_at - issued.created_at).days == 90
    assert _calls(api_client, token).status_code == 200
    # Someone else's token cannot be revoked from here.
    other = factories.make_user(Role.CASEWORKER, email="other@la.test")
    theirs = _command_token(other.email)
    foreign = other.api_tokens.get()
    assert client.post(f"{TOKENS}{foreign.pk}/revoke/").status_code == 404
    assert _calls(api_client, theirs).status_code == 200
    client.post(f"{TOKENS}{issued.pk}/revoke/")
    assert _calls(api_client, token).status_code == 401
    assert "Revoked" in client.get(TOKENS).content.decode()


def test_a_family_account_gets_no_token(client):
    parent = factories.make_user(Role.PARENT, email="mum@example.org")
    client.force_login(parent)
    client.post(TOKENS, {"name": "mine", "days": "90"})
    assert not parent.api_tokens.exists()


# Lists bounded by what they are, not by the data: a plan has a handful of versions.
BOUNDED_LISTS = {"/api/v1/plans/{id}/versions/"}


def test_every_list_endpoint_is_paged():
    from drf_spectacular.generators import SchemaGenerator  # only this test builds the schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    unpaged = []
    for path, operations in schema["paths"].items():
        get = operations.get("get")
        if get is None or path in BOUNDED_LISTS:
            continue
        body = get["responses"].get("200", {}).get("content", {}).get("application/json", {})
        shape = body.get("schema", {})
        ref = shape.get("$ref", "")
        if ref:
            shape = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
        is_list = shape.get("type") == "array" or "results" in shape.get("properties", {})
        names = {parameter.get("name") for parameter in get.get("parameters", [])}
        if is_list and not {"limit", "offset"} <= names:
            unpaged.append(path)
    assert not unpaged, f"Lists without paging: {unpaged}"
