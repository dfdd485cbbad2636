"""The planning nomenclature, read-only, for every authenticated caller."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from ..choices import NomenclatureLevel
from ..models import Nomenclature
from ..selectors import codes as selectors


class NomenclatureBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Nomenclature
        fields = ["id", "code", "name", "level", "is_active"]


class NomenclatureSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True, default=None)
    child_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Nomenclature
        fields = [
            "id",
            "code",
            "level",
            "name",
            "name_province",
            "parent",
            "parent_code",
            "for_province",
            "for_regency",
            "previous_code",
            "previous_name",
            "edition",
            "is_active",
            "child_count",
        ]
        read_only_fields = fields


class NomenclatureDetailSerializer(NomenclatureSerializer):
    successors = NomenclatureBriefSerializer(source="successor_list", many=True, read_only=True)
    child_count = None

    class Meta(NomenclatureSerializer.Meta):
        fields = [f for f in NomenclatureSerializer.Meta.fields if f != "child_count"] + ["successors"]
        read_only_fields = fields


def _flag(value: str | None):
    if value in (None, ""):
        return True
    return {"true": True, "1": True, "false": False, "0": False}.get(value.lower())


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("level", str, enum=NomenclatureLevel.values, description=_("Only codes of this level.")),
            OpenApiParameter("parent", str, description=_("Only the children of this code (empty: the top level).")),
            OpenApiParameter("search", str, description=_("Code prefix or part of the name.")),
            OpenApiParameter("region", str, description=_("Only the variant this region uses (its Kemendagri code).")),
            OpenApiParameter(
                "active", str, enum=["true", "false", "all"], description=_("Codes of the current list (default).")
            ),
        ]
    )
)
class NomenclatureViewSet(viewsets.ReadOnlyModelViewSet):
    """The planning nomenclature; a code no longer listed names its successors."""

    queryset = Nomenclature.objects.none()

    def get_serializer_class(self):
        return NomenclatureDetailSerializer if self.action == "retrieve" else NomenclatureSerializer

    def get_queryset(self):
        params = self.request.query_params
        active = params.get("active")
        return selectors.nomenclature_list(
            self.request.user,
            region=selectors.region_by_code(params.get("region")),
            level=params.get("level", ""),
            parent_code=params.get("parent"),
            search=params.get("search", "").strip(),
            active=None if active == "all" else _flag(active),
        ).select_related("parent")

    def get_object(self):
        return selectors.get_nomenclature_by_pk_for(self.request.user, self.kwargs["pk"])
