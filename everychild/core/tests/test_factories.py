"""The test factories make valid records: what they build passes the models' own checks."""

import pytest

from everychild.accounts.models import FAMILY_ROLES, Role
from everychild.testing import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", list(factories.ORGANISATION_FACTORIES))
def test_every_kind_of_organisation_is_valid(area, kind):
    organisation = factories.organisation_for(kind, area)
    organisation.full_clean()
    assert organisation.kind == kind


def test_children_have_valid_identifiers_for_la_839():
    for child in factories.ChildFactory.create_batch(20):
        child.full_clean()
        assert child.upn[1:4] == "839"
        assert child.nhs_number.startswith("999")
    surnames = [c.last_name for c in factories.ChildFactory.create_batch(3)]
    assert not any(a != b and b.startswith(a) for a in surnames for b in surnames)


def test_casework_and_plans_are_valid_and_in_the_childs_area(other_area):
    child = factories.ChildFactory(area=other_area)
    advice = factories.AdviceRequestFactory(
        assessment_request=factories.AssessmentRequestFactory(child=child)
    )
    plan = factories.EHCPlanFactory(child=child)
    for record in (advice.assessment_request, advice, plan, factories.FamilyLinkFactory()):
        record.full_clean()
    assert advice.assessment_request.area == other_area
    assert advice.organisation.area == other_area
    assert plan.area == other_area
    assert plan.setting.area == other_area


@pytest.mark.parametrize("role", list(Role))
def test_make_user_gives_each_role_its_usual_kind_of_organisation(role):
    user = factories.make_user(role)
    [membership] = user.memberships.all()
    assert membership.role == role
    if role in FAMILY_ROLES:
        assert membership.organisation is None
    else:
        assert membership.organisation.kind == factories.ROLE_ORGANISATION_KIND[role]
    assert user.check_password(factories.TEST_PASSWORD)
