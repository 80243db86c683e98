"""The identity and audit attacks of issue 17, run against a production-mode instance.

Run by tests/test_production_attacks.py in a process of its own with production settings
(debug off, second factor required, secure cookies and HTTPS redirect, the slow password
hasher, a fresh SQLite database in a temporary folder). Prints one JSON object: for each
attack whether it was refused, and what was seen.

    python -m tests.production_attacks
"""

import io
import json
import re
import sys

import django

django.setup()

# Below django.setup(): each of these loads models.
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from everychild.access import audit  # noqa: E402
from everychild.accounts.models import Role, User  # noqa: E402
from everychild.children.models import FamilyLink  # noqa: E402
from everychild.families import services as family_services  # noqa: E402
from everychild.notifications import backends  # noqa: E402
from everychild.notifications.models import Message  # noqa: E402
from everychild.testing import factories  # noqa: E402
from everychild.testing.factories import TEST_PASSWORD  # noqa: E402

HOST = settings.ALLOWED_HOSTS[0]
OWN_PASSWORD = "their own long password"
ATTACKER_PASSWORD = "attacker chosen passphrase"
LINK = re.compile(r"/family/invitation/[^\s/]+/")


class Browser:
    """A browser on HTTPS to the production host, from one address."""

    def __init__(self, address="192.0.2.10"):
        self.client = Client(HTTP_HOST=HOST, REMOTE_ADDR=address)

    def get(self, path, **extra):
        return self.client.get(path, secure=True, **extra)

    def post(self, path, data=None, **extra):
        return self.client.post(path, data or {}, secure=True, **extra)

    def signed_in(self) -> bool:
        return "_auth_user_id" in self.client.session


def _world():
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    caseworker = factories.make_user(Role.CASEWORKER, la, email="casey@la.test")
    child = factories.ChildFactory(area=area)
    return area, la, caseworker, child


def _sent_link(email) -> str:
    for message in reversed(backends.LocalBackend.outbox):
        if message.to == email and LINK.search(message.body):
            return LINK.search(message.body).group(0)
    raise AssertionError(f"no invitation was sent to {email}")


def invitation_takeover(la, caseworker, child) -> dict:
    """Invite a staff address (the data protection officer) and an existing family address,
    then use each link to set the account's password; replay the link kept in the messages."""
    dpo = factories.make_user(Role.DATA_PROTECTION_OFFICER, la, email="dpo@la.test")
    parent = factories.make_user(Role.PARENT, email="mum@example.org")
    for account in (dpo, parent):
        account.set_password(OWN_PASSWORD)
        account.save()
    seen = {}
    for account in (dpo, parent):
        family_services.invite(
            actor=caseworker,
            child=child,
            kind="parent",
            full_name="Someone",
            email=account.email,
            relationship=FamilyLink.Relationship.FATHER,
        )
        link = _sent_link(account.email)
        attacker = Browser("203.0.113.9")
        attacker.post(
            link,
            {"password": ATTACKER_PASSWORD, "password_again": ATTACKER_PASSWORD},
        )
        account.refresh_from_db()
        seen[account.email] = {
            "password_kept": account.check_password(OWN_PASSWORD),
            "attacker_signed_in": attacker.signed_in(),
            "family_link_made": FamilyLink.objects.filter(user=account).exists(),
            "link_kept_in_messages": Message.objects.filter(body__contains=link).exists(),
        }
    kept = Message.objects.filter(template="family_invitation")
    replays = [Browser().get(path).status_code for m in kept for path in LINK.findall(m.body)]
    seen["replayed_stored_links"] = replays
    refused = all(
        v["password_kept"]
        and not v["attacker_signed_in"]
        and not v["family_link_made"]
        and not v["link_kept_in_messages"]
        for k, v in seen.items()
        if k != "replayed_stored_links"
    ) and all(code in (404, 410) for code in replays)
    return {"refused": refused, "seen": seen}


def totp_on_first_use(la) -> dict:
    """A staff member's password, used before the owner ever signed in, to add an app."""
    from django_otp.plugins.otp_totp.models import TOTPDevice  # loads models (set up above)

    staff = factories.make_user(Role.CASEWORKER, la, email="new.starter@la.test")
    thief = Browser("203.0.113.20")
    page = thief.post(
        "/account/sign-in/", {"email": staff.email, "password": TEST_PASSWORD}, follow=True
    ).content.decode()
    thief.post("/account/two-factor/set-up/", {"token": "123456"})
    thief.post("/account/two-factor/set-up/", {"code": "AAAA-BBBB-CCCC"})
    setup_page = thief.get("/account/two-factor/set-up/").content.decode()
    elsewhere = {
        path: thief.get(path).status_code for path in ("/", "/children/", "/api/v1/children/")
    }
    seen = {
        "asked_for_enrolment_code": "enrolment code" in page.lower(),
        "key_shown": "<svg" in page or "<svg" in setup_page,
        "devices": TOTPDevice.objects.filter(user=staff).count(),
        "other_pages": elsewhere,
    }
    refused = (
        seen["asked_for_enrolment_code"]
        and not seen["key_shown"]
        and not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
        and all(code != 200 for code in elsewhere.values())
    )
    return {"refused": refused, "seen": seen}


def token_after_password_change(la) -> dict:
    """A token for a service account, kept by someone after its password was changed."""
    account = factories.make_user(Role.CASEWORKER, la, email="integration@la.test")
    out = io.StringIO()
    call_command("api_token", account.email, stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    caller = Browser("203.0.113.30")
    auth = {"HTTP_AUTHORIZATION": f"Token {token}"}
    before = caller.get("/api/v1/children/", **auth).status_code
    account = User.objects.get(pk=account.pk)
    account.set_password("a completely new passphrase")
    account.save()
    after = caller.get("/api/v1/children/", **auth).status_code
    return {"refused": before == 200 and after == 401, "seen": {"before": before, "after": after}}


def _verify() -> tuple[int, str]:
    err = io.StringIO()
    try:
        call_command("audit_verify", stdout=io.StringIO(), stderr=err)
    except SystemExit as exit_:
        return exit_.code, err.getvalue()
    return 0, err.getvalue()


def audit_truncation(caseworker, child) -> dict:
    """Delete the newest audit entries and wind the chain head back, as an insider with the
    database could; the signed checkpoint (kept outside the database) must tell."""
    for action in ("view", "update", "view", "view"):
        audit.record(action=action, actor=caseworker, child=child, record=child)
    call_command("audit_checkpoint", stdout=io.StringIO())
    audit.record(action="view", actor=caseworker, child=child, record=child)
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(seq) FROM access_auditentry")
        newest = cursor.fetchone()[0]
        keep = newest - 3
        cursor.execute("SELECT hash FROM access_auditentry WHERE seq = %s", [keep])
        head = cursor.fetchone()[0]
        cursor.execute("DELETE FROM access_auditentry WHERE seq > %s", [keep])
        cursor.execute(
            "UPDATE access_auditchainhead SET seq = %s, hash = %s WHERE id = 1", [keep, head]
        )
    chain_alone = audit.verify_chain().ok
    code, err = _verify()
    return {
        "refused": code == 1 and "truncated" in err,
        "seen": {"chain_alone_ok": chain_alone, "exit": code, "report": err.strip()[:300]},
    }


def forwarded_for_spoofing() -> dict:
    """A guesser not behind our proxy writes a new X-Forwarded-For at each try to look like a
    new address; the lock-out must see their real one. The owner, behind the proxy from their
    own address, still signs in."""
    owner = factories.make_user(Role.PARENT, email="owner@example.org")
    guesser = Browser("203.0.113.40")
    statuses = [
        guesser.post(
            "/account/sign-in/",
            {"email": owner.email, "password": f"wrong {n}"},
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        ).status_code
        for n in range(6)
    ]
    victim = Browser(settings.EVERYCHILD_TRUSTED_PROXIES[0])
    ok = victim.post(
        "/account/sign-in/",
        {"email": owner.email, "password": TEST_PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.44",
    ).status_code
    return {
        "refused": statuses[4:] == [429, 429] and ok == 302,
        "seen": {"guesser": statuses, "owner_elsewhere": ok},
    }


def main() -> None:
    call_command("migrate", verbosity=0)
    _area, la, caseworker, child = _world()
    results = {
        "production": {"debug": settings.DEBUG, "second_factor": settings.REQUIRE_STAFF_2FA},
        "invitation_takeover": invitation_takeover(la, caseworker, child),
        "totp_on_first_use": totp_on_first_use(la),
        "token_after_password_change": token_after_password_change(la),
        "audit_truncation": audit_truncation(caseworker, child),
        "forwarded_for_spoofing": forwarded_for_spoofing(),
    }
    # The last line: the console backend prints messages on standard output too.
    sys.stdout.write("\nRESULTS " + json.dumps(results, default=str) + "\n")


if __name__ == "__main__":
    main()
