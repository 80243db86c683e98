"""No lost edits: every form that updates a record carries the version of the record it was
opened at, and a save made from a page that someone else's save has overtaken is refused with
the GOV.UK error summary, nothing overwritten (as cases and draft plans already do).

Each entry of EDIT_FORMS is one such form: how to make its record, the page, what a person
would post, how someone else changes the record meanwhile, and what must survive."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.children import services as child_services
from everychild.finance import services as finance_services
from everychild.finance.models import AgreementStatus, PaymentStatus
from everychild.improvement import services as improvement_services
from everychild.plans import services as plan_services
from everychild.plans.models import AnnualReview, Disagreement, ReviewDecision
from everychild.staff import services as staff_services
from everychild.statutory import reviews as review_rules
from everychild.testing import factories

pytestmark = pytest.mark.django_db

# The wording of a refused stale save (improvement actions had theirs already).
CHANGED = re.compile(r"changed since you opened it|after you opened the form")


def _form_fields(html: str) -> dict[str, str]:
    """The values the page's form would send as it stands (inputs, chosen radios, selects)."""
    found = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        kind = re.search(r'type="([^"]+)"', tag)
        if not name or (kind and kind.group(1) in {"radio", "checkbox"} and "checked" not in tag):
            continue
        found[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        found[name] = chosen.group(1) if chosen else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        found[name] = body.strip()
    found.pop("csrfmiddlewaretoken", None)
    return found


@dataclass
class EditForm:
    name: str
    make: Callable  # (area, editor) -> record
    url: Callable  # record -> page
    edit: dict  # what this person changes on the page
    meanwhile: Callable  # (record, someone) -> None: another person's save
    survives: Callable  # record (fresh from the database) -> bool: the other save is intact
    role: str = Role.CASEWORKER
    form_prefix: dict = None  # fields a page with several forms needs to say which one


def _child(area, editor):
    return factories.ChildFactory(area=area, postcode="BH1 1AA")


EDIT_FORMS = [
    EditForm(
        "child details",
        make=_child,
        url=lambda child: f"/children/{child.pk}/change/",
        edit={"postcode": "BH2 2BB"},
        meanwhile=lambda child, someone: child_services.update_child(
            actor=someone, child=child, postcode="BH9 9ZZ"
        ),
        survives=lambda child: child.postcode == "BH9 9ZZ",
    ),
]


def _disagreement(area, editor):
    plan = factories.issued_plan(factories.ChildFactory(area=area))
    return Disagreement.objects.create(
        area=area,
        child=plan.child,
        plan=plan,
        decision_disputed="Section F",
        decision_letter_on=timezone.localdate() - dt.timedelta(days=20),
    )


EDIT_FORMS.append(
    EditForm(
        "disagreement, its mediation and Tribunal dates",
        make=_disagreement,
        url=lambda item: f"/plans/disagreements/{item.pk}/",
        edit={"notes": "Family asked for mediation.", "form": "update"},
        meanwhile=lambda item, someone: plan_services.update_disagreement(
            actor=someone,
            disagreement=item,
            mediation_held_on=timezone.localdate() - dt.timedelta(days=2),
            notes="Mediation held; agreed to amend section F.",
        ),
        survives=lambda item: (
            item.notes == "Mediation held; agreed to amend section F."
            and item.mediation_held_on is not None
        ),
    )
)


def _improvement_action(area, editor):
    la = editor.memberships.get().organisation
    priority = improvement_services.create_priority(
        actor=editor, area=area, number=1, title="Timeliness", source="Written statement"
    )
    return improvement_services.create_action(
        actor=editor,
        priority=priority,
        title="Decide within 6 weeks",
        owner_organisation=la,
        owner=editor,
        starts_on=timezone.localdate() - dt.timedelta(days=30),
        due_on=timezone.localdate() + dt.timedelta(days=60),
    )


EDIT_FORMS.append(
    EditForm(
        "improvement action",
        make=_improvement_action,
        url=lambda action: f"/improvement/actions/{action.pk}/update/",
        edit={"note": "Panel now meets weekly.", "rag": "green"},
        meanwhile=lambda action, someone: improvement_services.update_action(
            actor=someone, action=action, version=action.version, note="Slipped.", rag="red"
        ),
        survives=lambda action: action.rag == "red",
        role=Role.TEAM_MANAGER,
    )
)


def _review_awaiting_decision(area, editor):
    issued = timezone.localdate() - dt.timedelta(days=380)
    plan = factories.issued_plan(factories.ChildFactory(area=area), issued_on=issued)
    return AnnualReview.objects.create(
        plan=plan,
        due_on=issued + dt.timedelta(days=364),
        meeting_on=timezone.localdate() - dt.timedelta(days=5),
        recommendation=ReviewDecision.MAINTAIN,
    )


EDIT_FORMS.append(
    EditForm(
        "annual review decision",
        make=_review_awaiting_decision,
        url=lambda review: f"/plans/reviews/{review.pk}/",
        edit={
            "decision": ReviewDecision.CEASE,
            "decided_on": timezone.localdate().strftime("%d/%m/%Y"),
            "reasons": "Needs now met without a plan.",
        },
        meanwhile=lambda review, someone: plan_services.decide_after_review(
            actor=someone,
            review=review,
            decision=ReviewDecision.MAINTAIN,
            decided_on=timezone.localdate(),
            reasons="Progress is good; keep the plan.",
        ),
        survives=lambda review: (
            review.decision == ReviewDecision.MAINTAIN
            and review.decision_reasons == "Progress is good; keep the plan."
        ),
    )
)


def _moving_plan(area, editor):
    """A plan for a child who moves from primary to secondary school next September."""
    on = timezone.localdate()
    born = dt.date(on.year - 10 if on.month >= 9 else on.year - 11, 1, 15)
    return factories.issued_plan(factories.ChildFactory(area=area, date_of_birth=born))


def _move_year(plan) -> int:
    return review_rules.phase_move(plan.child.date_of_birth, timezone.localdate()).year


EDIT_FORMS.append(
    EditForm(
        "phase transfer",
        make=_moving_plan,
        url=lambda plan: f"/plans/{plan.pk}/phase-transfer/",
        edit={"preferred_setting": "Hill Top Academy"},
        meanwhile=lambda plan, someone: plan_services.record_phase_transfer(
            actor=someone,
            plan=plan,
            year=_move_year(plan),
            kind=review_rules.phase_move(plan.child.date_of_birth, timezone.localdate()).kind,
            preferred_setting="Seaview School",
        ),
        survives=lambda plan: plan.phase_transfers.get().preferred_setting == "Seaview School",
    )
)


def _transferred_plan(area, editor):
    plan = factories.issued_plan(factories.ChildFactory(area=area))
    plan_services.record_transfer_in(
        actor=editor,
        plan=plan,
        from_authority="Dorset Council",
        moved_on=timezone.localdate() - dt.timedelta(days=30),
    )
    return plan


EDIT_FORMS.append(
    EditForm(
        "plan transferred in (reg 15)",
        make=_transferred_plan,
        url=lambda plan: f"/plans/{plan.pk}/transfer-in/",
        edit={"new_health_body": "NHS Dorset"},
        meanwhile=lambda plan, someone: plan_services.record_transfer_in(
            actor=someone,
            plan=plan,
            from_authority="Hampshire County Council",
            moved_on=plan.transfer_in.moved_on,
        ),
        survives=lambda plan: plan.transfer_in.from_authority == "Hampshire County Council",
    )
)


def _post16_move(area, editor):
    plan = factories.issued_plan(factories.ChildFactory(area=area))
    plan_services.record_post16_move(
        actor=editor,
        plan=plan,
        move_on=timezone.localdate() + dt.timedelta(days=200),
        moving_to="Bournemouth College",
    )
    return plan


EDIT_FORMS.append(
    EditForm(
        "post-16 move (reg 18(2))",
        make=_post16_move,
        url=lambda plan: f"/plans/{plan.pk}/post16-move/",
        edit={"moving_to": "Kingston Maurward College"},
        meanwhile=lambda plan, someone: plan_services.record_post16_move(
            actor=someone,
            plan=plan,
            move=plan.post16_moves.get(),
            move_on=plan.post16_moves.get().move_on,
            moving_to="Brockenhurst College",
        ),
        survives=lambda plan: plan.post16_moves.get().moving_to == "Brockenhurst College",
    )
)


def _mediated(area, editor):
    item = _disagreement(area, editor)
    item = plan_services.update_disagreement(
        actor=editor,
        disagreement=item,
        mediation_wanted_la_told_on=item.decision_letter_on,
        mediation_held_on=item.decision_letter_on + dt.timedelta(days=5),
    )
    plan_services.record_mediation_agreement(
        actor=editor,
        disagreement=item,
        kind="other",
        agreed_on=item.mediation_held_on,
        what="Meet the new school",
    )
    return item


EDIT_FORMS.append(
    EditForm(
        "mediation agreement (reg 42)",
        make=_mediated,
        url=lambda item: f"/plans/disagreements/{item.pk}/",
        edit={"agreement-what": "Meet the new school and visit it"},
        meanwhile=lambda item, someone: plan_services.record_mediation_agreement(
            actor=someone,
            disagreement=item,
            kind="other",
            agreed_on=item.mediation_held_on,
            what="Meet the new school",
            done_on=timezone.localdate(),
        ),
        survives=lambda item: item.mediation_agreement.done_on == timezone.localdate(),
        form_prefix={"form": "agreement"},
    )
)


def _amendments_sent(area, editor):
    review = _review_awaiting_decision(area, editor)
    review = plan_services.decide_after_review(
        actor=editor,
        review=review,
        decision=ReviewDecision.AMEND,
        decided_on=review.meeting_on,
        reasons="Add therapy",
    )
    return plan_services.send_proposed_amendments(
        actor=editor, review=review, sent_on=review.meeting_on
    )


EDIT_FORMS.append(
    EditForm(
        "decision not to amend (reg 22(4))",
        make=_amendments_sent,
        url=lambda review: f"/plans/reviews/{review.pk}/not-amending/",
        edit={
            "decided_on": timezone.localdate().strftime("%d/%m/%Y"),
            "reasons": "The family now agrees section F already provides it.",
        },
        meanwhile=lambda review, someone: plan_services.decide_not_to_amend(
            actor=someone,
            review=review,
            decided_on=timezone.localdate(),
            reasons="Withdrawn at the family's request.",
        ),
        survives=lambda review: review.not_amending_reasons == "Withdrawn at the family's request.",
    )
)


def _dfe_payment(area, editor):
    agreement = finance_services.record_agreement(
        actor=editor,
        area=area,
        title="Safety Valve agreement",
        status=AgreementStatus.AGREED,
        balance_year=timezone.localdate().year + 2,
        agreed_on=timezone.localdate() - dt.timedelta(days=200),
    )
    return finance_services.add_dfe_payment(
        actor=editor,
        agreement=agreement,
        due_on=timezone.localdate() - dt.timedelta(days=10),
        amount=Decimal("2500000"),
        conditions="Deficit at or below the plan's line.",
    )


EDIT_FORMS.append(
    EditForm(
        "Safety Valve payment outcome (finance)",
        make=_dfe_payment,
        url=lambda payment: f"/finance/safety-valve/payments/{payment.pk}/outcome/",
        edit={
            "status": PaymentStatus.PAID,
            "settled_on": timezone.localdate().strftime("%d/%m/%Y"),
        },
        meanwhile=lambda payment, someone: finance_services.settle_dfe_payment(
            actor=someone,
            payment=payment,
            status=PaymentStatus.WITHHELD,
            settled_on=timezone.localdate(),
            note="Deficit above the line in the March return.",
        ),
        survives=lambda payment: payment.status == PaymentStatus.WITHHELD,
        role=Role.FINANCE_OFFICER,
    )
)


# --- The walk ------------------------------------------------------------------------------


def _caseworker_of(area, editor):
    return factories.make_user(Role.CASEWORKER, editor.memberships.get().organisation)


def _someones_roles(person, someone, role):
    staff_services.change_roles(
        actor=someone,
        person=person,
        organisation=someone.memberships.get().organisation,
        roles=[role],
        version=person.version,
    )


EDIT_FORMS += [
    EditForm(
        "a member of staff's roles",
        make=_caseworker_of,
        url=lambda person: f"/staff/people/{person.pk}/roles/",
        edit={"roles": [Role.TEAM_MANAGER]},
        meanwhile=lambda person, someone: _someones_roles(person, someone, Role.DECISION_MAKER),
        survives=lambda person: (
            set(person.memberships.filter(is_active=True).values_list("role", flat=True))
            == {Role.DECISION_MAKER}
        ),
        role=Role.STAFF_ADMINISTRATOR,
    ),
    EditForm(
        "an organisation",
        make=lambda area, editor: factories.NHSProviderFactory(area=area, name="Dorset SLT"),
        url=lambda organisation: f"/staff/organisations/{organisation.pk}/",
        edit={"name": "Dorset Speech and Language"},
        meanwhile=lambda organisation, someone: staff_services.change_organisation(
            actor=someone,
            organisation=organisation,
            kind=organisation.kind,
            name="Dorset Children's Therapy",
            version=organisation.version,
        ),
        survives=lambda organisation: organisation.name == "Dorset Children's Therapy",
        role=Role.STAFF_ADMINISTRATOR,
    ),
]


def _fresh(record):
    return type(record).objects.get(pk=record.pk)


@pytest.mark.parametrize("form", EDIT_FORMS, ids=[f.name for f in EDIT_FORMS])
def test_a_stale_save_is_refused_and_overwrites_nothing(client, area, la, form):
    editor = factories.make_user(form.role, la, area=area)
    someone = factories.make_user(form.role, la, area=area)
    record = form.make(area, editor)
    client.force_login(editor)
    page = client.get(form.url(record))
    assert page.status_code == 200
    data = _form_fields(page.content.decode())
    assert "version" in data, f"{form.name}: the form carries no version"
    data.update(form.edit, **(form.form_prefix or {}))

    form.meanwhile(_fresh(record), someone)
    response = client.post(form.url(record), data)
    text = response.content.decode()
    assert response.status_code in (200, 409)
    assert "There is a problem" in text and CHANGED.search(text)
    assert form.survives(_fresh(record))


@pytest.mark.parametrize("form", EDIT_FORMS, ids=[f.name for f in EDIT_FORMS])
def test_a_save_from_a_current_page_still_works(client, area, la, form):
    editor = factories.make_user(form.role, la, area=area)
    record = form.make(area, editor)
    client.force_login(editor)
    data = _form_fields(client.get(form.url(record)).content.decode())
    data.update(form.edit, **(form.form_prefix or {}))
    response = client.post(form.url(record), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    # The page opened again carries the version the save moved on to, and saves again.
    data = _form_fields(client.get(form.url(record)).content.decode())
    if "version" in data:  # (a one-off step, such as a decision, offers no form afterwards)
        data.update(form.edit, **(form.form_prefix or {}))
        assert client.post(form.url(record), data).status_code == 302
