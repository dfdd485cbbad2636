"""API for budget documents and their lines. Each state change is its own action; the
serializers never write status, amount, committed or realized."""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from eplanning.models import PlanItem
from portal.choices import Role

from ..choices import AccountLevel, RevisionKind
from ..models import AccountCode, BudgetDocument, BudgetLine, CashPlanMonth, FundingSource
from ..selectors import documents as selectors
from ..services import documents as services

MONEY = {"max_digits": 18, "decimal_places": 2}


@contextmanager
def domain_errors():
    """A rule the service refuses answers 400 with its message."""
    try:
        yield
    except ValidationError as exc:
        raise ApiValidationError(exc.messages) from exc


class DocumentSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    year = serializers.IntegerField(source="fiscal_year.year", read_only=True)
    total = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = BudgetDocument
        fields = [
            "id",
            "agency",
            "agency_name",
            "fiscal_year",
            "year",
            "version",
            "revision_kind",
            "previous",
            "status",
            "is_current",
            "number",
            "verifier_note",
            "approved_at",
            "created",
            "total",
        ]
        read_only_fields = [f for f in fields if f not in ("agency", "fiscal_year")]


class ReturnSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ReviseSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[RevisionKind.SHIFT, RevisionKind.AMENDMENT])


class CashPlanField(serializers.ListField):
    """Written as twelve amounts; read from the line's (prefetched) cash plan rows."""

    def to_representation(self, data):
        months = data.all() if hasattr(data, "all") else data
        return [self.child.to_representation(getattr(month, "amount", month)) for month in months]


class LineSerializer(serializers.ModelSerializer):
    """A line with its cash plan: twelve amounts, January first, adding up to the amount."""

    cash_plan = CashPlanField(child=serializers.DecimalField(min_value=0, **MONEY), min_length=12, max_length=12)
    available = serializers.DecimalField(read_only=True, **MONEY)
    plan_item = serializers.PrimaryKeyRelatedField(queryset=PlanItem.objects.all())
    account = serializers.PrimaryKeyRelatedField(
        queryset=AccountCode.objects.filter(level=AccountLevel.SUB_RINCIAN_OBJEK)
    )
    funding_source = serializers.PrimaryKeyRelatedField(queryset=FundingSource.objects.all())

    class Meta:
        model = BudgetLine
        fields = [
            "id",
            "document",
            "origin",
            "plan_item",
            "account",
            "funding_source",
            "description",
            "volume",
            "unit",
            "unit_price",
            "amount",
            "committed",
            "realized",
            "available",
            "cash_plan",
        ]
        read_only_fields = ["origin", "amount", "committed", "realized"]

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["document"].read_only = True  # a line stays in its document
        return fields

    def validate_plan_item(self, value):
        # Only plan items the caller may see; the service checks agency, year and status.
        if not PlanItem.objects.visible_to(self.context["request"].user).filter(pk=value.pk).exists():
            raise serializers.ValidationError(_("Unknown plan item."))
        return value


class DocumentViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Budget documents the caller may read. POST starts an agency's RKA for a year."""

    serializer_class = DocumentSerializer

    def get_queryset(self):
        return selectors.documents_for(self.request.user)

    def get_object(self):
        document = selectors.get_document_for(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, document)
        return document

    def perform_create(self, serializer):
        with domain_errors():
            serializer.instance = services.document_create(
                agency=serializer.validated_data["agency"],
                fiscal_year=serializer.validated_data["fiscal_year"],
                actor=self.request.user,
            )

    def _done(self, document):
        fresh = self.get_queryset().get(pk=document.pk)
        return Response(DocumentSerializer(fresh, context=self.get_serializer_context()).data)

    def _run(self, service, **kwargs):
        document = self.get_object()
        with domain_errors():
            result = service(document_id=document.pk, actor=self.request.user, **kwargs)
        return self._done(result)

    @extend_schema(request=None, responses=DocumentSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        return self._run(services.document_submit)

    @extend_schema(request=None, responses=DocumentSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._run(services.document_verify)

    @extend_schema(request=ReturnSerializer, responses=DocumentSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        payload = ReturnSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        return self._run(services.document_return, reason=payload.validated_data["reason"])

    @extend_schema(request=None, responses=DocumentSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._run(services.document_approve)

    @extend_schema(request=ReviseSerializer, responses={status.HTTP_201_CREATED: DocumentSerializer})
    @action(detail=True, methods=["post"])
    def revise(self, request, pk=None):
        payload = ReviseSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        response = self._run(services.document_revise, kind=payload.validated_data["kind"])
        response.status_code = status.HTTP_201_CREATED
        return response


class LineViewSet(viewsets.ModelViewSet):
    """Lines of the documents the caller may read; changed only in a draft or returned
    document, by its agency's budget officer."""

    serializer_class = LineSerializer
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        lines = BudgetLine.objects.visible_to(self.request.user).select_related("document")
        document = self.request.query_params.get("document")
        if document and document.isdigit():
            lines = lines.filter(document_id=document)
        months = Prefetch("cash_plan", queryset=CashPlanMonth.objects.order_by("month"))
        return lines.prefetch_related(months).order_by("document_id", "pk")

    def get_object(self):
        write = self.request.method not in permissions.SAFE_METHODS
        line = selectors.get_line_for(self.request.user, self.kwargs["pk"], write=write, roles=[Role.BUDGET_OFFICER])
        self.check_object_permissions(self.request, line)
        return line

    @staticmethod
    def _split(validated: dict):
        data = dict(validated)
        data.pop("document", None)
        return data.pop("cash_plan", None), data

    def perform_create(self, serializer):
        document = selectors.get_document_for(
            self.request.user, serializer.validated_data["document"].pk, write=True, roles=[Role.BUDGET_OFFICER]
        )
        cash_plan, fields = self._split(serializer.validated_data)
        with domain_errors():
            line = services.line_add(document_id=document.pk, actor=self.request.user, cash_plan=cash_plan, **fields)
        serializer.instance = self._reloaded(line)

    def perform_update(self, serializer):
        cash_plan, fields = self._split(serializer.validated_data)
        if cash_plan is None:
            cash_plan = [month.amount for month in serializer.instance.cash_plan.all()]
        with domain_errors():
            line = services.line_update(
                line_id=serializer.instance.pk, actor=self.request.user, cash_plan=cash_plan, **fields
            )
        serializer.instance = self._reloaded(line)

    def perform_destroy(self, instance):
        with domain_errors():
            services.line_delete(line_id=instance.pk, actor=self.request.user)

    def _reloaded(self, line):
        return self.get_queryset().get(pk=line.pk)
