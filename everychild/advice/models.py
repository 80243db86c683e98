"""The agency side of advice (reg 6-8): the work on each request the local authority sent
(casework.AdviceRequest, which carries the dates the statutory clock needs), appointments,
the structured advice itself, and the EP service's waiting list settings: priority rules,
each psychologist's capacity and leave, and saved forecast scenarios.

The request's own dates (received, provided) stay on casework.AdviceRequest and change only
through the casework services, so the case's chronology and clock stay the single truth."""

from django.conf import settings
from django.db import models


class AdviceWork(models.Model):
    """The agency's work on one request for advice."""

    advice_request = models.OneToOneField(
        "casework.AdviceRequest", on_delete=models.CASCADE, related_name="work"
    )
    allocated_on = models.DateField(null=True, blank=True)
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    priority_rules = models.ManyToManyField("PriorityRule", blank=True, related_name="requests")
    summary = models.TextField(blank=True, help_text="A short overall summary of the advice.")
    document = models.FileField(upload_to="advice/%Y/", blank=True, max_length=200)
    document_name = models.CharField(max_length=200, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    submitted_on = models.DateField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Optimistic locking for the agency's own edits.
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Work on advice request {self.advice_request_id}"


class Appointment(models.Model):
    class Outcome(models.TextChoices):
        PLANNED = "planned", "Planned"
        ATTENDED = "attended", "Attended"
        MISSED = "missed", "Missed (the family did not attend)"

    advice_request = models.ForeignKey(
        "casework.AdviceRequest", on_delete=models.CASCADE, related_name="appointments"
    )
    on = models.DateField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    notes = models.TextField(blank=True)
    # The reg 8(2)(c) exception a missed appointment recorded on the case.
    exception = models.OneToOneField(
        "casework.CaseException",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"Appointment on {self.on}"


class PlanSection(models.TextChoices):
    """The EHC plan sections advice informs (SEND Regulations 2014 reg 12(1))."""

    B = "B", "B: special educational needs"
    C = "C", "C: health needs related to SEN"
    D = "D", "D: social care needs related to SEN or disability"
    E = "E", "E: outcomes"
    F = "F", "F: special educational provision"
    G = "G", "G: health provision"
    H1 = "H1", "H1: social care provision (CSDPA 1970 s.2)"
    H2 = "H2", "H2: other social care provision"


class AdviceItem(models.Model):
    """One need, desired outcome or recommended provision, mapped to its plan section."""

    class Kind(models.TextChoices):
        NEED = "need", "Need"
        OUTCOME = "outcome", "Desired outcome"
        PROVISION = "provision", "Recommended provision"

    work = models.ForeignKey(AdviceWork, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    section = models.CharField(max_length=2, choices=PlanSection.choices)
    text = models.TextField()
    # Provision must be specific and quantified (Code of Practice 9.69): how much, how often,
    # and who delivers it.
    amount = models.CharField(max_length=200, blank=True)
    frequency = models.CharField(max_length=200, blank=True)
    delivered_by = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["section", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.section})"


class PriorityRule(models.Model):
    """A rule the service sets for its triage order (after the statutory due date)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="advice_priority_rules"
    )
    name = models.CharField(max_length=100)
    description = models.TextField()
    rank = models.PositiveSmallIntegerField(help_text="1 is the highest priority.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="advice_rule_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Capacity(models.Model):
    """A professional's available assessments per week from a date (until the next one)."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="advice_capacities"
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advice_capacities"
    )
    per_week = models.DecimalField(max_digits=5, decimal_places=1)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["professional_id", "starts_on"]

    def __str__(self) -> str:
        return f"{self.per_week} a week from {self.starts_on}"


class Leave(models.Model):
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="advice_leave"
    )
    professional = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advice_leave"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["starts_on"]

    def __str__(self) -> str:
        return f"Leave {self.starts_on} to {self.ends_on}"


class Scenario(models.Model):
    """A saved "what if" for the forecast, e.g. "+2 locum EPs from March"."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="advice_scenarios"
    )
    name = models.CharField(max_length=100)
    extra_per_week = models.DecimalField(
        max_digits=6, decimal_places=1, help_text="Extra assessments a week (negative: fewer)."
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="advice_scenario_unique")
        ]

    def __str__(self) -> str:
        return self.name
