"""/api/v1/support-plans/: the same selector and access rules as the pages (a SENCO: their
setting's pupils; LA casework staff: their area's; a parent or young person: their own;
aggregate roles: none), every read audited."""

from __future__ import annotations

from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response

from everychild.access import audit
from everychild.access.api_errors import parse_id
from everychild.access.policy import Capability, requires
from everychild.support import selectors
from everychild.support.models import SupportCycle, SupportPlan
from everychild.support.policy import visible_support_plans
from everychild.support.thread import normalised


class CycleSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportCycle
        fields = [
            "number",
            "started_on",
            "assessed",
            "planned",
            "done",
            "review_due",
            "reviewed_on",
            "review_results",
            "review_summary",
        ]


class SupportPlanSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id")
    started_by_setting = serializers.IntegerField(source="started_by_setting_id")
    needs = serializers.SerializerMethodField()
    outcomes = serializers.SerializerMethodField()
    provision = serializers.SerializerMethodField()
    cycles = CycleSerializer(many=True, read_only=True)

    class Meta:
        model = SupportPlan
        fields = [
            "id",
            "child",
            "started_by_setting",
            "started_on",
            "ended_on",
            "primary_need",
            "secondary_need",
            "child_views",
            "family_views",
            "outside_involvement",
            "needs",
            "outcomes",
            "provision",
            "cycles",
            "version",
        ]

    def get_needs(self, plan) -> list[dict]:
        return normalised(plan.thread)["needs"]

    def get_outcomes(self, plan) -> list[dict]:
        return normalised(plan.thread)["outcomes"]

    def get_provision(self, plan) -> list[dict]:
        return normalised(plan.thread)["provision"]


@requires(Capability.SEE_CHILDREN)
class SupportPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Support plans (SEN support) the caller may see, with their assess-plan-do-review
    cycles."""

    serializer_class = SupportPlanSerializer

    def get_queryset(self):
        return visible_support_plans(self.request.user).prefetch_related("cycles").order_by("pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        audit.record_shown(
            request.user,
            [(plan.child_id, "support.SupportPlan", str(plan.pk)) for plan in page],
            request=request,
        )
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        pk = parse_id(kwargs["pk"])
        try:
            plan = selectors.plan_for_viewing(request.user, pk, request=request) if pk else None
        except SupportPlan.DoesNotExist:
            plan = None
        if plan is None:
            raise exceptions.NotFound()
        return Response(self.get_serializer(plan).data)
