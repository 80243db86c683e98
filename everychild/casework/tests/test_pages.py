"""The casework pages: caseload, case page, each step's form, team view, breach risk and
search. Forms show GOV.UK error summaries and keep what was typed."""

import datetime as dt
import html
import re

import pytest

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.casework import services
from everychild.casework.models import AssessmentRequest, CaseEvent, Stage
from everychild.casework.tests.conftest import days_ago
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def ddmmyyyy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def decide(client, case, **changes):
    """The panel's decision form sent: to assess, yesterday, unless `changes` say otherwise."""
    answers = {"version": case.version, "decision": "assess", "decided_on": days_ago(1)}
    answers |= {"reasons": "R"} | changes
    answers["decided_on"] = ddmmyyyy(answers["decided_on"])
    return client.post(f"/cases/{case.pk}/decision/", answers)


def test_the_navigation_shows_my_caseload_and_team_to_the_right_people(
    client, caseworker, team_manager
):
    client.force_login(caseworker)
    page = text(client.get("/cases/"))
    assert ">My caseload<" in page and 'href="/cases/team/"' not in page
    client.force_login(team_manager)
    page = text(client.get("/cases/team/"))
    assert 'href="/cases/team/"' in page
    # On the team page, "Team" is current and "My caseload" is not.
    assert re.search(r'href="/cases/team/" aria-current="page"', page)
    assert not re.search(r'href="/cases/" aria-current="page"', page)


def test_recording_a_request_from_the_child_finder(client, caseworker, child):
    client.force_login(caseworker)
    found = client.get("/cases/new/", {"q": child.last_name})
    assert f"/cases/new/?child={child.pk}" in text(found)
    response = client.post(
        f"/cases/new/?child={child.pk}",
        {
            "child": child.pk,
            "source": "2",
            "requested_by": "Jo Smith, SENCO",
            "received_on": ddmmyyyy(days_ago(2)),
            "reason": "Little progress despite support.",
        },
    )
    case = AssessmentRequest.objects.get(child=child)
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/"
    page = text(client.get(response.url))
    assert case.reference in page
    assert "Request for an assessment received" in page


def test_a_bad_request_form_shows_an_error_summary_and_keeps_what_was_typed(
    client, caseworker, child
):
    client.force_login(caseworker)
    response = client.post(
        f"/cases/new/?child={child.pk}",
        {
            "child": child.pk,
            "source": "2",
            "requested_by": "Jo Smith, SENCO",
            "received_on": "31/02/2025",
            "reason": "Little progress despite support.",
        },
    )
    page = text(response)
    assert "There is a problem" in page
    assert "Enter date the request was received as a real date, like 27/3/2025." in page
    assert 'href="#id_received_on-day"' in page
    assert 'value="Jo Smith, SENCO"' in page and "Little progress despite support." in page
    assert "<title>Error: " in response.content.decode()  # the page title says so first (GOV.UK)
    future = ddmmyyyy(days_ago(-3))
    response = client.post(
        f"/cases/new/?child={child.pk}",
        {
            "child": child.pk,
            "source": "2",
            "requested_by": "x",
            "received_on": future,
            "reason": "y",
        },
    )
    assert "cannot be in the future" in text(response)
    # The date typed is kept, in the GOV.UK date input's three boxes.
    day = days_ago(-3)
    for box, typed in (("day", day.day), ("month", day.month), ("year", day.year)):
        assert re.search(rf'name="received_on-{box}"[^>]*value="{typed}"', text(response))
    assert not AssessmentRequest.objects.exists()


def test_the_case_page_shows_the_clock_chronology_and_what_happens_next(client, build, caseworker):
    case = build.decide(build.request(received_days_ago=40), days_after=10)
    build.advice(case)
    client.force_login(caseworker)
    page = text(client.get(f"/cases/{case.pk}/"))
    for part in (
        "Legal dates",
        "Decide whether to carry out an EHC needs assessment",
        "SEND Regulations 2014 reg 13(2)",
        "Issue the final EHC plan",
        "Advice: educational psychology",
        "Decided to assess",
        "Request for an assessment received",
        "What happens next",
        "Psychological advice from",
        "is due by",
    ):
        assert part in page, part
    final_due = case.received_on + dt.timedelta(days=140)
    assert final_due.strftime("%-d %b %Y") in page


def test_the_decision_form_is_for_the_panel_only(client, build, caseworker, decision_maker):
    case = build.request(received_days_ago=10)
    client.force_login(caseworker)
    assert client.get(f"/cases/{case.pk}/decision/").status_code == 403
    client.force_login(decision_maker)
    form = client.get(f"/cases/{case.pk}/decision/")
    assert form.status_code == 200
    assert f'name="version" value="{case.version}"' in text(form)
    response = client.post(
        f"/cases/{case.pk}/decision/",
        {
            "version": case.version,
            "decision": "assess",
            "decided_on": ddmmyyyy(days_ago(1)),
            "reasons": "Evidence of significant needs.",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.ASSESSING


def test_a_refused_step_says_what_to_fix_and_keeps_the_entries(client, build, decision_maker):
    case = build.request(received_days_ago=10)
    client.force_login(decision_maker)
    response = decide(client, case, decided_on=days_ago(20), reasons="My careful reasons")
    page = text(response)
    assert response.status_code == 200
    assert "must be on or after the date the request was received" in page
    assert 'href="#id_decided_on-day"' in page
    assert "My careful reasons" in page
    assert CaseEvent.objects.filter(assessment_request=case).count() == 1


def test_the_whole_journey_by_forms(client, build, caseworker, decision_maker, ep_service):
    case = build.request(received_days_ago=100)
    client.force_login(decision_maker)
    client.post(
        f"/cases/{case.pk}/decision/",
        {"version": 1, "decision": "assess", "decided_on": ddmmyyyy(days_ago(80)), "reasons": "R"},
    )
    client.force_login(caseworker)
    case.refresh_from_db()
    r = client.post(
        f"/cases/{case.pk}/advice/new/",
        {
            "version": case.version,
            "ep-organisation": ep_service.pk,
            "ep-received_by_body_on": ddmmyyyy(days_ago(78)),
        },
    )
    assert r.status_code == 302, text(r)
    case.refresh_from_db()
    advice = case.advice_requests.get()
    r = client.post(
        f"/cases/{case.pk}/advice/{advice.pk}/received/",
        {"version": case.version, "provided_on": ddmmyyyy(days_ago(50))},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    r = client.post(
        f"/cases/{case.pk}/draft-plan/",
        {"version": case.version, "served_on": ddmmyyyy(days_ago(30))},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    r = client.post(
        f"/cases/{case.pk}/final-plan/",
        {"version": case.version, "issued_on": ddmmyyyy(days_ago(5))},
    )
    assert "No decision to issue a plan has been recorded" in text(r)  # nothing written
    # The panel decides to issue (decision 0192).
    client.force_login(decision_maker)
    r = client.post(
        f"/cases/{case.pk}/issue-decision/",
        {
            "version": case.version,
            "decision": "issue",
            "decided_on": ddmmyyyy(days_ago(30)),
            "reasons": "A plan is necessary.",
        },
    )
    assert r.status_code == 302, text(r)
    client.force_login(caseworker)
    case.refresh_from_db()
    r = client.post(
        f"/cases/{case.pk}/final-plan/",
        {"version": case.version, "issued_on": ddmmyyyy(days_ago(5))},
    )
    assert "There is no draft plan to issue" in text(r)  # nothing written
    factories.plan_draft_for(case)
    r = client.post(
        f"/cases/{case.pk}/final-plan/",
        {"version": case.version, "issued_on": ddmmyyyy(days_ago(5))},
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.stage == Stage.PLAN_ISSUED
    page = text(client.get(f"/cases/{case.pk}/"))
    assert "The family had their 15 days" in page
    assert "Final EHC plan issued" in page


def test_the_final_plan_form_refuses_inside_the_comment_window(client, build, caseworker):
    case = build.assessed_to_draft(draft_days_ago=3)
    client.force_login(caseworker)
    response = client.post(
        f"/cases/{case.pk}/final-plan/",
        {"version": case.version, "issued_on": ddmmyyyy(days_ago(0))},
    )
    assert "The family's 15 days to comment on the draft run until" in text(response)
    case.refresh_from_db()
    assert case.stage == Stage.DRAFT_PLAN


# --- The caseload ---------------------------------------------------------------------------


@pytest.fixture
def caseload(build, caseworker, team_manager):
    """Three open cases for the caseworker: one overdue for a decision, one due soon, one
    on track; and one of a colleague."""
    overdue = build.request(received_days_ago=50)  # decision due 8 days ago
    soon = build.request(received_days_ago=37)  # decision due in 5 days
    on_track = build.request(received_days_ago=2)  # decision due in 40 days
    for case in (overdue, soon, on_track):
        services.allocate(actor=team_manager, case=case, version=None, caseworker=caseworker)
    colleague = factories.make_user(Role.CASEWORKER, caseworker.memberships.get().organisation)
    theirs = build.request(received_days_ago=45)
    services.allocate(actor=team_manager, case=theirs, version=None, caseworker=colleague)
    return {"overdue": overdue, "soon": soon, "on_track": on_track, "theirs": theirs}


def _order(page: str, cases) -> list[str]:
    positions = sorted(
        (page.index(c.child.last_name), name)
        for name, c in cases.items()
        if c.child.last_name in page
    )
    return [name for _, name in positions]


def test_my_caseload_lists_my_open_cases_what_needs_doing_first(client, caseworker, caseload):
    client.force_login(caseworker)
    page = text(client.get("/cases/"))
    assert _order(page, caseload) == ["overdue", "soon", "on_track"]
    assert "1 overdue" in page and "1 due within 10 days" in page and "1 on track" in page
    assert "8 days late" in page and "5 days left" in page


def test_the_caseload_sorts_and_filters(client, caseworker, caseload):
    client.force_login(caseworker)
    received = text(client.get("/cases/", {"sort": "received"}))
    assert _order(received, caseload) == ["overdue", "soon", "on_track"]
    due = text(client.get("/cases/", {"sort": "due"}))
    assert _order(due, caseload) == ["overdue", "soon", "on_track"]
    assert _order(text(client.get("/cases/", {"status": "due_soon"})), caseload) == ["soon"]
    everyone = text(client.get("/cases/", {"show": "all"}))
    assert set(_order(everyone, caseload)) == {"overdue", "soon", "on_track", "theirs"}
    found = text(client.get("/cases/", {"show": "all", "q": caseload["theirs"].child.last_name}))
    assert _order(found, caseload) == ["theirs"]
    # Unknown filter values are ignored, not errors.
    assert client.get("/cases/", {"sort": "nonsense", "show": "x"}).status_code == 200


def test_the_caseload_audits_each_child_shown(client, caseworker, caseload):
    client.force_login(caseworker)
    before = AuditEntry.objects.count()
    client.get("/cases/")
    shown = AuditEntry.objects.filter(
        seq__gt=before, action="view", record_type="casework.AssessmentRequest"
    )
    assert {e.child_id for e in shown} == {
        caseload[k].child_id for k in ("overdue", "soon", "on_track")
    }


# --- Team and breach risk -------------------------------------------------------------------


def test_the_team_view_shows_unallocated_requests_and_caseloads(
    client, team_manager, build, caseload
):
    waiting = build.request(received_days_ago=3)
    client.force_login(team_manager)
    page = text(client.get("/cases/team/"))
    assert waiting.child.last_name in page
    assert "Casey Worker" in page
    response = client.post(
        f"/cases/{waiting.pk}/allocate/",
        {"version": waiting.version, "caseworker": team_manager.pk, "next": "team"},
    )
    assert response.status_code == 302 and response.url == "/cases/team/"
    waiting.refresh_from_db()
    assert waiting.caseworker == team_manager


def test_allocating_with_no_caseworker_chosen_shows_the_error_on_that_childs_row(
    client, team_manager, build, monkeypatch
):
    from everychild.casework import views

    # Its row on the second page: the page shown again is the one holding it.
    monkeypatch.setattr(views, "UNALLOCATED_PAGE_SIZE", 1)
    build.request(received_days_ago=30)  # what needs doing first: the first page
    waiting = build.request(received_days_ago=3)
    AssessmentRequest.objects.update(caseworker=None)
    waiting.refresh_from_db()
    client.force_login(team_manager)
    response = client.post(
        f"/cases/{waiting.pk}/allocate/",
        {"version": waiting.version, "caseworker": "", "next": "team"},
    )
    assert response.status_code == 400
    page = text(response)
    summary = page[page.index("govuk-error-summary") : page.index("<h1")]
    message = f"Choose a caseworker for {waiting.child.full_name}."
    assert f'<a href="#caseworker-{waiting.pk}">{message}</a>' in summary
    assert f'id="caseworker-{waiting.pk}"' in page  # the link lands on the row's select
    assert re.search(
        rf'<select class="govuk-select govuk-select--error" id="caseworker-{waiting.pk}"', page
    )
    assert "govuk-form-group--error" in page and f"</span> {message}</p>" in page
    assert page.count("govuk-select--error") == 1
    assert "<title>Error: Team" in page
    waiting.refresh_from_db()
    assert waiting.caseworker is None
    assert not AssessmentRequest.objects.filter(caseworker__isnull=False).exists()


def test_team_pages_are_for_managers(client, caseworker, decision_maker):
    for user in (caseworker, decision_maker):
        client.force_login(user)
        assert client.get("/cases/team/").status_code == 403
        assert client.get("/cases/team/breach-risk/").status_code == 403


def test_the_breach_risk_list_orders_by_days_remaining(client, team_manager, build, caseload):
    # A case whose draft must go within 3 days for the family's 15 days to end in time.
    tight = build.decide(build.request(received_days_ago=122), days_after=20)
    client.force_login(team_manager)
    page = text(client.get("/cases/team/breach-risk/"))
    assert tight.child.last_name in page
    assert caseload["soon"].child.last_name in page
    assert caseload["overdue"].child.last_name not in page  # already missed: another list
    assert page.index(tight.child.last_name) < page.index(caseload["soon"].child.last_name)
    missed = text(client.get("/cases/team/breach-risk/", {"show": "missed"}))
    assert caseload["overdue"].child.last_name in missed
    assert tight.child.last_name not in missed


# --- Search -------------------------------------------------------------------------------


def test_search_finds_cases_by_name_upn_date_of_birth_and_reference(client, caseworker, build):
    case = build.request()
    other = build.request()
    client.force_login(caseworker)
    child = case.child
    for query in (child.last_name, child.upn, ddmmyyyy(child.date_of_birth), case.reference):
        page = text(client.get("/cases/search/", {"q": query}))
        assert f'href="/cases/{case.pk}/"' in page, query
        assert f'href="/cases/{other.pk}/"' not in page, query


def test_search_shows_nothing_of_another_area(client, area, other_area, build):
    case = build.request()
    elsewhere = factories.make_user(Role.CASEWORKER, area=other_area)
    client.force_login(elsewhere)
    page = text(client.get("/cases/search/", {"q": case.child.last_name}))
    assert case.reference not in page
    assert "No cases you can see match" in page


# --- Notes ----------------------------------------------------------------------------------


def test_adding_a_note(client, caseworker, build):
    case = build.request()
    client.force_login(caseworker)
    response = client.post(f"/cases/{case.pk}/notes/", {"text": "Called the school."})
    assert response.status_code == 302
    assert "Called the school." in text(client.get(f"/cases/{case.pk}/"))
    empty = client.post(f"/cases/{case.pk}/notes/", {"text": ""})
    assert empty.status_code == 400 and "Enter the note." in text(empty)


def test_too_long_an_answer_is_named_with_its_limit_grouped(client, build, decision_maker):
    # A textarea counts a line break as one character and the server as two ("\r\n"), so a
    # reason the browser let through can still be too long here.
    case = build.request(received_days_ago=10)
    client.force_login(decision_maker)
    response = decide(client, case, reasons="Needs.\r\n" * 626)
    page = text(response)
    assert "Reasons for the decision must be 5,000 characters or fewer." in page
    assert "Ensure this value" not in page
    too_long_a_note = client.post(f"/cases/{case.pk}/notes/", {"text": "n" * 5001})
    assert "The note must be 5,000 characters or fewer." in text(too_long_a_note)


def test_unknown_codes_in_a_form_are_refused_with_what_to_do(client, build, decision_maker):
    case = build.request(received_days_ago=10)
    client.force_login(decision_maker)
    response = decide(client, case, decision="perhaps")
    assert "Choose one of the options listed." in text(response)
    empty = client.post(f"/cases/{case.pk}/decision/", {"version": case.version})
    page = text(empty)
    assert "Choose the decision." in page and "Enter date of the decision." in page
    case.refresh_from_db()
    assert case.decision == ""
