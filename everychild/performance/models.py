"""DfE's published "Education, health and care plans" statistics, as loaded by
`manage.py import_dfe_statistics`. The area's own figures are never stored: every measure is
computed from the casework records when it is asked for (everychild.performance.measures).

One release (a reporting year) holds one dataset per CSV file; each row of a file is one
`DfEStatistic` with its identifying columns as fields and its figures as a list in the order
of the dataset's `columns`. DfE's `x` (unavailable) and `z` (not applicable) are stored as
null, with the letter kept in `flags` so a page can say which it was."""

from django.db import models


class DfERelease(models.Model):
    """One publication of the statistics: "reporting year N" holds the caseload at January N
    and the activity of calendar year N-1."""

    reporting_year = models.PositiveSmallIntegerField(unique=True)
    title = models.CharField(max_length=200, default="Education, health and care plans")
    source = models.CharField(max_length=500, help_text="The folder the files were loaded from.")
    loaded_at = models.DateTimeField(auto_now_add=True)
    row_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-reporting_year"]

    def __str__(self) -> str:
        return f"{self.title}, reporting year {self.reporting_year}"


class DfEDataset(models.Model):
    """One CSV file of a release, e.g. timeliness_20_week."""

    release = models.ForeignKey(DfERelease, on_delete=models.CASCADE, related_name="datasets")
    name = models.CharField(max_length=60)
    # The figure columns, in file order (the identifying columns are fields of each row).
    columns = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["release", "name"], name="dfe_dataset_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name}.csv ({self.release.reporting_year})"


class GeographicLevel(models.TextChoices):
    NATIONAL = "National", "England"
    REGIONAL = "Regional", "Region"
    LOCAL_AUTHORITY = "Local authority", "Local authority"


class DfEStatistic(models.Model):
    """One row of a DfE file: a geography, a time period and a breakdown, with its figures."""

    dataset = models.ForeignKey(DfEDataset, on_delete=models.CASCADE, related_name="rows")
    # 2024 for a calendar year; 202425 for the academic year 2024/25 (caseload at January 2025).
    time_period = models.PositiveIntegerField()
    time_identifier = models.CharField(max_length=20)
    geographic_level = models.CharField(max_length=20, choices=GeographicLevel.choices)
    country_code = models.CharField(max_length=9)
    region_code = models.CharField(max_length=9, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    la_code = models.CharField("new LA code", max_length=9, blank=True)
    old_la_code = models.CharField(max_length=3, blank=True)
    la_name = models.CharField(max_length=100, blank=True)
    breakdown_topic = models.CharField(max_length=100)
    breakdown = models.CharField(max_length=200)
    # The row for the whole population (breakdown equals its topic, e.g. "All EHC plans").
    is_total = models.BooleanField(default=False)
    values = models.JSONField(default=list)
    # {column: "x" | "z"} for each figure DfE did not give.
    flags = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["dataset", "is_total", "geographic_level", "la_code"]),
            models.Index(fields=["dataset", "is_total", "region_code"]),
        ]

    def __str__(self) -> str:
        where = self.la_name or self.region_name or "England"
        return f"{self.dataset.name} {self.time_period} {where}: {self.breakdown}"


class SENInEnglandLoad(models.Model):
    """One load of DfE's "Special educational needs in England" table of pupils by phase and
    type of school (sen_phase_type.csv), by `manage.py import_dfe_sen_in_england`. The file
    holds every academic year DfE publishes, so a load replaces the one before it whole; it is
    not a `DfERelease`, whose reporting year belongs to the EHC plan statistics
    (docs/decisions/0255-sen-in-england-beside-the-ehc-plan-statistics.md)."""

    title = models.CharField(max_length=200, default="Special educational needs in England")
    source = models.CharField(max_length=500, help_text="The file the table was loaded from.")
    loaded_at = models.DateTimeField(auto_now_add=True)
    row_count = models.PositiveIntegerField(default=0)
    # The latest academic year in the file, e.g. 202425 (the January 2025 census).
    latest_period = models.PositiveIntegerField()

    class Meta:
        ordering = ["-loaded_at"]

    def __str__(self) -> str:
        return f"{self.title} ({self.source})"


class SENPupils(models.Model):
    """One row of sen_phase_type.csv: a geography, an academic year, a phase and type of school,
    with the pupils on roll and the shares on SEN support and with an EHC plan. A figure DfE
    did not give (x, z, c, low, …) is null with its code kept in `flags`."""

    load = models.ForeignKey(SENInEnglandLoad, on_delete=models.CASCADE, related_name="rows")
    time_period = models.PositiveIntegerField()  # 202425: the census of January 2025
    geographic_level = models.CharField(max_length=20, choices=GeographicLevel.choices)
    region_code = models.CharField(max_length=9, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    la_code = models.CharField("new LA code", max_length=9, blank=True)
    old_la_code = models.CharField(max_length=3, blank=True)
    la_name = models.CharField(max_length=100, blank=True)
    phase_type_grouping = models.CharField(max_length=100)
    type_of_establishment = models.CharField(max_length=100)
    hospital_school = models.CharField(max_length=20)
    total_pupils = models.PositiveIntegerField(null=True)
    sen_support_percent = models.FloatField(null=True)
    ehc_plan_percent = models.FloatField(null=True)
    flags = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [models.Index(fields=["load", "geographic_level", "la_code", "time_period"])]

    def __str__(self) -> str:
        where = self.la_name or self.region_name or "England"
        return f"{self.time_period} {where}: {self.phase_type_grouping}"


class Change(models.Model):
    """A row written by a database trigger whenever a statement changes a table the measures'
    data is read from (performance.changes): the dashboard's cheap "has anything changed?"
    (decision 0270). Written only by the triggers; pruned by performance.changes."""

    id = models.BigAutoField(primary_key=True)
    # Random, so that a rolled-back change's id reused (SQLite) never looks like the old one.
    token = models.CharField(max_length=32)

    class Meta:
        db_table = "performance_change"

    def __str__(self) -> str:
        return f"Change {self.pk}"
