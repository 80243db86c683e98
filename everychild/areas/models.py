"""A local area: one council and its SEND partnership. Everything that differs between
areas (codes, neighbours, term dates) lives here as data, not in code."""

from django.db import models


class DecisionOwner(models.TextChoices):
    """Who records one of a case's decisions, as the area's scheme of delegation names them
    (decision 0192): the panel's decision-makers, a SEND team manager, or a caseworker with
    delegated authority. The casework policy maps each to the capability that must be held."""

    PANEL = "panel", "The panel (decision-makers)"
    MANAGER = "manager", "A SEND team manager"
    CASEWORKER = "caseworker", "A caseworker with delegated authority"


class ReviewConvener(models.TextChoices):
    """Who convenes the annual review of a plan of a child at a school or college: the council
    may require the head teacher or principal to (SEND Regulations 2014 reg 20; Code 9.176),
    or do it itself. A child at neither is always the council's to convene (reg 21)."""

    SCHOOL = "school", "The child's school or college (the council requires it to)"
    COUNCIL = "council", "The council's SEND team"


class Area(models.Model):
    name = models.CharField(max_length=200)
    la_code = models.CharField(
        "local authority code", max_length=9, unique=True, help_text="ONS code, e.g. E06000058"
    )
    old_la_code = models.CharField(
        "old LA number", max_length=3, unique=True, help_text="3-digit DfE number, e.g. 839"
    )
    region_code = models.CharField(max_length=9, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    # LA codes of the area's statistical neighbours, for benchmarking pages.
    statistical_neighbours = models.JSONField(default=list, blank=True)
    # Setting closures (school holidays) as [{"from": ISO, "to": ISO}] first and last closed
    # day: the statutory engine detects reg 10(4)(a)/(b) exceptions from them.
    setting_closures = models.JSONField(default=list, blank=True)
    # Councils that count the day a request is received as day 1 (one day stricter).
    count_start_as_day_one = models.BooleanField(default=False)
    # How people who cannot use the online forms reach the council's SEND team (by phone, by
    # e-mail or on paper): the public request page and the accessibility statement show them.
    send_team_phone = models.CharField("SEND team phone", max_length=40, blank=True)
    send_team_email = models.EmailField("SEND team e-mail address", blank=True)
    send_team_address = models.TextField(
        "SEND team postal address", blank=True, help_text="Where paper requests can be sent"
    )
    # Who records each of a case's three decisions (decision 0192).
    assess_decided_by = models.CharField(
        "who decides whether to assess",
        max_length=12,
        choices=DecisionOwner.choices,
        default=DecisionOwner.PANEL,
    )
    issue_decided_by = models.CharField(
        "who decides whether to issue a plan",
        max_length=12,
        choices=DecisionOwner.choices,
        default=DecisionOwner.PANEL,
    )
    final_plan_issued_by = models.CharField(
        "who issues the final plan once the decision to issue is made",
        max_length=12,
        choices=DecisionOwner.choices,
        default=DecisionOwner.CASEWORKER,
    )
    reviews_convened_by = models.CharField(
        "who convenes the annual reviews of children at school or college",
        max_length=8,
        choices=ReviewConvener.choices,
        default=ReviewConvener.SCHOOL,
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
