"""SEN2-600: a setting is identified by its URN or UKPRN, or, when it has neither, by an SEN2
setting code (home education, NEET, ...): never by nothing. Applies to the settings named in a
plan (module 4b) and to placements (5b, code ending -P)."""

from everychild.returns.sen2 import spec
from everychild.returns.sen2.rules import rule

MESSAGE = (
    "The setting is not identified: give its URN or UKPRN, or, if it has neither, a setting "
    "code (SENSetting)."
)


def setting_identified(node, ctx):
    fields = node.fields
    if not (fields.get(spec.URN) or fields.get(spec.UKPRN) or fields.get(spec.SEN_SETTING)):
        return spec.URN
    return None


rule(
    code="SEN2-600",
    module=spec.PLAN_DETAIL,
    fields=(spec.URN, spec.UKPRN, spec.SEN_SETTING),
    message=MESSAGE,
    title="Setting named in the plan is identified",
)(setting_identified)
rule(
    code="SEN2-600P",
    module=spec.PLACEMENT_DETAIL,
    fields=(spec.URN, spec.UKPRN, spec.SEN_SETTING),
    message=MESSAGE,
    title="Placement is identified",
)(setting_identified)
