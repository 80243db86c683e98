"""Structured advice drafting the plan (issue 19, decision 0195): each need, outcome and line of
provision an agency or school gave is offered into its section of the draft; the caseworker
accepts it (as given, or edited first) or rejects it, one at a time. An accepted item keeps its
source (plans.provenance) in the version's sections; a rejection is remembered for the plan
document with who and when, so neither is offered again."""

from __future__ import annotations

from django.db import transaction

from everychild.core.digits import ascii_digits
from everychild.core.wording import refuse as _refuse
from everychild.core.wording import text as _text
from everychild.plans import provenance, selectors
from everychild.plans.contributions import advice_for_section_k
from everychild.plans.models import PlanVersion, RejectedSuggestion
from everychild.plans.sections import next_id, normalised
from everychild.plans.services.drafts import _save_draft
from everychild.plans.services.steps import _locked_draft, _may_write_plans

# The fields an edit may change, per kind of item, with what each is called in a refusal.
EDITABLE = {
    "need": {"text": "the need"},
    "outcome": {"text": "the outcome", "measured_by": "how it will be measured"},
    "provision": {
        "what": "what the provision is",
        "how_often": "how often",
        "how_long": "for how long",
        "by_whom": "who provides it",
        "qualification": "their qualification",
    },
}
REQUIRED = {"text", "what"}


def _suggestion(draft: PlanVersion, advice_item_id) -> selectors.Suggestion:
    wanted = int(advice_item_id) if ascii_digits(advice_item_id) else None
    for suggestion in selectors.all_suggestions(draft):
        if suggestion.advice_item_id == wanted:
            return suggestion
    _refuse("advice_item", "That suggestion is not advice received for this child's assessment.")


def _still_open(draft: PlanVersion, sections: dict, suggestion) -> None:
    if suggestion.advice_item_id in provenance.accepted_advice_items(sections):
        _refuse("advice_item", "That suggestion is already in the plan.", "already_accepted")
    if RejectedSuggestion.objects.filter(
        document_id=draft.document_id, advice_item_id=suggestion.advice_item_id
    ).exists():
        _refuse("advice_item", "That suggestion was rejected for this plan.", "already_rejected")


def accept_suggestion(
    *,
    actor,
    draft: PlanVersion,
    advice_item_id,
    edits: dict | None = None,
    lock_version: int | None = None,
    request=None,
) -> PlanVersion:
    """Take a suggestion into its section, as given or with `edits` (the plan item's fields,
    see EDITABLE). The item keeps its source; an edited one says it was edited. Section K is
    refreshed, so it lists the advice the item came from."""
    _may_write_plans(actor, draft.document.area_id)
    with transaction.atomic():
        draft = _locked_draft(draft, lock_version)
        suggestion = _suggestion(draft, advice_item_id)
        sections = normalised(draft.sections)
        _still_open(draft, sections, suggestion)
        fields = suggestion.as_plan_item()
        edited = False
        for field, what in EDITABLE[suggestion.item_kind].items():
            if edits is None or field not in edits:
                continue
            value = _text(field, edits[field] or "", what, required=field in REQUIRED)
            if value != fields.get(field, ""):
                edited = True
            fields[field] = value
        source = {**suggestion.source, "edited": edited}
        key = suggestion.section
        item = {"id": next_id(sections, key), **fields}
        if suggestion.item_kind == "outcome":
            item["needs"] = []
        elif suggestion.item_kind == "provision":
            item["outcomes"] = []
        item["source"] = source
        list_name = {"need": "needs", "outcome": "outcomes", "provision": "provision"}
        sections[key][list_name[suggestion.item_kind]].append(item)
        if draft.document.assessment_request_id:
            sections["K"]["advice"] = advice_for_section_k(draft.document.assessment_request)
        draft.sections = sections
        return _save_draft(
            draft,
            actor,
            request,
            "suggestion_accepted",
            advice_item=suggestion.advice_item_id,
            item=item["id"],
            edited=edited,
        )


def reject_suggestion(
    *, actor, draft: PlanVersion, advice_item_id, lock_version: int | None = None, request=None
) -> PlanVersion:
    """Decline a suggestion for this plan: remembered with who and when, never offered again."""
    _may_write_plans(actor, draft.document.area_id)
    with transaction.atomic():
        draft = _locked_draft(draft, lock_version)
        suggestion = _suggestion(draft, advice_item_id)
        _still_open(draft, normalised(draft.sections), suggestion)
        RejectedSuggestion.objects.create(
            document_id=draft.document_id,
            advice_item_id=suggestion.advice_item_id,
            rejected_by=actor,
        )
        # The draft's lock moves on, so a page showing the suggestion as open is out of date.
        return _save_draft(
            draft, actor, request, "suggestion_rejected", advice_item=suggestion.advice_item_id
        )
