"""Structured advice drafting the plan, with provenance (issue 19, decision 0195): suggestions
accepted, edited or rejected one at a time; the source kept and shown; provision with no source
flagged."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.advice.models import AdviceItem, AdviceWork
from everychild.casework.models import AdviceKind
from everychild.core.wording import long_date
from everychild.plans import documents, quality, selectors, services
from everychild.plans.models import EHCPlan, RejectedSuggestion
from everychild.plans.services import DraftChanged
from everychild.plans.tests.conftest import days_ago, issue
from everychild.testing import factories


def structured_advice(case, kind=AdviceKind.EDUCATIONAL_PSYCHOLOGY, provided_on=None):
    """Advice submitted through the portal: a need, an outcome and two lines of provision."""
    provided_on = provided_on or days_ago(60)
    advice = factories.AdviceRequestFactory(
        assessment_request=case,
        kind=kind,
        received_by_body_on=provided_on - dt.timedelta(days=30),
        provided_on=provided_on,
    )
    work = AdviceWork.objects.create(advice_request=advice, submitted_on=provided_on)
    need = AdviceItem.objects.create(
        work=work, kind="need", section="B", text="Difficulty decoding words"
    )
    outcome = AdviceItem.objects.create(
        work=work, kind="outcome", section="E", text="Reads a book at age level"
    )
    phonics = AdviceItem.objects.create(
        work=work,
        kind="provision",
        section="F",
        text="Phonics programme in a small group",
        amount="30 minutes",
        frequency="3 times a week",
        delivered_by="a trained teaching assistant",
    )
    therapy = AdviceItem.objects.create(
        work=work,
        kind="provision",
        section="F",
        text="Precision teaching of key words",
        amount="10 minutes",
        frequency="daily",
        delivered_by="the class teacher",
    )
    return advice, {"need": need, "outcome": outcome, "phonics": phonics, "therapy": therapy}


@pytest.fixture
def drafted(case_at_draft, caseworker):
    advice, items = structured_advice(case_at_draft)
    draft = services.draft_for_case(actor=caseworker, case=case_at_draft)
    return case_at_draft, draft, advice, items


def test_each_item_of_the_advice_is_offered_into_its_section(drafted):
    _, draft, advice, items = drafted
    offered = {s.advice_item_id: s for s in selectors.open_suggestions(draft)}
    assert {items[k].pk for k in items} <= set(offered)
    assert offered[items["need"].pk].section == "B"
    assert offered[items["outcome"].pk].section == "E"
    assert offered[items["phonics"].pk].section == "F"
    phonics = offered[items["phonics"].pk]
    assert phonics.how_often == "30 minutes, 3 times a week"
    assert phonics.source_label == (
        f"From: Psychological advice, {advice.organisation.name}, "
        f"{long_date(advice.provided_on)}, paragraph 3"
    )


def test_accepting_puts_the_item_in_the_draft_with_its_source(drafted, caseworker):
    _, draft, advice, items = drafted
    draft = services.accept_suggestion(
        actor=caseworker,
        draft=draft,
        advice_item_id=items["phonics"].pk,
        lock_version=draft.lock_version,
    )
    (line,) = draft.sections["F"]["provision"]
    assert line["what"] == "Phonics programme in a small group"
    assert line["how_often"] == "30 minutes, 3 times a week"
    assert line["by_whom"] == "a trained teaching assistant"
    assert line["source"]["advice_request"] == advice.pk
    assert line["source"]["advice_item"] == items["phonics"].pk
    assert line["source"]["paragraph"] == 3
    assert line["source"]["edited"] is False
    # Section K lists the advice, and the item points back to it.
    assert [k["advice_request"] for k in draft.sections["K"]["advice"]].count(advice.pk) == 1
    assert items["phonics"].pk not in {s.advice_item_id for s in selectors.open_suggestions(draft)}
    assert AuditEntry.objects.filter(
        actor=caseworker,
        detail__step="suggestion_accepted",
        detail__advice_item=items["phonics"].pk,
    ).exists()


def test_a_suggestion_is_never_accepted_twice(drafted, caseworker):
    _, draft, _, items = drafted
    draft = services.accept_suggestion(
        actor=caseworker, draft=draft, advice_item_id=items["need"].pk
    )
    with pytest.raises(ValidationError, match="already in the plan"):
        services.accept_suggestion(actor=caseworker, draft=draft, advice_item_id=items["need"].pk)
    draft.refresh_from_db()
    assert len(draft.sections["B"]["needs"]) == 1


def test_edit_then_accept_keeps_the_source_and_says_it_was_edited(drafted, caseworker):
    _, draft, _, items = drafted
    draft = services.accept_suggestion(
        actor=caseworker,
        draft=draft,
        advice_item_id=items["therapy"].pk,
        edits={"what": "Precision teaching of 20 key words", "how_long": "Until July 2027"},
    )
    (line,) = draft.sections["F"]["provision"]
    assert line["what"] == "Precision teaching of 20 key words"
    assert line["how_long"] == "Until July 2027"
    assert line["source"]["edited"] is True
    assert "(edited when accepted)" in documents.render_plan_html(draft)


def test_an_edit_that_empties_the_item_changes_nothing(drafted, caseworker):
    _, draft, _, items = drafted
    before = draft.lock_version
    with pytest.raises(ValidationError) as refused:
        services.accept_suggestion(
            actor=caseworker, draft=draft, advice_item_id=items["need"].pk, edits={"text": " "}
        )
    assert "text" in refused.value.error_dict
    draft.refresh_from_db()
    assert draft.lock_version == before and draft.sections["B"]["needs"] == []


def test_rejecting_remembers_who_and_when_and_it_is_not_offered_again(drafted, caseworker):
    _, draft, _, items = drafted
    services.reject_suggestion(actor=caseworker, draft=draft, advice_item_id=items["outcome"].pk)
    rejected = RejectedSuggestion.objects.get()
    assert rejected.rejected_by == caseworker and rejected.advice_item == items["outcome"]
    draft.refresh_from_db()
    assert items["outcome"].pk not in {s.advice_item_id for s in selectors.open_suggestions(draft)}
    with pytest.raises(ValidationError, match="rejected"):
        services.accept_suggestion(
            actor=caseworker, draft=draft, advice_item_id=items["outcome"].pk
        )


def test_a_stale_page_is_refused(drafted, caseworker):
    _, draft, _, items = drafted
    stale = draft.lock_version
    services.accept_suggestion(actor=caseworker, draft=draft, advice_item_id=items["need"].pk)
    with pytest.raises(DraftChanged):
        services.reject_suggestion(
            actor=caseworker, draft=draft, advice_item_id=items["phonics"].pk, lock_version=stale
        )
    assert not RejectedSuggestion.objects.exists()


def test_advice_of_another_case_is_not_offered_or_accepted(drafted, caseworker, area):
    _, draft, _, _ = drafted
    other_case = factories.AssessmentRequestFactory(child=factories.ChildFactory(area=area))
    _, theirs = structured_advice(other_case)
    assert theirs["need"].pk not in {s.advice_item_id for s in selectors.open_suggestions(draft)}
    with pytest.raises(ValidationError, match="not advice received"):
        services.accept_suggestion(actor=caseworker, draft=draft, advice_item_id=theirs["need"].pk)


def test_provenance_is_kept_across_versions(drafted, caseworker):
    case, draft, _, items = drafted
    for key in ("need", "outcome", "phonics"):
        draft = services.accept_suggestion(
            actor=caseworker, draft=draft, advice_item_id=items[key].pk
        )
    services.reject_suggestion(actor=caseworker, draft=draft, advice_item_id=items["therapy"].pk)
    draft.refresh_from_db()
    draft = services.set_need_types(actor=caseworker, draft=draft, primary_need="SPLD")
    issue(case, caseworker)
    plan = EHCPlan.objects.get(assessment_request=case)
    amendment = services.start_amendment(actor=caseworker, plan=plan, reason="review")
    assert amendment.number == 2
    (line,) = amendment.sections["F"]["provision"]
    assert line["source"]["advice_item"] == items["phonics"].pk
    # Nothing accepted or rejected for the plan is offered again in the new version.
    assert selectors.open_suggestions(amendment) == []


def test_the_family_cannot_accept_or_reject(drafted):
    case, draft, _, items = drafted
    parent = factories.FamilyLinkFactory(child=case.child).user
    with pytest.raises(PermissionDenied):
        services.accept_suggestion(actor=parent, draft=draft, advice_item_id=items["need"].pk)
    with pytest.raises(PermissionDenied):
        services.reject_suggestion(actor=parent, draft=draft, advice_item_id=items["need"].pk)


def test_a_caseworker_of_another_area_cannot_accept(drafted, other_area):
    _, draft, _, items = drafted
    other = factories.make_user(Role.CASEWORKER, factories.LocalAuthorityFactory(area=other_area))
    with pytest.raises(PermissionDenied):
        services.accept_suggestion(actor=other, draft=draft, advice_item_id=items["need"].pk)


# --- The quality check: provision with no source -----------------------------------------------


def test_provision_with_no_source_is_a_warning_not_a_block(drafted, caseworker):
    _, draft, _, items = drafted
    draft = services.accept_suggestion(
        actor=caseworker, draft=draft, advice_item_id=items["phonics"].pk
    )
    draft = services.add_provision(
        actor=caseworker,
        draft=draft,
        section="G",
        what="Speech and language therapy",
        how_often="1 hour a week",
        how_long="1 year",
        by_whom="a speech and language therapist",
        qualification="",
        outcomes=[],
    )
    found = quality.warnings(draft.sections)
    assert [(f.code, f.section, f.item) for f in found] == [("provision_without_source", "G", "g1")]
    assert not any(f.blocks_issue for f in found)
    # Not part of the score or the findings that decide issue.
    assert "provision_without_source" not in {
        f.code for f in quality.check(draft.sections).findings
    }


# --- Pages -----------------------------------------------------------------------------------


def test_the_panel_accepts_and_rejects_one_at_a_time(client, drafted, caseworker):
    case, draft, advice, items = drafted
    client.force_login(caseworker)
    url = reverse("plans:draft-suggestions", args=[draft.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Difficulty decoding words" in page.content.decode()
    client.post(
        url,
        {"lock_version": draft.lock_version, "advice_item": items["need"].pk, "decision": "accept"},
    )
    draft.refresh_from_db()
    client.post(
        url,
        {
            "lock_version": draft.lock_version,
            "advice_item": items["therapy"].pk,
            "decision": "reject",
        },
    )
    draft.refresh_from_db()
    assert draft.sections["B"]["needs"][0]["text"] == "Difficulty decoding words"
    page = client.get(reverse("plans:case-draft", args=[case.pk])).content.decode()
    assert "From: Psychological advice" in page
    assert "Review the suggestions from the advice" in page
    assert "Taken into this plan: B1 (Difficulty decoding words)" in page
    # A stale page's second post changes nothing and says why.
    response = client.post(
        url,
        {"lock_version": 1, "advice_item": items["outcome"].pk, "decision": "accept"},
        follow=True,
    )
    assert "changed since you opened it" in response.content.decode()
    draft.refresh_from_db()
    assert draft.sections["E"]["outcomes"] == []


def test_the_edit_page_refuses_bad_input_and_changes_nothing(client, drafted, caseworker):
    _, draft, _, items = drafted
    client.force_login(caseworker)
    url = reverse("plans:draft-suggestion-edit", args=[draft.pk, items["phonics"].pk])
    assert "From: Psychological advice" in client.get(url).content.decode()
    response = client.post(url, {"lock_version": draft.lock_version, "what": ""})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    draft.refresh_from_db()
    assert draft.sections["F"]["provision"] == []


def test_pages_are_not_found_for_another_area_and_refused_to_the_family(
    client, drafted, other_area
):
    case, draft, _, items = drafted
    other = factories.make_user(Role.CASEWORKER, factories.LocalAuthorityFactory(area=other_area))
    client.force_login(other)
    url = reverse("plans:draft-suggestions", args=[draft.pk])
    assert client.get(url).status_code == 404
    edit = reverse("plans:draft-suggestion-edit", args=[draft.pk, items["need"].pk])
    assert client.get(edit).status_code == 404
    parent = factories.FamilyLinkFactory(child=case.child).user
    client.force_login(parent)
    assert client.post(
        url,
        {"lock_version": draft.lock_version, "advice_item": items["need"].pk, "decision": "accept"},
    ).status_code in (403, 404)
    draft.refresh_from_db()
    assert draft.sections["B"]["needs"] == []


def test_the_pdf_says_where_each_line_came_from_and_section_k_lists_it(drafted, caseworker):
    from everychild.plans.tests.test_documents import text_of  # the PDF's text, as read there

    _, draft, advice, items = drafted
    for key in ("need", "phonics"):
        draft = services.accept_suggestion(
            actor=caseworker, draft=draft, advice_item_id=items[key].pk
        )
    text = " ".join(text_of(documents.render_plan_pdf(draft))[0].split())
    assert "From: Psychological advice" in text
    assert "paragraph 3" in text
    assert "Taken into this plan: B1 (Difficulty decoding words); F1 (Phonics" in text


def test_the_draft_page_warns_of_provision_with_no_source_and_links_to_it(
    client, drafted, caseworker
):
    case, draft, _, _ = drafted
    services.add_provision(
        actor=caseworker,
        draft=draft,
        section="G",
        what="Speech and language therapy",
        how_often="1 hour a week",
        how_long="1 year",
        by_whom="a speech and language therapist",
        qualification="",
        outcomes=[],
    )
    client.force_login(caseworker)
    page = client.get(reverse("plans:case-draft", args=[case.pk])).content.decode()
    assert "Provision with no source in the advice" in page
    assert 'href="#item-g1"' in page and 'id="item-g1"' in page
    assert "This does not stop the plan being issued" in page
