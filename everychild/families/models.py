"""The family portal's records: requests made without an account, invitations, the family's
second factor, their views for section A, and their comments on a draft plan.

Children, family links and cases stay in their own apps; these models only add to them."""

from django.conf import settings
from django.db import models

# The sections of an EHC plan (SEND Regulations 2014 reg 12(1)), in the family's words.
PLAN_SECTIONS = {
    "A": "Your views, interests and hopes",
    "B": "Special educational needs",
    "C": "Health needs",
    "D": "Social care needs",
    "E": "Outcomes (what we want to achieve)",
    "F": "Special educational help",
    "G": "Health help",
    "H": "Social care help",
    "I": "School or other setting",
    "J": "Personal budget",
    "K": "Advice and information we used",
}


# The questions of each page of views (section A, reg 12(1)(a)): the child's page asks the
# child about themselves; the parent's page asks the parent about their child and their family
# (Code of Practice 9.61-9.64: the views of the child and of the parent are both recorded).
# Each entry: field -> (question, hint).
VIEWS_QUESTIONS = {
    "child": {
        "about": ("About me", "What people like about me, and what I like doing."),
        "what_matters": ("What is important to me", ""),
        "what_is_hard": ("What I find hard", ""),
        "hopes": (
            "My hopes for the future",
            "For example, friends, school or college, work, where to live.",
        ),
        "how_to_help": ("How best to help me", ""),
    },
    "parent": {
        "about": (
            "About your child",
            "What you like and admire about them, and what they enjoy doing.",
        ),
        "what_matters": ("What matters most to you and your family", ""),
        "what_is_hard": (
            "What your child finds hard, at home and at school or setting",
            "",
        ),
        "hopes": (
            "Your hopes for your child's future",
            "For example, friends, learning, health, independence, work.",
        ),
        "how_to_help": (
            "What helps your child, and what you would like from us",
            "Include the help you and your family need too.",
        ),
    },
}


class PublicRequest(models.Model):
    """A request for an EHC needs assessment made on the public form. The contact details are
    the requester's (the case itself is in casework). The child record it made is always new
    and marked by this link (see docs/decisions/0060-family-portal.md)."""

    class Relationship(models.TextChoices):
        PARENT = "parent", "I am their parent or carer"
        YOUNG_PERSON = "young_person", "I am the young person (16 or over)"

    assessment_request = models.OneToOneField(
        "casework.AssessmentRequest", on_delete=models.CASCADE, related_name="public_request"
    )
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, related_name="public_requests"
    )
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField()
    contact_phone = models.CharField(max_length=30, blank=True)
    setting_name = models.CharField(max_length=200, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Public request {self.assessment_request}"

    @property
    def relationship_described(self) -> str:
        """Who made the request, in words for a staff member's sentence: the choice's label is
        the family's own words ("I am their parent or carer"), not fit to be pasted in."""
        return {
            self.Relationship.PARENT: "their parent or carer",
            self.Relationship.YOUNG_PERSON: "the young person",
        }.get(self.relationship, "")


class RequestAttempt(models.Model):
    """One submission of the public form from an address (kept hashed), for the rate limit."""

    address_hash = models.CharField(max_length=64)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["address_hash", "at"])]

    def __str__(self) -> str:
        return f"Public form sent at {self.at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """An invitation from the LA to a parent, carer or young person to see a child's record.
    The link carries a signed token; only its hash is stored. Single use and expiring."""

    class Kind(models.TextChoices):
        PARENT = "parent", "Parent or carer"
        YOUNG_PERSON = "young_person", "The young person themselves"

    child = models.ForeignKey("children.Child", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    relationship = models.CharField(max_length=12, blank=True)
    full_name = models.CharField(max_length=200)
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"


class FamilyAccount(models.Model):
    """A family member's portal settings: the optional e-mailed one-time code at sign-in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_account"
    )
    email_code_required = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"Family account of {self.user}"


class EmailCode(models.Model):
    """A one-time code e-mailed to a family member (only its hash is kept)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Sign-in code for {self.user}"


class ViewsStatement(models.Model):
    """Views, interests and aspirations for section A of the plan (reg 12(1)(a)), written by
    the child ("All about me") or by a parent. A draft until it is sent."""

    class Kind(models.TextChoices):
        CHILD = "child", "All about me"
        PARENT = "parent", "What I want you to know (parent or carer)"

    assessment_request = models.ForeignKey(
        "casework.AssessmentRequest", on_delete=models.CASCADE, related_name="family_views"
    )
    # Empty: views for the assessment (section A). Set: views for an annual review of the
    # plan, given before its meeting (reg 20(2)(b)); a new pair of pages for each review.
    review = models.ForeignKey(
        "plans.AnnualReview",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="family_views",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    about = models.TextField(blank=True)
    what_matters = models.TextField(blank=True)
    what_is_hard = models.TextField(blank=True)
    hopes = models.TextField(blank=True)
    how_to_help = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment_request", "author", "kind"],
                condition=models.Q(review__isnull=True),
                name="views_one_per_author_kind",
            ),
            models.UniqueConstraint(
                fields=["review", "author", "kind"],
                condition=models.Q(review__isnull=False),
                name="review_views_one_per_author_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.assessment_request}"

    @property
    def is_sent(self) -> bool:
        return self.sent_at is not None


def _attachment_path(instance, filename: str) -> str:
    # Never the uploader's name: a random name under the case, outside the web root.
    return f"family/{instance.statement.assessment_request_id}/{instance.stored_name}"


class ViewsAttachment(models.Model):
    """A picture or document added to views (checked as case uploads are)."""

    statement = models.ForeignKey(
        ViewsStatement, on_delete=models.CASCADE, related_name="attachments"
    )
    stored_name = models.CharField(max_length=64, editable=False)
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class DraftPlanResponse(models.Model):
    """A family member's response to the draft plan within their 15 days (reg 13(1)):
    comments by section letter, a meeting, a preferred school or setting (s.38(2)(b))."""

    assessment_request = models.ForeignKey(
        "casework.AssessmentRequest", on_delete=models.CASCADE, related_name="draft_responses"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    comments = models.JSONField(default=dict, blank=True)
    wants_meeting = models.BooleanField(default=False)
    preferred_setting = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Comments may be sent more than once until the 15 days end (each sending is kept as
        # it was sent); only the one unsent draft per author is still being written.
        constraints = [
            models.UniqueConstraint(
                fields=["assessment_request", "author"],
                condition=models.Q(sent_at__isnull=True),
                name="draft_response_one_unsent_per_author",
            )
        ]
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"Response to the draft plan for {self.assessment_request}"


class SharedDocument(models.Model):
    """A case document the caseworker chose to share with the family (for example the draft
    plan). Letters sent to the family are shared without this; nothing else is."""

    document = models.OneToOneField(
        "casework.CaseDocument", on_delete=models.CASCADE, related_name="shared_with_family"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.document} shared with the family"


class FamilyMessage(models.Model):
    """A message a parent or young person sent to the caseworker from the portal. Kept as it
    was sent; shown to the caseworker on the case page. The e-mail telling the caseworker
    carries only the case reference (never the words or the child's name)."""

    assessment_request = models.ForeignKey(
        "casework.AssessmentRequest", on_delete=models.CASCADE, related_name="family_messages"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"Message from the family on {self.assessment_request}"


class FamilyAnswer(models.Model):
    """The caseworker's marker that something the family sent has been answered: the comments
    on the draft, the meeting they asked for (reg 13(1)(b)), the school they asked to be
    named (s.38(2)(b)), or a message. Until it exists the item is on the caseworker's task
    list; it records who answered and when, never the answer's words (those go in letters and
    notes, which are records of their own)."""

    class Subject(models.TextChoices):
        COMMENTS = "comments", "Comments on the draft plan"
        MEETING = "meeting", "Request for a meeting about the draft plan"
        PREFERRED_SETTING = "preferred_setting", "Request for a school or setting to be named"
        MESSAGE = "message", "Message to the caseworker"

    assessment_request = models.ForeignKey(
        "casework.AssessmentRequest", on_delete=models.CASCADE, related_name="family_answers"
    )
    subject = models.CharField(max_length=20, choices=Subject.choices)
    response = models.ForeignKey(
        DraftPlanResponse, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    message = models.ForeignKey(
        FamilyMessage, on_delete=models.CASCADE, null=True, blank=True, related_name="answers"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["answered_at", "pk"]
        constraints = [
            # Answered once: a second click (or a stale page) changes nothing.
            models.UniqueConstraint(
                fields=["response", "subject"],
                condition=models.Q(response__isnull=False),
                name="family_answer_once_per_response_subject",
            ),
            models.UniqueConstraint(
                fields=["message"],
                condition=models.Q(message__isnull=False),
                name="family_answer_once_per_message",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_subject_display()} answered on {self.assessment_request}"
