"""A plan's PDF is made in the background (issue 21, decision 0246): setting it out takes
longer than a page may. An issued version's PDF is made once and kept, then downloads at once;
a draft's is made afresh each time, kept with its run. A second press while one is being made
starts no other; another area's caseworker finds nothing."""

import pytest
from django.test import TestCase

from everychild.access.models import AuditEntry
from everychild.accounts.models import Role
from everychild.core.models import JobRun
from everychild.plans import services
from everychild.plans.models import PlanPDF
from everychild.plans.services.pdfs import remove_draft_pdfs
from everychild.plans.tests.conftest import days_ago
from everychild.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(area, school):
    return factories.issued_plan(
        factories.ChildFactory(area=area, current_setting=school), issued_on=days_ago(400)
    )


def _text(response) -> str:
    return response.content.decode()


def test_an_issued_versions_pdf_is_made_once_then_downloads_at_once(client, caseworker, plan):
    client.force_login(caseworker)
    url = f"/plans/{plan.pk}/versions/1/pdf"
    first = client.get(url)
    assert first["Content-Type"].startswith("text/html")
    assert "Make the PDF" in _text(first) and "has not been made yet" in _text(first)

    with TestCase.captureOnCommitCallbacks(execute=True):
        pressed = client.post(url)
    run = JobRun.objects.get(kind="plan-pdf")
    assert pressed["Location"] == f"{url}/runs/{run.pk}/"
    page = _text(client.get(pressed["Location"]))
    assert "Finished" in page and "kept with the issued version" in page
    assert caseworker.full_name in page  # who asked, and when
    assert PlanPDF.objects.filter(version__document__plan=plan).count() == 1

    downloads = AuditEntry.objects.filter(action="download").count()
    pdf = client.get(url)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="download").count() == downloads + 1


def test_a_second_press_while_the_pdf_is_made_starts_no_other(client, caseworker, plan):
    client.force_login(caseworker)
    url = f"/plans/{plan.pk}/versions/1/pdf"
    first = client.post(url)  # not committed here: the run is still waiting
    second = client.post(url)
    assert first["Location"] == second["Location"]
    assert JobRun.objects.filter(kind="plan-pdf").count() == 1
    waiting = _text(client.get(first["Location"]))
    assert "Waiting to start" in waiting and "Check again" in waiting
    assert "Download the PDF" not in waiting
    # The version's page lists the run already asked for.
    assert "Waiting to start" in _text(client.get(url))
    run = JobRun.objects.get(kind="plan-pdf")
    assert client.get(f"{url}/runs/{run.pk}.pdf").status_code == 404


def test_a_drafts_pdf_is_the_draft_as_it_was_and_goes_with_the_record(client, caseworker, plan):
    client.force_login(caseworker)
    draft = services.start_amendment(actor=caseworker, plan=plan, reason="other")
    url = f"/plans/{plan.pk}/versions/{draft.number}/pdf"
    assert "made afresh each time" in _text(client.get(url))
    with TestCase.captureOnCommitCallbacks(execute=True):
        pressed = client.post(url)
    run = JobRun.objects.get(kind="plan-pdf")
    assert "shows the draft as it was" in _text(client.get(pressed["Location"]))
    pdf = client.get(f"{url}/runs/{run.pk}.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "draft-version" in pdf["Content-Disposition"]
    assert not PlanPDF.objects.filter(version=draft).exists()  # a draft's is never kept

    # Anonymising the child's record removes it (dataprotection.retention calls this).
    assert remove_draft_pdfs([draft.pk]) == 1
    assert client.get(f"{url}/runs/{run.pk}.pdf").status_code == 404
    assert "removed with it" in _text(client.get(pressed["Location"]))


def test_another_areas_caseworker_finds_no_pdf_and_no_run(client, caseworker, plan, other_area):
    client.force_login(caseworker)
    url = f"/plans/{plan.pk}/versions/1/pdf"
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(url)
    run = JobRun.objects.get(kind="plan-pdf")
    other = factories.make_user(Role.CASEWORKER, factories.LocalAuthorityFactory(area=other_area))
    client.force_login(other)
    for address in (url, f"{url}/runs/{run.pk}/", f"{url}/runs/{run.pk}.pdf"):
        assert client.get(address).status_code == 404
    assert client.post(url).status_code == 404
    assert JobRun.objects.filter(kind="plan-pdf").count() == 1


def test_issuing_a_version_makes_and_keeps_its_pdf_in_the_background(client, caseworker, plan):
    draft = services.start_amendment(actor=caseworker, plan=plan, reason="other")
    with TestCase.captureOnCommitCallbacks(execute=True):
        issued = services.issue_amendment(actor=caseworker, draft=draft, issued_on=days_ago(0))
    run = JobRun.objects.get(kind="plan-pdf")
    assert run.requested_by == caseworker and run.status == "done"
    assert PlanPDF.objects.filter(version=issued).exists()
    # So the download is the kept file, at once, with no page in between.
    client.force_login(caseworker)
    pdf = client.get(f"/plans/{plan.pk}/versions/{issued.number}/pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
