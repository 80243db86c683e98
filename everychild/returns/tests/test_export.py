"""Writing the SEN2 return from live data: who is in it, each module as it stood on the
reference date, Week20 judged by the statutory engine from the facts of the case, carried
items, audit, and the command."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from everychild.access.models import AuditAction, AuditEntry
from everychild.accounts.models import SettingType
from everychild.casework.models import CaseException, Decision, Stage
from everychild.children import codes
from everychild.plans.models import CeaseReason, SettingCode
from everychild.returns.models import CarriedPlanItems, CarriedRequestItems
from everychild.returns.sen2 import export, reading, spec
from everychild.returns.sen2.export import export_return
from everychild.returns.sen2.validate import validate
from everychild.testing import factories

pytestmark = pytest.mark.django_db
D = date.fromisoformat


def _export(area, tmp_path, year=2026, **kwargs):
    path = tmp_path / f"sen2-{year}.xml"
    result = export_return(area=area, year=year, out=str(path), **kwargs)
    people = {}
    for item in reading.read_file(path):
        if isinstance(item, reading.Node):
            key = item.get(spec.UPN) or item.get(spec.SURNAME)
            people[key] = item
    return result, people, path


def _clean(path) -> list:
    found = []
    validate(path, found.append)
    return [f.as_text() for f in found if f.is_error]


def _case(child, **fields):
    return factories.AssessmentRequestFactory(child=child, **fields)


def _issued(child, received, decided, draft, final, **plan_fields):
    case = _case(
        child,
        received_on=D(received),
        decision=Decision.ASSESS,
        decision_on=D(decided),
        draft_plan_served_on=D(draft) if draft else None,
        final_plan_issued_on=D(final),
        stage=Stage.PLAN_ISSUED,
    )
    plan = factories.EHCPlanFactory(
        child=child, assessment_request=case, issued_on=D(final), **plan_fields
    )
    return case, plan


def test_a_request_received_in_the_year_is_in_the_return_and_others_are_not(area, tmp_path):
    refused = factories.ChildFactory(area=area)
    _case(refused, received_on=D("2025-03-03"), decision=Decision.NOT_ASSESS,
          decision_on=D("2025-04-07"), stage=Stage.NOT_ASSESSING)  # fmt: skip
    too_late = factories.ChildFactory(area=area)
    _case(too_late, received_on=D("2026-01-05"))
    long_ago = factories.ChildFactory(area=area)
    _case(long_ago, received_on=D("2023-02-01"), decision=Decision.NOT_ASSESS,
          decision_on=D("2023-03-01"), stage=Stage.NOT_ASSESSING)  # fmt: skip
    elsewhere = factories.ChildFactory(area=factories.OtherAreaFactory())
    _case(elsewhere, received_on=D("2025-03-03"))

    result, people, path = _export(area, tmp_path, keep_child_ids=True)
    assert set(people) == {refused.upn}
    [request] = people[refused.upn].kids(spec.REQUESTS)
    assert request.fields[spec.REQUEST_OUTCOME] == "N"
    assert request.fields[spec.REQUEST_OUTCOME_DATE] == "2025-04-07"
    assert request.fields[spec.REQUEST_SOURCE] == "2"
    assert request.first(spec.ASSESSMENT) is None
    assert result.persons == 1 and result.child_ids == [refused.pk]
    assert _clean(path) == []


def test_an_earlier_request_open_at_the_start_of_the_year_is_in_with_its_plan(area, tmp_path):
    child = factories.ChildFactory(area=area)
    _issued(child, "2024-10-07", "2024-11-15", "2025-01-20", "2025-02-14",
            secondary_need=codes.NeedType.SLCN)  # fmt: skip
    _, people, path = _export(area, tmp_path)
    [request] = people[child.upn].kids(spec.REQUESTS)
    assessment = request.first(spec.ASSESSMENT)
    assert (
        assessment.get(spec.ASSESSMENT_OUTCOME),
        assessment.get(spec.ASSESSMENT_OUTCOME_DATE),
    ) == (
        "Y",
        "2025-01-20",  # the decision to issue goes with the draft
    )
    plan = assessment.first(spec.NAMED_PLAN)
    assert plan.get(spec.START_DATE) == "2025-02-14" and spec.CEASE_DATE not in plan.fields
    [detail] = plan.kids(spec.PLAN_DETAIL)
    assert detail.get(spec.PLACEMENT_RANK) == "1" and len(detail.get(spec.URN)) == 6
    active = request.first(spec.ACTIVE_PLANS)
    needs = {n.get(spec.SEN_TYPE_RANK): n.get(spec.SEN_TYPE) for n in active.kids(spec.SEN_NEED)}
    assert needs == {"1": "ASD", "2": "SLCN"}
    assert _clean(path) == []


def test_a_plan_from_before_the_records_began_is_under_a_historical_request(area, tmp_path):
    child = factories.ChildFactory(area=area, date_of_birth=D("2010-04-01"))
    factories.EHCPlanFactory(child=child, issued_on=D("2017-06-01"),
                             last_review_meeting_on=D("2025-05-20"))  # fmt: skip
    _, people, path = _export(area, tmp_path)
    [request] = people[child.upn].kids(spec.REQUESTS)
    assert request.fields == {spec.REQUEST_OUTCOME: "H"}
    assessment = request.first(spec.ASSESSMENT)
    assert assessment.fields == {spec.ASSESSMENT_OUTCOME: "H"}
    assert assessment.first(spec.NAMED_PLAN).get(spec.START_DATE) == "2017-06-01"
    assert request.first(spec.ACTIVE_PLANS).get(spec.REVIEW_MEETING) == "2025-05-20"
    assert _clean(path) == []


def test_a_plan_ceased_in_the_year_reports_when_and_why_and_is_not_active(area, tmp_path):
    child = factories.ChildFactory(area=area, date_of_birth=D("2006-04-01"))
    factories.EHCPlanFactory(child=child, issued_on=D("2016-06-01"), ceased_on=D("2025-07-31"),
                             cease_reason=CeaseReason.EMPLOYMENT)  # fmt: skip
    gone_before = factories.ChildFactory(area=area)
    factories.EHCPlanFactory(
        child=gone_before,
        issued_on=D("2016-06-01"),
        ceased_on=D("2024-07-31"),
        cease_reason=CeaseReason.EMPLOYMENT,
    )
    _, people, path = _export(area, tmp_path)
    assert gone_before.upn not in people
    [request] = people[child.upn].kids(spec.REQUESTS)
    plan = request.first(spec.ASSESSMENT).first(spec.NAMED_PLAN)
    assert (plan.get(spec.CEASE_DATE), plan.get(spec.CEASE_REASON)) == ("2025-07-31", "4")
    assert request.first(spec.ACTIVE_PLANS) is None
    assert _clean(path) == []


def test_the_return_is_as_things_stood_on_the_reference_date(area, tmp_path):
    waiting = factories.ChildFactory(area=area)
    _case(waiting, received_on=D("2025-12-01"), decision=Decision.ASSESS,
          decision_on=D("2026-01-20"), stage=Stage.ASSESSING)  # fmt: skip
    ceasing = factories.ChildFactory(area=area, date_of_birth=D("2012-01-01"))
    factories.EHCPlanFactory(child=ceasing, issued_on=D("2019-05-01"), ceased_on=D("2026-03-01"),
                             cease_reason=CeaseReason.NEEDS_MET,
                             last_review_meeting_on=D("2026-02-01"))  # fmt: skip
    _, people, path = _export(area, tmp_path)
    [request] = people[waiting.upn].kids(spec.REQUESTS)
    assert (
        request.get(spec.REQUEST_OUTCOME) == "A" and spec.REQUEST_OUTCOME_DATE not in request.fields
    )
    [request] = people[ceasing.upn].kids(spec.REQUESTS)
    plan = request.first(spec.ASSESSMENT).first(spec.NAMED_PLAN)
    assert spec.CEASE_DATE not in plan.fields  # it ceased after the reference date
    assert spec.REVIEW_MEETING not in request.first(spec.ACTIVE_PLANS).fields
    assert _clean(path) == []


# --- Week20: judged by the statutory engine ------------------------------------------------


def _week20(area, tmp_path, child):
    _, people, _ = _export(area, tmp_path)
    [request] = people[child.upn].kids(spec.REQUESTS)
    return request.first(spec.ASSESSMENT).get(spec.WEEK20)


def test_week20_is_1_for_a_late_plan_an_exception_under_reg_10_4_applied_to(area, tmp_path):
    child = factories.ChildFactory(area=area)
    # Received 3 March: due 21 July (+140 days); issued 1 September.
    case, _ = _issued(child, "2025-03-03", "2025-04-10", "2025-08-01", "2025-09-01")
    assert _week20(area, tmp_path, child) == "0"
    CaseException.objects.create(
        assessment_request=case,
        regulation=CaseException.Regulation.PERSONAL_CIRCUMSTANCES,
        starts_on=D("2025-05-01"),
        ends_on=D("2025-06-20"),
        reason="Parent in hospital",
    )
    assert _week20(area, tmp_path, child) == "1"


def test_week20_says_whether_an_exception_applied_even_to_a_plan_on_time(area, tmp_path):
    child = factories.ChildFactory(area=area)
    case, _ = _issued(child, "2025-03-03", "2025-04-10", "2025-06-20", "2025-07-14")
    assert _week20(area, tmp_path, child) == "0"
    CaseException.objects.create(
        assessment_request=case,
        regulation=CaseException.Regulation.ABSENT_FROM_AREA,
        starts_on=D("2025-04-14"),
        ends_on=D("2025-05-30"),  # 47 days: at least the 4 weeks reg 10(4)(d) asks
        reason="Family abroad",
    )
    assert _week20(area, tmp_path, child) == "1"


def test_an_absence_too_short_for_reg_10_4_d_is_no_exception(area, tmp_path):
    child = factories.ChildFactory(area=area)
    case, _ = _issued(child, "2025-03-03", "2025-04-10", "2025-08-01", "2025-09-01")
    CaseException.objects.create(
        assessment_request=case,
        regulation=CaseException.Regulation.ABSENT_FROM_AREA,
        starts_on=D("2025-04-14"),
        ends_on=D("2025-04-30"),
        reason="A fortnight away",
    )
    assert _week20(area, tmp_path, child) == "0"


def test_week20_detects_a_summer_closure_from_advice_asked_of_a_school(area, tmp_path):
    area.setting_closures = [{"from": "2025-07-19", "to": "2025-09-02"}]
    area.save()
    child = factories.ChildFactory(area=area)
    case, _ = _issued(child, "2025-04-01", "2025-05-08", "2025-09-10", "2025-10-01")
    school = factories.SchoolFactory(area=area)
    factories.AdviceRequestFactory(
        assessment_request=case,
        kind="education",
        organisation=school,
        received_by_body_on=D("2025-07-14"),  # a week before the closure of 6 weeks
        provided_on=D("2025-09-08"),
    )
    assert _week20(area, tmp_path, child) == "1"


# --- Settings, carried items, audit --------------------------------------------------------


def test_settings_by_urn_ukprn_or_code(area, tmp_path):
    resourced = factories.SchoolFactory(area=area, setting_type=SettingType.RESOURCED_PROVISION)
    college = factories.CollegeFactory(area=area)
    at_unit = factories.ChildFactory(area=area)
    at_college = factories.ChildFactory(area=area)
    at_home = factories.ChildFactory(area=area)
    for child, setting in ((at_unit, resourced), (at_college, college)):
        factories.EHCPlanFactory(child=child, issued_on=D("2025-02-01"), setting=setting)
    factories.EHCPlanFactory(child=at_home, issued_on=D("2025-02-01"), setting=None,
                             setting_code=SettingCode.EHE)  # fmt: skip
    _, people, path = _export(area, tmp_path)

    def placement(child):
        [request] = people[child.upn].kids(spec.REQUESTS)
        return request.first(spec.ACTIVE_PLANS).first(spec.PLACEMENT_DETAIL).fields

    assert placement(at_unit) == {
        spec.URN: resourced.urn, spec.PLACEMENT_RANK: "1", spec.SEN_UNIT: "0",
        spec.RESOURCED_PROVISION: "1",
    }  # fmt: skip
    assert placement(at_college) == {spec.UKPRN: college.ukprn, spec.PLACEMENT_RANK: "1"}
    assert placement(at_home) == {spec.SEN_SETTING: "EHE", spec.PLACEMENT_RANK: "1"}
    assert _clean(path) == []


def test_items_carried_from_an_import_are_reported_while_they_still_apply(area, tmp_path):
    child = factories.ChildFactory(area=area)
    case, plan = _issued(child, "2025-03-03", "2025-04-10", "2025-06-20", "2025-07-14")
    CarriedRequestItems.objects.create(
        assessment_request=case, items={"RequestMediation": "1", "Week20": "1"}, source="x"
    )
    CarriedPlanItems.objects.create(
        plan=plan,
        items={"PB": "1", "DP": "1", "ReviewOutcome": "M"},
        placement_details=[{"URN": "111111", "PlacementRank": "1", "EntryDate": "2024-09-01"}],
        setting_key=export.setting_key(plan),
        source="x",
    )
    _, people, _ = _export(area, tmp_path)
    [request] = people[child.upn].kids(spec.REQUESTS)
    assert request.get(spec.REQUEST_MEDIATION) == "1"
    assert request.first(spec.ASSESSMENT).get(spec.WEEK20) == "1"  # the source's judgement
    assert request.first(spec.ASSESSMENT).first(spec.NAMED_PLAN).get(spec.PB) == "1"
    active = request.first(spec.ACTIVE_PLANS)
    assert active.first(spec.PLACEMENT_DETAIL).get(spec.ENTRY_DATE) == "2024-09-01"

    # Once the plan names another setting, the old placements no longer describe it.
    plan.setting = factories.SchoolFactory(area=area)
    plan.save()
    _, people, _ = _export(area, tmp_path)
    [request] = people[child.upn].kids(spec.REQUESTS)
    placement = request.first(spec.ACTIVE_PLANS).first(spec.PLACEMENT_DETAIL)
    assert placement.get(spec.URN) == plan.setting.urn and spec.ENTRY_DATE not in placement.fields


def test_every_child_exported_is_audited_and_the_checks_are_not(area, tmp_path):
    children = [factories.ChildFactory(area=area) for _ in range(3)]
    for child in children:
        factories.EHCPlanFactory(child=child, issued_on=D("2024-02-01"))
    actor = factories.make_user("team_manager", area=area)
    _export(area, tmp_path, actor=actor)
    entries = AuditEntry.objects.filter(action=AuditAction.EXPORT)
    assert sorted(e.child_id for e in entries) == sorted(c.pk for c in children)
    assert {(e.actor_id, e.reason) for e in entries} == {(actor.pk, "SEN2 return 2026")}
    _export(area, tmp_path, audit=False)
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 3


def test_reading_in_small_batches_writes_the_same_return(area, tmp_path, monkeypatch):
    for n in range(7):
        child = factories.ChildFactory(area=area)
        factories.EHCPlanFactory(
            child=child, issued_on=D("2020-02-01") if n % 2 else D("2025-05-01")
        )
    _, big, _ = _export(area, tmp_path, audit=False)
    monkeypatch.setattr(export, "BATCH", 2)
    _, small, _ = _export(area, tmp_path, audit=False)
    from everychild.returns.sen2.compare import canonical

    assert {k: canonical(v) for k, v in big.items()} == {k: canonical(v) for k, v in small.items()}
    assert len(big) == 7


# --- The command ---------------------------------------------------------------------------


def test_the_export_command_writes_the_file_and_says_what_is_in_it(area, tmp_path):
    factories.EHCPlanFactory(child=factories.ChildFactory(area=area), issued_on=D("2024-02-01"))
    out = io.StringIO()
    path = tmp_path / "out.xml"
    call_command("sen2_export", "--year", "2026", "--out", str(path), stdout=out)
    assert "1 people, 1 requests, 1 active plans" in out.getvalue()
    assert "reference date 2026-01-15" in out.getvalue()
    assert path.read_bytes().startswith(b"<?xml")
    call_command("sen2_export", "--year", "2026", "--reference-date", "2026-01-22",
                 "--out", str(path), stdout=out)  # fmt: skip
    assert b"<ReferenceDate>2026-01-22</ReferenceDate>" in path.read_bytes()


def test_the_export_command_refuses_what_it_cannot_do(area, tmp_path):
    path = tmp_path / "out.xml"
    with pytest.raises(CommandError, match="January 2026"):
        call_command("sen2_export", "--year", "2026", "--reference-date", "2026-03-01",
                     "--out", str(path))  # fmt: skip
    factories.OtherAreaFactory()
    with pytest.raises(CommandError, match="--la"):
        call_command("sen2_export", "--year", "2026", "--out", str(path))
    with pytest.raises(CommandError, match="no area with LA number 123"):
        call_command("sen2_export", "--year", "2026", "--la", "123", "--out", str(path))
    assert not path.exists()


def test_a_failed_export_leaves_no_half_written_file(area, tmp_path, monkeypatch):
    from everychild.returns.management.commands import sen2_export

    def broken(**kwargs):
        kwargs["out"].write(b"<?xml version='1.0'?><Message>")
        raise RuntimeError("database went away")

    monkeypatch.setattr(sen2_export, "export_return", broken)
    path = tmp_path / "out.xml"
    with pytest.raises(RuntimeError):
        call_command("sen2_export", "--year", "2026", "--out", str(path))
    assert list(tmp_path.iterdir()) == []
