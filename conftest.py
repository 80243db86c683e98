"""Fixtures for every test. Data comes from factories (everychild.testing.factories), never
fixture files."""

import pytest
from django.test import override_settings
from hypothesis import settings as hypothesis_settings

from everychild.accounts.models import Role
from everychild.testing import factories

# Speed is measured in benchmarks/, not by timing property-test examples: a per-example deadline
# only fails at random on a busy 2-core machine.
hypothesis_settings.register_profile("everychild", deadline=None)
hypothesis_settings.load_profile("everychild")


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Passwords hash quickly, also for data built once per module: the slow hasher is not
    what these tests are about."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _staff_sign_in_without_second_factor(settings):
    """Staff sign in without a second factor unless a test turns REQUIRE_STAFF_2FA back on
    (the two-factor tests do), so the rest of the suite can use client.force_login."""
    settings.REQUIRE_STAFF_2FA = False


@pytest.fixture(autouse=True)
def _audit_checkpoints_in_a_temporary_file(settings, tmp_path):
    """Audit checkpoints go to the test's own folder, signed with a test key, never var/."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"
    settings.AUDIT_CHECKPOINT_KEY = "test-audit-checkpoint-key"


@pytest.fixture
def on_postgresql():
    from django.db import connection

    return connection.vendor == "postgresql"


@pytest.fixture
def area(db):
    """Bournemouth, Christchurch and Poole (LA 839)."""
    return factories.AreaFactory()


@pytest.fixture
def other_area(db):
    return factories.OtherAreaFactory()


@pytest.fixture
def la(area):
    """The area's local authority."""
    return factories.LocalAuthorityFactory(area=area)


@pytest.fixture
def caseworker(la):
    return factories.make_user(Role.CASEWORKER, la, full_name="Casey Worker")


@pytest.fixture
def team_manager(la):
    return factories.make_user(Role.TEAM_MANAGER, la, full_name="Tess Manager")


@pytest.fixture
def child(area):
    return factories.ChildFactory(area=area)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
