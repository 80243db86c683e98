"""The SEN2 validation rules: one rule per module of this package, one function per rule.

A rule is a function decorated with `@rule(...)`, which gives it a code, the module of the
return it looks at (an element name such as `spec.REQUESTS`, or `EVERY_MODULE`), the items it
concerns, a message a caseworker understands and a severity. The function gets one module of
one person (a `reading.Node`) and a `Context`, and returns nothing when the data passes, or:

* `True`: the module fails as a whole;
* a string: the name of the item that fails;
* a `Finding` (or a list of them) with the item, a detail naming the values, and, when the
  problem is in another module than the one checked, that module.

Errors stop a return being submitted (the command exits 1); warnings ask someone to look.
Every rule has its own test in `everychild/returns/tests/rules/`, which passes and fails it on
minimal examples; `test_every_rule_has_its_own_test` keeps it so.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from everychild.returns.sen2 import spec
from everychild.returns.sen2.reading import Node

ERROR = "error"
WARNING = "warning"
EVERY_MODULE = "*"


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    module: str
    fields: tuple[str, ...]
    message: str
    severity: str
    check: Callable
    # A shape rule judges only what the reader notes as it reads (see reading.read_node): it
    # runs only on a module the reader found suspect.
    shape: bool = False
    # A rule that looks only at a module's dates: not run on modules that have none.
    dates: bool = False
    # For rules across people (a UPN used twice): `key(person, ctx)` gives what must be
    # unique, and the engine finds repeats over the whole file, whichever process read them.
    unique_key: Callable | None = None

    @property
    def module_title(self) -> str:
        if self.module == EVERY_MODULE:
            return "Any module"
        module = spec.MODULES[self.module]
        return f"Module {module.key}: {module.title}"


@dataclass(slots=True)
class Finding:
    field: str | None = None
    detail: str = ""
    node: Node | None = None
    line: int | None = None


@dataclass
class Context:
    """What a rule may know besides the module it is given: the return's year and dates."""

    year: int
    reference_date: date
    lea: str
    person: Node | None = None

    @property
    def period_start(self) -> date:
        return spec.collection_period(self.year)[0]

    @property
    def period_end(self) -> date:
        return spec.collection_period(self.year)[1]


RULES: list[Rule] = []


def rule(
    *,
    code: str,
    module: str,
    fields: tuple[str, ...],
    message: str,
    severity: str = ERROR,
    title: str = "",
    shape: bool = False,
    dates: bool = False,
) -> Callable[[Callable], Callable]:
    if severity not in (ERROR, WARNING):
        raise ValueError(f"{code}: severity must be error or warning")
    if module != EVERY_MODULE and module not in spec.MODULES:
        raise ValueError(f"{code}: {module!r} is not a module of the return")

    def register(check: Callable) -> Callable:
        RULES.append(
            Rule(
                code=code,
                title=title or check.__name__.replace("_", " ").capitalize(),
                module=module,
                fields=fields,
                message=message,
                severity=severity,
                check=check,
                shape=shape,
                dates=dates,
            )
        )
        return check

    return register


def unique_rule(
    *, code: str, fields: tuple[str, ...], message: str, severity: str = ERROR, title: str = ""
) -> Callable[[Callable], Callable]:
    """A rule across the people in the file: the function gives a person's key (or None)."""

    def register(key: Callable) -> Callable:
        RULES.append(
            Rule(
                code=code,
                title=title or key.__name__.replace("_", " ").capitalize(),
                module=spec.PERSON,
                fields=fields,
                message=message,
                severity=severity,
                check=_never,
                unique_key=key,
            )
        )
        return key

    return register


def _never(node, ctx):
    return None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


_loaded = False


def load() -> list[Rule]:
    """Import every rule module (once) and return the rules in code order."""
    global _loaded
    if not _loaded:
        for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
            if info.name.startswith("r"):
                importlib.import_module(f"{__name__}.{info.name}")
        _loaded = True
        codes = [r.code for r in RULES]
        repeated = {c for c in codes if codes.count(c) > 1}
        if repeated:
            raise RuntimeError(f"Rule codes used twice: {sorted(repeated)}")
        RULES.sort(key=lambda r: r.code)
    return RULES


def by_code() -> dict[str, Rule]:
    return {r.code: r for r in load()}


def person_key_rules() -> list[Rule]:
    return [r for r in load() if r.unique_key is not None]


def rules_by_module() -> dict[str, tuple[Rule, ...]]:
    """The rules to run on each module: those for every module first, then its own (rules on
    dates only where the module has dates)."""
    every = [r for r in load() if r.module == EVERY_MODULE]
    table: dict[str, tuple[Rule, ...]] = {}
    for element in spec.MODULES:
        has_dates = bool(spec.DATE_ITEMS[element])
        own = [r for r in load() if r.module == element and r.unique_key is None]
        table[element] = tuple(r for r in every + own if has_dates or not r.dates)
    return table


__all__ = [
    "ERROR",
    "EVERY_MODULE",
    "RULES",
    "WARNING",
    "Context",
    "Finding",
    "Rule",
    "age_on",
    "by_code",
    "load",
    "person_key_rules",
    "rule",
    "rules_by_module",
    "unique_rule",
]
