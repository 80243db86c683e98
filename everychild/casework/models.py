"""EHC needs assessment casework: the request (which carries the case from day 0 to the final
plan), the advice asked of each agency, exceptions to the time limits, and the chronology.

Dates here are facts; the statutory engine computes every due date and status from them."""

from django.conf import settings
from django.db import models


class RequestSource(models.TextChoices):
    """Who asked for the assessment (SEN2 RequestSource, v1.3)."""

    FAMILY = "1", "Child, young person or parent"
    SETTING = "2", "School or setting"
    HEALTH = "3", "Health"
    SOCIAL_CARE = "4", "Social care"
    OTHER = "5", "Other"


class Stage(models.TextChoices):
    """Where a case is now. Kept in step by the casework services, for filtering lists."""

    AWAITING_DECISION = "awaiting_decision", "Deciding whether to assess"
    ASSESSING = "assessing", "Assessing: gathering advice"
    DRAFT_PLAN = "draft_plan", "Draft plan with the family"
    PLAN_ISSUED = "plan_issued", "Final plan issued"
    NOT_ASSESSING = "not_assessing", "Decided not to assess"
    NOT_ISSUING = "not_issuing", "Decided not to issue a plan"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STAGES = (Stage.AWAITING_DECISION, Stage.ASSESSING, Stage.DRAFT_PLAN)


class Decision(models.TextChoices):
    ASSESS = "assess", "Assess"
    NOT_ASSESS = "not_assess", "Not assess"


class AssessmentRequest(models.Model):
    """A request for an EHC needs assessment, and the case that follows from it."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, related_name="assessment_requests"
    )
    reference = models.CharField(max_length=20, unique=True)
    source = models.CharField(max_length=1, choices=RequestSource.choices)
    requested_by = models.CharField(max_length=200, blank=True, help_text="Name and role")
    reason = models.TextField(blank=True)
    # Day 0 of the 20-week clock (reg 4, reg 13(2)).
    received_on = models.DateField()
    transferred_in = models.BooleanField(
        default=False, help_text="Transfer from another LA: the clock runs from the transfer."
    )
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
    )
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.AWAITING_DECISION)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    draft_plan_served_on = models.DateField(null=True, blank=True)
    final_plan_issued_on = models.DateField(null=True, blank=True)
    decision_not_to_issue_on = models.DateField(null=True, blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    # Optimistic locking: each write increments it; a save from a stale form is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["received_on", "pk"]
        indexes = [
            models.Index(fields=["area", "stage", "received_on"]),
            models.Index(fields=["caseworker", "stage"]),
            models.Index(fields=["area", "final_plan_issued_on"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class AdviceKind(models.TextChoices):
    """The advice the LA must seek (reg 6(1))."""

    EDUCATIONAL_PSYCHOLOGY = "ep", "Psychological advice"
    HEALTH = "health", "Health advice"
    SOCIAL_CARE = "social_care", "Social care advice"
    EDUCATION = "education", "Educational advice (the setting)"
    OTHER = "other", "Other advice"


class AdviceRequest(models.Model):
    assessment_request = models.ForeignKey(
        AssessmentRequest, on_delete=models.CASCADE, related_name="advice_requests"
    )
    kind = models.CharField(max_length=12, choices=AdviceKind.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="advice_requests"
    )
    # The 6 weeks run from the day the body receives the request (reg 8(1)).
    received_by_body_on = models.DateField()
    provided_on = models.DateField(null=True, blank=True)
    cancelled_on = models.DateField(null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="advice_assignments",
    )

    class Meta:
        ordering = ["received_by_body_on", "pk"]
        indexes = [
            models.Index(fields=["organisation", "provided_on", "received_by_body_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.assessment_request}"

    @property
    def to_school_or_setting(self) -> bool:
        return self.organisation.is_setting


class CaseException(models.Model):
    """A recorded exception to a time limit: reg 10(4)(c)/(d) for the case, reg 8(2) for one
    piece of advice. School-closure exceptions (reg 10(4)(a)/(b)) are detected, not recorded."""

    class Regulation(models.TextChoices):
        PERSONAL_CIRCUMSTANCES = "10(4)(c)", "Exceptional personal circumstances (reg 10(4)(c))"
        ABSENT_FROM_AREA = "10(4)(d)", "Absent from the area for 4 weeks or more (reg 10(4)(d))"
        ADVICE_EXCEPTIONAL = "8(2)(a)", "Exceptional circumstances affecting advice (reg 8(2))"
        ADVICE_ABSENT = "8(2)(b)", "Away from the area for 4 weeks or more (reg 8(2))"
        ADVICE_MISSED_APPOINTMENT = "8(2)(c)", "Missed appointment (reg 8(2))"

    assessment_request = models.ForeignKey(
        AssessmentRequest, on_delete=models.CASCADE, related_name="exceptions"
    )
    advice_request = models.ForeignKey(
        AdviceRequest, on_delete=models.CASCADE, null=True, blank=True, related_name="exceptions"
    )
    regulation = models.CharField(max_length=8, choices=Regulation.choices)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"{self.regulation} from {self.starts_on}"


class CaseEvent(models.Model):
    """One entry in a case's chronology: what happened, on which day, by whom."""

    assessment_request = models.ForeignKey(
        AssessmentRequest, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(max_length=40)
    happened_on = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    summary = models.CharField(max_length=300)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["happened_on", "pk"]
        indexes = [models.Index(fields=["assessment_request", "happened_on"])]

    def __str__(self) -> str:
        return f"{self.happened_on}: {self.summary}"
