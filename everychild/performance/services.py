"""Writes for the performance pages: making the SEND Board pack in the background."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from everychild.areas.models import Area

from .models import BoardPackRun


def request_board_pack(*, area: Area, as_at: date, actor) -> BoardPackRun:
    """Record the request and hand it to the task framework once it is committed."""
    if as_at > timezone.localdate():
        raise ValueError("The board pack cannot show figures as at a day in the future.")
    run = BoardPackRun.objects.create(area=area, as_at=as_at, requested_by=actor)
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from .tasks import make_board_pack

    make_board_pack.enqueue(run_id)


def make_board_pack(run_id: int) -> str:
    """Make the pack for a run; a run already started or finished is left alone, so running
    the task twice makes one pack."""
    from everychild.improvement.boardpack import make_board_pack as build

    claimed = BoardPackRun.objects.filter(pk=run_id, status=BoardPackRun.Status.QUEUED).update(
        status=BoardPackRun.Status.RUNNING, progress=1, step="Starting"
    )
    run = BoardPackRun.objects.select_related("area").get(pk=run_id)
    if not claimed:
        return run.status

    def progress(percent: int, step: str) -> None:
        BoardPackRun.objects.filter(pk=run_id).update(progress=percent, step=step[:120])

    try:
        pack = build(run.area, on=run.as_at, progress=progress)
    except Exception as error:  # noqa: BLE001 - the person waiting is told; the log has the rest
        BoardPackRun.objects.filter(pk=run_id).update(
            status=BoardPackRun.Status.FAILED,
            error=f"The pack could not be made ({type(error).__name__}). Please try again; "
            "if it fails again, tell the system administrator.",
            finished_at=timezone.now(),
        )
        raise
    BoardPackRun.objects.filter(pk=run_id).update(
        status=BoardPackRun.Status.DONE,
        progress=100,
        step="Ready",
        pdf=pack.pdf,
        pages=pack.pages,
        seconds=round(pack.seconds, 2),
        finished_at=timezone.now(),
    )
    return BoardPackRun.Status.DONE
