"""Writing the demonstration area: the design `build_demo_area()` decided (area.py), inserted
with a few bulk inserts in dependency order inside the caller's transaction, each child's
creation audited."""

from __future__ import annotations

from collections import Counter
from datetime import date

from everychild.access.audit import AuditEvent, record_many
from everychild.accounts.models import Membership, Organisation, User
from everychild.areas.models import Area
from everychild.casework.chronology import build_chronology
from everychild.casework.models import (
    AdviceRequest,
    AssessmentRequest,
    CaseEvent,
    CaseException,
    Decision,
    RequestSource,
)
from everychild.children.models import Child, FamilyLink
from everychild.children.services import record_first_settings
from everychild.demo.area import (
    REGION_CODE,
    REGION_NAME,
    STATISTICAL_NEIGHBOURS,
    Case,
    DemoArea,
    area_identity,
    setting_closures,
)
from everychild.demo.names import first_day_at_setting
from everychild.plans.models import EHCPlan

AUDIT_REASON = "demonstration data"


def _requested_by(case: Case) -> str:
    child = case.child
    if case.source == RequestSource.FAMILY:
        if child.family is not None and child.family.parent is not None:
            return f"{child.family.parent.full_name} (parent or carer)"
        return "Parent or carer"
    if case.source == RequestSource.SETTING:
        return "SENCO, the child's school or setting"
    if case.source == RequestSource.HEALTH:
        return "Community paediatrician"
    if case.source == RequestSource.SOCIAL_CARE:
        return "Social worker, children's social care"
    return "Specialist teacher, sensory support service"


def write_demo_area(demo: DemoArea, password_hash: str) -> Area:
    """Insert the plan: a few bulk inserts, each in dependency order, inside the caller's
    transaction."""
    today = demo.today
    identity = demo.identity or area_identity(1)
    area = Area.objects.create(
        name=identity.name,
        la_code=identity.la_code,
        old_la_code=identity.old_la_code,
        region_code=REGION_CODE,
        region_name=REGION_NAME,
        statistical_neighbours=STATISTICAL_NEIGHBOURS,
        # Invented contact details (01632 960xxx is Ofcom's range for drama; .example is
        # reserved): the public request's phone and paper route shows them.
        send_team_phone="01632 960 123",
        send_team_email="send-team@council.example",
        send_team_address="SEND Team\nCivic Centre\nBH1 1AA",
        setting_closures=[
            {"from": first.isoformat(), "to": last.isoformat()}
            for first, last in setting_closures()
        ],
    )
    organisations = demo.all_organisations
    for org in organisations:
        org.area = area
    Organisation.objects.bulk_create(organisations, batch_size=500)

    for user in demo.users:
        user.password = password_hash
    User.objects.bulk_create(demo.users, batch_size=1000)
    Membership.objects.bulk_create(demo.memberships, batch_size=2000)

    for child in demo.children:
        child.model = Child(
            area=area,
            first_name=child.first_name,
            last_name=child.family.surname,
            date_of_birth=child.born,
            sex=child.sex,
            ethnicity=child.ethnicity,
            postcode=child.family.postcode,
            upn=child.upn,
            upn_unknown_reason=child.upn_unknown_reason,
            nhs_number=child.nhs_number,
            current_setting=child.setting,
            own_account=child.own_account,
        )
    Child.objects.bulk_create([k.model for k in demo.children], batch_size=1000)
    born = {k.model.pk: k.born for k in demo.children}
    record_first_settings(
        [k.model for k in demo.children],
        started_on=lambda child: first_day_at_setting(born[child.pk], today),
    )

    with_responsibility = {
        FamilyLink.Relationship.MOTHER,
        FamilyLink.Relationship.FATHER,
        FamilyLink.Relationship.GUARDIAN,
    }
    FamilyLink.objects.bulk_create(
        [
            FamilyLink(
                child=child.model,
                user=family.parent,
                relationship=family.relationship,
                has_parental_responsibility=family.relationship in with_responsibility,
                young_person_allows_access=child.young_person_allows_access,
            )
            for family in demo.families
            if family.parent is not None
            for child in family.children
        ],
        batch_size=2000,
    )

    def on_or_before_today(day: date | None) -> date | None:
        return day if day is not None and day <= today else None

    numbers: Counter = Counter()
    for case in demo.cases:
        numbers[case.year] += 1
        decided = on_or_before_today(case.decision_on)
        decision = ""
        if decided is not None:
            decision = Decision.NOT_ASSESS if case.fate == "not_assess" else Decision.ASSESS
        case.model = AssessmentRequest(
            area=area,
            child=case.child.model,
            reference=f"{identity.old_la_code}/{case.year}/{numbers[case.year]:05d}",
            source=case.source,
            requested_by=_requested_by(case),
            reason=case.reason,
            received_on=case.received,
            caseworker=case.caseworker,
            stage=case.stage(today),
            decision=decision,
            decision_on=decided,
            # A plan that is issued was decided on first (decision 0192): the demonstration
            # records that decision the day its draft was served.
            decision_to_issue_on=on_or_before_today(case.draft_on) if case.final_on else None,
            draft_plan_served_on=on_or_before_today(case.draft_on),
            final_plan_issued_on=on_or_before_today(case.final_on),
            decision_not_to_issue_on=on_or_before_today(case.not_issued_on),
            withdrawn_on=on_or_before_today(case.withdrawn_on),
            no_coronavirus_reason=case.no_coronavirus_reason,
        )
    AssessmentRequest.objects.bulk_create([c.model for c in demo.cases], batch_size=1000)

    advice = []
    for case in demo.cases:
        for item in case.advice:
            item.model = AdviceRequest(
                assessment_request_id=case.model.pk,
                kind=item.kind,
                organisation=item.organisation,
                received_by_body_on=item.requested_on,
                provided_on=item.provided_on,
                cancelled_on=item.cancelled_on,
                assigned_to_id=item.assigned_to.pk if item.assigned_to is not None else None,
            )
            advice.append(item.model)
    AdviceRequest.objects.bulk_create(advice, batch_size=2000)

    exceptions = {
        case.model.pk: CaseException(
            assessment_request=case.model,
            regulation=case.exception.regulation,
            starts_on=case.exception.starts_on,
            ends_on=case.exception.ends_on,
            reason=case.exception.reason,
            recorded_by=case.caseworker,
        )
        for case in demo.cases
        if case.exception is not None and case.exception.starts_on <= today
    }
    CaseException.objects.bulk_create(exceptions.values(), batch_size=1000)

    # Each case's chronology, worded exactly as the casework services word each step.
    panel = demo.sign_ins["panel@demo.test"]
    manager = demo.sign_ins["manager@demo.test"]
    events = [
        event
        for case in demo.cases
        for event in build_chronology(
            case.model,
            advice=[item.model for item in case.advice],
            exceptions=[exceptions[case.model.pk]] if case.model.pk in exceptions else [],
            today=today,
            allocated_by=manager,
            decided_by=panel if case.model.decision else None,
        )
    ]
    CaseEvent.objects.bulk_create(events, batch_size=2000)

    EHCPlan.objects.bulk_create(
        [
            EHCPlan(
                area=area,
                child=plan.child.model,
                assessment_request=plan.case.model if plan.case is not None else None,
                issued_on=plan.issued_on,
                primary_need=plan.primary_need,
                secondary_need=plan.secondary_need,
                setting=plan.setting,
                setting_code=plan.setting_code,
                last_review_meeting_on=plan.last_review_meeting_on,
                ceased_on=plan.ceased_on,
                cease_reason=plan.cease_reason,
            )
            for plan in demo.plans
        ],
        batch_size=1000,
    )

    # Every child's record was created by the system, for the demonstration.
    record_many(
        AuditEvent(
            action="create",
            child_id=child.model.pk,
            record_type=Child._meta.label,
            record_id=str(child.model.pk),
            reason=AUDIT_REASON,
            detail={"seed": demo.seed},
        )
        for child in demo.children
    )
    return area
