"""/api/v1/finance/: scenarios (list, one, make) and a scenario's forecast (central line and
10th/50th/90th percentile bands). Finance officers and senior leaders only; aggregates only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from everychild.access.api_errors import from_django_validation_error
from everychild.access.policy import Capability, requires, work_area
from everychild.core.models import JobRun
from everychild.finance import selectors, services
from everychild.finance.forecast.levers import LEVER_KINDS
from everychild.finance.models import PlacementType, Scenario, ScenarioLever


def _area(request):
    area = work_area(request.user, Capability.FINANCE, local_authority=True)
    if area is None:
        raise PermissionDenied("Your role gives you no area's finances to look after.")
    return area


class LeverSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=[(k, v.label) for k, v in LEVER_KINDS.items()])
    value = serializers.DecimalField(max_digits=10, decimal_places=2)
    placement_type = serializers.ChoiceField(
        choices=PlacementType.choices, required=False, allow_blank=True, default=""
    )
    source_type = serializers.ChoiceField(
        choices=PlacementType.choices, required=False, allow_blank=True, default=""
    )
    description = serializers.CharField(source="describe", read_only=True)

    class Meta:
        model = ScenarioLever
        fields = [
            "kind",
            "value",
            "starts_on",
            "ends_on",
            "placement_type",
            "source_type",
            "age_from",
            "description",
        ]


class ScenarioSerializer(serializers.ModelSerializer):
    levers = LeverSerializer(many=True, required=False, default=list)
    latest_forecast_on = serializers.SerializerMethodField()

    class Meta:
        model = Scenario
        fields = [
            "id",
            "name",
            "description",
            "is_baseline",
            "created_at",
            "levers",
            "latest_forecast_on",
        ]
        read_only_fields = ["id", "is_baseline", "created_at", "latest_forecast_on"]
        # Uniqueness and ranges are the service's rules (one message, one place).
        validators = []

    def get_latest_forecast_on(self, scenario) -> str | None:
        run = selectors.latest_run(scenario)
        return run.as_of.isoformat() if run else None


@requires(Capability.FINANCE)
class ScenarioViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Scenarios of the caller's area. Making one starts its forecast in the background and
    answers 202 with the job to follow (`forecast.job`)."""

    serializer_class = ScenarioSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # describing the API, not answering
            return Scenario.objects.none()
        return selectors.scenarios(_area(self.request))

    @extend_schema(responses={202: dict})
    def create(self, request, *args, **kwargs):
        area = _area(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            scenario = services.create_scenario(
                actor=request.user,
                area=area,
                name=data["name"],
                description=data.get("description", ""),
                levers=[dict(lever) for lever in data.get("levers", [])],
                request=request,
            )
        except DjangoValidationError as error:
            raise from_django_validation_error(error) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        # Saved either way; the forecast is made in the background (it can take longer than a
        # request may, issue 21): the answer says where to follow it.
        run, _started = services.request_forecast(actor=request.user, scenario=scenario, new=True)
        body = self.get_serializer(scenario).data | {"forecast": _job_body(request, run)}
        return Response(
            body, status=status.HTTP_202_ACCEPTED, headers={"Location": _job_url(request, run)}
        )

    @extend_schema(request=None, responses={202: dict})
    @action(detail=True, methods=["post"])
    def forecast(self, request, pk=None):
        """Forecast the scenario again from today's records, in the background. While a
        forecast of it is waiting or running, asking again gives that one (no second run)."""
        scenario = self.get_object()
        try:
            run, started = services.request_forecast(actor=request.user, scenario=scenario)
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        return Response(
            _job_body(request, run) | {"started": started},
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": _job_url(request, run)},
        )


def _job_url(request, run: JobRun) -> str:
    return request.build_absolute_uri(reverse("api-finance-forecast-job", args=[run.pk]))


def _job_body(request, run: JobRun) -> dict:
    """A forecast job as the API shows it: how far it has got, who asked and when, and once
    finished where the forecast is (or why the records could not support one)."""
    found = run.result or {}
    body = {
        "job": _job_url(request, run),
        "status": run.status,
        "progress": run.progress,
        "step": run.step,
        "scenario": run.params.get("scenario"),
        "requested_by": run.requested_by.email if run.requested_by else None,
        "requested_at": run.requested_at.isoformat(),
        "started_at": run.started_at.isoformat() if run.started_at else None,
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "forecast": None,
        "problem": found.get("problem", "") or run.error,
    }
    if run.status == JobRun.Status.DONE and "forecast_run" in found:
        body["forecast"] = request.build_absolute_uri(
            reverse("api-finance-forecast") + f"?scenario={run.params['scenario']}"
        )
    return body


@requires(Capability.FINANCE)
class ForecastJobView(APIView):
    """A forecast being made in the background (started by making a scenario, or by a
    scenario's `forecast` action): waiting, running (per cent done), finished (with the
    forecast's URL) or could not finish (with why). Runs of the caller's area only."""

    @extend_schema(responses={200: dict})
    def get(self, request, run_id: int):
        area = _area(request)
        run = (
            JobRun.objects.select_related("requested_by")
            .filter(pk=run_id, kind=services.FORECAST_JOB, scope=f"area:{area.pk}")
            .first()
        )
        if run is None:
            raise NotFound("No such forecast job.")
        return Response(_job_body(request, run))


def _band(bands: dict) -> dict:
    return {"p10": bands["p10"], "p50": bands["p50"], "p90": bands["p90"]}


@requires(Capability.FINANCE)
class ForecastView(APIView):
    """The latest forecast of a scenario (the central forecast unless `scenario` is given):
    plan counts at each January census and money by financial year, each as the central line
    and the 10th, 50th and 90th percentiles of the simulated futures."""

    @extend_schema(
        parameters=[
            OpenApiParameter("scenario", int, description="a scenario's id (default: central)")
        ],
        responses={200: dict},
    )
    def get(self, request):
        area = _area(request)
        scenario_id = request.query_params.get("scenario")
        scenarios = Scenario.objects.filter(area=area)
        if scenario_id:
            try:
                scenario = scenarios.get(pk=int(scenario_id))
            except (Scenario.DoesNotExist, ValueError):
                raise NotFound("No such scenario.") from None
        else:
            scenario = scenarios.filter(is_baseline=True).first()
            if scenario is None:
                raise NotFound("There is no central forecast yet.")
        run = selectors.latest_run(scenario)
        if run is None:
            raise NotFound("This scenario has not been forecast yet.")
        result = run.result
        money = result["money"]
        return Response(
            {
                "scenario": {"id": scenario.pk, "name": scenario.name},
                "as_of": run.as_of.isoformat(),
                "computed_at": run.computed_at.isoformat(),
                "runs": run.runs,
                "seed": run.seed,
                "levers": result["levers"],
                "plans": {
                    "census": [
                        {
                            "january": y["year"] + 1,
                            "academic_year": y["label"],
                            "recorded": y["observed"],
                        }
                        for y in result["academic_years"]
                    ],
                    "central": result["counts"]["central"]["total"],
                    **_band(result["counts"]["bands"]["total"]),
                    "by_placement": result["counts"]["central"]["by_placement"],
                },
                "money": {
                    "financial_years": [y["label"] for y in result["financial_years"]],
                    "income": money["central"]["income"],
                    "spend": {
                        "central": money["central"]["spend"],
                        **_band(money["bands"]["spend"]),
                    },
                    "in_year_deficit": {
                        "central": money["central"]["in_year_deficit"],
                        **_band(money["bands"]["in_year_deficit"]),
                    },
                    "cumulative_deficit": None
                    if money["central"]["cumulative_deficit"] is None
                    else {
                        "central": money["central"]["cumulative_deficit"],
                        **_band(money["bands"]["cumulative_deficit"]),
                    },
                    # The deficit above counts every DfE payment due; this one leaves out
                    # those the monitoring puts at risk (None for a forecast made before).
                    "safety_valve_expected": money["central"]["safety_valve"],
                    "safety_valve_at_risk": money["central"].get("safety_valve_at_risk"),
                    "cumulative_deficit_without_payments_at_risk": money["central"].get(
                        "cumulative_without_at_risk"
                    ),
                },
                "payments_at_risk": result.get("payments_at_risk"),
                "statutory_override": result["statutory_override"],
                "backtest": result["backtest"],
                "warnings": result["warnings"],
            }
        )
