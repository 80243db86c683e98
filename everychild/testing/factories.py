"""factory-boy factories for the foundation's models, and helpers that build the people and
records tests need.

Identifiers are real-shaped and valid: UPNs are issued in LA 839 (Bournemouth, Christchurch
and Poole) with the DfE check letter, and NHS numbers are in the 999 range the NHS reserves
for testing, with their modulus-11 check digit. Every child's surname is unique and no surname
is the start of another, so a test can look for one child's name on a page.
"""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory, Password
from stdnum.gb import nhs as stdnum_nhs
from stdnum.gb import upn as stdnum_upn

from everychild.accounts.models import (
    FAMILY_ROLES,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    SettingType,
    User,
)
from everychild.areas.models import Area
from everychild.casework.models import (
    AdviceKind,
    AdviceRequest,
    AssessmentRequest,
    CaseException,
    Consultation,
    RequestSource,
)
from everychild.children import codes
from everychild.children.models import Child, FamilyLink, SettingPeriod
from everychild.plans.examples import example_sections
from everychild.plans.models import EHCPlan, PlanDocument, PlanVersion

# Every user the factories make can sign in with this password.
TEST_PASSWORD = "correct horse battery staple 42"  # noqa: S105

BCP_LA_NUMBER = "839"


# --- Identifiers ---------------------------------------------------------------------------


def upn_check_letter(last_twelve: str) -> str:
    """The DfE check letter for the 12 characters after it (python-stdnum's algorithm:
    weights 2-13, modulus 23, over the alphabet without I, O and S)."""
    return stdnum_upn.calc_check_digit(last_twelve)


def upn_for(serial: int, la_number: str = BCP_LA_NUMBER) -> str:
    """A valid permanent UPN: check letter, 3-digit LA number, then 9 digits from `serial`."""
    body = f"{la_number}{serial % 10**9:09d}"
    return upn_check_letter(body) + body


def nhs_check_digit(first_nine: str) -> int | None:
    """The NHS number check digit, from python-stdnum's modulus-11 checksum (the digit that
    brings it to 0); None when no digit does, so those 9 digits are never issued."""
    check = -stdnum_nhs.checksum(first_nine + "0") % 11
    return None if check == 10 else check


def nhs_number_for(serial: int) -> str:
    """A valid NHS number in the 999 test range. For each serial, the ninth digit is the first
    that gives a valid check digit (at most one of the ten does not)."""
    prefix = f"999{serial % 10**5:05d}"
    for ninth in "0123456789":
        check = nhs_check_digit(prefix + ninth)
        if check is not None:
            return f"{prefix}{ninth}{check}"
    raise AssertionError("unreachable: at most one ninth digit lacks a check digit")


def _surname(n: int) -> str:
    # Fixed width: no surname is a prefix of another, so page text checks are exact.
    return f"Testfamily{n:05d}"


_FIRST_NAMES = ("Ada", "Ben", "Chloe", "Dev", "Esme", "Farah", "George", "Hana", "Ivan", "Jade")


# --- Areas and organisations ---------------------------------------------------------------


class AreaFactory(DjangoModelFactory):
    """Bournemouth, Christchurch and Poole (LA 839). Asking twice gives the same area."""

    class Meta:
        model = Area
        django_get_or_create = ("old_la_code",)

    name = "Bournemouth, Christchurch and Poole"
    la_code = factory.Sequence(lambda n: f"E06{n:06d}")
    old_la_code = BCP_LA_NUMBER
    region_code = "E12000009"
    region_name = "South West"


class OtherAreaFactory(AreaFactory):
    """A different local area each time."""

    name = factory.Sequence(lambda n: f"Other Area {n}")
    old_la_code = factory.Sequence(lambda n: f"{100 + n % 600:03d}")
    region_code = ""
    region_name = ""


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    area = factory.SubFactory(AreaFactory)
    kind = OrganisationKind.LOCAL_AUTHORITY
    name = factory.LazyAttributeSequence(lambda o, n: f"{OrganisationKind(o.kind).label} {n}")


class LocalAuthorityFactory(OrganisationFactory):
    kind = OrganisationKind.LOCAL_AUTHORITY
    name = factory.LazyAttributeSequence(lambda o, n: f"{o.area.name} Council ({n})")


class EPServiceFactory(OrganisationFactory):
    kind = OrganisationKind.EDUCATIONAL_PSYCHOLOGY
    name = factory.Sequence(lambda n: f"Educational Psychology Service {n}")


class ICBFactory(OrganisationFactory):
    kind = OrganisationKind.NHS_ICB
    name = factory.Sequence(lambda n: f"Integrated Care Board {n}")


class NHSProviderFactory(OrganisationFactory):
    kind = OrganisationKind.NHS_PROVIDER
    name = factory.Sequence(lambda n: f"Community Paediatrics Team {n}")


class SocialCareFactory(OrganisationFactory):
    kind = OrganisationKind.SOCIAL_CARE
    name = factory.Sequence(lambda n: f"Children's Social Care {n}")


class SchoolFactory(OrganisationFactory):
    kind = OrganisationKind.SCHOOL
    name = factory.Sequence(lambda n: f"Testfield Primary School {n}")
    urn = factory.Sequence(lambda n: f"{100000 + n % 900000:06d}")
    setting_type = SettingType.MAINSTREAM
    phase = "primary"


class CollegeFactory(OrganisationFactory):
    kind = OrganisationKind.COLLEGE
    name = factory.Sequence(lambda n: f"Testfield College {n}")
    ukprn = factory.Sequence(lambda n: f"1{n % 10**7:07d}")
    setting_type = SettingType.FE_COLLEGE
    phase = "post-16"


class EarlyYearsFactory(OrganisationFactory):
    kind = OrganisationKind.EARLY_YEARS
    name = factory.Sequence(lambda n: f"Little Steps Nursery {n}")
    setting_type = SettingType.EARLY_YEARS
    phase = "early years"


class ParentCarerForumFactory(OrganisationFactory):
    kind = OrganisationKind.PARENT_CARER_FORUM
    name = factory.Sequence(lambda n: f"Parent Carer Forum {n}")


class MonitoringBodyFactory(OrganisationFactory):
    kind = OrganisationKind.MONITORING_BODY
    name = factory.Sequence(lambda n: f"Monitoring Body {n}")


ORGANISATION_FACTORIES: dict[str, type[OrganisationFactory]] = {
    OrganisationKind.LOCAL_AUTHORITY: LocalAuthorityFactory,
    OrganisationKind.EDUCATIONAL_PSYCHOLOGY: EPServiceFactory,
    OrganisationKind.NHS_ICB: ICBFactory,
    OrganisationKind.NHS_PROVIDER: NHSProviderFactory,
    OrganisationKind.SOCIAL_CARE: SocialCareFactory,
    OrganisationKind.SCHOOL: SchoolFactory,
    OrganisationKind.COLLEGE: CollegeFactory,
    OrganisationKind.EARLY_YEARS: EarlyYearsFactory,
    OrganisationKind.PARENT_CARER_FORUM: ParentCarerForumFactory,
    OrganisationKind.MONITORING_BODY: MonitoringBodyFactory,
}

# The kind of organisation a role is usually held in (family roles have none).
ROLE_ORGANISATION_KIND: dict[str, str | None] = {
    Role.CASEWORKER: OrganisationKind.LOCAL_AUTHORITY,
    Role.TEAM_MANAGER: OrganisationKind.LOCAL_AUTHORITY,
    Role.DECISION_MAKER: OrganisationKind.LOCAL_AUTHORITY,
    Role.EDUCATIONAL_PSYCHOLOGIST: OrganisationKind.EDUCATIONAL_PSYCHOLOGY,
    Role.EP_MANAGER: OrganisationKind.EDUCATIONAL_PSYCHOLOGY,
    Role.HEALTH_ADVISER: OrganisationKind.NHS_PROVIDER,
    Role.SOCIAL_CARE_ADVISER: OrganisationKind.SOCIAL_CARE,
    Role.SENCO: OrganisationKind.SCHOOL,
    Role.PARENT: None,
    Role.YOUNG_PERSON: None,
    Role.BOARD_MEMBER: OrganisationKind.LOCAL_AUTHORITY,
    Role.FINANCE_OFFICER: OrganisationKind.LOCAL_AUTHORITY,
    Role.SENIOR_LEADER: OrganisationKind.LOCAL_AUTHORITY,
    Role.SYSTEM_ADMINISTRATOR: OrganisationKind.LOCAL_AUTHORITY,
    Role.DATA_PROTECTION_OFFICER: OrganisationKind.LOCAL_AUTHORITY,
    Role.STAFF_ADMINISTRATOR: OrganisationKind.LOCAL_AUTHORITY,
}

# The kind of organisation each kind of advice is asked of.
ADVICE_ORGANISATION_KIND: dict[str, str] = {
    AdviceKind.EDUCATIONAL_PSYCHOLOGY: OrganisationKind.EDUCATIONAL_PSYCHOLOGY,
    AdviceKind.HEALTH: OrganisationKind.NHS_PROVIDER,
    AdviceKind.SOCIAL_CARE: OrganisationKind.SOCIAL_CARE,
    AdviceKind.EDUCATION: OrganisationKind.SCHOOL,
    AdviceKind.OTHER: OrganisationKind.NHS_ICB,
}


def organisation_for(kind: str, area: Area | None = None, **fields) -> Organisation:
    return ORGANISATION_FACTORIES[kind](area=area or AreaFactory(), **fields)


# --- People --------------------------------------------------------------------------------


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@everychild.test")
    full_name = factory.Sequence(lambda n: f"{_FIRST_NAMES[n % 10]} Person{n:05d}")
    password = Password(TEST_PASSWORD)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(LocalAuthorityFactory)
    role = Role.CASEWORKER


def make_user(
    role: str,
    organisation: Organisation | None = None,
    *,
    area: Area | None = None,
    **user_fields,
) -> User:
    """A user holding `role`. Staff roles get an organisation of the usual kind for the role
    in `area` (BCP by default) unless one is given; parents and young people get none."""
    user = UserFactory(**user_fields)
    kind = ROLE_ORGANISATION_KIND[Role(role)]
    if organisation is None and kind is not None and role not in FAMILY_ROLES:
        organisation = organisation_for(kind, area)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


# --- Children and families -----------------------------------------------------------------


def _date_of_birth(n: int) -> dt.date:
    # Between 2 and 17 years old, spread over the year.
    today = timezone.localdate()
    return today - dt.timedelta(days=2 * 365 + (n * 97) % (15 * 365))


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child
        skip_postgeneration_save = True

    area = factory.SubFactory(AreaFactory)
    first_name = factory.Sequence(lambda n: _FIRST_NAMES[n % 10])
    last_name = factory.Sequence(_surname)
    date_of_birth = factory.Sequence(_date_of_birth)
    sex = factory.Iterator([codes.Sex.FEMALE, codes.Sex.MALE])
    ethnicity = codes.Ethnicity.NOBT
    upn = factory.Sequence(upn_for)
    nhs_number = factory.Sequence(nhs_number_for)

    @factory.post_generation
    def setting_history(obj, create, extracted, **kwargs):
        """A child made at a setting has been on its roll for a while, as the service would
        have recorded it (children.services.record_setting_change)."""
        if create and obj.current_setting_id:
            SettingPeriod.objects.create(
                child=obj,
                setting_id=obj.current_setting_id,
                started_on=timezone.localdate() - dt.timedelta(days=365),
            )


class FamilyLinkFactory(DjangoModelFactory):
    """A parent (who holds the parent role) linked to a child, with parental responsibility."""

    class Meta:
        model = FamilyLink

    child = factory.SubFactory(ChildFactory)
    user = factory.LazyFunction(lambda: make_user(Role.PARENT))
    relationship = FamilyLink.Relationship.MOTHER
    has_parental_responsibility = True
    young_person_allows_access = True


# --- Casework and plans --------------------------------------------------------------------


class AssessmentRequestFactory(DjangoModelFactory):
    class Meta:
        model = AssessmentRequest

    child = factory.SubFactory(ChildFactory)
    area = factory.SelfAttribute("child.area")
    reference = factory.Sequence(lambda n: f"EHC-{n:06d}")
    source = RequestSource.SETTING
    requested_by = "The SENCO"
    received_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(weeks=4))


class AdviceRequestFactory(DjangoModelFactory):
    """Advice asked of an organisation of the right kind in the case's area (an EP service by
    default); open until `provided_on` or `cancelled_on` is set."""

    class Meta:
        model = AdviceRequest

    assessment_request = factory.SubFactory(AssessmentRequestFactory)
    kind = AdviceKind.EDUCATIONAL_PSYCHOLOGY
    organisation = factory.LazyAttribute(
        lambda o: organisation_for(ADVICE_ORGANISATION_KIND[o.kind], o.assessment_request.area)
    )
    received_by_body_on = factory.LazyAttribute(
        lambda o: o.assessment_request.received_on + dt.timedelta(weeks=1)
    )
    provided_on = None
    cancelled_on = None


class EHCPlanFactory(DjangoModelFactory):
    """An active plan naming a school in the child's area."""

    class Meta:
        model = EHCPlan

    child = factory.SubFactory(ChildFactory)
    area = factory.SelfAttribute("child.area")
    assessment_request = None
    issued_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(weeks=30))
    primary_need = codes.NeedType.ASD
    setting = factory.SubFactory(SchoolFactory, area=factory.SelfAttribute("..child.area"))


class ConsultationFactory(DjangoModelFactory):
    """A school in the case's area consulted about being named, a week after the draft."""

    class Meta:
        model = Consultation

    assessment_request = factory.SubFactory(AssessmentRequestFactory)
    setting = factory.LazyAttribute(lambda o: SchoolFactory(area=o.assessment_request.area))
    sent_on = factory.LazyAttribute(
        lambda o: (
            (o.assessment_request.draft_plan_served_on or timezone.localdate())
            + dt.timedelta(days=1)
        )
    )


class CaseExceptionFactory(DjangoModelFactory):
    """A recorded exception for the whole case (reg 10(4)(c) by default)."""

    class Meta:
        model = CaseException

    assessment_request = factory.SubFactory(AssessmentRequestFactory)
    regulation = CaseException.Regulation.PERSONAL_CIRCUMSTANCES
    starts_on = factory.LazyAttribute(lambda o: o.assessment_request.received_on)
    ends_on = None
    reason = "A serious illness in the family"


# --- Plan documents and versions ---------------------------------------------------------------


def plan_draft_for(case: AssessmentRequest, **section_options):
    """A complete draft plan for the case (one the quality check passes), so that the final plan
    can be issued: sections B and I filled, the placement the child's current setting or a
    school in the case's area."""
    document, _ = PlanDocument.objects.get_or_create(
        assessment_request=case, defaults={"area": case.area, "child": case.child}
    )
    existing = document.versions.filter(status=PlanVersion.Status.DRAFT).first()
    if existing is not None:
        return existing
    setting = case.child.current_setting or SchoolFactory(area=case.area)
    return PlanVersion.objects.create(
        document=document,
        number=1,
        sections=example_sections(setting=setting, **section_options),
    )


def issued_plan(child: Child | None = None, *, issued_on: dt.date | None = None, **options):
    """An active plan with its document and first final version (for tests of reviews,
    amendments, PDFs)."""
    plan = EHCPlanFactory(
        child=child or ChildFactory(),
        **({"issued_on": issued_on} if issued_on else {}),
    )
    document = PlanDocument.objects.create(area=plan.area, child=plan.child, plan=plan)
    PlanVersion.objects.create(
        document=document,
        number=1,
        status=PlanVersion.Status.FINAL,
        issued_on=plan.issued_on,
        sections=example_sections(setting=plan.setting, **options),
    )
    return plan


def decided_to_issue(case: AssessmentRequest, on: dt.date | None = None) -> AssessmentRequest:
    """The decision to issue a plan recorded on a case, as the panel would record it from its
    agenda (decision 0192): the final plan cannot be issued without it. Written directly, so
    the case's version, which a test may hold, does not move."""
    on = on or case.draft_plan_served_on or case.decision_on
    AssessmentRequest.objects.filter(pk=case.pk).update(
        decision_to_issue_on=on,
        decision_to_issue_reasons="The assessment shows that a plan is necessary.",
    )
    case.decision_to_issue_on = on
    case.decision_to_issue_reasons = "The assessment shows that a plan is necessary."
    return case
