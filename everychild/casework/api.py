"""/api/v1/requests/, /api/v1/assessments/, /api/v1/advice-requests/, /api/v1/case-events/.

The same selectors and services as the pages: serializers only shape data (no rules live
here). Every change carries the case `version` it was read at; a stale one gets 409 with
{"errors": [{"field": "version", "code": "case_changed", ...}]}. Refusals are structured
validation errors (400) naming the field; a case the caller may not see is 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from everychild.access.api_errors import (
    LARGEST_ID,
    from_django_validation_error,
    id_query_param,
    parse_id,
)
from everychild.access.paging import Paging
from everychild.access.policy import Capability, la_area_ids, requires
from everychild.accounts.models import Organisation
from everychild.casework import clock, selectors, services, worklist
from everychild.casework.models import (
    AdviceKind,
    AdviceRequest,
    AssessmentRequest,
    CaseEvent,
    CaseException,
    Consultation,
    Decision,
    RequestSource,
)
from everychild.casework.policy import visible_advice_requests, visible_assessment_requests
from everychild.children.policy import visible_children
from everychild.plans import services as plan_services
from everychild.statutory import milestone_json


class CaseConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "case_changed"

    def __init__(self, error: services.CaseChanged):
        super().__init__(
            {"version": [exceptions.ErrorDetail(str(error), code="case_changed")]},
        )


def _run(call):
    """Run a service, turning its refusals into the API's structured errors."""
    try:
        return call()
    except DjangoValidationError as error:
        raise from_django_validation_error(error) from None
    except services.CaseChanged as error:
        raise CaseConflict(error) from None
    except DjangoPermissionDenied as error:
        raise exceptions.PermissionDenied(str(error) or None) from None


def _case_or_404(request, pk) -> AssessmentRequest:
    try:
        return selectors.case_for_viewing(request.user, pk, request=request)
    except AssessmentRequest.DoesNotExist:
        raise exceptions.NotFound() from None


def _lookup(queryset, pk, field: str, what: str):
    obj = queryset.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise exceptions.ValidationError(
            {field: [exceptions.ErrorDetail(f"No {what} you can use has this id.", "not_found")]}
        )
    return obj


# --- Serializers: shapes only ------------------------------------------------------------------


class RequestSerializer(serializers.ModelSerializer):
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    caseworker_name = serializers.CharField(
        source="caseworker.full_name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = AssessmentRequest
        fields = [
            "id",
            "reference",
            "child",
            "child_name",
            "source",
            "requested_by",
            "reason",
            "received_on",
            "transferred_in",
            "transferred_from",
            "reassessment_of",
            "stage",
            "caseworker",
            "caseworker_name",
            "version",
        ]
        read_only_fields = fields


class RequestCreateSerializer(serializers.Serializer):
    child = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)
    source = serializers.ChoiceField(choices=RequestSource.choices)
    received_on = serializers.DateField()
    requested_by = serializers.CharField(max_length=200, allow_blank=True)
    reason = serializers.CharField(allow_blank=True)
    transferred_in = serializers.BooleanField(default=False)
    transferred_from = serializers.CharField(max_length=200, allow_blank=True, default="")


class RequestChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)
    source = serializers.ChoiceField(choices=RequestSource.choices, required=False)
    received_on = serializers.DateField(required=False)
    requested_by = serializers.CharField(max_length=200, allow_blank=True, required=False)
    reason = serializers.CharField(allow_blank=True, required=False)
    transferred_from = serializers.CharField(max_length=200, allow_blank=True, required=False)


class CaseMilestoneSerializer(serializers.Serializer):
    key = serializers.CharField()
    rule = serializers.CharField()
    label = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    met_on = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    days_remaining = serializers.IntegerField(allow_null=True)
    regulation = serializers.CharField()
    exception = serializers.DictField(allow_null=True)


class AssessmentSerializer(serializers.ModelSerializer):
    child_name = serializers.CharField(source="child.full_name", read_only=True)
    # Blank until the panel decides: the schema must say so (a read-only model field loses it).
    decision = serializers.ChoiceField(choices=Decision.choices, allow_blank=True, read_only=True)
    next_legal_date = serializers.SerializerMethodField()
    clock_status = serializers.SerializerMethodField()
    milestones = serializers.SerializerMethodField()

    class Meta:
        model = AssessmentRequest
        fields = [
            "id",
            "reference",
            "child",
            "child_name",
            "stage",
            "received_on",
            "decision",
            "decision_on",
            "decision_reasons",
            "draft_plan_served_on",
            "family_agreed_early_issue_on",
            "final_plan_issued_on",
            "decision_not_to_issue_on",
            "not_to_issue_reasons",
            "withdrawn_on",
            "caseworker",
            "version",
            "clock_status",
            "next_legal_date",
            "milestones",
        ]
        read_only_fields = fields

    def _clock(self, case) -> clock.CaseClock:
        clocks = self.context.get("clocks") or {}
        found = clocks.get(case.pk)
        if found is None:
            found = clocks[case.pk] = clock.clock_for(case)
            self.context["clocks"] = clocks
        return found

    def get_clock_status(self, case) -> str:
        return self._clock(case).status

    @extend_schema_field(CaseMilestoneSerializer(allow_null=True))
    def get_next_legal_date(self, case) -> dict | None:
        nxt = self._clock(case).next
        return milestone_json(nxt) if nxt is not None else None

    @extend_schema_field(CaseMilestoneSerializer(many=True))
    def get_milestones(self, case) -> list:
        return [milestone_json(m) for m in self._clock(case).milestones]


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)


class DecisionSerializer(VersionSerializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    decided_on = serializers.DateField()
    reasons = serializers.CharField(allow_blank=True)


class NotToIssueSerializer(VersionSerializer):
    decided_on = serializers.DateField()
    reasons = serializers.CharField(allow_blank=True)


class DraftSerializer(VersionSerializer):
    served_on = serializers.DateField()


class AgreementSerializer(VersionSerializer):
    agreed_on = serializers.DateField()


class FinalPlanSerializer(VersionSerializer):
    issued_on = serializers.DateField()


class WithdrawSerializer(VersionSerializer):
    withdrawn_on = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)


class ConsultationInSerializer(VersionSerializer):
    setting = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)
    sent_on = serializers.DateField()


class ConsultationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consultation
        fields = ["id", "assessment_request", "setting", "sent_on", "answered_on", "outcome"]
        read_only_fields = fields


class ExceptionInSerializer(VersionSerializer):
    regulation = serializers.ChoiceField(choices=CaseException.Regulation.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(allow_blank=True)
    advice_request = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=LARGEST_ID
    )


class ExceptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = CaseException
        fields = [
            "id",
            "assessment_request",
            "advice_request",
            "regulation",
            "starts_on",
            "ends_on",
            "reason",
        ]
        read_only_fields = fields


class AllocateSerializer(VersionSerializer):
    caseworker = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)


class AdviceRequestSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    assessment = serializers.IntegerField(source="assessment_request_id", read_only=True)

    class Meta:
        model = AdviceRequest
        fields = [
            "id",
            "assessment",
            "kind",
            "organisation",
            "organisation_name",
            "received_by_body_on",
            "provided_on",
            "cancelled_on",
        ]
        read_only_fields = fields


class AdviceCreateSerializer(VersionSerializer):
    assessment = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)
    kind = serializers.ChoiceField(choices=AdviceKind.choices)
    organisation = serializers.IntegerField(min_value=1, max_value=LARGEST_ID)
    received_by_body_on = serializers.DateField()


class AdviceProvidedSerializer(VersionSerializer):
    provided_on = serializers.DateField()


class AdviceCancelSerializer(VersionSerializer):
    cancelled_on = serializers.DateField()
    reason = serializers.CharField(allow_blank=True)


class CaseEventSerializer(serializers.ModelSerializer):
    assessment = serializers.IntegerField(source="assessment_request_id", read_only=True)
    actor_name = serializers.CharField(
        source="actor.full_name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "assessment",
            "kind",
            "happened_on",
            "recorded_at",
            "actor",
            "actor_name",
            "summary",
            "data",
        ]
        read_only_fields = fields


ASSESSMENT_FILTER = OpenApiParameter(
    "assessment", int, description="Only this case's entries (its id)", required=False
)


def _valid(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


# --- Requests ---------------------------------------------------------------------------------


@requires(Capability.CASEWORK)
@extend_schema_view(
    create=extend_schema(request=RequestCreateSerializer, responses={201: RequestSerializer}),
    partial_update=extend_schema(request=RequestChangeSerializer, responses=RequestSerializer),
)
class RequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Requests for an EHC needs assessment (and transfers in): record, read, correct."""

    serializer_class = RequestSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        return (
            visible_assessment_requests(self.request.user)
            .select_related("child", "caseworker")
            .order_by("-received_on", "-pk")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        selectors.audit_shown(request.user, page, request=request)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(_case_or_404(request, kwargs["pk"])).data)

    def create(self, request, *args, **kwargs):
        data = _valid(RequestCreateSerializer, request)
        areas = la_area_ids(request.user, Capability.WRITE_CASES)
        if not areas:
            raise exceptions.PermissionDenied("Only an area's caseworkers can record requests.")
        child = _lookup(
            visible_children(request.user).filter(area_id__in=areas).select_related("area"),
            data.pop("child"),
            "child",
            "child",
        )
        case = _run(
            lambda: services.record_request(
                actor=request.user, area=child.area, child=child, request=request, **data
            )
        )
        return Response(self.get_serializer(case).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        case = _case_or_404(request, kwargs["pk"])
        data = _valid(RequestChangeSerializer, request)
        version = data.pop("version")
        case = _run(
            lambda: services.update_request(
                actor=request.user, case=case, version=version, request=request, **data
            )
        )
        return Response(self.get_serializer(case).data)

    def update(self, request, *args, **kwargs):  # PUT is not offered: PATCH what changes
        raise exceptions.MethodNotAllowed(request.method)


# --- Assessments: the process, its clock and its steps ----------------------------------------


def _step_schema(serializer, responses=None):
    return extend_schema(request=serializer, responses=responses or AssessmentSerializer)


@requires(Capability.CASEWORK)
class AssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The assessment of each case: its stage, dates and statutory timeline (every milestone
    with due date, status and regulation, from the statutory engine), and its steps."""

    serializer_class = AssessmentSerializer

    def get_queryset(self):
        return (
            visible_assessment_requests(self.request.user)
            .select_related("child")
            .order_by("-received_on", "-pk")
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        selectors.audit_shown(request.user, page, request=request)
        context = {**self.get_serializer_context(), "clocks": clock.clocks_for(page)}
        return self.get_paginated_response(
            AssessmentSerializer(page, many=True, context=context).data
        )

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(_case_or_404(request, kwargs["pk"])).data)

    def _respond(self, request, pk):
        case = AssessmentRequest.objects.select_related("child", "area").get(pk=pk)
        return Response(self.get_serializer(case).data)

    @_step_schema(DecisionSerializer)
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        """The panel's decision whether to assess (decision-makers only)."""
        case = _case_or_404(request, pk)
        data = _valid(DecisionSerializer, request)
        _run(
            lambda: services.decide_whether_to_assess(
                actor=request.user, case=case, request=request, **data
            )
        )
        return self._respond(request, case.pk)

    @_step_schema(DraftSerializer)
    @action(detail=True, methods=["post"], url_path="draft-plan")
    def draft_plan(self, request, pk=None):
        case = _case_or_404(request, pk)
        data = _valid(DraftSerializer, request)
        _run(
            lambda: services.serve_draft_plan(
                actor=request.user, case=case, request=request, **data
            )
        )
        return self._respond(request, case.pk)

    @_step_schema(AgreementSerializer)
    @action(detail=True, methods=["post"], url_path="family-agreement")
    def family_agreement(self, request, pk=None):
        case = _case_or_404(request, pk)
        data = _valid(AgreementSerializer, request)
        _run(
            lambda: services.record_family_agreement(
                actor=request.user, case=case, request=request, **data
            )
        )
        return self._respond(request, case.pk)

    @_step_schema(FinalPlanSerializer)
    @action(detail=True, methods=["post"], url_path="final-plan")
    def final_plan(self, request, pk=None):
        case = _case_or_404(request, pk)
        data = _valid(FinalPlanSerializer, request)
        _run(
            lambda: plan_services.issue_final_plan(
                actor=request.user, case=case, request=request, **data
            )
        )
        return self._respond(request, case.pk)

    @_step_schema(NotToIssueSerializer)
    @action(detail=True, methods=["post"], url_path="decision-to-issue")
    def decision_to_issue(self, request, pk=None):
        """The decision, once the assessment is complete, to issue a plan (by the role the
        area's settings name: decision 0192). The final plan cannot be issued without it."""
        case = _case_or_404(request, pk)
        data = _valid(NotToIssueSerializer, request)
        _run(
            lambda: services.decide_to_issue(actor=request.user, case=case, request=request, **data)
        )
        return self._respond(request, case.pk)

    @_step_schema(NotToIssueSerializer)
    @action(detail=True, methods=["post"], url_path="not-to-issue")
    def not_to_issue(self, request, pk=None):
        case = _case_or_404(request, pk)
        data = _valid(NotToIssueSerializer, request)
        _run(
            lambda: services.decide_not_to_issue(
                actor=request.user, case=case, request=request, **data
            )
        )
        return self._respond(request, case.pk)

    @_step_schema(WithdrawSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        case = _case_or_404(request, pk)
        data = _valid(WithdrawSerializer, request)
        _run(lambda: services.withdraw(actor=request.user, case=case, request=request, **data))
        return self._respond(request, case.pk)

    @_step_schema(AllocateSerializer)
    @action(detail=True, methods=["post"])
    def allocate(self, request, pk=None):
        """Allocate or reallocate the case (team managers only)."""
        case = _case_or_404(request, pk)
        data = _valid(AllocateSerializer, request)
        caseworker = _lookup(
            selectors.casework_staff([case.area_id]), data["caseworker"], "caseworker", "caseworker"
        )
        _run(
            lambda: services.allocate(
                actor=request.user,
                case=case,
                version=data["version"],
                caseworker=caseworker,
                request=request,
            )
        )
        return self._respond(request, case.pk)

    @_step_schema(ConsultationInSerializer, {201: ConsultationSerializer})
    @action(detail=True, methods=["post"])
    def consultations(self, request, pk=None):
        case = _case_or_404(request, pk)
        data = _valid(ConsultationInSerializer, request)
        setting = _lookup(
            selectors.consultation_settings(case.area), data["setting"], "setting", "setting"
        )
        item = _run(
            lambda: services.send_consultation(
                actor=request.user,
                case=case,
                version=data["version"],
                setting=setting,
                sent_on=data["sent_on"],
                request=request,
            )
        )
        return Response(ConsultationSerializer(item).data, status=status.HTTP_201_CREATED)

    @_step_schema(ExceptionInSerializer, {201: ExceptionSerializer})
    @action(detail=True, methods=["post"])
    def exceptions(self, request, pk=None):
        case = _case_or_404(request, pk)
        data = _valid(ExceptionInSerializer, request)
        advice_id = data.pop("advice_request", None)
        advice = None
        if advice_id is not None:
            advice = _lookup(
                case.advice_requests.all(), advice_id, "advice_request", "request for advice"
            )
        item = _run(
            lambda: services.record_exception(
                actor=request.user, case=case, advice=advice, request=request, **data
            )
        )
        return Response(ExceptionSerializer(item).data, status=status.HTTP_201_CREATED)


# --- Advice requests --------------------------------------------------------------------------


@requires(Capability.CASEWORK)
@extend_schema_view(
    list=extend_schema(parameters=[ASSESSMENT_FILTER]),
    create=extend_schema(request=AdviceCreateSerializer, responses={201: AdviceRequestSerializer}),
)
class AdviceRequestViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Advice asked of each agency or setting, with the date each received the request."""

    serializer_class = AdviceRequestSerializer

    def get_queryset(self):
        qs = visible_advice_requests(self.request.user).select_related(
            "organisation", "assessment_request"
        )
        assessment = id_query_param(self.request, "assessment")
        if assessment is not None:
            qs = qs.filter(assessment_request_id=assessment)
        return qs.order_by("received_by_body_on", "pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        selectors.audit_shown(request.user, [a.assessment_request for a in page], request=request)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _advice(self, request, pk) -> AdviceRequest:
        pk = parse_id(pk)
        advice = self.get_queryset().filter(pk=pk).first() if pk else None
        if advice is None:
            raise exceptions.NotFound()
        selectors.case_for_viewing(request.user, advice.assessment_request_id, request=request)
        return advice

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_serializer(self._advice(request, kwargs["pk"])).data)

    def create(self, request, *args, **kwargs):
        data = _valid(AdviceCreateSerializer, request)
        case = _case_or_404(request, data["assessment"])
        organisation = _lookup(
            Organisation.objects.filter(is_active=True),
            data["organisation"],
            "organisation",
            "organisation",
        )
        advice = _run(
            lambda: services.request_advice(
                actor=request.user,
                case=case,
                version=data["version"],
                kind=data["kind"],
                organisation=organisation,
                received_by_body_on=data["received_by_body_on"],
                request=request,
            )
        )
        return Response(self.get_serializer(advice).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AdviceProvidedSerializer, responses=AdviceRequestSerializer)
    @action(detail=True, methods=["post"])
    def received(self, request, pk=None):
        """Record the advice as received."""
        advice = self._advice(request, pk)
        data = _valid(AdviceProvidedSerializer, request)
        advice = _run(
            lambda: services.record_advice_provided(
                actor=request.user, advice=advice, request=request, **data
            )
        )
        return Response(self.get_serializer(advice).data)

    @extend_schema(request=AdviceCancelSerializer, responses=AdviceRequestSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        advice = self._advice(request, pk)
        data = _valid(AdviceCancelSerializer, request)
        advice = _run(
            lambda: services.cancel_advice_request(
                actor=request.user, advice=advice, request=request, **data
            )
        )
        return Response(self.get_serializer(advice).data)


# --- The chronology -----------------------------------------------------------------------------


@requires(Capability.CASEWORK)
@extend_schema_view(list=extend_schema(parameters=[ASSESSMENT_FILTER]))
class CaseEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Each case's chronology, written by the services (read-only here)."""

    serializer_class = CaseEventSerializer

    def get_queryset(self):
        cases = visible_assessment_requests(self.request.user)
        qs = CaseEvent.objects.filter(assessment_request__in=cases.values("pk")).select_related(
            "actor", "assessment_request"
        )
        assessment = id_query_param(self.request, "assessment")
        if assessment is not None:
            qs = qs.filter(assessment_request_id=assessment)
        return qs.order_by("assessment_request_id", "happened_on", "pk")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        shown = {e.assessment_request_id: e.assessment_request for e in page}
        selectors.audit_shown(request.user, shown.values(), request=request)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        pk = parse_id(kwargs["pk"])
        entry = self.get_queryset().filter(pk=pk).first() if pk else None
        if entry is None:
            raise exceptions.NotFound()
        selectors.case_for_viewing(request.user, entry.assessment_request_id, request=request)
        return Response(self.get_serializer(entry).data)


# --- My tasks -----------------------------------------------------------------------------------


class TaskSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="decision, advice, draft, consultation, letter, ...")
    kind_label = serializers.CharField()
    case_id = serializers.IntegerField()
    case_reference = serializers.CharField(source="reference")
    child = serializers.CharField()
    caseworker = serializers.CharField(allow_blank=True)
    legal_date = serializers.DateField(allow_null=True, help_text="The law's date, if any")
    act_by = serializers.DateField(allow_null=True, help_text="The last day to act in time")
    since = serializers.DateField(allow_null=True, help_text="When the item arrived")
    overdue = serializers.SerializerMethodField()
    what_to_do = serializers.CharField(source="what")
    regulation = serializers.CharField(allow_blank=True)
    link = serializers.SerializerMethodField()

    def get_overdue(self, task) -> bool:
        return task.is_overdue(self.context["today"])

    def get_link(self, task) -> str:
        return self.context["request"].build_absolute_uri(task.link)


@requires(Capability.CASEWORK)
class TasksView(APIView):
    """Everything due from the caller (a team manager may ask for a caseworker's, or all),
    from the legal clock and the records, overdue first then by legal date. The same list
    as the My tasks page."""

    @extend_schema(
        operation_id="v1_tasks_list",
        parameters=[
            OpenApiParameter("kind", str, description="One kind of task (see kind)"),
            OpenApiParameter(
                "caseworker",
                str,
                description="Team managers: a caseworker's id, 'all' or 'unallocated'",
            ),
            OpenApiParameter("limit", int, description="Rows on a page (at most 100)"),
            OpenApiParameter("offset", int, description="Rows to skip"),
        ],
        responses=inline_serializer(
            "Tasks",
            {
                "count": serializers.IntegerField(),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "results": TaskSerializer(many=True),
            },
        ),
    )
    def get(self, request):
        kind = request.query_params.get("kind", "")
        if kind and kind not in worklist.KINDS:
            choices = ", ".join(worklist.KINDS)
            raise exceptions.ValidationError(
                {"kind": [exceptions.ErrorDetail(f"Choose one of {choices}.", "invalid_choice")]}
            )
        whose = request.query_params.get("caseworker", "")
        if whose:
            if not la_area_ids(request.user, Capability.MANAGE_TEAM):
                raise exceptions.PermissionDenied("Only a team manager sees others' tasks.")
            if whose not in (worklist.ALL, worklist.UNALLOCATED):
                whose = id_query_param(request, "caseworker")
        today = timezone.localdate()
        tasks = worklist.tasks_for(
            request.user, caseworker=whose or None, kind=kind, today=today, audited=False
        )
        paging = Paging()
        page = paging.paginate_queryset(tasks, request, view=self)
        worklist.audit_tasks(request.user, page, request=request)
        data = TaskSerializer(page, many=True, context={"request": request, "today": today}).data
        return paging.get_paginated_response(data)
