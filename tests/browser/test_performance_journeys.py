"""Journeys: a SEND Board member reads the dashboard, a measure and the benchmarks; a partner
updates their organisation's improvement action. Every page passes axe (WCAG 2.2 AA)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from everychild.accounts.models import Role
from everychild.casework.models import Decision
from everychild.improvement import services
from everychild.performance.dfe import import_release
from everychild.performance.sen_in_england import import_table
from everychild.performance.tests.dfe_files import write_release
from everychild.performance.tests.sen_in_england_files import sen_rows, write_sen_phase_type
from everychild.testing import factories
from tests.browser.conftest import assert_accessible, fill_date, sign_in

PASSWORD = "correct horse battery staple"


def _user(role, organisation, email, name):
    user = factories.UserFactory(email=email, full_name=name)
    user.set_password(PASSWORD)
    user.save()
    factories.MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def partnership(transactional_db, tmp_path):
    today = timezone.localdate()
    area = factories.AreaFactory(la_code="E06000058", statistical_neighbours=["E06000045"])
    la = factories.LocalAuthorityFactory(area=area)
    ep = factories.EPServiceFactory(area=area)
    forum = factories.ParentCarerForumFactory(area=area)
    manager = _user(Role.TEAM_MANAGER, la, "manager@demo.test", "Morgan Hale")
    board = _user(Role.BOARD_MEMBER, forum, "board@demo.test", "Bea Ordway")
    epmanager = _user(Role.EP_MANAGER, ep, "epmanager@demo.test", "Erin Maxted")
    for n in range(8):
        received = today - timedelta(days=200 + 20 * n)
        child = factories.ChildFactory(area=area)
        case = factories.AssessmentRequestFactory(
            child=child,
            received_on=received,
            decision=Decision.ASSESS,
            decision_on=received + timedelta(days=35),
            final_plan_issued_on=received + timedelta(days=130 + 5 * n),
        )
        factories.EHCPlanFactory(
            child=child, assessment_request=case, issued_on=case.final_plan_issued_on
        )
    priority = services.create_priority(
        actor=manager, area=area, number=1, title="Educational psychology advice"
    )
    action = services.create_action(
        actor=manager,
        priority=priority,
        title="Clear the EP advice backlog",
        owner_organisation=ep,
        owner=epmanager,
        starts_on=today - timedelta(days=60),
        due_on=today + timedelta(days=60),
    )
    services.add_success_criterion(
        actor=manager,
        action=action,
        description="Nine in ten plans within 20 weeks",
        measure_id="plans_within_20_weeks_excluding_exceptions",
        target=90,
        target_by=today - timedelta(days=30),
    )
    import_release(write_release(tmp_path / "release"))
    return {"board": board, "epmanager": epmanager, "action": action, "area": area}


def test_a_board_member_reads_the_dashboard_a_measure_and_the_benchmarks(page, partnership):
    sign_in(page, "board@demo.test", PASSWORD)
    page.get_by_role("link", name="Performance", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Performance of the partnership"
    assert page.locator("svg.everychild-chart").count() >= 5
    expect(page.get_by_text("Behind target").first).to_be_visible()  # against the 90% trajectory
    assert_accessible(page)

    page.get_by_text("The figures behind this chart").first.click()
    expect(page.get_by_role("table").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role(
        "link", name="New EHC plans issued within 20 weeks (excluding exceptions)"
    ).click()
    expect(page.get_by_role("heading", name="Definition")).to_be_visible()
    assert page.get_by_text("The records behind the figure").count() == 0  # figures only
    assert_accessible(page)

    page.goto("/performance/")
    page.get_by_role("link", name="Compare with England, the region and similar areas").click()
    assert "beside England" in page.get_by_role("heading", level=1).inner_text()
    expect(
        page.get_by_role("link", name="Download every figure on this page (CSV)")
    ).to_be_visible()
    assert_accessible(page)


def test_sen_support_by_phase_beside_england_before_and_after_loading(page, partnership, tmp_path):
    """Issue 22: the page says plainly that England's figures are not loaded, then shows them
    beside the area's once DfE's table is loaded; both pass axe."""
    sign_in(page, "board@demo.test", PASSWORD)
    page.goto("/performance/measures/sen_support_by_phase/")
    expect(page.get_by_role("heading", name="Beside England")).to_be_visible()
    expect(page.get_by_text("England's figures are not loaded")).to_be_visible()
    assert_accessible(page)

    area = partnership["area"]
    la = (area.la_code, area.old_la_code, area.name)
    import_table(write_sen_phase_type(tmp_path / "sen_phase_type.csv", sen_rows(la)))
    page.reload()
    table = page.get_by_role("table", name="Pupils on SEN support, January census 2024/25")
    expect(table.get_by_role("row", name="State-funded primary 12.1% 32.1%")).to_be_visible()
    expect(
        page.get_by_text("Source: Special educational needs in England, 2024/25")
    ).to_be_visible()
    assert_accessible(page)


def test_a_partner_updates_their_improvement_action(page, partnership):
    sign_in(page, "epmanager@demo.test", PASSWORD)
    page.get_by_role("link", name="Improvement plan").click()
    assert_accessible(page)
    page.get_by_role("link", name="1.1 Clear the EP advice backlog").click()
    assert_accessible(page)
    page.get_by_role("link", name="Update this action").click()
    assert_accessible(page)

    # Saving without a note is refused, with an error summary that links to the field.
    page.get_by_role("button", name="Save the update").click()
    summary = page.locator(".govuk-error-summary")
    assert "Say what has happened since the last update." in summary.inner_text()
    assert_accessible(page)

    page.get_by_label("What has happened since the last update?").fill(
        "Two locum psychologists started; the waiting list is down to 12."
    )
    page.get_by_label("Amber: at risk").check()
    page.get_by_label("In progress").check()
    page.get_by_role("button", name="Save the update").click()
    assert "has been updated" in page.locator(".govuk-notification-banner").inner_text()
    history = page.locator(".everychild-history")
    assert "Two locum psychologists started" in history.inner_text()
    assert "rag: green → amber" in history.inner_text()
    assert_accessible(page)


def test_the_update_works_without_javascript(page_without_js, partnership):
    page = page_without_js
    sign_in(page, "epmanager@demo.test", PASSWORD)
    page.goto(f"/improvement/actions/{partnership['action'].pk}/update/")
    page.get_by_label("What has happened since the last update?").fill("Locums booked.")
    page.get_by_role("button", name="Save the update").click()
    assert "Locums booked." in page.locator(".everychild-history").inner_text()


def test_the_board_pack_is_made_in_the_background_and_the_page_follows_it(page, partnership):
    from everychild.improvement import services as improvement_services
    from everychild.improvement.models import BoardPackRun

    sign_in(page, "board@demo.test", PASSWORD)
    page.goto("/performance/board-pack/")
    assert_accessible(page)
    # A day that has not happened yet is refused, with the reason.
    fill_date(page, "Figures as at", (timezone.localdate() + timedelta(days=5)).isoformat())
    page.get_by_role("button", name="Make the board pack (PDF)").click()
    expect(page.get_by_role("link", name="The day must be today or in the past")).to_be_visible()
    assert_accessible(page)

    # A pack waiting for a worker: the page follows it without being reloaded.
    run = BoardPackRun.objects.create(
        area=partnership["area"], as_at=timezone.localdate(), requested_by=partnership["board"]
    )
    page.goto(f"/performance/board-pack/{run.pk}/")
    expect(page.get_by_text("Waiting to start")).to_be_visible()
    assert_accessible(page)
    improvement_services.make_board_pack(run.pk)
    download = page.get_by_role("link", name="Download the board pack (PDF")
    download.wait_for(state="visible", timeout=15_000)
    expect(page.get_by_text("Ready")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename.startswith("send-board-pack-")
