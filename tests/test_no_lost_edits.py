"""No lost edits: every form that updates a record carries the version of the record it was
opened at, and a save made from a page that someone else's save has overtaken is refused with
the GOV.UK error summary, nothing overwritten (as cases and draft plans already do).

Each entry of EDIT_FORMS is one such form: how to make its record, the page, what a person
would post, how someone else changes the record meanwhile, and what must survive."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils import timezone

from everychild.accounts.models import Role
from everychild.children import services as child_services
from everychild.plans import services as plan_services
from everychild.plans.models import Disagreement
from everychild.testing import factories

pytestmark = pytest.mark.django_db

CHANGED = "changed since you opened it"


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


# --- The walk ------------------------------------------------------------------------------


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
    assert "There is a problem" in text and CHANGED in text
    assert form.survives(_fresh(record))


@pytest.mark.parametrize("form", EDIT_FORMS, ids=[f.name for f in EDIT_FORMS])
def test_a_save_from_a_current_page_still_works(client, area, la, form):
    editor = factories.make_user(form.role, la, area=area)
    record = form.make(area, editor)
    client.force_login(editor)
    data = _form_fields(client.get(form.url(record)).content.decode())
    data.update(form.edit, **(form.form_prefix or {}))
    before = _fresh(record).version
    response = client.post(form.url(record), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert _fresh(record).version == before + 1
