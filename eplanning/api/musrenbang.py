"""Musrenbang over the API: the staff's proposals (scoped, each decision its own action)
and a public, read-only list of what became of every proposal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from portal.models import Region

from ..choices import ProposalCategory, ProposalStage, ProposalStatus
from ..models import CommunityProposal, PlanItem
from ..selectors import musrenbang as selectors
from ..services import musrenbang as services
from ..services.musrenbang import MAX_SCORE, MIN_SCORE, PROPOSAL_FIELDS

_DECIDED = ["stage", "status", "score", "plan_item", "rejection_reason", "created"]


def _as_api_error(exc: ValidationError) -> ApiValidationError:
    return ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class ProposalSerializer(serializers.ModelSerializer):
    region = serializers.PrimaryKeyRelatedField(queryset=Region.objects.all())
    estimated_cost = serializers.DecimalField(max_digits=18, decimal_places=2, min_value=0)

    class Meta:
        model = CommunityProposal
        fields = ["id", "region", "fiscal_year", *PROPOSAL_FIELDS, *_DECIDED]
        read_only_fields = _DECIDED


class ProposalUpdateSerializer(ProposalSerializer):
    """Region and year stay what they were recorded with."""

    region = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta(ProposalSerializer.Meta):
        read_only_fields = ["fiscal_year", *_DECIDED]


class ForwardSerializer(serializers.Serializer):
    score = serializers.DecimalField(max_digits=5, decimal_places=2, min_value=MIN_SCORE, max_value=MAX_SCORE)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField()


class AcceptSerializer(serializers.Serializer):
    plan_item = serializers.PrimaryKeyRelatedField(queryset=PlanItem.objects.all())
    note = serializers.CharField(required=False, allow_blank=True, default="")


_STAFF_FILTERS = [
    OpenApiParameter("round", str, enum=ProposalStage.values, description="Only proposals in this round."),
    OpenApiParameter("status", str, enum=ProposalStatus.values, description="Only proposals with this status."),
    OpenApiParameter("year", int, description="Only proposals of this fiscal year."),
]


@extend_schema_view(list=extend_schema(parameters=_STAFF_FILTERS))
class ProposalViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Musrenbang proposals of the regions the caller works in. Planners and Bappeda of
    a region record and correct them (in the village round only); Bappeda decides."""

    queryset = CommunityProposal.objects.none()
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_serializer_class(self):
        return ProposalUpdateSerializer if self.action in {"update", "partial_update"} else ProposalSerializer

    def get_queryset(self):
        qs = selectors.proposals_visible(self.request.user).order_by("-fiscal_year__year", "stage", "-score", "id")
        params = self.request.query_params
        if params.get("round") in ProposalStage.values:
            qs = qs.filter(stage=params["round"])
        if params.get("status") in ProposalStatus.values:
            qs = qs.filter(status=params["status"])
        if str(params.get("year", "")).isdigit():
            qs = qs.filter(fiscal_year__year=int(params["year"]))
        return qs

    def get_object(self):
        return selectors.get_proposal_for(self.request.user, self.kwargs["pk"])

    def perform_create(self, serializer):
        data = serializer.validated_data
        fields = {k: v for k, v in data.items() if k in PROPOSAL_FIELDS}
        try:
            serializer.instance = services.proposal_record(
                actor=self.request.user, region=data["region"], fiscal_year=data["fiscal_year"], **fields
            )
        except ValidationError as exc:
            raise _as_api_error(exc) from exc

    def perform_update(self, serializer):
        selectors.get_proposal_for(self.request.user, serializer.instance.pk, write=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k in PROPOSAL_FIELDS}
        try:
            serializer.instance = services.proposal_update(
                proposal_id=serializer.instance.pk, actor=self.request.user, **fields
            )
        except ValidationError as exc:
            raise _as_api_error(exc) from exc

    def _decide(self, request, pk, serializer_class, service):
        proposal = selectors.get_proposal_for(request.user, pk, review=True)
        data = serializer_class(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            proposal = service(proposal_id=proposal.pk, actor=request.user, **data.validated_data)
        except ValidationError as exc:
            raise _as_api_error(exc) from exc
        return Response(ProposalSerializer(proposal).data, status=status.HTTP_200_OK)

    @extend_schema(request=ForwardSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        """Forward to the next round with this round's score (0–100)."""
        return self._decide(request, pk, ForwardSerializer, services.proposal_forward)

    @extend_schema(request=RejectSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject in the current round; the reason is published."""
        return self._decide(request, pk, RejectSerializer, services.proposal_reject)

    @extend_schema(request=AcceptSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """In the region round, accept into a plan item of the same region and year."""
        return self._decide(request, pk, AcceptSerializer, services.proposal_accept)


# --- Public --------------------------------------------------------------------------


class OutcomeFactSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()
    url = serializers.CharField(allow_blank=True)


class PublicPlanItemSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.name")
    title = serializers.SerializerMethodField()

    class Meta:
        model = PlanItem
        fields = ["id", "title", "agency", "status"]

    def get_title(self, obj) -> str:
        return obj.title or obj.sub_activity.name


class PublicProposalSerializer(serializers.ModelSerializer):
    """A proposal as anybody may read it: never who proposed it nor their contact."""

    region_code = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    fiscal_year = serializers.IntegerField(source="fiscal_year.year")
    target_agency = serializers.CharField(source="target_agency.name", allow_null=True, default=None)
    plan_item = PublicPlanItemSerializer(allow_null=True)
    outcomes = OutcomeFactSerializer(many=True, default=list)

    class Meta:
        model = CommunityProposal
        fields = [
            "id",
            "region_code",
            "region_name",
            "fiscal_year",
            "category",
            "title",
            "description",
            "district",
            "village",
            "estimated_cost",
            "target_agency",
            "stage",
            "status",
            "rejection_reason",
            "plan_item",
            "outcomes",
        ]
        read_only_fields = fields


_PUBLIC_FILTERS = [
    OpenApiParameter("region", str, description="Region code, e.g. 53.01."),
    OpenApiParameter("district", str, description="Part of the district's name."),
    OpenApiParameter("category", str, enum=ProposalCategory.values),
    OpenApiParameter("status", str, enum=ProposalStatus.values),
    OpenApiParameter("year", int, description="Fiscal year."),
    OpenApiParameter("q", str, description="Words in the title, description or village."),
]


@extend_schema_view(list=extend_schema(parameters=_PUBLIC_FILTERS))
class PublicProposalViewSet(viewsets.ReadOnlyModelViewSet):
    """Every region's Musrenbang proposals and what became of each, for anybody."""

    serializer_class = PublicProposalSerializer
    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]
    queryset = CommunityProposal.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        filters = {name: params.get(name, "").strip() for name in ("region", "district", "category", "status", "q")}
        return selectors.public_proposals(year=params.get("year", ""), **filters)

    def list(self, request, *args, **kwargs):
        page = selectors.attach_outcomes(self.paginate_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def get_object(self):
        return selectors.get_public_proposal(self.kwargs["pk"])
