"""`python manage.py statutory_timeline [--file F] [--count-start-as-day-one] [--pretty]`:
case facts (JSON on standard input or in F) in, the statutory timeline (JSON) out. Exit 2 with
a message naming the field when the facts are refused; nothing is printed on standard output
then. The contract is everychild.statutory.cli's; this only wires it into manage.py."""

import sys

from django.core.management.base import BaseCommand

from everychild.statutory.cli import main


class Command(BaseCommand):
    help = "Compute the statutory timeline for one case's facts (JSON on stdin or --file)."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="read the facts from this file instead of stdin")
        parser.add_argument("--count-start-as-day-one", action="store_true")
        parser.add_argument("--pretty", action="store_true", help="indent the JSON")
        parser.add_argument("--rules", action="store_true", help="print the rule registry")

    def handle(self, *args, **options):
        argv = []
        if options["file"]:
            argv += ["--file", options["file"]]
        for flag in ("count_start_as_day_one", "pretty", "rules"):
            if options[flag]:
                argv.append("--" + flag.replace("_", "-"))
        # Streams straight through: Django's OutputWrapper would add its own line endings.
        code = main(argv, sys.stdin, sys.stdout, sys.stderr)
        if code:
            raise SystemExit(code)
