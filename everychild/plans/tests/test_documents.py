"""Plans as accessible PDF and HTML."""

import io

import pytest
from pypdf import PdfReader

from everychild.plans import documents
from everychild.plans.models import PlanVersion
from everychild.plans.sections import SECTION_TITLES
from everychild.testing import factories


def text_of(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), reader


@pytest.fixture
def final(area):
    plan = factories.issued_plan(factories.ChildFactory(area=area), outcomes=8, provision_lines=30)
    return PlanVersion.objects.get(document__plan=plan)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_has_extractable_text_and_every_section_heading(final):
    text, reader = text_of(documents.render_plan_pdf(final))
    text = flat(text)
    assert "Education, health and care plan" in text
    for key in ("A", "B", "E", "F", "I", "K"):
        assert f"Section {key}: {flat(SECTION_TITLES[key])}" in text
    assert final.document.child.full_name in text
    assert "DRAFT" not in text
    # Accessible: tagged, in English, titled.
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert root["/MarkInfo"]["/Marked"]
    assert "EHC plan for" in reader.metadata.title


def test_a_draft_is_clearly_marked_on_every_page(area, caseworker):
    plan = factories.issued_plan(factories.ChildFactory(area=area), provision_lines=30)
    from everychild.plans import services

    draft = services.start_amendment(actor=caseworker, plan=plan, reason="other")
    text, reader = text_of(documents.render_plan_pdf(draft))
    assert len(reader.pages) > 1
    for page in reader.pages:
        assert "DRAFT" in page.extract_text()
    assert reader.metadata.title.startswith("Draft EHC plan")


def test_the_html_links_provision_to_numbered_outcomes(final):
    html = documents.render_plan_html(final)
    assert "<h1" in html and html.count("<h2") == 12
    assert '<th scope="row" class="govuk-table__header">E1</th>' in html


def test_pdfs_of_issued_versions_are_made_in_the_background_once(final, settings, tmp_path):
    from django.core.management import call_command

    from everychild.plans.models import PlanPDF

    settings.MEDIA_ROOT = tmp_path
    out = io.StringIO()
    call_command("render_plan_pdfs", stdout=out)
    assert "Queued 1 PDFs in 1 tasks" in out.getvalue()
    stored = PlanPDF.objects.get(version=final)
    assert documents.pdf_bytes(PlanVersion.objects.get(pk=final.pk)).startswith(b"%PDF")
    assert stored.size > 10_000
    again = io.StringIO()
    call_command("render_plan_pdfs", stdout=again)
    assert "Queued 0 PDFs" in again.getvalue()
