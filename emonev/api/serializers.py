"""Shapes of the E-Monev API. A status, a financial figure, a plan snapshot or a
lateness flag is never written through a serializer: the services compute them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from eplanning.models import PlanItem
from eprocurement.models import Contract

from ..choices import EscalationStep, ReportStatus
from ..models import CriticalStatus, Escalation, PlannedCurve, PlannedPoint, ProgressEvidence, ProgressReport
from ..rules import deviation_level

MONEY = {"max_digits": 18, "decimal_places": 2}
PERCENT = {"max_digits": 5, "decimal_places": 2}


class EvidenceSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ProgressEvidence
        fields = [
            "id",
            "kind",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "caption",
            "taken_at",
            "latitude",
            "longitude",
            "uploaded",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, obj) -> str:
        return reverse("emonev:evidence_download", args=[obj.pk])


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("A JPEG or PNG photo or a PDF document."))
    caption = serializers.CharField(required=False, allow_blank=True, max_length=300)


class ReportSerializer(serializers.ModelSerializer):
    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.all(), required=False, allow_null=True)
    plan_item = serializers.PrimaryKeyRelatedField(queryset=PlanItem.objects.all(), required=False, allow_null=True)
    physical_pct = serializers.DecimalField(min_value=0, max_value=100, **PERCENT)
    status = serializers.ChoiceField(choices=ReportStatus.choices, read_only=True)
    physical_deviation = serializers.DecimalField(read_only=True, allow_null=True, **PERCENT)
    financial_deviation = serializers.DecimalField(read_only=True, allow_null=True, **MONEY)
    deviation_level = serializers.SerializerMethodField()
    evidence = EvidenceSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "agency",
            "contract",
            "plan_item",
            "year",
            "month",
            "physical_pct",
            "problems",
            "follow_up",
            "status",
            "financial_realized",
            "financial_total",
            "planned_physical_pct",
            "planned_financial",
            "physical_deviation",
            "financial_deviation",
            "deviation_level",
            "due_on",
            "is_late",
            "submitted_at",
            "verifier_comment",
            "decided_at",
            "evidence",
        ]
        read_only_fields = [
            "agency",
            "financial_realized",
            "financial_total",
            "planned_physical_pct",
            "planned_financial",
            "due_on",
            "is_late",
            "submitted_at",
            "verifier_comment",
            "decided_at",
        ]
        # One report per subject and month is the service's rule (with its own message).
        validators = []

    def get_deviation_level(self, obj) -> str:
        return deviation_level(obj.physical_deviation)


class ReportUpdateSerializer(ReportSerializer):
    """The subject and month are fixed once a report exists."""

    class Meta(ReportSerializer.Meta):
        read_only_fields = [*ReportSerializer.Meta.read_only_fields, "contract", "plan_item", "year", "month"]


class ReportAcceptSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, help_text=_("The verifier's comments."))


class ReportReturnSerializer(serializers.Serializer):
    comment = serializers.CharField(help_text=_("What must be corrected."))


class PointSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlannedPoint
        fields = ["year", "month", "physical_pct", "financial"]
        read_only_fields = ["year", "month"]


class CurveSerializer(serializers.ModelSerializer):
    contract = serializers.PrimaryKeyRelatedField(queryset=Contract.objects.all(), required=False, allow_null=True)
    plan_item = serializers.PrimaryKeyRelatedField(queryset=PlanItem.objects.all(), required=False, allow_null=True)
    points = PointSerializer(many=True, help_text=_("One per month, in order: cumulative values."))

    class Meta:
        model = PlannedCurve
        fields = ["id", "agency", "contract", "plan_item", "total", "points", "updated"]
        read_only_fields = ["agency", "total", "updated"]
        validators = []  # one curve per subject: the service replaces it


class EscalationSerializer(serializers.ModelSerializer):
    step = serializers.ChoiceField(choices=EscalationStep.choices)

    class Meta:
        model = Escalation
        fields = ["id", "step", "held_on", "reference", "note", "recorded_at"]
        read_only_fields = ["recorded_at"]


class CriticalStatusSerializer(serializers.ModelSerializer):
    contract_number = serializers.CharField(source="contract.number", read_only=True)
    package = serializers.CharField(source="contract.package.name", read_only=True)
    escalations = EscalationSerializer(many=True, read_only=True)

    class Meta:
        model = CriticalStatus
        fields = [
            "id",
            "contract",
            "contract_number",
            "package",
            "agency",
            "is_critical",
            "since",
            "year",
            "month",
            "planned_pct",
            "actual_pct",
            "basis",
            "evaluated_at",
            "escalations",
        ]
        read_only_fields = fields
