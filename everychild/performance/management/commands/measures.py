"""manage.py measures --area LA --year YYYY [--json]: every measure of an area for a calendar
year, each with its value, numerator and denominator, from the same measure modules as the
dashboard (no suppression: this is the data team's own view, not a publication)."""

import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from everychild.areas.models import Area
from everychild.core.dates import today as local_today
from everychild.performance import dataset, measures
from everychild.performance.periods import calendar_year


def _area(code: str) -> Area:
    try:
        return Area.objects.get(Q(old_la_code=code) | Q(la_code=code))
    except Area.DoesNotExist:
        raise CommandError(f"No area has the LA number or code {code}.") from None


class Command(BaseCommand):
    help = "Print every measure of an area for a calendar year (value, numerator, denominator)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--area", required=True, help="the LA number (e.g. 839) or LA code (E06000058)"
        )
        parser.add_argument("--year", required=True, type=int, help="the calendar year")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            help="judge the records as they stood on this day (YYYY-MM-DD; default today)",
        )

    def handle(self, *args, area, year, json, today, **options):
        area = _area(area)
        today = today or local_today()
        if date(year, 1, 1) > today:
            raise CommandError(f"{year} has not begun on {today.isoformat()}.")
        period = calendar_year(year, today)
        data = dataset.load(area, today)
        rows = []
        for measure in measures.MEASURES.values():
            figure = measure.figure(data, period)
            rows.append(
                {
                    "id": measure.id,
                    "title": measure.title,
                    "unit": str(measure.unit),
                    "value": figure.value,
                    "numerator": figure.numerator,
                    "denominator": figure.denominator,
                    "dfe": measure.definition.dfe,
                }
            )
        if json:
            self.stdout.write(_dumps(area, year, period, today, rows))
            return
        self.stdout.write(f"{area.name} ({area.old_la_code}), {year}")
        for row in rows:
            counts = ""
            if row["denominator"] is not None:
                counts = f"  ({row['numerator']} of {row['denominator']})"
            value = measures.format_value(row["value"], row["unit"])
            self.stdout.write(f"{row['title']}: {value}{counts}")


def _dumps(area, year, period, today, rows) -> str:
    return json.dumps(
        {
            "area": {"name": area.name, "la_code": area.la_code, "la_number": area.old_la_code},
            "year": year,
            "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
            "judged_on": today.isoformat(),
            "measures": rows,
        },
        indent=2,
    )
