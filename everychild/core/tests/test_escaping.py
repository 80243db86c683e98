"""What anyone types is shown as text, never run: Django escapes every variable in a template
unless told not to, so the places that tell it not to are listed here with the reason each is
safe, and a new one fails this test until someone has looked at it. Then text with markup
typed into a plan is checked on the pages that show it."""

import re
from pathlib import Path

import pytest

from everychild.accounts.models import Role
from everychild.plans import services as plans
from everychild.testing import factories

ROOT = Path(__file__).resolve().parents[2]
UNESCAPED = re.compile(r"\|\s*safe\b|autoescape\s+off|mark_safe\(|SafeString\(")

# Where output is deliberately not escaped again, and why that is safe.
ALLOWED = {
    "core/charts.py": "SVG built here; every text part is escaped before joining",
    "performance/selectors.py": "a chart's markup, every text part escaped before joining",
    "templates/plans/draft.html": "the plan's HTML, rendered by a template with escaping on",
    "templates/plans/version.html": "the plan's HTML, rendered by a template with escaping on",
    "templates/casework/letter.html": "the letter's HTML, rendered by a template with escaping on",
    "templates/accounts/two_factor_setup.html": "the QR code's SVG, made by the qrcode library",
}


def test_unescaped_output_is_only_where_it_has_been_checked():
    found = {}
    for path in list(ROOT.rglob("*.html")) + list(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{relative}" or "migrations/" in relative:
            continue
        if UNESCAPED.search(path.read_text(encoding="utf-8")):
            found[relative] = True
    unexpected = sorted(set(found) - set(ALLOWED))
    assert not unexpected, f"Unescaped output to be reviewed and listed in ALLOWED: {unexpected}"
    assert set(ALLOWED) <= set(found), "ALLOWED lists a file that no longer needs it"


SCRIPT = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.django_db
def test_markup_typed_into_a_plan_is_shown_as_text(client, area, la):
    caseworker = factories.make_user(Role.CASEWORKER, la)
    case = factories.AssessmentRequestFactory(child__area=area, caseworker=caseworker)
    draft = factories.plan_draft_for(case)
    plans.add_need(actor=caseworker, draft=draft, section="B", text=SCRIPT)
    client.force_login(caseworker)
    for url in (f"/plans/case/{case.pk}/", f"/plans/draft/{draft.pk}/B/"):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url
