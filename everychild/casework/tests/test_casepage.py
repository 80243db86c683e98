"""Issue 20, caseworkers and managers: the case page leads with the family and what happens
next; advice is asked of several bodies in one form; a manager reallocates several cases at
once; the breach-risk list shows two figures, never a negative "days left"; the draft plan
workspace leads with the next legal step and asks before removing."""

import html
import re

import pytest
from django.core.exceptions import ValidationError

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.casework import services
from everychild.casework.models import AdviceRequest, AssessmentRequest, CaseEvent
from everychild.casework.services import CaseChanged
from everychild.casework.tests.conftest import days_ago
from everychild.plans.models import PlanVersion
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


def ddmmyyyy(day) -> str:
    return day.strftime("%d/%m/%Y")


# --- 1. The case page ---------------------------------------------------------------------


def test_the_case_page_puts_the_family_and_what_happens_next_before_the_upload_form(
    client, build, caseworker
):
    case = build.decide(build.request(received_days_ago=40), days_after=10)
    client.force_login(caseworker)
    page = text(client.get(f"/cases/{case.pk}/"))
    nav = re.search(r'<nav class="everychild-sub-navigation".*?</nav>', page, re.S).group(0)
    labels = re.findall(r'href="#([a-z-]+)"', nav)
    assert labels == [
        "overview",
        "advice",
        "documents",
        "letters",
        "chronology",
        "notes",
        "details",
    ]
    for anchor in labels:  # every link lands on a part of the page
        assert f'id="{anchor}"' in page, anchor
    order = [
        page.index('id="next"'),  # what happens next
        page.index('id="family"'),  # the family's messages, views and comments
        page.index('id="legal-dates"'),
        page.index('id="advice"'),
        page.index('id="documents"'),
        page.index('name="file"'),  # the upload form
    ]
    assert order == sorted(order)
    assert "{#" not in page  # no template comment shows as text


# --- 2. Advice from several bodies ---------------------------------------------------------


@pytest.fixture
def bodies(area):
    return {
        "ep": factories.EPServiceFactory(area=area, name="Testfield EP Service"),
        "health": factories.NHSProviderFactory(area=area, name="Testfield Community Health"),
        "social_care": factories.SocialCareFactory(area=area, name="Testfield Children's Care"),
        "school": factories.SchoolFactory(area=area, name="Oakfield Primary"),
        "other_school": factories.SchoolFactory(area=area, name="Elm Academy"),
    }


def assessing(build, bodies):
    child = factories.ChildFactory(area=build.area, current_setting=bodies["school"])
    return build.decide(build.request(child, received_days_ago=40), days_after=10)


def test_the_advice_form_filters_each_list_and_starts_at_the_childs_setting(
    client, build, caseworker, bodies
):
    case = assessing(build, bodies)
    client.force_login(caseworker)
    page = text(client.get(f"/cases/{case.pk}/advice/new/"))

    def options(name):
        select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
        return re.findall(r"<option[^>]*>([^<]*)</option>", select), select

    health, _ = options("health-organisation")
    assert "Testfield Community Health" in health
    assert "Testfield EP Service" not in health and "Oakfield Primary" not in health
    education, select = options("education-organisation")
    assert "Testfield EP Service" not in education and "Elm Academy" in education
    assert re.search(rf'value="{bodies["school"].pk}" selected', select)


def test_advice_is_asked_of_several_bodies_in_one_go(client, build, caseworker, bodies):
    case = assessing(build, bodies)
    client.force_login(caseworker)
    sent = ddmmyyyy(days_ago(25))
    response = client.post(
        f"/cases/{case.pk}/advice/new/",
        {
            "version": case.version,
            "ep-organisation": bodies["ep"].pk,
            "ep-received_by_body_on": sent,
            "health-organisation": bodies["health"].pk,
            "health-received_by_body_on": sent,
            "education-organisation": bodies["school"].pk,
            "education-received_by_body_on": sent,
            "social_care-organisation": "",
            "social_care-received_by_body_on": sent,  # no body chosen: not sent
        },
    )
    assert response.status_code == 302, text(response)
    asked = AdviceRequest.objects.filter(assessment_request=case)
    assert sorted(asked.values_list("kind", flat=True)) == ["education", "ep", "health"]
    assert {a.received_by_body_on for a in asked} == {days_ago(25)}
    events = CaseEvent.objects.filter(assessment_request=case, kind="advice_requested")
    assert events.count() == 3
    assert AuditEntry.objects.filter(record_type="casework.AdviceRequest").count() == 3
    case.refresh_from_db()
    page = text(client.get(f"/cases/{case.pk}/"))
    assert "Testfield Community Health" in page and "Oakfield Primary" in page


def test_a_bad_row_sends_nothing_and_each_error_names_its_row(client, build, caseworker, bodies):
    case = assessing(build, bodies)
    client.force_login(caseworker)
    response = client.post(
        f"/cases/{case.pk}/advice/new/",
        {
            "version": case.version,
            "ep-organisation": bodies["ep"].pk,
            "ep-received_by_body_on": ddmmyyyy(days_ago(25)),
            "health-organisation": bodies["health"].pk,
            "health-received_by_body_on": "31/02/2025",
            "social_care-organisation": bodies["social_care"].pk,
            "social_care-received_by_body_on": "",
        },
    )
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert 'href="#id_health-received_by_body_on-day"' in page
    assert "the request for health advice was sent as a real date" in page
    assert 'href="#id_social_care-received_by_body_on-day"' in page
    assert "Enter the date the request for social care advice was sent." in page
    assert not AdviceRequest.objects.exists()
    # And a refusal from the service (a date before the decision) is shown on its row.
    response = client.post(
        f"/cases/{case.pk}/advice/new/",
        {
            "version": case.version,
            "ep-organisation": bodies["ep"].pk,
            "ep-received_by_body_on": ddmmyyyy(days_ago(25)),
            "health-organisation": bodies["health"].pk,
            "health-received_by_body_on": ddmmyyyy(days_ago(39)),
        },
    )
    assert 'href="#id_health-received_by_body_on-day"' in text(response)
    assert "Health advice: " in text(response)  # the summary names the row
    assert not AdviceRequest.objects.exists()  # the psychologist's row was undone too


def test_nothing_chosen_says_so(client, build, caseworker, bodies):
    case = assessing(build, bodies)
    client.force_login(caseworker)
    page = text(client.post(f"/cases/{case.pk}/advice/new/", {"version": case.version}))
    assert "Choose at least one body to ask for advice." in page
    assert 'href="#id_ep-organisation"' in page


def test_asking_several_is_all_or_none_in_the_service(build, caseworker, bodies):
    case = assessing(build, bodies)
    with pytest.raises(ValidationError) as refused:
        services.request_advice_from_several(
            actor=caseworker,
            case=case,
            version=case.version,
            requests=[
                {
                    "row": "ep",
                    "kind": "ep",
                    "organisation": bodies["ep"],
                    "received_by_body_on": days_ago(20),
                },
                {
                    "row": "health",
                    "kind": "health",
                    "organisation": bodies["school"],  # a school cannot give health advice
                    "received_by_body_on": days_ago(20),
                },
            ],
        )
    assert list(refused.value.message_dict) == ["health-organisation"]
    assert not AdviceRequest.objects.exists()
    assert not CaseEvent.objects.filter(kind="advice_requested").exists()
    with pytest.raises(CaseChanged):
        services.request_advice_from_several(
            actor=caseworker,
            case=case,
            version=case.version - 1,
            requests=[
                {
                    "row": "ep",
                    "kind": "ep",
                    "organisation": bodies["ep"],
                    "received_by_body_on": days_ago(20),
                }
            ],
        )


# --- 3. Reallocating several cases ----------------------------------------------------------


@pytest.fixture
def leaver(la):
    return factories.make_user(Role.CASEWORKER, la, full_name="Lee Leaving")


def held_by(build, person, n):
    cases = []
    for _ in range(n):
        case = build.request(received_days_ago=20)
        cases.append(
            services.allocate(actor=build.team_manager, case=case, version=None, caseworker=person)
        )
    return cases


@pytest.fixture
def managed_build(build, team_manager):
    build.team_manager = team_manager
    return build


def test_a_manager_reallocates_several_cases_after_checking(
    client, managed_build, team_manager, leaver, caseworker
):
    cases = held_by(managed_build, leaver, 3)
    client.force_login(team_manager)
    listing = text(client.get("/cases/team/reallocate/", {"from": leaver.pk}))
    for case in cases:
        assert case.reference in listing
    chosen = {
        "from": leaver.pk,
        "cases": [cases[0].pk, cases[1].pk],
        "caseworker": caseworker.pk,
        **{f"version-{c.pk}": c.version for c in cases},
    }
    check = client.post("/cases/team/reallocate/", chosen)
    page = text(check)
    assert "Reallocate 2 cases to Casey Worker?" in page
    assert AssessmentRequest.objects.filter(caseworker=caseworker).count() == 0  # not yet
    done = client.post("/cases/team/reallocate/", {**chosen, "confirm": "yes"})
    assert done.status_code == 302 and done.url == "/cases/team/"
    moved = AssessmentRequest.objects.filter(caseworker=caseworker)
    assert set(moved.values_list("pk", flat=True)) == {cases[0].pk, cases[1].pk}
    for case in cases[:2]:
        event = CaseEvent.objects.filter(assessment_request=case, kind="caseworker_allocated")
        assert "reallocated" in event.latest("pk").summary
    assert "2 cases reallocated to Casey Worker." in text(client.get(done.url))


def test_reallocation_is_all_or_none_and_checks_each_case_version(
    client, managed_build, team_manager, leaver, caseworker
):
    cases = held_by(managed_build, leaver, 2)
    already = held_by(managed_build, caseworker, 1)[0]
    with pytest.raises(ValidationError) as refused:
        services.reallocate_cases(
            actor=team_manager,
            cases=[(c, c.version) for c in [*cases, already]],
            caseworker=caseworker,
        )
    assert f"{already.reference}: The case is already allocated to Casey Worker." in (
        refused.value.messages
    )
    assert AssessmentRequest.objects.filter(caseworker=leaver).count() == 2  # none moved
    # Someone changed a case since the manager chose it: nothing moves, the page says so.
    services.add_note(actor=leaver, case=cases[1], text="Called the family.")
    stale = cases[0].version
    services.update_request(
        actor=leaver,
        case=cases[0],
        version=cases[0].version,
        source=cases[0].source,
        requested_by="Jo Smith, SENCO at Oakfield",
        received_on=cases[0].received_on,
        reason=cases[0].reason,
    )
    client.force_login(team_manager)
    response = client.post(
        "/cases/team/reallocate/",
        {
            "cases": [c.pk for c in cases],
            "caseworker": caseworker.pk,
            "confirm": "yes",
            f"version-{cases[0].pk}": stale,
            f"version-{cases[1].pk}": cases[1].version,
        },
    )
    assert response.status_code == 409
    assert "changed since you opened this page: nothing has been reallocated" in text(response)
    assert 'href="#id_cases_0"' in text(response)
    # The manager's choice is kept, and each box says it is in error (as Django's own would).
    page = response.content.decode()
    for case in cases:
        box = re.search(rf'<input[^>]*name="cases" value="{case.pk}"[^>]*>', page).group(0)
        assert " checked" in box
        assert 'aria-invalid="true"' in box
    assert AssessmentRequest.objects.filter(caseworker=leaver).count() == 2


def test_reallocating_is_for_managers(client, caseworker):
    client.force_login(caseworker)
    assert client.get("/cases/team/reallocate/").status_code == 403


# --- 4. Breach risk: two figures ----------------------------------------------------------


def test_the_breach_risk_list_never_shows_a_negative_days_left(client, build, team_manager):
    # Decided long ago and no draft served: too late to serve it with the family's 15 days
    # before week 20, but week 20 itself is still ahead.
    late = build.decide(build.request(received_days_ago=130), days_after=20)
    client.force_login(team_manager)
    page = text(client.get("/cases/team/breach-risk/"))
    row = re.search(rf"{late.reference}.*?</tr>", page, re.S).group(0)
    assert re.search(r"\d+ days? past it", row)
    assert re.search(r"\d+ days? to the limit", row)
    assert not re.search(r">\s*-\d", row)
    assert "Days left" not in page


# --- 5. The draft plan workspace ------------------------------------------------------------


def test_the_draft_workspace_leads_with_serving_the_draft(client, build, caseworker):
    case = build.decide(build.request(received_days_ago=60), days_after=10)
    advice = build.advice(case)
    build.provided(advice, days_after=10)
    client.force_login(caseworker)
    client.post(f"/plans/case/{case.pk}/")
    page = text(client.get(f"/plans/case/{case.pk}/"))
    assert re.search(r'class="govuk-button" [^>]*href="/cases/\d+/draft-plan/"', page)
    assert "Serve the draft plan on the family" in page
    assert "Issue the final plan" not in page
    # Section K says how many pieces of advice it lists.
    assert "Lists 1 piece of advice" in page


def test_the_final_plan_is_offered_only_when_the_15_days_allow(client, build, caseworker):
    early = build.assessed_to_draft(received_days_ago=100, draft_days_ago=3)
    client.force_login(caseworker)
    page = text(client.get(f"/plans/case/{early.pk}/"))
    assert "Issue the final plan" not in page
    assert "family's 15 days to comment end on" in page
    done = build.assessed_to_draft(received_days_ago=120, draft_days_ago=30)
    page = text(client.get(f"/plans/case/{done.pk}/"))
    assert re.search(r'govuk-button--secondary"[^>]*href="/cases/\d+/final-plan/"', page)


def test_remove_asks_first(client, build, caseworker):
    case = build.assessed_to_draft(received_days_ago=100, draft_days_ago=3)
    draft = PlanVersion.objects.get(document__assessment_request=case)
    need = draft.sections["B"]["needs"][0]
    url = f"/plans/draft/{draft.pk}/B/{need['id']}/remove/"
    client.force_login(caseworker)
    workspace = text(client.get(f"/plans/case/{case.pk}/"))
    assert f'href="{url}"' in workspace
    confirm = client.get(url)
    assert "Remove this from section B?" in text(confirm) and need["text"] in text(confirm)
    draft.refresh_from_db()
    assert need["id"] in [n["id"] for n in draft.sections["B"]["needs"]]  # not yet
    assert client.post(url).status_code == 302
    draft.refresh_from_db()
    assert need["id"] not in [n["id"] for n in draft.sections["B"]["needs"]]
