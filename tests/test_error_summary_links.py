"""Every form with a radio or checkbox question, sent with no answer, comes back with a GOV.UK
error summary whose every link lands on something on the page (for a group of radios or
checkboxes, its first input: a fieldset cannot take focus), and a page title that starts
"Error: " so a screen reader says so first.

The forms are found as people find them: each demonstration sign-in (and someone not signed
in) walks every link from its home page, one page per URL pattern, and every form on the way
that posts and asks a radio or checkbox question is sent back unanswered. Its hidden fields
(the form's place, the record's version) and its first button go with it, as a browser's
would."""

from collections import deque
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from everychild.accounts.models import User
from tests.walk import PUBLIC_STARTS, SIGN_INS, pattern_of, seed_demonstration

pytestmark = pytest.mark.django_db

PAGES_PER_ROLE = 80  # a guard against a walk that never ends
CHOICES = ".//input[@type='radio' or @type='checkbox']"
SUMMARY = "//div[contains(concat(' ', normalize-space(@class), ' '), ' govuk-error-summary ')]"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demonstration(forecast_runs=20)
        transaction.set_rollback(True)


def _pages(client, starts):
    """(url, document) for each page reached by following links, one per URL pattern."""
    queue, seen, patterns = deque(starts), set(), set()
    while queue and len(patterns) < PAGES_PER_ROLE:
        url = queue.popleft().split("#")[0]
        pattern = pattern_of(url)
        if url in seen or pattern is None or pattern in patterns:
            continue
        seen.add(url)
        patterns.add(pattern)
        response = client.get(url, follow=True, HTTP_ACCEPT="text/html")
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        document = lxml.html.fromstring(response.content)
        yield url, document
        for href in document.xpath("//a/@href"):
            split = urlsplit(urljoin(url, href))
            if split.netloc in ("", "testserver"):
                queue.append(split.path + (f"?{split.query}" if split.query else ""))


def _unanswered(form) -> dict:
    """What a browser sends when nothing on the form is filled in or chosen."""
    data = {i.get("name"): i.get("value", "") for i in form.xpath(".//input[@type='hidden']")}
    buttons = form.xpath(".//button[not(@type='button')] | .//input[@type='submit']")
    if buttons and buttons[0].get("name"):
        data[buttons[0].get("name")] = buttons[0].get("value", "")
    return data


def _problems_with(response, where: str) -> list[str]:
    if response.status_code != 200 or b"govuk-error-summary" not in response.content:
        return []  # accepted (a redirect), or refused without a form to correct
    document = lxml.html.fromstring(response.content)
    summary = document.xpath(SUMMARY)
    if not summary:
        return []
    problems = []
    title = document.findtext(".//title") or ""
    if not title.startswith("Error: "):
        problems.append(f"{where}: the page title does not start 'Error: ' ({title!r})")
    ids = set(document.xpath("//@id"))
    for link in summary[0].xpath(".//a"):
        href = link.get("href", "")
        if not href.startswith("#") or href[1:] not in ids:
            text = link.text_content()
            problems.append(f"{where}: the error link {href!r} ({text}) lands nowhere")
    return problems


def test_every_error_summary_link_on_a_radio_or_checkbox_form_lands_on_the_page(demo, settings):
    settings.REQUIRE_STAFF_2FA = False
    problems, forms_sent, summaries = [], 0, 0
    for email in SIGN_INS:
        client = Client()
        if email:
            client.force_login(User.objects.get(email=email))
            starts = [reverse("home:home")]
        else:
            starts = [reverse(name) for name in PUBLIC_STARTS]
        tried = set()
        for url, document in list(_pages(client, starts)):
            for form in document.xpath("//form[translate(@method, 'POST', 'post') = 'post']"):
                choices = form.xpath(CHOICES)
                action = urljoin(url, form.get("action") or url)
                key = (pattern_of(action), tuple(sorted(i.get("name") for i in choices)))
                if not choices or key in tried:
                    continue
                tried.add(key)
                forms_sent += 1
                response = client.post(action, _unanswered(form), HTTP_ACCEPT="text/html")
                summaries += b"govuk-error-summary" in response.content
                problems += _problems_with(response, f"{email or 'signed out'} {url} -> {action}")
    # The walk found the forms it is meant to: a broken walk would pass vacuously.
    assert forms_sent >= 10 and summaries >= 5, (forms_sent, summaries)
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_public_requests_who_are_you_question_links_to_its_first_radio(demo):
    """A step the walk cannot reach (it follows the child's step): asked who they are and
    answering nothing, a parent is taken to the first answer."""
    client = Client()
    child = {
        "first_name": "Mabel",
        "last_name": "Quarrington",
        "date_of_birth": "14/2/2017",
        "postcode": "bh1 1aa",
    }
    step = "families:request-step"
    assert client.post(reverse(step, kwargs={"step": "child"}), child).status_code == 302
    response = client.post(reverse(step, kwargs={"step": "you"}), {})
    assert 'href="#id_relationship_0"' in response.content.decode()
    assert _problems_with(response, "the public request's second step") == []


@pytest.mark.parametrize(
    ("method", "name", "empty", "heading"),
    [
        ("post", "accounts:sign-in", {"email": "", "password": ""}, "Sign in"),
        ("get", "timeline:calculator", {"request_received": ""}, "When should"),
    ],
)
def test_a_form_sent_empty_comes_back_with_error_at_the_start_of_its_title(
    client, method, name, empty, heading
):
    response = getattr(client, method)(reverse(name), empty)
    title = lxml.html.fromstring(response.content).findtext(".//title")
    assert response.status_code == 200
    assert title.startswith(f"Error: {heading}"), title
