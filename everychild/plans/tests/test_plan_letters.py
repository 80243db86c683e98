"""The letters about a plan after it is made (issue 19): the review invitation (reg 20(3)),
the review decision (reg 20(10)), the proposed amendments (reg 22(2)), the decision not to
amend (reg 22(4)), the notice to cease (reg 31) and the Tribunal order (reg 44(2)). Worked
examples on fixed days; each made once, kept on the plan's case, an accessible PDF."""

import datetime as dt
import html

import pytest
import time_machine
from django.utils.html import strip_tags
from pypdf import PdfReader

from everychild.casework.models import Letter
from everychild.plans import letters as plan_letters
from everychild.plans import services
from everychild.plans.models import (
    AnnualReview,
    Disagreement,
    PlanCessation,
    TribunalOrder,
)
from everychild.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_a_fixed_day(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    with time_machine.travel(dt.datetime(2025, 9, 1, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def plan(area, caseworker):
    child = factories.ChildFactory(area=area)
    case = factories.AssessmentRequestFactory(
        child=child,
        caseworker=caseworker,
        received_on=dt.date(2024, 1, 8),
        decision="assess",
        decision_on=dt.date(2024, 2, 12),
        stage="closed",
        final_plan_issued_on=dt.date(2024, 5, 20),
    )
    return factories.EHCPlanFactory(
        child=child, area=area, assessment_request=case, issued_on=dt.date(2024, 5, 20)
    )


@pytest.fixture
def review(plan):
    return AnnualReview.objects.create(
        plan=plan,
        due_on=dt.date(2025, 5, 19),
        meeting_on=dt.date(2025, 6, 16),
        report_sent_on=dt.date(2025, 6, 27),
        decision="amend",
        decision_on=dt.date(2025, 7, 1),
        decision_reasons="Her speech and language needs have changed.",
        amendments_sent_on=dt.date(2025, 7, 1),
    )


def make(actor, plan, kind, subject) -> tuple[Letter, str]:
    letter = services.make_plan_letter(actor=actor, plan=plan, kind=kind, subject=subject)
    reader = PdfReader(letter.document.file.path)
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"
    return letter, " ".join(html.unescape(strip_tags(letter.html.replace("<", " <"))).split())


def test_the_review_letters_name_the_dates_of_regs_20_and_22(caseworker, plan, review):
    kinds = {p.kind for p in plan_letters.plan_letters(plan)}
    assert kinds == {"review_invitation", "review_decision", "proposed_amendments"}
    subject = f"review:{review.pk}"
    _, invitation = make(caseworker, plan, "review_invitation", subject)
    # Meeting Monday 16 June 2025: invitations and advice 2 weeks before, report 2 weeks
    # after, the decision 4 weeks after (reg 20(3), (4), (7), (10)).
    assert "The meeting is on 16 June 2025" in invitation
    assert "Invitations must go out by 2 June 2025" in invitation
    assert "sent to you by 30 June 2025" in invitation
    assert "our decision by 14 July 2025" in invitation
    assert "regulation 20(3)" in invitation

    _, decision = make(caseworker, plan, "review_decision", subject)
    assert "to amend" in decision and "speech and language needs" in decision
    # Dated 1 September 2025: 2 months is Saturday 1 November, so the appeal is by Monday 3.
    assert "Appeal to the Tribunal by 3 November 2025" in decision
    assert "Contact a mediation adviser by 1 November 2025" in decision
    assert "IPSEA" in decision and "SENDIASS" in decision

    _, amendments = make(caseworker, plan, "proposed_amendments", subject)
    # Sent 1 July 2025: 15 days to 15 July (reg 22(2)(c)), 8 weeks to 26 August (reg 22(3)).
    assert "by 15 July 2025 (at least 15 days: regulation 22(2)(c))" in amendments
    assert "by 26 August 2025" in amendments
    assert "ask to meet us" in amendments and "regulation 22(2)(c)(iii)" in amendments


def test_the_decision_not_to_amend_gives_rights(caseworker, plan, review):
    review.decision_not_to_amend_on = dt.date(2025, 8, 20)
    review.not_amending_reasons = "The school showed the support already works."
    review.save()
    _, text = make(caseworker, plan, "decision_not_to_amend", f"review:{review.pk}")
    assert "not to amend the plan" in text and "regulation 22(4)" in text
    assert "We had to tell you by 26 August 2025" in text
    assert "Appeal to the Tribunal by 3 November 2025" in text


def test_the_notice_to_cease_gives_the_end_date_and_rights(caseworker, plan):
    PlanCessation.objects.create(
        plan=plan,
        reason="2",
        decided_on=dt.date(2025, 8, 29),
        notice_sent_on=dt.date(2025, 9, 1),
        ceases_on=dt.date(2025, 10, 31),
        explanation="Her needs are now met at SEN support.",
    )
    _, text = make(caseworker, plan, "notice_to_cease", f"plan:{plan.pk}")
    assert "The plan ends on 31 October 2025" in text
    assert "regulations 29 to 31" in text and "needs are now met" in text
    assert "Appeal to the Tribunal by 3 November 2025" in text


def test_the_tribunal_order_letter_gives_the_reg_44_date(caseworker, plan):
    disagreement = Disagreement.objects.create(
        area=plan.area,
        child=plan.child,
        plan=plan,
        decision_disputed="The school named",
        decision_letter_on=dt.date(2025, 5, 1),
    )
    order = TribunalOrder.objects.create(
        disagreement=disagreement, kind="name_school", ordered_on=dt.date(2025, 8, 18)
    )
    _, text = make(caseworker, plan, "tribunal_order", f"order:{order.pk}")
    assert "On 18 August 2025 the First-tier Tribunal" in text
    assert "by 1 September 2025 (regulation 44(2))" in text  # 2 weeks, reg 44(2)(f)


def test_a_plan_letter_is_made_once_and_the_family_sees_it_when_sent(
    caseworker, plan, review, client
):
    client.force_login(caseworker)
    url = f"/plans/{plan.pk}/letters/"
    data = {"kind": "review_invitation", "subject": f"review:{review.pk}"}
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert Letter.objects.filter(kind="review_invitation").count() == 1
    assert second.redirect_chain[-1][0] == first.url
    assert "already made" in second.content.decode()
    page = client.get(f"/plans/{plan.pk}/").content.decode()
    assert "Review invitation (16 June 2025), dated 1 September 2025" in page
    refused = client.post(url, {"kind": "notice_to_cease", "subject": f"plan:{plan.pk}"})
    assert refused.status_code == 302 and not Letter.objects.filter(kind="notice_to_cease")


def test_the_invitation_letter_is_called_for_once_invitations_are_sent(caseworker, plan):
    """A school-led review (decision 0230): the invitations recorded before the meeting call
    for the invitation letter, dated from the meeting they call (reg 20(3))."""
    review = AnnualReview.objects.create(
        plan=plan,
        due_on=dt.date(2025, 9, 30),
        invitations_sent_on=dt.date(2025, 9, 1),
        meeting_planned_on=dt.date(2025, 9, 22),
    )
    subject = f"review:{review.pk}"
    assert {p.kind for p in plan_letters.plan_letters(plan)} == {"review_invitation"}
    _, invitation = make(caseworker, plan, "review_invitation", subject)
    assert "The meeting is on 22 September 2025" in invitation
    assert "Invitations must go out by 8 September 2025" in invitation
