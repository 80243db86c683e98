"""/api/v1/plans/ (with their versions and sections, and each version's PDF) and
/api/v1/reviews/: the same selectors and access policy as the pages, every read audited."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from everychild.access import audit
from everychild.access.api_errors import parse_id
from everychild.access.models import AuditAction
from everychild.access.policy import Capability, requires
from everychild.plans import documents, selectors, services
from everychild.plans.models import AnnualReview, EHCPlan, PlanVersion
from everychild.plans.policy import visible_plans, visible_reviewable_plans
from everychild.plans.sections import SECTION_KEYS, SECTION_TITLES, normalised


class VersionSerializer(serializers.ModelSerializer):
    status = serializers.CharField()
    sections = serializers.SerializerMethodField()
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = PlanVersion
        fields = [
            "number",
            "status",
            "reason",
            "issued_on",
            "quality_score",
            "quality",
            "sections",
            "pdf",
        ]

    def get_sections(self, version) -> list[dict]:
        sections = normalised(version.sections)
        return [
            {"key": key, "title": SECTION_TITLES[key], "content": sections[key]}
            for key in SECTION_KEYS
        ]

    def get_pdf(self, version) -> str:
        plan_id = self.context["plan_id"]
        return f"/api/v1/plans/{plan_id}/versions/{version.number}/pdf"


class PlanSerializer(serializers.ModelSerializer):
    child = serializers.IntegerField(source="child_id")
    setting = serializers.IntegerField(source="setting_id", allow_null=True)
    next_review_due = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()

    class Meta:
        model = EHCPlan
        fields = [
            "id",
            "child",
            "issued_on",
            "primary_need",
            "secondary_need",
            "setting",
            "setting_code",
            "last_review_meeting_on",
            "next_review_due",
            "ceased_on",
            "cease_reason",
            "versions",
        ]

    def get_next_review_due(self, plan) -> str | None:
        if plan.ceased_on is not None:
            return None
        return services.next_review_due(plan).isoformat()

    def get_versions(self, plan) -> list[dict]:
        versions = self.context.get("versions", {}).get(plan.pk)
        if versions is None:
            return []
        return [
            {
                "number": v.number,
                "status": v.status,
                "reason": v.reason,
                "issued_on": v.issued_on,
                "quality_score": v.quality_score,
                "url": f"/api/v1/plans/{plan.pk}/versions/{v.number}/",
            }
            for v in versions
        ]


class ReviewSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan_id")
    dates = serializers.SerializerMethodField()

    class Meta:
        model = AnnualReview
        fields = [
            "id",
            "plan",
            "due_on",
            "invitations_sent_on",
            "advice_circulated_on",
            "meeting_on",
            "recommendation",
            "report_sent_on",
            "decision",
            "decision_on",
            "amendments_sent_on",
            "decision_not_to_amend_on",
            "dates",
        ]

    def get_dates(self, review) -> dict:
        """Due dates from the statutory engine (regs 20-22)."""
        clock = selectors.review_clock(review, review.plan.area)
        found = {}
        if "meeting" in clock:
            m = clock["meeting"]
            found.update(
                invitations_by=m.invitations_by,
                advice_by=m.advice_by,
                report_by=m.report_by,
                decision_by=m.decision_by,
            )
        if "amendments" in clock:
            a = clock["amendments"]
            found["comments_close"] = a.comments_close
            if review.decision_not_to_amend_on is None:
                # reg 22(4): once the LA decided not to amend, no amended plan is due.
                found["amended_plan_by"] = a.amended_plan_by
        return {k: v.isoformat() for k, v in found.items()}


def _versions_by_plan(plans) -> dict[int, list[PlanVersion]]:
    found: dict[int, list[PlanVersion]] = {}
    for version in (
        PlanVersion.objects.filter(document__plan__in=plans)
        .select_related("document")
        .order_by("number")
    ):
        found.setdefault(version.document.plan_id, []).append(version)
    return found


def _audit(request, plans) -> None:
    audit.record_many(
        audit.AuditEvent(
            action=AuditAction.VIEW,
            actor=request.user,
            child_id=plan.child_id,
            record_type="plans.EHCPlan",
            record_id=str(plan.pk),
            ip_address=audit.client_address(request),
        )
        for plan in plans
    )


@requires(Capability.CASEWORK)
class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """EHC plans the caller may see, with their versions; each version with sections A-K."""

    serializer_class = PlanSerializer

    def get_queryset(self):
        return (
            visible_plans(self.request.user)
            .select_related("child", "area", "transfer_in")
            .order_by("pk")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        _audit(request, page)
        context = {**self.get_serializer_context(), "versions": _versions_by_plan(page)}
        return self.get_paginated_response(PlanSerializer(page, many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        plan = self._plan(request, kwargs["pk"])
        context = {**self.get_serializer_context(), "versions": _versions_by_plan([plan])}
        return Response(PlanSerializer(plan, context=context).data)

    def _plan(self, request, pk) -> EHCPlan:
        try:
            return selectors.plan_for_viewing(request.user, pk, request=request)
        except EHCPlan.DoesNotExist:
            raise exceptions.NotFound() from None

    def _version(self, request, pk, number) -> PlanVersion:
        try:
            return selectors.version_for_viewing(request.user, pk, number, request=request)
        except (EHCPlan.DoesNotExist, PlanVersion.DoesNotExist, ValueError):
            raise exceptions.NotFound() from None

    @extend_schema(responses=VersionSerializer(many=True))
    # Every version, unpaginated (a plan has a handful): the schema must not promise a page.
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request, pk=None):
        plan = self._plan(request, pk)
        versions = selectors.versions_of(plan)
        return Response(VersionSerializer(versions, many=True, context={"plan_id": plan.pk}).data)

    @extend_schema(responses=VersionSerializer)
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>\d+)")
    def version(self, request, pk=None, number=None):
        version = self._version(request, pk, int(number))
        return Response(VersionSerializer(version, context={"plan_id": int(pk)}).data)

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"], url_path=r"versions/(?P<number>\d+)/sections")
    def sections(self, request, pk=None, number=None):
        version = self._version(request, pk, int(number))
        data = VersionSerializer(version, context={"plan_id": int(pk)}).data
        return Response({"number": version.number, "sections": data["sections"]})

    # Routed in api_urls at /api/v1/plans/<id>/versions/<n>/pdf (no trailing slash).
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def pdf(self, request, pk=None, number=None):
        version = self._version(request, pk, int(number))
        audit.record(
            action=AuditAction.DOWNLOAD,
            actor=request.user,
            child=version.document.child_id,
            record=version,
            request=request,
        )
        return HttpResponse(documents.pdf_bytes(version), content_type="application/pdf")


@requires(Capability.PLAN_REVIEWS)
class ReviewViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Annual reviews of the plans the caller may review (LA staff; a SENCO for their pupils),
    with their due dates from the statutory engine."""

    serializer_class = ReviewSerializer

    def get_queryset(self):
        return (
            AnnualReview.objects.filter(plan__in=visible_reviewable_plans(self.request.user))
            .select_related("plan", "plan__area", "amended_version")
            .order_by("-due_on", "-pk")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        _audit(request, [r.plan for r in page])
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        pk = parse_id(kwargs["pk"])
        review = self.get_queryset().filter(pk=pk).first() if pk else None
        if review is None:
            raise exceptions.NotFound()
        _audit(request, [review.plan])
        return Response(self.get_serializer(review).data)
