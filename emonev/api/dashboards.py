"""The dashboard's figures as JSON: ``GET /api/emonev/dashboard/?region=&agency=&program=&year=``
gives the same rows as the page (regions, a region's agencies, an agency's programs), their
total, the realization by month and the planned-versus-actual curve, scoped to the caller."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from .. import dashboards

PERCENT = {"max_digits": 7, "decimal_places": 2, "allow_null": True}
MONEY = {"max_digits": 18, "decimal_places": 2}


class DashboardRowSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("Region code, agency code or program code."))
    label = serializers.CharField()
    key = serializers.IntegerField(allow_null=True, help_text=_("Region, agency or program (nomenclature) id."))
    budget = serializers.DecimalField(**MONEY)
    committed = serializers.DecimalField(**MONEY)
    realized = serializers.DecimalField(**MONEY)
    realized_pct = serializers.DecimalField(**PERCENT)
    physical = serializers.DecimalField(
        help_text=_("Σ(contract value × latest accepted physical %) ÷ Σ(contract value)."), **PERCENT
    )
    planned = serializers.DecimalField(**PERCENT)
    deviation = serializers.DecimalField(**PERCENT)
    level = serializers.CharField(
        help_text=_("Deviation level: on_track, behind, far_behind (empty without a report).")
    )
    contracts = serializers.IntegerField()
    reported = serializers.IntegerField(help_text=_("Contracts with an accepted report."))
    packages = serializers.DictField(child=serializers.IntegerField(), help_text=_("Packages per status."))
    critical = serializers.IntegerField()
    late = serializers.IntegerField(help_text=_("Reports submitted late or still unsubmitted after their due day."))


class MonthSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    planned = serializers.DecimalField(**MONEY)
    realized = serializers.DecimalField(**MONEY)
    planned_cumulative = serializers.DecimalField(**MONEY)
    realized_cumulative = serializers.DecimalField(**MONEY)


class CurvePointSerializer(serializers.Serializer):
    month = serializers.IntegerField()
    planned = serializers.DecimalField(**PERCENT)
    actual = serializers.DecimalField(**PERCENT)


class DashboardSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=["region", "agency", "program"], help_text=_("What the rows are."))
    year = serializers.IntegerField()
    region = serializers.CharField(source="region.code", allow_null=True, default=None)
    agency = serializers.IntegerField(source="agency.pk", allow_null=True, default=None)
    program = serializers.CharField(source="program.code", allow_null=True, default=None)
    rows = DashboardRowSerializer(many=True)
    total = DashboardRowSerializer()
    months = MonthSerializer(many=True)
    curve = CurvePointSerializer(many=True)


class DashboardViewSet(viewsets.ViewSet):
    """The monitoring dashboard, at the level the parameters drill to."""

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, description=_("Kemendagri code of a region, e.g. 53.01.")),
            OpenApiParameter("agency", int, description=_("An agency of that region (its id).")),
            OpenApiParameter("program", str, description=_("A program code of that agency, e.g. 2.16.02.")),
            OpenApiParameter("year", int, description=_("Fiscal year (this year by default).")),
        ],
        responses=DashboardSerializer,
    )
    def list(self, request):
        agencies = dashboards.staff_agencies(request.user)
        params = request.query_params
        region, agency, program = dashboards.resolve(
            agencies,
            region=params.get("region", "").strip(),
            agency=params.get("agency", "").strip(),
            program=params.get("program", "").strip(),
        )
        board = dashboards.build(
            agencies, region=region, agency=agency, program=program, year=dashboards.fiscal_year(params.get("year"))
        )
        return Response(DashboardSerializer(board).data)
