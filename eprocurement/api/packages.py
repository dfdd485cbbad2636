"""API for packages (paket): the packages the caller may see, with their RUP items,
stages and documents; drafting and editing through serializers that call the services;
every state change its own action (announce, team, schedule, documents, extend-schedule,
addendum, cancel, fail, retender). Status, code and value are never written here."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from portal.api.domain import domain_call as _domain
from portal.models import Agency, User

from ..choices import EvaluationMethod, PackageDocumentKind, PackageStatus, TenderStage
from ..models import MONEY, Package, PackageDocument, PackagePlanItem, PackageStage
from ..selectors import packages as selectors
from ..services import package_tender as tender
from ..services import packages as services

# --- Serializers -------------------------------------------------------------------------


class PackageItemSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(source="plan_item.id", read_only=True)
    rup_code = serializers.CharField(source="plan_item.rup_code", read_only=True)
    name = serializers.CharField(source="plan_item.name", read_only=True)
    value = serializers.DecimalField(source="plan_item.value", read_only=True, **MONEY)

    class Meta:
        model = PackagePlanItem
        fields = ["id", "rup_code", "name", "value"]


class PackageStageSerializer(serializers.ModelSerializer):
    class Meta:
        model = PackageStage
        fields = ["stage", "starts_at", "ends_at"]


class PackageDocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = PackageDocument
        fields = ["id", "kind", "title", "size", "sha256", "replaces", "uploaded", "url"]
        read_only_fields = fields

    def get_url(self, document) -> str:
        return reverse("eprocurement:package_document_download", args=[document.pk])


class PackageSerializer(serializers.ModelSerializer):
    fiscal_year = serializers.IntegerField(source="fiscal_year.year", read_only=True)
    pokja = serializers.SerializerMethodField()
    plan_items = PackageItemSerializer(source="plan_item_links", many=True, read_only=True)
    stages = PackageStageSerializer(many=True, read_only=True)
    documents = PackageDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Package
        fields = [
            "id",
            "code",
            "agency",
            "fiscal_year",
            "name",
            "description",
            "kind",
            "method",
            "evaluation_method",
            "value",
            "owner_estimate",
            "qualification_requirements",
            "small_business_reserved",
            "status",
            "status_reason",
            "ppk",
            "pokja",
            "retender_of",
            "announced_at",
            "plan_items",
            "stages",
            "documents",
        ]
        read_only_fields = fields

    def get_pokja(self, package) -> list[int]:
        """The pokja members' user ids, the chair first."""
        members = sorted(package.pokja_members.all(), key=lambda m: (not m.is_chair, m.pk))
        return [m.user_id for m in members]


class PackageCreateSerializer(serializers.Serializer):
    agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all())
    plan_items = serializers.ListField(child=serializers.IntegerField(), help_text=_("Ids of announced RUP items."))
    name = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    evaluation_method = serializers.ChoiceField(choices=EvaluationMethod.choices)
    owner_estimate = serializers.DecimalField(required=False, allow_null=True, default=None, **MONEY)
    qualification_requirements = serializers.CharField(required=False, allow_blank=True, default="")


class PackageUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=300, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    evaluation_method = serializers.ChoiceField(choices=EvaluationMethod.choices, required=False)
    owner_estimate = serializers.DecimalField(required=False, **MONEY)
    qualification_requirements = serializers.CharField(required=False, allow_blank=True)


class TeamSerializer(serializers.Serializer):
    ppk = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_active=True))
    pokja = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), many=True, help_text=_("Three users, the chair first.")
    )


class ScheduleSerializer(serializers.Serializer):
    stages = PackageStageSerializer(many=True)


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[c for c in PackageDocumentKind.choices if c[0] != "addendum"])
    title = serializers.CharField(max_length=200)
    file = serializers.FileField()


class ExtendSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=TenderStage.choices)
    new_end = serializers.DateTimeField()
    reason = serializers.CharField()


class AddendumSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    file = serializers.FileField()
    replaces = serializers.IntegerField(required=False, allow_null=True, help_text=_("Id of the document it replaces."))
    reason = serializers.CharField(help_text=_("What changes and why."))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


# --- ViewSet -----------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("year", int, description=_("Fiscal year.")),
            OpenApiParameter("status", str, enum=PackageStatus.values, description=_("Status.")),
        ]
    ),
    create=extend_schema(request=PackageCreateSerializer, responses={201: PackageSerializer}),
    partial_update=extend_schema(request=PackageUpdateSerializer, responses=PackageSerializer),
)
class PackageViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Packages the caller may see (agency scope); PPKs draft, the pokja runs the tender."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    serializer_class = PackageSerializer
    queryset = Package.objects.none()
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        params = self.request.query_params
        year = params.get("year", "")
        if year and not year.isdigit():
            raise ApiValidationError({"year": _("Enter a number.")})
        packages = selectors.packages_visible(self.request.user, status=params.get("status", ""), year=year)
        return packages.prefetch_related("plan_item_links__plan_item", "pokja_members", "stages", "documents")

    def get_object(self):
        package = selectors.get_package_for(self.request.user, self.kwargs["pk"])
        self.check_object_permissions(self.request, package)
        return package

    def _answer(self, package, status=200):
        package = selectors.get_package_for(self.request.user, package.pk)
        return Response(PackageSerializer(package, context=self.get_serializer_context()).data, status=status)

    def create(self, request, *args, **kwargs):
        body = PackageCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["plan_item_ids"] = data.pop("plan_items")
        package = _domain(lambda: services.package_create(actor=request.user, **data))
        return self._answer(package, status=201)

    def update(self, request, *args, **kwargs):
        package = self.get_object()
        body = PackageUpdateSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self._answer(_domain(lambda: services.package_update(package=package, actor=request.user, data=data)))

    @extend_schema(request=None, responses=PackageSerializer)
    @action(detail=True, methods=["post"])
    def announce(self, request, pk=None):
        """Publish a complete draft: it gets its tender code and the tender begins."""
        package = self.get_object()
        return self._answer(_domain(lambda: services.package_announce(package=package, actor=request.user)))

    @extend_schema(request=TeamSerializer, responses=PackageSerializer)
    @action(detail=True, methods=["post"])
    def team(self, request, pk=None):
        """Name a draft's PPK and its three pokja members (the chair first)."""
        package = self.get_object()
        body = TeamSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        ppk, pokja = body.validated_data["ppk"], body.validated_data["pokja"]
        return self._answer(
            _domain(lambda: services.package_set_team(package=package, actor=request.user, ppk=ppk, pokja=pokja))
        )

    @extend_schema(request=ScheduleSerializer, responses=PackageSerializer)
    @action(detail=True, methods=["post"])
    def schedule(self, request, pk=None):
        """Replace a draft's schedule: every stage with its start and end."""
        package = self.get_object()
        body = ScheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rows = {row["stage"]: (row["starts_at"], row["ends_at"]) for row in body.validated_data["stages"]}
        return self._answer(
            _domain(lambda: services.package_set_schedule(package=package, actor=request.user, rows=rows))
        )

    @extend_schema(request={"multipart/form-data": DocumentUploadSerializer}, responses=PackageDocumentSerializer)
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        """Attach a document to a draft (PDF, ZIP, XLSX or DOCX)."""
        package = self.get_object()
        body = DocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        document = _domain(lambda: services.package_document_add(package=package, actor=request.user, **data))
        return Response(PackageDocumentSerializer(document).data, status=201)

    @extend_schema(request=ExtendSerializer, responses=PackageSerializer)
    @action(detail=True, methods=["post"], url_path="extend-schedule")
    def extend_schedule(self, request, pk=None):
        """Extend a stage of a running tender; the stages after it move as much; bidders are told."""
        package = self.get_object()
        body = ExtendSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self._answer(
            _domain(lambda: tender.package_extend_schedule(package=package, actor=request.user, **data))
        )

    @extend_schema(request={"multipart/form-data": AddendumSerializer}, responses=PackageDocumentSerializer)
    @action(detail=True, methods=["post"])
    def addendum(self, request, pk=None):
        """Issue an addendum before the bid deadline (close to it, the deadline moves)."""
        package = self.get_object()
        body = AddendumSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        replaces_id = data.pop("replaces", None)
        replaces = None
        if replaces_id:
            replaces = next((d for d in package.documents.all() if d.pk == replaces_id), None)
            if replaces is None:
                raise ApiValidationError({"replaces": _("Choose a document of this package.")})
        document = _domain(
            lambda: tender.package_addendum_add(package=package, actor=request.user, replaces=replaces, **data)
        )
        return Response(PackageDocumentSerializer(document).data, status=201)

    def _with_reason(self, request, service):
        package = self.get_object()
        body = ReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data["reason"]
        return self._answer(_domain(lambda: service(package=package, actor=request.user, reason=reason)))

    @extend_schema(request=ReasonSerializer, responses=PackageSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel (batal) before a contract; the RUP items are free for a new package."""
        return self._with_reason(request, tender.package_cancel)

    @extend_schema(request=ReasonSerializer, responses=PackageSerializer)
    @action(detail=True, methods=["post"])
    def fail(self, request, pk=None):
        """Declare the tender failed (gagal): after the opening, or with no bid by the deadline."""
        return self._with_reason(request, tender.package_fail)

    @extend_schema(request=ReasonSerializer, responses=PackageSerializer)
    @action(detail=True, methods=["post"])
    def retender(self, request, pk=None):
        """Tender a failed package again: answers with the new draft."""
        return self._with_reason(request, tender.package_retender)
