"""The demonstration area's SEN support: about 14 % of pupils (7,000 at BCP's size), spread
over its settings and needs, with cycles over several terms; set up once."""

import io
from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.db.models import F

from everychild.accounts.models import OrganisationKind
from everychild.casework.models import Decision
from everychild.children.codes import NeedType
from everychild.children.models import SettingPeriod
from everychild.demo.support import CHILDREN_AT_SCALE_1
from everychild.support.models import (
    ProvisionOffer,
    RequestFromSupport,
    SupportCycle,
    SupportPlan,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


def test_children_on_sen_support_are_seeded_once_in_proportion(time_machine):
    time_machine.move_to(TODAY)
    call_command("seed_demo_area", seed=3, password="pw-123456", scale=0.03, stdout=io.StringIO())
    out = io.StringIO()
    call_command("seed_demo_support", scale=0.1, stdout=out)
    assert "SEN support:" in out.getvalue()
    plans = SupportPlan.objects.select_related("child__current_setting")
    assert plans.count() == CHILDREN_AT_SCALE_1 // 10
    kinds = Counter(p.child.current_setting.kind for p in plans)
    assert kinds[OrganisationKind.SCHOOL] > kinds[OrganisationKind.COLLEGE] > 0
    needs = Counter(p.primary_need for p in plans)
    assert needs.most_common(2)[0][0] in {"SLCN", "SEMH"}
    # Every need is one the service can name (no raw "NSA" on the measure pages).
    assert set(needs) <= set(NeedType.values)
    # Several terms of cycles: every plan has an open cycle; some have earlier reviewed ones.
    assert SupportCycle.objects.filter(reviewed_on__isnull=True).count() == plans.count()
    assert SupportCycle.objects.filter(reviewed_on__isnull=False).count() > plans.count()
    assert (
        SupportPlan.objects.filter(
            child__current_setting__memberships__user__email="senco@demo.test"
        ).count()
        >= 40
    )
    assert ProvisionOffer.objects.count() == 8
    # Each child is on their setting's roll (the history of settings), since SEN support
    # began there at the latest.
    assert SettingPeriod.objects.filter(child__support_plans__isnull=False).count() == (
        plans.count()
    )
    assert not SettingPeriod.objects.filter(
        child__support_plans__started_on__lt=F("started_on")
    ).exists()

    # Some plans that show little progress led to a request, through the SENCO's service:
    # pre-filled from the plan, received after the review that found the outcome not yet met,
    # and some of them refused, some agreed, some awaiting the decision.
    made = RequestFromSupport.objects.select_related("plan", "assessment_request")
    assert 0 < made.count() <= round(plans.count() * 0.015)
    decisions = Counter(m.assessment_request.decision for m in made)
    assert decisions[Decision.ASSESS] and decisions[Decision.NOT_ASSESS]
    for link in made:
        case = link.assessment_request
        assert case.received_on == link.made_on <= TODAY
        assert case.child_id == link.plan.child_id
        assert case.school_request.setting_id == link.plan.child.current_setting_id
        steps = case.school_request.evidence.all()
        assert steps and all(step.started_on <= case.received_on for step in steps)
        assert link.plan.cycles.filter(
            number__gte=2, reviewed_on__lt=case.received_on, review_results__e1__result="not_yet"
        ).exists()
        if case.decision:
            assert case.decision_on <= TODAY

    again = io.StringIO()
    call_command("seed_demo_support", stdout=again)
    assert "nothing added" in again.getvalue()
    assert SupportPlan.objects.count() == CHILDREN_AT_SCALE_1 // 10
