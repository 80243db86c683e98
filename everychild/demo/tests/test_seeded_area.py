"""The demonstration area at a small scale (0.03, about 130 plans), loaded once for this
module inside a transaction that is rolled back at the end; each test runs in a savepoint of
its own. Checks what every part of the system relies on: identifiers, chronologies, stages,
sign-ins, access, the audit log."""

from collections import Counter
from datetime import date, timedelta

import pytest
from django.db import transaction
from stdnum.gb import nhs as stdnum_nhs
from stdnum.gb import upn as stdnum_upn

from everychild.access.audit import verify_chain
from everychild.access.models import AuditEntry
from everychild.accounts.models import Membership, Organisation, Role, User
from everychild.areas.models import Area
from everychild.casework.models import (
    OPEN_STAGES,
    AdviceRequest,
    AssessmentRequest,
    CaseEvent,
    CaseException,
    Stage,
)
from everychild.children import policy as children_policy
from everychild.children.models import Child, FamilyLink
from everychild.children.validators import validate_upn
from everychild.demo import calibration
from everychild.demo.area import SIGN_INS
from everychild.demo.seed import seed_demo_area
from everychild.plans.models import EHCPlan

TODAY = date(2026, 11, 27)
SMALL = 0.03
MODELS = (
    Area,
    Organisation,
    User,
    Membership,
    Child,
    FamilyLink,
    AssessmentRequest,
    AdviceRequest,
    CaseException,
    CaseEvent,
    EHCPlan,
    AuditEntry,
)


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed_demo_area(seed=7, password="demo-password-1", scale=SMALL, today=TODAY)
        transaction.set_rollback(True)


@pytest.fixture
def small_area(_loaded, db):
    return _loaded


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


# --- building once ------------------------------------------------------------------------


def test_a_second_run_adds_nothing(small_area):
    assert small_area.created
    before = _counts()
    assert before["Child"] > 100 and before["AssessmentRequest"] > 100

    again = seed_demo_area(seed=99, scale=SMALL, today=TODAY)

    assert not again.created
    assert again.password is None
    assert _counts() == before


def test_a_second_run_with_a_password_resets_the_sign_ins(small_area):
    seed_demo_area(password="another-password-2", scale=SMALL, today=TODAY)

    for email, *_ in SIGN_INS:
        user = _user(email)
        assert user.check_password("another-password-2"), email
        assert not user.check_password("demo-password-1"), email


# --- the area and its people ---------------------------------------------------------------


def test_the_area_is_bcp_with_neighbours_and_term_dates(small_area):
    area = Area.objects.get()
    assert (area.la_code, area.old_la_code) == ("E06000058", "839")
    assert area.region_code == "E12000009"
    assert 8 <= len(area.statistical_neighbours) <= 12
    assert "(demonstration)" in area.name
    summers = [
        c
        for c in area.setting_closures
        if (date.fromisoformat(c["to"]) - date.fromisoformat(c["from"])).days + 1 >= 28
    ]
    assert [date.fromisoformat(c["from"]).year for c in summers] == list(range(2019, 2028))
    assert all(date.fromisoformat(c["from"]).month == 7 for c in summers)


def test_every_school_and_setting_is_fictional_with_unique_identifiers(small_area):
    settings = Organisation.objects.filter(kind__in=["school", "college", "early_years"])
    # The register sample's made-up establishments (URNs 9800xx) come as DfE's register would.
    register = settings.exclude(establishment_type="")
    assert sorted(register.values_list("urn", flat=True)) == [f"9800{n:02d}" for n in range(1, 11)]
    generated = settings.filter(establishment_type="")
    assert 100 <= generated.count() <= 140
    ours = Organisation.objects.filter(establishment_type="")
    assert all(o.name.endswith("(demo)") for o in ours)
    for org in settings:
        org.full_clean()  # URN 6 digits, UKPRN 8 digits starting with 1
        assert org.setting_type
    for org in generated:
        assert bool(org.urn) != bool(org.ukprn)
    kinds = set(Organisation.objects.values_list("kind", flat=True))
    assert {"la", "ep", "icb", "nhs_provider", "social_care", "forum", "monitor"} <= kinds


def test_every_demo_user_holds_their_role(small_area):
    for email, role, _, where in SIGN_INS:
        user = _user(email)
        memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
        assert [m.role for m in memberships] == [role], email
        org = memberships[0].organisation
        if where == "":
            assert org is None
        elif where == "senco_school":
            assert org.kind == "school"
        else:
            assert org.kind == {"la": "la", "ep": "ep", "forum": "forum"}.get(where, where)


def test_the_parent_has_exactly_two_children(small_area):
    parent = _user("parent@demo.test")
    children = children_policy.visible_children(parent)
    assert children.count() == 2
    assert FamilyLink.objects.filter(user=parent, has_parental_responsibility=True).count() == 2
    assert len({c.last_name for c in children}) == 1  # siblings
    # One holds a plan; the other is being assessed now.
    assert EHCPlan.objects.filter(child__in=children, ceased_on=None).count() == 1
    assert AssessmentRequest.objects.filter(child__in=children, stage__in=OPEN_STAGES).exists()


def test_the_senco_sees_several_pupils_with_plans(small_area):
    senco = _user("senco@demo.test")
    pupils = children_policy.visible_children(senco)
    with_plans = EHCPlan.objects.filter(child__in=pupils, ceased_on=None)
    assert with_plans.count() >= 4
    school = Membership.objects.get(user=senco).organisation
    assert all(plan.setting_id == school.pk for plan in with_plans)


def test_the_young_person_has_their_own_record_and_a_plan(small_area):
    young = _user("youngperson@demo.test")
    [child] = children_policy.visible_children(young)
    assert child.own_account_id == young.pk
    age = (TODAY - child.date_of_birth).days / 365.25
    assert 17 <= age < 21
    assert EHCPlan.objects.filter(child=child, ceased_on=None).exists()


def test_staff_see_what_their_role_allows(small_area):
    assert (
        children_policy.visible_children(_user("caseworker@demo.test")).count()
        == Child.objects.count()
    )
    assert children_policy.visible_children(_user("board@demo.test")).count() == 0
    assert children_policy.visible_children(_user("finance@demo.test")).count() == 0
    # The EP sees only children with EP advice still to give.
    ep_sees = children_policy.visible_children(_user("ep@demo.test"))
    assert 0 < ep_sees.count() < Child.objects.count()


def test_most_children_have_a_parent_account(small_area):
    children = Child.objects.count()
    linked = FamilyLink.objects.values("child").distinct().count()
    assert linked >= 0.85 * children
    parents = User.objects.filter(memberships__role=Role.PARENT)
    assert parents.count() > 0.7 * children


# --- identifiers ---------------------------------------------------------------------------


def test_every_upn_and_nhs_number_is_valid(small_area):
    children = list(Child.objects.all())
    upns = [c.upn for c in children if c.upn]
    nhs_numbers = [c.nhs_number for c in children]
    assert len(upns) > 0.8 * len(children)
    assert len(set(upns)) == len(upns)
    assert len(set(nhs_numbers)) == len(nhs_numbers)
    for child in children:
        assert bool(child.upn) != bool(child.upn_unknown_reason), child.pk
        assert stdnum_nhs.is_valid(child.nhs_number), child.nhs_number
        assert child.nhs_number.startswith("999")  # the range reserved for testing
        if child.upn:
            validate_upn(child.upn)
            assert stdnum_upn.calc_check_digit(child.upn[1:]) == child.upn[0]
            if child.upn[1:4] != "839":  # python-stdnum's list predates LA 839 (2019)
                assert stdnum_upn.is_valid(child.upn), child.upn
    las = Counter(u[1:4] for u in upns)
    assert set(las) <= {"835", "836", "837", "839"}


def test_children_look_real_but_are_made_up(small_area):
    for child in Child.objects.all():
        assert child.postcode.startswith("BH")
        assert child.sex in ("M", "F")
        assert child.date_of_birth < TODAY
    with_plans = Child.objects.filter(plans__ceased_on=None)
    assert with_plans.filter(current_setting__isnull=False).count() > 0.8 * with_plans.count()


# --- cases and their chronology ------------------------------------------------------------


def _stage_from_dates(request: AssessmentRequest) -> str:
    if request.withdrawn_on:
        return Stage.WITHDRAWN
    if request.decision_on is None:
        return Stage.AWAITING_DECISION
    if request.decision == "not_assess":
        return Stage.NOT_ASSESSING
    if request.decision_not_to_issue_on:
        return Stage.NOT_ISSUING
    if request.final_plan_issued_on:
        return Stage.PLAN_ISSUED
    if request.draft_plan_served_on:
        return Stage.DRAFT_PLAN
    return Stage.ASSESSING


def test_every_case_has_its_dates_in_order_and_a_stage_that_agrees(small_area):
    requests = list(AssessmentRequest.objects.all())
    assert {r.stage for r in requests} >= {
        Stage.AWAITING_DECISION,
        Stage.ASSESSING,
        Stage.PLAN_ISSUED,
        Stage.NOT_ASSESSING,
    }
    for r in requests:
        dates = [r.received_on, r.decision_on, r.draft_plan_served_on, r.final_plan_issued_on]
        present = [d for d in dates if d is not None]
        assert present == sorted(present), r.reference
        assert max(present) <= TODAY, r.reference
        assert r.stage == _stage_from_dates(r), r.reference
        assert bool(r.decision) == bool(r.decision_on), r.reference
        if r.final_plan_issued_on:
            # The family had their 15 days on the draft (reg 13(1)).
            assert r.final_plan_issued_on - r.draft_plan_served_on >= timedelta(days=15)
            assert r.plan.issued_on == r.final_plan_issued_on
        if r.decision_not_to_issue_on:
            assert r.decision_on <= r.decision_not_to_issue_on <= TODAY
        if r.withdrawn_on:
            assert r.received_on <= r.withdrawn_on <= TODAY


def test_advice_is_asked_after_the_decision_and_given_before_the_draft(small_area):
    advice = list(AdviceRequest.objects.select_related("assessment_request", "organisation"))
    assert advice
    kinds = Counter(a.kind for a in advice)
    assert kinds["ep"] >= kinds["education"] > 0
    for a in advice:
        case = a.assessment_request
        assert case.decision == "assess"
        assert case.decision_on < a.received_by_body_on <= TODAY
        if a.provided_on:
            assert a.received_by_body_on <= a.provided_on <= TODAY
            if case.draft_plan_served_on:
                assert a.provided_on < case.draft_plan_served_on
        if case.draft_plan_served_on:
            assert a.provided_on or a.cancelled_on
        if a.kind == "ep":
            assert a.organisation.kind == "ep"
        if a.kind == "education":
            assert a.organisation.is_setting


def test_every_case_has_a_true_chronology(small_area):
    events = Counter()
    for request in AssessmentRequest.objects.prefetch_related("events"):
        kinds = [e.kind for e in request.events.all()]
        days = [e.happened_on for e in request.events.all()]
        assert kinds[0] == "request_received"
        assert days[0] == request.received_on
        assert days == sorted(days) and days[-1] <= TODAY
        if request.final_plan_issued_on:
            assert kinds[-1] == "final_plan_issued"
        events.update(kinds)
    assert events["advice_provided"] > 0 and events["draft_plan_served"] > 0


def test_exceptions_are_recorded_within_the_clock(small_area):
    exceptions = list(CaseException.objects.select_related("assessment_request"))
    assert exceptions
    for exc in exceptions:
        case = exc.assessment_request
        assert exc.regulation in ("10(4)(c)", "10(4)(d)")
        assert case.received_on <= exc.starts_on <= case.received_on + timedelta(days=140)
        assert exc.starts_on <= TODAY
        if exc.regulation == "10(4)(d)" and exc.ends_on:
            assert (exc.ends_on - exc.starts_on).days + 1 >= 28


def test_open_cases_are_allocated_or_waiting_in_the_team_queue(small_area):
    open_cases = AssessmentRequest.objects.filter(stage__in=OPEN_STAGES)
    assert open_cases.count() >= 5
    unallocated = open_cases.filter(caseworker=None)
    assert unallocated.exists()
    # The unallocated queue is of new requests still awaiting a decision.
    assert set(unallocated.values_list("stage", flat=True)) == {Stage.AWAITING_DECISION}
    caseworkers = set(
        Membership.objects.filter(role=Role.CASEWORKER, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    for case in open_cases.exclude(caseworker=None):
        assert case.caseworker_id in caseworkers
    demo = _user("caseworker@demo.test")
    assert open_cases.filter(caseworker=demo).count() >= 5
    # Some are on time and some overdue.
    overdue = open_cases.filter(received_on__lt=TODAY - timedelta(days=140))
    assert 0 < overdue.count() < open_cases.count()


# --- plans ---------------------------------------------------------------------------------


def test_plans_name_a_setting_and_each_child_holds_at_most_one(small_area):
    active = EHCPlan.objects.filter(ceased_on=None)
    target = round(calibration.ACTIVE_PLANS * SMALL)
    assert abs(active.count() - target) <= 3
    per_child = Counter(active.values_list("child_id", flat=True))
    assert max(per_child.values()) == 1
    for plan in EHCPlan.objects.all():
        assert plan.setting_id or plan.setting_code
        assert bool(plan.ceased_on) == bool(plan.cease_reason)
        if plan.assessment_request_id is None:
            assert plan.issued_on < date(2019, 1, 1)
    ceased = EHCPlan.objects.exclude(ceased_on=None)
    assert ceased.exists()
    assert all(p.ceased_on > p.issued_on for p in ceased)


# --- the audit log -------------------------------------------------------------------------


def test_every_child_is_audited_and_the_chain_verifies(small_area):
    children = set(Child.objects.values_list("pk", flat=True))
    audited = AuditEntry.objects.filter(action="create", reason="demonstration data")
    assert set(audited.values_list("child_id", flat=True)) == children
    assert audited.count() == len(children)
    assert all(e.actor_id is None for e in audited)
    result = verify_chain()
    assert result.ok, result.problem
    assert result.checked >= len(children)


def test_seeded_events_are_worded_as_the_casework_services_word_them(small_area):
    from everychild.casework import chronology

    checked = 0
    for request in AssessmentRequest.objects.prefetch_related("events").exclude(decision=""):
        by_kind = {e.kind: e for e in request.events.all()}
        kind, words = chronology.decided(request.decision)
        assert by_kind[kind].summary == words
        assert by_kind[kind].actor is not None  # the panel member who decided
        if request.final_plan_issued_on:
            assert by_kind["final_plan_issued"].summary == chronology.FINAL_ISSUED
        checked += 1
    assert checked > 10
