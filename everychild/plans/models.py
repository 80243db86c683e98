"""EHC plans: the plan a child holds (EHCPlan: the record the caseload, SEN2 and finance read),
the plan as a document through its versions (PlanDocument, PlanVersion: sections A-K, frozen
once issued), and its life: annual reviews, moves between phases, ceasing, and disagreements
(mediation, appeals, Tribunal orders)."""

from django.conf import settings
from django.db import models

from everychild.children.codes import NeedType
from everychild.core.wording import long_date


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
    # Moves on with each review meeting recorded, so a meeting recorded from a page opened
    # before another was recorded is refused (issue 17: recorded once, not twice).
    review_version = models.PositiveIntegerField(default=1)
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
        return f"EHC plan for {self.child} issued {long_date(self.issued_on)}"

    @property
    def is_active(self) -> bool:
        return self.ceased_on is None


class AreaPlanSettings(models.Model):
    """How an area runs its plans' reviews (everything that differs between areas is data)."""

    area = models.OneToOneField("areas.Area", on_delete=models.CASCADE, related_name="+")
    # Code 9.178: under-5s reviewed every 3-6 months; off means the statutory 12 months.
    six_monthly_reviews_under_5 = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Plan settings for {self.area}"


class PlanDocument(models.Model):
    """The EHC plan as a document: begun as a draft during the assessment, before the EHCPlan
    record exists (it is made when the first final version is issued), then every version."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, related_name="plan_documents"
    )
    assessment_request = models.OneToOneField(
        "casework.AssessmentRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_document",
    )
    plan = models.OneToOneField(
        EHCPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="document"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(assessment_request__isnull=False) | models.Q(plan__isnull=False),
                name="plan_document_belongs_to_a_case_or_plan",
            )
        ]

    def __str__(self) -> str:
        return f"Plan document for {self.child}"


class IssuedVersionError(Exception):
    """Raised when code tries to change or remove a version that has been issued."""


# The one change an issued version allows: its contents erased under the retention policy
# (everychild.dataprotection.retention clears personal fields to empty values).
ERASABLE_FIELDS = {"sections", "quality"}


class PlanVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        erasing = set(kwargs) <= ERASABLE_FIELDS and not any(kwargs.values())
        if not erasing and self.filter(status=PlanVersion.Status.FINAL).exists():
            raise IssuedVersionError("An issued version of a plan can never be changed.")
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status=PlanVersion.Status.FINAL).exists():
            raise IssuedVersionError("An issued version of a plan can never be removed.")
        return super().delete()


class PlanVersion(models.Model):
    """One version of the plan. The draft is the one editable version; issuing makes it final,
    and from then on it is frozen (save, update and delete refuse). Each issue and each
    amendment is a new version with the next number."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        FINAL = "final", "Final"

    class Reason(models.TextChoices):
        NEW_PLAN = "new", "New plan after an EHC needs assessment"
        REVIEW = "review", "Amended after an annual review"
        PHASE_TRANSFER = "phase", "Amended for a move between phases"
        TRIBUNAL = "tribunal", "Amended to comply with a Tribunal order"
        OTHER = "other", "Amended at another time"
        HISTORICAL = "historical", "Recorded from the plan held before EveryChild"

    document = models.ForeignKey(PlanDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=5, choices=Status.choices, default=Status.DRAFT)
    reason = models.CharField(max_length=10, choices=Reason.choices, default=Reason.NEW_PLAN)
    sections = models.JSONField(default=dict)
    # The quality check as it stood when the version was issued (and its overall score).
    quality = models.JSONField(default=dict, blank=True)
    quality_score = models.PositiveSmallIntegerField(null=True, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Optimistic locking of the draft: each change increments it.
    lock_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanVersionQuerySet.as_manager()

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="plan_version_number"),
            models.UniqueConstraint(
                fields=["document"],
                condition=models.Q(status="draft"),
                name="plan_one_draft_at_a_time",
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(issued_on__isnull=False),
                name="plan_final_version_has_issue_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "quality_score"])]

    def __str__(self) -> str:
        return f"Version {self.number} ({self.get_status_display().lower()}) of {self.document}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.FINAL:
                raise IssuedVersionError("An issued version of a plan can never be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == self.Status.FINAL:
            raise IssuedVersionError("An issued version of a plan can never be removed.")
        return super().delete(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.status == self.Status.FINAL


class ReviewDecision(models.TextChoices):
    MAINTAIN = "maintain", "Keep the plan as it is"
    AMEND = "amend", "Amend the plan"
    CEASE = "cease", "Cease to maintain the plan"


class AnnualReview(models.Model):
    """One review of a plan (CFA 2014 s.44; SEND Regulations 2014 regs 19-22): the meeting,
    often held and recorded by the setting's SENCO, the report, the local authority's decision
    and, if it amends, the proposed amendments and the amended plan. Due dates are never stored:
    the statutory engine computes them from these facts."""

    plan = models.ForeignKey(EHCPlan, on_delete=models.CASCADE, related_name="reviews")
    # The date the meeting had to be held by when this review began (for the history).
    due_on = models.DateField()
    invitations_sent_on = models.DateField(null=True, blank=True)
    # Set with the invitations (reg 20(2)-(3)): the date the meeting is called for, which the
    # 2-week notice is counted back from until the meeting is held (meeting_on).
    meeting_planned_on = models.DateField(null=True, blank=True)
    invitations_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    advice_circulated_on = models.DateField(null=True, blank=True)
    advice_circulated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    meeting_on = models.DateField(null=True, blank=True)
    attendees = models.TextField(blank=True)
    views_summary = models.TextField(blank=True, help_text="What the child and family said")
    progress_summary = models.TextField(blank=True, help_text="Progress towards the outcomes")
    recommendation = models.CharField(max_length=10, choices=ReviewDecision.choices, blank=True)
    recommended_changes = models.TextField(blank=True)
    meeting_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    report_sent_on = models.DateField(null=True, blank=True)
    report_sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amendments_sent_on = models.DateField(null=True, blank=True)
    amended_version = models.OneToOneField(
        PlanVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="review"
    )
    # reg 22(4): after proposing amendments the LA decided not to amend after all, and told the
    # family so (within 8 weeks of sending the proposed amendments).
    decision_not_to_amend_on = models.DateField(null=True, blank=True)
    not_amending_reasons = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "-due_on", "-pk"]
        indexes = [models.Index(fields=["plan", "meeting_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="") | models.Q(decision_on__isnull=False),
                name="review_decision_with_date",
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.plan} due {self.due_on}"

    @property
    def is_complete(self) -> bool:
        """Finished: decided to keep or cease, or the amended plan has been issued."""
        if self.decision in (ReviewDecision.MAINTAIN, ReviewDecision.CEASE):
            return True
        if self.decision_not_to_amend_on is not None:
            return True
        return (
            self.decision == ReviewDecision.AMEND
            and self.amended_version_id is not None
            and (self.amended_version.is_issued)
        )


class ReviewInvitee(models.Model):
    """Someone invited to an annual review meeting (SEND Regulations 2014 reg 20(2), 21(2)),
    and the advice and information they gave for it (reg 20(3)), recorded in the service so
    it is never e-mailed as an attachment. The family's and the child's own views are written
    by them in the family portal (families.ViewsStatement), not here."""

    class Capacity(models.TextChoices):
        PARENT = "parent", "The child's parent (reg 20(2)(a))"
        YOUNG_PERSON = "young_person", "The young person (reg 20(2)(a))"
        SCHOOL = "school", "The school's SEN provider or head teacher (reg 20(2)(b))"
        LA_EDUCATION = "la_education", "The local authority's SEN officer (reg 20(2)(c))"
        HEALTH = "health", "Health care professional (reg 20(2)(d))"
        SOCIAL_CARE = "social_care", "Social care officer (reg 20(2)(e))"
        # Not named in reg 20(2), but the convener may invite whoever they think fit; an EP
        # who gave the plan's psychological advice is often asked (decision 0260).
        EDUCATIONAL_PSYCHOLOGY = "ep", "Educational psychologist (invited by the convener)"
        OTHER = "other", "Someone else the convener invited"

    # The family give their views in the portal, never as "advice" typed in by staff.
    FAMILY_ROLES = (Capacity.PARENT, Capacity.YOUNG_PERSON)

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="invitees")
    role = models.CharField(max_length=16, choices=Capacity.choices)
    name = models.CharField(max_length=200, help_text="The person or organisation invited")
    # The area's service invited IN EveryChild (decision 0260): its staff see the invitation
    # on their advice queue and give their advice there themselves. Empty for someone outside
    # the service, whose advice the convener records as it arrives.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_invitations",
    )
    advice = models.TextField(blank=True)
    advice_received_on = models.DateField(null=True, blank=True)
    advice_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["review", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(advice="") | models.Q(advice_received_on__isnull=False),
                name="review_advice_with_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.name}"

    @property
    def is_family(self) -> bool:
        return self.role in self.FAMILY_ROLES


class PhaseTransfer(models.Model):
    """A move between phases of education (SEND Regulations 2014 reg 2) and the plan's
    amendment naming the new setting "before 15 February" / "before 31 March" (reg 18(1)):
    by 14 February / 30 March."""

    class Kind(models.TextChoices):
        SCHOOL = "school", "Between school phases (by 14 February)"
        POST16 = "post16", "Secondary school to post-16 (by 30 March)"

    class Transfer(models.TextChoices):
        """The six transfers of reg 2(1)(a)-(f); `kind` keeps the reg 18(1) limb each is judged
        by (only (f) is "post16")."""

        EARLY_YEARS_TO_SCHOOL = "early_years_to_school", "Early years to school (reg 2(1)(a))"
        INFANT_TO_JUNIOR = "infant_to_junior", "Infant school to junior school (reg 2(1)(b))"
        PRIMARY_TO_MIDDLE = "primary_to_middle", "Primary school to middle school (reg 2(1)(c))"
        PRIMARY_TO_SECONDARY = (
            "primary_to_secondary",
            "Primary school to secondary school (reg 2(1)(d))",
        )
        MIDDLE_TO_SECONDARY = (
            "middle_to_secondary",
            "Middle school to secondary school (reg 2(1)(e))",
        )
        SECONDARY_TO_POST16 = (
            "secondary_to_post16",
            "Secondary school to a post-16 institution (reg 2(1)(f))",
        )

    plan = models.ForeignKey(EHCPlan, on_delete=models.CASCADE, related_name="phase_transfers")
    year = models.PositiveSmallIntegerField(help_text="The calendar year of the move")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    # Which reg 2 transfer (blank on moves recorded before it was asked).
    transfer = models.CharField(max_length=24, choices=Transfer.choices, blank=True)
    preferred_setting = models.CharField(max_length=200, blank=True)
    consulted_on = models.DateField(null=True, blank=True)
    named_setting = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    named_on = models.DateField(null=True, blank=True)
    # Optimistic locking (core.locking): moves on with every change recorded.
    version = models.PositiveIntegerField(default=1)
    amended_version = models.OneToOneField(
        PlanVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="phase_transfer"
    )

    class Meta:
        ordering = ["year", "plan"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "year"], name="phase_transfer_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} in {self.year} for {self.plan}"


class PlanTransferIn(models.Model):
    """A plan transferred to this council from another when the child moved into its area
    (SEND Regulations 2014 reg 15), and the change of health commissioning body (reg 16). The
    engine's `transfer_in` process gives every date from these facts."""

    plan = models.OneToOneField(EHCPlan, on_delete=models.CASCADE, related_name="transfer_in")
    from_authority = models.CharField(max_length=200)
    moved_on = models.DateField(help_text="The day the child moved into the area")
    old_authority_aware_on = models.DateField(
        null=True, blank=True, help_text="The day the old council learned of the move"
    )
    plan_transferred_on = models.DateField(null=True, blank=True)
    family_notified_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day this council told the family whether it will assess and when it "
        "will review (reg 15, within 6 weeks of the transfer)",
    )
    health_body_aware_on = models.DateField(
        null=True,
        blank=True,
        help_text="reg 16: the day the old health commissioning body learned of the move",
    )
    health_body_notified_on = models.DateField(null=True, blank=True)
    new_health_body = models.CharField(max_length=200, blank=True)
    # Optimistic locking (core.locking): 0 on the page means nothing was recorded yet.
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Transfer from {self.from_authority} of {self.plan}"


class Post16Move(models.Model):
    """A move between post-16 institutions at another time than a phase transfer: the plan is
    to be reviewed and amended "at least 5 months before" it (reg 18(2))."""

    plan = models.ForeignKey(EHCPlan, on_delete=models.CASCADE, related_name="post16_moves")
    move_on = models.DateField(help_text="The day the young person moves (planned)")
    moving_to = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["plan", "move_on"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "move_on"], name="post16_move_once_a_day")
        ]

    def __str__(self) -> str:
        return f"Move to {self.moving_to} on {self.move_on} for {self.plan}"


class PlanCessation(models.Model):
    """The decision to cease a plan (regs 29-31): the SEN2 reason, the notice with appeal
    rights, and where the child went if they moved to another local authority."""

    plan = models.OneToOneField(EHCPlan, on_delete=models.CASCADE, related_name="cessation")
    reason = models.CharField(max_length=1, choices=CeaseReason.choices)
    decided_on = models.DateField()
    notice_sent_on = models.DateField()
    ceases_on = models.DateField()
    transferred_to = models.CharField(max_length=200, blank=True)
    explanation = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return f"Cessation of {self.plan}"


class Disagreement(models.Model):
    """A family's disagreement with a decision: mediation (regs 32-42), an appeal to the
    First-tier Tribunal (SEND), and what the Tribunal ordered or the local authority conceded."""

    class Outcome(models.TextChoices):
        RESOLVED_IN_MEDIATION = "mediated", "Resolved in mediation"
        CONCEDED = "conceded", "Appeal conceded by the local authority (not opposed)"
        WITHDRAWN = "withdrawn", "Appeal withdrawn by the family"
        ORDER = "order", "Tribunal decided: order made"
        DISMISSED = "dismissed", "Tribunal dismissed the appeal"

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, related_name="disagreements"
    )
    plan = models.ForeignKey(
        EHCPlan, on_delete=models.PROTECT, null=True, blank=True, related_name="disagreements"
    )
    decision_disputed = models.CharField(max_length=200)
    decision_letter_on = models.DateField()
    mediation_adviser_contacted_on = models.DateField(null=True, blank=True)
    mediation_certificate_on = models.DateField(null=True, blank=True)
    mediation_wanted_la_told_on = models.DateField(null=True, blank=True)
    mediation_held_on = models.DateField(null=True, blank=True)
    appeal_registered_on = models.DateField(null=True, blank=True)
    conceded_on = models.DateField(
        null=True, blank=True, help_text="The day the LA told the Tribunal it would not oppose"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Optimistic locking (core.locking): moves on with every update of the dates or outcome.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-decision_letter_on", "-pk"]

    def __str__(self) -> str:
        return f"Disagreement about {self.decision_disputed}"


class TribunalOrder(models.Model):
    """What the Tribunal ordered (or what the LA conceded, reg 45), with each step's
    compliance date from the statutory engine (reg 44(2))."""

    class Kind(models.TextChoices):
        ASSESS = "assess", "Carry out an EHC needs assessment"
        MAKE_PLAN = "make_plan", "Make and maintain a plan"
        AMEND_PLAN = "amend_plan", "Amend the plan"
        NAME_SCHOOL = "name_school", "Change only the school or placement named"

    disagreement = models.ForeignKey(Disagreement, on_delete=models.CASCADE, related_name="orders")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    ordered_on = models.DateField(help_text="The order's date, or the LA's notice (reg 45)")
    complied_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["ordered_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ordered {self.ordered_on}"


class MediationAgreement(models.Model):
    """What the family and the local authority agreed at mediation (reg 42): on a matter the
    family could have appealed, the LA must act within the reg 44 periods as if the Tribunal
    had ordered it; other agreed action within 2 weeks. Each step's date as it happens."""

    class Kind(models.TextChoices):
        ASSESS = "assess", "Carry out an EHC needs assessment (reg 44(2)(b) periods)"
        MAKE_PLAN = "make_plan", "Make and maintain a plan (reg 44(2)(c) periods)"
        AMEND_PLAN = "amend_plan", "Amend the plan (reg 44(2)(e): 5 weeks)"
        NAME_SCHOOL = "name_school", "Change only the school named (reg 44(2)(f): 2 weeks)"
        OTHER = "other", "Something else (2 weeks)"

    disagreement = models.OneToOneField(
        Disagreement, on_delete=models.CASCADE, related_name="mediation_agreement"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    agreed_on = models.DateField()
    what = models.TextField()
    notified_on = models.DateField(null=True, blank=True)
    decision_not_to_issue_on = models.DateField(null=True, blank=True)
    draft_plan_issued_on = models.DateField(null=True, blank=True)
    final_plan_issued_on = models.DateField(null=True, blank=True)
    amended_plan_issued_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Mediation agreement of {self.agreed_on}: {self.get_kind_display()}"


class TribunalRecommendation(models.Model):
    """A recommendation of the Tribunal to a health or social care body (SEND (First-tier
    Tribunal Recommendations Power) Regulations 2017): the body answers within 5 weeks of the
    decision, saying what it will do and why."""

    class Body(models.TextChoices):
        HEALTH = "health", "Health (an NHS commissioning body)"
        SOCIAL_CARE = "social_care", "Social care (the local authority's social care)"

    disagreement = models.ForeignKey(
        Disagreement, on_delete=models.CASCADE, related_name="recommendations"
    )
    body = models.CharField(max_length=12, choices=Body.choices)
    body_name = models.CharField(max_length=200)
    recommendation = models.TextField()
    made_on = models.DateField(help_text="The date of the Tribunal's decision")
    answered_on = models.DateField(null=True, blank=True)
    answer = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["made_on", "pk"]

    def __str__(self) -> str:
        return f"Recommendation to {self.body_name} of {self.made_on}"


def _pdf_path(instance, filename: str) -> str:
    return f"plans/{instance.version.document_id}/version-{instance.version.number}.pdf"


class PlanPDF(models.Model):
    """The PDF of an issued version, rendered once in the background (an issued version never
    changes, so its PDF never goes stale). Stored under MEDIA_ROOT, served only through the
    access-checked, audited views."""

    version = models.OneToOneField(PlanVersion, on_delete=models.CASCADE, related_name="pdf")
    file = models.FileField(upload_to=_pdf_path, max_length=200)
    size = models.PositiveIntegerField()
    rendered_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"PDF of {self.version}"


class RejectedSuggestion(models.Model):
    """A suggestion from structured advice (an advice.AdviceItem offered into sections B-H of a
    draft) that the caseworker rejected, with who and when, so it is not offered again. Kept
    per plan document, so a later draft version does not offer it either. Accepted suggestions
    need no row: the accepted item carries its source in the version's sections (decision
    0195)."""

    document = models.ForeignKey(
        PlanDocument, on_delete=models.CASCADE, related_name="rejected_suggestions"
    )
    advice_item = models.ForeignKey(
        "advice.AdviceItem", on_delete=models.CASCADE, related_name="rejections"
    )
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rejected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rejected_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "advice_item"], name="suggestion_rejected_once"
            )
        ]

    def __str__(self) -> str:
        return f"Suggestion {self.advice_item_id} rejected for {self.document}"
