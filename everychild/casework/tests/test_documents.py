"""Documents: uploads checked by content and size, stored outside the web root under a
random name, downloads access-checked and audited; decision letters as HTML and PDF with the
engine's dates."""

import html
import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from everychild.access.models import AuditEntry
from everychild.casework import services
from everychild.casework.models import CaseDocument, CaseEvent, EventKind, Letter
from everychild.casework.tests.conftest import days_ago
from everychild.statutory import deadlines

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PDF = b"%PDF-1.7\n%...\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("report.pdf", PDF, "application/pdf"),
        ("photo.PNG", PNG, "image/png"),
        ("scan.jpeg", JPEG, "image/jpeg"),
        ("scan.jpg", JPEG, "image/jpeg"),
        (
            "views.docx",
            docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ],
)
def test_allowed_files_are_stored_outside_the_web_root_under_a_random_name(
    build, caseworker, settings, name, content, kind
):
    case = build.request()
    document = services.upload_document(actor=caseworker, case=case, upload=upload(name, content))
    stored = Path(document.file.path)
    assert stored.is_relative_to(Path(settings.MEDIA_ROOT) / "cases" / str(case.pk))
    assert stored.name == document.stored_name and name not in str(stored)
    assert len(document.stored_name) == 32
    assert stored.read_bytes() == content
    assert (document.content_type, document.size, document.original_name) == (
        kind,
        len(content),
        name,
    )
    assert not stored.is_relative_to(Path(settings.STATIC_ROOT))


@pytest.mark.parametrize(
    ("name", "content", "code", "words"),
    [
        ("report.pdf", PNG, "disguised", "but it is really a PNG image"),
        ("photo.png", PDF, "disguised", "but it is really a PDF"),
        ("report.docx", plain_zip(), "file_type", "must be a PDF, a Word document"),
        ("virus.exe", b"MZ\x90\x00", "file_type", "none of those"),
        ("page.html", b"<html><script>alert(1)</script>", "file_type", "none of those"),
        ("report", PDF, "disguised", "(no ending)"),
        ("empty.pdf", b"", "empty", "empty"),
    ],
)
def test_disguised_or_unknown_files_are_refused(
    build, caseworker, settings, name, content, code, words
):
    case = build.request()
    events = CaseEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.upload_document(actor=caseworker, case=case, upload=upload(name, content))
    [error] = caught.value.error_dict["file"]
    assert error.code == code
    assert words in error.messages[0]
    assert not CaseDocument.objects.exists()
    assert CaseEvent.objects.count() == events
    assert not (Path(settings.MEDIA_ROOT) / "cases").exists()


def test_files_over_10_mb_are_refused(build, caseworker, settings):
    settings.EVERYCHILD_MAX_UPLOAD_BYTES = 1024
    case = build.request()
    with pytest.raises(ValidationError) as caught:
        services.upload_document(
            actor=caseworker, case=case, upload=upload("big.pdf", PDF + b"x" * 2000)
        )
    assert caught.value.error_dict["file"][0].code == "too_large"
    assert "smaller than" in caught.value.error_dict["file"][0].messages[0]


def test_the_default_limit_is_10_mb(build, caseworker):
    case = build.request()
    with pytest.raises(ValidationError) as caught:
        services.upload_document(
            actor=caseworker, case=case, upload=upload("big.pdf", PDF + b"x" * (10 * 1024 * 1024))
        )
    assert "smaller than 10 MB" in caught.value.error_dict["file"][0].messages[0]


def test_uploading_through_the_page_shows_errors_on_the_case_page(client, build, caseworker):
    case = build.request()
    client.force_login(caseworker)
    response = client.post(
        f"/cases/{case.pk}/documents/", {"title": "", "file": upload("x.pdf", PNG)}
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "There is a problem with the upload" in page and "really a PNG image" in page
    ok = client.post(
        f"/cases/{case.pk}/documents/", {"title": "EP report", "file": upload("r.pdf", PDF)}
    )
    assert ok.status_code == 302
    assert "EP report" in client.get(f"/cases/{case.pk}/").content.decode()


def test_downloads_are_attachments_with_nosniff_and_audited(client, build, caseworker):
    case = build.request()
    document = services.upload_document(
        actor=caseworker, case=case, upload=upload("views.pdf", PDF), title="Views"
    )
    client.force_login(caseworker)
    response = client.get(f"/cases/{case.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment")
    assert 'filename="views.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    entry = AuditEntry.objects.order_by("-seq").first()
    assert (entry.action, entry.child_id, entry.record_id) == (
        "download",
        case.child_id,
        str(document.pk),
    )


def test_a_document_is_reached_only_through_its_own_case(client, build, caseworker):
    first, second = build.request(), build.request()
    document = services.upload_document(actor=caseworker, case=first, upload=upload("a.pdf", PDF))
    client.force_login(caseworker)
    assert client.get(f"/cases/{second.pk}/documents/{document.pk}/").status_code == 404


# --- Letters --------------------------------------------------------------------------------


def test_the_not_to_assess_letter_gives_appeal_rights_mediation_and_dates(build, caseworker):
    from everychild.casework.models import Decision

    case = build.decide(build.request(received_days_ago=30), decision=Decision.NOT_ASSESS)
    letter = services.generate_letter(
        actor=caseworker, case=case, kind=Letter.Kind.DECISION_NOT_TO_ASSESS
    )
    today = days_ago(0)
    text = html.unescape(letter.html)
    mediation = deadlines.mediation_contact_due(today)
    appeal = deadlines.appeal_deadline(today)
    assert f"{mediation.day} {mediation:%B %Y}" in text
    assert f"{appeal.day} {appeal:%B %Y}" in text
    for words in (
        "right to appeal",
        "First-tier Tribunal",
        "mediation adviser",
        "regulation 33",
        "SENDIASS",
        "IPSEA",
        case.decision_reasons,
        case.reference,
    ):
        assert words in text, words
    pdf = Path(letter.document.file.path).read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert letter.document.kind == CaseDocument.Kind.LETTER
    assert CaseEvent.objects.filter(assessment_request=case, kind=EventKind.LETTER_CREATED).exists()


def test_a_letter_recorded_as_sent_starts_the_familys_deadlines(build, caseworker, client):
    from everychild.casework.models import Decision

    case = build.decide(build.request(received_days_ago=30), decision=Decision.NOT_ASSESS)
    letter = services.generate_letter(
        actor=caseworker, case=case, kind=Letter.Kind.DECISION_NOT_TO_ASSESS
    )
    case.refresh_from_db()
    with pytest.raises(ValidationError):
        services.record_letter_sent(
            actor=caseworker, letter=letter, version=case.version, sent_on=days_ago(1)
        )
    services.record_letter_sent(
        actor=caseworker, letter=letter, version=case.version, sent_on=days_ago(0)
    )
    client.force_login(caseworker)
    page = html.unescape(client.get(f"/cases/{case.pk}/").content.decode())
    assert "Contact the mediation adviser before appealing" in page
    assert "Appeal to the First-tier Tribunal (SEND)" in page
    assert "The family may contact a mediation adviser by" in page


def test_the_assess_letter_gives_the_20_week_date(build, caseworker, client):
    case = build.decide(build.request(received_days_ago=30))
    client.force_login(caseworker)
    response = client.post(f"/cases/{case.pk}/letters/", {"kind": "decision_to_assess"})
    letter = Letter.objects.get(assessment_request=case)
    assert response.status_code == 302 and response.url == f"/cases/{case.pk}/letters/{letter.pk}/"
    page = html.unescape(client.get(response.url).content.decode())
    due = case.received_on + __import__("datetime").timedelta(days=140)
    assert f"{due.day} {due:%B %Y}" in page
    assert "Download the PDF" in page


def test_a_letter_must_match_the_decision(build, caseworker):
    case = build.decide(build.request())
    with pytest.raises(ValidationError) as caught:
        services.generate_letter(actor=caseworker, case=case, kind="decision_not_to_assess")
    assert caught.value.error_dict["kind"][0].code == "wrong_letter"
    assert not Letter.objects.exists() and not CaseDocument.objects.exists()
