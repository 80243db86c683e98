"""EHC plans: the plan a child holds, its placement and need, and its life (reviews, ceasing).
The sections A-K as structured data come with the plans issue; this is the record of the plan
the rest of the system needs (caseload, placements, SEN2)."""

from django.db import models

from everychild.children.codes import NeedType


class CeaseReason(models.TextChoices):
    """SEN2 CeaseReason."""

    MAX_AGE = "1", "Reached maximum age"
    NEEDS_MET = "2", "Needs met without a plan"
    HIGHER_EDUCATION = "3", "Moved into higher education"
    EMPLOYMENT = "4", "Moved into paid employment"
    TRANSFERRED = "5", "Transferred to another LA"
    NOT_ENGAGING = "6", "No longer wishes to engage in education or training"
    LEFT_ENGLAND = "7", "Moved outside England"
    DECEASED = "8", "Deceased"
    OTHER = "9", "Other"


class SettingCode(models.TextChoices):
    """SEN2 SENSetting: where a child is placed when there is no URN or UKPRN."""

    OLA = "OLA", "Other arrangements made by the LA"
    OPA = "OPA", "Other arrangements made by parents"
    EHE = "EHE", "Elective home education"
    EYP = "EYP", "Early years provider"
    OTH = "OTH", "Other"
    NEET = "NEET", "Not in education, employment or training"
    NIEC = "NIEC", "Not in education: ceased"
    NIEO = "NIEO", "Not in education: other"


class EHCPlan(models.Model):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="plans")
    assessment_request = models.OneToOneField(
        "casework.AssessmentRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan",
        help_text="Empty for plans made before the area's history in EveryChild begins.",
    )
    issued_on = models.DateField()
    primary_need = models.CharField(max_length=4, choices=NeedType.choices)
    secondary_need = models.CharField(max_length=4, choices=NeedType.choices, blank=True)
    setting = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plans_named",
    )
    setting_code = models.CharField(max_length=4, choices=SettingCode.choices, blank=True)
    last_review_meeting_on = models.DateField(null=True, blank=True)
    ceased_on = models.DateField(null=True, blank=True)
    cease_reason = models.CharField(max_length=1, choices=CeaseReason.choices, blank=True)

    class Meta:
        ordering = ["-issued_on"]
        indexes = [
            models.Index(fields=["area", "ceased_on"]),
            models.Index(fields=["setting", "ceased_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(setting__isnull=True, setting_code=""),
                name="plan_names_a_setting_or_code",
            ),
            models.CheckConstraint(
                condition=models.Q(ceased_on__isnull=True, cease_reason="")
                | (models.Q(ceased_on__isnull=False) & ~models.Q(cease_reason="")),
                name="plan_cease_reason_with_date",
            ),
        ]

    def __str__(self) -> str:
        return f"EHC plan for {self.child} issued {self.issued_on:%d %B %Y}"

    @property
    def is_active(self) -> bool:
        return self.ceased_on is None
