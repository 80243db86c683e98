"""Subject access exports as background jobs (issue 21, decision 0214).

Gathering everything held about a child from every module and setting it as an accessible PDF
can take longer than a web request may (10 s). The officer presses "Make the export"; the job
builds it once, keeps the PDF and the JSON as files outside the web root, and its run records
who asked and when. Each download of a kept export is audited again, as opening a record is."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from everychild.access import audit
from everychild.access.models import AuditAction
from everychild.children.models import Child
from everychild.core import jobs
from everychild.core.models import JobRun

from . import selectors, subject_access

EXPORT_JOB = "subject-access"


def request_export(*, actor, child: Child) -> tuple[JobRun, bool]:
    """Start making `child`'s export in the background, or give the run already making it (a
    second press, or a second officer, starts no other)."""
    if not selectors.officers_children(actor).filter(pk=child.pk).exists():
        raise PermissionDenied("This child is not in an area whose data protection you hold.")
    return jobs.start(
        EXPORT_JOB,
        scope=f"area:{child.area_id}",
        key=f"child:{child.pk}",
        params={"child": child.pk},
        actor=actor,
    )


def do_export(run: JobRun, progress) -> dict:
    """The job (registered in DataProtectionConfig.ready()): build the export as the officer
    who asked (that build is audited as an export), and keep both forms of it."""
    child = Child.objects.get(pk=run.params["child"])
    progress(10, "Gathering the child's records from every part of the service")
    export = subject_access.build(child, actor=run.requested_by)
    progress(50, "Setting out the PDF")
    pdf = export.as_pdf()
    progress(90, "Keeping the export")
    folder = f"subject-access/{run.pk}"
    json_name = default_storage.save(
        f"{folder}/subject-access-{child.pk}.json", ContentFile(export.as_json().encode())
    )
    pdf_name = default_storage.save(f"{folder}/subject-access-{child.pk}.pdf", ContentFile(pdf))
    return {
        "child": child.pk,
        "json": json_name,
        "pdf": pdf_name,
        "sections": len(export.sections),
        "audit_entries": len(export.audit),
    }


def officers_runs(user):
    """Exports of children in the officer's areas, newest first."""
    areas = selectors.la_area_ids_for_exports(user)
    return (
        JobRun.objects.filter(kind=EXPORT_JOB, scope__in=[f"area:{pk}" for pk in areas])
        .select_related("requested_by")
        .order_by("-requested_at", "-pk")
    )


def open_kept(*, actor, run: JobRun, form: str, request=None):
    """A kept export's file (`form`: "pdf" or "json"), its download audited against the child."""
    child = Child.objects.get(pk=run.result["child"])
    audit.record(
        action=AuditAction.DOWNLOAD,
        actor=actor,
        child=child,
        record=child,
        request=request,
        reason="Subject access export",
        detail={"run": run.pk, "form": form},
    )
    return child, default_storage.open(run.result[form], "rb")
