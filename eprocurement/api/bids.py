"""API of sealed bidding: a vendor's own bids (price, documents, submit, withdraw, receipt)
and the pokja's openings. Each state change is its own action calling the same service as
the pages. Before opening no answer carries a price or a document: only statuses, times
and hashes (``opened_price`` is empty until the opening writes it)."""

from __future__ import annotations

import json

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from portal.api.domain import domain_call as _domain

from ..choices import BidDocumentKind
from ..forms.bids import use_memory_for_uploads
from ..models import MONEY, Bid, BidDocument, BidReceipt, Package, Vendor
from ..selectors import bids as selectors
from ..selectors import schedule
from ..services import bids as services
from ..services import opening as opening_services

# --- Serializers -------------------------------------------------------------------------


class BidDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = BidDocument
        fields = ["id", "kind", "size", "sha256", "uploaded"]
        read_only_fields = fields


class ReceiptSerializer(serializers.ModelSerializer):
    receipt = serializers.SerializerMethodField(help_text=_("The receipt exactly as hashed, parsed."))

    class Meta:
        model = BidReceipt
        fields = ["id", "status", "submitted_at", "sha256", "ended_at", "receipt"]
        read_only_fields = fields

    def get_receipt(self, receipt) -> dict:
        return json.loads(receipt.content)


class BidSerializer(serializers.ModelSerializer):
    documents = BidDocumentSerializer(many=True, read_only=True)
    opened_price = serializers.DecimalField(
        read_only=True, allow_null=True, help_text=_("Empty until the bids are opened."), **MONEY
    )

    class Meta:
        model = Bid
        fields = [
            "id",
            "package",
            "vendor",
            "status",
            "price_sha256",
            "submitted_at",
            "receipt_sha256",
            "opened_at",
            "opened_price",
            "documents",
            "created",
            "modified",
        ]
        read_only_fields = fields


class BidPriceSerializer(serializers.Serializer):
    price = serializers.DecimalField(min_value=0, **MONEY)
    validity_days = serializers.IntegerField(min_value=1, max_value=services.MAX_VALIDITY_DAYS)


class BidCreateSerializer(BidPriceSerializer):
    package = serializers.PrimaryKeyRelatedField(queryset=Package.objects.public())
    vendor = serializers.PrimaryKeyRelatedField(queryset=Vendor.objects.all())

    def validate_vendor(self, vendor):
        if vendor.owner_id != self.context["request"].user.pk:
            raise serializers.ValidationError(_("Bid only for a company you registered."))
        return vendor


class BidDocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=BidDocumentKind.choices)
    file = serializers.FileField()


class BidSubmitSerializer(serializers.Serializer):
    token = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("The submission key, if not sent as the Idempotency-Key header (16-64 of A-Z a-z 0-9 _ -)."),
    )


class BidWithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class OpeningBidSerializer(serializers.ModelSerializer):
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    documents = BidDocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Bid
        fields = ["id", "vendor", "vendor_name", "submitted_at", "opened_price", "price_sha256", "documents"]
        read_only_fields = fields


class OpeningSerializer(serializers.Serializer):
    package = serializers.IntegerField()
    bid_count = serializers.IntegerField(help_text=_("Submitted bids (public before opening)."))
    opening_time = serializers.DateTimeField(allow_null=True)
    confirmed_by = serializers.ListField(child=serializers.CharField())
    opened = serializers.BooleanField()
    record_sha256 = serializers.CharField(allow_blank=True)
    bids = OpeningBidSerializer(many=True, help_text=_("Empty until the bids are opened."))


# --- ViewSets ----------------------------------------------------------------------------


class BidViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own bids; another vendor's bid is answered as missing."""

    serializer_class = BidSerializer
    queryset = Bid.objects.none()

    def initialize_request(self, request, *args, **kwargs):
        # Before anything reads the body: an uploaded document stays in memory until sealed.
        if request.method == "POST":
            use_memory_for_uploads(request)
        return super().initialize_request(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.own_bids(self.request.user).prefetch_related("documents").order_by("-modified", "-pk")

    def get_object(self):
        return selectors.get_bid_for(self.request.user, self.kwargs["pk"])

    def _answer(self, bid, code=status.HTTP_200_OK):
        bid = selectors.bid_detail(bid)
        return Response(BidSerializer(bid, context=self.get_serializer_context()).data, status=code)

    @extend_schema(request=BidCreateSerializer, responses={201: BidSerializer})
    def create(self, request):
        """Start (or re-price) the caller's bid on a package: the price is sealed at once."""
        body = BidCreateSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        bid = _domain(
            lambda: services.bid_save_price(
                package=data["package"],
                vendor=data["vendor"],
                actor=request.user,
                price=data["price"],
                validity_days=data["validity_days"],
            )
        )
        return self._answer(bid, status.HTTP_201_CREATED)

    @extend_schema(request=BidPriceSerializer, responses=BidSerializer)
    @action(detail=True, methods=["post"])
    def price(self, request, pk=None):
        """Seal a new price; a submitted bid goes back to draft until submitted again."""
        bid = self.get_object()
        body = BidPriceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _domain(
            lambda: services.bid_save_price(
                package=bid.package, vendor=bid.vendor, actor=request.user, **body.validated_data
            )
        )
        return self._answer(bid)

    @extend_schema(request={"multipart/form-data": BidDocumentUploadSerializer}, responses={201: BidSerializer})
    @action(detail=True, methods=["post"], parser_classes=[parsers.MultiPartParser])
    def documents(self, request, pk=None):
        """Upload a document; it is sealed as it arrives."""
        bid = self.get_object()
        body = BidDocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        _domain(
            lambda: services.bid_add_document(
                bid=bid, actor=request.user, kind=data["kind"], uploaded_file=data["file"]
            )
        )
        return self._answer(bid, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=BidSerializer)
    @action(detail=True, methods=["delete"], url_path=r"documents/(?P<document_pk>[0-9]+)")
    def remove_document(self, request, pk=None, document_pk=None):
        """Remove a document while bidding is open."""
        bid = self.get_object()
        document = bid.documents.filter(pk=document_pk).first()
        if document is None:
            raise Http404
        _domain(lambda: services.bid_remove_document(document=document, actor=request.user))
        return self._answer(bid)

    @extend_schema(
        request=BidSubmitSerializer,
        responses=ReceiptSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit before the deadline (server clock). Idempotent: the same key and an
        unchanged bid return the same receipt and create nothing."""
        bid = self.get_object()
        body = BidSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        token = request.headers.get("Idempotency-Key") or body.validated_data.get("token", "")
        receipt = _domain(lambda: services.bid_submit(bid=bid, actor=request.user, token=token))
        return Response(ReceiptSerializer(receipt).data)

    @extend_schema(request=BidWithdrawSerializer, responses=BidSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw a submitted bid before the deadline."""
        bid = self.get_object()
        body = BidWithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data.get("reason", "")
        _domain(lambda: services.bid_withdraw(bid=bid, actor=request.user, reason=reason))
        return self._answer(bid)

    @extend_schema(request=None, responses=ReceiptSerializer(many=True))
    @action(detail=True, methods=["get"])
    def receipts(self, request, pk=None):
        """Every receipt of the bid, newest first (earlier ones superseded or withdrawn)."""
        bid = self.get_object()
        return Response(ReceiptSerializer(bid.receipts.order_by("-submitted_at", "-pk"), many=True).data)


class OpeningViewSet(viewsets.GenericViewSet):
    """A package's opening, for its pokja, its PPK and staff within reach (by package id)."""

    serializer_class = OpeningSerializer
    queryset = Package.objects.none()

    def _package(self):
        return selectors.get_opening_package_for(self.request.user, self.kwargs["pk"])

    def _answer(self, package):
        opened = hasattr(package, "opening_record")
        record = package.opening_record if opened else None
        data = {
            "package": package.pk,
            "bid_count": selectors.submitted_bid_count(package),
            "opening_time": schedule.opening_time(package),
            "confirmed_by": [str(c.member) for c in selectors.opening_confirmations(package)],
            "opened": opened,
            "record_sha256": record.sha256 if record else "",
            "bids": selectors.opened_bids(package) if opened else [],
        }
        return Response(OpeningSerializer(data).data)

    @extend_schema(responses=OpeningSerializer)
    def retrieve(self, request, pk=None):
        return self._answer(self._package())

    @extend_schema(request=None, responses=OpeningSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """A pokja member confirms the opening; the second distinct member opens the bids."""
        package = self._package()
        _domain(lambda: opening_services.opening_confirm(package=package, actor=request.user))
        return self._answer(self._package())
