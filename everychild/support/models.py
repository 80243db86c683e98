"""SEN support: the graduated approach as a record (SEND Code of Practice 2015, 6.44-6.56 for
schools, 5.38-5.46 for early years, 7.14-7.24 for colleges).

A child on SEN support has a *support plan* written by their setting's SENCO with the child
and family: their views, needs, outcomes and provision in the same shapes as sections A, B, E
and F of an EHC plan (plans/sections.py), so that an EHC plan can start from it. Each
assess-plan-do-review *cycle* is a dated record; its review is due on the date the cycle sets.

The plan belongs to the child, not to the school: a SENCO sees it while the child is on their
setting's roll, so it moves with the child (decision 0220)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from everychild.children.codes import NeedType

# The Code asks schools to review SEN support "at least termly" (6.65 on meeting parents
# three times a year); an area may set a shorter or longer default (decision 0220).
TERMLY_WEEKS = 12


class BroadArea(models.TextChoices):
    """The four broad areas of need (SEND Code of Practice 6.28-6.35)."""

    COMMUNICATION = "communication", "Communication and interaction"
    COGNITION = "cognition", "Cognition and learning"
    SEMH = "semh", "Social, emotional and mental health"
    SENSORY_PHYSICAL = "sensory_physical", "Sensory and/or physical needs"


class SupportSettings(models.Model):
    """An area's choices for SEN support."""

    area = models.OneToOneField(
        "areas.Area", on_delete=models.CASCADE, related_name="support_settings"
    )
    review_every_weeks = models.PositiveSmallIntegerField(
        default=TERMLY_WEEKS,
        help_text="Weeks from the start of a cycle to its review (the Code expects at least "
        "termly)",
    )
    # Off unless the area decides otherwise: a setting the child has left has no continuing
    # need for their record (UK GDPR art. 5(1)(c)); an area may judge that looking back at
    # what it tried helps (e.g. a reception teacher following a child into year 1 at the
    # infant school's linked junior school). Decision 0240.
    past_settings_read_history = models.BooleanField(
        "past settings may read the support history",
        default=False,
        help_text="A SENCO of a setting the child has left reads, without changing, the "
        "support plans of the time the child was with them",
    )

    def __str__(self) -> str:
        return f"SEN support settings of area {self.area_id}"


class SupportPlan(models.Model):
    """A child's support plan while they are on SEN support."""

    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, related_name="support_plans"
    )
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    # The setting that started the plan; who sees it follows the child's current setting.
    started_by_setting = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=500, blank=True)
    primary_need = models.CharField(max_length=4, choices=NeedType.choices)
    secondary_need = models.CharField(max_length=4, choices=NeedType.choices, blank=True)
    # What the child says, in their own words where they can give them (Code 6.45, 6.64).
    child_views = models.TextField(blank=True)
    family_views = models.TextField(blank=True)
    # {"needs": [{"id", "text"}], "outcomes": [{"id", "text", "needs", "by_when",
    # "measured_by"}], "provision": [{"id", "what", "how_often", "how_long", "by_whom",
    # "qualification", "outcomes", "offer_id"}]}: the item shapes of EHC plan sections B, E, F.
    thread = models.JSONField(default=dict, blank=True)
    # Who else is involved: EP, speech and language therapy, early help (Code 6.58-6.62).
    outside_involvement = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            # One open plan per child at a time.
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(ended_on__isnull=True),
                name="one_open_support_plan_per_child",
            )
        ]

    def __str__(self) -> str:
        return f"Support plan {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class OutcomeResult(models.TextChoices):
    MET = "met", "Met"
    PROGRESSING = "progressing", "Good progress"
    NOT_YET = "not_yet", "Not yet"
    NO_LONGER_NEEDED = "dropped", "No longer the right outcome"


class SupportCycle(models.Model):
    """One assess-plan-do-review cycle of a support plan (Code 6.45-6.56)."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="cycles")
    number = models.PositiveSmallIntegerField()
    started_on = models.DateField()
    assessed = models.TextField(help_text="What was assessed, and what it showed")
    planned = models.TextField(help_text="What was agreed with the child and family")
    review_due = models.DateField()
    done = models.TextField(blank=True, help_text="What was done")
    reviewed_on = models.DateField(null=True, blank=True)
    # {outcome id: {"result": OutcomeResult, "note": str}}
    review_results = models.JSONField(default=dict, blank=True)
    review_summary = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="support_cycle_number")
        ]

    def __str__(self) -> str:
        return f"Cycle {self.number}"


class ProvisionOffer(models.Model):
    """One entry of the area's ordinarily available provision: what every school and setting
    provides without a plan, by broad area of need. Public."""

    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="+")
    broad_area = models.CharField(max_length=20, choices=BroadArea.choices)
    title = models.CharField(max_length=200)
    description = models.TextField()
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["broad_area", "title", "pk"]

    def __str__(self) -> str:
        return self.title


class SupportContribution(models.Model):
    """What a parent, or the child or young person, tells the setting through the family
    portal about the support plan (Code 6.64-6.71: schools meet parents at least three times a
    year and hear the child). The SENCO reads it on the plan; it never changes the plan."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="contributions")
    # The cycle under way when it was sent (its review is what it speaks to), if any.
    cycle = models.ForeignKey(
        SupportCycle, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    by_young_person = models.BooleanField(default=False)
    child_words = models.TextField(blank=True)
    family_words = models.TextField(blank=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return f"Views on support plan {self.plan_id}"


class ConsultationKind(models.TextChoices):
    """Help a setting can ask the area's services for before any statutory request (Code
    6.58-6.62: involving specialists)."""

    EP = "ep", "Educational psychologist consultation"
    SPECIALIST_TEACHER = "specialist_teacher", "Specialist teacher advice"
    SPEECH_LANGUAGE = "speech_language", "Speech and language therapy advice"
    EARLY_HELP = "early_help", "Early help"
    OTHER = "other", "Other advice"


class Consultation(models.Model):
    """A setting asks one of the area's services for advice about a child on SEN support.
    The service sees only what it was asked (the advice portal's isolation); its answer joins
    the graduated-approach record."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="consultations")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ConsultationKind.choices)
    question = models.TextField()
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_on = models.DateField()
    answer = models.TextField(blank=True)
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-asked_on", "-pk"]

    def __str__(self) -> str:
        return f"Consultation {self.pk}"


class RequestFromSupport(models.Model):
    """A request for an EHC needs assessment a SENCO made from a support plan: the request
    started pre-filled from the plan's history (decision 0221), and the panel reads the plan
    beside it. Kept here, not on casework's request, because support sits above casework."""

    plan = models.ForeignKey(SupportPlan, on_delete=models.PROTECT, related_name="requests_made")
    assessment_request = models.OneToOneField(
        "casework.AssessmentRequest", on_delete=models.CASCADE, related_name="from_support"
    )
    made_on = models.DateField()

    def __str__(self) -> str:
        return f"Request {self.assessment_request_id} from support plan {self.plan_id}"
