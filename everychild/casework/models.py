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


class PanelMeeting(models.Model):
    """A meeting of the area's panel: when, who was there, and what was said; the decisions
    recorded at it point to it (decision 0192)."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField()
    members = models.TextField(help_text="The members present, and their roles")
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Panel meeting on {self.held_on:%d %B %Y}"


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
    transferred_from = models.CharField(
        max_length=200, blank=True, help_text="The local authority the case came from."
    )
    # A request to re-assess a child who has a plan (reg 24-27): the case whose plan it follows.
    reassessment_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reassessments"
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
    decision_reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_meeting = models.ForeignKey(
        PanelMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The decision to issue a plan (CFA 2014 s.40(2), reg 13(2)): who, when, why, and at which
    # panel meeting. No final plan is issued without it (decision 0192).
    decision_to_issue_on = models.DateField(null=True, blank=True)
    decision_to_issue_reasons = models.TextField(blank=True)
    decision_to_issue_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_to_issue_meeting = models.ForeignKey(
        PanelMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    draft_plan_served_on = models.DateField(null=True, blank=True)
    # The family agreed the final plan may be issued before their 15 days are up (reg 13(1)).
    family_agreed_early_issue_on = models.DateField(null=True, blank=True)
    # Recorded that no reason relating to coronavirus made a 2020 limit impractical, so the
    # SI 2020/471 easement the engine otherwise assumes does not lift it (decision 0130, 4);
    # an imported SEN2 case whose Week20 is 0 says so (decision 0132).
    no_coronavirus_reason = models.BooleanField(default=False)
    final_plan_issued_on = models.DateField(null=True, blank=True)
    decision_not_to_issue_on = models.DateField(null=True, blank=True)
    not_to_issue_reasons = models.TextField(blank=True)
    not_to_issue_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    not_to_issue_meeting = models.ForeignKey(
        PanelMeeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawal_reason = models.TextField(blank=True)
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
        # The decision whether to assess has its own (reg 5(4)); the plan's are reg 10(4).
        DECISION_PERSONAL = "5(4)(b)", "Personal circumstances, for the decision (reg 5(4)(b))"
        DECISION_ABSENT = "5(4)(c)", "Away 4 weeks or more, for the decision (reg 5(4)(c))"
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


class EventKind(models.TextChoices):
    """The kinds of chronology entry the casework services write (CaseEvent.kind)."""

    REQUEST_RECEIVED = "request_received", "Request received"
    TRANSFERRED_IN = "transferred_in", "Transferred in from another local authority"
    REASSESSMENT_REQUESTED = "reassessment_requested", "Re-assessment requested"
    REQUEST_CHANGED = "request_changed", "Request details changed"
    CASEWORKER_ALLOCATED = "caseworker_allocated", "Caseworker allocated"
    DECISION_TO_ASSESS = "decision_to_assess", "Decided to assess"
    DECISION_NOT_TO_ASSESS = "decision_not_to_assess", "Decided not to assess"
    LETTER_CREATED = "letter_created", "Letter created"
    LETTER_SENT = "letter_sent", "Letter sent"
    ADVICE_REQUESTED = "advice_requested", "Advice requested"
    ADVICE_PROVIDED = "advice_provided", "Advice received"
    ADVICE_CANCELLED = "advice_cancelled", "Advice no longer needed"
    EXCEPTION_RECORDED = "exception_recorded", "Exception recorded"
    EXCEPTION_ENDED = "exception_ended", "Exception ended"
    CORONAVIRUS_REASON_RECORDED = "coronavirus_reason", "Coronavirus easement recorded"
    DRAFT_PLAN_SERVED = "draft_plan_served", "Draft plan served"
    FAMILY_AGREED_EARLY_ISSUE = "family_agreed_early_issue", "Family agreed to an early final plan"
    CONSULTATION_SENT = "consultation_sent", "Setting consulted"
    CONSULTATION_ANSWERED = "consultation_answered", "Setting answered"
    DECISION_TO_ISSUE = "decision_to_issue", "Decided to issue a plan"
    FINAL_PLAN_ISSUED = "final_plan_issued", "Final plan issued"
    DECISION_NOT_TO_ISSUE = "decision_not_to_issue", "Decided not to issue a plan"
    REQUEST_WITHDRAWN = "request_withdrawn", "Request withdrawn"
    NOTE_ADDED = "note_added", "Note added"
    DOCUMENT_ADDED = "document_added", "Document added"
    # Written by the family portal's services (families sits above casework): what the family
    # sent that the caseworker must answer, and the caseworker's marking it answered.
    FAMILY_COMMENTED = "family_commented", "Family commented on the draft plan"
    FAMILY_ASKED_FOR_MEETING = "family_asked_for_meeting", "Family asked for a meeting"
    FAMILY_NAMED_SETTING = "family_named_setting", "Family asked for a school or setting"
    FAMILY_MESSAGE = "family_message", "Family sent a message"
    FAMILY_ANSWERED = "family_answered", "Family answered"


class Consultation(models.Model):
    """A school, college or other setting asked whether it can be named in the plan
    (CFA 2014 s.39(2), s.40(3)); it should answer within 15 days (Code 9.83)."""

    class Outcome(models.TextChoices):
        AGREED = "agreed", "Agreed it can meet the child's needs"
        DECLINED = "declined", "Said it cannot meet the child's needs"

    assessment_request = models.ForeignKey(
        AssessmentRequest, on_delete=models.CASCADE, related_name="consultations"
    )
    setting = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="consultations"
    )
    sent_on = models.DateField()
    answered_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["sent_on", "pk"]

    def __str__(self) -> str:
        return f"Consultation with {self.setting} for {self.assessment_request}"


def _document_path(instance, filename: str) -> str:
    # Never the uploader's file name: a random name under the case, outside the web root.
    return f"cases/{instance.assessment_request_id}/{instance.stored_name}"


class CaseDocument(models.Model):
    """A file on a case: an upload (PDF, Word, JPEG or PNG, checked by its content) or a
    letter the service generated. Stored under MEDIA_ROOT, which is never served directly:
    downloads go through an access-checked, audited view."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", "Uploaded"
        LETTER = "letter", "Letter"

    assessment_request = models.ForeignKey(
        AssessmentRequest, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.UPLOAD)
    title = models.CharField(max_length=200)
    stored_name = models.CharField(max_length=64, editable=False)
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class Letter(models.Model):
    """A letter generated from a template with the dates from the statutory engine, kept as
    the HTML it was made from and as a PDF document, and recorded as sent."""

    class Kind(models.TextChoices):
        DECISION_TO_ASSESS = "decision_to_assess", "Decision to assess"
        DECISION_NOT_TO_ASSESS = "decision_not_to_assess", "Decision not to assess"
        DECISION_NOT_TO_ISSUE = "decision_not_to_issue", "Decision not to issue a plan"
        ADVICE_REQUEST = "advice_request", "Request for advice"
        DRAFT_PLAN_NOTICE = "draft_plan_notice", "Draft plan notice"
        SCHOOL_CONSULTATION = "school_consultation", "Consultation with a school"
        FINAL_PLAN_NOTICE = "final_plan_notice", "Final plan notice"
        # Letters about a plan after it is made (plans/letters.py renders them; they are kept
        # on the plan's case so the family sees them with the rest: decision 0191).
        REVIEW_INVITATION = "review_invitation", "Review meeting invitation"
        REVIEW_DECISION = "review_decision", "Review decision"
        PROPOSED_AMENDMENTS = "proposed_amendments", "Proposed amendments notice"
        DECISION_NOT_TO_AMEND = "decision_not_to_amend", "Decision not to amend"
        NOTICE_TO_CEASE = "notice_to_cease", "Notice to cease the plan"
        TRIBUNAL_ORDER = "tribunal_order", "Tribunal order compliance"

    assessment_request = models.ForeignKey(
        AssessmentRequest, on_delete=models.CASCADE, related_name="letters"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # What the letter is about when a case has several of its kind ("advice:12", "review:3"):
    # with the case and kind it names one letter, so a second press finds the first.
    subject = models.CharField(max_length=40, blank=True, default="")
    dated_on = models.DateField()
    html = models.TextField()
    document = models.OneToOneField(
        CaseDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="letter"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_on = models.DateField(null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment_request", "kind", "subject"], name="one_letter_per_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} letter for {self.assessment_request}"


class CaseNote(models.Model):
    """A caseworker's note on a case. Notes are added, never changed."""

    assessment_request = models.ForeignKey(
        AssessmentRequest, on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Note on {self.assessment_request} by {self.author}"


class SchoolRequest(models.Model):
    """What a school or setting sends with a request it makes in the service (reg 3, 4; Code
    of Practice 9.8-9.14): who made it, the family's agreement and views. The request itself is
    the one AssessmentRequest (source "school or setting"); this row is what only a school's
    request carries, and the setting whose SENCO follows the case's clock (decision 0193)."""

    assessment_request = models.OneToOneField(
        AssessmentRequest, on_delete=models.CASCADE, related_name="school_request"
    )
    setting = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="school_requests"
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # Code 9.8: the school asks with the family's knowledge and agreement: a recorded yes.
    consent_given_by = models.CharField(max_length=200)
    consent_given_on = models.DateField()
    family_views = models.TextField()
    child_views = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"School request for {self.assessment_request}"


class GraduatedApproachStep(models.Model):
    """One row of the evidence of the graduated approach (Code of Practice 6.44-6.56, 9.14):
    what the setting assessed, planned, did and reviewed, with dates and outcomes, and the
    advice it already sought."""

    class Kind(models.TextChoices):
        ASSESS = "assess", "Assess"
        PLAN = "plan", "Plan"
        DO = "do", "Do"
        REVIEW = "review", "Review"
        ADVICE = "advice", "Advice sought"

    school_request = models.ForeignKey(
        SchoolRequest, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    what = models.TextField()
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["started_on", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.started_on}"
