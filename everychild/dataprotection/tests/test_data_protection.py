"""Subject access exports and the retention policy."""

import datetime as dt
import html
import json
import re

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import models
from django.test import TestCase
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.casework.models import CaseDocument, CaseEvent, CaseNote, EventKind, Stage
from everychild.children.models import FamilyLink
from everychild.core.models import JobRun
from everychild.dataprotection import retention, subject_access
from everychild.dataprotection.graph import child_record_models
from everychild.dataprotection.models import Anonymisation
from everychild.finance.models import Placement
from everychild.notifications.models import Message
from everychild.plans.models import CeaseReason, PlanDocument, PlanVersion, SettingCode
from everychild.testing import factories

TODAY = dt.date(2026, 11, 29)


@pytest.fixture(autouse=True)
def _uploads(settings, tmp_path):
    # Kept exports and documents go to a folder of the test's own.
    settings.MEDIA_ROOT = tmp_path / "uploads"


def test_every_record_about_a_child_has_its_free_text_classified():
    """A new model holding text about a child must say whether that text is personal (cleared
    when the record is anonymised) or not; otherwise it would escape the retention policy."""
    missing = []
    for records in child_record_models():
        declared = set(retention.PERSONAL.get(records.label, [])) | set(
            retention.NOT_PERSONAL.get(records.label, [])
        )
        for f in records.model._meta.concrete_fields:
            text_like = isinstance(
                f, models.CharField | models.TextField | models.JSONField | models.FileField
            )
            if text_like and not f.choices and f.name not in declared:
                missing.append(f"{records.label}.{f.name}")
    assert not missing, f"Classify as PERSONAL or NOT_PERSONAL in retention.py: {missing}"
    known = {r.label for r in child_record_models()}
    for table in (retention.PERSONAL, retention.NOT_PERSONAL):
        assert set(table) <= known, set(table) - known


def _child_with_history(area, *, born=None, open_case=False, active_plan=False, tmp_path=None):
    child = factories.ChildFactory(
        area=area,
        first_name="Zebedee",
        last_name="Quartermaine",
        date_of_birth=born or dt.date(2012, 3, 27),
    )
    parent = factories.FamilyLinkFactory(child=child).user
    if open_case:
        case = factories.AssessmentRequestFactory(
            child=child,
            received_on=TODAY - dt.timedelta(days=20),
            reason="Zebedee finds the classroom overwhelming",
        )
    else:
        received = dt.date(2020, 1, 6)
        case = factories.AssessmentRequestFactory(
            child=child,
            received_on=received,
            reason="Zebedee finds the classroom overwhelming",
            stage=Stage.PLAN_ISSUED,
            decision="assess",
            decision_on=received + dt.timedelta(days=30),
            draft_plan_served_on=received + dt.timedelta(days=100),
            final_plan_issued_on=received + dt.timedelta(days=125),
        )
    CaseEvent.objects.create(
        assessment_request=case,
        kind="request_received",
        happened_on=case.received_on,
        summary="Request for an assessment received (school or setting)",
    )
    CaseNote.objects.create(assessment_request=case, text="Spoke to mum about Zebedee's sleep")
    document = CaseDocument(
        assessment_request=case,
        title="Zebedee's school report",
        stored_name="a" * 32,
        original_name="report.pdf",
        content_type="application/pdf",
        size=9,
    )
    document.file.save("x", ContentFile(b"%PDF-1.7\n"), save=False)
    document.save()
    plan = factories.EHCPlanFactory(child=child, issued_on=dt.date(2020, 5, 1))
    if not active_plan:
        plan.ceased_on, plan.cease_reason = (
            dt.date(2037, 7, 1) if born is None else dt.date(2021, 7, 1),
            CeaseReason.MAX_AGE,
        )
        plan.save()
    Message.objects.create(
        key=f"k{child.pk}", template="t", to=parent.email, body="Sign in", child=child
    )
    return child, case, document


@pytest.mark.django_db
def test_a_subject_access_export_holds_everything_and_who_saw_it(client, area, la):
    child, case, _ = _child_with_history(area)
    caseworker = factories.make_user(Role.CASEWORKER, la)
    client.force_login(caseworker)
    client.get(reverse("casework:case", args=[case.pk]))  # someone reads the case
    dpo = factories.make_user(Role.DATA_PROTECTION_OFFICER, la)
    client.force_login(dpo)
    found = client.get(reverse("dataprotection:home"), {"upn": child.upn})
    assert "Zebedee Quartermaine" in found.content.decode()
    # Made in the background (the tests' immediate backend runs it as the press commits).
    with TestCase.captureOnCommitCallbacks(execute=True):
        pressed = client.post(reverse("dataprotection:export-start", args=[child.pk]))
    assert pressed.status_code == 302
    page = client.get(pressed["Location"])
    text = page.content.decode()
    assert "Finished" in text and "Download the PDF" in text
    assert dpo.full_name in text  # who made it, and when
    run = JobRun.objects.get(kind="subject-access")
    assert run.requested_by == dpo and run.finished_at
    response = client.get(reverse("dataprotection:export-json", args=[run.pk]))
    assert response.status_code == 200
    data = json.loads(b"".join(response.streaming_content))
    assert data["child"]["upn"] == child.upn
    for label in (
        "casework.AssessmentRequest",
        "casework.CaseEvent",
        "casework.CaseNote",
        "casework.CaseDocument",
        "plans.EHCPlan",
        "children.FamilyLink",
        "notifications.Message",
    ):
        assert data["records"].get(label), label
    assert data["records"]["casework.CaseNote"][0]["text"] == "Spoke to mum about Zebedee's sleep"
    assert "password" not in json.dumps(data)
    assert any(entry["who"] == caseworker.email for entry in data["audit"])
    assert AuditEntry.objects.filter(child_id=child.pk, action="export", actor=dpo).exists()
    pdf = client.get(reverse("dataprotection:export-pdf", args=[run.pk]))
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert pdf["Cache-Control"] == "private, no-store"
    # Each download is audited again; the officer's page lists the export kept.
    assert AuditEntry.objects.filter(child_id=child.pk, action="download", actor=dpo).count() == 2
    home = client.get(reverse("dataprotection:home")).content.decode()
    assert "Exports made recently" in home and "Zebedee Quartermaine" in home


@pytest.mark.django_db
def test_a_second_press_while_the_export_is_made_starts_no_other(client, area, la):
    child, _, _ = _child_with_history(area)
    client.force_login(factories.make_user(Role.DATA_PROTECTION_OFFICER, la))
    url = reverse("dataprotection:export-start", args=[child.pk])
    first = client.post(url)  # not committed here: the run is still waiting
    second = client.post(url)
    assert first["Location"] == second["Location"]
    assert JobRun.objects.filter(kind="subject-access").count() == 1
    waiting = client.get(first["Location"]).content.decode()
    assert "Waiting to start" in waiting and "Check again" in waiting
    assert "Download the PDF" not in waiting
    run = JobRun.objects.get(kind="subject-access")
    assert client.get(reverse("dataprotection:export-pdf", args=[run.pk])).status_code == 404


@pytest.mark.django_db
def test_a_kept_export_goes_when_the_record_is_made_anonymous(client, area, la):
    child, _, _ = _child_with_history(area, born=dt.date(1994, 6, 15))
    client.force_login(factories.make_user(Role.DATA_PROTECTION_OFFICER, la))
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("dataprotection:export-start", args=[child.pk]))
    run = JobRun.objects.get(kind="subject-access")
    assert client.get(reverse("dataprotection:export-pdf", args=[run.pk])).status_code == 200
    retention.anonymise(child, today=TODAY)
    assert client.get(reverse("dataprotection:export-pdf", args=[run.pk])).status_code == 404
    page = client.get(reverse("dataprotection:export-run", args=[run.pk])).content.decode()
    assert "this export was removed" in page


@pytest.mark.django_db
def test_only_the_areas_data_protection_officer_may_export(client, area, la, other_area):
    child, _, _ = _child_with_history(area)
    url = reverse("dataprotection:export-start", args=[child.pk])
    client.force_login(factories.make_user(Role.TEAM_MANAGER, la))
    assert client.post(url).status_code == 403
    elsewhere = factories.make_user(
        Role.DATA_PROTECTION_OFFICER, factories.LocalAuthorityFactory(area=other_area)
    )
    client.force_login(elsewhere)
    assert client.post(url).status_code == 404
    assert not AuditEntry.objects.filter(action="export").exists()
    # Nor may they open an export made by this area's officer.
    client.force_login(factories.make_user(Role.DATA_PROTECTION_OFFICER, la))
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url)
    run = JobRun.objects.get(kind="subject-access")
    client.force_login(elsewhere)
    assert client.get(reverse("dataprotection:export-run", args=[run.pk])).status_code == 404
    assert client.get(reverse("dataprotection:export-json", args=[run.pk])).status_code == 404


@pytest.mark.django_db
def test_a_record_past_its_date_is_anonymised_and_nothing_personal_is_left(area, settings):
    born = dt.date(1994, 6, 15)  # 32 years old on TODAY
    child, case, document = _child_with_history(area, born=born)
    path = document.file.path
    assert retention.keep_until(born) == dt.date(2025, 6, 15)
    assert list(retention.due(TODAY)) == [child]
    retention.anonymise(child, today=TODAY)
    child.refresh_from_db()
    assert (child.first_name, child.upn, child.nhs_number, child.postcode) == (
        "Anonymised",
        "",
        "",
        "",
    )
    assert child.date_of_birth == dt.date(1994, 6, 1)
    case.refresh_from_db()
    assert case.reason == retention.REMOVED and case.reference  # the reference stays
    assert CaseNote.objects.get(assessment_request=case).text == retention.REMOVED
    document.refresh_from_db()
    assert document.title == retention.REMOVED and not document.file.name
    import os

    assert not os.path.exists(path)
    assert not FamilyLink.objects.filter(child=child).exists()
    assert Message.objects.get(child=child).to == retention.REMOVED[:254]
    export = subject_access.build(child, actor=None).as_json()
    for mark in ("Zebedee", "Quartermaine", "overwhelming", "sleep"):
        assert mark not in export, mark
    assert Anonymisation.objects.get(child=child).files_removed == 1
    assert AuditEntry.objects.filter(child_id=child.pk, action="update").exists()
    # Running again finds nothing due and changes nothing.
    assert retention.anonymise_due(today=TODAY) == 0
    with pytest.raises(ValueError, match="not due"):
        retention.anonymise(child, today=TODAY)


@pytest.mark.django_db
def test_a_record_with_an_open_case_or_active_plan_is_never_anonymised(area):
    born = dt.date(1990, 1, 1)
    open_case, _, _ = _child_with_history(area, born=born, open_case=True)
    active, _, _ = _child_with_history(area, born=born, active_plan=True)
    assert not retention.due(TODAY).exists()
    report = retention.report(TODAY)
    assert (report.due, report.held_back) == (0, 2)
    with pytest.raises(ValueError):
        retention.anonymise(open_case, today=TODAY)


@pytest.mark.django_db
def test_the_dry_run_changes_nothing(area, capsys):
    born = dt.date(1990, 1, 1)
    child, _, _ = _child_with_history(area, born=born)
    call_command("retention")
    out = capsys.readouterr().out
    assert "Past the retention date: 1" in out and "Dry run" in out
    child.refresh_from_db()
    assert child.first_name == "Zebedee"
    call_command("retention", "--anonymise")
    child.refresh_from_db()
    assert child.first_name == "Anonymised"


@pytest.mark.django_db
def test_the_officer_anonymises_from_the_page_after_confirming(client, area, la):
    child, _, _ = _child_with_history(area, born=dt.date(1990, 1, 1))
    client.force_login(factories.make_user(Role.DATA_PROTECTION_OFFICER, la))
    page = client.get(reverse("dataprotection:home")).content.decode()
    assert "Make 1 record anonymous" in page
    refused = client.post(reverse("dataprotection:anonymise"))
    assert "Confirm that the details will be removed for good" in refused.content.decode()
    child.refresh_from_db()
    assert child.first_name == "Zebedee"
    client.post(reverse("dataprotection:anonymise"), {"confirm": "on"})
    child.refresh_from_db()
    assert child.first_name == "Anonymised"


@given(born=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2026, 1, 1)))
def test_a_record_is_kept_for_the_whole_period(born):
    until = retention.keep_until(born)
    assert (until.year - born.year) == 31
    assert until >= born + dt.timedelta(days=31 * 365)


def _words(html_text: str) -> str:
    """The PDF's words: the HTML it is set from, without its style sheet and tags."""
    body = html_text.split("<body>", 1)[1]
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.django_db
def test_the_familys_copy_reads_as_plain_english_and_still_holds_everything(area):
    child = factories.ChildFactory(area=area, date_of_birth=dt.date(1998, 3, 30))
    factories.FamilyLinkFactory(child=child, has_parental_responsibility=True)
    plan = factories.issued_plan(child, issued_on=dt.date(2024, 9, 2))
    version = PlanVersion.objects.get(document__plan=plan)
    sections = version.sections
    # Deep in the plan: a line of provision in section F, and an outcome's date.
    sections["F"]["provision"][0]["by_whom"] = "Ms Philippa Featherstonehaugh"
    sections["B"]["secondary_need"] = "SLCN"
    # A final version is frozen, so the plan that followed (naming no setting, the young person
    # not in education) has a draft holding the nested sections and a quality check.
    later = factories.EHCPlanFactory(
        child=child, setting=None, setting_code=SettingCode.NEET, issued_on=dt.date(2025, 1, 6)
    )
    document = PlanDocument.objects.create(area=area, child=child, plan=later)
    PlanVersion.objects.create(
        document=document,
        number=1,
        sections=sections,
        quality={"score": 100, "findings": [{"code": "vague", "score": None, "ok": True}]},
    )
    Placement.objects.create(
        area=area,
        plan=plan,
        placement_type="mainstream",
        setting_code="NEET",
        starts_on=dt.date(2025, 1, 6),
    )

    CaseEvent.objects.create(
        assessment_request=factories.AssessmentRequestFactory(child=child),
        kind=EventKind.REQUEST_RECEIVED,
        happened_on=dt.date(2024, 1, 8),
        summary="Request for an assessment received",
    )
    subject_access.build(child, actor=None)  # an earlier export: in the list of who saw it
    export = subject_access.build(child, actor=None)
    words = _words(export.as_html())

    assert "{'" not in words and "['" not in words
    assert not re.search(r"\bTrue\b|\bFalse\b|\bNone\b", words)
    assert not re.search(r"\d{4}-\d{2}-\d{2}", words)  # no ISO dates or timestamps
    assert "Date of birth 30 March 1998" in words
    assert "Has parental responsibility Yes" in words
    moment = r"\d{1,2} [A-Z][a-z]+ \d{4}, (\d{1,2}:\d{2}[ap]m|midday|midnight)"
    assert re.search("Created at " + moment, words)
    assert re.search(moment + r" system Exported \(Subject access request\) Child\b", words)
    assert "UPN " + child.upn in words and "Upn" not in words
    assert "NHS number" in words and "Nhs" not in words
    assert "EHC plans" in words and "Ehc" not in words
    assert "Lock version" not in words
    # Codes by their labels: a choice field, a code held without choices, codes in the sections.
    assert "Setting code Not in education, employment or training" in words
    assert "NEET" not in words
    assert "Kind Request received" in words and "request_received" not in words
    assert "Primary need: Autistic spectrum disorder" in words
    assert "Secondary need: Speech, language and communication needs" in words
    assert "Section B" in words and "Section F" in words
    assert "Not recorded" in words
    # Complete: what was deep in the plan's sections and quality check is still there.
    assert "By whom: Ms Philippa Featherstonehaugh" in words
    assert "By when: 31 July" in words
    assert "Score: 100" in words and "Ok: Yes" in words
    assert export.as_pdf().startswith(b"%PDF")

    # The records team's JSON stays machine-readable.
    data = json.loads(export.as_json())
    assert data["child"]["date_of_birth"] == "1998-03-30"
    assert data["child"]["upn"] == child.upn
    held = data["records"]["plans.PlanVersion"][-1]
    assert held["sections"] == sections and held["lock_version"] == 1
    assert data["records"]["finance.Placement"][0]["setting_code"] == "NEET"
    assert data["records"]["children.FamilyLink"][0]["has_parental_responsibility"] is True


@pytest.mark.django_db
def test_a_document_is_named_as_the_family_knows_it_never_by_where_the_server_keeps_it(area):
    child, case, document = _child_with_history(area)
    CaseDocument.objects.filter(pk=document.pk).update(
        uploaded_at=dt.datetime(2026, 3, 4, 15, 8, tzinfo=dt.UTC)
    )
    stored = document.file.name  # "cases/<case>/<random name>": the server's, not the family's
    assert stored.startswith("cases/")
    export = subject_access.build(child, actor=None)

    words = _words(export.as_html())
    assert stored not in words and "cases/" not in words
    assert "File report.pdf (a PDF, added 4 March 2026, 3:08pm)" in words

    # The records team's JSON holds the same document by its name, type and date, and every
    # field is still there (a file held is never dropped, only no longer named by its path).
    data = json.loads(export.as_json())
    held = data["records"]["casework.CaseDocument"][0]
    assert stored not in export.as_json()
    assert held["file"] == {
        "name": "report.pdf",
        "type": "application/pdf",
        "added": "2026-03-04T15:08:00+00:00",
    }
    assert held["title"] == "Zebedee's school report" and held["original_name"] == "report.pdf"


def test_every_file_a_child_record_holds_is_named_for_subject_access():
    # A module adding a file about a child says which of its fields name the file, as every
    # text field is classified for retention: the fallback (the record's own name) is a guess.
    held = {
        (records.label, f.name)
        for records in child_record_models()
        for f in records.model._meta.concrete_fields
        if isinstance(f, models.FileField)
    }
    assert held == set(subject_access.FILE_DETAILS)
