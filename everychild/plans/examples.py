"""Well-written synthetic plan sections, for the demonstration area, tests and benchmarks.

Every need answered by an outcome, every outcome by specific, quantified provision: a plan the
quality check passes. `flaws` adds the defects an audit finds, for a realistic spread."""

from __future__ import annotations

import random
from datetime import date

from everychild.plans.sections import empty_sections

NEEDS = {
    "B": [
        "Finds it hard to understand spoken instructions of more than two steps.",
        "Reads at a level about three years below their age; decoding is slow.",
        "Becomes very anxious at transitions and in noisy spaces, and may leave the room.",
        "Has difficulty with fine motor skills: handwriting is slow and tiring.",
        "Struggles to start and keep up conversations with other children.",
        "Working memory is weak: forgets the steps of a task part way through.",
    ],
    "C": ["Has epilepsy, controlled by medication; needs a care plan for seizures."],
    "D": ["Parents need short breaks to sustain caring at home."],
}
OUTCOMES = [
    "Will follow a three-step instruction in class without adult prompting",
    "Will read a book at the level of the year group below with 90% accuracy",
    "Will use a calm-down plan to manage transitions without leaving the room",
    "Will write three connected sentences independently using a laptop",
    "Will start and sustain a conversation with a peer at lunchtime",
    "Will complete a 20-minute task using a visual checklist",
    "Will take part in an after-school club of their choice",
    "Will travel to school with a travel buddy, then independently",
]
PROVISION = [
    (
        "Speech and language therapy: direct sessions on following instructions",
        "1 session of 45 minutes each week",
        "for 1 year",
        "Speech and language therapist",
        "HCPC-registered speech and language therapist",
    ),
    (
        "Precision teaching of reading in a group of no more than 3",
        "5 sessions of 20 minutes each week",
        "until the next annual review",
        "Teaching assistant trained in precision teaching",
        "Level 3 teaching assistant",
    ),
    (
        "Individual support to use a visual timetable and calm-down plan",
        "15 minutes at the start of each day",
        "for 1 year",
        "Key adult",
        "Trained in emotion coaching",
    ),
    (
        "Occupational therapy programme for fine motor skills",
        "3 sessions of 15 minutes each week",
        "for 2 terms",
        "Teaching assistant",
        "Programme written by an HCPC-registered occupational therapist",
    ),
    (
        "Social communication group (Lego therapy)",
        "1 session of 30 minutes each week",
        "for 1 year",
        "Teaching assistant",
        "Trained in Lego-based therapy",
    ),
    (
        "Use of a laptop with word prediction for extended writing",
        "daily in every lesson",
        "for 1 year",
        "Class teacher",
        "Qualified teacher",
    ),
    (
        "Pre-teaching of topic vocabulary before each new unit",
        "2 sessions of 20 minutes each week",
        "for 1 year",
        "Teaching assistant",
        "Level 3 teaching assistant",
    ),
    (
        "Movement breaks planned with the occupational therapist",
        "3 breaks of 5 minutes each day",
        "for 1 year",
        "Key adult",
        "Trained by an HCPC-registered occupational therapist",
    ),
    (
        "Small-group numeracy intervention using concrete apparatus",
        "3 sessions of 30 minutes each week",
        "for 2 terms",
        "Teaching assistant",
        "Trained in the numeracy programme",
    ),
    (
        "A social story read together before each change to the routine",
        "1 reading of 10 minutes before each planned change",
        "for 1 year",
        "Class teacher",
        "Qualified teacher",
    ),
    (
        "Speech and language programme practised in school",
        "3 sessions of 15 minutes each week",
        "for 1 year",
        "Teaching assistant",
        "Programme written by an HCPC-registered speech and language therapist",
    ),
    (
        "Sensory circuit at the start of the school day",
        "10 minutes each day",
        "for 1 year",
        "Teaching assistant",
        "Trained by an HCPC-registered occupational therapist",
    ),
    (
        "Touch-typing programme to build keyboard fluency",
        "4 sessions of 15 minutes each week",
        "for 2 terms",
        "Teaching assistant",
        "Level 2 teaching assistant",
    ),
    (
        "Emotional literacy support sessions (ELSA)",
        "1 session of 30 minutes each week",
        "for 1 term, then reviewed",
        "Emotional literacy support assistant",
        "ELSA trained and supervised by an educational psychologist",
    ),
    (
        "Adult-supported play at lunchtime with two chosen friends",
        "20 minutes on 3 days each week",
        "for 1 year",
        "Midday supervisor",
        "Trained by the school's SENCO",
    ),
    (
        "Home-school book recording the day's successes and worries",
        "written in each day by school and home",
        "for 1 year",
        "Key adult",
        "Qualified teacher",
    ),
]
#: Provision worded as audits find it too vague (Code of Practice 9.69), each different so a
#: plan given two such flaws still lists no line twice.
VAGUE_PROVISION = [
    "Opportunities for small group work",
    "Access to a quiet space when needed",
    "Regular check-ins with a trusted adult",
    "Support from a teaching assistant as required",
]


def example_sections(
    *,
    rng: random.Random | None = None,
    setting=None,
    setting_code: str = "",
    primary_need: str = "ASD",
    outcomes: int = 4,
    provision_lines: int = 8,
    flaws: int = 0,
    views: str = "",
    by_when: date | None = None,
) -> dict:
    rng = rng or random.Random(0)
    by_when = by_when or date(date.today().year + 1, 7, 31)
    # Each line of provision is a different one of PROVISION, up to as many as it holds: a
    # plan listing the same provision twice reads as a mistake. Only longer plans (tests of
    # page length) repeat them.
    sections = empty_sections()
    sections["A"]["text"] = views or (
        "I like drawing, dinosaurs and swimming. I want to have friends at school and to be a "
        "vet when I grow up. My parents want me to be happy and to learn to read."
    )
    sections["B"]["primary_need"] = primary_need
    needs = []
    for n, text in enumerate(NEEDS["B"][: max(1, min(outcomes, len(NEEDS["B"])))], start=1):
        needs.append({"id": f"b{n}", "text": text})
    sections["B"]["needs"] = needs
    sections["C"]["needs"] = [{"id": "c1", "text": NEEDS["C"][0]}] if outcomes > 6 else []
    need_ids = [n["id"] for n in needs] + [n["id"] for n in sections["C"]["needs"]]
    outcome_rows = []
    for n in range(1, outcomes + 1):
        outcome_rows.append(
            {
                "id": f"e{n}",
                "text": OUTCOMES[(n - 1) % len(OUTCOMES)],
                "needs": [need_ids[(n - 1) % len(need_ids)]],
                "by_when": by_when.isoformat(),
                "measured_by": "Observed by the class teacher on 4 of 5 occasions; reviewed termly",
            }
        )
    sections["E"]["outcomes"] = outcome_rows
    lines = []
    for n in range(1, provision_lines + 1):
        what, often, long, who, qual = PROVISION[(n - 1) % len(PROVISION)]
        lines.append(
            {
                "id": f"f{n}",
                "what": what,
                "how_often": often,
                "how_long": long,
                "by_whom": who,
                "qualification": qual,
                "outcomes": [f"e{(n - 1) % outcomes + 1}"],
            }
        )
    if sections["C"]["needs"]:
        sections["G"]["provision"] = [
            {
                "id": "g1",
                "what": "Epilepsy care plan reviewed and staff trained in giving rescue medication",
                "how_often": "once each term",
                "how_long": "for 1 year",
                "by_whom": "Epilepsy specialist nurse",
                "qualification": "Registered nurse",
                "outcomes": [outcome_rows[-1]["id"]],
            }
        ]
    sections["F"]["provision"] = lines
    # The defects audits find most often, for a realistic spread of quality scores.
    for _ in range(flaws):
        pick = rng.randrange(4)
        if pick == 0 and lines:
            rng.choice(lines)["how_often"] = "regular access to a quiet space as required"
        elif pick == 1 and lines:
            rng.choice(lines)["outcomes"] = []
        elif pick == 2 and outcome_rows:
            rng.choice(outcome_rows)["needs"] = []
        elif lines:
            line = rng.choice(lines)
            unused = [what for what in VAGUE_PROVISION if all(x["what"] != what for x in lines)]
            if unused:
                line["what"] = unused[0]
            else:
                line["how_often"] = "regular access to a quiet space as required"
    sections["I"] = {
        "setting_id": setting.pk if setting is not None else None,
        "setting_name": setting.name if setting is not None else "",
        "urn": (setting.urn or "") if setting is not None else "",
        "ukprn": (setting.ukprn or "") if setting is not None else "",
        "setting_code": setting_code,
        "setting_type": (setting.get_setting_type_display() if setting is not None else "") or "",
    }
    return sections
