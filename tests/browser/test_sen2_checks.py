"""Journey: a team manager checks the coming SEN2 return, finds the record with an error and
opens it to put it right; every page passes axe, and it all works without JavaScript."""

from datetime import date, timedelta

import pytest

from everychild.accounts.models import Role
from everychild.returns.selectors import return_years
from everychild.returns.sen2.spec import default_reference_date
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
    if check_accessibility:
        assert_accessible(page)

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
