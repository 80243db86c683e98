"""Running work over every person of a SEN2 file: in this process, or, for a big file, in parts
read by several worker processes at once.

Parsing is most of the cost (libxml2 takes about 30 microseconds a person on a modest machine),
so an England-wide file of 640,000 people is split into parts of about 4 MB at person
boundaries, and each part is parsed and checked by a worker process with the same hardened
parser. The main process reads only the header and the few bytes around each boundary, and
merges the parts' results in file order, adding the person count and line count of the parts
before, so every person number, path and line is the one a sequential read would give.

Anything unusual about the file's layout (namespace prefixes, a header after the persons,
text after the end) sends the whole file through the sequential reader instead, which reports
the problem precisely; so does a part that fails to parse (for example because a comment held
"</Person>"), in which case the results already reported are not repeated.

Work is described by a `Job` (made afresh for each part, in the process that reads it) and a
`Collector` (in the main process, merging the jobs' partial results).
"""

from __future__ import annotations

import contextlib
import gc
import io
import multiprocessing
import os
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date

from everychild.returns.sen2 import reading, spec
from everychild.returns.sen2.reading import Header, Node, SEN2FileError, Stray

PARALLEL_FROM_BYTES = 32 * 1024**2
CHUNK_BYTES = 4 * 1024**2
FLUSH_EVERY = 2000  # persons between merges when reading in this process
COLLECT_EVERY = 50_000  # persons between sweeps for any cyclic garbage left
_WINDOW = 256 * 1024


@dataclass(frozen=True)
class ReturnInfo:
    """What jobs need to know from the header."""

    year: int
    reference_date: date
    lea: str


class Job(ABC):
    """Work done on each person of one part of the file."""

    def __init__(self, info: ReturnInfo):
        self.info = info

    @abstractmethod
    def person(self, node: Node) -> None: ...

    # `screen(elem, index) -> bool`, when a job has one, deals with a person straight from the
    # lxml element, before it is read into Nodes: True when that was all (then `person` is not
    # called). The validator's compiled screen is one (decision 0292).
    screen = None

    def stray(self, stray: Stray) -> None:
        """An element where the specification has none, outside any person."""
        return None  # most jobs have nothing to do with one; the validator overrides this

    @abstractmethod
    def flush(self):
        """The partial result so far, for the collector; the job starts afresh."""


class Collector(ABC):
    """Merges jobs' partial results in file order, in the main process."""

    job_class: type[Job]

    @abstractmethod
    def header(self, header: Header) -> ReturnInfo:
        """Look at the header; give what the jobs need, or raise SEN2FileError."""

    @abstractmethod
    def merge(self, partial, *, person_offset: int, line_offset: int) -> None: ...

    @abstractmethod
    def start_again(self, *, resume_person: int, resume_line: int) -> None:
        """Called before the file is read again from the start after a part failed: results
        for persons before `resume_person` (and lines before `resume_line`) were already
        passed on, so must be counted but not passed on twice."""


@contextlib.contextmanager
def _collecting_by_hand():
    """The cyclic garbage collector, left to itself, runs thousands of times over a big file
    for nothing: each person is released (Node.release) once used and freed by reference
    counting. Pause it, and sweep for anything else every `COLLECT_EVERY` persons."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def default_workers() -> int:
    return max(1, min(8, os.cpu_count() or 1))


def run(path, collector: Collector, *, max_bytes: int = reading.DEFAULT_MAX_BYTES,
        workers: int | None = None) -> int:  # fmt: skip
    """Read the file and give every person to the collector's jobs. Returns the number of
    persons. Raises SEN2FileError when the file cannot be read."""
    size = reading.check_size(path, max_bytes)
    reading.check_prolog(path)
    workers = default_workers() if workers is None else workers
    if workers > 1 and size >= PARALLEL_FROM_BYTES:
        layout = _layout(path, size)
        if layout is not None:
            done = _run_in_parts(path, layout, collector, workers)
            if isinstance(done, int):
                return done
            resume_person, resume_line = done
            collector.start_again(resume_person=resume_person, resume_line=resume_line)
    return _run_here(path, collector)


def _run_here(path, collector: Collector) -> int:
    with _collecting_by_hand():
        return _read_here(path, collector)


def _read_here(path, collector: Collector) -> int:
    job = None
    persons = 0

    def screen(elem, index):  # the job exists only once the header is read
        return job is not None and job.screen is not None and job.screen(elem, index)

    for item in reading.iterate(str(path), screen=screen):
        if isinstance(item, Header):
            if job is not None:
                job.stray(Stray(spec.HEADER, item.node.elem.sourceline, "/Message/Header[2]"))
                continue
            job = collector.job_class(collector.header(item))
        elif job is None:
            raise SEN2FileError(
                f"The <{spec.PERSONS}> come before the <{spec.HEADER}>: the header must come "
                "first.",
                line=getattr(getattr(item, "elem", None), "sourceline", None)
                or getattr(item, "line", None),
            )
        elif item is reading.SCREENED or isinstance(item, Node):
            persons += 1
            if item is not reading.SCREENED:
                job.person(item)
                item.release()
            if persons % FLUSH_EVERY == 0:
                collector.merge(job.flush(), person_offset=0, line_offset=0)
            if persons % COLLECT_EVERY == 0:
                gc.collect(0)
        else:
            job.stray(item)
    if job is None:
        raise SEN2FileError(f"The file has no <{spec.HEADER}>.")
    collector.merge(job.flush(), person_offset=0, line_offset=0)
    return persons


# --- In parts ------------------------------------------------------------------------------

_PERSONS_START = re.compile(rb"<Persons\s*>")
_PERSONS_END = re.compile(rb"</Persons\s*>\s*</Message\s*>\s*\Z")
_PERSON_END = re.compile(rb"</Person\s*>")


@dataclass
class _Layout:
    persons_start: int  # just after <Persons>
    persons_end: int  # where </Persons> starts
    prefix: bytes  # everything before the persons: the XML declaration, <Message>, the header
    boundaries: list[int]  # part starts and the end


def _layout(path, size: int) -> _Layout | None:
    """Where the persons are and where to cut them, or None for a layout the parts cannot
    handle (then the file is read in one go)."""
    with open(path, "rb") as handle:
        head = handle.read(min(size, 1024**2))
        match = _PERSONS_START.search(head)
        if match is None or b":Person" in head[: match.start()]:
            return None
        persons_start = match.end()
        prefix = head[:persons_start]
        if b"<Person" in prefix[: match.start()]:
            return None
        handle.seek(max(0, size - _WINDOW))
        tail = handle.read()
        end = _PERSONS_END.search(tail)
        if end is None:
            return None
        persons_end = max(0, size - _WINDOW) + end.start()
        if persons_end <= persons_start:
            return None
        boundaries = [persons_start]
        target = persons_start + CHUNK_BYTES
        while target < persons_end:
            handle.seek(target)
            found = None
            offset = target
            while found is None and offset < persons_end:
                window = handle.read(_WINDOW)
                if not window:
                    break
                # Keep a few bytes of overlap so a tag cut by the window is still found.
                found = _PERSON_END.search(window)
                if found is None:
                    offset += len(window) - 16
                    handle.seek(offset)
            if found is None:
                break
            cut = offset + found.end()
            if cut >= persons_end:
                break
            boundaries.append(cut)
            target = cut + CHUNK_BYTES
        boundaries.append(persons_end)
    return _Layout(persons_start, persons_end, prefix, boundaries)


def _work(task):
    """In a worker process: parse and do the job on one part of the file."""
    path, start, end, job_class, info = task
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(end - start)
    job = job_class(info)
    persons = 0
    try:
        with _collecting_by_hand():
            for item in reading.iterate(
                io.BytesIO(b"<Persons>" + data + b"</Persons>"), fragment=True, screen=job.screen
            ):
                if item is reading.SCREENED or isinstance(item, Node):
                    persons += 1
                    if item is not reading.SCREENED:
                        job.person(item)
                        item.release()
                    if persons % COLLECT_EVERY == 0:
                        gc.collect(0)
                elif isinstance(item, Stray):
                    job.stray(item)
                else:
                    return ("unusual", None)
    except SEN2FileError as error:
        return ("unusual", str(error))
    return ("ok", job.flush(), persons, data.count(b"\n"))


def _run_in_parts(path, layout: _Layout, collector: Collector, workers: int):
    """Returns the number of persons, or (resume_person, resume_line) when a part could not
    be read and the file must be read again in one go."""
    header = None
    strays = []
    document = layout.prefix + b"</Persons></Message>"
    try:
        for item in reading.iterate(io.BytesIO(document)):
            if isinstance(item, Header):
                if header is not None:
                    return (1, 1)
                header = item
            elif isinstance(item, Stray):
                strays.append(item)
            else:
                return (1, 1)
    except SEN2FileError:
        return (1, 1)  # the reader in one go will say exactly what is wrong
    if header is None:
        return (1, 1)
    info = collector.header(header)
    job = collector.job_class(info)
    for stray in strays:
        job.stray(stray)
    collector.merge(job.flush(), person_offset=0, line_offset=0)

    persons = 0
    line_offset = layout.prefix.count(b"\n")
    tasks = [
        (str(path), start, end, collector.job_class, info)
        for start, end in zip(layout.boundaries, layout.boundaries[1:], strict=False)
    ]
    # Forked workers start at once with the rules already loaded, and never touch the
    # parent's database connection (they leave with os._exit, closing nothing).
    context = multiprocessing.get_context("fork")
    with context.Pool(min(workers, len(tasks))) as pool:
        for result in pool.imap(_work, tasks):
            if result[0] != "ok":
                pool.terminate()
                return (persons + 1, line_offset + 1)
            _, partial, count, newlines = result
            collector.merge(partial, person_offset=persons, line_offset=line_offset)
            persons += count
            line_offset += newlines
    return persons
