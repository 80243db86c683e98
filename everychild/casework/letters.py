"""Decision letters: Django templates rendered to HTML with the dates from the statutory
engine, and to PDF with WeasyPrint (imported only when a PDF is made: it is heavy)."""

from __future__ import annotations

import datetime as dt

from django.template.loader import render_to_string
from django.utils.html import escape

from everychild.casework import clock
from everychild.casework.models import AssessmentRequest, Letter

TEMPLATES = {
    Letter.Kind.DECISION_TO_ASSESS: "casework/letters/decision_to_assess.html",
    Letter.Kind.DECISION_NOT_TO_ASSESS: "casework/letters/decision_not_to_assess.html",
    Letter.Kind.DECISION_NOT_TO_ISSUE: "casework/letters/decision_not_to_issue.html",
}

# Independent advice every refusal letter names (Code of Practice 11.13-11.17).
INDEPENDENT_ADVICE = [
    {
        "name": "IPSEA (Independent Provider of Special Education Advice)",
        "detail": "free, legally based advice on SEND law: www.ipsea.org.uk",
    },
]

# The letter's look on paper. Passed to WeasyPrint, never put in a page (the CSP allows no
# inline style); on screen the letter is shown with the service's own styles.
PRINT_CSS = """
@page { size: A4; margin: 22mm 20mm 22mm 20mm;
        @bottom-center { content: "Page " counter(page) " of " counter(pages);
                         font-size: 9pt; color: #505a5f; } }
body { font-family: "Liberation Sans", Arial, Helvetica, sans-serif; font-size: 11pt;
       line-height: 1.45; color: #0b0c0c; }
h1 { font-size: 16pt; margin: 0 0 8pt; }
h2 { font-size: 12.5pt; margin: 14pt 0 4pt; }
p, li { margin: 0 0 6pt; }
.letter-head { border-bottom: 2pt solid #1d70b8; padding-bottom: 6pt; margin-bottom: 14pt; }
.letter-from { font-weight: bold; font-size: 13pt; }
.letter-meta { color: #505a5f; }
.letter-dates { border: 1pt solid #b1b4b6; padding: 6pt 10pt; margin: 8pt 0; }
.letter-dates dt { font-weight: bold; }
.letter-dates dd { margin: 0 0 4pt 0; }
"""


def letter_context(case: AssessmentRequest, kind: str, dated_on: dt.date) -> dict:
    """Everything a letter says, with every date from the engine."""
    area = case.area
    context = {
        "case": case,
        "child": case.child,
        "area": area,
        "dated_on": dated_on,
        "kind": kind,
        "independent_advice": INDEPENDENT_ADVICE,
        "sendiass": f"the SEND Information, Advice and Support Service (SENDIASS) for {area.name}",
    }
    case_clock = clock.clock_for(case, today=dated_on)
    final = case_clock.milestone("final_plan") or case_clock.milestone("reassessment_final_plan")
    context["final_plan_due"] = final.due if final is not None else None
    if kind in (Letter.Kind.DECISION_NOT_TO_ASSESS, Letter.Kind.DECISION_NOT_TO_ISSUE):
        context.update(clock.disagreement_dates(dated_on))
    return context


def render_letter_html(case: AssessmentRequest, kind: str, dated_on: dt.date) -> str:
    """The letter's body as HTML (a fragment: headings, paragraphs, lists)."""
    return render_to_string(TEMPLATES[kind], letter_context(case, kind, dated_on))


def render_pdf(body_html: str, *, title: str) -> bytes:
    """The letter as a PDF. No network: WeasyPrint may not fetch anything (base_url None and
    a fetcher that refuses)."""
    import weasyprint  # heavy: only when a PDF is made

    def no_fetch(url, *args, **kwargs):
        raise ValueError(f"Letters fetch nothing ({url})")

    document = (
        '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head><body>{body_html}</body></html>"
    )
    return weasyprint.HTML(string=document, base_url=None, url_fetcher=no_fetch).write_pdf(
        stylesheets=[weasyprint.CSS(string=PRINT_CSS)]
    )
