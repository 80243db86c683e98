"""Journey tests in real Chromium (Debian's /usr/bin/chromium, never a downloaded browser),
driven by Playwright, with an axe-core accessibility check (WCAG 2.2 AA) on every page."""

import json
import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django's ORM, used by the tests to
# arrange data, would otherwise refuse to run beside it. The live server runs in its own thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

REPO = Path(__file__).resolve().parents[2]
AXE_SOURCE = REPO / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("EVERYCHILD_CHROMIUM", "/usr/bin/chromium")
# Flags for a root user in a container with no network beyond localhost.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: install Debian's chromium package.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server, settings):
    settings.REQUIRE_STAFF_2FA = False
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def page_without_js(chromium_browser, live_server, settings):
    settings.REQUIRE_STAFF_2FA = False
    context = chromium_browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.everychild_javascript_off = True
    yield page
    context.close()


def axe_violations(page) -> list[dict]:
    """Run axe-core in the page for WCAG 2.2 A and AA and return its violations."""
    if getattr(page, "everychild_javascript_off", False):
        # axe is JavaScript: check the same pages in a test with JavaScript on.
        raise AssertionError("axe cannot run in a page with JavaScript turned off")
    from playwright.sync_api import Error

    # A click that submits a form returns before the next page has loaded: axe run meanwhile
    # meets the old document going away. Then wait for the new page and check that one.
    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            return _run_axe(page)
        except Error as error:
            navigating = "documentElement" in str(error) or "context was destroyed" in str(error)
            if not navigating or attempt == 2:
                raise
            page.wait_for_timeout(200)
    raise AssertionError("unreachable")


def _run_axe(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, so the page's strict CSP still holds for
        # the page itself.
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8"))
    result = page.evaluate(
        # Only violations are read: asking for no other results makes axe several times faster.
        "async (tags) => await axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        WCAG_TAGS,
    )
    return result["violations"]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    if violations:
        summary = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "targets": [n["target"] for n in v["nodes"]][:5],
            }
            for v in violations
        ]
        details = json.dumps(summary, indent=2)
        pytest.fail(f"axe found WCAG 2.2 AA violations on {page.url}:\n{details}")


def sign_in(page, email: str, password: str) -> None:
    page.goto("/account/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def fill_date(page, question: str, typed: str) -> None:
    """Answer a GOV.UK date input (the group of Day, Month and Year boxes whose legend is the
    question) as a person would: "27/3/2025", "27 3 2025" or "2025-03-27" typed box by box."""
    parts = [part for part in re.split(r"[/\s-]+", typed.strip()) if part]
    if len(parts) == 3 and len(parts[0]) == 4:  # 2025-03-27
        parts.reverse()
    group = page.get_by_role("group", name=question, exact=True)
    if not group.count():  # the question's words are part of a longer legend
        group = page.get_by_role("group", name=question)
    for box, part in zip(("Day", "Month", "Year"), parts + ["", "", ""], strict=False):
        group.get_by_label(box, exact=True).fill(part)


def date_typed(page, question: str) -> str:
    """What a GOV.UK date input's boxes hold, as day/month/year."""
    group = page.get_by_role("group", name=question, exact=True)
    if not group.count():
        group = page.get_by_role("group", name=question)
    return "/".join(
        group.get_by_label(b, exact=True).input_value() for b in ("Day", "Month", "Year")
    )
