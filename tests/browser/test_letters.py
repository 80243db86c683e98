"""Issue 19, "every statutory notice is a letter": in real Chromium, with axe on every page
visited, a caseworker makes the final plan notice from the case page (a second press shows
the first, it is not made twice), and the family sees it in the portal once it is sent."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from everychild.casework import services as casework
from everychild.casework.models import Letter
from everychild.testing import factories
from tests.browser.conftest import sign_in
from tests.browser.test_family_plan_and_voice import (  # noqa: F401 (people is a fixture)
    PASSWORD,
    checked,
    issued,
    people,
)


def test_the_caseworker_makes_the_final_plan_notice_and_the_family_sees_it(page, people):  # noqa: F811
    child = factories.ChildFactory(area=people["area"], first_name="Ada")
    case = issued(people, child)
    parent = factories.FamilyLinkFactory(child=child).user

    sign_in(page, "casey@la.test", PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_role("button", name="Create the “Final plan notice” letter").click()
    expect(page.get_by_role("heading", name="Final plan notice letter")).to_be_visible()
    expect(page.get_by_text(re.compile("Appeal to the Tribunal by"))).to_be_visible()
    expect(page.get_by_text(re.compile("IPSEA")).first).to_be_visible()
    expect(page.get_by_text(re.compile("Casey Worker, SEND caseworker"))).to_be_visible()
    checked(page)

    # Back to the case: the button is gone; posting again shows the first letter.
    page.goto(f"/cases/{case.pk}/")
    assert page.get_by_role("button", name="Create the “Final plan notice” letter").count() == 0
    checked(page)
    letter = Letter.objects.get(assessment_request=case, kind="final_plan_notice")
    pdf = page.request.get(f"/cases/{case.pk}/documents/{letter.document_id}/")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")

    case.refresh_from_db()
    casework.record_letter_sent(
        actor=people["caseworker"],
        letter=letter,
        version=case.version,
        sent_on=timezone.localdate(),
    )
    page.context.clear_cookies()

    sign_in(page, parent.email, PASSWORD)
    page.goto(f"/family/cases/{case.pk}/")
    link = page.get_by_role("link", name=re.compile("Final plan notice letter"))
    expect(link).to_be_visible()
    checked(page)
    sent = page.request.get(link.get_attribute("href"))
    assert sent.status == 200 and sent.body().startswith(b"%PDF")
    assert Letter.objects.filter(assessment_request=case, kind="final_plan_notice").count() == 1
