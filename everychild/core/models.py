"""The kernel's one table of its own: a run of a job that is too slow for a web request.

A job (the SEN2 checks, a SEN2 import, …) is started by a person pressing a button, done by
the task framework, and watched on a page that shows how far it has got. The kernel knows no
job: each app registers its own kinds (`everychild.core.jobs`), says who may see a run through
`scope`, and keeps its result as JSON. See docs/decisions/0210-one-record-for-background-jobs.md.
"""

from django.conf import settings
from django.db import models


class JobRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Could not finish"

    # Statuses in which a run still holds its key: a second press is shown this run instead.
    PENDING = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(max_length=40)
    # Who may see the run, in the owning app's terms, e.g. "area:12".
    scope = models.CharField(max_length=60)
    # What the run does, e.g. "area:12:year:2027": one pending run per kind and key.
    key = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    # A file given with the run (a SEN2 file uploaded to import), kept outside the web root.
    upload = models.FileField(upload_to="jobs/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done")
    step = models.CharField(max_length=120, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        indexes = [models.Index(fields=["kind", "scope", "-requested_at"])]
        constraints = [
            # The database, not a check-then-insert, keeps a double press to one run.
            models.UniqueConstraint(
                fields=["kind", "key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="jobrun_one_pending_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} ({self.get_status_display()})"

    @property
    def pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
