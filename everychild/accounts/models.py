"""People and organisations of the local area partnership, and the roles people hold."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone


class OrganisationKind(models.TextChoices):
    LOCAL_AUTHORITY = "la", "Local authority"
    EDUCATIONAL_PSYCHOLOGY = "ep", "Educational psychology service"
    NHS_ICB = "icb", "NHS integrated care board"
    NHS_PROVIDER = "nhs_provider", "NHS provider team"
    SOCIAL_CARE = "social_care", "Children's social care"
    SCHOOL = "school", "School or academy"
    COLLEGE = "college", "College or post-16 provider"
    EARLY_YEARS = "early_years", "Early years provider"
    PARENT_CARER_FORUM = "forum", "Parent carer forum"
    MONITORING_BODY = "monitor", "Monitoring body"


# Kinds that give statutory advice on request (reg 6(1)); their staff see only what they
# were asked for.
ADVICE_GIVING_KINDS = {
    OrganisationKind.EDUCATIONAL_PSYCHOLOGY,
    OrganisationKind.NHS_ICB,
    OrganisationKind.NHS_PROVIDER,
    OrganisationKind.SOCIAL_CARE,
}
SETTING_KINDS = {OrganisationKind.SCHOOL, OrganisationKind.COLLEGE, OrganisationKind.EARLY_YEARS}


class SettingType(models.TextChoices):
    """The kind of education setting, in the DfE caseload tables' placement groups."""

    MAINSTREAM = "mainstream", "Mainstream school"
    RESOURCED_PROVISION = "resourced", "Mainstream with resourced provision or SEN unit"
    MAINTAINED_SPECIAL = "special_maintained", "Maintained special school"
    ACADEMY_SPECIAL = "special_academy", "Academy or free special school"
    INDEPENDENT_SPECIAL = "special_independent", "Independent or non-maintained special school"
    ALTERNATIVE_PROVISION = "ap", "Alternative provision or pupil referral unit"
    FE_COLLEGE = "fe", "General FE or tertiary college"
    SPECIALIST_POST16 = "post16_specialist", "Specialist post-16 institution"
    EARLY_YEARS = "early_years", "Early years provider"
    NOT_A_SETTING = "", "Not an education setting"


class Organisation(models.Model):
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="organisations", null=True, blank=True
    )
    kind = models.CharField(max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(max_length=200)
    urn = models.CharField(
        "URN",
        max_length=6,
        blank=True,
        validators=[RegexValidator(r"^\d{6}$", "A URN is 6 digits, like 113456.")],
    )
    ukprn = models.CharField(
        "UKPRN",
        max_length=8,
        blank=True,
        validators=[RegexValidator(r"^1\d{7}$", "A UKPRN is 8 digits starting with 1.")],
    )
    setting_type = models.CharField(
        max_length=24, choices=SettingType.choices, blank=True, default=""
    )
    phase = models.CharField(
        max_length=40, blank=True, help_text="e.g. primary, secondary, all-through"
    )
    is_active = models.BooleanField(default=True)
    # What DfE's register of establishments ("Get Information about Schools") says, kept as
    # it says it so a caseworker sees the school as the register names it.
    establishment_type = models.CharField(
        "type of establishment", max_length=100, blank=True, help_text="as DfE's register names it"
    )
    register_status = models.CharField(
        "status in DfE's register", max_length=40, blank=True, help_text="e.g. Open, Closed"
    )
    la_number = models.CharField(
        "LA number", max_length=3, blank=True, help_text="3-digit DfE number, e.g. 839"
    )
    street = models.CharField(max_length=200, blank=True)
    locality = models.CharField(max_length=200, blank=True)
    address3 = models.CharField("address line 3", max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    county = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # The establishment this one replaced: on academy conversion DfE closes the old URN and
    # opens a new one, and a child's history at either is one school's history.
    predecessor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="successors"
    )
    # Optimistic locking of the staff administration's edit form (core.locking).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["urn"], condition=~models.Q(urn=""), name="organisation_unique_urn"
            ),
            models.UniqueConstraint(
                fields=["ukprn"], condition=~models.Q(ukprn=""), name="organisation_unique_ukprn"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_setting(self) -> bool:
        return self.kind in SETTING_KINDS


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        # There is no Django admin: "superuser" means a system administrator membership.
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", False)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: staff of any partner organisation, parents and young people."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    # Django's flag, kept for compatibility; EveryChild's permissions come from memberships.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Optimistic locking of the staff administration's changes to a person (core.locking).
    version = models.PositiveIntegerField(default=1)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        """How the service greets someone: their first name, never a title alone ("Hello, Dr"
        was issue 20). With a title and only a surname, the whole name ("Dr Shah")."""
        words = self.full_name.split()
        if not words:
            return self.email
        if words[0].rstrip(".").lower() in TITLES:
            return words[1] if len(words) > 2 else " ".join(words)
        return words[0]


# Titles people put before their name, which a greeting must not take for a first name.
TITLES = {
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "prof",
    "professor",
    "rev",
    "revd",
    "sir",
    "dame",
    "lady",
    "lord",
    "cllr",
    "councillor",
}


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "EHC coordinator (caseworker)"
    TEAM_MANAGER = "team_manager", "SEND team manager"
    DECISION_MAKER = "decision_maker", "Decision-maker (panel)"
    EDUCATIONAL_PSYCHOLOGIST = "ep", "Educational psychologist"
    EP_MANAGER = "ep_manager", "Educational psychology service manager"
    HEALTH_ADVISER = "health", "Health adviser or designated clinical officer"
    SOCIAL_CARE_ADVISER = "social_care", "Social care adviser"
    SENCO = "senco", "SENCO"
    PARENT = "parent", "Parent or carer"
    YOUNG_PERSON = "young_person", "Young person"
    BOARD_MEMBER = "board", "SEND Board member"
    FINANCE_OFFICER = "finance", "Finance officer"
    SENIOR_LEADER = "senior_leader", "Senior leader (director or head of service)"
    SYSTEM_ADMINISTRATOR = "admin", "System administrator"
    DATA_PROTECTION_OFFICER = "dpo", "Data protection officer"
    # Manages the staff of their organisation; in a local authority, of every organisation
    # of its area (decision 0180).
    STAFF_ADMINISTRATOR = "staff_admin", "Staff administrator"


# Roles held by the family (no second factor by TOTP; they are not staff).
FAMILY_ROLES = {Role.PARENT, Role.YOUNG_PERSON}
LA_CASEWORK_ROLES = {Role.CASEWORKER, Role.TEAM_MANAGER, Role.DECISION_MAKER}
ADVISER_ROLES = {
    Role.EDUCATIONAL_PSYCHOLOGIST,
    Role.EP_MANAGER,
    Role.HEALTH_ADVISER,
    Role.SOCIAL_CARE_ADVISER,
}
# The roles a staff administrator may give in each kind of organisation (decision 0180). The
# system administrator role is not among them: it is given from the command line only, so no
# administrator inside the service can make another.
STAFF_ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    OrganisationKind.LOCAL_AUTHORITY: (
        Role.CASEWORKER,
        Role.TEAM_MANAGER,
        Role.DECISION_MAKER,
        Role.FINANCE_OFFICER,
        Role.SENIOR_LEADER,
        Role.BOARD_MEMBER,
        Role.DATA_PROTECTION_OFFICER,
        Role.STAFF_ADMINISTRATOR,
    ),
    OrganisationKind.EDUCATIONAL_PSYCHOLOGY: (
        Role.EDUCATIONAL_PSYCHOLOGIST,
        Role.EP_MANAGER,
        Role.STAFF_ADMINISTRATOR,
    ),
    OrganisationKind.NHS_ICB: (Role.HEALTH_ADVISER, Role.BOARD_MEMBER, Role.STAFF_ADMINISTRATOR),
    OrganisationKind.NHS_PROVIDER: (Role.HEALTH_ADVISER, Role.STAFF_ADMINISTRATOR),
    OrganisationKind.SOCIAL_CARE: (
        Role.SOCIAL_CARE_ADVISER,
        Role.BOARD_MEMBER,
        Role.STAFF_ADMINISTRATOR,
    ),
    OrganisationKind.SCHOOL: (Role.SENCO,),
    OrganisationKind.COLLEGE: (Role.SENCO,),
    OrganisationKind.EARLY_YEARS: (Role.SENCO,),
    OrganisationKind.PARENT_CARER_FORUM: (Role.BOARD_MEMBER,),
    OrganisationKind.MONITORING_BODY: (Role.BOARD_MEMBER,),
}


class Membership(models.Model):
    """A user's role in one organisation. A person may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", null=True, blank=True
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique"
            ),
        ]

    def __str__(self) -> str:
        where = self.organisation.name if self.organisation_id else "the family"
        return f"{self.user} — {self.get_role_display()} ({where})"


class ApiTokenEnd(models.TextChoices):
    """Why a token stopped working before its expiry (issue 17: tokens are credentials)."""

    BY_OWNER = "owner", "Revoked by its owner"
    BY_COMMAND = "command", "Replaced from the command line"
    PASSWORD_CHANGED = "password", "The password was changed"
    LOCKED_OUT = "locked_out", "The account was locked out"
    DEACTIVATED = "deactivated", "The account was deactivated"


class ApiToken(models.Model):
    """A named credential for the API. Only a hash of the token is kept: the token itself is
    shown once, when it is made. It ends at `expires_at` or when revoked, whichever is first.
    Issued and checked by `everychild.access.tokens`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so an owner can tell their tokens apart; not enough to use one.
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_because = models.CharField(max_length=12, choices=ApiTokenEnd.choices, blank=True)
    issued_by_command = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) for {self.user}"

    def is_live(self, now=None) -> bool:
        return self.revoked_at is None and self.expires_at > (now or timezone.now())


class EnrolmentCode(models.Model):
    """A one-time code that lets a staff member add their authenticator app (issue 17: the
    password alone must not). Issued by an administrator when the account is made or its
    second factor reset; only a keyed hash is kept. Made by `everychild.access.enrolment`."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    issued_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Enrolment code for {self.user}"


class SignInLockOut(models.Model):
    """One lock-out of an account from one address (django-axes locked it after repeated
    wrong passwords). Kept so each lock-out of the same account, from any address, lasts
    longer than the one before (issue 17; `everychild.accounts.lockout`)."""

    username = models.CharField(max_length=254, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Lock-out of {self.username} at {self.at:%Y-%m-%d %H:%M}"
