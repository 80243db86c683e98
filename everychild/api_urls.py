"""/api/v1/: every endpoint applies the access policy (everychild.access.api.PolicyPermission)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from everychild.advice.api import ForecastView as AdviceForecastView
from everychild.advice.api import QueueItemView, QueueView
from everychild.casework.api import (
    AdviceRequestViewSet,
    AssessmentViewSet,
    CaseEventViewSet,
    RequestViewSet,
    TasksView,
)
from everychild.children.api import ChildViewSet
from everychild.finance.api import ForecastJobView, ForecastView, ScenarioViewSet
from everychild.performance.api import BenchmarksView, MeasureDetailView, MeasureListView
from everychild.plans.api import PlanViewSet, ReviewViewSet
from everychild.support.api import SupportPlanViewSet
from everychild.timelines.api import StatutoryTimelineView

router = SimpleRouter(trailing_slash=True)
router.register("children", ChildViewSet, basename="child")
router.register("requests", RequestViewSet, basename="request")
router.register("assessments", AssessmentViewSet, basename="assessment")
router.register("advice-requests", AdviceRequestViewSet, basename="advice-request")
router.register("case-events", CaseEventViewSet, basename="case-event")
router.register("finance/scenarios", ScenarioViewSet, basename="finance-scenario")
router.register("plans", PlanViewSet, basename="plan")
router.register("reviews", ReviewViewSet, basename="review")
router.register("support-plans", SupportPlanViewSet, basename="support-plan")

urlpatterns = [
    path("statutory/timeline", StatutoryTimelineView.as_view(), name="api-timeline"),
    path("finance/forecast", ForecastView.as_view(), name="api-finance-forecast"),
    path(
        "finance/forecast-jobs/<int:run_id>",
        ForecastJobView.as_view(),
        name="api-finance-forecast-job",
    ),
    path("benchmarks/", BenchmarksView.as_view(), name="api-benchmarks"),
    path("measures/", MeasureListView.as_view(), name="api-measures"),
    path("measures/<slug:measure_id>/", MeasureDetailView.as_view(), name="api-measure"),
    path("advice/queue/", QueueView.as_view(), name="api-advice-queue"),
    path("advice/queue/<int:pk>/", QueueItemView.as_view(), name="api-advice-queue-item"),
    path("advice/forecast", AdviceForecastView.as_view(), name="api-advice-forecast"),
    # The address the plans issue names, without the router's trailing slash.
    path(
        "plans/<int:pk>/versions/<int:number>/pdf",
        PlanViewSet.as_view({"get": "pdf"}),
        name="api-plan-version-pdf",
    ),
    path("tasks/", TasksView.as_view(), name="api-tasks"),
    *router.urls,
]
