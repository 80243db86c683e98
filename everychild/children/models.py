"""Children and young people (0-25) and the people who act for them."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from everychild.children import codes, validators


class Child(models.Model):
    """A child or young person known to the area's SEND service."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="children")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(validators=[validators.validate_date_of_birth_not_future])
    sex = models.CharField(max_length=1, choices=codes.Sex.choices)
    ethnicity = models.CharField(
        max_length=4, choices=codes.Ethnicity.choices, default=codes.Ethnicity.NOBT
    )
    postcode = models.CharField(max_length=8, blank=True)
    upn = models.CharField(
        "UPN", max_length=13, blank=True, validators=[validators.validate_upn], db_index=True
    )
    upn_unknown_reason = models.CharField(
        "reason the UPN is unknown",
        max_length=4,
        choices=codes.UPNUnknownReason.choices,
        blank=True,
    )
    uln = models.CharField(
        "unique learner number", max_length=10, blank=True, validators=[validators.validate_uln]
    )
    nhs_number = models.CharField(
        "NHS number", max_length=10, blank=True, validators=[validators.validate_nhs_number]
    )
    current_setting = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="pupils",
        help_text="The school, college or early years setting the child attends now.",
    )
    # A young person past compulsory school age may hold their own account and act for
    # themselves (CFA 2014 s.80; Code 8.13).
    own_account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="own_record",
    )
    # Set when this record was found to be the same child as another and merged into it: the
    # record stays (so the merge can be undone, and old links still lead somewhere) but leaves
    # every list and search.
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_records"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking (core.locking): moves on with every change to the details.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["area", "last_name", "first_name"]),
            models.Index(fields=["area", "date_of_birth"]),
        ]
        constraints = [
            # A UPN or the reason it is unknown, never both (SEN2).
            models.CheckConstraint(
                condition=~(~models.Q(upn="") & ~models.Q(upn_unknown_reason="")),
                name="child_upn_xor_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        first = self.preferred_name or self.first_name
        return f"{first} {self.last_name}"

    def _date_of_birth_changed(self) -> bool:
        stored = type(self).objects.filter(pk=self.pk).values_list("date_of_birth", flat=True)
        return stored.first() != self.date_of_birth

    def clean(self):
        # The 0-25 age range applies to a new record or a changed date of birth (see
        # validators.validate_date_of_birth).
        born = self.date_of_birth
        if (
            born
            and born <= dt.date.today()
            and (self._state.adding or self._date_of_birth_changed())
        ):
            try:
                validators.validate_date_of_birth(self.date_of_birth)
            except ValidationError as error:
                raise ValidationError({"date_of_birth": error}) from None

        if self.upn and self.upn_unknown_reason:
            raise ValidationError(
                {"upn_unknown_reason": "Give either a UPN or the reason it is unknown, not both."}
            )
        # SEN2 needs one or the other for every child.
        if not self.upn and not self.upn_unknown_reason:
            raise ValidationError(
                {
                    "upn": ValidationError(
                        "Enter the UPN, or choose why it is not known.", code="upn_missing"
                    )
                }
            )
        # A SENCO sees the pupils of their setting, so only a setting can be one.
        if self.current_setting_id and not self.current_setting.is_setting:
            raise ValidationError(
                {
                    "current_setting": ValidationError(
                        "Choose a school, college or early years setting.", code="not_a_setting"
                    )
                }
            )


class FamilyLink(models.Model):
    """A parent or carer linked to a child, with or without parental responsibility."""

    class Relationship(models.TextChoices):
        MOTHER = "mother", "Mother"
        FATHER = "father", "Father"
        CARER = "carer", "Carer"
        GUARDIAN = "guardian", "Special guardian"
        CORPORATE_PARENT = "corporate", "Corporate parent (local authority)"
        OTHER = "other", "Other family member"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="family_links")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="family_links"
    )
    relationship = models.CharField(max_length=12, choices=Relationship.choices)
    has_parental_responsibility = models.BooleanField(default=True)
    # A young person who acts for themselves may choose what their parents see (Code 8.13).
    young_person_allows_access = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["child", "user"], name="familylink_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_relationship_display()}) of {self.child}"


class BreakGlassGrant(models.Model):
    """Exceptional, time-limited access to one child's record, with the reason written down.
    Managers see every grant; each one is in the audit log."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants"
    )
    child = models.ForeignKey("children.Child", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Made in the access app before break-glass moved here: the table keeps its name.
        db_table = "access_breakglassgrant"
        ordering = ["-granted_at"]
        indexes = [
            models.Index(
                fields=["user", "child", "expires_at"], name="access_brea_user_id_e7ee5b_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → child {self.child_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class ChildMerge(models.Model):
    """Two records found to be one child, merged: everything attached to `merged` was moved to
    `kept`. What moved is listed, so a manager can undo it for UNDO_DAYS."""

    UNDO_DAYS = 30

    kept = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="merges_merged")
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    merged_at = models.DateTimeField()
    # {"app_label.Model": [pk, …]}: the rows whose child moved from `merged` to `kept`.
    moved = models.JSONField(default=dict)
    # {"field": value before}: blanks on `kept` filled from `merged` (e.g. a UPN it lacked).
    filled = models.JSONField(default=dict)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at"]

    def __str__(self) -> str:
        return f"Record {self.merged_id} merged into {self.kept_id}"

    @property
    def undo_until(self) -> dt.datetime:
        return self.merged_at + dt.timedelta(days=self.UNDO_DAYS)


class SettingPeriod(models.Model):
    """A time the child was on a setting's roll: from, to (empty while it lasts) and who
    recorded it. The child's current setting is the open period's (Child.current_setting
    keeps it for quick reads); the closed ones are the child's history of settings, which
    the area may let a past setting's SENCO read back (decision 0240). Written only by
    children.services, whatever changed the setting."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="setting_periods")
    setting = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    # Empty for the periods found already open when the history began to be kept.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["child", "started_on", "pk"]
        indexes = [models.Index(fields=["setting", "child"])]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=models.Q(ended_on__isnull=True),
                name="one_current_setting_period_per_child",
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(ended_on__gte=models.F("started_on")),
                name="setting_period_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} at {self.setting_id} from {self.started_on}"

    @property
    def is_current(self) -> bool:
        return self.ended_on is None
