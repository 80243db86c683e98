"""The statutory engine: every SEND time limit as tested, versioned, framework-free code.

No Django here (ARCHITECTURE.md principle 1): the rest of the system asks this package.

Public API::

    from everychild.statutory import (
        RULES_VERSION, rules, rule, registry_json,          # the rule registry, for docs/pages
        period_days,                                       # a limit's length in days
        Facts, parse_facts, FactsError,                    # case facts and the JSON contract
        timeline, timeline_json, evaluate, Milestone,      # the computed clock
    )
    from everychild.statutory import deadlines             # one due date per limit
    from everychild.statutory import reviews               # review, amendment, phase dates
    from everychild.statutory.calendars import add_working_days, is_working_day
    from everychild.statutory.cli import main              # the CLI (wrapped by Django later)
"""

from . import deadlines, reviews
from .contract import FactsError, evaluate, milestone_json, parse_facts, timeline_json
from .facts import (
    AdviceRequest,
    Consultation,
    Decision,
    Facts,
    MediationAgreement,
    PhaseTransfer,
    RecordedException,
    SettingClosure,
    TransferIn,
    TribunalOrder,
    TribunalRecommendation,
)
from .milestones import STATUSES, AppliedException, Milestone, timeline
from .rules import (
    EXCEPTION_KINDS,
    RULES_VERSION,
    Counting,
    ExceptionKind,
    Rule,
    period_days,
    registry_json,
    rule,
    rule_keys,
    rule_versions,
    rules,
)

__all__ = [
    "EXCEPTION_KINDS",
    "RULES_VERSION",
    "STATUSES",
    "AdviceRequest",
    "AppliedException",
    "Consultation",
    "Counting",
    "Decision",
    "ExceptionKind",
    "Facts",
    "FactsError",
    "MediationAgreement",
    "Milestone",
    "PhaseTransfer",
    "RecordedException",
    "Rule",
    "SettingClosure",
    "TransferIn",
    "TribunalOrder",
    "TribunalRecommendation",
    "deadlines",
    "reviews",
    "evaluate",
    "milestone_json",
    "parse_facts",
    "period_days",
    "registry_json",
    "rule",
    "rule_keys",
    "rule_versions",
    "rules",
    "timeline",
    "timeline_json",
]
