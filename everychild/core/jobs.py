"""Jobs too slow for a web request, run by the task framework (django-tasks, decision 0040)
while the person who asked watches a page that works without JavaScript.

    run, started = jobs.start("sen2-checks", scope="area:12", key="area:12:year:2027",
                              params={...}, actor=user)

records a `JobRun` and enqueues it once the transaction commits. A second press while a run
with the same kind and key is waiting or running starts nothing and returns that run. The task
calls the function the app registered for the kind with the run and a `progress(percent, step)`
callback; what it returns (JSON) is kept as the run's result, with who asked and when.

The kernel names no job: each app registers its kinds from its AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from everychild.core.models import JobRun

# kind -> dotted path of a function (run: JobRun, progress: Callable[[int, str], None]) -> dict
KINDS: dict[str, str] = {}


def register(kind: str, function: str) -> None:
    if KINDS.get(kind, function) != function:
        raise ValueError(f"two different jobs are called {kind!r}")
    KINDS[kind] = function


def start(
    kind: str,
    *,
    scope: str,
    key: str,
    params: dict,
    actor,
    upload=None,
    stored_upload: str = "",
) -> tuple[JobRun, bool]:
    """Record a run and enqueue it after commit; or, if one with this kind and key is still
    waiting or running, return that one (and False). `upload` is a file given now;
    `stored_upload` the name of one an earlier run was given (to use it again)."""
    if kind not in KINDS:
        raise ValueError(f"no job is called {kind!r}")
    pending = JobRun.objects.filter(kind=kind, key=key, status__in=JobRun.PENDING).first()
    if pending is not None:
        return pending, False
    try:
        with transaction.atomic():
            run = JobRun.objects.create(
                kind=kind,
                scope=scope,
                key=key,
                params=params,
                requested_by=actor,
                upload=stored_upload,
            )
            if upload is not None:
                run.upload.save(upload.name, upload, save=True)
    except IntegrityError:
        # Another press got in between the look and the insert: show that one.
        return JobRun.objects.get(kind=kind, key=key, status__in=JobRun.PENDING), False
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run, True


def _enqueue(run_id: int) -> None:
    # The task module imports this one (its task calls run below).
    from everychild.core.tasks import run_job

    run_job.enqueue(run_id)


FAILED_MESSAGE = (
    "It could not finish ({name}). Please try again; if it fails again, tell the system "
    "administrator."
)


def run(run_id: int) -> str:
    """Do a run; one already started or finished is left alone, so a task delivered twice
    does the work once."""
    claimed = JobRun.objects.filter(pk=run_id, status=JobRun.Status.QUEUED).update(
        status=JobRun.Status.RUNNING, progress=1, step="Starting", started_at=timezone.now()
    )
    job = JobRun.objects.select_related("requested_by").get(pk=run_id)
    if not claimed:
        return job.status

    def progress(percent: int, step: str) -> None:
        JobRun.objects.filter(pk=run_id).update(progress=max(1, min(99, percent)), step=step[:120])

    function: Callable = import_string(KINDS[job.kind])
    try:
        result = function(job, progress)
    except Exception as error:  # noqa: BLE001 - the person waiting is told; the log has the rest
        JobRun.objects.filter(pk=run_id).update(
            status=JobRun.Status.FAILED,
            error=FAILED_MESSAGE.format(name=type(error).__name__),
            finished_at=timezone.now(),
        )
        raise
    JobRun.objects.filter(pk=run_id).update(
        status=JobRun.Status.DONE,
        progress=100,
        step="Finished",
        result=result,
        finished_at=timezone.now(),
    )
    return JobRun.Status.DONE
