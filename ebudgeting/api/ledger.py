"""API for the commitment ledger and realizations (SP2D).

Reading is scoped to what the caller may see. Moving money is one POST action per
change (commit, release, realize), open to budget officers, treasurers and PPKs of the
line's agency, each calling the same service as the pages.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from ..models import BudgetLine, LedgerEntry, Realization
from ..selectors import ledger as selectors
from ..services.ledger import ledger_commit, ledger_realize, ledger_release

MONEY = {"max_digits": 18, "decimal_places": 2}


class LedgerEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerEntry
        fields = ["id", "line", "kind", "amount", "reference", "actor", "created"]
        read_only_fields = fields


class RealizationSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(**MONEY, min_value=0, help_text=_("Rupiah, more than zero."))

    class Meta:
        model = Realization
        fields = ["id", "line", "number", "date", "amount", "purpose", "reference", "created_by", "created"]
        read_only_fields = ["id", "created_by", "created"]


class CommitSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text=_("The budget line's id."))
    amount = serializers.DecimalField(**MONEY)
    reference = serializers.CharField(max_length=100, help_text=_("The contract or procurement plan number."))


class ReleaseSerializer(serializers.Serializer):
    reference = serializers.CharField(max_length=100)
    line = serializers.IntegerField(required=False, help_text=_("Only this line; all lines when left out."))


class LineFiguresSerializer(serializers.ModelSerializer):
    available = serializers.DecimalField(**MONEY, read_only=True)

    class Meta:
        model = BudgetLine
        fields = ["id", "amount", "committed", "realized", "available"]
        read_only_fields = fields


def _api_error(exc: ValidationError) -> ApiValidationError:
    return ApiValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages})


def _writable_line(user, line_id, roles) -> BudgetLine:
    """The line, if the caller may move money on it; 404 when they may not even see it."""
    if not BudgetLine.objects.visible_to(user).filter(pk=line_id).exists():
        raise ApiValidationError({"line": [_("There is no such budget line.")]})
    if not BudgetLine.objects.editable_by(user, roles).filter(pk=line_id).exists():
        raise PermissionDenied(_("Your role does not allow moving money on this line."))
    return line_id


def _realize(user, data: dict, roles) -> Realization:
    _writable_line(user, data["line"].pk, roles)
    try:
        return ledger_realize(
            line_id=data["line"].pk,
            amount=data["amount"],
            number=data["number"],
            date=data["date"],
            purpose=data.get("purpose", ""),
            reference=data.get("reference", ""),
            actor=user,
        )
    except ValidationError as exc:
        raise _api_error(exc) from exc


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("line", int, description=_("Only the entries of this line."))])
)
class LedgerEntryViewSet(viewsets.ReadOnlyModelViewSet):
    """The ledger of the lines the caller may see: commitments, releases, payments."""

    serializer_class = LedgerEntrySerializer
    queryset = LedgerEntry.objects.none()

    def get_queryset(self):
        line = self.request.query_params.get("line")
        line_id = int(line) if line and line.isdigit() else None
        return selectors.ledger_entries_visible(self.request.user, line_id=line_id)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("document", int, description=_("Only the payments of this budget document.")),
            OpenApiParameter("line", int, description=_("Only the payments of this line.")),
        ]
    )
)
class RealizationViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """SP2D payments; treasurers of the line's agency record them."""

    serializer_class = RealizationSerializer
    queryset = Realization.objects.none()

    def get_queryset(self):
        params = self.request.query_params
        ids = {k: int(params[k]) for k in ("document", "line") if params.get(k, "").isdigit()}
        return selectors.realizations_visible(
            self.request.user, document_id=ids.get("document"), line_id=ids.get("line")
        )

    def perform_create(self, serializer):
        serializer.instance = _realize(self.request.user, serializer.validated_data, selectors.REALIZATION_ROLES)


class LedgerActionsViewSet(viewsets.GenericViewSet):
    """Commit, release and realize, for procurement and other systems."""

    queryset = BudgetLine.objects.none()
    serializer_class = LineFiguresSerializer

    @extend_schema(request=CommitSerializer, responses={201: LedgerEntrySerializer})
    @action(detail=False, methods=["post"])
    def commit(self, request):
        data = self._valid(CommitSerializer)
        _writable_line(request.user, data["line"], selectors.LEDGER_ROLES)
        try:
            entry = ledger_commit(
                line_id=data["line"], amount=data["amount"], reference=data["reference"], actor=request.user
            )
        except ValidationError as exc:
            raise _api_error(exc) from exc
        return Response(LedgerEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReleaseSerializer, responses={200: LedgerEntrySerializer(many=True)})
    @action(detail=False, methods=["post"])
    def release(self, request):
        data = self._valid(ReleaseSerializer)
        lines = LedgerEntry.objects.filter(reference=data["reference"]).values("line_id")
        if data.get("line") is not None:
            lines = lines.filter(line_id=data["line"])
        visible = BudgetLine.objects.visible_to(request.user).filter(pk__in=lines)
        if visible.exclude(pk__in=BudgetLine.objects.editable_by(request.user, selectors.LEDGER_ROLES)).exists():
            raise PermissionDenied(_("Your role does not allow moving money on these lines."))
        if not visible.exists():
            raise ApiValidationError(
                {"reference": [_("Nothing is committed under this reference on lines you may see.")]}
            )
        try:
            entries = ledger_release(reference=data["reference"], line_id=data.get("line"), actor=request.user)
        except ValidationError as exc:
            raise _api_error(exc) from exc
        return Response(LedgerEntrySerializer(entries, many=True).data)

    @extend_schema(request=RealizationSerializer, responses={201: RealizationSerializer})
    @action(detail=False, methods=["post"])
    def realize(self, request):
        realization = _realize(request.user, self._valid(RealizationSerializer), selectors.LEDGER_ROLES)
        return Response(RealizationSerializer(realization).data, status=status.HTTP_201_CREATED)

    def _valid(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data
