"""Write the area's SEN2 return from live data.

python manage.py sen2_export --year 2026 [--reference-date 2026-01-15] --out FILE.xml
"""

import os
import tempfile
import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from everychild.returns.management.commands._sen2 import choose_area
from everychild.returns.sen2 import spec
from everychild.returns.sen2.export import export_return


class Command(BaseCommand):
    help = "Write the person-level SEN2 return for an area from live data."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True, help="the return's year, e.g. 2026")
        parser.add_argument(
            "--reference-date",
            help="the census date (YYYY-MM-DD); default the third Thursday of January",
        )
        parser.add_argument("--out", required=True, help="the XML file to write")
        parser.add_argument("--la", help="the area's LA number, when there is more than one")
        parser.add_argument("--compact", action="store_true", help="one line per person")

    def handle(self, *args, **options):
        year = options["year"]
        if not 2023 <= year <= 2100:
            raise CommandError("--year must be a year of the person-level return (2023 on).")
        reference = spec.default_reference_date(year)
        if options["reference_date"]:
            try:
                reference = date.fromisoformat(options["reference_date"])
            except ValueError:
                raise CommandError("--reference-date must be a date, YYYY-MM-DD.") from None
            if reference.year != year or reference.month != 1:
                raise CommandError(f"The reference date must be in January {year}.")
        area = choose_area(options["la"])
        out = Path(options["out"])
        started = time.perf_counter()
        # Written beside the target and moved into place, so a failure leaves no half file.
        handle, partial = tempfile.mkstemp(dir=out.parent or ".", prefix=f".{out.name}.")
        try:
            with os.fdopen(handle, "wb") as stream:
                result = export_return(
                    area=area,
                    year=year,
                    reference_date=reference,
                    out=stream,
                    pretty=not options["compact"],
                )
            os.replace(partial, out)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        self.stdout.write(
            f"Wrote the {year} SEN2 return for {area.name} (LA {area.old_la_code}), reference "
            f"date {reference.isoformat()}: {result.persons:,} people, {result.requests:,} "
            f"requests, {result.active_plans:,} active plans, in "
            f"{time.perf_counter() - started:.1f} s, to {out}.\n"
            f"Check it with: python manage.py sen2_validate {out}"
        )
