"""API for plan items (with their workflow actions), RPJMD goals and agency ceilings.

Serializers never write a status: each change of status is its own action calling the
same service as the pages.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from portal.api.domain import domain_call as _domain
from portal.models import Agency, FiscalYear

from ..choices import PlanStatus, Priority
from ..models import AgencyCeiling, PlanIndicator, PlanItem, PlanItemVersion, RpjmdGoal, RpjmdIndicator, RpjmdObjective
from ..selectors import plans as selectors
from ..services import ceilings as ceiling_services
from ..services import plans as services
from ..services import rpjmd as rpjmd_services

# --- Serializers -----------------------------------------------------------------------


class PlanIndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanIndicator
        fields = ["name", "unit", "target_year", "target_q1", "target_q2", "target_q3", "target_q4"]


class PlanItemVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanItemVersion
        fields = ["revision", "approved_at", "created", "snapshot"]


class PlanItemSerializer(serializers.ModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    fiscal_year = serializers.SlugRelatedField(slug_field="year", queryset=FiscalYear.objects.all())
    sub_activity_code = serializers.CharField(source="sub_activity.code", max_length=32)
    sub_activity_name = serializers.CharField(source="sub_activity.name", read_only=True)
    objective = serializers.PrimaryKeyRelatedField(
        queryset=RpjmdObjective.objects.all(), allow_null=True, required=False
    )
    indicative_ceiling = serializers.DecimalField(max_digits=18, decimal_places=2, coerce_to_string=True)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.MEDIUM)
    indicators = PlanIndicatorSerializer(many=True, required=False)
    status = serializers.ChoiceField(choices=PlanStatus.choices, read_only=True)

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "region",
            "agency",
            "fiscal_year",
            "sub_activity_code",
            "sub_activity_name",
            "objective",
            "title",
            "description",
            "district",
            "village",
            "indicative_ceiling",
            "priority",
            "status",
            "revision",
            "verifier_note",
            "indicators",
            "created",
            "updated",
        ]
        read_only_fields = ["region", "status", "revision", "verifier_note", "created", "updated"]

    def service_fields(self) -> dict:
        data = dict(self.validated_data)
        data.pop("agency", None), data.pop("fiscal_year", None)
        if "sub_activity" in data:
            data["sub_activity_code"] = data.pop("sub_activity")["code"]
        if "indicators" in data:
            data["indicators"] = [dict(row) for row in data["indicators"]]
        return data


class PlanItemDetailSerializer(PlanItemSerializer):
    versions = PlanItemVersionSerializer(many=True, read_only=True)

    class Meta(PlanItemSerializer.Meta):
        fields = [*PlanItemSerializer.Meta.fields, "versions"]


class PlanItemUpdateSerializer(PlanItemSerializer):
    """Agency and year are fixed once an item exists."""

    class Meta(PlanItemSerializer.Meta):
        read_only_fields = [*PlanItemSerializer.Meta.read_only_fields, "agency", "fiscal_year"]


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class RequiredCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text=_("Required: what must be corrected, or why the item is revised."))


class RpjmdIndicatorSerializer(serializers.ModelSerializer):
    targets = serializers.SerializerMethodField()

    class Meta:
        model = RpjmdIndicator
        fields = ["id", "name", "unit", "baseline", "targets"]

    def get_targets(self, obj) -> dict[str, str]:
        return {str(t.year): str(t.value) for t in obj.targets.all()}


class RpjmdObjectiveSerializer(serializers.ModelSerializer):
    indicators = RpjmdIndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = RpjmdObjective
        fields = ["id", "code", "statement", "indicators"]


class RpjmdGoalSerializer(serializers.ModelSerializer):
    objectives = RpjmdObjectiveSerializer(many=True, read_only=True)

    class Meta:
        model = RpjmdGoal
        fields = ["id", "region", "period_start", "period_end", "code", "statement", "objectives"]
        read_only_fields = ["period_end"]


class AgencyCeilingSerializer(serializers.ModelSerializer):
    fiscal_year = serializers.SlugRelatedField(slug_field="year", queryset=FiscalYear.objects.all())
    amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    used = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    remaining = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)

    class Meta:
        model = AgencyCeiling
        fields = ["id", "agency", "fiscal_year", "amount", "used", "remaining", "updated"]
        read_only_fields = ["updated"]


# --- ViewSets --------------------------------------------------------------------------

_LIST_FILTERS = [
    OpenApiParameter("year", int, description=_("Fiscal year.")),
    OpenApiParameter("agency", int, description=_("Agency id.")),
    OpenApiParameter("status", str, description=_("One of: %(values)s.") % {"values": ", ".join(PlanStatus.values)}),
    OpenApiParameter("search", str, description=_("Title, sub-activity code or name.")),
]


@extend_schema_view(list=extend_schema(parameters=_LIST_FILTERS))
class PlanItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Plan items the caller may see; planners create them and change drafts and returned items."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = PlanItem.objects.none()

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return PlanItemUpdateSerializer
        return PlanItemDetailSerializer if self.action == "retrieve" else PlanItemSerializer

    def get_queryset(self):
        params = self.request.query_params
        filters = {k: params.get(k) for k in ("year", "agency", "status", "search")}
        for key in ("year", "agency"):
            if filters[key] and not str(filters[key]).isdigit():
                raise ApiValidationError({key: _("Enter a number.")})
        return selectors.plan_items_visible(self.request.user, **filters).prefetch_related("indicators", "versions")

    def get_object(self):
        write = self.request.method not in permissions.SAFE_METHODS
        item = selectors.get_plan_item_for(
            self.request.user, self.kwargs["pk"], write=write and self.action != "verify"
        )
        self.check_object_permissions(self.request, item)
        return item

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = _domain(
            lambda: services.plan_item_create(
                actor=self.request.user,
                agency=data["agency"],
                fiscal_year=data["fiscal_year"],
                **serializer.service_fields(),
            )
        )

    def perform_update(self, serializer):
        serializer.instance = _domain(
            lambda: services.plan_item_update(
                plan_item_id=serializer.instance.pk, actor=self.request.user, **serializer.service_fields()
            )
        )

    def _transition(self, request, pk, call, comment_serializer=None):
        item = selectors.get_plan_item_for(request.user, pk)
        comment = ""
        if comment_serializer is not None:
            body = comment_serializer(data=request.data)
            body.is_valid(raise_exception=True)
            comment = body.validated_data.get("comment", "")
        item = _domain(lambda: call(item.pk, request.user, comment))
        item = selectors.get_plan_item_for(request.user, item.pk)
        return Response(PlanItemDetailSerializer(item, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses=PlanItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._transition(request, pk, lambda i, u, c: services.plan_item_submit(plan_item_id=i, actor=u))

    @extend_schema(request=CommentSerializer, responses=PlanItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        call = lambda i, u, c: services.plan_item_verify(plan_item_id=i, actor=u, note=c)  # noqa: E731
        return self._transition(request, pk, call, CommentSerializer)

    @extend_schema(request=RequiredCommentSerializer, responses=PlanItemDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_for_correction(self, request, pk=None):
        call = lambda i, u, c: services.plan_item_return(plan_item_id=i, actor=u, comment=c)  # noqa: E731
        return self._transition(request, pk, call, RequiredCommentSerializer)

    @extend_schema(request=None, responses=PlanItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._transition(request, pk, lambda i, u, c: services.plan_item_approve(plan_item_id=i, actor=u))

    @extend_schema(request=RequiredCommentSerializer, responses=PlanItemDetailSerializer)
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        call = lambda i, u, c: services.plan_item_start_revision(plan_item_id=i, actor=u, reason=c)  # noqa: E731
        return self._transition(request, pk, call, RequiredCommentSerializer)


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("region", int, description=_("Region id."))]))
class RpjmdGoalViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """RPJMD goals with their objectives, indicators and targets; Bappeda adds goals."""

    serializer_class = RpjmdGoalSerializer
    queryset = RpjmdGoal.objects.none()

    def get_queryset(self):
        indicators = RpjmdIndicator.objects.prefetch_related("targets")
        qs = RpjmdGoal.objects.visible_to(self.request.user).prefetch_related(
            "objectives", Prefetch("objectives__indicators", queryset=indicators)
        )
        region = self.request.query_params.get("region")
        if region:
            if not region.isdigit():
                raise ApiValidationError({"region": _("Enter a number.")})
            qs = qs.filter(region_id=region)
        return qs.order_by("region__code", "-period_start", "code")

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = _domain(
            lambda: rpjmd_services.rpjmd_goal_create(
                actor=self.request.user,
                region=data["region"],
                period_start=data["period_start"],
                code=data["code"],
                statement=data["statement"],
            )
        )


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("year", int, description=_("Fiscal year."))]))
class AgencyCeilingViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Agencies' ceilings with what their items use; Bappeda sets one by posting it again."""

    serializer_class = AgencyCeilingSerializer
    queryset = AgencyCeiling.objects.none()

    def get_queryset(self):
        year = self.request.query_params.get("year", "")
        if year and not year.isdigit():
            raise ApiValidationError({"year": _("Enter a number.")})
        return selectors.ceilings_visible(self.request.user, year=int(year) if year else None)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ceiling = _domain(
            lambda: ceiling_services.agency_ceiling_set(
                actor=request.user, agency=data["agency"], fiscal_year=data["fiscal_year"], amount=data["amount"]
            )
        )
        ceiling = selectors.ceilings_visible(request.user).get(pk=ceiling.pk)
        return Response(self.get_serializer(ceiling).data, status=status.HTTP_201_CREATED)
