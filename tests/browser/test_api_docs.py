"""/api/docs/ (issue 20): the API's documentation is a page of the service that passes axe,
reflows at 320 px and breaks none of the CSP's rules (no inline style or script): Swagger UI,
which it replaces, set inline styles the CSP refused."""

from tests.browser.conftest import assert_accessible


def test_the_api_documentation_is_accessible_and_keeps_to_the_csp(page, transactional_db):
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    response = page.goto("/api/docs/")
    assert response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.get_by_role("heading", level=1).inner_text() == "EveryChild API documentation"
    # Every endpoint is described, with what it takes.
    assert page.get_by_role("heading", name="GET /api/v1/advice-requests/", exact=True).count()
    assert page.locator("table caption", has_text="Fields sent to POST").count() > 3
    assert page.locator("[style]").count() == 0
    assert page.locator("script:not([src])").count() == 0
    assert not refused, refused
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
