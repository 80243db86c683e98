"""No control a role cannot use (issue 20): every demonstration sign-in (and someone not
signed in) follows every link on every page it reaches, one page per URL pattern as the other
walks do (tests/walk.py), and no link a page itself offered may end in "You do not have
access" (403) or "Page not found" (404).

The same walk checks that every page asking a date asks it with the GOV.UK date input: each
form on the page with a date question (core.dates.DateField) shows the day, month and year
boxes, and no page has a browser's own date box (type="date")."""

from collections import deque
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from django import forms
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from everychild.accounts.models import User
from everychild.core.dates import DateField
from tests.walk import PUBLIC_STARTS, SIGN_INS, pattern_of, seed_demonstration

pytestmark = pytest.mark.django_db

PATTERNS_PER_ROLE = 150  # a guard against a walk that never ends


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demonstration(forecast_runs=20)
        transaction.set_rollback(True)


def _links(url: str, document) -> list[str]:
    found = []
    for href in document.xpath("//a/@href"):
        split = urlsplit(urljoin(url, href))
        if split.netloc in ("", "testserver") and split.scheme in ("", "http", "https"):
            found.append(split.path + (f"?{split.query}" if split.query else ""))
    return found


def _forms_in(response) -> list[forms.BaseForm]:
    found = []
    for context in response.context or []:
        for layer in getattr(context, "dicts", []):
            found += [v for v in layer.values() if isinstance(v, forms.BaseForm)]
    return found


def _walk(client, starts):
    """(from, url, response) for the first link to each URL pattern, breadth first."""
    queue = deque((None, url) for url in starts)
    patterns = set()
    while queue and len(patterns) < PATTERNS_PER_ROLE:
        source, url = queue.popleft()
        pattern = pattern_of(url)
        if pattern is None or pattern in patterns:
            continue
        patterns.add(pattern)
        response = client.get(url, follow=True, HTTP_ACCEPT="text/html")
        yield source, url, response
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            for link in _links(url, lxml.html.fromstring(response.content)):
                queue.append((url, link))


@pytest.fixture(scope="module")
def walked(demo):
    """Every role's walk, once: [(who, from, url, response)]."""
    visits = []
    with override_settings(REQUIRE_STAFF_2FA=False):
        for email in SIGN_INS:
            visits += _walk_as(email)
    return visits


def _walk_as(email):
    client = Client()
    if email:
        client.force_login(User.objects.get(email=email))
        starts = [reverse("home:home")]
    else:
        starts = [reverse(name) for name in PUBLIC_STARTS]
    return [(email or "signed out", *visit) for visit in _walk(client, starts)]


def test_no_page_offers_a_link_its_reader_is_refused(walked):
    refused = [
        f"{who}: {source} offers {url} -> {response.status_code}"
        for who, source, url, response in walked
        if source is not None and response.status_code in (403, 404)
    ]
    assert len(walked) > 300, len(walked)  # the walk reached the service, not one page
    assert not refused, f"{len(refused)} links end in a refusal:\n" + "\n".join(refused)


def test_every_date_question_is_the_gov_uk_date_input(walked):
    problems, questions = [], 0
    for who, _source, url, response in walked:
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        document = lxml.html.fromstring(response.content)
        if document.xpath("//input[@type='date']"):
            problems.append(f"{who}: {url} has a browser date box (type=date)")
        for form in _forms_in(response):
            for name, field in form.fields.items():
                if not isinstance(field, DateField):
                    continue
                day = f"{form[name].auto_id}-day"
                if f'id="{day}"' not in response.content.decode():
                    continue  # a form in the context that this page does not show
                questions += 1
                if not document.xpath(f"//div[@class='govuk-date-input']//input[@id='{day}']"):
                    problems.append(f"{who}: {url} asks {field.label!r} without the date input")
    assert questions >= 5, questions  # the walk found date questions to check
    assert not problems, "\n".join(problems)
