"""Validating a SEN2 file: every rule on every person, every failure with the person, the XML
path and the line, streamed to whoever is listening (the console, a CSV or HTML report, a page)
so that a file with a million failures needs no more memory than a clean one."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from everychild.core import spreadsheets
from everychild.returns.sen2 import engine, reading, rules, screening, spec
from everychild.returns.sen2.reading import Header, Node, SEN2FileError, Stray


@dataclass(slots=True)
class Failure:
    code: str
    severity: str
    message: str
    detail: str
    module: str
    field: str | None
    person: int | None  # position of the person in the file, from 1; None outside persons
    person_label: str
    subpath: str  # below the person; the whole path when outside persons
    line: int | None

    @property
    def path(self) -> str:
        if self.person is None:
            return self.subpath
        base = f"/{spec.MESSAGE}/{spec.PERSONS}/{spec.PERSON}[{self.person}]"
        return f"{base}/{self.subpath}" if self.subpath else base

    @property
    def is_error(self) -> bool:
        return self.severity == rules.ERROR

    def as_text(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        who = f"person {self.person} ({self.person_label}), " if self.person else ""
        detail = f" [{self.detail}]" if self.detail else ""
        return (
            f"{self.severity.upper()} {self.code} {who}{where}{self.path}: {self.message}{detail}"
        )


def person_label(node: Node) -> str:
    upn = node.fields.get(spec.UPN)
    if upn:
        return f"UPN {upn}"
    name = " ".join(p for p in (node.get(spec.FORENAME), node.get(spec.SURNAME)) if p)
    born = node.get(spec.BIRTH_DATE)
    return f"{name or 'no name'}, born {born or 'date not given'}"


def _findings(result) -> Iterable[rules.Finding]:
    if result is True:
        return (rules.Finding(),)
    if isinstance(result, str):
        return (rules.Finding(field=result),)
    if isinstance(result, rules.Finding):
        return (result,)
    return result


class Checker:
    """The rules, arranged for quick use on one node after another."""

    def __init__(self):
        table = rules.rules_by_module()
        self.suspect = {e: tuple((r.check, r) for r in rs) for e, rs in table.items()}
        self.clean = {e: tuple((r.check, r) for r in rs if not r.shape) for e, rs in table.items()}
        self.key_rules = rules.person_key_rules()

    def check(
        self, node: Node, ctx: rules.Context, out: list, label: str | None, only=None
    ) -> None:
        """Run every rule on `node` and the modules inside it, appending Failures. The shape
        rules run only where the reader found something suspect; with `only` (the codes the
        compiled screen found could fail, decision 0292), no other rule runs."""
        suspect, clean = self.suspect, self.clean
        for module in node.flat or (node,):
            table = suspect if module.suspect else clean
            for check, rule in table[module.element]:
                if only is not None and rule.code not in only:
                    continue
                result = check(module, ctx)
                if result:
                    for finding in _findings(result):
                        out.append(_failure(rule, module, finding, ctx, label))
        if node.flat is None:  # built by hand: walk it
            for kids in node.children.values():
                for kid in kids:
                    self.check(kid, ctx, out, label, only)


def _failure(rule, node: Node, finding: rules.Finding, ctx, label) -> Failure:
    target = finding.node or node
    name = finding.field
    subpath = target.subpath
    if name:
        subpath = f"{subpath}/{name}" if subpath else name
    person = ctx.person
    if person is None:  # the header
        subpath = f"/{spec.MESSAGE}/{_header_path(target)}" + (f"/{name}" if name else "")
    return Failure(
        code=rule.code,
        severity=rule.severity,
        message=rule.message,
        detail=finding.detail,
        module=target.element,
        field=name,
        person=person.index if person is not None else None,
        person_label=(label or person_label(person)) if person is not None else "",
        subpath=subpath,
        line=finding.line or target.line_of(name),
    )


def _header_path(node: Node) -> str:
    parts = []
    while node is not None:
        parts.append(node.element)
        node = node.parent
    return "/".join(reversed(parts))


@dataclass
class Partial:
    failures: list[Failure] = field(default_factory=list)
    # For each rule across people: its keys, and the person and line each came from, as three
    # lists in file order (cheaper to pass between processes than a tuple a person).
    keys: dict[str, tuple[list, list, list]] = field(default_factory=dict)

    def add_key(self, code: str, key, person: int, line: int | None) -> None:
        found = self.keys.get(code)
        if found is None:
            found = self.keys[code] = ([], [], [])
        found[0].append(key)
        found[1].append(person)
        found[2].append(line)


class ValidationJob(engine.Job):
    def __init__(self, info: engine.ReturnInfo):
        super().__init__(info)
        self.checker = _checker()
        self.ctx = rules.Context(year=info.year, reference_date=info.reference_date, lea=info.lea)
        self.partial = Partial()
        # A person the compiled screen clears breaks no rule: it keeps only their UPN, for the
        # rule across people. Anyone else is read and checked rule by rule (`person`).
        self.screen = screening.for_return(info.year, info.reference_date, info.lea)

    def person(self, node: Node) -> None:
        self.ctx.person = node
        only = self.screen.may_fail(node.index) if self.screen is not None else None
        self.checker.check(node, self.ctx, self.partial.failures, None, only)
        for rule in self.checker.key_rules:
            key = rule.unique_key(node, self.ctx)
            if key is not None:
                if self.screen is not None:  # one list with the screen's, in file order
                    self.screen.add_key(key, node.index, node.elem.sourceline)
                else:
                    self.partial.add_key(rule.code, key, node.index, node.elem.sourceline)

    def stray(self, stray: Stray) -> None:
        rule = rules.by_code()["SEN2-001"]
        self.partial.failures.append(
            Failure(
                code=rule.code,
                severity=rule.severity,
                message=rule.message,
                detail=f"<{stray.tag}>",
                module=spec.MESSAGE,
                field=stray.tag,
                person=None,
                person_label="",
                subpath=stray.path,
                line=stray.line,
            )
        )

    def flush(self) -> Partial:
        if self.screen is not None:
            keys = self.screen.take_keys()
            if keys[0]:
                self.partial.keys[screening.KEY_RULE] = keys
        partial, self.partial = self.partial, Partial()
        return partial


_CHECKER = None


def _checker() -> Checker:
    global _CHECKER
    if _CHECKER is None:
        _CHECKER = Checker()
    return _CHECKER


@dataclass
class Outcome:
    persons: int = 0
    errors: int = 0
    warnings: int = 0
    by_rule: Counter = field(default_factory=Counter)
    year: int | None = None
    reference_date: object = None
    lea: str = ""

    @property
    def passed(self) -> bool:
        return self.errors == 0


class ValidationCollector(engine.Collector):
    job_class = ValidationJob

    def __init__(self, on_failure: Callable[[Failure], None]):
        self.on_failure = on_failure
        self.outcome = Outcome()
        self.seen_keys: dict[str, dict] = {}
        self.resume_person = 0
        self.resume_line = 0

    def _emit(self, failure: Failure) -> None:
        if failure.is_error:
            self.outcome.errors += 1
        else:
            self.outcome.warnings += 1
        self.outcome.by_rule[failure.code] += 1
        if failure.person is not None:
            if failure.person < self.resume_person:
                return
        elif failure.line is not None and failure.line < self.resume_line:
            return
        self.on_failure(failure)

    def header(self, header: Header) -> engine.ReturnInfo:
        ctx = rules.Context(year=header.year or 0, reference_date=None, lea=header.lea)
        checker = _checker()
        found: list[Failure] = []
        checker.check(header.node, ctx, found, None)
        for failure in found:
            self._emit(failure)
        self.outcome.year, self.outcome.reference_date = header.year, header.reference_date
        self.outcome.lea = header.lea
        if header.year is None or header.reference_date is None:
            raise SEN2FileError(
                "The header's year or reference date is missing or not valid (see above), so "
                "the people in the file could not be checked.",
                line=header.node.elem.sourceline,
            )
        return engine.ReturnInfo(header.year, header.reference_date, header.lea)

    def merge(self, partial: Partial, *, person_offset: int, line_offset: int) -> None:
        for failure in partial.failures:
            if failure.person is not None:
                failure.person += person_offset
            if failure.line is not None:
                failure.line += line_offset
        by_person: dict[int, list[Failure]] = {}
        for code, (keys, persons, lines) in partial.keys.items():
            seen = self.seen_keys.setdefault(code, {})
            if person_offset:
                persons = [person + person_offset for person in persons]
            fresh = dict(zip(keys, persons, strict=True))
            if len(fresh) == len(keys) and seen.keys().isdisjoint(fresh):
                seen.update(fresh)  # no key repeated: the usual case, at C speed
                continue
            rule = rules.by_code()[code]
            for key, person, line in zip(keys, persons, lines, strict=True):
                first = seen.get(key)
                if first is None:
                    seen[key] = person
                    continue
                by_person.setdefault(person, []).append(
                    Failure(
                        code=code,
                        severity=rule.severity,
                        message=rule.message,
                        detail=f"{key} is also given for person {first}",
                        module=spec.PERSON,
                        field=rule.fields[0] if rule.fields else None,
                        person=person,
                        person_label=f"{rule.fields[0]} {key}" if rule.fields else str(key),
                        subpath=rule.fields[0] if rule.fields else "",
                        line=line + line_offset if line else None,
                    )
                )
        pending = sorted(by_person.items())
        for failure in partial.failures:
            while pending and failure.person is not None and pending[0][0] < failure.person:
                for extra in pending.pop(0)[1]:
                    self._emit(extra)
            self._emit(failure)
        for _, extras in pending:
            for extra in extras:
                self._emit(extra)

    def start_again(self, *, resume_person: int, resume_line: int) -> None:
        self.resume_person, self.resume_line = resume_person, resume_line
        self.outcome = Outcome()
        self.seen_keys = {}


def validate(
    path,
    on_failure: Callable[[Failure], None],
    *,
    max_bytes: int = reading.DEFAULT_MAX_BYTES,
    workers: int | None = None,
) -> Outcome:
    """Check the file; pass each failure to `on_failure` as it is found, in file order.
    Raises SEN2FileError (after passing on what it found before) for a file that cannot be
    read as a SEN2 return."""
    collector = ValidationCollector(on_failure)
    persons = engine.run(path, collector, max_bytes=max_bytes, workers=workers)
    collector.outcome.persons = persons
    return collector.outcome


def check_person(node: Node, ctx: rules.Context) -> list[Failure]:
    """Every failure of one person already read (the importer checks persons one by one)."""
    ctx.person = node
    found: list[Failure] = []
    _checker().check(node, ctx, found, None)
    return found


# --- Reports ---------------------------------------------------------------------------------

REPORT_COLUMNS = (
    "severity",
    "code",
    "person",
    "person_label",
    "line",
    "path",
    "message",
    "detail",
)


class CSVReport:
    def __init__(self, handle):
        self.writer = spreadsheets.csv_writer(handle)
        self.writer.writerow(REPORT_COLUMNS)

    def add(self, failure: Failure) -> None:
        self.writer.writerow(
            (
                failure.severity,
                failure.code,
                failure.person or "",
                failure.person_label,
                failure.line or "",
                failure.path,
                failure.message,
                failure.detail,
            )
        )

    def close(self, outcome: Outcome | None, problem: str = "") -> None:
        pass


class HTMLReport:
    """A self-contained page (no script, no external style) a data officer can open or mail."""

    def __init__(self, handle, *, title: str):
        self.handle = handle
        self.rows = 0
        handle.write(
            '<!DOCTYPE html>\n<html lang="en-GB"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title><style>"
            "body{font-family:Arial,sans-serif;margin:2em;color:#0b0c0c}"
            "table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #b1b4b6;"
            "padding:.4em;text-align:left;vertical-align:top}.error{color:#d4351c;"
            "font-weight:bold}.warning{color:#6f4e00;font-weight:bold}"
            "</style></head><body>\n"
            f"<h1>{html.escape(title)}</h1>\n<table><caption>Every failure, in file order"
            '</caption><thead><tr><th scope="col">Severity</th><th scope="col">Rule</th>'
            '<th scope="col">Person</th><th scope="col">Line</th><th scope="col">Where'
            '</th><th scope="col">Problem</th></tr></thead><tbody>\n'
        )

    def add(self, failure: Failure) -> None:
        self.rows += 1
        person = f"{failure.person} ({html.escape(failure.person_label)})" if failure.person else ""
        detail = f"<br><small>{html.escape(failure.detail)}</small>" if failure.detail else ""
        self.handle.write(
            f'<tr><td class="{failure.severity}">{failure.severity}</td>'
            f"<td>{html.escape(failure.code)}</td><td>{person}</td>"
            f"<td>{failure.line or ''}</td><td><code>{html.escape(failure.path)}</code></td>"
            f"<td>{html.escape(failure.message)}{detail}</td></tr>\n"
        )

    def close(self, outcome: Outcome | None, problem: str = "") -> None:
        self.handle.write("</tbody></table>\n")
        if problem:
            self.handle.write(f'<p class="error">{html.escape(problem)}</p>\n')
        if outcome is not None:
            self.handle.write(
                f"<p>{outcome.persons} people checked: {outcome.errors} errors, "
                f"{outcome.warnings} warnings.</p>\n"
            )
        self.handle.write("</body></html>\n")
