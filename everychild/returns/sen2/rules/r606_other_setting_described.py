"""SEN2-606: an "other" setting (OTH) is described in SENSettingOther, and only an other
setting is."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import WARNING, Finding, rule

MESSAGE = (
    "An other setting (SENSetting OTH) needs a description in SENSettingOther, and only an "
    "other setting has one."
)


def other_setting_described(node, ctx):
    fields = node.fields
    code = fields.get(spec.SEN_SETTING)
    described = bool(fields.get(spec.SEN_SETTING_OTHER))
    if code == "OTH" and not described:
        return Finding(spec.SEN_SETTING_OTHER, "OTH with no description")
    if described and code != "OTH":
        return Finding(spec.SEN_SETTING_OTHER, f"a description with SENSetting {code or 'missing'}")
    return None


rule(
    code="SEN2-606",
    module=spec.PLAN_DETAIL,
    fields=(spec.SEN_SETTING, spec.SEN_SETTING_OTHER),
    message=MESSAGE,
    severity=WARNING,
    title="Other setting named in the plan described",
)(other_setting_described)
rule(
    code="SEN2-606P",
    module=spec.PLACEMENT_DETAIL,
    fields=(spec.SEN_SETTING, spec.SEN_SETTING_OTHER),
    message=MESSAGE,
    severity=WARNING,
    title="Other placement described",
)(other_setting_described)
