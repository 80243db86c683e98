"""SEN2-309: nothing in a person's record happened before they were born. (A request may be made
for a baby, but not before birth.)"""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import EVERY_MODULE, Finding, rule

_OWN = frozenset({spec.BIRTH_DATE})
_OUTSIDE_A_PERSON = frozenset({spec.HEADER, spec.COLLECTION_DETAILS, spec.SOURCE})


@rule(
    code="SEN2-309",
    module=EVERY_MODULE,
    dates=True,
    fields=(spec.BIRTH_DATE,),
    message="This date is before the person's date of birth: one of the two is wrong.",
)
def nothing_before_birth(node, ctx):
    if node.earliest is None or ctx.person is None or node.element in _OUTSIDE_A_PERSON:
        return None
    born = ctx.person.dates.get(spec.BIRTH_DATE)
    if born is None or node.earliest >= born:
        return None
    found = None
    for name, value in node.dates.items():
        if value is not None and value < born and name not in _OWN:
            found = found or []
            found.append(Finding(name, f"{value.isoformat()}, born {born.isoformat()}"))
    return found
