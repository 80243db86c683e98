"""Every statutory notice of an assessment is a letter (issue 19): each names the right
dates from the engine (worked examples on a fixed day), the family's rights, the caseworker
to contact, and is an accessible PDF; a second press gives back the first letter."""

import datetime as dt
import html

import pytest
import time_machine
from django.utils.html import strip_tags
from pypdf import PdfReader

from everychild.casework import selectors, services
from everychild.casework.models import AssessmentRequest, CaseDocument, Letter
from everychild.testing import factories

pytestmark = pytest.mark.django_db

# Monday 10 March 2025; the request arrived 20 weeks before (21 October 2024).
TODAY = dt.date(2025, 3, 10)
RECEIVED = dt.date(2024, 10, 21)


@pytest.fixture(autouse=True)
def _on_a_fixed_day():
    with time_machine.travel(dt.datetime(2025, 3, 10, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def case(build, caseworker):
    case = build.request(received_days_ago=(TODAY - RECEIVED).days)
    AssessmentRequest.objects.filter(pk=case.pk).update(caseworker=caseworker)
    case.refresh_from_db()
    return build.decide(case, days_after=10)  # decided 31 October 2024


def text_of(letter: Letter) -> str:
    """The letter as a reader hears it: words, no tags."""
    return " ".join(html.unescape(strip_tags(letter.html.replace("<", " <"))).split())


def assert_accessible_pdf(letter: Letter) -> None:
    reader = PdfReader(letter.document.file.path)
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root  # tagged: headings, paragraphs and lists for a reader
    assert root["/Lang"] == "en-GB"
    assert letter.get_kind_display() in reader.metadata.title
    assert "Date:" in reader.pages[0].extract_text()
    assert letter.document.kind == CaseDocument.Kind.LETTER


def test_the_advice_request_names_the_agency_the_6_weeks_and_the_caseworker(
    build, caseworker, case
):
    advice = build.advice(case, days_after_decision=4)  # received 4 November 2024
    letter = services.generate_letter(
        actor=caseworker, case=case, kind="advice_request", subject=f"advice:{advice.pk}"
    )
    text = text_of(letter)
    assert f"To {advice.organisation.name}" in text
    assert "Please send your advice by 16 December 2024" in text  # 4 Nov + 6 weeks
    # The 6 weeks are the law's only for a body asked under CFA s.31 (reg 8(1)); a school's or
    # an educational psychologist's are the Code's (9.52): the letter cites the engine's call.
    if advice.kind == "health":
        assert "reg 8(1) (a body asked to co-operate" in text
    else:
        assert "SEND Code of Practice 9.52" in text
    # reg 6(4) sets no time limit: advice already given is enough if everyone is satisfied.
    assert "within the last year" not in text and "regulation 6(4)" in text
    assert "The final plan, if there is one, is due by 10 March 2025" in text
    assert caseworker.full_name in text and caseworker.email in text
    assert_accessible_pdf(letter)


def test_the_draft_plan_notice_gives_15_days_a_meeting_and_a_school(build, caseworker, case):
    build.draft(case, served_on=dt.date(2025, 2, 3))
    case.refresh_from_db()
    letter = services.generate_letter(actor=caseworker, case=case, kind="draft_plan_notice")
    text = text_of(letter)
    assert "by 17 February 2025 (15 days beginning with the day the draft was served" in text
    # reg 13(1)(a)(ii) is the meeting (13(1)(b) is where to find out about schools), and the
    # duty to consult a requested school is CFA s.39(2) (reg 14 is sending the final plan).
    assert "ask to meet us" in text and "regulation 13(1)(a)(ii)" in text
    assert "section 39(2)" in text and "regulation 14(2)" not in text
    assert "name a particular school or college" in text and "section 38(2)(b)" in text
    assert_accessible_pdf(letter)


def test_the_consultation_goes_to_the_school_with_15_days(build, caseworker, case, area):
    school = factories.SchoolFactory(area=area)
    build.draft(case, served_on=dt.date(2025, 2, 3))
    case.refresh_from_db()
    consultation = services.send_consultation(
        actor=caseworker,
        case=case,
        version=case.version,
        setting=school,
        sent_on=dt.date(2025, 2, 10),
    )
    due = selectors.letters_due(case)
    assert any(d.subject == f"consultation:{consultation.pk}" for d in due)
    letter = services.generate_letter(
        actor=caseworker,
        case=case,
        kind="school_consultation",
        subject=f"consultation:{consultation.pk}",
    )
    text = text_of(letter)
    assert f"To {school.name}" in text
    assert "Please reply by 25 February 2025" in text
    # The duty to consult is CFA s.39(2); the 15 days are the Code's (9.83), not the Act's.
    assert "section 39(2)" in text and "paragraph 9.83" in text and "39(3)" not in text
    assert_accessible_pdf(letter)


def test_the_final_plan_notice_gives_appeal_and_mediation_rights_and_dates(build, caseworker, case):
    build.draft(case, served_on=dt.date(2025, 2, 3))
    case.refresh_from_db()
    factories.decided_to_issue(case, on=dt.date(2025, 2, 3))
    services.record_final_plan_issued(
        actor=caseworker, case=case, version=case.version, issued_on=dt.date(2025, 3, 3)
    )
    case.refresh_from_db()
    letter = services.generate_letter(actor=caseworker, case=case, kind="final_plan_notice")
    text = text_of(letter)
    assert "We issued" in text and "3 March 2025" in text
    # 2 months from 10 March 2025 is Saturday 10 May: the appeal deadline moves to Monday
    # 12 May (HESC Rules r.12(2)); the mediation adviser is to be contacted by 10 May (reg 33).
    assert "Appeal to the Tribunal by 12 May 2025" in text
    assert "Contact a mediation adviser by 10 May 2025" in text
    assert "rule 20(1)(c)" in text
    assert "SENDIASS" in text and "IPSEA" in text and "www.ipsea.org.uk" in text
    assert "section B" in text and "section I" in text
    assert_accessible_pdf(letter)


def test_a_letter_is_made_once_a_second_press_shows_the_first(build, caseworker, case, client):
    client.force_login(caseworker)
    first = client.post(f"/cases/{case.pk}/letters/", {"kind": "decision_to_assess"})
    second = client.post(f"/cases/{case.pk}/letters/", {"kind": "decision_to_assess"}, follow=True)
    assert Letter.objects.filter(assessment_request=case).count() == 1
    assert CaseDocument.objects.filter(assessment_request=case).count() == 1
    assert second.redirect_chain[-1][0] == first.url
    assert "already made" in second.content.decode()
    assert not any(d.kind == "decision_to_assess" for d in selectors.letters_due(case))


def test_a_letter_for_another_cases_advice_is_refused(build, caseworker, case):
    other = build.decide(build.request())
    advice = build.advice(other)
    with pytest.raises(Exception) as caught:
        services.generate_letter(
            actor=caseworker, case=case, kind="advice_request", subject=f"advice:{advice.pk}"
        )
    assert "Choose which request" in str(caught.value)
    assert not Letter.objects.exists()


def test_plan_letters_are_not_made_from_the_case_page(caseworker, case):
    with pytest.raises(Exception) as caught:
        services.generate_letter(actor=caseworker, case=case, kind="review_decision")
    assert "plan's page" in str(caught.value)
