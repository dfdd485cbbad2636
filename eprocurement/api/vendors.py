"""Vendors over the API: a vendor's own record (all of them for LPSE admins) with the
verify and reject decisions as actions, the KBLI list, and the public blacklist."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from ..models import Blacklisting, BusinessField, Vendor, VendorDocument, VendorPerson
from ..selectors import vendors as selectors
from ..services import vendors as services


def _as_api_error(exc: ValidationError) -> ApiValidationError:
    return ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class BusinessFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = BusinessField
        fields = ["code", "name"]
        read_only_fields = fields


class VendorPersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = VendorPerson
        fields = ["name", "position", "nik", "phone", "email"]
        read_only_fields = fields


class VendorDocumentSerializer(serializers.ModelSerializer):
    """A document's facts; its file is downloaded from the page, after the access check."""

    class Meta:
        model = VendorDocument
        fields = ["id", "kind", "number", "issued_on", "valid_until", "sha256", "uploaded"]
        read_only_fields = fields


class VendorBlacklistingSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")

    class Meta:
        model = Blacklisting
        fields = ["id", "region", "decree_number", "starts_on", "ends_on", "reason", "lifted_at", "lift_reason"]
        read_only_fields = fields


class VendorSerializer(serializers.ModelSerializer):
    business_fields = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    people = VendorPersonSerializer(many=True, read_only=True)
    documents = VendorDocumentSerializer(many=True, read_only=True)
    blacklistings = VendorBlacklistingSerializer(many=True, read_only=True)
    region = serializers.CharField(source="region.code", allow_null=True, default=None, read_only=True)

    class Meta:
        model = Vendor
        fields = [
            "id",
            "name",
            "kind",
            "nib",
            "npwp",
            "address",
            "region",
            "phone",
            "email",
            "is_small_business",
            "business_fields",
            "status",
            "rejection_reason",
            "verified_at",
            "created",
            "people",
            "documents",
            "blacklistings",
        ]
        read_only_fields = fields


class VendorRejectSerializer(serializers.Serializer):
    reason = serializers.CharField()


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("status", str, enum=["pending", "verified", "rejected"])],
    )
)
class VendorViewSet(viewsets.ReadOnlyModelViewSet):
    """A vendor's account sees its own companies; LPSE admins see every vendor and decide."""

    serializer_class = VendorSerializer
    queryset = Vendor.objects.none()

    def get_queryset(self):
        qs = selectors.vendors_visible_to(self.request.user).select_related("region")
        qs = qs.prefetch_related("business_fields", "people", "documents", "blacklistings__region")
        status = self.request.query_params.get("status")
        if status:
            qs = qs.filter(status=status)
        return qs.order_by("name", "pk")

    def get_object(self):
        return selectors.get_vendor_for(self.request.user, self.kwargs["pk"])

    def _decide(self, request, pk, service, **kwargs):
        if not selectors.is_lpse_admin(request.user):
            raise PermissionDenied
        vendor = selectors.get_vendor_for(request.user, pk)
        try:
            service(vendor_id=vendor.pk, actor=request.user, **kwargs)
        except ValidationError as exc:
            raise _as_api_error(exc) from exc
        return Response(VendorSerializer(selectors.vendor_detail(vendor.pk)).data)

    @extend_schema(request=None, responses=VendorSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """An LPSE admin verifies a pending vendor."""
        return self._decide(request, pk, services.vendor_verify)

    @extend_schema(request=VendorRejectSerializer, responses=VendorSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """An LPSE admin rejects a pending vendor with a reason."""
        data = VendorRejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._decide(request, pk, services.vendor_reject, reason=data.validated_data["reason"])


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("q", str, description="Code prefix or name.")]))
class BusinessFieldViewSet(viewsets.ReadOnlyModelViewSet):
    """The KBLI business fields a vendor may register."""

    serializer_class = BusinessFieldSerializer
    lookup_field = "code"
    queryset = BusinessField.objects.none()

    def get_queryset(self):
        return selectors.business_fields(self.request.query_params.get("q", "").strip())


class PublicBlacklistingSerializer(serializers.ModelSerializer):
    """A blacklisting as anybody may read it: the NPWP masked, no internal fields."""

    vendor = serializers.CharField(source="vendor.name")
    npwp = serializers.SerializerMethodField()
    region_code = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")

    class Meta:
        model = Blacklisting
        fields = ["id", "vendor", "npwp", "starts_on", "ends_on", "region_code", "region_name", "reason"]
        read_only_fields = fields

    def get_npwp(self, obj) -> str:
        return selectors.mask_npwp(obj.vendor.npwp)


class PublicBlacklistViewSet(viewsets.ReadOnlyModelViewSet):
    """The blacklistings in force today, for anybody."""

    serializer_class = PublicBlacklistingSerializer
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]
    queryset = Blacklisting.objects.none()

    def get_queryset(self):
        return selectors.public_blacklist()
