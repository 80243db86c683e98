"""The rules on the shape of a return (SEN2-001 to SEN2-011): each passes a minimal valid
example and fails a minimal broken one."""

from lxml import etree

from everychild.returns.sen2 import spec
from everychild.returns.tests.sample import (
    a_header,
    a_need,
    a_person,
    a_placement,
    a_plan,
    a_plan_detail,
    a_planned_person,
    a_request,
    an_active_plan,
    an_assessed_request,
    codes,
    failures,
    header_codes,
)


def test_the_examples_pass_every_rule():
    assert failures(a_person()) == []
    assert failures(a_planned_person()) == []
    assert header_codes(a_header()) == set()


def test_SEN2_001_an_unknown_element_fails():
    assert "SEN2-001" not in codes(a_person())
    person = a_person(Nickname="Ada")
    [failure] = [f for f in failures(person) if f.code == "SEN2-001"]
    assert failure.path == "/Message/Persons/Person[1]/Nickname"
    assert failure.line is not None
    # A misspelt element is unknown too: capital letters count.
    assert "SEN2-001" in codes(a_person(a_request(receivedDate="2025-03-03")))


def test_SEN2_002_an_item_given_twice_fails():
    person = a_person()
    assert "SEN2-002" not in codes(person)
    etree.SubElement(person, spec.SEX).text = "M"
    [failure] = [f for f in failures(person) if f.code == "SEN2-002"]
    assert failure.field == spec.SEX


def test_SEN2_003_a_required_item_missing_or_empty_fails():
    assert "SEN2-003" not in codes(a_person())
    found = [f for f in failures(a_person(**{spec.SURNAME: None})) if f.code == "SEN2-003"]
    assert [f.field for f in found] == [spec.SURNAME]
    assert "SEN2-003" in codes(a_person(**{spec.ETHNICITY: ""}))
    need = a_need(**{spec.SEN_TYPE_RANK: None})
    request = an_assessed_request(plan=a_plan(), active=an_active_plan(a_placement(), need))
    assert "SEN2-003" in codes(a_person(request))


def test_SEN2_004_a_date_not_written_yyyy_mm_dd_fails():
    assert "SEN2-004" not in codes(a_person())
    for bad in ("01/05/2014", "2014-5-1", "20140501", "2014-02-30", "yesterday"):
        found = [f for f in failures(a_person(**{spec.BIRTH_DATE: bad})) if f.code == "SEN2-004"]
        assert [f.field for f in found] == [spec.BIRTH_DATE], bad
        assert bad in found[0].detail


def test_SEN2_005_a_code_not_in_its_list_fails():
    assert "SEN2-005" not in codes(a_planned_person())
    for element, bad in ((spec.SEX, "X"), (spec.ETHNICITY, "WBR"), (spec.UPN_UNKNOWN, "UN11")):
        found = [f for f in failures(a_person(**{element: bad})) if f.code == "SEN2-005"]
        assert [f.field for f in found] == [element], element
    assert "SEN2-005" in codes(a_person(a_request(**{spec.REQUEST_OUTCOME: "Z"})))
    assert "SEN2-005" in codes(a_person(a_request(**{spec.RYA: "yes"})))
    need = a_need(**{spec.SEN_TYPE: "ADHD"})
    request = an_assessed_request(plan=a_plan(), active=an_active_plan(a_placement(), need))
    assert "SEN2-005" in codes(a_person(request))


def test_SEN2_006_a_module_missing_or_repeated_fails():
    assert "SEN2-006" not in codes(a_planned_person())
    person = a_person()
    person.remove(person.find(spec.REQUESTS))
    [failure] = [f for f in failures(person) if f.code == "SEN2-006"]
    assert "needs at least 1" in failure.detail
    three = a_plan(a_plan_detail(), a_plan_detail(**{spec.PLACEMENT_RANK: "2"}), a_plan_detail())
    assert "SEN2-006" in codes(a_person(an_assessed_request(plan=three)))


def test_SEN2_007_an_item_holding_elements_fails():
    person = a_person()
    assert "SEN2-007" not in codes(person)
    surname = person.find(spec.SURNAME)
    surname.text = None
    etree.SubElement(surname, "Part").text = "Test"
    assert "SEN2-007" in codes(person)


def test_SEN2_008_a_badly_written_number_fails():
    assert "SEN2-008" not in header_codes(a_header())
    assert "SEN2-008" in header_codes(a_header(lea="83"))
    assert "SEN2-008" in header_codes(a_header(**{spec.DATE_TIME: "1 February 2026"}))
    assert "SEN2-008" not in codes(a_planned_person())
    active = an_active_plan(a_placement(), a_need(), **{spec.TRANSFER_LA: "Poole"})
    assert "SEN2-008" in codes(a_person(an_assessed_request(plan=a_plan(), active=active)))


def test_SEN2_010_a_year_before_the_person_level_return_fails():
    assert "SEN2-010" not in header_codes(a_header(year=2024, reference="2024-01-18"))
    assert "SEN2-010" in header_codes(a_header(year=2019, reference="2019-01-17"))


def test_SEN2_011_a_reference_date_outside_january_of_the_year_fails():
    assert "SEN2-011" not in header_codes(a_header(reference="2026-01-15"))
    assert "SEN2-011" in header_codes(a_header(reference="2026-03-15"))
    assert "SEN2-011" in header_codes(a_header(reference="2025-01-16"))
