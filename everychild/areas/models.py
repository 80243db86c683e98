"""A local area: one council and its SEND partnership. Everything that differs between
areas (codes, neighbours, term dates) lives here as data, not in code."""

from django.db import models


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

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
