"""/api/v1/benchmarks/ and /api/v1/measures/: the same figures as the pages, for the roles
that may see aggregates (SEE_AGGREGATES), with the same small-number rule."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ErrorDetail, NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from everychild.access.policy import Capability, requires, work_area
from everychild.core.dates import today
from everychild.improvement import selectors as improvement
from everychild.performance import benchmarking, measures, selectors
from everychild.performance.forms import FilterForm
from everychild.performance.suppression import WITHHELD

LA_CODE_SHAPE = "E06000058"


def _area(request):
    area = work_area(request.user)
    if area is None:
        raise PermissionDenied("Your account is not linked to a local area.")
    return area


def _point(point) -> dict:
    return {
        "period": point.key,
        "label": point.label,
        "value": point.value,
        "flag": point.flag,
        "derived": point.derived,
        "withheld": point.withheld,
    }


@requires(Capability.SEE_AGGREGATES)
class BenchmarksView(APIView):
    @extend_schema(
        operation_id="benchmarks",
        summary="DfE's published EHC plan statistics for a local authority, beside England, "
        "its region and its statistical neighbours",
        parameters=[
            OpenApiParameter(
                "la",
                OpenApiTypes.STR,
                description="The new LA code (e.g. E06000058); your own area if left out. Your "
                "own area's series include EveryChild's live figures for the years DfE has not "
                "published.",
            )
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        area = _area(request)
        la_code = (request.query_params.get("la") or area.la_code).strip().upper()
        if len(la_code) != 9 or not la_code[0].isalpha() or not la_code[1:].isdigit():
            raise ValidationError(
                {"la": f"An LA code is a letter and 8 digits, like {LA_CODE_SHAPE}."}
            )
        live, suppress = None, True
        if la_code == area.la_code:
            live = selectors.load(area)
            suppress = selectors.suppressed_for(request.user, area, measures.get("plans_issued"))
        try:
            result = benchmarking.benchmarks(la_code, live_data=live, suppress=suppress)
        except benchmarking.UnknownLocalAuthority:
            raise NotFound(f"DfE publishes no figures for the LA code {la_code}.") from None
        return Response(
            {
                "la_code": result.la_code,
                "la_name": result.la_name,
                "region": {"code": result.region_code, "name": result.region_name},
                "statistical_neighbours": [
                    {"code": code, "name": name} for code, name in result.neighbours
                ],
                "release": (
                    {
                        "reporting_year": result.release.reporting_year,
                        "title": result.release.title,
                        "loaded_at": result.release.loaded_at,
                    }
                    if result.release
                    else None
                ),
                "indicators": [
                    {
                        "id": item.indicator.id,
                        "title": item.indicator.title,
                        "unit": item.indicator.unit,
                        "dfe_file": f"{item.indicator.dataset}.csv",
                        "dfe_columns": list(item.indicator.columns),
                        "series": [
                            {
                                "geography": s.role,
                                "code": s.code,
                                "name": s.name,
                                "values": [_point(p) for p in s.points],
                            }
                            for s in item.series
                        ],
                        "live": [_point(p) for p in item.live],
                        "live_note": item.indicator.live_note,
                    }
                    for item in result.indicators
                ],
            }
        )


def _figure_json(view) -> dict:
    return {
        "value": view.seen.value,
        "withheld": view.seen.withheld,
        "numerator": view.seen.numerator,
        "denominator": view.seen.denominator,
        "target": view.target,
        "rag": view.rag or None,
        "breakdown": {row["key"]: row["count"] for row in view.breakdown} or None,
    }


def _definition(measure) -> dict:
    d = measure.definition
    return {
        "numerator": d.numerator,
        "denominator": d.denominator,
        "period": d.period,
        "exclusions": d.exclusions,
        "dfe": d.dfe,
    }


FILTER_PARAMETERS = [
    OpenApiParameter(
        "period",
        OpenApiTypes.STR,
        description="last-3-months, last-12-months "
        "(default), this-year, or a calendar year such as 2024",
    ),
    OpenApiParameter("caseworker", OpenApiTypes.INT),
    OpenApiParameter("setting", OpenApiTypes.INT),
    OpenApiParameter("need", OpenApiTypes.STR, description="SEN2 primary need code, e.g. ASD"),
    OpenApiParameter("age", OpenApiTypes.STR, description="under-5, 5-10, 11-15, 16-19, 20-25"),
]


def _filter_form(request, area):
    form = FilterForm(request.query_params or None, area=area, today=today())
    if request.query_params and not form.is_valid():
        raise ValidationError(
            {
                field: [ErrorDetail(e["message"], code=e["code"] or "invalid") for e in errors]
                for field, errors in form.errors.get_json_data().items()
            }
        )
    return form


@requires(Capability.SEE_AGGREGATES)
class MeasureListView(APIView):
    @extend_schema(
        operation_id="measures_list",
        summary="Every measure's figure for a period, with its definition",
        parameters=FILTER_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        area = _area(request)
        form = _filter_form(request, area)
        period = form.chosen_period()
        data = selectors.load(area, form.filters())
        targets = improvement.trajectories(area)
        out = []
        for measure in measures.MEASURES.values():
            view = selectors.measure_view(
                measure,
                data,
                period,
                suppress=selectors.suppressed_for(request.user, area, measure),
                trend="weekly",
                trajectory=targets.get(measure.id),
                with_chart=False,
            )
            out.append(
                {
                    "id": measure.id,
                    "title": measure.title,
                    "unit": measure.unit,
                    "definition": _definition(measure),
                    **_figure_json(view),
                }
            )
        return Response(
            {
                "area": area.la_code,
                "period": {"from": period.start, "to": period.end, "label": period.name},
                "measures": out,
            }
        )


@requires(Capability.SEE_AGGREGATES)
class MeasureDetailView(APIView):
    @extend_schema(
        operation_id="measure_detail",
        summary="One measure: its definition, its figure for a period and its trend",
        parameters=[
            *FILTER_PARAMETERS,
            OpenApiParameter("trend", OpenApiTypes.STR, description="monthly (default) or weekly"),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, measure_id: str):
        area = _area(request)
        try:
            measure = measures.get(measure_id)
        except KeyError:
            raise NotFound(f"There is no measure {measure_id!r}.") from None
        form = _filter_form(request, area)
        data = selectors.load(area, form.filters())
        view = selectors.measure_view(
            measure,
            data,
            form.chosen_period(),
            suppress=selectors.suppressed_for(request.user, area, measure),
            trend=form.chosen_trend(),
            trajectory=improvement.trajectory(area, measure.id),
            with_chart=False,
        )
        return Response(
            {
                "id": measure.id,
                "title": measure.title,
                "unit": measure.unit,
                "definition": _definition(measure),
                "period": {
                    "from": view.period.start,
                    "to": view.period.end,
                    "label": view.period.name,
                },
                **_figure_json(view),
                "trend": [
                    {
                        "label": row.label,
                        "from": row.start,
                        "to": row.end,
                        "value": row.value,
                        "withheld": row.text == WITHHELD,
                        "target": row.target,
                    }
                    for row in view.trend
                ],
            }
        )
