"""/api/v1/support-plans/: the same selector and access rules as the pages (a SENCO: their
setting's pupils, and, where the area allows, to read only, the part of a former pupil's plan
from their time; LA casework staff: their area's; a parent or young person: their own;
aggregate roles: none), every read audited."""

from __future__ import annotations

from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response

from everychild.access import audit
from everychild.access.api_errors import parse_id
from everychild.access.policy import Capability, requires
from everychild.support import selectors
from everychild.support.models import SupportCycle, SupportPlan
from everychild.support.policy import read_until, visible_support_plans
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
    # A setting the child has left reads the cycles as they stood when the child left.
    cycles = CycleSerializer(many=True, read_only=True, source="cycles_shown")
    read_until = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="Set when the caller reads this plan as a setting the child has left: "
        "the last day the child was with them; what was recorded later is left out, and the "
        "views and who is involved (rewritten over time) are empty.",
    )

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
            "read_until",
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
        until = read_until(request.user, page)
        for plan in page:
            selectors.as_of_leaving(plan, until.get(plan.pk))
            plan.cycles_shown = selectors.cycles_as_of(list(plan.cycles.all()), plan.read_until)
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
        plan.cycles_shown = selectors.cycles_of(plan)
        return Response(self.get_serializer(plan).data)
