"""The data team's page: run every rule on the area's current data (as a background job, issue
21), see failures by check and by caseworker, and jump to each child's record. Deny by default;
every child listed audited."""

import re
from datetime import date

import pytest
import time_machine

from everychild.access.models import AuditAction, AuditEntry
from everychild.accounts.models import Role
from everychild.casework.models import Decision, Stage
from everychild.core.models import JobRun
from everychild.testing import factories

pytestmark = pytest.mark.django_db
D = date.fromisoformat
URL = "/returns/sen2/"


@pytest.fixture(autouse=True)
def _late_in_2026():
    # The return being prepared is 2027's (census on 21 January 2027).
    with time_machine.travel("2026-11-27 10:00", tick=False):
        yield


@pytest.fixture
def _checked(client, django_capture_on_commit_callbacks):
    """Press "Run the checks", let the job run as the transaction commits (the immediate task
    backend the tests use), and open the result."""

    def press(year="2027", **query) -> str:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(URL, {"year": year})
        assert response.status_code == 302, response.content.decode()[:500]
        return client.get(response["Location"], query).content.decode()

    return press


@pytest.fixture
def records(area, caseworker):
    """Three children: one whose plan should have ended (an error, Casey's case), one whose
    review is overdue (a warning, no caseworker: a plan from before the records), one fine."""
    too_old = factories.ChildFactory(area=area, first_name="Olive", date_of_birth=D("1999-06-01"))
    case = factories.AssessmentRequestFactory(
        child=too_old, caseworker=caseworker, received_on=D("2023-09-04"),
        decision=Decision.ASSESS, decision_on=D("2023-10-09"),
        draft_plan_served_on=D("2023-12-01"), final_plan_issued_on=D("2024-01-10"),
        stage=Stage.PLAN_ISSUED,
    )  # fmt: skip
    factories.EHCPlanFactory(child=too_old, assessment_request=case, issued_on=D("2024-01-10"),
                             last_review_meeting_on=D("2026-06-01"))  # fmt: skip
    overdue = factories.ChildFactory(area=area, first_name="Wren", date_of_birth=D("2012-03-01"))
    factories.EHCPlanFactory(child=overdue, issued_on=D("2020-01-06"))
    fine = factories.ChildFactory(area=area, first_name="Finn", date_of_birth=D("2015-03-01"))
    factories.EHCPlanFactory(child=fine, issued_on=D("2025-06-02"),
                             last_review_meeting_on=D("2026-05-20"))  # fmt: skip
    return {"too_old": too_old, "overdue": overdue, "fine": fine}


def test_the_page_offers_the_returns_to_check(client, team_manager):
    client.force_login(team_manager)
    text = client.get(URL).content.decode()
    assert "Check the SEN2 return" in text
    assert "2027 return (requests and plans in 2026, caseload in January 2027)" in text
    assert "By check" not in text


def test_failures_are_listed_by_check_and_by_caseworker_with_links(
    client, team_manager, records, _checked
):
    client.force_login(team_manager)
    text = _checked()
    assert "2027 return for Bournemouth, Christchurch and Poole" in text
    assert "census date 21 January 2027" in text
    assert "must be corrected before the return is sent" in text
    assert "SEN2-105" in text and "26 or older on the reference date" in text
    assert "SEN2-802" in text and "annual review is overdue" in text
    too_old, overdue, fine = records["too_old"], records["overdue"], records["fine"]
    assert f'href="/children/{too_old.pk}/"' in text
    assert f'href="/children/{overdue.pk}/"' in text
    assert f'href="/children/{fine.pk}/"' not in text
    # Casey's error comes first; the plan from before the records has no caseworker.
    assert text.index("Casey Worker") < text.index("No caseworker")
    assert "Persons › Person" not in text and "Requests 1 › ActivePlans 1" in text


def test_choosing_a_check_lists_only_its_failures(client, team_manager, records, _checked):
    client.force_login(team_manager)
    text = _checked(rule="SEN2-802")
    assert "Failures of SEN2-802" in text
    assert f'href="/children/{records["overdue"].pk}/"' in text
    assert f'href="/children/{records["too_old"].pk}/"' not in text
    # The tables still count everything.
    assert "SEN2-105" in text


def test_an_area_with_no_problems_is_told_so(client, caseworker, area, _checked):
    child = factories.ChildFactory(area=area, date_of_birth=D("2015-03-01"))
    factories.EHCPlanFactory(child=child, issued_on=D("2025-06-02"),
                             last_review_meeting_on=D("2026-05-20"))  # fmt: skip
    client.force_login(caseworker)
    text = _checked()
    assert "Every check passed" in text


def test_a_return_not_offered_is_an_error_with_a_summary(client, team_manager):
    client.force_login(team_manager)
    text = client.post(URL, {"year": "1999"}).content.decode()
    assert "There is a problem" in text and 'href="#id_year_0"' in text
    assert "Choose one of the returns listed." in text
    assert "<title>Error: " in text  # GOV.UK: the title says so first


def test_each_child_listed_is_audited(client, team_manager, records, _checked):
    client.force_login(team_manager)
    _checked()
    entries = AuditEntry.objects.filter(action=AuditAction.SEARCH, actor=team_manager)
    assert {e.child_id for e in entries} == {records["too_old"].pk, records["overdue"].pk}
    assert {e.reason for e in entries} == {"SEN2 2027 checks"}


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.TEAM_MANAGER, 200),
        (Role.CASEWORKER, 200),
        (Role.DECISION_MAKER, 403),
        (Role.EDUCATIONAL_PSYCHOLOGIST, 403),
        (Role.SENCO, 403),
        (Role.PARENT, 403),
        (Role.BOARD_MEMBER, 403),
        (Role.FINANCE_OFFICER, 403),
        (Role.SYSTEM_ADMINISTRATOR, 403),
    ],
)
def test_only_the_las_casework_staff_may_check_the_return(client, area, role, status):
    client.force_login(factories.make_user(role, area=area))
    assert client.post(URL, {"year": "2027"}).status_code == (302 if status == 200 else status)
    assert JobRun.objects.exists() == (status == 200)


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/")


def test_staff_of_another_area_check_only_their_own(client, records, other_area, _checked):
    elsewhere = factories.make_user(Role.TEAM_MANAGER, area=other_area)
    client.force_login(elsewhere)
    text = _checked()
    assert f"2027 return for {other_area.name}" in text
    assert records["too_old"].last_name not in text


def test_the_navigation_offers_the_page_to_those_who_may_use_it(client, area):
    for role, offered in ((Role.TEAM_MANAGER, True), (Role.CASEWORKER, True),
                          (Role.BOARD_MEMBER, False)):  # fmt: skip
        client.force_login(factories.make_user(role, area=area))
        text = client.get("/").content.decode()
        assert (f'href="{URL}"' in text) == offered, role


def test_running_the_checks_without_choosing_a_return_asks_for_one(client, team_manager):
    client.force_login(team_manager)
    text = client.post(URL, {}).content.decode()
    assert "There is a problem" in text and "Choose the return to check." in text


# --- the checks as a background job (issue 21: no heavy work in a web request) ----------------


def test_pressing_the_button_only_queues_the_checks(client, team_manager, records):
    """The request records the run and returns; the work waits for the task worker."""
    client.force_login(team_manager)
    response = client.post(URL, {"year": "2027"})  # on-commit callbacks not run: no worker
    run = JobRun.objects.get()
    assert response["Location"] == f"/returns/sen2/checks/{run.pk}/"
    assert (run.status, run.requested_by, run.params["year"]) == ("queued", team_manager, 2027)
    text = client.get(response["Location"]).content.decode()
    assert "Waiting to start" in text and "Check again" in text and "SEN2-105" not in text
    assert "<script" not in text.split("<main")[1].split("</main>")[0]  # no script needed
    assert not AuditEntry.objects.filter(action=AuditAction.SEARCH).exists()


def test_a_second_press_while_it_runs_shows_the_run_already_started(client, area, team_manager):
    client.force_login(team_manager)
    first = client.post(URL, {"year": "2027"})
    colleague = factories.make_user(Role.CASEWORKER, area=area)
    client.force_login(colleague)
    second = client.post(URL, {"year": "2027"})
    assert second["Location"] == first["Location"]
    assert JobRun.objects.count() == 1
    # Another return is another run.
    client.post(URL, {"year": "2026"})
    assert JobRun.objects.count() == 2


def test_once_done_a_press_starts_a_fresh_run(client, team_manager, _checked):
    client.force_login(team_manager)
    _checked()
    _checked()
    assert list(JobRun.objects.values_list("status", flat=True)) == ["done", "done"]


def test_the_result_is_kept_with_who_ran_it_and_when_and_listed(client, team_manager, records,
                                                                _checked):  # fmt: skip
    client.force_login(team_manager)
    text = _checked()
    assert "Started by Tess Manager at 27 November 2026, 10:00" in text
    assert "SEN2-105" in text
    # Opening it again later shows the same result without running anything.
    run = JobRun.objects.get()
    listed = client.get(URL).content.decode()
    assert f'href="/returns/sen2/checks/{run.pk}/"' in listed and "Finished" in listed
    assert "SEN2-105" in client.get(f"/returns/sen2/checks/{run.pk}/").content.decode()


def test_a_run_that_fails_says_so(client, team_manager, _checked, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("everychild.returns.selectors.export_return", broken)
    client.force_login(team_manager)
    _checked()  # the task framework records the failed task and logs its traceback
    run = JobRun.objects.get()
    text = client.get(f"/returns/sen2/checks/{run.pk}/").content.decode()
    assert "The checks could not finish" in text and "(RuntimeError)" in text
    assert "disk full" not in text  # the log has the detail, not the page


def test_another_areas_run_cannot_be_opened(client, team_manager, area, other_area, _checked):
    client.force_login(team_manager)
    _checked()
    run = JobRun.objects.get()
    client.force_login(factories.make_user(Role.TEAM_MANAGER, area=other_area))
    assert client.get(f"/returns/sen2/checks/{run.pk}/").status_code == 404
    assert f"/returns/sen2/checks/{run.pk}/" not in client.get(URL).content.decode()
    client.force_login(factories.make_user(Role.BOARD_MEMBER, area=area))
    assert client.get(f"/returns/sen2/checks/{run.pk}/").status_code == 403


def test_a_few_failures_of_each_caseworker_are_listed_and_more_of_one_check(
    client, team_manager, area, records, _checked, monkeypatch
):
    from everychild.returns import selectors

    monkeypatch.setattr(selectors, "SHOWN_PER_CASEWORKER", 1)
    monkeypatch.setattr(selectors, "SHOWN_PER_CASEWORKER_ONE_CHECK", 2)
    for name in ("Ada", "Bea", "Cy"):  # three more reviews overdue, no caseworker
        child = factories.ChildFactory(area=area, first_name=name, date_of_birth=D("2012-03-01"))
        factories.EHCPlanFactory(child=child, issued_on=D("2020-01-06"))
    client.force_login(team_manager)
    before = AuditEntry.objects.count()
    every = _checked()
    listed = re.findall(r'href="/children/(\d+)/"', every)
    assert len(listed) == 2  # one for Casey, one of the four without a caseworker
    assert "The first 1 are listed; 3 more are not: choose a check above to see them." in every
    assert AuditEntry.objects.filter(seq__gt=before, record_type="children.Child").count() == 2
    overdue_rule = re.search(r"\?rule=(SEN2-[0-9A-Z]+)#listed", every)
    codes = re.findall(r"\?rule=(SEN2-[0-9A-Z]+)#listed", every)
    assert overdue_rule and len(codes) == 2
    one = _checked(rule=codes[-1])
    assert len(re.findall(r'href="/children/(\d+)/"', one)) == 2
    assert "2 more are not" in one
