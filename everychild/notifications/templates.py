"""Message templates: files in `message_templates/`, one per message, in the repository.

A file is `Subject: …`, a blank line, then the body, with GOV.UK Notify-style ((fields)).
Text messages have no subject line. The fields a template may use are a closed list
that cannot carry a child's name or personal details: e-mail and text are not secure, so a
message says only that something has happened and gives a sign-in link and a reference
(ARCHITECTURE.md principle 3; UK GDPR Art. 5(1)(f))."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent / "message_templates"

# What a message may contain besides its fixed wording. Add here only values that identify
# no one: dates, counts, the service's own references and links.
ALLOWED_FIELDS = frozenset(
    {
        "reference",  # the service's case or request reference, e.g. "EHC-2026-00123"
        "sign_in_link",
        "link",
        "date",
        "due_date",
        "last_date",
        "days",
        "count",
        "code",  # a one-time sign-in code
        "service_name",
        "organisation",  # the council, a school or an agency: never a person
    }
)

FIELD = re.compile(r"\(\(([^()]+)\)\)")


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class MessageTemplate:
    name: str
    subject: str
    body: str

    @property
    def fields(self) -> set[str]:
        return set(FIELD.findall(self.subject)) | set(FIELD.findall(self.body))

    def render(self, personalisation: dict[str, str]) -> tuple[str, str]:
        given = set(personalisation)
        unknown = given - ALLOWED_FIELDS
        if unknown:
            raise TemplateError(
                f"Messages may not carry {', '.join(sorted(unknown))}: only "
                f"{', '.join(sorted(ALLOWED_FIELDS))} (no personal details in messages)."
            )
        missing = self.fields - given
        if missing:
            raise TemplateError(
                f"Template {self.name!r} needs {', '.join(sorted(missing))}, which were not given."
            )

        def fill(text: str) -> str:
            return FIELD.sub(lambda m: str(personalisation[m.group(1)]), text)

        return fill(self.subject), fill(self.body)


def parse(name: str, text: str) -> MessageTemplate:
    subject = ""
    if text.startswith("Subject:"):
        first, _, rest = text.partition("\n")
        subject = first.removeprefix("Subject:").strip()
        if rest.startswith("\n"):
            rest = rest[1:]
        else:
            raise TemplateError(f"Template {name!r}: a blank line must follow the subject.")
        text = rest
    template = MessageTemplate(name=name, subject=subject, body=text.strip() + "\n")
    outside = template.fields - ALLOWED_FIELDS
    if outside:
        raise TemplateError(
            f"Template {name!r} uses ((…)) fields outside the allowed list: "
            f"{', '.join(sorted(outside))}."
        )
    if not template.body.strip():
        raise TemplateError(f"Template {name!r} has no body.")
    return template


@cache
def get_template(name: str) -> MessageTemplate:
    if not re.fullmatch(r"[a-z0-9_-]+", name):
        raise TemplateError(f"{name!r} is not a template name.")
    path = TEMPLATE_DIR / f"{name}.txt"
    if not path.is_file():
        raise TemplateError(f"There is no message template {name!r} in {TEMPLATE_DIR}.")
    return parse(name, path.read_text(encoding="utf-8"))


def all_templates() -> list[MessageTemplate]:
    return [get_template(p.stem) for p in sorted(TEMPLATE_DIR.glob("*.txt"))]
