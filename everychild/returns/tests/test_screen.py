"""The compiled screen (decision 0292) clears people who break no rule, so that only the others
are read and checked rule by rule. It must never clear a person any rule fails: each rule's own
test puts its examples to the screen too (`sample.failures`); here, mangled people of every
kind are, and whole returns are validated with and without it."""

import re
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from everychild.returns.sen2 import reading, rules, screening, spec, validate
from everychild.returns.tests.sample import (
    a_need,
    a_person,
    a_placement,
    a_plan,
    a_plan_detail,
    a_planned_person,
    a_request,
    an_active_plan,
    an_assessed_request,
    an_assessment,
    context,
    upn,
    write,
)
from everychild.returns.tests.test_shortcuts_change_nothing import a_return_full_of_mistakes

# Values around every limit the rules draw: dates either side of the reference date, the
# period, the 2014 law, a birthday; every code the rules compare; identifiers right and wrong.
VALUES = st.sampled_from(
    [
        "", " ", "2025-13-01", "20250203", "2014-08-31", "2014-09-01", "2024-12-31",
        "2025-01-01", "2025-01-14", "2025-07-14", "2025-12-31", "2026-01-15", "2026-01-16",
        "1999-01-14", "2000-01-16", "2012-03-01", "Y", "N", "A", "W", "H", "M", "C", "OTH",
        "EHE", "ZZ", "0", "1", "2", "839", "840", "123456", "12345", "10012345", "20012345",
        "BH1 1AA", "bh1 1aa", "SW1A 1AA", "ASD", "SLCN", upn(1), upn(2, "201"), "A839000000001",
        "1234567890", "12345678901", "Zoë", "\u00a0",
    ]
)  # fmt: skip
# Anything at all, now and then: the screen reads hostile bytes in C, and Unicode spaces at
# either end are stripped by the reader (str.strip) but not by a byte comparison.
VALUES = VALUES | st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from(" \t\n\u00a0\u0085\u2003\u3000\u202f"),
    max_size=14,
)


def _people():
    """People of every shape the rules look at, each valid before it is mangled."""
    plan = a_plan(a_plan_detail(), a_plan_detail(PlacementRank="2", URN="654321"))
    active = an_active_plan(
        a_placement(), a_placement(URN=None, UKPRN="10012345", PlacementRank="2"),
        a_need(), a_need(SENtype="SLCN", SENtypeRank="2"),
        ReviewMeeting="2025-10-01", ReviewOutcome="M",
    )  # fmt: skip
    historical = a_request(
        an_assessment(a_plan(StartDate="2019-05-01"), AssessmentOutcome="H",
                      AssessmentOutcomeDate=None),
        an_active_plan(ReviewMeeting="2025-03-01"),
        ReceivedDate=None, RequestSource=None, RequestOutcomeDate=None, RequestOutcome="H",
    )  # fmt: skip
    return [
        a_planned_person(),
        a_person(an_assessed_request(plan=plan, active=active)),
        a_person(historical, a_request(ReceivedDate="2025-02-03")),
        a_person(
            a_request(RequestOutcome="A", RequestOutcomeDate=None), UPN=None, UPNunknown="UN1"
        ),  # fmt: skip
        a_person(an_assessed_request()),
        a_person(an_assessed_request(plan=a_plan(CeaseDate="2025-11-01", CeaseReason="2"))),
        a_planned_person(PersonBirthDate="2000-01-16"),
    ]


# Dates are moved to either side of every limit a rule draws: another date of the person, the
# return's dates, the 2014 law; give or take years (ages 10, 18, 26) and a day or a year.
ANCHORS = ("2014-09-01", "2025-01-01", "2025-12-31", "2026-01-15", "2025-01-16", "2024-01-18")
YEARS = (0, 0, 0, 1, -1, -10, -11, -18, -19, -26, -27)
DAYS = (0, 0, 1, -1, 364, -364, 365, -365, 366, -366)


def _moved(anchor: str, years: int, days: int) -> str:
    day = date.fromisoformat(anchor)
    try:
        day = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        day = day.replace(year=day.year + years, day=28)
    return (day + timedelta(days=days)).isoformat()


@st.composite
def mangled_people(draw):
    person = _people()[draw(st.integers(0, len(_people()) - 1))]
    for _ in range(draw(st.integers(0, 3))):
        elements = list(person.iter())
        dated = [e for e in elements if e.getparent() is not None
                 and e.tag in spec.DATE_ITEMS.get(e.getparent().tag, ())]  # fmt: skip
        # Half the time a date: most of the rules are about dates.
        target = draw(st.sampled_from(dated if dated and draw(st.booleans()) else elements))
        parent = target.getparent()
        module = parent.tag if parent is not None else None
        item = spec.ITEMS.get(module, {}).get(target.tag) if module else None
        action = draw(st.sampled_from(["value", "value", "value", "text", "remove",
                                       "duplicate", "add"]))  # fmt: skip
        if action == "value" and item is not None and item.kind == "date":
            dates = [e.text for e in dated if e.text]
            anchor = draw(st.sampled_from([*dates, *ANCHORS]))
            if len(anchor) == 10 and anchor[4] == "-":
                try:
                    target.text = _moved(anchor, draw(st.sampled_from(YEARS)),
                                         draw(st.sampled_from(DAYS)))  # fmt: skip
                except ValueError:
                    target.text = anchor
        elif action == "value" and item is not None and item.codes:
            target.text = draw(st.sampled_from(["", *item.codes]))
        elif action in ("value", "text") and len(target) == 0:
            target.text = draw(VALUES)
        elif action == "remove" and parent is not None:
            parent.remove(target)
        elif action == "duplicate" and parent is not None:
            parent.append(etree.fromstring(etree.tostring(target)))
        elif action == "add" and len(target):
            # An item the module may have but this one lacks (a date, a flag, a code).
            added = draw(st.sampled_from(spec.MODULES[target.tag].items))
            if added.kind == "date":
                anchors = [*(e.text for e in dated if e.text), *ANCHORS]
                years, days = draw(st.sampled_from(YEARS)), draw(st.sampled_from(DAYS))
                value = _moved(draw(st.sampled_from(anchors)), years, days)
            elif added.codes:
                value = draw(st.sampled_from(["", *added.codes]))
            else:
                value = draw(VALUES)
            etree.SubElement(target, added.name).text = value
    return person


def _every_rule(element, ctx) -> list[str]:
    """Every rule on every module of the person, with no shortcut: the reference."""
    node = reading.read_node(element, spec.PERSON, 1, None)
    ctx.person = node
    every = [r for r in rules.load() if r.module == rules.EVERY_MODULE]
    found = []
    for module in node.flat:
        own = [r for r in rules.load() if r.module == module.element and not r.unique_key]
        for rule in every + own:
            result = rule.check(module, ctx)
            if result:
                found += [rule.code for _ in validate._findings(result)]
    return found


def _screen(ctx):
    return screening.for_return(ctx.year, ctx.reference_date, ctx.lea)


def test_the_screen_is_built_and_covers_every_rule():
    assert screening.available(), "run `make setup`: it builds the SEN2 screen"


def test_it_clears_people_who_break_no_rule_and_keeps_their_upn():
    ctx = context()
    for person in _people():
        element = etree.fromstring(etree.tostring(person))
        assert _every_rule(element, ctx) == []
        screen = _screen(ctx)
        assert screen(element, 3)
        given = person.findtext(spec.UPN)
        assert screen.take_keys() == (([given], [3], [1]) if given else ([], [], []))


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_people(), st.sampled_from([2025, 2026]), st.sampled_from(["839", "201"]))
def test_it_never_clears_a_person_any_rule_fails_nor_leaves_out_a_rule_that_does(person, year, lea):
    ctx = context(year=year, reference=spec.default_reference_date(year), lea=lea)
    element = etree.fromstring(etree.tostring(person))
    screen = _screen(ctx)
    cleared = screen(element, 1)
    failing = set(_every_rule(element, ctx))
    if cleared:
        event("cleared")
        assert failing == set()
        given = (element.findtext(spec.UPN) or "").strip()
        assert screen.take_keys()[0] == ([given] if given else [])
    elif screen.may_fail(1) is None:
        event("every rule to run")
    else:
        event("only some rules to run")
        assert failing <= screen.may_fail(1)
        assert screen.may_fail(2) is None  # another person: every rule


def test_a_rule_it_does_not_know_turns_it_off(monkeypatch):
    extra = rules.Rule(
        code="SEN2-999", title="New", module=spec.PERSON, fields=(), message="New rule.",
        severity=rules.ERROR, check=lambda node, ctx: None,
    )  # fmt: skip
    monkeypatch.setattr(rules, "RULES", [*rules.load(), extra])
    assert not screening.available()
    assert _screen(context()) is None


def _report(path, monkeypatch, *, screened: bool) -> Counter:
    monkeypatch.setattr(screening, "enabled", screened)
    found = Counter()
    outcome = validate.validate(path, lambda f: found.update([f.as_text()]), workers=1)
    return found, (outcome.persons, outcome.errors, outcome.warnings, outcome.by_rule)


def test_a_return_full_of_mistakes_reads_the_same_with_and_without_it(tmp_path, monkeypatch):
    path = tmp_path / "mistakes.xml"
    a_return_full_of_mistakes(path, persons=800, seed=29)
    with_screen = _report(path, monkeypatch, screened=True)
    without = _report(path, monkeypatch, screened=False)
    assert with_screen == without
    assert with_screen[1][1] > 0


def test_a_upn_given_twice_is_found_whether_or_not_the_people_were_cleared(tmp_path, monkeypatch):
    twice = upn(7)
    path = write(
        tmp_path,
        a_planned_person(UPN=twice),
        a_planned_person(UPN=upn(8)),
        a_planned_person(UPN=twice),
        a_planned_person(UPN=twice, Sex="Q"),  # fails a rule too: read in full
    )
    with_screen, counts = _report(path, monkeypatch, screened=True)
    without, _ = _report(path, monkeypatch, screened=False)
    assert with_screen == without
    duplicates = [text for text in with_screen if "SEN2-104" in text]
    assert len(duplicates) == 2
    assert all("also given for person 1" in text for text in duplicates)
    assert counts[3]["SEN2-104"] == 2


def test_every_rule_on_a_person_has_its_condition_in_the_screen():
    """Each rule a person can fail is noted by name where its condition is (`_may("SEN2-…")`):
    a name the screen does not know would stop validation, and a rule with no condition would
    never be run on a person the screen did not clear."""
    source = (Path(screening.__file__).parent / "_screen.pyx").read_text()
    noted = set()
    for code, suffixed in re.findall(r'_may\("(SEN2-\d+P?)"( \+ suffix)?\)', source):
        noted |= {code, code + "P"} if suffixed else {code}
    header = {spec.HEADER, spec.COLLECTION_DETAILS, spec.SOURCE}
    shape_or_header = {r.code for r in rules.load() if r.shape or r.module in header}
    expected = set(rules.by_code()) - shape_or_header - {screening.KEY_RULE}
    assert noted == expected
