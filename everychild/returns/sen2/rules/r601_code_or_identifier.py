"""SEN2-601: the setting code (SENSetting) is for a placement with no URN or UKPRN, so it is
never given together with one."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import Finding, rule

MESSAGE = (
    "Both a setting code (SENSetting) and a URN or UKPRN are given: the code is only for a "
    "setting that has neither. Keep one."
)


def code_or_identifier(node, ctx):
    fields = node.fields
    code = fields.get(spec.SEN_SETTING)
    if code and (fields.get(spec.URN) or fields.get(spec.UKPRN)):
        return Finding(spec.SEN_SETTING, f"SENSetting {code} with a URN or UKPRN")
    return None


rule(
    code="SEN2-601",
    module=spec.PLAN_DETAIL,
    fields=(spec.SEN_SETTING, spec.URN, spec.UKPRN),
    message=MESSAGE,
    title="Setting code or identifier",
)(code_or_identifier)
rule(
    code="SEN2-601P",
    module=spec.PLACEMENT_DETAIL,
    fields=(spec.SEN_SETTING, spec.URN, spec.UKPRN),
    message=MESSAGE,
    title="Placement code or identifier",
)(code_or_identifier)
