"""Every rule has its own test, with a code, a message a caseworker understands, the module and
items it concerns; and codes are never reused."""

import re
from pathlib import Path

from everychild.returns.sen2 import rules, spec

HERE = Path(__file__).parent


def test_every_rule_has_its_own_test():
    text = "\n".join(p.read_text(encoding="utf-8") for p in HERE.glob("test_*.py"))
    tested = set(re.findall(r"def test_(SEN2_\d+)", text))
    for rule in rules.load():
        base = rule.code.rstrip("P").replace("-", "_")
        assert base in tested, f"{rule.code} has no test named test_{base}_..."
        # The placement variants (code ending P) are exercised in their setting's test.
        if rule.code.endswith("P"):
            assert f'"{rule.code}"' in text, f"{rule.code} is never checked"


def test_every_rule_says_what_it_is_about():
    for rule in rules.load():
        assert re.fullmatch(r"SEN2-\d{3}P?", rule.code)
        assert rule.message.endswith(".") and len(rule.message) > 30, rule.code
        assert rule.severity in (rules.ERROR, rules.WARNING)
        assert rule.module == rules.EVERY_MODULE or rule.module in spec.MODULES
        for name in rule.fields:
            known = any(name in spec.ITEMS[m] or name in spec.MODULES for m in spec.MODULES)
            assert known, f"{rule.code} names {name}, which is not in the specification"


def test_one_rule_per_module_of_the_rules_package():
    folder = Path(rules.__file__).parent
    modules = sorted(p.stem for p in folder.glob("r*.py"))
    codes = {r.code.rstrip("P") for r in rules.load()}
    assert len(modules) == len(codes)
    for stem in modules:
        assert f"SEN2-{stem[1:4]}" in codes, stem
