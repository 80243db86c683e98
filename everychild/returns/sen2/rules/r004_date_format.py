"""SEN2-004: dates are real dates written YYYY-MM-DD."""

from everychild.returns.sen2.rules import EVERY_MODULE, Finding, rule


@rule(
    code="SEN2-004",
    module=EVERY_MODULE,
    shape=True,
    fields=(),
    message="This date is not a real date written as YYYY-MM-DD (for example 2025-03-31).",
)
def date_format(node, ctx):
    found = None
    for name, value in node.dates.items():
        if value is None and node.fields[name]:
            found = found or []
            found.append(Finding(field=name, detail=f"<{name}> is \u201c{node.fields[name]}\u201d"))
    return found
