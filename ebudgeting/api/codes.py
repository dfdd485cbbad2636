"""Account codes and funding sources, read-only, for every authenticated caller."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from ..choices import AccountLevel
from ..models import AccountCode, FundingSource
from ..selectors import codes as selectors


class AccountCodeSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", read_only=True, allow_null=True, default=None)
    child_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = AccountCode
        fields = ["id", "code", "level", "name", "description", "parent", "parent_code", "edition", "is_active"]
        fields += ["child_count"]
        read_only_fields = fields


class FundingSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingSource
        fields = ["id", "code", "name", "is_active"]
        read_only_fields = fields


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("level", str, enum=AccountLevel.values, description=_("Only codes of this level.")),
            OpenApiParameter("parent", str, description=_("Only the children of this code (empty: the top level).")),
            OpenApiParameter("search", str, description=_("Code prefix or part of the name.")),
        ]
    )
)
class AccountCodeViewSet(viewsets.ReadOnlyModelViewSet):
    """The account codes of belanja (six levels) in the current list."""

    serializer_class = AccountCodeSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.account_code_list(
            self.request.user,
            level=params.get("level", ""),
            parent_code=params.get("parent"),
            search=params.get("search", "").strip(),
            active=None if self.action == "retrieve" else True,
        ).select_related("parent")


class FundingSourceViewSet(viewsets.ReadOnlyModelViewSet):
    """Where a budget line's money comes from."""

    serializer_class = FundingSourceSerializer

    def get_queryset(self):
        return selectors.funding_source_list(self.request.user, active=self.action != "retrieve")
