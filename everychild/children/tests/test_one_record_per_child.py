"""One record per child: likely duplicates are offered before a record is made, the public
form never shows them, and two records of one child can be merged (and the merge undone)."""

import datetime as dt
from itertools import combinations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.casework.models import AdviceRequest, AssessmentRequest
from everychild.children import matching, services
from everychild.children.models import BreakGlassGrant, Child, ChildMerge, FamilyLink
from everychild.children.policy import family_children
from everychild.families import services as family_services
from everychild.families.models import Invitation, PublicRequest
from everychild.notifications.models import Message
from everychild.plans.models import EHCPlan, PlanDocument
from everychild.testing import factories

BORN = timezone.localdate().replace(day=7, month=3) - dt.timedelta(days=9 * 365)


def _public_request(area, **answers):
    values = {
        "relationship": PublicRequest.Relationship.PARENT,
        "consent": True,
        "contact_email": "mum@example.com",
        "contact_name": "Ruth Okafor",
        "reason": "She is struggling at school and her needs are not being met.",
        "first_name": "Zoe",
        "last_name": "Okafor",
        "date_of_birth": BORN,
        "postcode": "bh15 1aa",
        **answers,
    }
    case = family_services.submit_public_request(area=area, answers=values, address="192.0.2.1")
    return case.child


def _everything_for(child: Child, parent) -> dict:
    """A record with something in every place a child's data lives."""
    case = factories.AssessmentRequestFactory(child=child)
    factories.AdviceRequestFactory(assessment_request=case)
    factories.plan_draft_for(case)
    factories.issued_plan(child)
    FamilyLink.objects.create(child=child, user=parent, relationship=FamilyLink.Relationship.MOTHER)
    Message.objects.create(
        key=f"test:{child.pk}", template="t", to="a@example.com", body="b", child=child
    )
    Invitation.objects.create(
        child=child,
        kind=Invitation.Kind.PARENT,
        full_name="Ruth Okafor",
        email="ruth@example.com",
        token_hash=f"{child.pk:064d}",
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return {"case": case}


def _rows_of(*children) -> dict[str, set[tuple[int, int]]]:
    """Every row in every table that points at these children, as (row, child)."""
    found = {}
    for relation in Child._meta.get_fields(include_hidden=True):
        if relation.is_relation and relation.auto_created and not relation.concrete:
            model, fk = relation.related_model, relation.field
            if model._meta.label in ("children.Child", "children.ChildMerge"):
                continue  # the merge's own bookkeeping
            found[model._meta.label] = set(
                model._base_manager.filter(**{f"{fk.name}__in": children}).values_list(
                    "pk", fk.attname
                )
            )
    return found


@pytest.fixture
def area():
    return factories.AreaFactory()


@pytest.fixture
def caseworker(area):
    return factories.make_user(Role.CASEWORKER, area=area)


@pytest.fixture
def manager(area):
    return factories.make_user(Role.TEAM_MANAGER, area=area)


@pytest.fixture
def known(area):
    return factories.ChildFactory(
        area=area,
        first_name="Zoë",
        last_name="Okafor-Smith",
        date_of_birth=BORN,
        postcode="BH15 1AA",
        nhs_number="",
    )


def test_a_merge_moves_everything_and_loses_or_duplicates_nothing(
    db, area, caseworker, manager, known
):
    shared_parent = factories.make_user(Role.PARENT)
    _everything_for(known, shared_parent)
    duplicate = _public_request(area)
    _everything_for(duplicate, shared_parent)
    FamilyLink.objects.create(
        child=duplicate, user=factories.make_user(Role.PARENT), relationship="father"
    )
    BreakGlassGrant.objects.create(
        user=caseworker,
        child=duplicate,
        reason="Checking a request",
        granted_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=2),
    )
    before = _rows_of(known, duplicate)
    totals = {label: len(rows) for label, rows in before.items()}
    assert totals["casework.AssessmentRequest"] == 3  # two cases, one from the public form
    assert totals["families.PublicRequest"] == 1 and totals["plans.EHCPlan"] == 2

    merge = services.merge_children(actor=caseworker, kept=known, merged=duplicate)

    after = _rows_of(known, duplicate)
    assert {label: len(rows) for label, rows in after.items()} == totals  # nothing lost
    for label, rows in after.items():
        stayed = {pk for pk, child_id in rows if child_id == duplicate.pk}
        if label == "children.FamilyLink":
            # The parent linked to both stays linked once to the kept record (no duplicate).
            assert FamilyLink.objects.filter(child=known, user=shared_parent).count() == 1
            assert len(stayed) == 1
        elif label == "children.BreakGlassGrant":
            continue
        else:
            assert not stayed, label
    assert AssessmentRequest.objects.filter(child=known).count() == 3
    assert AdviceRequest.objects.filter(assessment_request__child=known).count() == 2
    assert PlanDocument.objects.filter(child=known).count() == 4
    assert EHCPlan.objects.filter(child=known).count() == 2
    assert PublicRequest.objects.get().child == known
    assert Message.objects.filter(child=known).count() == 3  # with the form's acknowledgement
    assert Invitation.objects.filter(child=known).count() == 2
    assert FamilyLink.objects.filter(child=known).count() == 2
    # The grant of exceptional access was to the other record: it does not widen.
    assert BreakGlassGrant.objects.get().child == duplicate

    duplicate.refresh_from_db()
    assert duplicate.merged_into == known
    for child in (known, duplicate):
        entry = AuditEntry.objects.filter(child_id=child.pk, record_type="children.ChildMerge")
        assert entry.exists()

    # A manager undoes it: every row is back where it was.
    services.undo_merge(actor=manager, merge=merge)
    assert _rows_of(known, duplicate) == before
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert ChildMerge.objects.get().undone_by == manager


def test_blanks_on_the_kept_record_are_filled_and_restored_by_undo(db, area, caseworker, manager):
    from_form = _public_request(area)  # no UPN: "referral by a non-school source"
    known = factories.ChildFactory(
        area=area, first_name="Zoe", last_name="Okafor", date_of_birth=BORN, postcode="BH151AA"
    )
    merge = services.merge_children(actor=caseworker, kept=from_form, merged=known)
    from_form.refresh_from_db()
    assert from_form.upn == known.upn and from_form.upn_unknown_reason == ""
    assert from_form.nhs_number == known.nhs_number
    services.undo_merge(actor=manager, merge=merge)
    from_form.refresh_from_db()
    assert from_form.upn == "" and from_form.upn_unknown_reason == "UN7"


def test_only_a_manager_undoes_and_only_for_30_days(db, area, caseworker, manager, known):
    duplicate = _public_request(area)
    merge = services.merge_children(actor=caseworker, kept=known, merged=duplicate)
    with pytest.raises(PermissionDenied):
        services.undo_merge(actor=caseworker, merge=merge)
    ChildMerge.objects.filter(pk=merge.pk).update(merged_at=timezone.now() - dt.timedelta(days=31))
    with pytest.raises(ValidationError, match="30 days"):
        services.undo_merge(actor=manager, merge=merge)


def test_records_of_another_area_or_already_merged_are_not_merged(db, area, caseworker, known):
    elsewhere = factories.ChildFactory(area=factories.OtherAreaFactory())
    with pytest.raises(PermissionDenied):
        services.merge_children(actor=caseworker, kept=known, merged=elsewhere)
    duplicate = _public_request(area)
    services.merge_children(actor=caseworker, kept=known, merged=duplicate)
    third = factories.ChildFactory(area=area)
    with pytest.raises(ValidationError, match="already been merged"):
        services.merge_children(actor=caseworker, kept=third, merged=duplicate)


def test_an_adviser_cannot_merge(db, area, known):
    adviser = factories.make_user(Role.EDUCATIONAL_PSYCHOLOGIST, area=area)
    with pytest.raises(PermissionDenied):
        services.merge_children(actor=adviser, kept=known, merged=_public_request(area))


# --- finding likely duplicates -----------------------------------------------------------


def test_adding_a_child_already_known_offers_the_record_first(client, db, area, caseworker, known):
    client.force_login(caseworker)
    url = reverse("children:add")
    answers = {
        "first_name": "ZOE",
        "last_name": "Okafor Smith",
        "date_of_birth": BORN.strftime("%d/%m/%Y"),
        "sex": "F",
        "ethnicity": "NOBT",
        "postcode": "bh151aa",
        "upn_unknown_reason": "UN7",
    }
    page = client.post(url, answers)
    assert page.status_code == 200
    assert "This child may already have a record" in page.content.decode()
    assert f"record {known.pk}" in page.content.decode()
    assert Child.objects.count() == 1
    # The caseworker looked, and says none of them is this child.
    page = client.post(url, {**answers, "none_is_this_child": "yes"})
    assert page.status_code == 302 and Child.objects.count() == 2


def test_the_public_form_never_says_a_child_is_known(client, db, area, known):
    """The family sees the same answer, and a new record is made, whether or not the child
    is known; the match is the council's, afterwards."""
    duplicate = _public_request(area)
    assert duplicate.pk != known.pk
    caseworker = factories.make_user(Role.CASEWORKER, area=area)
    client.force_login(caseworker)
    page = client.get(reverse("children:duplicates")).content.decode()
    assert f"record {duplicate.pk}" in page and f"record {known.pk}" in page
    assert "same name, date of birth and postcode" in page.lower()
    case = AssessmentRequest.objects.get(child=duplicate)
    page = client.get(reverse("casework:case", args=[case.pk])).content.decode()
    assert reverse("children:child_duplicates", args=[duplicate.pk]) in page


def test_the_merged_record_leaves_search_and_both_pages_show_the_merge(
    client, db, area, caseworker, known
):
    duplicate = _public_request(area)
    client.force_login(caseworker)
    page = client.post(reverse("children:merge", args=[duplicate.pk, known.pk]), {"keep": "other"})
    assert page.status_code == 302
    listing = client.get(reverse("children:list")).content.decode()
    assert reverse("children:detail", args=[duplicate.pk]) not in listing
    kept_page = client.get(reverse("children:detail", args=[known.pk])).content.decode()
    assert f"Record {duplicate.pk} was merged into this record" in kept_page
    # Said once, in the page, not in the browser tab's title as well.
    assert kept_page.count("Merged records") == 1
    title = kept_page.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "merged" not in title.lower() and known.full_name in title
    gone_page = client.get(reverse("children:detail", args=[duplicate.pk])).content.decode()
    assert "This record was merged into" in gone_page


@pytest.mark.parametrize(
    ("first", "last", "born", "postcode"),
    [
        ("Alexander", "Jones", dt.date(2015, 3, 7), "BH1 1AA"),
        ("alex", "JONES", dt.date(2015, 3, 7), "bh11aa"),
        ("Jones", "Alexander", dt.date(2015, 3, 7), "BH1 1AA"),  # names swapped
        ("Alexander", "Jones-Smith", dt.date(2015, 3, 7), "BH1 1AA"),  # double-barrelled
        ("Alexander", "Jones", dt.date(2015, 7, 3), "BH1 1AA"),  # day and month swapped
        ("Aléxander", "Jönes", dt.date(2015, 3, 7), "BH1  1AA"),
    ],
)
def test_common_variations_still_match(first, last, born, postcode):
    a = Child(first_name="Alexander", last_name="Jones", date_of_birth=dt.date(2015, 3, 7))
    a.postcode = "BH1 1AA"
    b = Child(first_name=first, last_name=last, date_of_birth=born, postcode=postcode)
    assert matching.SAME_PERSON in matching.reasons(a, b)


@pytest.mark.parametrize(
    ("first", "last", "born", "postcode"),
    [
        ("Alice", "Jones", dt.date(2015, 3, 7), "BH1 1AA"),  # a sibling
        ("Alexander", "Jones", dt.date(2013, 3, 7), "BH1 1AA"),  # another year
        ("Alexander", "Jones", dt.date(2015, 3, 7), "BH2 2BB"),  # another address
        ("Al", "Jones", dt.date(2015, 3, 7), "BH1 1AA"),  # too short to tell
    ],
)
def test_different_children_do_not_match(first, last, born, postcode):
    a = Child(
        first_name="Alexander", last_name="Jones", date_of_birth=dt.date(2015, 3, 7),
        postcode="BH1 1AA",
    )  # fmt: skip
    b = Child(first_name=first, last_name=last, date_of_birth=born, postcode=postcode)
    assert not matching.reasons(a, b)


def test_without_a_postcode_name_and_birthday_are_offered_to_check():
    a = Child(first_name="Mabel", last_name="Quarrington", date_of_birth=dt.date(2017, 2, 14))
    b = Child(
        first_name="Mabel", last_name="Quarrington", date_of_birth=dt.date(2017, 2, 14),
        postcode="BH1 1AA",
    )  # fmt: skip
    assert matching.reasons(a, b) == (matching.NO_POSTCODE,)


letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèëöüç", min_size=3, max_size=12)


@given(first=letters, last=letters, born=st.dates(dt.date(2000, 1, 1), dt.date(2025, 12, 31)))
def test_a_record_typed_differently_is_found_and_matching_is_symmetric(first, last, born):
    """Case, accents, spaces in the postcode and a swapped day and month never hide a child;
    and if A looks like B, B looks like A."""
    a = Child(first_name=first, last_name=last, date_of_birth=born, postcode="BH15 1AA")
    swapped = born.replace(month=born.day, day=born.month) if born.day <= 12 else born
    b = Child(
        first_name=first.upper(), last_name=f" {last.title()} ", date_of_birth=swapped,
        postcode="bh151aa",
    )  # fmt: skip
    assert matching.SAME_PERSON in matching.reasons(a, b)
    assert matching.reasons(a, b) == matching.reasons(b, a)


few_names = st.sampled_from(["Alex", "Alexander", "Sam", "Jones", "Smith", "Jones-Smith"])
person = st.tuples(
    few_names,
    few_names,
    st.sampled_from([dt.date(2015, 3, 7), dt.date(2015, 7, 3), dt.date(2016, 1, 20)]),
    st.sampled_from(["BH1 1AA", "bh11aa", "BH2 2BB", ""]),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=st.lists(person, min_size=2, max_size=10))
def test_the_council_s_list_holds_exactly_the_pairs_that_look_alike(db, people):
    """The list is built by grouping (not by comparing every record with every other): it
    must find exactly the pairs a comparison of every pair would."""
    with transaction.atomic():
        area = factories.AreaFactory()
        children = [
            factories.ChildFactory(
                area=area,
                first_name=first,
                last_name=last,
                date_of_birth=born,
                postcode=postcode,
                upn="",
                upn_unknown_reason="UN7",
                nhs_number="",
            )  # fmt: skip
            for first, last, born, postcode in people
        ]
        listed = {
            frozenset((a.pk, b.pk))
            for a, b, _why in matching.likely_duplicate_pairs(Child.objects.filter(area=area))
        }
        every = {
            frozenset((a.pk, b.pk)) for a, b in combinations(children, 2) if matching.reasons(a, b)
        }
        assert listed == every
        transaction.set_rollback(True)


def test_a_parent_linked_to_both_records_sees_the_child_once(db, area, caseworker, known):
    parent = factories.make_user(Role.PARENT)
    duplicate = _public_request(area)
    for child in (known, duplicate):
        FamilyLink.objects.create(child=child, user=parent, relationship="mother")
    assert family_children(parent).count() == 2
    services.merge_children(actor=caseworker, kept=known, merged=duplicate)
    assert list(family_children(parent)) == [known]
