"""PDF rendering failing (WeasyPrint or its native libraries broken): the caseworker is told
plainly that the letter was not made, and the case is exactly as it was."""

import pytest

from everychild.casework import letters
from everychild.casework.models import CaseDocument, CaseEvent, Decision, Letter
from everychild.testing import factories

pytestmark = pytest.mark.django_db


def test_a_failing_pdf_renderer_gives_a_clear_message_and_leaves_the_case_unchanged(
    client, caseworker, area, monkeypatch, caplog, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    case = factories.AssessmentRequestFactory(
        area=area, caseworker=caseworker, decision=Decision.ASSESS
    )
    case.decision_on = case.received_on
    case.save()
    version, events = case.version, CaseEvent.objects.filter(assessment_request=case).count()

    def broken(*args, **kwargs):
        raise OSError("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(letters, "render_pdf", broken)
    client.force_login(caseworker)
    response = client.post(
        f"/cases/{case.pk}/letters/", {"kind": "decision_to_assess"}, follow=True
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be made into a PDF just now" in page
    assert "Traceback" not in page and "libpango" not in page
    case.refresh_from_db()
    assert case.version == version
    assert CaseEvent.objects.filter(assessment_request=case).count() == events
    assert not Letter.objects.exists() and not CaseDocument.objects.exists()
    assert not any(tmp_path.rglob("*.*")), "no file left behind"
    assert "Letter PDF could not be rendered" in caplog.text  # the detail is in the log

    # Once the renderer works again, the same letter is made.
    monkeypatch.undo()
    settings.MEDIA_ROOT = tmp_path
    response = client.post(f"/cases/{case.pk}/letters/", {"kind": "decision_to_assess"})
    assert response.status_code == 302 and Letter.objects.count() == 1
