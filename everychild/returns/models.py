"""SEN2 items carried over from another system.

When an area's history is imported from a SEN2 file (`sen2_import`), most of each record lands
in EveryChild's own models: the child, the request for assessment and its decisions, the EHC
plan with its setting and needs. A SEN2 file also holds items EveryChild does not record yet
(mediation and Tribunal flags, personal budgets, residential and work-based placements, review
decisions, placement history, a second setting). Those are kept here, exactly as the file gave
them, so that nothing is lost in a migration and the next return can report them again.

Live data always wins: the export uses a carried item only where EveryChild has no value of
its own, and carried settings only while the plan still names the setting it named when it
was imported (see docs/decisions/0010-sen2-mapping.md).
"""

from django.db import models


class CarriedRequestItems(models.Model):
    """Items of a request (SEN2 modules 2 and 3) that EveryChild does not model yet."""

    assessment_request = models.OneToOneField(
        "casework.AssessmentRequest", on_delete=models.CASCADE, related_name="sen2_items"
    )
    # Element name -> value as written in the file, e.g. {"RequestMediation": "1"}.
    items = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=200, help_text="The file the items came from.")
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"SEN2 items of {self.assessment_request}"


class CarriedPlanItems(models.Model):
    """Items of a plan (SEN2 modules 4 and 5) that EveryChild does not model yet."""

    plan = models.OneToOneField(
        "plans.EHCPlan", on_delete=models.CASCADE, related_name="sen2_items"
    )
    # Element name -> value, e.g. {"PB": "1", "ReviewOutcome": "M", "TransferLA": "836"}.
    items = models.JSONField(default=dict, blank=True)
    # The settings named in the plan (module 4b) and the placements (5b) as the file gave
    # them: lists of {element name: value}. Used while the plan still names `setting_key`.
    plan_details = models.JSONField(default=list, blank=True)
    placement_details = models.JSONField(default=list, blank=True)
    setting_key = models.CharField(
        max_length=30, blank=True, help_text='The setting the plan named, e.g. "URN:123456".'
    )
    source = models.CharField(max_length=200)
    imported_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"SEN2 items of {self.plan}"
