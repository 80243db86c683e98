"""The local area partnership's improvement plan (DOMAIN.md section 7): priorities (the areas
of weakness named by inspection or direction), actions with an owner organisation and person,
a due date, status and RAG rating, success criteria tied to measures with targets by date,
evidence, milestones, and the history of every update.

No child's data lives here: the plan is about the service, and the board sees all of it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models

from everychild.performance.measures import MEASURES


class Priority(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where the priority comes from, e.g. the statutory direction of 26 February "
        "2024 or an inspection's area for improvement.",
    )

    class Meta:
        ordering = ["area", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["area", "number"], name="priority_unique_number")
        ]

    def __str__(self) -> str:
        return f"Priority {self.number}: {self.title}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    COMPLETED = "completed", "Completed"


class Rag(models.TextChoices):
    """The owner's rating of how the action is going."""

    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: at risk"
    GREEN = "green", "Green: on track"


class ImprovementAction(models.Model):
    priority = models.ForeignKey(Priority, on_delete=models.PROTECT, related_name="actions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="improvement_actions"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="improvement_actions"
    )
    starts_on = models.DateField()
    due_on = models.DateField()
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    rag = models.CharField("RAG rating", max_length=5, choices=Rag.choices, default=Rag.GREEN)
    completed_on = models.DateField(null=True, blank=True)
    # Optimistic locking: each update increments it; an update from a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "number"], name="action_unique_number"),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")),
                name="action_due_not_before_start",
            ),
        ]
        indexes = [models.Index(fields=["owner_organisation", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"{self.priority.number}.{self.number}"

    def is_overdue(self, today) -> bool:
        return self.status != ActionStatus.COMPLETED and self.due_on < today

    def clean(self):
        errors = {}
        if self.starts_on and self.due_on and self.due_on < self.starts_on:
            errors["due_on"] = ValidationError(
                "The due date must be the same as or after the start date.",
                code="due_before_start",
            )
        if self.owner_organisation_id and self.priority_id:
            if self.owner_organisation.area_id != self.priority.area_id:
                errors["owner_organisation"] = ValidationError(
                    "Choose an organisation of the local area partnership.",
                    code="outside_partnership",
                )
            elif (
                self.owner_id
                and not self.owner.memberships.filter(
                    organisation_id=self.owner_organisation_id, is_active=True
                ).exists()
            ):
                errors["owner"] = ValidationError(
                    "The owner must work for the organisation that owns the action.",
                    code="owner_not_in_organisation",
                )
        if errors:
            raise ValidationError(errors)


class SuccessCriterion(models.Model):
    """What success looks like, as a measure's target by a date: together they make the
    trajectory the dashboard draws and rates against."""

    action = models.ForeignKey(
        ImprovementAction, on_delete=models.CASCADE, related_name="success_criteria"
    )
    description = models.CharField(max_length=300)
    measure_id = models.CharField("measure", max_length=60)
    target = models.DecimalField(max_digits=8, decimal_places=1)
    target_by = models.DateField()

    class Meta:
        ordering = ["target_by", "pk"]
        verbose_name_plural = "success criteria"

    def __str__(self) -> str:
        return f"{self.description} ({self.target} by {self.target_by})"

    def clean(self):
        if self.measure_id and self.measure_id not in MEASURES:
            raise ValidationError({"measure_id": "Choose one of the partnership's measures."})


EVIDENCE_EXTENSIONS = ["pdf", "docx", "xlsx", "pptx", "odt", "ods", "csv", "txt", "png", "jpg"]
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024


def validate_evidence_size(file) -> None:
    if file.size > EVIDENCE_MAX_BYTES:
        raise ValidationError("The file must be smaller than 10 MB.", code="too_big")


class Evidence(models.Model):
    """Evidence of progress: a link to where it is kept, or a file uploaded here (stored
    outside the web root and served only through an access-checked view)."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    url = models.URLField("link", blank=True, max_length=500)
    file = models.FileField(
        upload_to="improvement/evidence/%Y/%m/",
        blank=True,
        validators=[
            FileExtensionValidator(EVIDENCE_EXTENSIONS),
            validate_evidence_size,
        ],
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title

    def clean(self):
        if bool(self.url) == bool(self.file):
            raise ValidationError(
                {"url": ValidationError("Give a link or upload a file (one, not both).", "one")}
            )


class Milestone(models.Model):
    action = models.ForeignKey(
        ImprovementAction, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ActionUpdate(models.Model):
    """One entry in an action's history: who changed what, when, and what they said."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    # {field: [before, after]} as text, for the fields the update changed.
    changes = models.JSONField(default=dict, blank=True)
    # An update that marks the action completed while success criteria are measured and not
    # met must say why (services.update_action); the author and time above are who and when.
    explanation = models.TextField(
        "why it is complete although success criteria are not met", blank=True
    )
    # The criteria not met when it was completed, as they stood then (the figures move on):
    # [{"description", "target", "by", "figure_for"}]. No figure is kept: the history is read
    # by people who may not see the performance figures.
    unmet_criteria = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action.reference} updated {self.at:%d %b %Y}"


class BoardPackRun(models.Model):
    """One making of the SEND Board pack, done by the task framework while the person waits on
    a page that shows how far it has got. Holds figures only (no child), like the pack."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being made"
        DONE = "done", "Ready"
        FAILED = "failed", "Could not be made"

    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    as_at = models.DateField(help_text="The day the figures are as at")
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done")
    step = models.CharField(max_length=120, blank=True)
    pdf = models.BinaryField(null=True, blank=True, editable=False)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Made in performance until issue 15; the table kept its name when the model moved.
        db_table = "performance_boardpackrun"
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Board pack as at {self.as_at} ({self.get_status_display()})"

    @property
    def filename(self) -> str:
        return f"send-board-pack-{self.as_at.isoformat()}.pdf"
