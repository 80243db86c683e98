"""Command line: case facts (JSON) in, statutory timeline (JSON) out.

    python -m everychild.statutory [--file FACTS.json] [--count-start-as-day-one] [--pretty]
    python -m everychild.statutory --rules

Exit 0 with the result on stdout; exit 2 with a message naming the field on stderr, and nothing
on stdout, for bad JSON or an impossible fact. The Django management command and API endpoint
wrap :func:`main` / :func:`everychild.statutory.contract.parse_facts`.
"""

from __future__ import annotations

import json
import sys
from typing import TextIO

from .contract import FactsError, parse_facts, timeline_json
from .rules import registry_json

__all__ = ["USAGE", "main"]

USAGE = """\
usage: python -m everychild.statutory [--file FACTS.json] [--count-start-as-day-one] [--pretty]
       python -m everychild.statutory --rules [--pretty]

Reads one JSON object of case facts (from stdin, or --file) and prints the case's statutory
timeline as JSON. --rules prints the rule registry instead. Exit status 2 means the facts were
refused; the reason, naming the field, is on stderr.
"""


def _fail(stderr: TextIO, message: str) -> int:
    stderr.write(f"error: {message}\n")
    return 2


def main(argv: list[str], stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    """Run the CLI with explicit streams (so tests and wrappers need no subprocess)."""
    path = None
    day_one = pretty = list_rules = False
    args = list(argv)
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in ("-h", "--help"):
            stdout.write(USAGE)
            return 0
        if arg == "--file":
            if index + 1 >= len(args):
                return _fail(stderr, "--file needs a file name")
            path = args[index + 1]
            index += 2
            continue
        if arg.startswith("--file="):
            path = arg.removeprefix("--file=")
        elif arg == "--count-start-as-day-one":
            day_one = True
        elif arg == "--pretty":
            pretty = True
        elif arg == "--rules":
            list_rules = True
        else:
            stderr.write(USAGE)
            return _fail(stderr, f"unknown argument {arg!r}")
        index += 1

    indent = 2 if pretty else None
    if list_rules:
        stdout.write(json.dumps(registry_json(), indent=indent) + "\n")
        return 0

    try:
        if path is None:
            text = stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as error:
        return _fail(stderr, f"cannot read {path}: {error.strerror}")
    except UnicodeDecodeError:
        return _fail(stderr, f"{path or 'stdin'} is not UTF-8 text")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as error:
        return _fail(
            stderr, f"invalid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        )
    except RecursionError:
        return _fail(stderr, "invalid JSON: nested too deeply")
    try:
        result = timeline_json(parse_facts(obj), count_start_as_day_one=day_one)
    except FactsError as error:
        return _fail(stderr, f"{error.field}: {error.message}")
    stdout.write(json.dumps(result, indent=indent) + "\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main(sys.argv[1:], sys.stdin, sys.stdout, sys.stderr))
