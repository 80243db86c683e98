"""High-needs money: placements and their costs, the area's cost tables and assumptions, the
high-needs budget and its monitoring, scenarios and their forecasts, and the Safety Valve.

Configuration is never overwritten. A finance officer who changes a rate, an assumption, an
allocation or a budget line adds a row; the latest row for the same key is the one in force
and the earlier ones stay as its history (who recorded what, when, and why)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from everychild.finance.forecast.levers import Lever


class PlacementType(models.TextChoices):
    """Where a plan places a child, grouped by how the place is paid for (see
    finance.forecast.dimensions, which a test keeps in step with this list)."""

    MAINSTREAM = "mainstream", "Mainstream school"
    RESOURCED = "resourced", "Resourced provision or SEN unit"
    SPECIAL_MAINTAINED = "special_maintained", "Maintained special school"
    SPECIAL_ACADEMY = "special_academy", "Academy or free special school"
    SPECIAL_INDEPENDENT = (
        "special_independent",
        "Independent or non-maintained special school",
    )
    POST16_FE = "post16_fe", "Post-16: further education college"
    POST16_SPECIALIST = "post16_specialist", "Post-16: specialist institution"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
    EARLY_YEARS = "early_years", "Early years provider"
    EOTAS = "eotas", "Education otherwise than at school (arranged by the council)"
    OTHER = "other", "Other: home education, not in education or training"


class CostComponent(models.TextChoices):
    """The parts a high-needs place is paid in (DfE high-needs funding operational guide)."""

    PLACE_FUNDING = "place", "Place funding"
    TOP_UP = "top_up", "Top-up funding"
    FEES = "fees", "Independent or specialist fees"


class SpendCategory(models.TextChoices):
    """Lines of high-needs spending: one per placement type, and the central services."""

    MAINSTREAM = "mainstream", "Mainstream top-up"
    RESOURCED = "resourced", "Resourced provision and SEN units"
    SPECIAL_MAINTAINED = "special_maintained", "Maintained special schools"
    SPECIAL_ACADEMY = "special_academy", "Academy and free special schools"
    SPECIAL_INDEPENDENT = (
        "special_independent",
        "Independent and non-maintained special schools",
    )
    POST16_FE = "post16_fe", "Post-16 further education"
    POST16_SPECIALIST = "post16_specialist", "Specialist post-16 institutions"
    ALTERNATIVE_PROVISION = "alternative_provision", "Alternative provision"
    EARLY_YEARS = "early_years", "Early years inclusion"
    EOTAS = "eotas", "Education otherwise than at school"
    OTHER = "other", "Other placements"
    CENTRAL = "central", "Central services: SEN support, hospital education, outreach"


class AssumptionKind(models.TextChoices):
    COST_INFLATION = "cost_inflation", "Cost inflation"
    FUNDING_GROWTH = "funding_growth", "Growth in high-needs funding"
    INTEREST_RATE = "interest_rate", "Interest on carrying the deficit"


def _money(**kwargs):
    return models.DecimalField(max_digits=14, decimal_places=2, **kwargs)


NOT_NEGATIVE = [MinValueValidator(0, "Enter an amount of £0 or more.")]
FINANCIAL_YEAR = [
    MinValueValidator(2000, "Enter a financial year from 2000."),
    MaxValueValidator(2100, "Enter a financial year up to 2100."),
]


class Recorded(models.Model):
    """Who recorded a row and when: configuration's history."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True


class Placement(models.Model):
    """Where an EHC plan places the child, from one date to another: the plan's setting over
    time. Derived from the plan's named setting (or SEN2 setting code); when the plan names a
    new setting the open placement is closed and a new one opened."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey("plans.EHCPlan", on_delete=models.CASCADE, related_name="placements")
    placement_type = models.CharField(max_length=24, choices=PlacementType.choices)
    setting = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    setting_code = models.CharField(max_length=4, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="The last day; empty while open.")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "starts_on"]
        indexes = [models.Index(fields=["area", "placement_type", "ends_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="placement_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_placement_type_display()} from {self.starts_on}"


class CostRate(Recorded):
    """The area's cost table: an annual amount per plan for one component of one placement
    type, in force from a date until a later row for the same type and component."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    placement_type = models.CharField(max_length=24, choices=PlacementType.choices)
    component = models.CharField(max_length=8, choices=CostComponent.choices)
    annual_amount = _money(validators=NOT_NEGATIVE)
    effective_from = models.DateField()

    class Meta:
        ordering = ["placement_type", "component", "effective_from", "recorded_at", "pk"]
        indexes = [models.Index(fields=["area", "placement_type", "component", "effective_from"])]

    def __str__(self) -> str:
        return (
            f"{self.get_placement_type_display()} {self.get_component_display()}: "
            f"£{self.annual_amount} from {self.effective_from}"
        )


# Placements usually paid at a price agreed for the child rather than the area's rate.
INDIVIDUALLY_PRICED = (
    PlacementType.SPECIAL_INDEPENDENT,
    PlacementType.POST16_SPECIALIST,
    PlacementType.ALTERNATIVE_PROVISION,
)


class PlacementFee(Recorded):
    """The annual amount agreed for one placement and one component (an independent school's
    fee, a top-up agreed for this child), in force from a date until a later row for the same
    placement and component. Where a placement has one, it replaces the area's cost table rate
    for that component. Rows are only ever added: the earlier ones are the history."""

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="fees")
    component = models.CharField(max_length=8, choices=CostComponent.choices)
    annual_amount = _money(validators=NOT_NEGATIVE)
    effective_from = models.DateField()

    class Meta:
        ordering = ["placement", "component", "effective_from", "pk"]

    def __str__(self) -> str:
        return f"{self.get_component_display()}: £{self.annual_amount} from {self.effective_from}"


class Assumption(Recorded):
    """An annual rate from a financial year onwards (until a later year's row)."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=AssumptionKind.choices)
    financial_year = models.PositiveSmallIntegerField(validators=FINANCIAL_YEAR)
    rate_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[
            MinValueValidator(-10, "A rate must be -10 %% or more."),
            MaxValueValidator(30, "A rate must be 30 %% or less."),
        ],
    )

    class Meta:
        ordering = ["kind", "financial_year", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.rate_percent} % from {self.financial_year}"


class PopulationFigure(Recorded):
    """The area's resident population aged 0 to 25 in a year (ONS mid-year estimate or
    sub-national projection): the forecast's demography."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(validators=FINANCIAL_YEAR)
    population = models.PositiveIntegerField(
        validators=[MinValueValidator(1, "Enter a population of 1 or more.")]
    )

    class Meta:
        ordering = ["year", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Population aged 0 to 25 in {self.year}: {self.population:,}"


class FundingAllocation(Recorded):
    """A financial year's high-needs block allocation (after recoupment and deductions) and
    any other income to the high-needs budget."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    financial_year = models.PositiveSmallIntegerField(validators=FINANCIAL_YEAR)
    hnb_allocation = _money(validators=NOT_NEGATIVE)
    other_income = _money(validators=NOT_NEGATIVE, default=0)

    class Meta:
        ordering = ["financial_year", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"High-needs funding {self.financial_year}: £{self.total:,}"

    @property
    def total(self):
        return self.hnb_allocation + self.other_income


class BudgetLine(Recorded):
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    financial_year = models.PositiveSmallIntegerField(validators=FINANCIAL_YEAR)
    category = models.CharField(max_length=24, choices=SpendCategory.choices)
    amount = _money(validators=NOT_NEGATIVE)

    class Meta:
        ordering = ["financial_year", "category", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()} budget {self.financial_year}: £{self.amount:,}"


class MonitoringReturn(Recorded):
    """A quarterly monitoring point: the forecast outturn by category as at a date. The fourth
    quarter's return is the year's outturn."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    financial_year = models.PositiveSmallIntegerField(validators=FINANCIAL_YEAR)
    quarter = models.PositiveSmallIntegerField(
        validators=[
            MinValueValidator(1, "Choose a quarter from 1 to 4."),
            MaxValueValidator(4, "Choose a quarter from 1 to 4."),
        ]
    )
    as_at = models.DateField()

    class Meta:
        ordering = ["financial_year", "quarter", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Monitoring {self.financial_year} quarter {self.quarter}"

    @property
    def is_outturn(self) -> bool:
        return self.quarter == 4


class MonitoringLine(models.Model):
    monitoring_return = models.ForeignKey(
        MonitoringReturn, on_delete=models.CASCADE, related_name="lines"
    )
    category = models.CharField(max_length=24, choices=SpendCategory.choices)
    forecast_outturn = _money(validators=NOT_NEGATIVE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["monitoring_return", "category"], name="monitoring_line_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: £{self.forecast_outturn:,}"


class DSGBalance(Recorded):
    """The cumulative DSG deficit at the end of a financial year (31 March), as audited or
    reported in the statement of accounts; a surplus is negative."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    financial_year = models.PositiveSmallIntegerField(validators=FINANCIAL_YEAR)
    cumulative_deficit = _money()

    class Meta:
        ordering = ["financial_year", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"DSG deficit at 31 March {self.financial_year + 1}: £{self.cumulative_deficit:,}"


class AgreementStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed to the DfE"
    AGREED = "agreed", "Agreed"
    REJECTED = "rejected", "Rejected by the DfE"
    ENDED = "ended", "Ended"


class SafetyValveAgreement(Recorded):
    """A Safety Valve agreement (or proposal) with the DfE: reach an in-year balance by a
    target year, with the DfE paying towards the historic deficit in instalments."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=AgreementStatus.choices)
    agreed_on = models.DateField(null=True, blank=True)
    balance_year = models.PositiveSmallIntegerField(
        "financial year of in-year balance", validators=FINANCIAL_YEAR
    )

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class DeficitTarget(Recorded):
    """The agreement's target for a financial year (the latest recorded row is the target)."""

    agreement = models.ForeignKey(
        SafetyValveAgreement, on_delete=models.CASCADE, related_name="targets"
    )
    financial_year = models.PositiveSmallIntegerField(validators=FINANCIAL_YEAR)
    in_year_deficit = _money(help_text="Negative for an in-year surplus.")
    cumulative_deficit = _money()

    class Meta:
        ordering = ["financial_year", "recorded_at", "pk"]

    def __str__(self) -> str:
        return f"Target {self.financial_year}: in-year £{self.in_year_deficit:,}"


class PaymentStatus(models.TextChoices):
    DUE = "due", "Due"
    PAID = "paid", "Paid"
    WITHHELD = "withheld", "Withheld"


class DfEPayment(Recorded):
    """An instalment the DfE pays towards the deficit once its conditions are met."""

    agreement = models.ForeignKey(
        SafetyValveAgreement, on_delete=models.CASCADE, related_name="payments"
    )
    due_on = models.DateField()
    amount = _money(validators=NOT_NEGATIVE)
    conditions = models.TextField()
    status = models.CharField(max_length=8, choices=PaymentStatus.choices, default="due")
    settled_on = models.DateField(null=True, blank=True)
    settled_note = models.CharField(max_length=300, blank=True)
    # Optimistic locking (core.locking): moves on when the outcome is recorded or corrected.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"£{self.amount:,} due {self.due_on} ({self.get_status_display()})"


class MonitoringDate(Recorded):
    """A date the DfE expects a progress report."""

    agreement = models.ForeignKey(
        SafetyValveAgreement, on_delete=models.CASCADE, related_name="monitoring_dates"
    )
    due_on = models.DateField()
    description = models.CharField(max_length=200)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"{self.description} ({self.due_on})"


class Scenario(models.Model):
    """A set of levers to forecast with. Kept as made: to change one, make another."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    is_baseline = models.BooleanField(
        default=False, help_text="The area's central forecast: no levers, recent trends."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-is_baseline", "name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="scenario_unique_name"),
            models.UniqueConstraint(
                fields=["area"],
                condition=models.Q(is_baseline=True),
                name="scenario_one_baseline",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ScenarioLever(models.Model):
    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="levers")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20)
    value = models.DecimalField(max_digits=10, decimal_places=2)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    placement_type = models.CharField(max_length=24, choices=PlacementType.choices, blank=True)
    source_type = models.CharField(max_length=24, choices=PlacementType.choices, blank=True)
    age_from = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["scenario", "position", "pk"]

    def __str__(self) -> str:
        return self.describe()

    def describe(self) -> str:
        return self.as_lever().describe()

    def as_lever(self) -> Lever:
        """This row as the forecast's lever (the pure model knows no Django rows)."""
        return Lever(
            kind=self.kind,
            value=float(self.value),
            starts_on=self.starts_on,
            ends_on=self.ends_on,
            placement_type=self.placement_type,
            source_type=self.source_type,
            age_from=self.age_from,
        )


class ForecastRun(models.Model):
    """A scenario's forecast as computed on a day: the central path, the bands, the back-test
    and the breakdown, stored so that pages and the API show the same figures until it is run
    again."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="runs")
    as_of = models.DateField()
    computed_at = models.DateTimeField(default=timezone.now)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    runs = models.PositiveIntegerField()
    seed = models.BigIntegerField()
    horizon = models.PositiveSmallIntegerField()
    result = models.JSONField()

    class Meta:
        ordering = ["-computed_at", "-pk"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"{self.scenario} as at {self.as_of}"
