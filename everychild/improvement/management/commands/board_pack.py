"""manage.py board_pack --date YYYY-MM-DD --out pack.pdf: the SEND Board pack for the area."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from everychild.areas.models import Area
from everychild.improvement.boardpack import make_board_pack


class Command(BaseCommand):
    help = "Make the SEND Board pack (an accessible PDF) with the figures as at a date."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            required=True,
            type=dt.date.fromisoformat,
            help="the figures as at this day (YYYY-MM-DD)",
        )
        parser.add_argument("--out", required=True, help="where to write the PDF")
        parser.add_argument(
            "--area", help="the area's LA code (needed only when there is more than one area)"
        )

    def handle(self, *args, date, out, area, **options):
        areas = Area.objects.all()
        if area:
            areas = areas.filter(la_code=area)
        chosen = list(areas[:2])
        if not chosen:
            raise CommandError("No such area." if area else "There is no area to report on.")
        if len(chosen) > 1:
            raise CommandError("There is more than one area: choose one with --area LA_CODE.")
        if date > dt.date.today():
            raise CommandError("The date cannot be in the future.")
        pack = make_board_pack(chosen[0], on=date)
        Path(out).write_bytes(pack.pdf)
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {out}: {pack.pages} pages, {len(pack.pdf) / 1024:.0f} KB, "
                f"in {pack.seconds:.1f} s."
            )
        )
