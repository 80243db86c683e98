"""Schools, academies, colleges and early years settings from DfE's register of establishments,
"Get Information about Schools" (GIAS).

GIAS publishes every establishment in England as one CSV file ("edubasealldataYYYYMMDD.csv",
about 140 columns, in Windows-1252) and the links between establishments as another
("links_edubasealldataYYYYMMDD.csv": URN, LinkURN, LinkName, LinkType, LinkEstablishedDate).
We read the columns we need by name and ignore the rest, so DfE adding a column changes
nothing; a file lacking one we need is refused whole, naming it.

An establishment is one organisation, found by its URN: loading the same file twice changes
nothing. A school DfE has closed is kept (children's histories name it) and marked closed. On
academy conversion DfE closes the old URN and opens a new one; the links file says which URN
was the predecessor, and the new organisation points at it.

All or nothing: any row that fails a check is reported (line, URN, what is wrong) and nothing
is written. The caller writes the audit entries in the same transaction (the audit log sits
above accounts in the layers)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from everychild.accounts.models import Organisation, OrganisationKind, SettingType
from everychild.areas.models import Area

# A small register in GIAS's layout, of made-up establishments (samples/README.md): for the
# tests and the demonstration area.
SAMPLE_ESTABLISHMENTS = Path(__file__).resolve().parent / "samples" / "gias_establishments.csv"
SAMPLE_LINKS = SAMPLE_ESTABLISHMENTS.with_name("gias_links.csv")

REQUIRED_COLUMNS = (
    "URN",
    "LA (code)",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "UKPRN",
    "OpenDate",
    "CloseDate",
    "Street",
    "Locality",
    "Address3",
    "Town",
    "County (name)",
    "Postcode",
)
# Read when present: it tells a mainstream school with a resourced provision or SEN unit.
RESOURCED_COLUMN = "TypeOfResourcedProvision (name)"
LINK_COLUMNS = ("URN", "LinkURN", "LinkType")

_S, _C, _E = OrganisationKind.SCHOOL, OrganisationKind.COLLEGE, OrganisationKind.EARLY_YEARS
# GIAS's "TypeOfEstablishment (name)" to the kind of organisation and the DfE caseload tables'
# placement group (SettingType).
TYPES: dict[str, tuple[str, str]] = {
    "Community school": (_S, SettingType.MAINSTREAM),
    "Voluntary aided school": (_S, SettingType.MAINSTREAM),
    "Voluntary controlled school": (_S, SettingType.MAINSTREAM),
    "Foundation school": (_S, SettingType.MAINSTREAM),
    "Academy converter": (_S, SettingType.MAINSTREAM),
    "Academy sponsor led": (_S, SettingType.MAINSTREAM),
    "Free schools": (_S, SettingType.MAINSTREAM),
    "University technical college": (_S, SettingType.MAINSTREAM),
    "Studio schools": (_S, SettingType.MAINSTREAM),
    "City technology college": (_S, SettingType.MAINSTREAM),
    "Other independent school": (_S, SettingType.MAINSTREAM),
    "Academy 16-19 converter": (_S, SettingType.MAINSTREAM),
    "Academy 16 to 19 sponsor led": (_S, SettingType.MAINSTREAM),
    "Free schools 16 to 19": (_S, SettingType.MAINSTREAM),
    "Community special school": (_S, SettingType.MAINTAINED_SPECIAL),
    "Foundation special school": (_S, SettingType.MAINTAINED_SPECIAL),
    "Academy special converter": (_S, SettingType.ACADEMY_SPECIAL),
    "Academy special sponsor led": (_S, SettingType.ACADEMY_SPECIAL),
    "Free schools special": (_S, SettingType.ACADEMY_SPECIAL),
    "Non-maintained special school": (_S, SettingType.INDEPENDENT_SPECIAL),
    "Other independent special school": (_S, SettingType.INDEPENDENT_SPECIAL),
    "Pupil referral unit": (_S, SettingType.ALTERNATIVE_PROVISION),
    "Academy alternative provision converter": (_S, SettingType.ALTERNATIVE_PROVISION),
    "Academy alternative provision sponsor led": (_S, SettingType.ALTERNATIVE_PROVISION),
    "Free schools alternative provision": (_S, SettingType.ALTERNATIVE_PROVISION),
    "Further education": (_C, SettingType.FE_COLLEGE),
    "Sixth form centres": (_C, SettingType.FE_COLLEGE),
    "Special post 16 institution": (_C, SettingType.SPECIALIST_POST16),
    "Local authority nursery school": (_E, SettingType.EARLY_YEARS),
}
# Types in the register that are not settings a plan names (s.39/s.40 Children and Families
# Act 2014 name a school, college or early years provider): passed over, and counted.
NOT_SETTINGS = {
    "Higher education institutions",
    "Welsh establishment",
    "Secure units",
    "Service children's education",
    "Miscellaneous",
    "Offshore schools",
    "British schools overseas",
    "Online provider",
    "Institution funded by other government department",
    "Children's centre",
    "Children's centre linked site",
}
STATUSES = {"Open", "Closed", "Open, but proposed to close", "Proposed to open"}
CLOSED = "Closed"
RESOURCED = {"Resourced provision", "SEN unit", "Resourced provision and SEN unit"}
NOT_APPLICABLE = {"", "Not applicable"}

# The fields the register is the source of; anything else on an organisation is the council's.
REGISTER_FIELDS = (
    "name",
    "kind",
    "setting_type",
    "phase",
    "establishment_type",
    "register_status",
    "is_active",
    "la_number",
    "ukprn",
    "street",
    "locality",
    "address3",
    "town",
    "county",
    "postcode",
    "opened_on",
    "closed_on",
)
_URN = re.compile(r"^\d{6}$")
_UKPRN = re.compile(r"^1\d{7}$")
_LA = re.compile(r"^\d{3}$")
_LIMITS = {f.name: f.max_length for f in Organisation._meta.fields if f.max_length}


class FileRefused(Exception):
    """The file cannot be used at all (encoding, a missing column): nothing was written."""


@dataclass
class RowProblem:
    line: int
    urn: str
    problems: list[str]

    def __str__(self) -> str:
        return f"Line {self.line} (URN {self.urn or 'blank'}): " + "; ".join(self.problems)


@dataclass
class Change:
    """One organisation the import created or changed, with the fields it changed."""

    organisation: Organisation
    what: str  # "created", "updated" or "closed"
    fields: list[str]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0
    linked: int = 0
    not_settings: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "closed": self.closed,
            "unchanged": self.unchanged,
            "linked_to_predecessor": self.linked,
            "not_settings": self.not_settings,
            "refused_rows": len(self.problems),
        }


def decode(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark) or, as DfE publishes it, Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise FileRefused("The file is neither UTF-8 nor Windows-1252 text.") from None


def _rows(data: bytes, needed: tuple[str, ...], what: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(decode(data), newline=""))
    header = [name.strip() for name in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [name for name in needed if name not in header]
    if missing:
        names = ", ".join(f'"{name}"' for name in missing)
        column = "column" if len(missing) == 1 else "columns"
        raise FileRefused(f"The {what} has no {names} {column}: nothing was loaded.")
    return header, list(reader)


def _date(raw: str, column: str, problems: list[str]) -> dt.date | None:
    raw = raw.strip()
    if not raw:
        return None
    # GIAS writes dates as day-month-year with hyphens (e.g. 01-09-2012).
    for form in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(raw, form).date()
        except ValueError:
            continue
    problems.append(f'{column} "{raw}" is not a date like 01-09-2012')
    return None


def _text(row: dict, column: str, name: str, problems: list[str]) -> str:
    value = " ".join((row.get(column) or "").split())
    limit = _LIMITS.get(name)
    if limit and len(value) > limit:
        problems.append(f"{column} is longer than {limit} characters")
    return value


def _parse(line: int, row: dict, has_resourced: bool) -> tuple[dict | None, list[str], bool]:
    """The register's values for one row, its problems, and whether it is not a setting."""
    problems: list[str] = []
    urn = (row.get("URN") or "").strip()
    if not _URN.match(urn):
        problems.append(f'URN "{urn}" is not 6 digits')
    type_name = (row.get("TypeOfEstablishment (name)") or "").strip()
    if type_name in NOT_SETTINGS:
        return None, [], True
    if type_name not in TYPES:
        problems.append(f'TypeOfEstablishment (name) "{type_name}" is not a type EveryChild knows')
        kind, setting_type = "", ""
    else:
        kind, setting_type = TYPES[type_name]
    status = (row.get("EstablishmentStatus (name)") or "").strip()
    if status not in STATUSES:
        problems.append(f'EstablishmentStatus (name) "{status}" is not a status EveryChild knows')
    la_number = (row.get("LA (code)") or "").strip()
    if not _LA.match(la_number):
        problems.append(f'LA (code) "{la_number}" is not 3 digits')
    ukprn = (row.get("UKPRN") or "").strip()
    if ukprn and not _UKPRN.match(ukprn):
        problems.append(f'UKPRN "{ukprn}" is not 8 digits starting with 1')
    name = _text(row, "EstablishmentName", "name", problems)
    if not name:
        problems.append("EstablishmentName is blank")
    phase = (row.get("PhaseOfEducation (name)") or "").strip()
    opened_on = _date(row.get("OpenDate") or "", "OpenDate", problems)
    closed_on = _date(row.get("CloseDate") or "", "CloseDate", problems)
    if opened_on and closed_on and closed_on < opened_on:
        problems.append("CloseDate is before OpenDate")
    resourced = (row.get(RESOURCED_COLUMN) or "").strip() if has_resourced else None
    if setting_type == SettingType.MAINSTREAM and resourced in RESOURCED:
        setting_type = SettingType.RESOURCED_PROVISION
    values = {
        "name": name,
        "kind": kind,
        "setting_type": setting_type,
        "phase": "" if phase in NOT_APPLICABLE else phase.lower(),
        "establishment_type": type_name,
        "register_status": status,
        "is_active": status != CLOSED,
        "la_number": la_number,
        "ukprn": ukprn,
        "street": _text(row, "Street", "street", problems),
        "locality": _text(row, "Locality", "locality", problems),
        "address3": _text(row, "Address3", "address3", problems),
        "town": _text(row, "Town", "town", problems),
        "county": ""
        if (row.get("County (name)") or "").strip() in NOT_APPLICABLE
        else _text(row, "County (name)", "county", problems),
        "postcode": _text(row, "Postcode", "postcode", problems).upper(),
        "opened_on": opened_on,
        "closed_on": closed_on,
        # Whether the file says which provision it has: if not, a council's own note that a
        # mainstream school has a resourced provision stands.
        "_resourced_known": resourced is not None,
    }
    return (None if problems else values), problems, False


def _predecessors(data: bytes) -> list[tuple[int, str, str]]:
    """(line, URN, predecessor URN) from GIAS's links file."""
    _header, rows = _rows(data, LINK_COLUMNS, "links file")
    found = []
    for line, row in enumerate(rows, start=2):
        # "Predecessor", "Predecessor - amalgamated", "Predecessor - merged", …
        if (row.get("LinkType") or "").strip().lower().startswith("predecessor"):
            found.append((line, (row["URN"] or "").strip(), (row["LinkURN"] or "").strip()))
    return found


def import_establishments(
    *, establishments: bytes, links: bytes | None = None, la: str | None = None
) -> ImportResult:
    """Load or update the establishments in GIAS's CSV (only LA number `la`, when given).

    Raises FileRefused when a file cannot be used. When any row fails a check the result
    lists the problems and nothing is written. Call inside the caller's transaction, which
    also writes the audit entries for `result.changes`."""
    header, rows = _rows(establishments, REQUIRED_COLUMNS, "establishments file")
    has_resourced = RESOURCED_COLUMN in header
    links_found = _predecessors(links) if links is not None else []
    result = ImportResult()
    wanted: dict[str, dict] = {}
    ukprn_at: dict[str, str] = {}
    for line, row in enumerate(rows, start=2):
        if la and (row.get("LA (code)") or "").strip() != la:
            continue
        values, problems, not_setting = _parse(line, row, has_resourced)
        if not_setting:
            result.not_settings += 1
            continue
        urn = (row.get("URN") or "").strip()
        if values is not None and urn in wanted:
            problems.append(f"URN {urn} is on line {wanted[urn]['_line']} too")
        if values is not None and values["ukprn"]:
            other = ukprn_at.setdefault(values["ukprn"], urn)
            if other != urn:
                problems.append(f"UKPRN {values['ukprn']} is also given to URN {other}")
        if problems:
            result.problems.append(RowProblem(line, urn, problems))
            continue
        values["_line"] = line
        wanted[urn] = values

    existing = {o.urn: o for o in Organisation.objects.filter(urn__in=list(wanted))}
    held = dict(Organisation.objects.filter(ukprn__in=list(ukprn_at)).values_list("ukprn", "urn"))
    for urn, values in wanted.items():
        holder = held.get(values["ukprn"])
        if values["ukprn"] and holder is not None and holder != urn:
            result.problems.append(
                RowProblem(
                    values["_line"],
                    urn,
                    [f"UKPRN {values['ukprn']} already belongs to "
                     f"{'URN ' + holder if holder else 'an organisation without a URN'}"],
                )
            )  # fmt: skip
    if result.problems:
        result.problems.sort(key=lambda p: p.line)
        return result

    areas = dict(
        Area.objects.filter(old_la_code__in={v["la_number"] for v in wanted.values()})
        .values_list("old_la_code", "pk")
    )  # fmt: skip
    with transaction.atomic():
        for urn, values in wanted.items():
            org = existing.get(urn)
            resourced_known = values.pop("_resourced_known")
            values.pop("_line")
            if org is None:
                org = Organisation(urn=urn, area_id=areas.get(values["la_number"]), **values)
                org.full_clean()
                org.save()
                result.created += 1
                result.changes.append(Change(org, "created", list(REGISTER_FIELDS)))
                existing[urn] = org
                continue
            if (
                not resourced_known
                and values["setting_type"] == SettingType.MAINSTREAM
                and org.setting_type == SettingType.RESOURCED_PROVISION
            ):
                values["setting_type"] = org.setting_type
            changed = [name for name in REGISTER_FIELDS if getattr(org, name) != values[name]]
            if org.area_id is None and areas.get(values["la_number"]):
                org.area_id = areas[values["la_number"]]
                changed.append("area")
            if not changed:
                result.unchanged += 1
                continue
            closing = org.is_active and not values["is_active"]
            for name in REGISTER_FIELDS:
                setattr(org, name, values[name])
            org.full_clean()
            org.save()
            if closing:
                result.closed += 1
                result.changes.append(Change(org, "closed", changed))
            else:
                result.updated += 1
                result.changes.append(Change(org, "updated", changed))

        if links_found:
            urns = {u for _line, a, b in links_found for u in (a, b)}
            known = {o.urn: o for o in Organisation.objects.filter(urn__in=urns)}
            for line, urn, before in links_found:
                org, predecessor = known.get(urn), known.get(before)
                if org is None or (la and org.la_number != la):
                    continue
                if predecessor is None:
                    result.notes.append(
                        f"Links line {line}: URN {urn}'s predecessor {before} is not loaded."
                    )
                    continue
                if org.predecessor_id == predecessor.pk:
                    continue
                org.predecessor = predecessor
                org.save(update_fields=["predecessor"])
                result.linked += 1
                change = next((c for c in result.changes if c.organisation.pk == org.pk), None)
                if change is None:
                    result.changes.append(Change(org, "updated", ["predecessor"]))
                    # A record the file did not otherwise change counts as updated, not both.
                    if urn in wanted:
                        result.unchanged -= 1
                    result.updated += 1
                elif "predecessor" not in change.fields:
                    change.fields.append("predecessor")
    return result
