"""Journey: a team manager checks the coming SEN2 return (made and checked in the background,
issue 21), finds the record with an error and opens it to put it right; every page passes axe,
and it all works without JavaScript, the page that shows how far the checks have got included."""

from datetime import date, timedelta

import pytest

from everychild.accounts.models import Role
from everychild.core import jobs
from everychild.core.models import JobRun
from everychild.returns.selectors import return_years
from everychild.returns.sen2.spec import default_reference_date
from everychild.returns.tests.sample import a_file, a_planned_person
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, sign_in


@pytest.fixture
def manager_and_record(transactional_db):
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    manager = factories.make_user(Role.TEAM_MANAGER, la, email="manager@demo.test",
                                  full_name="Morgan Hale")  # fmt: skip
    reference = default_reference_date(return_years(date.today())[0])
    born = reference.replace(year=reference.year - 27) - timedelta(days=40)
    # A plan that should have ended when she turned 25 (CFA 2014 s.46).
    child = factories.ChildFactory(area=area, first_name="Olive", date_of_birth=born)
    factories.EHCPlanFactory(
        child=child,
        issued_on=born.replace(year=born.year + 24),
        last_review_meeting_on=reference - timedelta(days=90),
    )
    return manager, child


def _journey(page, child, check_accessibility: bool):
    sign_in(page, "manager@demo.test", factories.TEST_PASSWORD)
    page.get_by_role("link", name="SEN2 return").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Check the SEN2 return"
    if check_accessibility:
        assert_accessible(page)

    page.get_by_role("button", name="Run the checks").click()
    assert "There is a problem" in page.locator(".govuk-error-summary").inner_text()
    if check_accessibility:
        assert_accessible(page)

    page.get_by_label("return", exact=False).first.check()
    page.get_by_role("button", name="Run the checks").click()
    results = page.locator("main").inner_text()
    assert "SEN2-105" in results and "26 or older" in results
    assert "Started by Morgan Hale" in results
    if check_accessibility:
        assert_accessible(page)

    # The run is kept: the checks page lists it to open again.
    page.get_by_role("link", name="Back to checking the SEN2 return").click()
    page.get_by_role("link", name="return", exact=False).last.click()
    assert "SEN2-105" in page.locator("main").inner_text()

    page.get_by_role("link", name=child.full_name).first.click()
    assert page.get_by_role("heading", level=1).inner_text() == child.full_name
    if check_accessibility:
        assert_accessible(page)


def test_a_manager_finds_the_record_with_an_error_and_opens_it(page, manager_and_record):
    _, child = manager_and_record
    _journey(page, child, check_accessibility=True)


def test_the_checks_work_without_javascript(page_without_js, manager_and_record):
    _, child = manager_and_record
    _journey(page_without_js, child, check_accessibility=False)


@pytest.mark.parametrize("javascript", [True, False])
def test_while_the_checks_wait_the_page_says_how_far_they_have_got(
    request, javascript, manager_and_record, settings
):
    """With a real worker the checks wait in a queue: the page says so, offers to look again,
    and shows the result once the worker has done them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page = request.getfixturevalue("page" if javascript else "page_without_js")
    sign_in(page, "manager@demo.test", factories.TEST_PASSWORD)
    page.get_by_role("link", name="SEN2 return").click()
    page.get_by_label("return", exact=False).first.check()
    page.get_by_role("button", name="Run the checks").click()
    assert "Waiting to start" in page.locator("main").inner_text()
    if javascript:
        assert_accessible(page)
    # A second press shows the same run.
    page.get_by_role("link", name="Back to checking the SEN2 return").click()
    page.get_by_label("return", exact=False).first.check()
    page.get_by_role("button", name="Run the checks").click()
    assert JobRun.objects.count() == 1

    jobs.run(JobRun.objects.get().pk)  # the worker gets to it
    page.get_by_role("link", name="Check again").click()
    text = page.locator("main").inner_text()
    assert "Finished" in text and "SEN2-105" in text


def test_a_manager_checks_then_imports_another_systems_file(
    page, manager_and_record, settings, tmp_path
):
    """From the checks page to an imported file: upload, check (nothing written), import the
    checked copy; every page passes axe."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    source = tmp_path / "from-the-old-system.xml"
    source.write_bytes(a_file(a_planned_person()))
    sign_in(page, "manager@demo.test", factories.TEST_PASSWORD)
    page.get_by_role("link", name="SEN2 return").click()
    page.get_by_role("link", name="Import a SEN2 file").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Import a SEN2 file"
    assert_accessible(page)

    page.get_by_role("button", name="Upload the file").click()
    assert "Choose the SEN2 file to upload." in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)

    page.get_by_label("SEN2 file").set_input_files(str(source))
    page.get_by_role("button", name="Upload the file").click()
    assert "The file can be imported" in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Import this file").click()
    text = page.locator("main").inner_text()
    assert "Imported" in text and "1 children" in text
    assert_accessible(page)
