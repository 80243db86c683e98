"""One record per child, in real Chromium with an axe check (WCAG 2.2 AA) on every page: a
family asks online for an assessment of a child the council already knows; the form says
nothing of it; the caseworker finds the likely duplicate from the case page, merges the two
records, and the request is on the child's one record."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from everychild.accounts.models import Role
from everychild.casework.models import AssessmentRequest
from everychild.children.models import Child, ChildMerge
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_family_journeys import answer_the_public_form

PASSWORD = factories.TEST_PASSWORD


@pytest.fixture
def known_child(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.NOTIFICATIONS_BACKEND = "everychild.notifications.backends.LocalBackend"
    area = factories.AreaFactory()
    la = factories.LocalAuthorityFactory(area=area)
    factories.make_user(Role.CASEWORKER, la, email="casey@la.test", full_name="Casey Worker")
    # Known to the council already, with a plan; the family's form will not give the UPN.
    child = factories.ChildFactory(
        area=area, first_name="Mabel", last_name="Quarrington", date_of_birth=dt.date(2017, 2, 14)
    )
    factories.issued_plan(child)
    return child


def test_a_duplicate_public_request_is_walked_to_a_merge(page, known_child):
    answer_the_public_form(page)
    # The family is told nothing about a record already held.
    assert not page.get_by_text("already").count()
    case = AssessmentRequest.objects.get()
    duplicate = case.child
    assert duplicate.pk != known_child.pk

    staff = page.context.browser.new_context(base_url=page.url.split("/family")[0]).new_page()
    sign_in(staff, "casey@la.test", PASSWORD)
    staff.goto(f"/cases/{case.pk}/")
    staff.get_by_role(
        "link", name="check whether the child is already known and merge the records"
    ).click()
    expect(staff.get_by_role("heading", name="Is Mabel Quarrington already known?")).to_be_visible()
    expect(staff.get_by_text(f"(record {known_child.pk})")).to_be_visible()
    assert_accessible(staff)

    staff.get_by_role(
        "link", name=f"Merge record {duplicate.pk} with record {known_child.pk}"
    ).click()
    expect(staff.get_by_role("heading", name="Merge two records of one child")).to_be_visible()
    assert_accessible(staff)
    # Not choosing is refused with a GOV.UK error summary.
    staff.get_by_role("button", name="Merge the records").click()
    expect(staff.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(staff)
    staff.get_by_label(f"Record {known_child.pk}: Mabel").check()
    staff.get_by_role("button", name="Merge the records").click()

    expect(staff.get_by_text("The records have been merged")).to_be_visible()
    expect(staff.get_by_text(f"Record {duplicate.pk} was merged into this record")).to_be_visible()
    expect(staff.get_by_role("link", name=case.reference)).to_be_visible()
    assert_accessible(staff)
    assert AssessmentRequest.objects.get().child == known_child
    assert Child.objects.get(pk=duplicate.pk).merged_into == known_child
    assert ChildMerge.objects.count() == 1

    # The record let go says where everything went.
    staff.goto(f"/children/{duplicate.pk}/")
    expect(staff.get_by_text("This record was merged into").first).to_be_visible()
    assert_accessible(staff)
    staff.context.close()
