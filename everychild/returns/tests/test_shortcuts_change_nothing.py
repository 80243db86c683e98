"""The validator takes two shortcuts to check an England-wide file quickly (decision 0213): the
shape rules run only on modules the reader found suspect, and rules on dates only on modules
that have dates. This test keeps them honest on a whole return full of mistakes: every failure
the validator reports is exactly what running every rule on every module of every person
reports, no more and no fewer. Any later speed-up of the reader or of the rule dispatch
(decision 0245) must keep it passing."""

import random
from collections import Counter

from lxml import etree

from benchmarks.bench_sen2 import write_synthetic_return
from everychild.returns.sen2 import reading, rules, spec, validate

# Values that break items in every way the rules know: bad dates, dates out of order or in
# the future, unknown codes, empty items, wrong identifiers.
BAD_VALUES = (
    "", " ", "2025-13-01", "20250203", "2025-02-03", "2027-01-01", "1990-01-01", "Y", "N",
    "H", "A", "ZZ", "839", "1", "0", "2", "abc", "12345678", "100000", "OTH", "EHE",
    "10000001", "X123",
)  # fmt: skip


def _mangle(person, rng: random.Random) -> None:
    """One to five mistakes anywhere in the person: a changed value, a missing or repeated
    element, an element the specification does not have, a value holding an element."""
    for _ in range(rng.randint(1, 5)):
        elements = list(person.iter())
        target = rng.choice(elements)
        parent = target.getparent()
        action = rng.choice(("text", "text", "text", "remove", "repeat", "unknown", "nest"))
        if action == "text" and len(target) == 0:
            target.text = rng.choice(BAD_VALUES)
        elif action == "remove" and parent is not None:
            parent.remove(target)
        elif action == "repeat" and parent is not None:
            parent.append(etree.fromstring(etree.tostring(target)))
        elif action == "unknown":
            etree.SubElement(target, rng.choice(("Extra", "received", "Note"))).text = "x"
        elif action == "nest" and len(target) == 0 and parent is not None:
            target.text = None
            etree.SubElement(target, "Inner")


def a_return_full_of_mistakes(path, *, persons: int, seed: int) -> None:
    clean = path.with_suffix(".clean.xml")
    write_synthetic_return(clean, persons=persons, seed=seed)
    rng = random.Random(seed)
    with open(clean, encoding="utf-8") as source, open(path, "w", encoding="utf-8") as out:
        for line in source:
            if line.startswith(f"<{spec.PERSON}>") and rng.random() < 0.6:
                person = etree.fromstring(line)
                _mangle(person, rng)
                line = etree.tostring(person, encoding="unicode") + "\n"
            out.write(line)


def _every_rule_on_every_module(path) -> Counter:
    """The slow, obvious way: no shortcut at all."""
    every = [r for r in rules.load() if r.module == rules.EVERY_MODULE]
    table = {
        element: every + [r for r in rules.load() if r.module == element and not r.unique_key]
        for element in spec.MODULES
    }
    found = Counter()
    ctx = None
    for item in reading.iterate(str(path)):
        if isinstance(item, reading.Header):
            ctx = rules.Context(item.year, item.reference_date, item.lea)
        elif isinstance(item, reading.Node):
            ctx.person = item
            for module in item.flat:
                for rule in table[module.element]:
                    result = rule.check(module, ctx)
                    if result:
                        for finding in validate._findings(result):
                            failure = validate._failure(rule, module, finding, ctx, None)
                            found[failure.as_text()] += 1
            item.release()
    return found


def test_the_shortcuts_report_exactly_what_every_rule_on_every_module_reports(tmp_path):
    path = tmp_path / "mistakes.xml"
    a_return_full_of_mistakes(path, persons=1500, seed=11)
    unique = {r.code for r in rules.person_key_rules()}
    reported = Counter()
    outcome = validate.validate(
        path,
        lambda f: (
            reported.update([f.as_text()])
            if f.person is not None and f.code not in unique
            else None
        ),
        workers=1,
    )
    expected = _every_rule_on_every_module(path)
    assert outcome.persons == 1500
    # A return full of mistakes: most rules fail somewhere, shape rules and date rules included.
    codes = {text.split()[1] for text in expected}
    assert {"SEN2-001", "SEN2-002", "SEN2-003", "SEN2-004", "SEN2-005", "SEN2-007"} <= codes
    assert len(codes) >= 30
    assert reported == expected
