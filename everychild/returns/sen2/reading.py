"""Reading a SEN2 file safely and in constant memory.

A SEN2 file comes from another system, so it is read as hostile until proved otherwise:

* its size is checked before a byte is parsed (`DEFAULT_MAX_BYTES`, 1 GiB, or the caller's
  limit: an England-wide file of 640,000 people is about 700 MB);
* a document type declaration (DOCTYPE) is refused before parsing: SEN2 files never have one,
  and it is how entity expansion ("billion laughs") and external entities (XXE) get in;
* the parser never resolves entities, never touches the network, keeps libxml2's limits on
  depth and text size (`huge_tree=False`) and does not load DTDs;
* the root element must be <Message>;
* persons are parsed one at a time (lxml `iterparse`) and each is cleared once it has been
  used, so memory does not grow with the number of people.

Anything that stops the file being read raises `SEN2FileError` with a message naming the line
and the problem.
"""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from lxml import etree

from everychild.returns.sen2 import spec

DEFAULT_MAX_BYTES = 1024**3  # 1 GiB
_PROLOG_CHUNK = 64 * 1024


class SEN2FileError(Exception):
    """The file cannot be read as a SEN2 return. `line` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


def _size_words(size: int) -> str:
    if size >= 1024**3:
        return f"{size / 1024**3:.1f} GB"
    return f"{size / 1024**2:.1f} MB"


def check_size(path, max_bytes: int = DEFAULT_MAX_BYTES) -> int:
    try:
        size = os.path.getsize(path)
    except OSError as error:
        raise SEN2FileError(f"The file cannot be opened: {error.strerror or error}.") from None
    if size > max_bytes:
        raise SEN2FileError(
            f"The file is {_size_words(size)}, more than the {_size_words(max_bytes)} limit, "
            "so it was not read. An England-wide SEN2 file is under 1 GB; check it is the "
            "right file, or raise the limit if it really is."
        )
    if size == 0:
        raise SEN2FileError("The file is empty.")
    return size


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SKIPPABLE = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.S)
_NAME = re.compile(r"<([A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)")


def check_prolog(path) -> None:
    """Look at everything before the root element: refuse a DOCTYPE or an entity declaration
    and a root element other than <Message>, without parsing anything."""
    with open(path, "rb") as handle:
        raw = handle.read(_PROLOG_CHUNK)
        encoding = "utf-8"
        for bom, name in _BOMS:
            if raw.startswith(bom):
                encoding = name
                raw = raw[len(bom) :]
                break
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        text = decoder.decode(raw)
        position = 0
        while True:
            match = _SKIPPABLE.match(text, position)
            if match:
                position = match.end()
                continue
            rest = text[position:]
            if rest.startswith(("<!DOCTYPE", "<!doctype", "<!ENTITY", "<!entity")):
                raise SEN2FileError(
                    "The file declares a document type (<!DOCTYPE ...>). SEN2 files never do, "
                    "and a document type is how entity expansion ('billion laughs') and "
                    "external entities (XXE) are smuggled in, so the file was not read.",
                    line=text.count("\n", 0, position) + 1,
                )
            if rest.startswith("<") and not rest.startswith(("<?", "<!--")):
                name = _NAME.match(rest)
                if name is None:
                    raise SEN2FileError(
                        "The file is not XML: it does not start with an element.",
                        line=text.count("\n", 0, position) + 1,
                    )
                if name.group(2) != spec.MESSAGE:
                    raise SEN2FileError(
                        f"The file's root element is <{name.group(0)[1:]}>, not "
                        f"<{spec.MESSAGE}>: this is not a SEN2 return.",
                        line=text.count("\n", 0, position) + 1,
                    )
                return
            # An unfinished comment or declaration at the end of the chunk: read more.
            more = handle.read(_PROLOG_CHUNK)
            if not more:
                if rest.strip():
                    raise SEN2FileError(
                        "The file is not XML: it does not start with an element.",
                        line=text.count("\n", 0, position) + 1,
                    )
                raise SEN2FileError("The file has no XML element in it.")
            if len(text) > 16 * _PROLOG_CHUNK:
                raise SEN2FileError(
                    "The file has more than 1 MB of comments before its first element: "
                    "it was not read."
                )
            text += decoder.decode(more)


# --- What a person looks like once read ------------------------------------------------------


class Node:
    """One module of the file (a Person, a Requests, an Assessment, ...): its items as text, its
    dates parsed, the modules inside it, and where it is in the file."""

    __slots__ = (
        "element",
        "elem",
        "fields",
        "dates",
        "children",
        "index",
        "parent",
        "odd",
        "suspect",
        "earliest",
        "latest",
        "flat",
        "all_earliest",
        "all_latest",
    )

    def __init__(self, element: str, elem, index: int, parent: Node | None):
        self.element = element
        self.elem = elem  # the lxml element, alive only while the person is being checked
        self.fields: dict[str, str] = {}
        self.dates: dict[str, date | None] = {}
        self.children: dict[str, list[Node]] = {}
        self.index = index  # 1-based position among its siblings of the same element
        self.parent = parent
        # Problems of shape found while reading: ("unknown", tag, elem), ("repeated", name,
        # elem), ("nested", name, elem). None when there are none (the usual case).
        self.odd: list | None = None
        self.suspect = False  # set by read_node: could a shape rule fail here?
        # The earliest and latest of the module's own dates (None when it has none).
        self.earliest: date | None = None
        self.latest: date | None = None
        # On the top module read (a person): it and every module inside it, parents first,
        # and the earliest and latest date anywhere in it.
        self.flat: list[Node] | None = None
        self.all_earliest: date | None = None
        self.all_latest: date | None = None

    def release(self) -> None:
        """Break the person's links back to their parents once it has been used, so memory
        is returned at once by reference counting instead of by the cyclic collector (which
        costs more than the checks on a big file)."""
        for module in self.flat or ():
            module.parent = None
            module.elem = None
        self.flat = None

    def get(self, name: str) -> str:
        return self.fields.get(name, "")

    def kids(self, element: str) -> list[Node]:
        return self.children.get(element, [])

    def first(self, element: str) -> Node | None:
        found = self.children.get(element)
        return found[0] if found else None

    @property
    def subpath(self) -> str:
        """Where this module is inside its person ("" for the person itself), e.g.
        "Requests[1]/Assessment[1]". The person's own position is added by whoever knows it
        (a process reading part of the file only knows its own count)."""
        parts = []
        node = self
        while node.parent is not None:
            parts.append(f"{node.element}[{node.index}]")
            node = node.parent
        return "/".join(reversed(parts))

    def line_of(self, name: str | None = None) -> int | None:
        """The line of this module's element, or of one of its items."""
        if self.elem is None:
            return None
        if name:
            for child in self.elem:
                if isinstance(child.tag, str) and _local(child.tag) == name:
                    return child.sourceline
        return self.elem.sourceline


def _local(tag: str) -> str:
    return tag.rpartition("}")[2] if tag[0] == "{" else tag


_fromisoformat = date.fromisoformat


def _parse_date(text: str) -> date | None:
    """YYYY-MM-DD and nothing else (date.fromisoformat also takes 20250101 and week dates)."""
    if len(text) != 10 or text[4] != "-" or text[7] != "-":
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


# How the reader treats each item: a date to parse, a code to look up, a rare kind always left
# to the rules, or plain text (judged by the rules for its item only).
_DATE = object()
_RARE = object()
_PLAIN = object()


def _kind(item: spec.Item):
    if item.kind == "date":
        return _DATE
    if item.codes:
        return frozenset(item.codes)
    if item.kind in ("int", "la", "datetime"):
        return _RARE
    return _PLAIN


_KINDS = {
    element: {item.name: _kind(item) for item in module.items}
    for element, module in spec.MODULES.items()
}
_REQUIRED = {
    element: frozenset(i.name for i in module.items if i.required)
    for element, module in spec.MODULES.items()
}


def read_node(
    elem, element: str, index: int, parent: Node | None, _flat: list | None = None
) -> Node:
    """Turn one element and everything in it into Nodes, by the specification's table.

    On the way it notes whether anything about the node's shape could fail a shape rule (an
    unknown, repeated or empty item, a date or code that does not read, a module missing or
    repeated): `node.suspect`. The shape rules (`shape=True`) only run on suspect nodes; the
    other rules always run. This is what lets 640,000 people be checked in half a minute."""
    node = Node(element, elem, index, parent)
    if _flat is None:
        _flat = node.flat = []
    _flat.append(node)
    kinds = _KINDS[element]
    child_modules = spec.CHILD_MODULES[element]
    fields = node.fields
    dates = node.dates
    children = node.children
    suspect = False
    earliest = latest = None
    for child in elem:
        tag = child.tag
        if tag.__class__ is not str:
            continue  # comments and processing instructions
        if tag[0] == "{":
            tag = tag.rpartition("}")[2]
        kind = kinds.get(tag)
        if kind is not None:
            if len(child):  # a value holding elements, even after some text
                node.odd = (node.odd or []) + [("nested", tag, child)]
                suspect = True
                continue
            text = child.text
            text = text.strip() if text else ""
            if tag in fields:
                node.odd = (node.odd or []) + [("repeated", tag, child)]
                suspect = True
                continue
            fields[tag] = text
            if kind is _PLAIN:
                if not text:
                    suspect = True
            elif kind is _DATE:
                # _parse_date, written out: this runs for every date in the file.
                value = None
                if len(text) == 10 and text[4] == "-" and text[7] == "-":
                    try:
                        value = _fromisoformat(text)
                    except ValueError:
                        value = None
                dates[tag] = value
                if value is None:
                    suspect = True
                else:
                    if earliest is None or value < earliest:
                        earliest = value
                    if latest is None or value > latest:
                        latest = value
            elif kind is _RARE or text not in kind:
                suspect = True
        elif tag in child_modules:
            siblings = children.get(tag)
            if siblings is None:
                siblings = children[tag] = []
            siblings.append(read_node(child, tag, len(siblings) + 1, node, _flat))
        else:
            node.odd = (node.odd or []) + [("unknown", tag, child)]
            suspect = True
    if not suspect:
        if not _REQUIRED[element] <= fields.keys():
            suspect = True
        else:
            for child_element, least, most in spec.MODULES[element].children:
                count = len(children.get(child_element, ()))
                if count < least or (most is not None and count > most):
                    suspect = True
                    break
    node.suspect = suspect
    node.earliest, node.latest = earliest, latest
    if node.flat is not None:  # the top: every module inside has been read
        for module in node.flat:
            if module.earliest is not None:
                if earliest is None or module.earliest < earliest:
                    earliest = module.earliest
                if latest is None or module.latest > latest:
                    latest = module.latest
        node.all_earliest, node.all_latest = earliest, latest
    return node


@dataclass
class Header:
    node: Node
    year: int | None
    reference_date: date | None
    lea: str

    @property
    def collection_period(self) -> tuple[date, date] | None:
        return spec.collection_period(self.year) if self.year else None


def _header(node: Node) -> Header:
    details = node.first(spec.COLLECTION_DETAILS)
    source = node.first(spec.SOURCE)
    year_text = details.get(spec.YEAR) if details else ""
    year = int(year_text) if year_text.isascii() and year_text.isdigit() else None
    if year is not None and not 2000 <= year <= 2100:
        year = None
    reference = details.dates.get(spec.REFERENCE_DATE) if details else None
    return Header(
        node=node,
        year=year,
        reference_date=reference,
        lea=source.get(spec.LEA) if source else "",
    )


@dataclass
class Stray:
    """An element where the specification has none (directly under Message or Persons)."""

    tag: str
    line: int | None
    path: str


def read_file(path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[Header | Node | Stray]:
    """Yield the Header, then each Person as a Node, then any stray elements, in file order.

    Each Person's lxml elements are cleared once the caller asks for the next one: use a
    person before moving on. Raises SEN2FileError for a file that cannot be read."""
    check_size(path, max_bytes)
    check_prolog(path)
    yield from iterate(str(path))


class _Screened:
    """What `iterate` yields for a person its `screen` dealt with: counted, never read."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "SCREENED"


SCREENED = _Screened()


def iterate(
    source, *, fragment: bool = False, screen=None
) -> Iterator[Header | Node | Stray | _Screened]:
    """The parse itself, on a file name or a file-like object. With `fragment`, `source` is a
    run of persons wrapped in <Persons> (a part of a file, read by one worker process).

    `screen(elem, index)`, when given, sees each person's element first; when it answers True
    the person is not read into Nodes and `SCREENED` is yielded in its place (decision 0292)."""
    context = etree.iterparse(
        source,
        events=("end",),
        tag=(
            f"{{*}}{spec.MESSAGE}",
            f"{{*}}{spec.HEADER}",
            f"{{*}}{spec.PERSON}",
            f"{{*}}{spec.PERSONS}",
        ),  # fmt: skip
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        recover=False,
    )
    root_name = spec.PERSONS if fragment else spec.MESSAGE
    count = 0
    headers = 0
    seen_root = False
    try:
        for _event, elem in context:
            name = elem.tag
            if name[0] == "{":
                name = name.rpartition("}")[2]
            if not seen_root:
                # The prolog was checked before parsing; this is the second lock.
                seen_root = True
                tree = elem.getroottree()
                docinfo = tree.docinfo
                if docinfo.doctype or docinfo.internalDTD is not None:
                    raise SEN2FileError(
                        "The file declares a document type (<!DOCTYPE ...>): it was not read.",
                        line=1,
                    )
                root = tree.getroot()
                if _local(root.tag) != root_name:
                    raise SEN2FileError(
                        f"The file's root element is <{_local(root.tag)}>, not <{spec.MESSAGE}>.",
                        line=root.sourceline,
                    )
            parent = elem.getparent()
            parent_name = None
            if parent is not None:
                parent_name = parent.tag
                if parent_name[0] == "{":
                    parent_name = parent_name.rpartition("}")[2]
            if name == spec.HEADER and parent_name == spec.MESSAGE:
                headers += 1
                yield _header(read_node(elem, spec.HEADER, headers, None))
            elif name == spec.PERSON and parent_name == spec.PERSONS:
                count += 1
                if screen is not None and screen(elem, count):
                    yield SCREENED
                else:
                    yield read_node(elem, spec.PERSON, count, None)
                # Free the person, and anything before it, now that it has been used.
                elem.clear(keep_tail=False)
                previous = elem.getprevious()
                while previous is not None:
                    if isinstance(previous.tag, str) and _local(previous.tag) != spec.PERSON:
                        yield _stray(previous, f"/{spec.MESSAGE}/{spec.PERSONS}")
                    del parent[0]
                    previous = elem.getprevious()
            elif name == spec.PERSONS and fragment and parent is None:
                for child in elem:
                    if isinstance(child.tag, str) and _local(child.tag) != spec.PERSON:
                        yield _stray(child, f"/{spec.MESSAGE}/{spec.PERSONS}")
            elif name == spec.MESSAGE and parent is None:
                for child in elem:
                    if not isinstance(child.tag, str):
                        continue
                    tag = _local(child.tag)
                    if tag not in (spec.HEADER, spec.PERSONS):
                        yield _stray(child, f"/{spec.MESSAGE}")
                    elif tag == spec.PERSONS:
                        for stray in child:
                            if isinstance(stray.tag, str) and _local(stray.tag) != spec.PERSON:
                                yield _stray(stray, f"/{spec.MESSAGE}/{spec.PERSONS}")
                if headers == 0:
                    raise SEN2FileError(
                        f"The file has no <{spec.HEADER}>: the year, reference date and local "
                        "authority are not known, so nothing was checked.",
                        line=elem.sourceline,
                    )
            elif name in (spec.PERSON, spec.HEADER):
                yield Stray(name, elem.sourceline, f"(inside <{parent_name}>)/{name}")
    except etree.XMLSyntaxError as error:
        line, column = (error.position or (error.lineno, 0))[:2]
        message = error.msg or str(error)
        # With resolve_entities=False lxml can report "no element found" at 0:0 and keep the
        # real error (an undeclared entity, with its place) in the parser's log.
        fatal = context.error_log.last_error if context.error_log else None
        if fatal is not None and (line or 0) <= 0:
            line, column, message = fatal.line, fatal.column, fatal.message
        message = re.sub(r",? line \d+, column \d+$", "", message.strip())
        if "entity" in message.lower():
            message += " (entities are not allowed in a SEN2 file)"
        raise SEN2FileError(
            f"The file is not well-formed XML (column {column}): {message}. Nothing after "
            "this point was read.",
            line=line,
        ) from None
    if not seen_root:
        raise SEN2FileError("The file has no XML element in it.")


def _stray(elem, where: str) -> Stray:
    tag = _local(elem.tag)
    return Stray(tag, elem.sourceline, f"{where}/{tag}")
