from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import RetrieveUpdateAPIView
from rest_framework.response import Response

from .. import selectors, services
from ..models import Notification
from .serializers import (
    AgencySerializer,
    MarkReadResultSerializer,
    MarkReadSerializer,
    MeSerializer,
    NotificationSerializer,
    RegionSerializer,
)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The province, regencies and cities (public reference data)."""

    serializer_class = RegionSerializer
    permission_classes = [permissions.AllowAny]
    queryset = selectors.regions_list()


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("region", str, description=_("Only the agencies of this region (its code)."))]
    )
)
class AgencyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Agencies the caller may see; their Kominfo admins update contact details."""

    serializer_class = AgencySerializer
    # Contact details change one at a time; codes and region never do, so no PUT.
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return selectors.agencies_visible(self.request.user, region_code=self.request.query_params.get("region"))

    def get_object(self):
        write = self.request.method not in permissions.SAFE_METHODS
        return selectors.get_agency_for(self.request.user, self.kwargs["pk"], write=write)

    def perform_update(self, serializer):
        editable = {k: v for k, v in serializer.validated_data.items() if k in services.AGENCY_EDITABLE_FIELDS}
        try:
            serializer.instance = services.agency_update(
                agency_id=serializer.instance.pk, actor=self.request.user, **editable
            )
        except ValidationError as exc:
            raise ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc


class MeView(RetrieveUpdateAPIView):
    """The person calling: their roles in each agency and unread notifications."""

    serializer_class = MeSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self):
        user = self.request.user
        user.unread_notifications = selectors.unread_count(user)
        user.memberships_cache = selectors.memberships_of(user)
        return user


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("unread", bool, description=_("Only notifications not read yet."))])
)
class NotificationViewSet(viewsets.ReadOnlyModelViewSet):
    """The caller's own inbox."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        unread = self.request.query_params.get("unread") in {"1", "true"}
        return selectors.notifications_for(self.request.user, unread_only=unread)

    @extend_schema(request=MarkReadSerializer, responses=MarkReadResultSerializer)
    @action(detail=False, methods=["post"], url_path="mark-read")
    def mark_read(self, request):
        data = MarkReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = data.validated_data.get("ids")
        marked = services.notification_mark_read(user=request.user, notification_ids=ids)
        return Response({"marked": marked})
