"""The compiled screen in front of the rules (decision 0292): whether it can be used, and one
made for a return.

Most people in a return break no rule. `_screen.Screen` (compiled from `_screen.pyx` by
`make setup`) looks at each person as libxml2 holds it and says whether any rule could fail,
and which; only the people it cannot clear are read, and only those rules run on them, so what
is reported is always what the rules in `rules/` say. The screen is used only when it covers
exactly the rules there are: a rule added without its condition in the screen turns it off
(and fails `test_screen.py`) rather than going unchecked."""

from __future__ import annotations

import logging

from everychild.returns.sen2 import rules, spec

try:
    from everychild.returns.sen2 import _screen
except ImportError:  # not built: every person is checked in Python, more slowly
    _screen = None

logger = logging.getLogger(__name__)

# The rule across people whose key (the UPN) the screen hands back.
KEY_RULE = "SEN2-104"
# Tests and benchmarks turn it off to compare with the rules alone.
enabled = True
_warned = False


def available() -> bool:
    """Built, and covering exactly the rules there are."""
    if _screen is None:
        return False
    keys = [r.code for r in rules.person_key_rules()]
    return set(rules.by_code()) == _screen.SCREENED and keys == [KEY_RULE]


def for_return(year: int, reference_date, lea: str):
    """A screen for one return (`_screen.Screen`): called with a person's lxml element and
    position, it answers True when no rule can fail (keeping their UPN for `take_keys`), and
    False when the person must be read and checked (`may_fail` then names the rules). None
    when there is no screen to use."""
    global _warned
    if not enabled:
        return None
    if not available():
        if not _warned:
            _warned = True
            logger.warning(
                "The SEN2 screen is %s: every person is checked rule by rule (slower, same "
                "result). Run `make setup` to build it.",
                "not built" if _screen is None else "out of step with the rules",
            )
        return None
    start, end = spec.collection_period(year)
    return _screen.Screen(
        year=year, reference_date=reference_date, period_start=start, period_end=end, lea=lea
    )
