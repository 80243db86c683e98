"""/api/v1/children/: list and detail of the children the caller may see; create for an
area's caseworkers. The same selectors, services and audit as the pages."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from everychild.access.api_errors import from_django_validation_error
from everychild.access.policy import Capability, has_capability, la_area_ids, requires
from everychild.areas.models import Area
from everychild.children import selectors, services
from everychild.children.models import Child


class ChildSerializer(serializers.ModelSerializer):
    current_setting_name = serializers.CharField(
        source="current_setting.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Child
        fields = [
            "id",
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "sex",
            "ethnicity",
            "postcode",
            "upn",
            "upn_unknown_reason",
            "uln",
            "nhs_number",
            "current_setting",
            "current_setting_name",
        ]
        read_only_fields = ["id", "current_setting_name"]
        # Validation is the model's (full_clean in the service): the serializer only shapes.
        extra_kwargs = {
            "upn": {"validators": []},
            "nhs_number": {"validators": []},
            "uln": {"validators": []},
            "date_of_birth": {"validators": []},
        }


@requires(Capability.SEE_CHILDREN)
class ChildViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ChildSerializer

    def get_queryset(self):
        query = self.request.query_params.get("q", "")
        return selectors.search_children(self.request.user, query).order_by(
            "last_name", "first_name", "pk"
        )

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        selectors.audit_shown(request.user, page, request=request)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        try:
            child = selectors.child_for_viewing(request.user, int(kwargs["pk"]), request=request)
        except (Child.DoesNotExist, ValueError):
            raise NotFound() from None
        return Response(self.get_serializer(child).data)

    def create(self, request, *args, **kwargs):
        if not has_capability(request.user, Capability.EDIT_CHILDREN):
            raise PermissionDenied()
        areas = la_area_ids(request.user, Capability.EDIT_CHILDREN)
        if not areas:
            raise PermissionDenied("Only an area's caseworkers and managers can add a child.")
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            child = services.create_child(
                actor=request.user,
                area=Area.objects.get(pk=sorted(areas)[0]),
                request=request,
                **serializer.validated_data,
            )
        except DjangoValidationError as error:
            raise from_django_validation_error(error) from None
        except DjangoPermissionDenied as error:
            raise PermissionDenied(str(error)) from None
        return Response(self.get_serializer(child).data, status=status.HTTP_201_CREATED)
