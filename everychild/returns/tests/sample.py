"""Minimal SEN2 examples for the tests, built by the specification's table.

Each builder gives a valid module with its items in order; keyword arguments change items
(`None` removes one), positional arguments are the modules inside. `a_file` wraps persons in a
header. A valid person with a plan issued in 2025 and active on the 2026 reference date is
`a_planned_person()`.
"""

from __future__ import annotations

from datetime import date

from lxml import etree
from stdnum.gb import upn as stdnum_upn

from everychild.returns.sen2 import reading, rules, screening, spec
from everychild.returns.sen2.validate import check_person

YEAR = 2026
REFERENCE = date(2026, 1, 15)


def upn(serial: int, la: str = "839") -> str:
    body = f"{la}{serial % 10**9:09d}"
    return stdnum_upn.calc_check_digit(body) + body


def _module(element: str, defaults: dict, values: dict, children) -> etree._Element:
    merged = {**defaults, **values}
    node = etree.Element(element)
    for item in spec.MODULES[element].items:
        value = merged.pop(item.name, None)
        if value is not None:
            etree.SubElement(node, item.name).text = str(value)
    for name, value in merged.items():  # items the specification does not have
        if value is not None:
            etree.SubElement(node, name).text = str(value)
    for child in children:
        node.append(child)
    return node


def a_person(*requests, **values) -> etree._Element:
    defaults = {
        spec.SURNAME: "Testfamily",
        spec.FORENAME: "Ada",
        spec.BIRTH_DATE: "2014-05-01",
        spec.SEX: "F",
        spec.ETHNICITY: "WBRI",
        spec.POSTCODE: "BH1 1AA",
        spec.UPN: upn(1),
    }
    return _module(spec.PERSON, defaults, values, requests or (a_request(),))


def a_request(*children, **values) -> etree._Element:
    defaults = {
        spec.RECEIVED_DATE: "2025-03-03",
        spec.REQUEST_SOURCE: "2",
        spec.RYA: "0",
        spec.REQUEST_OUTCOME_DATE: "2025-04-07",
        spec.REQUEST_OUTCOME: "N",
        spec.REQUEST_MEDIATION: "0",
        spec.REQUEST_TRIBUNAL: "0",
        spec.EXPORTED: "0",
    }
    return _module(spec.REQUESTS, defaults, values, children)


def an_assessment(*children, **values) -> etree._Element:
    defaults = {
        spec.ASSESSMENT_OUTCOME: "Y" if children else "A",
        spec.ASSESSMENT_OUTCOME_DATE: "2025-06-20" if children else None,
        spec.ASSESSMENT_MEDIATION: "0",
        spec.ASSESSMENT_TRIBUNAL: "0",
        spec.OTHER_MEDIATION: "0",
        spec.OTHER_TRIBUNAL: "0",
        spec.WEEK20: "0" if children else None,
    }
    return _module(spec.ASSESSMENT, defaults, values, children)


def a_plan(*details, **values) -> etree._Element:
    defaults = {spec.START_DATE: "2025-07-14", spec.PB: "0", spec.OA: "0", spec.DP: "0"}
    return _module(spec.NAMED_PLAN, defaults, values, details or (a_plan_detail(),))


def a_plan_detail(**values) -> etree._Element:
    defaults = {spec.URN: "123456", spec.PLACEMENT_RANK: "1"}
    return _module(spec.PLAN_DETAIL, defaults, values, ())


def an_active_plan(*children, **values) -> etree._Element:
    return _module(spec.ACTIVE_PLANS, {}, values, children or (a_placement(), a_need()))


def a_placement(**values) -> etree._Element:
    defaults = {spec.URN: "123456", spec.PLACEMENT_RANK: "1"}
    return _module(spec.PLACEMENT_DETAIL, defaults, values, ())


def a_need(**values) -> etree._Element:
    defaults = {spec.SEN_TYPE: "ASD", spec.SEN_TYPE_RANK: "1"}
    return _module(spec.SEN_NEED, defaults, values, ())


def an_assessed_request(*, plan=None, active=None, assessment=None, **values):
    """A request decided Y with an assessment, and optionally its plan and active plan."""
    values.setdefault(spec.REQUEST_OUTCOME, "Y")
    if assessment is None:
        assessment = an_assessment(plan) if plan is not None else an_assessment()
    children = [assessment] + ([active] if active is not None else [])
    return a_request(*children, **values)


def a_planned_person(**values) -> etree._Element:
    """A child whose plan was issued in 2025 and is active on the 2026 reference date."""
    request = an_assessed_request(plan=a_plan(), active=an_active_plan())
    return a_person(request, **values)


def a_header(year=YEAR, reference="2026-01-15", lea="839", **values) -> etree._Element:
    details = _module(
        spec.COLLECTION_DETAILS,
        {spec.COLLECTION: "SEN2", spec.YEAR: year, spec.REFERENCE_DATE: reference},
        {k: v for k, v in values.items() if k in spec.ITEMS[spec.COLLECTION_DETAILS]},
        (),
    )
    source = _module(
        spec.SOURCE,
        {
            spec.SOURCE_LEVEL: "L",
            spec.LEA: lea,
            spec.SOFTWARE_CODE: "Test",
            spec.SERIAL_NO: "1",
            spec.DATE_TIME: "2026-02-01T09:00:00",
        },  # fmt: skip
        {k: v for k, v in values.items() if k in spec.ITEMS[spec.SOURCE]},
        (),
    )
    return _module(spec.HEADER, {}, {}, (details, source))


def a_file(*persons, header=None) -> bytes:
    message = etree.Element(spec.MESSAGE)
    message.append(header if header is not None else a_header())
    container = etree.SubElement(message, spec.PERSONS)
    for person in persons:
        container.append(person)
    return etree.tostring(message, xml_declaration=True, encoding="utf-8", pretty_print=True)


def write(tmp_path, *persons, header=None, name="return.xml"):
    path = tmp_path / name
    path.write_bytes(a_file(*persons, header=header))
    return path


# --- Running the rules on one person -------------------------------------------------------


def context(year: int = YEAR, reference: date = REFERENCE, lea: str = "839") -> rules.Context:
    return rules.Context(year=year, reference_date=reference, lea=lea)


def failures(person: etree._Element, ctx: rules.Context | None = None):
    """Every failure of one person, through the same reader and rules as a whole file."""
    # Through bytes, so lines and the reader's notes are as for a file.
    ctx = ctx or context()
    element = etree.fromstring(etree.tostring(person))
    node = reading.read_node(element, spec.PERSON, 1, None)
    found = check_person(node, ctx)
    # Every person a rule's test checks is put to the compiled screen as well (decision
    # 0292): it must never clear a person the rules fail, nor leave out a rule that fails.
    screen = screening.for_return(ctx.year, ctx.reference_date, ctx.lea)
    if screen is not None:
        failing = {f.code for f in found}
        if screen(element, 1):
            assert not failing, f"the screen cleared a person failing {sorted(failing)}"
        may_fail = screen.may_fail(1)
        if may_fail is not None:
            assert failing <= may_fail, f"the screen left out {sorted(failing - may_fail)}"
    return found


def codes(person: etree._Element, ctx: rules.Context | None = None) -> set[str]:
    return {f.code for f in failures(person, ctx)}


def header_codes(header: etree._Element) -> set[str]:
    from everychild.returns.sen2.validate import Checker

    element = etree.fromstring(etree.tostring(header))
    node = reading.read_node(element, spec.HEADER, 1, None)
    found: list = []
    Checker().check(node, rules.Context(year=YEAR, reference_date=None, lea="839"), found, None)
    return {f.code for f in found}
