"""Journey: the data protection officer finds a child, downloads what is held about them, and
reads the retention figures. Every page passes axe (WCAG 2.2 AA)."""

import datetime as dt

from playwright.sync_api import expect

from everychild.accounts.models import Role
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, fill_date, sign_in

PASSWORD = "correct horse battery staple"


def test_the_officer_answers_a_subject_access_request(page, transactional_db):
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    officer = factories.UserFactory(email="dpo@demo.test", full_name="Dara Protheroe")
    officer.set_password(PASSWORD)
    officer.save()
    factories.MembershipFactory(user=officer, organisation=la, role=Role.DATA_PROTECTION_OFFICER)
    child = factories.ChildFactory(
        area=area, last_name="Ashdown", date_of_birth=dt.date(2013, 5, 2)
    )
    factories.AssessmentRequestFactory(child=child)

    sign_in(page, "dpo@demo.test", PASSWORD)
    page.get_by_role("link", name="Data protection").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Data protection"
    assert_accessible(page)
    page.get_by_role("button", name="Find the child").click()  # nothing entered
    expect(
        page.get_by_role("link", name="Enter the child's UPN, or their surname and date of birth")
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Or surname").fill("Ashdown")
    fill_date(page, "and date of birth", "2/5/2013")
    page.get_by_role("button", name="Find the child").click()
    expect(page.get_by_role("cell", name=child.full_name, exact=True)).to_be_visible()
    assert_accessible(page)
    # The export is made in the background (decision 0214), then kept to download.
    page.get_by_role(
        "button", name=f"Make the export of everything held about {child.full_name}"
    ).click()
    expect(
        page.get_by_role("heading", name=f"Everything held about {child.full_name}")
    ).to_be_visible()
    assert "The export is ready" in page.locator("main").inner_text()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role(
            "link", name=f"Download the PDF of everything held about {child.full_name}"
        ).click()
    assert info.value.suggested_filename == f"subject-access-{child.pk}.pdf"
