"""SEN2-309: nothing in a person's record happened before they were born. (A request may be made
for a baby, but not before birth.) Checked once per person, on the earliest date anywhere in
their record, and only then module by module."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule


@rule(
    code="SEN2-309",
    module=spec.PERSON,
    fields=(spec.BIRTH_DATE,),
    message="This date is before the person's date of birth: one of the two is wrong.",
)
def nothing_before_birth(person, ctx):
    born = person.dates.get(spec.BIRTH_DATE)
    if born is None or person.all_earliest is None or person.all_earliest >= born:
        return None
    found = []
    for module in person.flat or (person,):
        if module.earliest is None or module.earliest >= born:
            continue
        for name, value in module.dates.items():
            if value is not None and value < born and name != spec.BIRTH_DATE:
                found.append(Finding(name, f"{value.isoformat()}, born {born.isoformat()}", module))
    return found or None
