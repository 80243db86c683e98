"""The plan as a document: HTML (shown in the service and sent by e-mail) and an accessible PDF
(WeasyPrint: tagged PDF/UA, the document language, a title, real headings in reading order,
a readable sans-serif at 12pt). A draft says DRAFT at the top of every page."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils.html import escape

from everychild.children.codes import NeedType
from everychild.core.dates import today
from everychild.plans import provenance
from everychild.plans.models import PlanPDF, PlanVersion
from everychild.plans.sections import (
    NEED_SECTIONS,
    PROVISION_SECTIONS,
    SECTION_KEYS,
    SECTION_TITLES,
    YOUNG_PERSON_SECTION_A,
    item_label,
    normalised,
)
from everychild.statutory import ages

PRINT_CSS = """
@page { size: A4; margin: 20mm 18mm 22mm 18mm;
        @bottom-center { content: "Page " counter(page) " of " counter(pages);
                         font-size: 10pt; color: #505a5f; } }
@page draft { @top-center { content: "DRAFT: not a final EHC plan"; font-size: 14pt;
                            font-weight: bold; color: #d4351c; } }
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 12pt;
       line-height: 1.45; color: #0b0c0c; }
body.draft { page: draft; }
h1 { font-size: 20pt; margin: 0 0 8pt; }
h2 { font-size: 15pt; margin: 16pt 0 6pt; border-top: 2pt solid #1d70b8; padding-top: 6pt; }
h3 { font-size: 12.5pt; margin: 10pt 0 4pt; }
p, li { margin: 0 0 6pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 10pt; table-layout: fixed; }
th, td { border: 0.75pt solid #b1b4b6; padding: 3pt 5pt; text-align: left;
         vertical-align: top; font-size: 10.5pt; }
th { background: #f3f2f1; }
.draft-mark { color: #d4351c; font-weight: bold; font-size: 16pt; border: 2pt solid #d4351c;
              padding: 4pt 8pt; margin-bottom: 10pt; }
.meta { color: #505a5f; }
"""


def document_context(version: PlanVersion) -> dict:
    sections = normalised(version.sections)
    document = version.document
    outcomes = {o["id"]: o for o in sections["E"]["outcomes"]}
    needs = {n["id"]: n for key in NEED_SECTIONS for n in sections[key]["needs"]}
    need_numbers = {}
    for key in NEED_SECTIONS:
        for n, need in enumerate(sections[key]["needs"], start=1):
            need_numbers[need["id"]] = f"{key}{n}"
    outcome_numbers = {o["id"]: f"E{n}" for n, o in enumerate(sections["E"]["outcomes"], 1)}
    provision_numbers = {
        line["id"]: f"{key}{n}"
        for key in PROVISION_SECTIONS
        for n, line in enumerate(sections[key]["provision"], start=1)
    }
    numbers = {**need_numbers, **outcome_numbers, **provision_numbers}
    taken = provenance.items_by_advice(sections)
    # Section K: each piece of advice with the items of B-H taken from it (provenance).
    section_k = [
        {
            **entry,
            "items": [
                {"number": numbers.get(item.get("id"), key), "label": item_label(key, item)}
                for key, item in taken.get(entry.get("advice_request"), [])
            ],
        }
        for entry in sections["K"]["advice"]
    ]
    # Past compulsory school age on the version's date, the plan is the young person's own.
    young = ages.over_compulsory_school_age(
        document.child.date_of_birth, version.issued_on or today()
    )
    return {
        "version": version,
        "child": document.child,
        "area": document.area,
        "is_draft": not version.is_issued,
        "sections": sections,
        "titles": {**SECTION_TITLES, "A": YOUNG_PERSON_SECTION_A} if young else SECTION_TITLES,
        "keys": SECTION_KEYS,
        "need_sections": NEED_SECTIONS,
        "provision_sections": PROVISION_SECTIONS,
        "primary_need": NeedType(sections["B"]["primary_need"]).label
        if sections["B"]["primary_need"] in NeedType.values
        else "",
        "secondary_need": NeedType(sections["B"]["secondary_need"]).label
        if sections["B"]["secondary_need"] in NeedType.values
        else "",
        "outcomes": outcomes,
        "needs": needs,
        "need_numbers": need_numbers,
        "outcome_numbers": outcome_numbers,
        "section_k": section_k,
    }


def render_plan_html(version: PlanVersion) -> str:
    """The plan's body as an HTML fragment (headings h1-h3, tables with header cells)."""
    return render_to_string("plans/document.html", document_context(version))


def plan_title(version: PlanVersion) -> str:
    child = version.document.child
    state = "Draft EHC plan" if not version.is_issued else "EHC plan"
    return f"{state} for {child.full_name}, version {version.number}"


def render_plan_pdf(version: PlanVersion) -> bytes:
    """The plan as a tagged PDF (PDF/UA-1). No network: WeasyPrint fetches nothing."""
    import weasyprint  # heavy: only when a PDF is made

    def no_fetch(url, *args, **kwargs):
        raise ValueError(f"Plans fetch nothing ({url})")

    draft = "" if version.is_issued else ' class="draft"'
    html = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(plan_title(version))}</title>"
        f'<meta name="author" content="{escape(version.document.area.name)}">'
        f"</head><body{draft}>{render_plan_html(version)}</body></html>"
    )
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=no_fetch).write_pdf(
        stylesheets=[weasyprint.CSS(string=PRINT_CSS)], pdf_variant="pdf/ua-1"
    )


def store_pdfs(version_ids) -> int:
    """Render and keep the PDFs of issued versions that have none (drafts are never kept:
    they change). Safe to repeat."""
    made = 0
    versions = PlanVersion.objects.filter(
        pk__in=list(version_ids), status=PlanVersion.Status.FINAL, pdf__isnull=True
    ).select_related("document__child", "document__area")
    for version in versions:
        content = render_plan_pdf(version)
        stored = PlanPDF(version=version, size=len(content))
        stored.file.save("plan.pdf", ContentFile(content), save=False)
        stored.save()
        made += 1
    return made


def kept_pdf(version: PlanVersion) -> bytes | None:
    """The kept PDF of an issued version, or None when there is none yet (a draft never has
    one: it changes)."""
    stored = getattr(version, "pdf", None) if version.is_issued else None
    if stored is not None and stored.file:
        with stored.file.open("rb") as handle:
            return handle.read()
    return None


def pdf_bytes(version: PlanVersion) -> bytes:
    """The kept PDF of an issued version if there is one, else rendered now."""
    stored = getattr(version, "pdf", None) if version.is_issued else None
    if stored is not None and stored.file:
        with stored.file.open("rb") as handle:
            return handle.read()
    return render_plan_pdf(version)
