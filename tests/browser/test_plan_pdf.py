"""Journey: a caseworker downloads the PDF of a plan issued before its PDF was kept. It is made
in the background (issue 21, decision 0246): the page offers to make it, says how far it has
got without needing JavaScript, and then links to it; every page passes axe."""

import pytest

from everychild.accounts.models import Role
from everychild.core import jobs
from everychild.core.models import JobRun
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, sign_in


@pytest.fixture
def caseworker_and_plan(transactional_db):
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    factories.make_user(Role.CASEWORKER, la, email="casey@la.test", full_name="Casey Rowe")
    return factories.issued_plan(factories.ChildFactory(area=area, first_name="Ivy"))


@pytest.mark.parametrize("javascript", [True, False])
def test_the_pdf_is_made_in_the_background_then_downloaded(
    request, javascript, caseworker_and_plan, settings
):
    # With a real worker the job waits in a queue first.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    plan = caseworker_and_plan
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    sign_in(page, "casey@la.test", factories.TEST_PASSWORD)
    page.goto(f"/plans/{plan.pk}/versions/1/")
    page.get_by_role("link", name="Download as PDF").click()
    assert page.get_by_role("heading", level=1).inner_text() == ("PDF of version 1 of the EHC plan")
    if javascript:
        assert_accessible(page)

    page.get_by_role("button", name="Make the PDF").click()
    text = page.locator("main").inner_text()
    assert "Waiting to start" in text and "Started by Casey Rowe" in text
    if javascript:
        assert_accessible(page)

    jobs.run(JobRun.objects.get(kind="plan-pdf").pk)  # the worker gets to it
    page.get_by_role("link", name="Check again").click()
    assert "Finished" in page.locator("main").inner_text()
    if javascript:
        assert_accessible(page)
    # The link, fetched as the signed-in caseworker (a browser would open or save the file).
    href = page.get_by_role("link", name="Download the PDF").get_attribute("href")
    pdf = page.request.get(href)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")
