"""Copy GOV.UK Frontend's built files from node_modules into our static folder, pointing its
stylesheet's font and image URLs at where we serve them. Run by `make` after `npm ci`."""

import shutil
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Copy GOV.UK Frontend from node_modules into everychild/static/govuk."

    def handle(self, *args, **options):
        source = Path(settings.BASE_DIR) / "node_modules" / "govuk-frontend" / "dist" / "govuk"
        if not source.is_dir():
            raise CommandError("GOV.UK Frontend is not installed: run `npm ci` first.")
        target = Path(settings.BASE_DIR) / "everychild" / "static" / "govuk"
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        shutil.copytree(source / "assets", target / "assets")
        for name in ("govuk-frontend.min.js", "govuk-frontend.min.js.map"):
            shutil.copy2(source / name, target / name)
        css = (source / "govuk-frontend.min.css").read_text(encoding="utf-8")
        css = css.replace("url(/assets/", f"url({settings.STATIC_URL}govuk/assets/")
        (target / "govuk-frontend.min.css").write_text(css, encoding="utf-8")
        self.stdout.write(f"GOV.UK Frontend copied to {target}")
