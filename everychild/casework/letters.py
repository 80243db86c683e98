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
    Letter.Kind.ADVICE_REQUEST: "casework/letters/advice_request.html",
    Letter.Kind.DRAFT_PLAN_NOTICE: "casework/letters/draft_plan_notice.html",
    Letter.Kind.SCHOOL_CONSULTATION: "casework/letters/school_consultation.html",
    Letter.Kind.FINAL_PLAN_NOTICE: "casework/letters/final_plan_notice.html",
    # Plan letters: plans/letters.py gives their context (casework may not read plans).
    Letter.Kind.REVIEW_INVITATION: "plans/letters/review_invitation.html",
    Letter.Kind.REVIEW_DECISION: "plans/letters/review_decision.html",
    Letter.Kind.PROPOSED_AMENDMENTS: "plans/letters/proposed_amendments.html",
    Letter.Kind.DECISION_NOT_TO_AMEND: "plans/letters/decision_not_to_amend.html",
    Letter.Kind.NOTICE_TO_CEASE: "plans/letters/notice_to_cease.html",
    Letter.Kind.TRIBUNAL_ORDER: "plans/letters/tribunal_order.html",
}

# The letters plans makes (from a review, a cessation or an order), never from the case page.
PLAN_KINDS = frozenset(
    {
        Letter.Kind.REVIEW_INVITATION,
        Letter.Kind.REVIEW_DECISION,
        Letter.Kind.PROPOSED_AMENDMENTS,
        Letter.Kind.DECISION_NOT_TO_AMEND,
        Letter.Kind.NOTICE_TO_CEASE,
        Letter.Kind.TRIBUNAL_ORDER,
    }
)

# Letters that carry the right to mediation and appeal, dated from the letter (reg 33; HESC
# Rules 2008 r.20(1)(c)).
APPEALABLE = frozenset(
    {
        Letter.Kind.DECISION_NOT_TO_ASSESS,
        Letter.Kind.DECISION_NOT_TO_ISSUE,
        Letter.Kind.FINAL_PLAN_NOTICE,
        Letter.Kind.REVIEW_DECISION,
        Letter.Kind.DECISION_NOT_TO_AMEND,
        Letter.Kind.NOTICE_TO_CEASE,
    }
)

# Independent advice every refusal letter names (Code of Practice 11.13-11.17).
INDEPENDENT_ADVICE = [
    {
        "name": "IPSEA (Independent Provider of Special Education Advice)",
        "detail": "free, legally based advice on SEND law: www.ipsea.org.uk",
    },
]

# Who an agency's or a school's letter goes to instead of the family.
TO_ORGANISATION = frozenset({Letter.Kind.ADVICE_REQUEST, Letter.Kind.SCHOOL_CONSULTATION})

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


def letter_context(
    case: AssessmentRequest, kind: str, dated_on: dt.date, extra: dict | None = None
) -> dict:
    """Everything a letter says, with every date from the engine. `extra` is what the letter
    is about (an advice request, a consultation; a review from plans/letters.py)."""
    area = case.area
    context = {
        "caseworker": case.caseworker,
        "to_organisation": kind in TO_ORGANISATION,
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
    if kind in APPEALABLE:
        context.update(clock.disagreement_dates(dated_on))
    if kind == Letter.Kind.DRAFT_PLAN_NOTICE and case.draft_plan_served_on:
        context["comments_close"] = clock.comments_close(case.draft_plan_served_on)
    context.update(extra or {})
    advice = context.get("advice_request")
    if advice is not None:
        context["advice_due"] = clock.advice_due(advice.received_by_body_on, area=area)
        # Whether the 6 weeks are the law's (reg 8(1), bodies asked under CFA s.31) or the
        # Code's (9.52: schools, settings, educational psychologists) is the engine's call.
        timed = case_clock.milestone(f"advice:{advice.pk}")
        context["advice_due_under"] = timed.regulation if timed is not None else ""
    consultation = context.get("consultation")
    if consultation is not None:
        context["consultation_due"] = clock.consultation_due(consultation.sent_on, area=area)
    return context


def render_letter_html(
    case: AssessmentRequest, kind: str, dated_on: dt.date, extra: dict | None = None
) -> str:
    """The letter's body as HTML (a fragment: headings, paragraphs, lists)."""
    return render_to_string(TEMPLATES[kind], letter_context(case, kind, dated_on, extra))


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
    # A tagged PDF (PDF/UA-1) with its language and title, so a screen reader reads the
    # letter in order, with its headings and lists (WCAG 2.2; PDF/UA).
    return weasyprint.HTML(string=document, base_url=None, url_fetcher=no_fetch).write_pdf(
        stylesheets=[weasyprint.CSS(string=PRINT_CSS)], pdf_variant="pdf/ua-1", pdf_tags=True
    )
