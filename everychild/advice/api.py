"""/api/v1/advice/: the agency's own queue (list and one request) and the waiting list's
forecast. The same selectors as the pages; a request of another agency is 404."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from everychild.access.api_errors import parse_id
from everychild.access.paging import Paging
from everychild.access.policy import Capability, requires
from everychild.advice import selectors
from everychild.advice.models import Scenario
from everychild.casework.models import AdviceRequest


class QueueRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="advice.pk")
    kind = serializers.CharField(source="advice.kind")
    case_reference = serializers.CharField(source="advice.assessment_request.reference")
    child_name = serializers.SerializerMethodField()
    received_by_body_on = serializers.DateField(source="advice.received_by_body_on")
    due = serializers.DateField(allow_null=True)
    days_remaining = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    clock_status = serializers.CharField()
    assigned_to = serializers.CharField(source="advice.assigned_to.full_name", default=None)
    priority_rules = serializers.SerializerMethodField()

    def get_child_name(self, row) -> str | None:
        # Only while the advice is awaited: access to the child ends on submission.
        if row.advice.provided_on or row.advice.cancelled_on:
            return None
        return row.advice.assessment_request.child.full_name

    def get_priority_rules(self, row) -> list[str]:
        return [rule.name for rule in row.rules]


@requires(Capability.GIVE_ADVICE)
class QueueView(APIView):
    @extend_schema(
        operation_id="v1_advice_queue_list",
        parameters=[
            OpenApiParameter("show", str, description="open, unallocated, mine, submitted, all"),
            OpenApiParameter("sort", str, description="due, received, child"),
            OpenApiParameter("limit", int, description="Rows on a page (at most 100)"),
            OpenApiParameter("offset", int, description="Rows to skip"),
        ],
        responses=inline_serializer(
            "AdviceQueue",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": QueueRowSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        show = request.query_params.get("show", "open")
        sort = request.query_params.get("sort", "due")
        if show not in {"open", "unallocated", "mine", "submitted", "all"}:
            raise exceptions.ValidationError(
                {
                    "show": [
                        exceptions.ErrorDetail(
                            "Choose open, unallocated, mine, submitted or all.", "invalid"
                        )
                    ]
                }
            )
        rows = selectors.queue(request.user, show=show, sort=sort)
        # Paged like every list (issue 17), and only the page shown is audited as seen.
        paging = Paging()
        page = paging.paginate_queryset(rows, request, view=self)
        selectors.audit_listed(request.user, page, request=request)
        return paging.get_paginated_response(QueueRowSerializer(page, many=True).data)


@requires(Capability.GIVE_ADVICE)
class QueueItemView(APIView):
    @extend_schema(responses=QueueRowSerializer)
    def get(self, request, pk):
        try:
            row = selectors.advice_for_agency(request.user, pk, request=request)
        except AdviceRequest.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(QueueRowSerializer(row).data)


def _forecast_json(view) -> dict:
    if view.result is None:
        return {"error": view.error}
    return {
        "clears_on": view.clears_on,
        "clears_between": [view.clears_early_on, view.clears_late_on],
        "does_not_clear": view.clears_on is None,
        "runs": view.result.runs,
        "seed": view.result.seed,
        "arrivals_per_week": round(view.result.arrival_rate, 2),
        "weeks": [
            {
                "week_ending": row["ending"],
                "capacity": row["capacity"],
                "backlog_central": round(row["central"], 1),
                "backlog_p10": round(row["low"], 1),
                "backlog_p90": round(row["high"], 1),
                "waiting_list": round(row["waiting"], 1),
            }
            for row in view.rows()
        ],
    }


@requires(Capability.MANAGE_ADVICE)
class ForecastView(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("scenario", int, description="a saved scenario's id"),
            OpenApiParameter("clear_by", dt.date, description="goal-seek: clear by this date"),
        ],
        responses=dict,
    )
    def get(self, request):
        service = selectors.managed_service(request.user)
        if service is None:
            raise exceptions.PermissionDenied("You manage no advice service.")
        scenario = None
        if "scenario" in request.query_params:
            raw = request.query_params["scenario"]
            scenario_id = parse_id(raw)
            scenario = (
                Scenario.objects.filter(organisation=service, pk=scenario_id).first()
                if scenario_id
                else None
            )
            if scenario is None:
                raise exceptions.ValidationError(
                    {
                        "scenario": [
                            exceptions.ErrorDetail("No scenario of yours has this id.", "not_found")
                        ]
                    }
                )
        view = selectors.forecast(service, scenario=scenario)
        data = {"service": service.name, "scenario": scenario.name if scenario else None}
        data.update(_forecast_json(view))
        if "clear_by" in request.query_params and view.result is not None:
            try:
                by = dt.date.fromisoformat(request.query_params["clear_by"])
            except ValueError:
                raise exceptions.ValidationError(
                    {"clear_by": [exceptions.ErrorDetail("Give a date as YYYY-MM-DD.", "invalid")]}
                ) from None
            last = view.first_week + dt.timedelta(weeks=52) - dt.timedelta(days=1)
            if not view.first_week < by <= last:
                raise exceptions.ValidationError(
                    {
                        "clear_by": [
                            exceptions.ErrorDetail(
                                "Choose a date within the forecast's 52 weeks.", "out_of_range"
                            )
                        ]
                    }
                )
            goal = selectors.goal_seek(service, by=by)
            data["goal_seek"] = {"clear_by": by, "extra_per_week": goal.get("extra")}
        data["backtest"] = {
            k: v for k, v in selectors.backtest(service).items() if k in ("ok", "mae", "message")
        }
        return Response(data)
