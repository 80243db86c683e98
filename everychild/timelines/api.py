"""POST /api/v1/statutory/timeline: the statutory engine's contract over HTTP. It needs no
personal data (dates only), so no sign-in; it is rate-limited per address."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from everychild.access.policy import public
from everychild.statutory import FactsError, evaluate

# One call's work is bounded (issue 17): the body is read only up to MAX_BODY_BYTES, and no
# list of facts may hold more than MAX_ITEMS entries (a real case has a handful).
MAX_BODY_BYTES = 16 * 1024
MAX_ITEMS = 50


class BodyTooLarge(APIException):
    status_code = 413
    default_detail = f"Send at most {MAX_BODY_BYTES // 1024} KB of facts."
    default_code = "too_large"


def _too_many(value, path: str = "facts") -> str | None:
    """The first list of facts longer than MAX_ITEMS, by its field name, if there is one."""
    if isinstance(value, list):
        if len(value) > MAX_ITEMS:
            return path
        items = enumerate(value)
    elif isinstance(value, dict):
        items = value.items()
    else:
        return None
    for key, item in items:
        found = _too_many(item, f"{path}.{key}" if path != "facts" else str(key))
        if found:
            return found
    return None


class MilestoneSerializer(serializers.Serializer):
    key = serializers.CharField()
    rule = serializers.CharField()
    label = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    met_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(
        choices=["pending", "overdue", "met", "met_late", "exception_applies", "not_applicable"]
    )
    days_remaining = serializers.IntegerField(allow_null=True)
    regulation = serializers.CharField()
    exception = serializers.DictField(allow_null=True)


class TimelineSerializer(serializers.Serializer):
    rules_version = serializers.CharField()
    milestones = MilestoneSerializer(many=True)


@public
class StatutoryTimelineView(APIView):
    authentication_classes: list = []  # public: no session, so no CSRF token is needed
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "timeline"

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={200: TimelineSerializer},
        summary="The statutory timeline for a case's facts",
        description="Facts as in `python manage.py statutory_timeline`: `today` and, optionally, "
        "`request_received`, `decision`, `advice`, `setting_closures`, `draft_plan_served_on`, "
        "`consultations`, `final_plan_issued_on`, `exceptions`, review and Tribunal facts. "
        "A refused fact gives 400 with the field named.",
        examples=[
            OpenApiExample(
                "An assessment in progress",
                value={
                    "today": "2026-11-29",
                    "request_received": "2026-09-01",
                    "decision": {"outcome": "assess", "on": "2026-10-10"},
                },
                request_only=True,
            )
        ],
    )
    def post(self, request):
        # Refused before the body is read: the length the client declares, then what came.
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > MAX_BODY_BYTES or len(request.body) > MAX_BODY_BYTES:
            raise BodyTooLarge()
        if not isinstance(request.data, dict):
            raise ValidationError({"facts": "Send one JSON object of facts."})
        crowded = _too_many(request.data)
        if crowded:
            raise ValidationError({crowded: [f"Send at most {MAX_ITEMS} entries here."]})
        try:
            return Response(evaluate(dict(request.data)))
        except FactsError as error:
            raise ValidationError({error.field or "facts": [error.message]}) from None
