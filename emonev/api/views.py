"""API of E-Monev: progress reports (each state change an action calling the same service
as the pages), planned curves, and critical contracts with their escalation steps. Every
list is scoped to what the caller may see; a record outside it answers 404."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, permissions, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.domain import domain_call as _domain

from ..choices import ReportStatus
from ..models import CriticalStatus, PlannedCurve, PlannedPoint, ProgressEvidence, ProgressReport
from ..selectors import pages as selectors
from ..services import critical as critical_services
from ..services import curves as curve_services
from ..services import evidence as evidence_services
from ..services import reports as report_services
from . import serializers as s


def _visible_subject(user, data) -> dict:
    """The subject as the services take it; one the caller may not see answers 404."""
    contract, plan_item = data.get("contract"), data.get("plan_item")
    if contract is not None:
        contract = selectors.get_contract_for(user, contract.pk)
    if plan_item is not None:
        plan_item = selectors.get_plan_item_for(user, plan_item.pk)
    return {"contract": contract, "plan_item": plan_item}


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("status", str, enum=ReportStatus.values, description=_("Status."))])
)
class ProgressReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Monthly progress reports the caller may see; the agency's monev officer drafts,
    attaches evidence and submits; the region's monev verifier accepts or returns."""

    http_method_names = ["get", "post", "put", "head", "options"]
    queryset = ProgressReport.objects.none()

    def get_serializer_class(self):
        return s.ReportUpdateSerializer if self.action == "update" else s.ReportSerializer

    def get_queryset(self):
        evidence = Prefetch("evidence", queryset=ProgressEvidence.objects.order_by("id"))
        status = self.request.query_params.get("status", "")
        return selectors.visible_reports(self.request.user, status=status).prefetch_related(evidence)

    def get_object(self):
        report = selectors.get_report_for(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, report)
        return report

    def perform_create(self, serializer):
        data = serializer.validated_data
        subject = _visible_subject(self.request.user, data)
        serializer.instance = _domain(
            lambda: report_services.progress_report_create(
                **subject, year=data["year"], month=data["month"], data=_report_data(data), actor=self.request.user
            )
        )

    def perform_update(self, serializer):
        serializer.instance = _domain(
            lambda: report_services.progress_report_update(
                report=serializer.instance, data=_report_data(serializer.validated_data), actor=self.request.user
            )
        )

    def _answer(self, report, status=200):
        report = selectors.get_report_for(self.request.user, report.pk)
        return Response(s.ReportSerializer(report, context=self.get_serializer_context()).data, status=status)

    @extend_schema(request=None, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit to the verifiers; the financial progress and the month's plan are read now."""
        report = self.get_object()
        return self._answer(_domain(lambda: report_services.progress_report_submit(report=report, actor=request.user)))

    @extend_schema(request=s.ReportAcceptSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept (locks the report; evaluates a contract's critical status)."""
        report = self.get_object()
        body = s.ReportAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = body.validated_data.get("comment", "")
        return self._answer(
            _domain(lambda: report_services.progress_report_accept(report=report, actor=request.user, comment=comment))
        )

    @extend_schema(request=s.ReportReturnSerializer, responses=s.ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """Return for correction, with what must be corrected."""
        report = self.get_object()
        body = s.ReportReturnSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = body.validated_data["comment"]
        return self._answer(
            _domain(lambda: report_services.progress_report_return(report=report, actor=request.user, comment=comment))
        )

    @extend_schema(request=s.EvidenceUploadSerializer, responses={201: s.EvidenceSerializer})
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser])
    def evidence(self, request, pk=None):
        """Attach a photo or a document (checked by its content)."""
        report = self.get_object()
        body = s.EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        evidence = _domain(
            lambda: evidence_services.evidence_add(
                report=report,
                upload=body.validated_data["file"],
                caption=body.validated_data.get("caption", ""),
                actor=request.user,
            )
        )
        return Response(s.EvidenceSerializer(evidence).data, status=201)


def _report_data(data) -> dict:
    return {name: data.get(name, "") for name in ("physical_pct", "problems", "follow_up")}


class PlannedCurveViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Planned curves the caller may see; POST sets (or replaces) the curve of a contract
    (its PPK) or a plan item (its planner or monev officer)."""

    serializer_class = s.CurveSerializer
    queryset = PlannedCurve.objects.none()

    def get_queryset(self):
        points = Prefetch("points", queryset=PlannedPoint.objects.order_by("year", "month"))
        return PlannedCurve.objects.visible_to(self.request.user).prefetch_related(points).order_by("id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        subject = _visible_subject(self.request.user, data)
        points = data["points"]
        serializer.instance = _domain(
            lambda: curve_services.planned_curve_set(
                **subject,
                physical=[p["physical_pct"] for p in points],
                financial=[p["financial"] for p in points],
                actor=self.request.user,
            )
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[OpenApiParameter("all", bool, description=_("Include contracts no longer critical."))]
    )
)
class CriticalStatusViewSet(viewsets.ReadOnlyModelViewSet):
    """Critical contracts the caller may see, with their escalation steps; the PPK records
    the next step with the ``escalate`` action."""

    serializer_class = s.CriticalStatusSerializer
    queryset = CriticalStatus.objects.none()

    def get_queryset(self):
        include_resolved = self.request.query_params.get("all") in {"1", "true"}
        return selectors.critical_contracts(self.request.user, include_resolved=include_resolved)

    def get_object(self):
        return selectors.get_critical_for(self.request.user, self.kwargs["pk"])

    @extend_schema(request=s.EscalationSerializer, responses={201: s.EscalationSerializer})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def escalate(self, request, pk=None):
        """Record the next step: SCM 1, SP1, SCM 2, SP2, SCM 3, SP3, in that order."""
        status = self.get_object()
        body = s.EscalationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        escalation = _domain(
            lambda: critical_services.escalation_record(
                status=status,
                step=data["step"],
                held_on=data["held_on"],
                reference=data["reference"],
                note=data.get("note", ""),
                actor=request.user,
            )
        )
        return Response(s.EscalationSerializer(escalation).data, status=201)
