"""Comparing two SEN2 files element by element.

Two returns are the same when their headers give the same collection, year, reference date and
local authority, and they hold the same people with the same items and modules. Order does not
count where the specification gives it no meaning: the order of people, of a person's
requests, of the settings and placements (ranked by PlacementRank) and needs (ranked by
SENtypeRank), and of the items inside a module. When and by what software a file was made
(DateTime, SoftwareCode, Release, SerialNo) is not part of the return's content.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from everychild.returns.sen2 import reading, spec
from everychild.returns.sen2.reading import Header, Node

HEADER_CONTENT = (spec.COLLECTION, spec.YEAR, spec.REFERENCE_DATE, spec.LEA)


def canonical(node: Node) -> tuple:
    """A module as a value that compares equal regardless of order."""
    children = tuple(sorted(canonical(kid) for kids in node.children.values() for kid in kids))
    return (node.element, tuple(sorted(node.fields.items())), children)


def _header_content(header: Header) -> tuple:
    values = {}
    for part in (spec.COLLECTION_DETAILS, spec.SOURCE):
        node = header.node.first(part)
        if node is not None:
            values.update(node.fields)
    return tuple((name, values.get(name, "")) for name in HEADER_CONTENT)


@dataclass
class Comparison:
    header_a: tuple = ()
    header_b: tuple = ()
    only_in_a: list = field(default_factory=list)
    only_in_b: list = field(default_factory=list)
    persons_a: int = 0
    persons_b: int = 0

    @property
    def same(self) -> bool:
        return self.header_a == self.header_b and not self.only_in_a and not self.only_in_b

    def describe(self, limit: int = 5) -> str:
        lines = []
        if self.header_a != self.header_b:
            lines.append(f"headers differ: {self.header_a} != {self.header_b}")
        lines.append(f"{self.persons_a} people against {self.persons_b}")
        for title, items in (("only in the first", self.only_in_a),
                             ("only in the second", self.only_in_b)):  # fmt: skip
            if items:
                lines.append(f"{len(items)} {title}, e.g.:")
                lines.extend(f"  {item}" for item in items[:limit])
        return "\n".join(lines)


def _read(path) -> tuple[tuple, Counter]:
    header = ()
    persons: Counter = Counter()
    for item in reading.read_file(path):
        if isinstance(item, Header):
            header = _header_content(item)
        elif isinstance(item, Node):
            persons[canonical(item)] += 1
    return header, persons


def compare_files(a, b) -> Comparison:
    header_a, persons_a = _read(a)
    header_b, persons_b = _read(b)
    return Comparison(
        header_a=header_a,
        header_b=header_b,
        only_in_a=list((persons_a - persons_b).elements()),
        only_in_b=list((persons_b - persons_a).elements()),
        persons_a=sum(persons_a.values()),
        persons_b=sum(persons_b.values()),
    )
