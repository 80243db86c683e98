"""Plan PDFs made in the background (issue 21: no heavy work in a web request, decision 0246).

Setting a plan out as a tagged PDF with WeasyPrint takes about half a CPU-second for a typical
plan and over a second of wall-clock time on a busy server, more for a long plan: longer than
a page may take. So a PDF that is not already kept is made by a job, while the caseworker
watches a page that needs no script, and a second press while it is being made starts nothing.

An issued version never changes, so its PDF is kept with it (`PlanPDF`) and every later
download, by staff, the family or the API, is served from that file at once. A draft changes,
so its PDF is kept with the run that made it, as the draft was then; anonymising the child's
record removes it (dataprotection.retention)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from everychild.core import jobs
from everychild.core.models import JobRun
from everychild.plans import documents
from everychild.plans.models import PlanVersion
from everychild.plans.selectors import PDF_JOB


def request_pdf(*, actor, version: PlanVersion) -> tuple[JobRun, bool]:
    """Start making `version`'s PDF, or give the run already making it. The caller has
    already found the version through the access-checked selector."""
    return jobs.start(
        PDF_JOB,
        scope=f"area:{version.document.area_id}",
        key=f"plan-version:{version.pk}",
        params={"version": version.pk, "issued": version.is_issued},
        actor=actor,
    )


def do_pdf(run: JobRun, progress) -> dict:
    """The job (registered in PlansConfig.ready())."""
    version = PlanVersion.objects.select_related("document__child", "document__area").get(
        pk=run.params["version"]
    )
    progress(10, "Setting out the plan as a PDF")
    if version.is_issued:
        documents.store_pdfs([version.pk])  # kept with the version: it never changes
        return {"version": version.pk, "kept": True}
    content = documents.render_plan_pdf(version)
    progress(90, "Keeping the PDF")
    name = default_storage.save(
        f"plan-pdfs/{run.pk}/ehc-plan-draft-version-{version.number}.pdf", ContentFile(content)
    )
    return {"version": version.pk, "file": name, "size": len(content)}


def remove_draft_pdfs(version_ids) -> int:
    """Delete the kept PDFs of these drafts (the child's record is being made anonymous)."""
    removed = 0
    for run in JobRun.objects.filter(kind=PDF_JOB, params__version__in=list(version_ids)):
        name = (run.result or {}).get("file")
        if name:
            default_storage.delete(name)
            removed += 1
        JobRun.objects.filter(pk=run.pk).update(
            result={"version": run.params["version"], "removed": True}
        )
    return removed
