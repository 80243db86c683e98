"""The plan pages: each renders for those who may see it, and is not found for others."""

import pytest

from everychild.accounts.models import Role
from everychild.plans import services
from everychild.plans.models import PlanVersion
from everychild.plans.tests.conftest import days_ago
from everychild.testing import factories


def body(response) -> str:
    return response.content.decode()


@pytest.fixture
def plan(area, school):
    return factories.issued_plan(
        factories.ChildFactory(area=area, current_setting=school), issued_on=days_ago(400)
    )


def test_every_page_renders_for_the_caseworker(client, caseworker, plan, case_at_draft):
    client.force_login(caseworker)
    services.draft_for_case(actor=caseworker, case=case_at_draft)
    draft = services.start_amendment(actor=caseworker, plan=plan, reason="other")
    item = services.record_disagreement(
        actor=caseworker, plan=plan, decision_disputed="School", decision_letter_on=days_ago(10)
    )
    services.record_tribunal_order(
        actor=caseworker, disagreement=item, kind="make_plan", ordered_on=days_ago(5)
    )
    for url in [
        "/plans/",
        "/plans/reviews/",
        "/plans/phase-transfers/",
        "/plans/disagreements/",
        f"/plans/disagreements/{item.pk}/",
        f"/plans/case/{case_at_draft.pk}/",
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/amendment/",
        f"/plans/{plan.pk}/compare/",
        f"/plans/{plan.pk}/versions/1/",
        f"/plans/{plan.pk}/review/",
        f"/plans/{plan.pk}/cease/",
        f"/plans/{plan.pk}/disagreements/new/",
        *[
            f"/plans/draft/{draft.pk}/{key}/"
            for key in ("A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J")
        ],
        f"/plans/draft/{draft.pk}/issue/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    # The PDF is made in the background (test_pdf_jobs.py): the page offers to make it.
    assert "Make the PDF" in body(client.get(f"/plans/{plan.pk}/versions/1/pdf"))


def test_a_caseworker_of_another_area_finds_nothing(client, other_area, plan):
    other = factories.make_user(Role.CASEWORKER, factories.LocalAuthorityFactory(area=other_area))
    client.force_login(other)
    for url in (
        f"/plans/{plan.pk}/",
        f"/plans/{plan.pk}/versions/1/pdf",
        f"/plans/{plan.pk}/review/",
    ):
        assert client.get(url).status_code == 404
    assert plan.child.full_name not in body(client.get("/plans/reviews/"))


def test_the_senco_sees_their_pupils_reviews_and_no_plan_pages(client, school, plan):
    senco = factories.make_user(Role.SENCO, school)
    client.force_login(senco)
    page = body(client.get("/plans/reviews/my-pupils/"))
    assert plan.child.full_name in page and "overdue" in page
    assert client.get(f"/plans/{plan.pk}/review/").status_code == 200
    assert client.get(f"/plans/{plan.pk}/").status_code == 403


def test_the_review_backlog_links_a_senco_only_to_pages_they_may_open(
    client, school, plan, caseworker
):
    """A meeting held and the council's decision awaited: the SENCO sees the pupil's name but
    no link to the casework pages behind it; the caseworker gets the links."""
    import re

    from everychild.plans.models import AnnualReview

    review = AnnualReview.objects.create(
        plan=plan, due_on=days_ago(36), meeting_on=days_ago(40), recommendation="maintain"
    )
    client.force_login(factories.make_user(Role.SENCO, school))
    page = body(client.get("/plans/reviews/"))
    assert plan.child.full_name in page and f"/plans/reviews/{review.pk}/" not in page
    for href in set(re.findall(r'href="(/plans/[^"]*)"', page)):
        assert client.get(href).status_code != 403, href
    client.force_login(caseworker)
    page = body(client.get("/plans/reviews/"))
    assert f"/plans/reviews/{review.pk}/" in page and f'href="/plans/{plan.pk}/"' in page


def test_adding_provision_with_no_quantity_is_saved_and_flagged(client, caseworker, plan):
    client.force_login(caseworker)
    draft = services.start_amendment(actor=caseworker, plan=plan, reason="other")
    response = client.post(
        f"/plans/draft/{draft.pk}/F/",
        {
            "lock_version": draft.lock_version,
            "what": "Access to a quiet room",
            "how_often": "as required",
            "how_long": "",
            "by_whom": "",
            "qualification": "",
        },
    )
    assert response.status_code == 302
    page = body(client.get(f"/plans/{plan.pk}/amendment/"))
    assert "says “access to”" in page and "has no quantity" in page


def test_editing_from_a_stale_page_shows_the_problem_and_keeps_what_was_typed(
    client, caseworker, plan
):
    client.force_login(caseworker)
    draft = services.start_amendment(actor=caseworker, plan=plan, reason="other")
    stale = draft.lock_version
    services.set_section_a(actor=caseworker, draft=draft, text="Someone else")
    response = client.post(
        f"/plans/draft/{draft.pk}/A/", {"lock_version": stale, "text": "My words"}
    )
    assert response.status_code == 409
    assert "There is a problem" in body(response) and "My words" in body(response)


def test_an_issued_version_cannot_be_edited_through_the_pages(client, caseworker, plan):
    client.force_login(caseworker)
    version = PlanVersion.objects.get(document__plan=plan)
    response = client.post(
        f"/plans/draft/{version.pk}/A/",
        {"lock_version": version.lock_version, "text": "Changed"},
        follow=True,
    )
    assert "can never be edited" in body(response)
    version.refresh_from_db()
    assert version.sections["A"]["text"] != "Changed"


def test_a_review_of_a_plan_from_before_2014_shows_no_clock_rather_than_failing(
    client, caseworker, area, school
):
    """The demonstration area holds plans issued before the SEND Regulations 2014 came into
    force (1 September 2014). The page walk once found a 500 on them; their review is now
    judged under s.44 by the first rule (statutory.reviews), and the page says so."""
    import datetime as dt

    from everychild.plans.models import AnnualReview

    plan = factories.issued_plan(
        factories.ChildFactory(area=area, current_setting=school), issued_on=dt.date(2013, 9, 17)
    )
    review = AnnualReview.objects.create(plan=plan, due_on=dt.date(2014, 9, 17))
    client.force_login(caseworker)
    response = client.get(f"/plans/reviews/{review.pk}/")
    assert response.status_code == 200
    assert "No statutory clock for this review" not in body(response)
    assert "Review due by" in body(response)


def test_the_overview_counts_the_rules_broken_in_each_plans_latest_issued_version(
    client, caseworker, area, school
):
    """An earlier version's defects, since put right, are not counted; a version issued before
    the quality check was stored (no findings) counts none."""
    import re

    from everychild.plans.models import PlanDocument

    def findings(*codes):
        return {"findings": [{"code": code, "section": "F", "message": code} for code in codes]}

    for earlier, latest in [
        (findings("vague_provision", "no_quantity"), findings("no_quantity")),
        (findings("no_quantity"), findings("no_quantity", "no_deliverer")),
        (findings("vague_provision"), {}),
    ]:
        plan = factories.EHCPlanFactory(
            child=factories.ChildFactory(area=area, current_setting=school),
            issued_on=days_ago(400),
        )
        document = PlanDocument.objects.create(area=area, child=plan.child, plan=plan)
        for number, report in ((1, earlier), (2, latest)):
            PlanVersion.objects.create(
                document=document,
                number=number,
                status=PlanVersion.Status.FINAL,
                issued_on=days_ago(400 - number),
                quality=report,
                quality_score=80,
            )
    client.force_login(caseworker)
    page = body(client.get("/plans/"))
    shown = dict(
        re.findall(
            r'<th scope="row" class="govuk-table__header">([^<]+)</th>'
            r'<td class="govuk-table__cell govuk-table__cell--numeric">(\d+)</td>',
            page,
        )
    )
    assert shown["Provision with no quantity"] == "2"
    assert shown["Provision without who provides it"] == "1"
    assert "Vague provision (“access to”, “regular”, “as required”)" not in shown
    assert "3 plans; mean score 80 out of 100." in page


def test_the_panel_reads_a_disagreement_and_is_offered_no_form_it_cannot_save(
    client, caseworker, decision_maker, plan
):
    item = services.record_disagreement(
        actor=caseworker, plan=plan, decision_disputed="School", decision_letter_on=days_ago(10)
    )
    services.record_tribunal_order(
        actor=caseworker, disagreement=item, kind="make_plan", ordered_on=days_ago(5)
    )
    services.record_recommendation(
        actor=caseworker,
        disagreement=item,
        body="health",
        body_name="Dorset ICB",
        recommendation="Speech and language therapy",
        made_on=days_ago(5),
    )
    url = f"/plans/disagreements/{item.pk}/"
    saves = (
        "Record the recommendation",
        "Record the answer",
        "Record the order",
        "Record as met today",
        "Save the agreement",
        'value="update"',
    )

    client.force_login(decision_maker)
    page = body(client.get(url))
    assert "School" in page and "Dorset ICB" in page
    assert 'name="form"' not in page  # every form of the page says which it is
    assert not [s for s in saves if s in page]
    assert client.post(url, {"form": "update", "notes": "x"}).status_code == 403

    client.force_login(caseworker)
    page = body(client.get(url))
    assert all(s in page for s in saves)


def test_the_panel_is_offered_no_plan_form_it_could_not_save(
    client, caseworker, decision_maker, plan
):
    """Amending, ceasing, transfers and disagreements are written by those who write plans
    (policy.may_write_plans): a panel member reads the plan, is offered none of them, and
    opening one by its address is refused before a form is shown."""
    import re

    writes = [
        f"/plans/{plan.pk}/amend/",
        f"/plans/{plan.pk}/cease/",
        f"/plans/{plan.pk}/disagreements/new/",
        f"/plans/{plan.pk}/transfer-in/",
        f"/plans/{plan.pk}/post16-move/",
        f"/plans/{plan.pk}/phase-transfer/",
    ]
    client.force_login(caseworker)
    page = body(client.get(f"/plans/{plan.pk}/"))
    assert "Amend the plan" in page and "Cease the plan" in page
    for url in writes:
        assert client.get(url).status_code == 200, url
    client.force_login(decision_maker)
    page = body(client.get(f"/plans/{plan.pk}/"))
    assert plan.child.full_name in page
    assert "Amend the plan" not in page and "Cease the plan" not in page
    assert "Record a disagreement" not in page
    for href in set(re.findall(r'href="(/plans/[^"#?]*)"', page)):
        assert client.get(href).status_code != 403, href
    for url in writes:
        assert client.get(url).status_code == 403, url


def test_a_tribunal_order_step_past_its_date_shows_as_overdue(client, caseworker, plan):
    """reg 44(2)(e): an order to name a school is complied with within 2 weeks. Ordered 30 days
    ago and not met, the step is 16 days overdue on the disagreement and on the list."""
    item = services.record_disagreement(
        actor=caseworker, plan=plan, decision_disputed="School", decision_letter_on=days_ago(90)
    )
    order = services.record_tribunal_order(
        actor=caseworker, disagreement=item, kind="name_school", ordered_on=days_ago(30)
    )
    client.force_login(caseworker)
    for url in (f"/plans/disagreements/{item.pk}/", "/plans/disagreements/"):
        assert "16 days overdue" in body(client.get(url)), url
    order.complied_on = days_ago(1)
    order.save()
    page = body(client.get(f"/plans/disagreements/{item.pk}/"))
    assert "overdue" not in page and ", late)" in page
