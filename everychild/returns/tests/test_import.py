"""`sen2_import`: an area's history from another system's SEN2 file. All or nothing, a report
per person, nothing twice, audited; hostile or unreadable files write nothing."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command

from everychild.access.models import AuditAction, AuditEntry
from everychild.accounts.models import Organisation, OrganisationKind
from everychild.casework.models import AssessmentRequest, RequestSource, Stage
from everychild.children.models import Child
from everychild.plans.models import EHCPlan
from everychild.returns import services
from everychild.returns.models import CarriedPlanItems, CarriedRequestItems
from everychild.returns.sen2 import spec
from everychild.returns.services import import_sen2
from everychild.returns.tests.sample import (
    a_header,
    a_need,
    a_person,
    a_placement,
    a_plan,
    a_plan_detail,
    a_planned_person,
    a_request,
    an_active_plan,
    an_assessed_request,
    an_assessment,
    upn,
    write,
)
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def _counts():
    return (
        Child.objects.count(),
        AssessmentRequest.objects.count(),
        EHCPlan.objects.count(),
        Organisation.objects.count(),
        AuditEntry.objects.count(),
    )


def _command(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("sen2_import", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue(), err.getvalue()


def test_a_person_with_a_plan_becomes_a_child_a_request_and_a_plan(area, tmp_path):
    person = a_planned_person(**{spec.ULN: "1234567890"})
    result = import_sen2(path=write(tmp_path, person))
    assert result.written and result.ok
    child = Child.objects.get()
    assert (child.first_name, child.last_name, child.upn, child.uln) == (
        "Ada", "Testfamily", upn(1), "1234567890",
    )  # fmt: skip
    request = AssessmentRequest.objects.get()
    assert request.received_on == date(2025, 3, 3) and request.source == RequestSource.SETTING
    assert request.decision_on == date(2025, 4, 7) and request.stage == Stage.PLAN_ISSUED
    assert request.draft_plan_served_on == date(2025, 6, 20)
    assert request.final_plan_issued_on == date(2025, 7, 14)
    assert request.reference == "839/2025/S00001"
    plan = EHCPlan.objects.get()
    assert plan.assessment_request == request and plan.primary_need == "ASD"
    school = plan.setting
    assert school.urn == "123456" and school.kind == OrganisationKind.SCHOOL
    assert "added by the SEN2 import" in school.name
    assert child.current_setting == school
    # On the setting's roll from the import (the history of settings, decision 0240).
    assert list(child.setting_periods.values_list("setting", "ended_on")) == [(school.pk, None)]
    assert CarriedRequestItems.objects.get().items["Week20"] == "0"
    assert CarriedPlanItems.objects.get().setting_key == "URN:123456"
    [entry] = AuditEntry.objects.filter(action=AuditAction.CREATE)
    assert entry.child_id == child.pk and entry.reason.startswith("SEN2 import from")


def test_a_known_child_gets_the_new_request_and_the_audit_says_so(area, tmp_path):
    child = factories.ChildFactory(area=area, upn=upn(1))
    result = import_sen2(path=write(tmp_path, a_person()))
    assert result.written and result.children_created == 0 and result.requests_created == 1
    assert AssessmentRequest.objects.get().child == child
    [entry] = AuditEntry.objects.filter(action=AuditAction.UPDATE)
    assert entry.child_id == child.pk
    assert entry.detail["added"] == ["the request received 2025-03-03"]


def test_a_child_without_a_upn_is_matched_by_name_and_date_of_birth(area, tmp_path):
    factories.ChildFactory(area=area, upn="", upn_unknown_reason="UN2", first_name="Ada",
                           last_name="Testfamily", date_of_birth=date(2014, 5, 1))  # fmt: skip
    person = a_person(**{spec.UPN: None, spec.UPN_UNKNOWN: "UN2", spec.FORENAME: "ADA"})
    result = import_sen2(path=write(tmp_path, person))
    assert result.written and result.children_created == 0 and Child.objects.count() == 1


def test_history_is_imported_for_a_young_person_now_over_25(area, tmp_path):
    old = a_person(
        an_assessed_request(plan=a_plan(CeaseDate="2025-07-31", CeaseReason="1"),
                            ReceivedDate="2018-03-05", RequestOutcomeDate="2018-04-10"),
        **{spec.BIRTH_DATE: "2000-06-01"},
    )  # fmt: skip
    result = import_sen2(path=write(tmp_path, old))
    assert result.written, result.plan.records[0].problems
    plan = EHCPlan.objects.get()
    assert plan.ceased_on == date(2025, 7, 31) and plan.cease_reason == "1"
    # A ceased plan's need is not in the return: EveryChild says so rather than guess quietly.
    assert plan.primary_need == "OTH"
    assert any("no need in the file" in n for n in result.plan.records[0].notes)


def test_a_historical_plan_and_a_second_setting_are_kept(area, tmp_path):
    plan = a_plan(a_plan_detail(), a_plan_detail(URN=None, UKPRN="10012345", PlacementRank="2"),
                  StartDate="2018-05-01", PB="1", DP="1")  # fmt: skip
    active = an_active_plan(
        a_placement(EntryDate="2023-09-04"), a_need(), a_need(SENtype="SLCN", SENtypeRank="2"),
        ReviewMeeting="2025-11-03", ReviewOutcome="M", TransferLA="836",
    )  # fmt: skip
    historical = a_request(
        an_assessment(plan, AssessmentOutcome="H", AssessmentOutcomeDate=None, Week20=None),
        active,
        ReceivedDate=None, RequestSource=None, RequestOutcome="H", RequestOutcomeDate=None,
        RYA=None, RequestMediation=None, RequestTribunal=None, Exported=None,
    )  # fmt: skip
    result = import_sen2(path=write(tmp_path, a_person(historical)))
    assert result.written, result.plan.records[0].problems
    saved = EHCPlan.objects.get()
    assert saved.assessment_request is None and saved.issued_on == date(2018, 5, 1)
    assert (saved.primary_need, saved.secondary_need) == ("ASD", "SLCN")
    assert saved.last_review_meeting_on == date(2025, 11, 3)
    carried = CarriedPlanItems.objects.get()
    assert carried.items == {
        "PB": "1", "OA": "0", "DP": "1", "TransferLA": "836", "ReviewOutcome": "M"
    }  # fmt: skip
    assert [d["PlacementRank"] for d in carried.plan_details] == ["1", "2"]
    assert carried.plan_details[1]["UKPRN"] == "10012345"  # kept for the next return
    assert AssessmentRequest.objects.count() == 0


def test_a_2024_request_that_does_not_say_who_made_it_is_recorded_as_other(area, tmp_path):
    person = a_person(a_request(RequestSource=None, ReceivedDate="2023-03-06",
                                RequestOutcomeDate="2023-04-11"))  # fmt: skip
    header = a_header(year=2024, reference="2024-01-18")
    result = import_sen2(path=write(tmp_path, person, header=header))
    assert result.written
    assert AssessmentRequest.objects.get().source == RequestSource.OTHER
    assert any("recorded as 5 (other)" in n for n in result.plan.records[0].notes)


def test_a_dry_run_writes_nothing(area, tmp_path):
    before = _counts()
    result = import_sen2(path=write(tmp_path, a_planned_person()), dry_run=True)
    assert result.ok and not result.written and result.plan.records[0].child_is_new
    assert _counts() == before


def test_a_file_for_an_area_not_in_everychild_writes_nothing(area, tmp_path):
    before = _counts()
    result = import_sen2(path=write(tmp_path, a_person(), header=a_header(lea="836")))
    assert "local authority 836, which is not an area in EveryChild" in result.plan.file_problem
    assert _counts() == before


def test_the_same_child_twice_in_a_file_is_refused(area, tmp_path):
    result = import_sen2(path=write(tmp_path, a_person(), a_person(Forename="Bo")))
    assert not result.written
    [refused] = [r for r in result.plan.records if r.failed]
    assert refused.person == 2 and "same child as person 1" in refused.problems[0]


def test_a_urn_belonging_to_something_that_is_not_a_setting_is_refused(area, tmp_path):
    factories.LocalAuthorityFactory(area=area, urn="123456")
    result = import_sen2(path=write(tmp_path, a_planned_person()))
    assert not result.written
    assert "not a school, college or early years setting" in result.plan.records[0].problems[0]


@pytest.mark.parametrize(
    "content",
    [
        b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
        b"<Message>&e;</Message>",
        b"<Message><Header><CollectionDetails>",
        b"not xml at all",
    ],
    ids=["external entity", "malformed", "not xml"],
)
def test_a_hostile_or_broken_file_writes_nothing(area, tmp_path, content):
    path = tmp_path / "bad.xml"
    path.write_bytes(content)
    before = _counts()
    code, _, err = _command(str(path))
    assert code == 2 and err.startswith("Nothing was imported:")
    assert _counts() == before


def test_a_failure_while_writing_undoes_everything(area, tmp_path, monkeypatch):
    people = [a_planned_person(**{spec.UPN: upn(n), spec.FORENAME: f"C{n}"}) for n in range(1, 5)]
    calls = []
    real = services._save_plan

    def fail_on_the_third(planned, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(planned, **kwargs)

    monkeypatch.setattr(services, "_save_plan", fail_on_the_third)
    before = _counts()
    result = import_sen2(path=write(tmp_path, *people))
    assert not result.written and "disk full" in result.write_problem
    assert _counts() == before


def test_the_command_reports_each_refused_person_and_writes_a_report(area, tmp_path):
    path = write(tmp_path, a_person(), a_person(**{spec.UPN: upn(2), spec.SEX: "X"}))
    report = tmp_path / "report.csv"
    code, out, _ = _command(str(path), "--report", str(report))
    assert code == 1
    assert "Person 2 (UPN " in out and "SEN2-005" in out and "Nothing was imported" in out
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert [(r["person"], r["status"]) for r in rows] == [("1", "new"), ("2", "refused")]
    assert Child.objects.count() == 0

    good = write(tmp_path, a_person(), name="good.xml")
    code, out, _ = _command(str(good), "--dry-run")
    assert code == 0 and "would add 1 new children" in out and "Dry run" in out
    code, out, _ = _command(str(good))
    assert code == 0 and "Created 1 children, 1 requests, 0 plans" in out
    code, out, _ = _command(str(good))
    assert code == 0 and "1 already in EveryChild with nothing to add" in out


def test_billion_laughs_and_a_2_gb_file_write_nothing(area, tmp_path):
    from everychild.returns.tests.test_hostile_files import BILLION_LAUGHS

    laughs = tmp_path / "laughs.xml"
    laughs.write_bytes(BILLION_LAUGHS)
    huge = tmp_path / "huge.xml"
    with open(huge, "wb") as handle:
        handle.truncate(2 * 1024**3)
    before = _counts()
    code, _, err = _command(str(laughs))
    assert code == 2 and "document type" in err
    code, _, err = _command(str(huge))
    assert code == 2 and "2.0 GB" in err
    assert _counts() == before
