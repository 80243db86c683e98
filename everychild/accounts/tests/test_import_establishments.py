"""Schools from DfE's register (GIAS): `manage.py import_establishments`."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from everychild.access.models import AuditEntry
from everychild.accounts.establishments import (
    REQUIRED_COLUMNS,
    TYPES,
    FileRefused,
    import_establishments,
)
from everychild.accounts.models import Organisation, OrganisationKind, SettingType
from everychild.testing.factories import AreaFactory

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SAMPLE = SAMPLES / "gias_establishments.csv"
LINKS = SAMPLES / "gias_links.csv"


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_establishments", *map(str, args), stdout=out, stderr=err)
        code = 0
    except SystemExit as stop:
        code = stop.code
    return code, out.getvalue(), err.getvalue()


def counts(*args) -> dict:
    code, out, err = run(*args, "--json")
    assert code == 0, out + err
    return json.loads(out)


def sample_rows() -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(SAMPLE.read_bytes().decode("cp1252")))
    return list(reader.fieldnames), list(reader)


def write(path: Path, header: list[str], rows: list[dict], encoding="utf-8") -> Path:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, quoting=csv.QUOTE_ALL)
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def test_the_sample_loads_one_area_s_settings_as_the_register_describes_them(db):
    area = AreaFactory(old_la_code="839")
    result = counts(SAMPLE, "--links", LINKS, "--la", "839")
    assert result["created"] == 10  # 11 rows of LA 839, less the children's centre
    assert result["not_settings"] == 1 and result["linked_to_predecessor"] == 1
    assert not Organisation.objects.filter(urn="980012").exists()  # Dorset's, not 839's
    assert not Organisation.objects.filter(name__contains="Children's Centre").exists()

    special = Organisation.objects.get(urn="980004")
    assert (special.kind, special.setting_type) == (
        OrganisationKind.SCHOOL,
        SettingType.MAINTAINED_SPECIAL,
    )
    assert special.area == area and special.town == "Bournemouth"
    college = Organisation.objects.get(urn="980007")
    assert college.kind == OrganisationKind.COLLEGE and college.ukprn == "10980007"
    assert college.opened_on.isoformat() == "1993-08-01"
    # Windows-1252, as DfE publishes it, read right; resourced provision recognised.
    catholic = Organisation.objects.get(urn="980009")
    assert catholic.name == "St Thérèse's Catholic Primary School"
    assert catholic.setting_type == SettingType.RESOURCED_PROVISION
    nursery = Organisation.objects.get(urn="980008")
    assert nursery.kind == OrganisationKind.EARLY_YEARS

    # The school closed on academy conversion is kept, marked closed, and the academy that
    # replaced it points at it.
    old = Organisation.objects.get(urn="980002")
    assert not old.is_active and old.register_status == "Closed"
    assert old.closed_on.isoformat() == "2019-08-31"
    academy = Organisation.objects.get(urn="980003")
    assert academy.predecessor == old and list(old.successors.all()) == [academy]

    assert AuditEntry.objects.filter(record_type="accounts.Organisation").count() == 10


def test_loading_the_same_file_again_changes_nothing(db):
    counts(SAMPLE, "--links", LINKS, "--la", "839")
    before = AuditEntry.objects.count()
    again = counts(SAMPLE, "--links", LINKS, "--la", "839")
    assert again["unchanged"] == 10
    assert again["created"] == again["updated"] == again["closed"] == 0
    assert again["linked_to_predecessor"] == 0
    assert AuditEntry.objects.count() == before


def test_a_school_the_register_closes_is_kept_and_counted_closed(db, tmp_path):
    header, rows = sample_rows()
    counts(write(tmp_path / "before.csv", header, rows), "--la", "839")
    for row in rows:
        if row["URN"] == "980001":
            row["EstablishmentStatus (name)"] = "Closed"
            row["CloseDate"] = "31-08-2026"
        if row["URN"] == "980004":
            row["Postcode"] = "BH11 8ZZ"
    result = counts(write(tmp_path / "after.csv", header, rows), "--la", "839")
    assert (result["closed"], result["updated"], result["unchanged"]) == (1, 1, 8)
    closed = Organisation.objects.get(urn="980001")
    assert not closed.is_active and closed.closed_on.isoformat() == "2026-08-31"
    assert Organisation.objects.get(urn="980004").postcode == "BH11 8ZZ"
    entry = AuditEntry.objects.filter(record_id=str(closed.pk)).latest("seq")
    assert entry.detail["closed"] == ["register_status", "is_active", "closed_on"]


def test_utf8_reads_the_same_as_windows_1252_and_other_columns_are_ignored(db, tmp_path):
    header, rows = sample_rows()
    # A narrower file, in another order, with a column GIAS might add one day.
    header = list(reversed(REQUIRED_COLUMNS)) + ["SomethingNew (name)"]
    rows = [{name: row.get(name, "new") for name in header} for row in rows]
    result = counts(write(tmp_path / "utf8.csv", header, rows, "utf-8-sig"), "--la", "839")
    assert result["created"] == 10
    assert Organisation.objects.get(urn="980009").name == "St Thérèse's Catholic Primary School"


def test_a_file_lacking_a_needed_column_is_refused_naming_it(db, tmp_path):
    header, rows = sample_rows()
    header.remove("TypeOfEstablishment (name)")
    for row in rows:
        del row["TypeOfEstablishment (name)"]
    code, _out, err = run(write(tmp_path / "short.csv", header, rows))
    assert code == 2
    assert '"TypeOfEstablishment (name)"' in err and "nothing was loaded" in err
    assert not Organisation.objects.exists()


def test_one_bad_row_is_reported_and_nothing_is_written(db, tmp_path):
    header, rows = sample_rows()
    rows[3]["OpenDate"] = "31-02-2020"
    rows[5]["TypeOfEstablishment (name)"] = "Floating school"
    code, out, _err = run(write(tmp_path / "bad.csv", header, rows))
    assert code == 1
    assert 'Line 5 (URN 980004): OpenDate "31-02-2020" is not a date' in out
    assert 'Line 7 (URN 980006): TypeOfEstablishment (name) "Floating school"' in out
    assert "Nothing was loaded: 2 row(s)" in out
    assert not Organisation.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_ukprn_already_held_by_another_organisation_refuses_the_file(db, tmp_path):
    Organisation.objects.create(kind=OrganisationKind.COLLEGE, name="Elsewhere", ukprn="10980007")
    code, out, _err = run(SAMPLE, "--la", "839")
    assert code == 1 and "UKPRN 10980007 already belongs to" in out
    assert Organisation.objects.count() == 1


def test_a_file_in_neither_encoding_is_refused(db):
    with pytest.raises(FileRefused, match="neither UTF-8 nor Windows-1252"):
        import_establishments(establishments=b"URN\n\x81\x8d\n")


# --- properties ------------------------------------------------------------------------

REGISTER_TYPES = sorted(TYPES)
STATUSES = ["Open", "Closed", "Open, but proposed to close", "Proposed to open"]
names = st.text(
    alphabet=st.characters(
        codec="cp1252", categories=("Lu", "Ll", "Nd", "Zs"), exclude_characters="\x00"
    ),
    min_size=1,
    max_size=60,
).filter(lambda s: s.strip())
establishment = st.fixed_dictionaries(
    {
        "EstablishmentName": names,
        "TypeOfEstablishment (name)": st.sampled_from(REGISTER_TYPES),
        "EstablishmentStatus (name)": st.sampled_from(STATUSES),
        "PhaseOfEducation (name)": st.sampled_from(["Primary", "Secondary", "Not applicable"]),
        "Town": names,
    }
)


def _file(rows: list[dict], encoding: str) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(REQUIRED_COLUMNS) + ["Unused"])
    writer.writeheader()
    for i, row in enumerate(rows):
        blank = dict.fromkeys(REQUIRED_COLUMNS, "")
        writer.writerow({**blank, **row, "URN": str(970000 + i), "LA (code)": "839"})
    return out.getvalue().encode(encoding)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(establishment, min_size=1, max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
)
def test_any_register_loads_once_and_then_changes_nothing(db, rows, encoding):
    """Whatever establishments a register holds, in either encoding: each becomes one
    organisation, closed ones kept inactive, names as written; a second load changes nothing."""
    data = _file(rows, encoding)
    with transaction.atomic():
        first = import_establishments(establishments=data)
        assert first.created == len(rows) and not first.problems
        for i, row in enumerate(rows):
            org = Organisation.objects.get(urn=str(970000 + i))
            assert org.name == " ".join(row["EstablishmentName"].split())
            assert org.is_active == (row["EstablishmentStatus (name)"] != "Closed")
            assert org.kind == TYPES[row["TypeOfEstablishment (name)"]][0]
        second = import_establishments(establishments=data)
        assert (second.created, second.updated, second.closed) == (0, 0, 0)
        assert second.unchanged == len(rows)
        transaction.set_rollback(True)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(establishment, min_size=2, max_size=8),
    data=st.data(),
)
def test_one_bad_row_anywhere_writes_nothing(db, rows, data):
    """All or nothing: wherever the bad row is, no organisation is written and that row is
    the one reported."""
    bad = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    rows[bad] = {**rows[bad], "TypeOfEstablishment (name)": "Not in the register"}
    with transaction.atomic():
        result = import_establishments(establishments=_file(rows, "utf-8"))
        assert [p.line for p in result.problems] == [bad + 2]
        assert not Organisation.objects.filter(urn__startswith="97").exists()
        transaction.set_rollback(True)
