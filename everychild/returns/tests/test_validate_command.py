"""`manage.py sen2_validate`: every failure listed with the person, line and path; reports in
CSV and HTML; exit 0 (no errors), 1 (errors), 2 (the file cannot be read); the same answer
whether a big file is read in one go or in parts by several processes."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from everychild.returns.sen2 import engine, spec
from everychild.returns.sen2.validate import validate
from everychild.returns.tests.sample import (
    a_file,
    a_person,
    a_planned_person,
    upn,
    write,
)


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("sen2_validate", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    except CommandError as error:
        code, err = error.returncode, io.StringIO(str(error))
    return code, out.getvalue(), err.getvalue()


def test_a_clean_file_exits_0(tmp_path):
    code, out, _ = _run(str(write(tmp_path, a_planned_person())))
    assert code == 0
    assert "1 people checked" in out and "0 errors, 0 warnings" in out
    assert "can be submitted" in out


def test_warnings_only_exit_0_and_errors_exit_1_with_every_failure_listed(tmp_path):
    warned = write(tmp_path, a_person(PostCode="Poole"), name="warned.xml")
    code, out, _ = _run(str(warned))
    assert code == 0 and "1 warnings" in out
    broken = write(
        tmp_path,
        a_person(),
        a_person(UPN=upn(2), Sex="X", PostCode="Poole"),
        name="broken.xml",
    )
    code, out, _ = _run(str(broken))
    assert code == 1
    [line] = [row for row in out.splitlines() if row.startswith("ERROR SEN2-005")]
    assert line.startswith("ERROR SEN2-005 person 2 (UPN ")
    assert "/Message/Persons/Person[2]/Sex" in line and "line " in line
    assert "“X”" in line
    assert "1 errors, 1 warnings" in out and "correct them" in out


def test_the_file_cannot_be_read_exits_2(tmp_path):
    path = tmp_path / "bad.xml"
    path.write_bytes(b"<Message><Header></Message>")
    code, out, err = _run(str(path))
    assert code == 2 and "cannot be checked" in err and "line 1" in err
    code, _, err = _run(str(tmp_path / "missing.xml"))
    assert code == 2 and "cannot be opened" in err


def test_a_file_over_the_size_limit_exits_2(tmp_path):
    path = write(tmp_path, *[a_person(UPN=upn(n)) for n in range(600)])
    code, _, err = _run(str(path), "--max-size", "0")
    assert code == 2
    with open(path, "ab") as handle:
        handle.truncate(2 * 1024**2)
    code, _, err = _run(str(path), "--max-size", "1")
    assert code == 2 and "more than the 1.0 MB limit" in err


def test_a_csv_report_lists_every_failure(tmp_path):
    path = write(tmp_path, a_person(Sex="X"), a_person(UPN=upn(2), Ethnicity="ZZZZ"))
    report = tmp_path / "report.csv"
    code, _, _ = _run(str(path), "--report", str(report), "--quiet")
    assert code == 1
    rows = list(csv.DictReader(report.open(encoding="utf-8")))
    assert [(r["code"], r["person"], r["path"]) for r in rows] == [
        ("SEN2-005", "1", "/Message/Persons/Person[1]/Sex"),
        ("SEN2-005", "2", "/Message/Persons/Person[2]/Ethnicity"),
    ]


def test_an_html_report_escapes_what_the_file_says(tmp_path):
    path = write(tmp_path, a_person(Surname="<script>", Sex="<b>", UPN=None, UPNunknown="UN2"))
    report = tmp_path / "report.html"
    code, _, _ = _run(str(path), "--report", str(report), "--quiet")
    assert code == 1
    html = report.read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;b&gt;" in html
    assert "1 people checked: 1 errors, 0 warnings" in html


def test_a_report_of_another_kind_is_refused(tmp_path):
    with pytest.raises(Exception, match="csv or .html"):
        call_command("sen2_validate", str(write(tmp_path, a_person())), "--report", "r.pdf")


# --- In parts, by several processes -----------------------------------------------------


def _people(count: int, broken_every: int = 7):
    people = []
    for n in range(count):
        values = {spec.UPN: upn(n + 1), spec.FORENAME: f"Child{n}"}
        if n % broken_every == 3:
            values[spec.SEX] = "X"
        if n == count - 5:
            values[spec.UPN] = upn(2)  # the same UPN as person 2, in another part
        people.append(a_planned_person(**values) if n % 2 else a_person(**values))
    return people


def _failures(path, workers):
    found = []
    outcome = validate(path, found.append, workers=workers)
    return outcome, [(f.code, f.person, f.path, f.line, f.detail) for f in found]


def test_in_parts_the_answer_is_the_same_as_in_one_go(tmp_path, monkeypatch):
    path = write(tmp_path, *_people(400))
    monkeypatch.setattr(engine, "PARALLEL_FROM_BYTES", 1)
    monkeypatch.setattr(engine, "CHUNK_BYTES", 20_000)
    layout = engine._layout(path, path.stat().st_size)
    assert layout is not None and len(layout.boundaries) > 5
    one, in_one_go = _failures(path, workers=1)
    parts, in_parts = _failures(path, workers=2)
    assert in_parts == in_one_go
    assert (parts.persons, parts.errors, parts.warnings) == (one.persons, one.errors, one.warnings)
    assert ("SEN2-104", 396, "/Message/Persons/Person[396]/UPN") in [c[:3] for c in in_parts]


def test_a_part_that_will_not_parse_is_read_again_in_one_go_without_repeats(tmp_path, monkeypatch):
    people = a_file(*_people(200)).decode()
    # A comment holding "</Person>" cuts a part in the wrong place.
    marker = "<Surname>Testfamily</Surname>"
    at = people.index(marker, len(people) // 2)
    people = people[:at] + "<!-- </Person> -->" + people[at:]
    path = tmp_path / "odd.xml"
    path.write_text(people, encoding="utf-8")
    monkeypatch.setattr(engine, "PARALLEL_FROM_BYTES", 1)
    monkeypatch.setattr(engine, "CHUNK_BYTES", 8_000)
    _, in_one_go = _failures(path, workers=1)
    _, in_parts = _failures(path, workers=2)
    assert in_parts == in_one_go
