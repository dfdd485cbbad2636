"""API for the procurement plan (RUP): the agency's items (drafts edited, announce and
cancel as actions calling the same services as the pages) and the public list of
announced items.

Serializers never write a status, a code or a value: the value is the sum of the
fundings, computed by the service.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from portal.api.domain import domain_call as _domain
from portal.models import Agency, FiscalYear

from ..choices import PlanItemStatus, ProcurementKind, ProcurementMethod
from ..models import MONEY, ProcurementFunding, ProcurementPlanItem
from ..selectors import plans as selectors
from ..services import plans as services

# --- Serializers -------------------------------------------------------------------------


class RupFundingSerializer(serializers.ModelSerializer):
    budget_line = serializers.IntegerField(source="budget_line_id")
    amount = serializers.DecimalField(**MONEY)

    class Meta:
        model = ProcurementFunding
        fields = ["budget_line", "amount"]


class RupItemSerializer(serializers.ModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    fiscal_year = serializers.SlugRelatedField(slug_field="year", queryset=FiscalYear.objects.all())
    kind = serializers.ChoiceField(choices=ProcurementKind.choices)
    method = serializers.ChoiceField(choices=ProcurementMethod.choices)
    value = serializers.DecimalField(read_only=True, **MONEY)
    small_business_reserved = serializers.BooleanField(
        allow_null=True,
        required=False,
        default=None,
        help_text=_("Reserved automatically up to the small-business limit; above it, true reserves the item."),
    )
    status = serializers.ChoiceField(choices=PlanItemStatus.choices, read_only=True)
    fundings = RupFundingSerializer(many=True)

    class Meta:
        model = ProcurementPlanItem
        fields = [
            "id",
            "rup_code",
            "agency",
            "fiscal_year",
            "name",
            "description",
            "kind",
            "method",
            "method_justification",
            "value",
            "selection_start",
            "selection_end",
            "contract_start",
            "contract_end",
            "use_start",
            "small_business_reserved",
            "status",
            "cancel_reason",
            "fundings",
            "created",
        ]
        read_only_fields = ["rup_code", "status", "cancel_reason", "created"]

    def service_arguments(self) -> dict:
        data = self.validated_data
        return {
            "data": {name: data.get(name, "") for name in services.ITEM_FIELDS},
            "fundings": [
                services.FundingInput(line_id=row["budget_line_id"], amount=row["amount"]) for row in data["fundings"]
            ],
            "small_business_reserved": data.get("small_business_reserved"),
        }


class RupItemUpdateSerializer(RupItemSerializer):
    """Agency and year are fixed once an item exists; a draft is replaced as a whole."""

    class Meta(RupItemSerializer.Meta):
        read_only_fields = [*RupItemSerializer.Meta.read_only_fields, "agency", "fiscal_year"]


class RupCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text=_("Why the item is cancelled."))


class PublicRupItemSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="fiscal_year.year", read_only=True)
    agency = serializers.CharField(source="agency.name", read_only=True)
    region = serializers.CharField(source="agency.region.name", read_only=True)
    value = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = ProcurementPlanItem
        fields = [
            "id",
            "rup_code",
            "year",
            "name",
            "agency",
            "region",
            "kind",
            "method",
            "value",
            "selection_start",
            "selection_end",
            "small_business_reserved",
        ]
        read_only_fields = fields


# --- ViewSets ----------------------------------------------------------------------------

_FILTERS = [
    OpenApiParameter("year", int, description=_("Fiscal year.")),
    OpenApiParameter("kind", str, enum=ProcurementKind.values, description=_("Kind of procurement.")),
    OpenApiParameter("method", str, enum=ProcurementMethod.values, description=_("Procurement method.")),
]


@extend_schema_view(
    list=extend_schema(
        parameters=[*_FILTERS, OpenApiParameter("status", str, enum=PlanItemStatus.values, description=_("Status."))]
    )
)
class PlanItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """RUP items the caller may see; the agency's PPK or budget officer drafts and changes drafts."""

    http_method_names = ["get", "post", "put", "head", "options"]
    queryset = ProcurementPlanItem.objects.none()

    def get_serializer_class(self):
        return RupItemUpdateSerializer if self.action == "update" else RupItemSerializer

    def get_queryset(self):
        params = self.request.query_params
        year = params.get("year", "")
        if year and not year.isdigit():
            raise ApiValidationError({"year": _("Enter a number.")})
        filters = {name: params.get(name, "") for name in ("kind", "method", "status")}
        return selectors.plan_items_visible(self.request.user, year=year, **filters).prefetch_related("fundings")

    def get_object(self):
        write = self.request.method not in permissions.SAFE_METHODS
        item = selectors.get_plan_item_for(self.request.user, self.kwargs["pk"], write=write)
        self.check_object_permissions(self.request, item)
        return item

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = _domain(
            lambda: services.plan_item_create(
                agency=data["agency"],
                fiscal_year=data["fiscal_year"],
                actor=self.request.user,
                **serializer.service_arguments(),
            )
        )

    def perform_update(self, serializer):
        serializer.instance = _domain(
            lambda: services.plan_item_update(
                item=serializer.instance, actor=self.request.user, **serializer.service_arguments()
            )
        )

    def _answer(self, item):
        item = selectors.get_plan_item_for(self.request.user, item.pk)
        return Response(RupItemSerializer(item, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=RupItemSerializer)
    @action(detail=True, methods=["post"])
    def announce(self, request, pk=None):
        """Assign the kode RUP and commit every funding in the budget ledger (all or nothing)."""
        item = self.get_object()
        return self._answer(_domain(lambda: services.plan_item_announce(item=item, actor=request.user)))

    @extend_schema(request=RupCancelSerializer, responses=RupItemSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel with a reason; an announced item's committed funds are released."""
        item = self.get_object()
        body = RupCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"]
        return self._answer(_domain(lambda: services.plan_item_cancel(item=item, reason=reason, actor=request.user)))


@extend_schema_view(list=extend_schema(parameters=_FILTERS))
class PublicPlanItemViewSet(viewsets.ReadOnlyModelViewSet):
    """Announced RUP items of every region, for anybody."""

    serializer_class = PublicRupItemSerializer
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]
    queryset = ProcurementPlanItem.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        return selectors.public_plan_items(**{name: params.get(name, "") for name in ("year", "kind", "method")})
