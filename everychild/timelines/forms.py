import datetime as dt

from django import forms

from everychild.core.dates import DateField
from everychild.core.forms import GovukForm

DATE_HINT = "For example, 27/3/2026"


def date_field(label: str, *, required: bool = False) -> DateField:
    return DateField(
        label=label,
        help_text=DATE_HINT,
        required=required,
        error_messages={
            "required": f"Enter the date: {label[0].lower()}{label[1:].rstrip('?')}",
            "invalid": "Enter a real date, like 27/3/2026.",
        },
    )


class TimelineCalculatorForm(GovukForm):
    """What a family or adviser knows about a request. Only the first answer is needed."""

    DECISION_CHOICES = [
        ("", "Not yet"),
        ("assess", "Yes: the council will carry out an assessment"),
        ("not_assess", "Yes: the council will not carry out an assessment"),
    ]

    request_received = date_field(
        "When did the council receive the request for an EHC needs assessment?", required=True
    )
    decision = forms.ChoiceField(
        label="Has the council decided whether to assess?",
        choices=DECISION_CHOICES,
        required=False,
        widget=forms.RadioSelect,
    )
    decision_on = date_field("If it has decided, on what date? (optional)")
    draft_plan_served_on = date_field(
        "If you have been sent a draft plan, on what date? (optional)"
    )
    final_plan_issued_on = date_field("If the final plan has been issued, on what date? (optional)")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") and not cleaned.get("decision_on"):
            self.add_error("decision_on", "Enter the date the council told you its decision.")
        if cleaned.get("decision_on") and not cleaned.get("decision"):
            self.add_error("decision", "Say what the council decided.")
        for name in (
            "request_received",
            "decision_on",
            "draft_plan_served_on",
            "final_plan_issued_on",
        ):
            value = cleaned.get(name)
            if value and value > dt.date.today():
                self.add_error(name, "The date must be today or in the past.")
        return cleaned

    def facts(self, today: dt.date) -> dict:
        """The statutory engine's facts for these answers."""
        data = self.cleaned_data
        facts: dict = {
            "today": today.isoformat(),
            "request_received": data["request_received"].isoformat(),
        }
        if data.get("decision") and data.get("decision_on"):
            facts["decision"] = {"outcome": data["decision"], "on": data["decision_on"].isoformat()}
        for name in ("draft_plan_served_on", "final_plan_issued_on"):
            if data.get(name):
                facts[name] = data[name].isoformat()
        return facts


# Where the engine names a fact, the form field that holds it.
FACT_FIELDS = {
    "request_received": "request_received",
    "decision": "decision",
    "decision.on": "decision_on",
    "decision.outcome": "decision",
    "draft_plan_served_on": "draft_plan_served_on",
    "final_plan_issued_on": "final_plan_issued_on",
}
