"""Issue 17, identity: lock-out and rate limits see the real client behind a reverse proxy,
and forwarded headers are believed only from the proxies the settings name.

The attacks: a password guesser who writes their own X-Forwarded-For to look like a new
address at each try (directly, or through the proxy, which appends the real one), and a
caller who says X-Forwarded-Proto: https without any proxy in between."""

import pytest
from django.test import RequestFactory

from everychild.access.middleware import TrustedProxyMiddleware
from everychild.accounts.models import Role
from everychild.testing import factories
from everychild.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.1"


@pytest.fixture
def behind_a_proxy(settings):
    settings.EVERYCHILD_TRUSTED_PROXIES = [PROXY]


@pytest.fixture
def parent(db):
    return factories.make_user(Role.PARENT, email="parent@example.test")


def _try(client, password, **meta):
    return client.post(
        "/account/sign-in/", {"email": "parent@example.test", "password": password}, **meta
    )


@pytest.mark.usefixtures("behind_a_proxy")
def test_a_guesser_cannot_dodge_the_lock_out_with_made_up_forwarded_addresses(client, parent):
    # Through the proxy: it appends the guesser's real address to whatever they wrote.
    statuses = [
        _try(
            client,
            f"wrong {n}",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.9",
        ).status_code
        for n in range(6)
    ]
    assert statuses[4:] == [429, 429]


@pytest.mark.usefixtures("behind_a_proxy")
def test_a_guesser_going_round_the_proxy_is_not_believed(client, parent):
    statuses = [
        _try(
            client, f"wrong {n}", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(6)
    ]
    assert statuses[4:] == [429, 429]


@pytest.mark.usefixtures("behind_a_proxy")
def test_a_victim_elsewhere_behind_the_same_proxy_still_signs_in(client, parent):
    for n in range(6):
        _try(client, f"wrong {n}", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    ok = _try(client, TEST_PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="192.0.2.44")
    assert ok.status_code == 302


def _seen(settings_proxies, settings, **meta):
    settings.EVERYCHILD_TRUSTED_PROXIES = settings_proxies
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = RequestFactory().get("/", **meta)
    seen = {}

    def view(req):
        seen["secure"] = req.is_secure()
        seen["address"] = req.META["REMOTE_ADDR"]
        return None

    TrustedProxyMiddleware(view)(request)
    return seen


def test_x_forwarded_proto_is_believed_only_from_a_trusted_proxy(settings):
    direct = _seen([PROXY], settings, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_PROTO="https")
    assert direct == {"secure": False, "address": "203.0.113.9"}
    unset = _seen([], settings, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_PROTO="https")
    assert unset["secure"] is False
    proxied = _seen(
        [PROXY],
        settings,
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert proxied == {"secure": True, "address": "203.0.113.9"}


def test_proxies_named_by_network_or_counted(settings):
    by_network = _seen(
        ["10.0.0.0/8"],
        settings,
        REMOTE_ADDR="10.1.2.3",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 10.9.9.9",
    )
    assert by_network["address"] == "203.0.113.9"
    counted = _seen(
        2, settings, REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9, 10.9.9.9"
    )
    assert counted["address"] == "203.0.113.9"
