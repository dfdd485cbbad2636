"""API of the reports part: the stored monthly reports (read, and ``build`` to ask for
one now), indicator achievement (``record`` and ``verify`` actions calling the same
services as the pages) and the performance evaluation of a year. Every list is scoped to
the caller; a record outside it answers 404."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from portal.models import Agency, Region

from ..models import IndicatorAchievement, MonthlyReport
from ..selectors import monthly as monthly_selectors
from ..selectors import performance as performance_selectors
from ..services import monthly as monthly_services
from ..services import performance as performance_services
from .views import _domain


class MonthlyReportSerializer(serializers.ModelSerializer):
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReport
        fields = [
            "id",
            "region",
            "agency",
            "year",
            "month",
            "rows",
            "generated_at",
            "pdf_sha256",
            "xlsx_sha256",
            "pdf_url",
            "xlsx_url",
        ]
        read_only_fields = fields

    def _url(self, obj, fmt) -> str:
        return reverse("emonev:monthly_download", args=[obj.pk, fmt]) if obj.is_ready else ""

    def get_pdf_url(self, obj) -> str:
        return self._url(obj, "pdf")

    def get_xlsx_url(self, obj) -> str:
        return self._url(obj, "xlsx")


class MonthlyBuildSerializer(serializers.Serializer):
    region = serializers.IntegerField()
    agency = serializers.IntegerField(required=False, allow_null=True)
    year = serializers.IntegerField()
    month = serializers.IntegerField()


class MonthlyJobSerializer(serializers.Serializer):
    report = MonthlyReportSerializer()
    job = serializers.IntegerField()


class MonthlyReportViewSet(viewsets.ReadOnlyModelViewSet):
    """Stored monthly monev reports the caller may download; ``build`` asks for one now
    (the job's progress is at /emonev/laporan-bulanan/pekerjaan/<job>/)."""

    serializer_class = MonthlyReportSerializer
    queryset = MonthlyReport.objects.none()

    def get_queryset(self):
        return monthly_selectors.visible_monthly_reports(
            self.request.user, year=self.request.query_params.get("year", "")
        )

    def get_object(self):
        return monthly_selectors.get_monthly_report_for(self.request.user, self.kwargs["pk"])

    @extend_schema(request=MonthlyBuildSerializer, responses={202: MonthlyJobSerializer})
    @action(detail=False, methods=["post"])
    def build(self, request):
        from ..tasks import build_monthly_report_job

        body = MonthlyBuildSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        region = Region.objects.filter(pk=data["region"]).first()
        agency = Agency.objects.filter(pk=data["agency"]).first() if data.get("agency") else None
        if region is None or (data.get("agency") and agency is None):
            raise NotFound
        report, job = _domain(
            lambda: monthly_services.monthly_report_request(
                region=region, agency=agency, year=data["year"], month=data["month"], actor=request.user
            )
        )
        transaction.on_commit(lambda: build_monthly_report_job.delay(job.pk))
        return Response({"report": MonthlyReportSerializer(report).data, "job": job.pk}, status=202)


class AchievementSerializer(serializers.ModelSerializer):
    target = serializers.SerializerMethodField()
    achievement_pct = serializers.SerializerMethodField()
    band = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorAchievement
        fields = [
            "id",
            "indicator",
            "plan_item",
            "agency",
            "quarter",
            "actual",
            "target",
            "achievement_pct",
            "band",
            "note",
            "status",
            "recorded_at",
            "verified_at",
        ]
        read_only_fields = fields

    def _pct(self, obj):
        from ..performance import achievement, quarter_target

        return achievement(obj.actual, quarter_target(obj.indicator, obj.quarter))

    def get_target(self, obj) -> str:
        from ..performance import quarter_target

        return str(quarter_target(obj.indicator, obj.quarter))

    def get_achievement_pct(self, obj) -> str | None:
        pct = self._pct(obj)
        return None if pct is None else str(pct)

    def get_band(self, obj) -> str:
        from ..performance import band

        return band(self._pct(obj))


class AchievementRecordSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    quarter = serializers.IntegerField()
    actual = serializers.CharField(max_length=30)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class PerformanceMeasureSerializer(serializers.Serializer):
    pct = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    band = serializers.CharField(help_text=_("very_high, high, medium, low, very_low; empty without a figure"))


class PerformanceQuarterSerializer(serializers.Serializer):
    quarter = serializers.IntegerField()
    target = serializers.DecimalField(max_digits=18, decimal_places=4)
    actual = serializers.DecimalField(max_digits=18, decimal_places=4, allow_null=True, source="record.actual")
    verified = serializers.BooleanField()
    pct = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    band = serializers.CharField()


class PerformanceIndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="indicator.pk")
    name = serializers.CharField(source="indicator.name")
    unit = serializers.CharField(source="indicator.unit")
    quarters = PerformanceQuarterSerializer(many=True)
    semester1 = PerformanceMeasureSerializer()
    semester2 = PerformanceMeasureSerializer()
    year = PerformanceMeasureSerializer()


class PerformancePlanItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="plan_item.pk")
    code = serializers.CharField(source="plan_item.sub_activity.code")
    indicators = PerformanceIndicatorSerializer(many=True)
    semester1 = PerformanceMeasureSerializer()
    semester2 = PerformanceMeasureSerializer()
    year = PerformanceMeasureSerializer()


class PerformanceProgramSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="key", allow_null=True)
    code = serializers.CharField()
    name = serializers.CharField()
    plan_items = PerformancePlanItemSerializer(many=True, source="items")
    semester1 = PerformanceMeasureSerializer()
    semester2 = PerformanceMeasureSerializer()
    year = PerformanceMeasureSerializer()


class PerformanceAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="key")
    code = serializers.CharField()
    name = serializers.CharField()
    programs = PerformanceProgramSerializer(many=True, source="items")
    semester1 = PerformanceMeasureSerializer()
    semester2 = PerformanceMeasureSerializer()
    year = PerformanceMeasureSerializer()


class PerformanceEvaluationSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    agencies = PerformanceAgencySerializer(many=True)


class AchievementViewSet(viewsets.ReadOnlyModelViewSet):
    """Indicator achievement the caller may see. The agency's monev officer ``record``s
    the cumulative actual of a quarter; Bappeda's verifier ``verify``s it (locks it).
    ``evaluation`` gives the year's evaluation with its bands."""

    serializer_class = AchievementSerializer
    queryset = IndicatorAchievement.objects.none()

    def get_queryset(self):
        return (
            IndicatorAchievement.objects.visible_to(self.request.user)
            .select_related("indicator")
            .order_by("plan_item_id", "indicator_id", "quarter")
        )

    def get_object(self):
        return performance_selectors.get_achievement_for(self.request.user, self.kwargs["pk"])

    @extend_schema(request=AchievementRecordSerializer, responses={201: AchievementSerializer})
    @action(detail=False, methods=["post"])
    def record(self, request):
        body = AchievementRecordSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        indicator = performance_selectors.get_indicator_for(request.user, data["indicator"])
        achievement = _domain(
            lambda: performance_services.achievement_record(
                indicator=indicator,
                quarter=data["quarter"],
                actual=data["actual"],
                note=data.get("note", ""),
                actor=request.user,
            )
        )
        return Response(
            AchievementSerializer(performance_selectors.get_achievement_for(request.user, achievement.pk)).data,
            status=201,
        )

    @extend_schema(request=None, responses=AchievementSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        achievement = self.get_object()
        _domain(lambda: performance_services.achievement_verify(achievement=achievement, actor=request.user))
        return Response(AchievementSerializer(self.get_object()).data)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description=_("Fiscal year (this year by default)."))],
        responses=PerformanceEvaluationSerializer,
    )
    @action(detail=False, methods=["get"])
    def evaluation(self, request):
        value = request.query_params.get("year", "")
        year = int(value) if value.isdigit() else timezone.localdate().year
        groups = performance_selectors.performance_evaluation(request.user, year=year)
        return Response(PerformanceEvaluationSerializer({"year": year, "agencies": groups}).data)
