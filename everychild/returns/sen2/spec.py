"""The SEN2 person-level return: every element name and code list, in one table.

The DfE's technical specification (v1.2 for 2024, v1.3 for 2025) is not public in a form we
can copy; this table was rebuilt from SEN2.md (the shared notes) and public readers of real
SEN2 files. Where a spelling or a meaning is uncertain the line says **(check)**. Everything
else in `everychild.returns` refers to these constants, so a correction to the specification
is a change of one line here.

Modules follow the DfE's numbering: 0 header, 1 person, 2 requests, 3 assessment, 4a named
plan, 4b plan detail, 5a active plans, 5b placement detail, 5c SEN need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from everychild.children.codes import Ethnicity, NeedType, Sex, UPNUnknownReason

# --- Element names ---------------------------------------------------------------------------
# Containers
MESSAGE = "Message"
HEADER = "Header"
COLLECTION_DETAILS = "CollectionDetails"
SOURCE = "Source"
PERSONS = "Persons"
PERSON = "Person"
REQUESTS = "Requests"
ASSESSMENT = "Assessment"
NAMED_PLAN = "NamedPlan"
PLAN_DETAIL = "PlanDetail"
ACTIVE_PLANS = "ActivePlans"
PLACEMENT_DETAIL = "PlacementDetail"
SEN_NEED = "SENneed"

# Module 0: header
COLLECTION = "Collection"
YEAR = "Year"
REFERENCE_DATE = "ReferenceDate"
SOURCE_LEVEL = "SourceLevel"
LEA = "LEA"
SOFTWARE_CODE = "SoftwareCode"
RELEASE = "Release"
SERIAL_NO = "SerialNo"
DATE_TIME = "DateTime"
# LA-level items (v1.3): designated officers. Their place in the XML is not known (check);
# they are accepted in the header and never required.
DMO = "DMO"  # (check)
DCO = "DCO"  # (check)
DSCO = "DSCO"  # (check)

# Module 1: person
SURNAME = "Surname"
FORENAME = "Forename"
BIRTH_DATE = "PersonBirthDate"
SEX = "Sex"
ETHNICITY = "Ethnicity"
POSTCODE = "PostCode"
UPN = "UPN"
ULN = "UniqueLearnerNumber"
UPN_UNKNOWN = "UPNunknown"

# Module 2: requests
RECEIVED_DATE = "ReceivedDate"
REQUEST_SOURCE = "RequestSource"  # v1.3
RYA = "RYA"
REQUEST_OUTCOME_DATE = "RequestOutcomeDate"
REQUEST_OUTCOME = "RequestOutcome"
REQUEST_MEDIATION = "RequestMediation"
REQUEST_TRIBUNAL = "RequestTribunal"
EXPORTED = "Exported"  # (check: a 0/1 flag)

# Module 3: assessment
ASSESSMENT_OUTCOME = "AssessmentOutcome"
ASSESSMENT_OUTCOME_DATE = "AssessmentOutcomeDate"
ASSESSMENT_MEDIATION = "AssessmentMediation"
ASSESSMENT_TRIBUNAL = "AssessmentTribunal"
OTHER_MEDIATION = "OtherMediation"
OTHER_TRIBUNAL = "OtherTribunal"
WEEK20 = "Week20"

# Module 4a: named plan
START_DATE = "StartDate"
PLAN_RES = "PlanRes"
PLAN_WBP = "PlanWBP"  # (check) also seen as "PlanWPB"
PB = "PB"
OA = "OA"
DP = "DP"
CEASE_DATE = "CeaseDate"
CEASE_REASON = "CeaseReason"

# Modules 4b and 5b: a setting (named in the plan, or attended)
URN = "URN"
UKPRN = "UKPRN"
SEN_SETTING = "SENSetting"  # (check) casing
SEN_SETTING_OTHER = "SENSettingOther"
PLACEMENT_RANK = "PlacementRank"
SEN_UNIT = "SENunitIndicator"
RESOURCED_PROVISION = "ResourcedProvisionIndicator"
ENTRY_DATE = "EntryDate"
LEAVING_DATE = "LeavingDate"
RES = "RES"
WBP = "WBP"  # (check)

# Module 5a: active plans
TRANSFER_LA = "TransferLA"
REVIEW_MEETING = "ReviewMeeting"
REVIEW_OUTCOME = "ReviewOutcome"
REVIEW_DRAFT = "ReviewDraft"  # v1.3 (check: a date)
PHASE_TRANSFER_DUE_DATE = "PhaseTransferDueDate"  # v1.3
PHASE_TRANSFER_FINAL_DATE = "PhaseTransferFinalDate"  # v1.3
LAST_REVIEW = "LastReview"

# Module 5c: SEN need
SEN_TYPE = "SENtype"
SEN_TYPE_RANK = "SENtypeRank"

# --- Code lists ------------------------------------------------------------------------------
COLLECTION_NAME = "SEN2"
FLAG = {"0": "No", "1": "Yes"}
REQUEST_OUTCOMES = {
    "Y": "Decided to assess",
    "N": "Decided not to assess",
    "A": "Decision not yet made",
    "W": "Withdrawn or ceased before a decision",
    "H": "Historical: the request was before the records began",
}
REQUEST_SOURCES = {
    "1": "Child, young person or parent",
    "2": "School or setting",
    "3": "Health",
    "4": "Social care",
    "5": "Other",
}
ASSESSMENT_OUTCOMES = {
    "Y": "Decided to issue a plan",
    "N": "Decided not to issue a plan",
    "A": "Decision not yet made",
    "W": "Withdrawn or ceased",
    "H": "Historical",
}
WEEK20_CODES = {"0": "The 20-week exceptions do not apply", "1": "The 20-week exceptions apply"}
CEASE_REASONS = {
    "1": "Reached maximum age",
    "2": "Needs met without a plan",
    "3": "Moved into higher education",
    "4": "Moved into paid employment",
    "5": "Transferred to another LA",
    "6": "No longer wishes to engage in education or training",
    "7": "Moved outside England",
    "8": "Deceased",
    "9": "Other",
}
REVIEW_OUTCOMES = {"A": "Amend the plan", "C": "Cease the plan", "M": "Maintain the plan"}
RESIDENTIAL = {"A": "Residential, 38 to 51 weeks", "B": "Residential, 52 weeks"}
WORK_BASED = {  # (check) the letters; the DfE publishes these three kinds
    "A": "Apprenticeship",
    "S": "Supported internship",
    "T": "Traineeship",
}
SEN_SETTINGS = {
    "OLA": "Other arrangements made by the LA",
    "OPA": "Other arrangements made by parents",
    "EHE": "Elective home education",
    "EYP": "Early years provider",
    "OTH": "Other",
    "NEET": "Not in education, employment or training",
    "NIEC": "Not in education: notice to cease issued",  # (check)
    "NIEO": "Not in education: other",  # (check)
}
# Shared with the child's record and the plan, so the two never drift apart.
SEXES = {c.value: c.label for c in Sex}
ETHNICITIES = {c.value: c.label for c in Ethnicity}
UPN_UNKNOWN_REASONS = {c.value: c.label for c in UPNUnknownReason}
SEN_TYPES = {c.value: c.label for c in NeedType}
RANKS_2 = {"1": "First", "2": "Second"}

# --- Modules and their items -----------------------------------------------------------------
# kind: how a value is written. "date" YYYY-MM-DD; "datetime" YYYY-MM-DDThh:mm:ss; "code" one
# of `codes`; "int"; "text"; identifiers "upn", "uln", "urn", "ukprn", "la", "postcode".


@dataclass(frozen=True)
class Item:
    name: str
    label: str
    kind: str = "text"
    codes: dict | None = None
    required: bool = False
    # First return year the item belongs to (v1.3 = 2025); it is required only from then.
    since: int = 0


@dataclass(frozen=True)
class Module:
    key: str  # DfE module number, for messages ("module 2")
    element: str
    title: str
    items: tuple[Item, ...]
    # (element, least, most) of the modules inside this one; most None = any number.
    children: tuple[tuple[str, int, int | None], ...] = ()
    item_names: frozenset = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "item_names", frozenset(i.name for i in self.items))

    def item(self, name: str) -> Item:
        return ITEMS[self.element][name]


def _setting_items(*extra: Item) -> tuple[Item, ...]:
    return (
        Item(URN, "URN (school unique reference number)", "urn"),
        Item(UKPRN, "UKPRN (provider reference number)", "ukprn"),
        Item(SEN_SETTING, "Type of setting, when there is no URN or UKPRN", "code", SEN_SETTINGS),
        Item(SEN_SETTING_OTHER, "Description of an other setting", "text"),
        Item(PLACEMENT_RANK, "Placement rank", "code", RANKS_2, required=True),
        *extra,
    )


MODULES: dict[str, Module] = {
    m.element: m
    for m in (
        Module("0", MESSAGE, "Message", (), ((HEADER, 1, 1), (PERSONS, 1, 1))),
        Module(
            "0",
            HEADER,
            "Header",
            (
                Item(DMO, "Designated medical officer in post", "code", FLAG),
                Item(DCO, "Designated clinical officer in post", "code", FLAG),
                Item(DSCO, "Designated social care officer in post", "code", FLAG),
            ),
            ((COLLECTION_DETAILS, 1, 1), (SOURCE, 1, 1)),
        ),
        Module(
            "0",
            COLLECTION_DETAILS,
            "Collection details",
            (
                Item(COLLECTION, "Collection", "code", {COLLECTION_NAME: "SEN2"}, required=True),
                Item(YEAR, "Year of the return", "int", required=True),
                Item(REFERENCE_DATE, "Reference date", "date", required=True),
            ),
        ),
        Module(
            "0",
            SOURCE,
            "Source",
            (
                Item(SOURCE_LEVEL, "Source level", "text"),
                Item(LEA, "Local authority number", "la", required=True),
                Item(SOFTWARE_CODE, "Software", "text"),
                Item(RELEASE, "Software release", "text"),
                Item(SERIAL_NO, "Serial number", "int"),
                Item(DATE_TIME, "Date and time the file was made", "datetime"),
            ),
        ),
        Module("0", PERSONS, "Persons", (), ((PERSON, 0, None),)),
        Module(
            "1",
            PERSON,
            "Person",
            (
                Item(SURNAME, "Surname", "text", required=True),
                Item(FORENAME, "Forename", "text", required=True),
                Item(BIRTH_DATE, "Date of birth", "date", required=True),
                Item(SEX, "Sex", "code", SEXES, required=True),
                Item(ETHNICITY, "Ethnicity", "code", ETHNICITIES, required=True),
                Item(POSTCODE, "Postcode", "postcode"),
                Item(UPN, "UPN (unique pupil number)", "upn"),
                Item(ULN, "Unique learner number", "uln"),
                Item(UPN_UNKNOWN, "Reason the UPN is not known", "code", UPN_UNKNOWN_REASONS),
            ),
            ((REQUESTS, 1, None),),
        ),
        Module(
            "2",
            REQUESTS,
            "Request for assessment",
            (
                # Required unless the request is historical (checked by a rule).
                Item(RECEIVED_DATE, "Date the request was received", "date"),
                # Required (from 2025) except on a historical request: checked by a rule.
                Item(REQUEST_SOURCE, "Who made the request", "code", REQUEST_SOURCES, since=2025),
                # RYA: the request was made while the child or young person was in relevant
                # youth accommodation (youth custody, CFA 2014 ss.70-75); the DfE's requests
                # table calls it "requests_rya". SEN2.md's "aged 16-25" reading is wrong.
                Item(RYA, "Request made while in relevant youth accommodation", "code", FLAG),
                Item(REQUEST_OUTCOME_DATE, "Date of the decision whether to assess", "date"),
                Item(
                    REQUEST_OUTCOME,
                    "Decision whether to assess",
                    "code",
                    REQUEST_OUTCOMES,
                    required=True,
                ),  # fmt: skip
                Item(REQUEST_MEDIATION, "Mediation about the decision to assess", "code", FLAG),
                Item(
                    REQUEST_TRIBUNAL, "Tribunal appeal about the decision to assess", "code", FLAG
                ),
                Item(EXPORTED, "Moved out of the area before the assessment ended", "code", FLAG),
            ),
            ((ASSESSMENT, 0, 1), (ACTIVE_PLANS, 0, 1)),
        ),
        Module(
            "3",
            ASSESSMENT,
            "EHC needs assessment",
            (
                Item(
                    ASSESSMENT_OUTCOME,
                    "Decision whether to issue a plan",
                    "code",
                    ASSESSMENT_OUTCOMES,
                    required=True,
                ),  # fmt: skip
                Item(ASSESSMENT_OUTCOME_DATE, "Date of the decision whether to issue", "date"),
                Item(ASSESSMENT_MEDIATION, "Mediation about the decision to issue", "code", FLAG),
                Item(
                    ASSESSMENT_TRIBUNAL, "Tribunal appeal about the decision to issue", "code", FLAG
                ),  # fmt: skip
                Item(OTHER_MEDIATION, "Mediation about something else", "code", FLAG),
                Item(OTHER_TRIBUNAL, "Tribunal appeal about something else", "code", FLAG),
                Item(WEEK20, "20-week time limit exceptions apply", "code", WEEK20_CODES),
            ),
            ((NAMED_PLAN, 0, 1),),
        ),
        Module(
            "4a",
            NAMED_PLAN,
            "EHC plan",
            (
                Item(START_DATE, "Date the plan was issued", "date", required=True),
                Item(PLAN_RES, "Residential placement named in the plan", "code", RESIDENTIAL),
                Item(PLAN_WBP, "Work-based learning named in the plan", "code", WORK_BASED),
                Item(PB, "Personal budget taken up", "code", FLAG),
                Item(OA, "Personal budget by organised arrangements", "code", FLAG),
                Item(DP, "Personal budget by direct payments", "code", FLAG),
                Item(CEASE_DATE, "Date the plan ceased", "date"),
                Item(CEASE_REASON, "Reason the plan ceased", "code", CEASE_REASONS),
            ),
            ((PLAN_DETAIL, 1, 2),),
        ),
        Module(
            "4b",
            PLAN_DETAIL,
            "Setting named in the plan",
            _setting_items(
                Item(SEN_UNIT, "SEN unit", "code", FLAG),
                Item(RESOURCED_PROVISION, "Resourced provision", "code", FLAG),
            ),
        ),
        Module(
            "5a",
            ACTIVE_PLANS,
            "Active plan",
            (
                Item(TRANSFER_LA, "Transferred in from another LA (its number)", "la"),
                Item(REVIEW_MEETING, "Date of the last annual review meeting", "date"),
                Item(REVIEW_OUTCOME, "Decision after the annual review", "code", REVIEW_OUTCOMES),
                Item(
                    REVIEW_DRAFT, "Date the amended draft was sent after review", "date", since=2025
                ),  # fmt: skip
                Item(PHASE_TRANSFER_DUE_DATE, "Phase transfer due date", "date", since=2025),
                Item(
                    PHASE_TRANSFER_FINAL_DATE, "Phase transfer plan finalised", "date", since=2025
                ),  # fmt: skip
                Item(LAST_REVIEW, "Date of the decision after the last annual review", "date"),
            ),
            ((PLACEMENT_DETAIL, 1, None), (SEN_NEED, 1, 2)),
        ),
        Module(
            "5b",
            PLACEMENT_DETAIL,
            "Placement attended",
            _setting_items(
                Item(ENTRY_DATE, "Date the placement started", "date"),
                Item(LEAVING_DATE, "Date the placement ended", "date"),
                Item(SEN_UNIT, "SEN unit", "code", FLAG),
                Item(RESOURCED_PROVISION, "Resourced provision", "code", FLAG),
                Item(RES, "Residential placement", "code", RESIDENTIAL),
                Item(WBP, "Work-based learning", "code", WORK_BASED),
            ),
        ),
        Module(
            "5c",
            SEN_NEED,
            "Special educational need",
            (
                Item(SEN_TYPE, "Type of need", "code", SEN_TYPES, required=True),
                Item(SEN_TYPE_RANK, "Rank of the need", "code", RANKS_2, required=True),
            ),
        ),
    )
}
ITEMS: dict[str, dict[str, Item]] = {
    element: {item.name: item for item in module.items} for element, module in MODULES.items()
}
# Which modules may sit inside which.
CHILD_MODULES: dict[str, frozenset] = {
    element: frozenset(child for child, _, _ in module.children)
    for element, module in MODULES.items()
}
# Items written as dates (parsed once when a person is read).
DATE_ITEMS: dict[str, frozenset] = {
    element: frozenset(i.name for i in module.items if i.kind == "date")
    for element, module in MODULES.items()
}
# Modules that may appear more than once inside their parent and are ranked, not ordered.
RANKED_MODULES = {PLAN_DETAIL: PLACEMENT_RANK, SEN_NEED: SEN_TYPE_RANK}

# --- The statistical year --------------------------------------------------------------------


def default_reference_date(year: int) -> date:
    """The reference (census) date of the return for `year`: the third Thursday of January,
    the school census day (15 January 2026, 16 January 2025, 18 January 2024)."""
    first = date(year, 1, 1)
    first_thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    return first_thursday + timedelta(weeks=2)


def collection_period(year: int) -> tuple[date, date]:
    """The calendar year whose activity the return for `year` reports (the year before)."""
    return date(year - 1, 1, 1), date(year - 1, 12, 31)
