"""The trace as JSON: ``GET /api/emonev/trace/<kind>/<pk>/`` gives the same chain the trace
page shows (``emonev.trace.build_chain``), with the same access rule: a record the caller
may not see, or whose root plan items the caller does not reach, answers 404."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import trace

MONEY = {"max_digits": 18, "decimal_places": 2, "coerce_to_string": True}
PERCENT = {"max_digits": 5, "decimal_places": 2, "coerce_to_string": True}
KIND_PATTERN = "|".join(trace.KINDS)


def _money(**kwargs):
    return serializers.DecimalField(**MONEY, **kwargs)


class ReportStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    status = serializers.CharField()
    physical_pct = serializers.DecimalField(**PERCENT)
    planned_physical_pct = serializers.DecimalField(**PERCENT, allow_null=True)
    deviation = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    financial_realized = _money(allow_null=True)
    url = serializers.CharField()


class PaymentStepSerializer(serializers.Serializer):
    number = serializers.CharField()
    date = serializers.DateField()
    amount = _money()
    description = serializers.CharField()


class ContractStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    vendor = serializers.CharField()
    value = _money()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    status = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField()
    progress_url = serializers.CharField()
    is_start = serializers.BooleanField()
    paid = _money()
    payments = PaymentStepSerializer(many=True)
    progress = ReportStepSerializer(many=True)


class AwardStepSerializer(serializers.Serializer):
    vendor = serializers.CharField()
    value = _money()
    decided_at = serializers.DateTimeField()
    announced_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField()


class OpenedBidSerializer(serializers.Serializer):
    vendor = serializers.CharField()
    price = _money(help_text=_("The price read at opening (never before)."))
    rank = serializers.IntegerField(allow_null=True)


class BidsStepSerializer(serializers.Serializer):
    submitted = serializers.IntegerField(help_text=_("Bids submitted (before opening, all that is shown)."))
    opened = serializers.BooleanField()
    opened_at = serializers.DateTimeField(allow_null=True)
    items = OpenedBidSerializer(many=True, help_text=_("The opened bids; empty before opening."))


class PackageStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    value = _money()
    owner_estimate = _money()
    announced_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField()
    is_start = serializers.BooleanField()
    bids = BidsStepSerializer()
    award = AwardStepSerializer(allow_null=True)
    contract = ContractStepSerializer(allow_null=True)


class FundingStepSerializer(serializers.Serializer):
    budget_line_id = serializers.IntegerField()
    key = serializers.CharField()
    amount = _money()


class ProcurementPlanStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rup_code = serializers.CharField()
    name = serializers.CharField()
    method = serializers.CharField()
    value = _money()
    status = serializers.CharField()
    url = serializers.CharField()
    fundings = FundingStepSerializer(many=True)
    packages = PackageStepSerializer(many=True)


class BudgetLineStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    key = serializers.CharField()
    description = serializers.CharField()
    document = serializers.CharField()
    in_force = serializers.BooleanField()
    funding_source = serializers.CharField()
    amount = _money()
    committed = _money()
    realized = _money()
    url = serializers.CharField()
    is_start = serializers.BooleanField()


class ProposalStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    district = serializers.CharField()
    village = serializers.CharField()
    estimated_cost = _money()
    status = serializers.CharField()
    url = serializers.CharField()
    is_start = serializers.BooleanField()


class ObjectiveStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    statement = serializers.CharField()
    goal_code = serializers.CharField()
    goal_statement = serializers.CharField()
    url = serializers.CharField()


class PlanItemStepSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    agency = serializers.CharField()
    fiscal_year = serializers.IntegerField()
    status = serializers.CharField()
    indicative_ceiling = _money()
    budget = _money(help_text=_("Sum of the lines in the budget in force."))
    realized = _money()
    url = serializers.CharField()
    progress_url = serializers.CharField()
    is_start = serializers.BooleanField()
    objective = ObjectiveStepSerializer(allow_null=True)
    proposals = ProposalStepSerializer(many=True)
    budget_lines = BudgetLineStepSerializer(many=True)
    procurement_plans = ProcurementPlanStepSerializer(many=True)
    progress = ReportStepSerializer(many=True)


class TraceStartSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=trace.KINDS)
    id = serializers.IntegerField()


class TraceSerializer(serializers.Serializer):
    start = TraceStartSerializer()
    plan_items = PlanItemStepSerializer(many=True)


class TraceViewSet(viewsets.ViewSet):
    """The chain through a plan item, budget line, package, contract or Musrenbang proposal."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str, OpenApiParameter.PATH, enum=list(trace.KINDS)),
            OpenApiParameter("id", int, OpenApiParameter.PATH, description=_("The record's id.")),
        ],
        responses=TraceSerializer,
    )
    @action(detail=False, methods=["get"], url_path=rf"(?P<kind>{KIND_PATTERN})/(?P<pk>[0-9]+)", url_name="chain")
    def chain(self, request, kind: str, pk: str):
        return Response(TraceSerializer(trace.build_chain(request.user, kind, pk)).data)
