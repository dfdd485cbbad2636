"""API of the public tender site: the public tender list and page (read only, no login),
questions (vendors ask, the pokja answers: each its own action calling the service) and a
person's subscriptions to new tenders.

As on the pages, before opening a tender answers only how many bids were submitted.
"""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from portal.api.domain import domain_call as _domain
from portal.models import Region

from ..choices import PackageStatus, ProcurementKind, ProcurementMethod, TenderStage
from ..models import (
    MONEY,
    Bid,
    Package,
    PackageDocument,
    PackagePlanItem,
    PackageStage,
    Question,
    ScheduleChange,
    TenderSubscription,
    Vendor,
)
from ..selectors import tender_site as selectors
from ..services import tender_site as services

# --- Public tenders ----------------------------------------------------------------------------


class PublicTenderSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="fiscal_year.year", read_only=True)
    agency = serializers.CharField(source="agency.name", read_only=True)
    region = serializers.CharField(source="agency.region.name", read_only=True)
    value = serializers.DecimalField(read_only=True, **MONEY)
    owner_estimate = serializers.DecimalField(read_only=True, **MONEY)
    current_stage = serializers.ChoiceField(choices=TenderStage.choices, read_only=True, allow_null=True)
    bid_deadline = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Package
        fields = [
            "id",
            "code",
            "name",
            "year",
            "agency",
            "region",
            "kind",
            "method",
            "status",
            "value",
            "owner_estimate",
            "announced_at",
            "current_stage",
            "bid_deadline",
        ]
        read_only_fields = fields


class TenderStageSerializer(serializers.ModelSerializer):
    class Meta:
        model = PackageStage
        fields = ["stage", "starts_at", "ends_at"]
        read_only_fields = fields


class TenderPlanItemLinkSerializer(serializers.ModelSerializer):
    rup_code = serializers.CharField(source="plan_item.rup_code", read_only=True)
    name = serializers.CharField(source="plan_item.name", read_only=True)

    class Meta:
        model = PackagePlanItem
        fields = ["rup_code", "name"]
        read_only_fields = fields


class TenderDocumentSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = PackageDocument
        fields = ["id", "kind", "title", "size", "sha256", "uploaded", "download_url"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_download_url(self, document) -> str | None:
        try:
            return reverse("eprocurement:package_document_download", args=[document.pk])
        except NoReverseMatch:  # the documents part serves the files
            return None


class TenderScheduleChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScheduleChange
        fields = ["stage", "old_starts_at", "old_ends_at", "new_starts_at", "new_ends_at", "reason", "changed_at"]
        read_only_fields = fields


class PublicQuestionSerializer(serializers.ModelSerializer):
    """A question as the public sees it: never who asked."""

    class Meta:
        model = Question
        fields = ["id", "text", "asked_at", "answer", "answered_at"]
        read_only_fields = fields


class TenderOpenedBidSerializer(serializers.ModelSerializer):
    vendor = serializers.CharField(source="vendor.name", read_only=True)
    price = serializers.DecimalField(source="opened_price", read_only=True, **MONEY)

    class Meta:
        model = Bid
        fields = ["vendor", "price", "opened_at"]
        read_only_fields = fields


class PublicTenderDetailSerializer(PublicTenderSerializer):
    evaluation_method = serializers.CharField(read_only=True)
    stages = TenderStageSerializer(many=True, read_only=True)
    plan_items = TenderPlanItemLinkSerializer(source="plan_item_links", many=True, read_only=True)
    documents = TenderDocumentSerializer(many=True, read_only=True)
    schedule_changes = TenderScheduleChangeSerializer(many=True, read_only=True)
    questions = PublicQuestionSerializer(many=True, read_only=True)
    submitted_bids = serializers.IntegerField(
        read_only=True, help_text=_("How many bids were submitted; who and how much only after opening.")
    )
    opened_bids = serializers.SerializerMethodField(help_text=_("Empty until the bids are opened; cheapest first."))

    class Meta(PublicTenderSerializer.Meta):
        fields = [
            *PublicTenderSerializer.Meta.fields,
            "description",
            "evaluation_method",
            "qualification_requirements",
            "small_business_reserved",
            "status_reason",
            "plan_items",
            "stages",
            "schedule_changes",
            "documents",
            "questions",
            "submitted_bids",
            "opened_bids",
        ]
        read_only_fields = fields

    @extend_schema_field(TenderOpenedBidSerializer(many=True))
    def get_opened_bids(self, package):
        return TenderOpenedBidSerializer(selectors.opened_bids(package), many=True).data


_TENDER_FILTERS = [
    OpenApiParameter("q", str, description=_("Words to search in name, description, code, agency and kode RUP.")),
    OpenApiParameter("region", int, description=_("Region id (a province covers its regencies).")),
    OpenApiParameter("agency", int, description=_("Agency id.")),
    OpenApiParameter("kind", str, enum=ProcurementKind.values, description=_("Kind of procurement.")),
    OpenApiParameter("method", str, enum=ProcurementMethod.values, description=_("Procurement method.")),
    OpenApiParameter(
        "status", str, enum=[s for s in PackageStatus.values if s != PackageStatus.DRAFT], description=_("Status.")
    ),
    OpenApiParameter("min_value", str, description=_("Lowest owner's estimate (HPS), rupiah.")),
    OpenApiParameter("max_value", str, description=_("Highest owner's estimate (HPS), rupiah.")),
    OpenApiParameter("year", int, description=_("Fiscal year.")),
]


@extend_schema_view(list=extend_schema(parameters=_TENDER_FILTERS))
class PublicTenderViewSet(viewsets.ReadOnlyModelViewSet):
    """Announced tenders for anybody; a bad filter is answered with 400 and what was wrong."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]
    queryset = Package.objects.none()

    def get_serializer_class(self):
        return PublicTenderDetailSerializer if self.action == "retrieve" else PublicTenderSerializer

    def get_queryset(self):
        filters = selectors.parse_filters(self.request.query_params)
        if filters.problems:
            raise ApiValidationError({"filters": [str(problem) for problem in filters.problems]})
        return selectors.tender_list(filters)

    def get_object(self):
        return selectors.get_public_tender(self.kwargs["pk"])

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return None if page is None else selectors.attach_schedule_facts(page)


# --- Questions ---------------------------------------------------------------------------------


class QuestionSerializer(serializers.ModelSerializer):
    """A question as the asker and the package's pokja see it."""

    package = serializers.PrimaryKeyRelatedField(read_only=True)
    package_code = serializers.CharField(source="package.code", read_only=True)
    vendor = serializers.PrimaryKeyRelatedField(read_only=True)
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)

    class Meta:
        model = Question
        fields = ["id", "package", "package_code", "vendor", "vendor_name", "text", "asked_at", "answer", "answered_at"]
        read_only_fields = fields


class AskSerializer(serializers.Serializer):
    package = serializers.IntegerField(help_text=_("The tender (package) id."))
    vendor = serializers.IntegerField(help_text=_("Your company (vendor) id; you must own it."))
    text = serializers.CharField(max_length=4000, help_text=_("The question."))


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=8000, help_text=_("The public answer."))


class QuestionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Questions of the packages whose pokja the caller sits in, and those the caller's
    companies asked. Vendors ask (``ask``), the pokja answers (``answer``)."""

    serializer_class = QuestionSerializer
    queryset = Question.objects.none()

    def get_queryset(self):
        return selectors.questions_visible_to(self.request.user)

    @extend_schema(request=AskSerializer, responses={201: QuestionSerializer})
    @action(detail=False, methods=["post"])
    def ask(self, request):
        """Ask the pokja while the explanation stage is open, as a verified vendor you own."""
        body = AskSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        package = Package.objects.public().filter(pk=body.validated_data["package"]).first()
        if package is None:
            raise ApiValidationError({"package": [_("No such tender.")]})
        vendor = Vendor.objects.filter(pk=body.validated_data["vendor"], owner=request.user).first()
        if vendor is None:
            raise ApiValidationError({"vendor": [_("Choose one of your own companies.")]})
        question = _domain(
            lambda: services.question_ask(
                package=package, vendor=vendor, actor=request.user, text=body.validated_data["text"]
            )
        )
        return Response(QuestionSerializer(question).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AnswerSerializer, responses=QuestionSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer publicly, as a member of the package's pokja; an answer is given once."""
        question = selectors.get_question_for_pokja(request.user, pk)
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        question = _domain(
            lambda: services.question_answer(
                question=question, actor=request.user, answer=body.validated_data["answer"]
            )
        )
        return Response(QuestionSerializer(question).data)


# --- Subscriptions ---------------------------------------------------------------------------------


class SubscriptionSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(
        choices=[("", _("Any kind")), *ProcurementKind.choices],
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Empty: any kind."),
    )
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Empty: any region. A province covers its regencies and cities."),
    )

    class Meta:
        model = TenderSubscription
        fields = ["id", "kind", "region", "created"]
        read_only_fields = ["id", "created"]


class SubscriptionViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's subscriptions to new tenders. Creating one that exists answers it (200)."""

    serializer_class = SubscriptionSerializer
    queryset = TenderSubscription.objects.none()

    def get_queryset(self):
        return selectors.subscriptions_of(self.request.user)

    def get_object(self):
        return selectors.get_subscription_for(self.request.user, self.kwargs["pk"])

    @extend_schema(responses={201: SubscriptionSerializer, 200: SubscriptionSerializer})
    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        kind, region = body.validated_data["kind"], body.validated_data["region"]
        created = _domain(lambda: services.subscription_create(user=request.user, kinds=[kind], regions=[region]))
        if created:
            return Response(self.get_serializer(created[0]).data, status=status.HTTP_201_CREATED)
        existing = self.get_queryset().get(kind=kind, region=region)
        return Response(self.get_serializer(existing).data, status=status.HTTP_200_OK)

    def perform_destroy(self, instance):
        services.subscription_delete(subscription=instance, actor=self.request.user)
