"""API of the red flags, for the auditors' own tools: the same list, scope and filters as
the page (``/pengadaan/red-flags/``). Read only: a flag is computed, never written.

The OCDS documents themselves are served as plain JSON at their stable public URLs
(``/pengadaan/ocds/...``), the form the standard prescribes, not through this API.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets

from ..choices import PackageStatus
from ..models import MONEY, Package
from ..selectors import redflags


class CanReadRedFlags(permissions.BasePermission):
    message = _("Only auditors and LPSE administrators read the red flags.")

    def has_permission(self, request, view):
        return redflags.can_read_red_flags(request.user)


class RedFlagSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    explanation = serializers.CharField()


class FlaggedPackageSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")
    region = serializers.CharField(source="agency.region.name")
    winner = serializers.SerializerMethodField()
    award_value = serializers.SerializerMethodField()
    red_flags = serializers.SerializerMethodField()

    class Meta:
        model = Package
        fields = ["id", "code", "name", "agency", "region", "status", "owner_estimate", "winner", "award_value"]
        fields += ["red_flags"]

    def _award(self, package):
        return getattr(package, "award", None)

    def get_winner(self, package) -> str | None:
        award = self._award(package)
        return award.vendor.name if award else None

    @extend_schema(responses=serializers.DecimalField(**MONEY, allow_null=True))
    def get_award_value(self, package) -> str | None:
        award = self._award(package)
        return str(award.value) if award else None

    @extend_schema(responses=RedFlagSerializer(many=True))
    def get_red_flags(self, package) -> list[dict]:
        return [
            {"key": flag.key, "label": str(flag.label), "explanation": flag.explanation}
            for flag in redflags.flags_of(package)
        ]


@extend_schema_view(
    list=extend_schema(
        summary="Flagged packages within the caller's reach",
        parameters=[
            OpenApiParameter("flag", str, enum=[flag.key for flag in redflags.FLAGS], description="only this flag"),
            OpenApiParameter("region", int, description="only packages of this region (id)"),
        ],
    ),
    retrieve=extend_schema(summary="The red flags of one package (none is an empty list)"),
)
class RedFlagViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = FlaggedPackageSerializer
    permission_classes = [permissions.IsAuthenticated, CanReadRedFlags]

    def get_queryset(self):
        user = self.request.user
        if self.action == "list":
            params = self.request.query_params
            return redflags.flagged_packages(user, flag=params.get("flag", ""), region=params.get("region", ""))
        packages = Package.objects.visible_to(user, roles=redflags.REDFLAG_ROLES).exclude(status=PackageStatus.DRAFT)
        return redflags.with_red_flags(packages.select_related("agency__region", "award__vendor"))
