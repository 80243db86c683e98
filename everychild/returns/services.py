"""Writes of the returns app: importing an area's history from a SEN2 file (a migration from
another system), all-or-nothing, audited, and safe to run twice; and starting the SEN2 checks
as a background job (`everychild.core.jobs`), since making and checking a return takes longer
than a web request may."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from everychild.access.audit import AuditEvent, record_many
from everychild.access.models import AuditAction
from everychild.access.policy import la_area_ids
from everychild.areas.models import Area
from everychild.casework.models import AssessmentRequest
from everychild.children import services as children_services
from everychild.children.models import Child
from everychild.core import jobs
from everychild.core.dates import today
from everychild.core.models import JobRun
from everychild.returns import selectors
from everychild.returns.models import CarriedPlanItems, CarriedRequestItems
from everychild.returns.sen2 import reading
from everychild.returns.sen2.importing import (
    DescribeArea,
    ImportPlan,
    PlannedPlan,
    plan_import,
)

AUDIT_REASON = "SEN2 import"


@dataclass
class ImportResult:
    plan: ImportPlan
    written: bool = False
    dry_run: bool = False
    write_problem: str = ""
    children_created: int = 0
    requests_created: int = 0
    plans_created: int = 0
    settings_created: int = 0
    area_created: bool = False

    @property
    def ok(self) -> bool:
        return not self.plan.failed and not self.write_problem


class _References:
    """Case references for imported requests: "<LA>/<year>/S00001", numbered on from the
    highest already used (S for SEN2 import, apart from the service's own numbering)."""

    def __init__(self, lea: str):
        self.lea = lea
        self.next: dict[int, int] = {}

    def __call__(self, year: int) -> str:
        prefix = f"{self.lea}/{year}/S"
        if year not in self.next:
            highest = AssessmentRequest.objects.filter(reference__startswith=prefix).aggregate(
                top=Max("reference")
            )["top"]
            number = int(re.sub(r"\D", "", highest[len(prefix) :]) or 0) if highest else 0
            self.next[year] = number + 1
        reference = f"{prefix}{self.next[year]:05d}"
        self.next[year] += 1
        return reference


def _save_plan(planned: PlannedPlan, *, child, area, request, source: str) -> None:
    plan = planned.plan
    plan.area = area
    plan.child = child
    plan.assessment_request = request
    if planned.setting is not None:
        plan.setting = planned.setting.organisation
    plan.full_clean()
    plan.save()
    CarriedPlanItems.objects.create(
        plan=plan,
        items=planned.items,
        plan_details=planned.plan_details,
        placement_details=planned.placement_details,
        setting_key=planned.setting_key,
        source=source,
    )


def _write(plan: ImportPlan, result: ImportResult, actor) -> None:
    area = plan.area
    if plan.area_is_new:
        # Built from the file's header; saved with everything else, or not at all.
        area.save()
        result.area_created = True
    source = Path(plan.path).name[:200]
    references = _References(area.old_la_code)
    for setting in plan.settings.values():
        if setting.new and setting.organisation.pk is None:
            setting.organisation.area = area  # (again: a new area has its key only now)
            setting.organisation.full_clean()
            setting.organisation.save()
            result.settings_created += 1
    events = []
    new_children = []
    for record in plan.records:
        child = record.child
        if record.child_is_new:
            child.area = area
            if record.current_setting is not None:
                child.current_setting = record.current_setting.organisation
            # Not full_clean: its 0-25 check is for a child being added today, and a migrated
            # history holds young people who have turned 25 since (see Planner._new_child).
            child.clean_fields()
            child.validate_constraints()
            child.save()
            new_children.append(child)
            result.children_created += 1
        for planned in record.requests:
            request = planned.request
            request.area, request.child = area, child
            request.reference = references(request.received_on.year)
            request.full_clean()
            request.save()
            result.requests_created += 1
            CarriedRequestItems.objects.create(
                assessment_request=request, items=planned.items, source=source
            )
            if planned.exception is not None:
                planned.exception.assessment_request = request
                planned.exception.full_clean()
                planned.exception.save()
            if planned.plan is not None:
                _save_plan(planned.plan, child=child, area=area, request=request, source=source)
                result.plans_created += 1
        for planned in record.historical_plans:
            _save_plan(planned, child=child, area=area, request=None, source=source)
            result.plans_created += 1
        if record.child_is_new or record.adds:
            events.append(
                AuditEvent(
                    action=AuditAction.CREATE if record.child_is_new else AuditAction.UPDATE,
                    actor=actor,
                    child_id=child.pk,
                    record_type=Child._meta.label,
                    record_id=str(child.pk),
                    reason=f"{AUDIT_REASON} from {source}",
                    detail={"added": record.adds, "person": record.person},
                )
            )
    # Each new child's first period at the setting the return names, from today: the return
    # says where they are, not since when (decision 0240). Audited with the child's creation.
    children_services.record_first_settings(
        new_children, started_on=lambda child: today(), recorded_by=actor
    )
    record_many(events)


def import_sen2(
    *,
    path,
    dry_run: bool = False,
    actor=None,
    max_bytes: int = reading.DEFAULT_MAX_BYTES,
    new_area: DescribeArea | None = None,
    only_area: Area | None = None,
) -> ImportResult:
    """Import an area's history from a SEN2 file. If the file cannot be read or any person in
    it fails a check, nothing is written and the result says which and why; with `dry_run`
    nothing is written either way. Importing the same file again adds nothing. With
    `new_area`, a file for an area EveryChild does not have creates it (see `plan_import`);
    with `only_area`, a file for any other area is refused."""
    plan = plan_import(path, max_bytes=max_bytes, new_area=new_area)
    if only_area is not None and plan.area is not None and plan.area.pk != only_area.pk:
        # Uploaded in the browser: staff import into their own area, never another.
        plan.file_problem = (
            f"The file is for local authority {plan.area.old_la_code}, not {only_area.name}: "
            "you can import only your own area's records."
        )
    result = ImportResult(plan=plan, dry_run=dry_run)
    if plan.failed or dry_run:
        return result
    try:
        with transaction.atomic():
            _write(plan, result, actor)
    except Exception as error:  # anything at all: the transaction is gone, say why
        result.write_problem = f"Nothing was written: {type(error).__name__}: {error}"
        result.area_created = False
        if plan.area_is_new:
            plan.area.pk = None  # its row went with the transaction
        result.children_created = result.requests_created = 0
        result.plans_created = result.settings_created = 0
        return result
    result.written = True
    return result


# --- the SEN2 checks, as a background job ------------------------------------------------------

CHECKS = "sen2-checks"


def scope(area: Area) -> str:
    """Who may see a run of the returns app's jobs: the area's local authority staff."""
    return f"area:{area.pk}"


def request_checks(user, *, area: Area, year: int) -> tuple[JobRun, bool]:
    """Start checking the area's `year` return in the background, or, if a check of that return
    is already waiting or running (whoever asked), give that run instead (and False)."""
    if area.pk not in la_area_ids(user):
        raise PermissionError("Only the area's local authority staff can check its return.")
    return jobs.start(
        CHECKS,
        scope=scope(area),
        key=f"area:{area.pk}:year:{year}",
        params={"area": area.pk, "year": year},
        actor=user,
    )


def do_checks(run: JobRun, progress) -> dict:
    """The job: make the return and check it (registered in ReturnsConfig.ready())."""
    area = Area.objects.get(pk=run.params["area"])
    return selectors.check_return(area, run.params["year"], progress=progress)


# --- a SEN2 file uploaded in the browser, checked and imported as a background job -----------

IMPORT = "sen2-import"
REPORT_COLUMNS = ("person", "who", "line", "status", "adds", "problems", "notes")


def report_rows(plan: ImportPlan) -> list[dict]:
    """One row per person of the file: what happened (or would happen) and why. The command's
    --report and the upload's result page show the same rows."""
    return [
        {
            "person": record.person,
            "who": record.label,
            "line": record.line or "",
            "status": record.status,
            "adds": "; ".join(record.adds),
            "problems": "; ".join(record.problems),
            "notes": "; ".join(record.notes + record.warnings),
        }
        for record in plan.records
    ]


def request_import(user, *, area: Area, upload, dry_run: bool) -> tuple[JobRun, bool]:
    """Start checking (`dry_run`) or importing an uploaded SEN2 file into `area` in the
    background; one import per area at a time (a second is shown the first)."""
    params = {"area": area.pk, "dry_run": dry_run, "filename": Path(upload.name).name[:200]}
    return _start_import(user, area, params, upload=upload)


def import_checked_file(user, checked: JobRun) -> tuple[JobRun, bool]:
    """Import the file a finished dry run checked, without uploading it again."""
    area = Area.objects.get(pk=checked.params["area"])
    params = {**checked.params, "dry_run": False, "checked_by_run": checked.pk}
    return _start_import(user, area, params, stored_upload=checked.upload.name)


def _start_import(user, area: Area, params: dict, **file) -> tuple[JobRun, bool]:
    if area.pk not in la_area_ids(user):
        raise PermissionError("Only the area's local authority staff can import its records.")
    return jobs.start(
        IMPORT, scope=scope(area), key=f"area:{area.pk}:import", params=params, actor=user, **file
    )


def do_import(run: JobRun, progress) -> dict:
    """The job: the sen2_import command's own path (size limit, hardened XML, all or nothing,
    audited as the person who asked), restricted to the area it was uploaded for."""
    area = Area.objects.get(pk=run.params["area"])
    dry_run = run.params["dry_run"]
    progress(10, "Reading and checking the file")
    result = import_sen2(
        path=run.upload.path, dry_run=dry_run, actor=run.requested_by, only_area=area
    )
    plan = result.plan
    if not dry_run:
        # Imported or refused, the file has done its work: no copy of it stays here (and the
        # check that offered to import it offers no more).
        name = run.upload.name
        run.upload.delete(save=False)
        JobRun.objects.filter(upload=name).update(upload="")
    return {
        "dry_run": dry_run,
        "written": result.written,
        "file_problem": plan.file_problem,
        "write_problem": result.write_problem,
        "ok": result.ok,
        "people": len(plan.records),
        "refused": sum(1 for r in plan.records if r.failed),
        "new": sum(1 for r in plan.records if r.child_is_new and not r.failed),
        "added": sum(1 for r in plan.records if r.adds and not r.child_is_new),
        "same": sum(1 for r in plan.records if not r.adds and not r.failed),
        "children_created": result.children_created,
        "requests_created": result.requests_created,
        "plans_created": result.plans_created,
        "rows": report_rows(plan),
    }
