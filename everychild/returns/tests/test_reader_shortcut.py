"""The reader notes whether a module could fail a shape rule (`node.suspect`), and the shape
rules run only on those modules: that is what makes an England-wide file quick to check. This
property keeps the shortcut honest: on any mangled person, a module the reader calls clean
never has a shape failure when the shape rules are run on it anyway."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from everychild.returns.sen2 import reading, rules, spec
from everychild.returns.tests.sample import a_planned_person, context

SHAPE_RULES = [r for r in rules.load() if r.shape]
VALUES = st.sampled_from(
    ["", " ", "2025-13-01", "2025-02-03", "Y", "ZZ", "839", "1", "0", "abc", "12345678"]
)


def _all_nodes(node):
    yield node
    for kids in node.children.values():
        for kid in kids:
            yield from _all_nodes(kid)


@st.composite
def mangled_people(draw):
    person = a_planned_person()
    elements = list(person.iter())
    for _ in range(draw(st.integers(1, 6))):
        target = draw(st.sampled_from(elements))
        action = draw(st.sampled_from(["text", "remove", "duplicate", "unknown", "nest"]))
        if action == "text" and len(target) == 0:
            target.text = draw(VALUES)
        elif action == "remove" and target.getparent() is not None:
            target.getparent().remove(target)
            elements = list(person.iter())
        elif action == "duplicate" and target.getparent() is not None:
            copy = etree.fromstring(etree.tostring(target))
            target.getparent().append(copy)
            elements = list(person.iter())
        elif action == "unknown":
            etree.SubElement(target, draw(st.sampled_from(["Extra", "received", "Note"])))
            elements = list(person.iter())
        elif action == "nest" and len(target) == 0 and target.getparent() is not None:
            target.text = None
            etree.SubElement(target, "Inner")
            elements = list(person.iter())
    return person


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mangled_people())
def test_a_module_the_reader_calls_clean_never_fails_a_shape_rule(person):
    node = reading.read_node(etree.fromstring(etree.tostring(person)), spec.PERSON, 1, None)
    ctx = context()
    ctx.person = node
    for module in _all_nodes(node):
        if module.suspect:
            continue
        for rule in SHAPE_RULES:
            assert not rule.check(module, ctx), (rule.code, module.element, module.fields)
