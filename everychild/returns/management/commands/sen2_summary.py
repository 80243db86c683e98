"""The DfE's headline figures from any SEN2 file.

python manage.py sen2_summary FILE.xml [--json]
"""

import json

from django.core.management.base import BaseCommand

from everychild.accounts.models import Organisation
from everychild.returns.management.commands._sen2 import EXIT_UNUSABLE, add_size_limit, max_bytes
from everychild.returns.sen2.reading import SEN2FileError
from everychild.returns.sen2.summary import as_text, summarise


def known_setting_types():
    """The type of every school, college and setting EveryChild knows by URN or UKPRN."""
    types = {}
    for urn, ukprn, setting_type in Organisation.objects.exclude(urn="", ukprn="").values_list(
        "urn", "ukprn", "setting_type"
    ):
        if urn:
            types["URN", urn] = setting_type
        if ukprn:
            types["UKPRN", ukprn] = setting_type
    return lambda kind, value: types.get((kind, value))


class Command(BaseCommand):
    help = "Print the DfE's headline EHC plan figures computed from a person-level SEN2 file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="print the figures as JSON")
        parser.add_argument("--workers", type=int, default=None)
        add_size_limit(parser)

    def handle(self, *args, **options):
        try:
            headline = summarise(
                options["file"],
                setting_type=known_setting_types(),
                max_bytes=max_bytes(options),
                workers=options["workers"],
            )
        except SEN2FileError as error:
            self.stderr.write(f"The file cannot be read: {error}")
            raise SystemExit(EXIT_UNUSABLE) from None
        if options["json"]:
            self.stdout.write(json.dumps(headline.as_dict(), indent=2))
        else:
            self.stdout.write(as_text(headline), ending="")
