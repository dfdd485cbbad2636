"""API for evaluation, award, objections, SPPBJ, contracts and payments.

Each state change is its own action calling the same service as the pages; lists are
scoped (staff see their agencies' packages, vendors their own objections). Statuses are
never writable: they are given as read-only text (value and label), so the schema keeps
one enum per choice list.
"""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from portal.api.domain import domain_call as _domain

from ..models import MONEY, Award, Bid, BidEvaluation, Contract, ContractPayment, Objection, Package, Vendor
from ..selectors import awards as selectors
from ..services import awards as award_services
from ..services import contracts as contract_services
from ..services import evaluation as evaluation_services

SCORE = {"max_digits": 6, "decimal_places": 2}


# --- Serializers -------------------------------------------------------------------------


class EvaluationSerializer(serializers.ModelSerializer):
    package = serializers.IntegerField(source="bid.package_id", read_only=True)
    vendor = serializers.CharField(source="bid.vendor.name", read_only=True)
    price = serializers.DecimalField(source="bid.opened_price", read_only=True, **MONEY)
    technical_score = serializers.DecimalField(read_only=True, allow_null=True, **SCORE)
    price_score = serializers.DecimalField(read_only=True, allow_null=True, **SCORE)
    total_score = serializers.DecimalField(read_only=True, allow_null=True, **SCORE)
    life_cycle_cost = serializers.DecimalField(read_only=True, allow_null=True, **MONEY)

    class Meta:
        model = BidEvaluation
        fields = [
            "id",
            "bid",
            "package",
            "vendor",
            "price",
            "administrative_pass",
            "qualification_pass",
            "technical_pass",
            "technical_score",
            "price_pass",
            "price_score",
            "total_score",
            "life_cycle_cost",
            "clarification_required",
            "clarification_note",
            "qualification_proven",
            "rank",
            "notes",
            "modified",
        ]
        read_only_fields = fields


class EvaluateSerializer(serializers.Serializer):
    bid = serializers.IntegerField()
    administrative_pass = serializers.BooleanField(allow_null=True, required=False, default=None)
    qualification_pass = serializers.BooleanField(allow_null=True, required=False, default=None)
    technical_pass = serializers.BooleanField(
        allow_null=True, required=False, default=None, help_text=_("For pass/fail methods.")
    )
    technical_score = serializers.DecimalField(
        allow_null=True, required=False, default=None, help_text=_("0-100, for scored methods."), **SCORE
    )
    price_pass = serializers.BooleanField(allow_null=True, required=False, default=None)
    life_cycle_cost = serializers.DecimalField(
        allow_null=True, required=False, default=None, help_text=_("For life-cycle cost (umur ekonomis)."), **MONEY
    )
    clarification_note = serializers.CharField(required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class PackageRefSerializer(serializers.Serializer):
    package = serializers.IntegerField()


class ProveSerializer(serializers.Serializer):
    proven = serializers.BooleanField()
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class AwardSerializer(serializers.ModelSerializer):
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    value = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = Award
        fields = [
            "id",
            "package",
            "bid",
            "vendor",
            "vendor_name",
            "value",
            "decided_at",
            "announced_at",
            "appointment_number",
            "appointed_at",
        ]
        read_only_fields = fields


class DecideSerializer(serializers.Serializer):
    package = serializers.IntegerField()
    bid = serializers.IntegerField()
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=_("Required when a better-ranked bid failed its proof.")
    )


class AppointSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=100, help_text=_("The SPPBJ number."))


class ObjectionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=_("sanggah or banding."))
    status = serializers.CharField(read_only=True, help_text=_("submitted, upheld or rejected."))
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)

    class Meta:
        model = Objection
        fields = [
            "id",
            "package",
            "vendor",
            "vendor_name",
            "kind",
            "appeal_of",
            "text",
            "submitted_at",
            "status",
            "answer",
            "answered_at",
        ]
        read_only_fields = fields


class ObjectionSubmitSerializer(serializers.Serializer):
    package = serializers.IntegerField()
    vendor = serializers.IntegerField(required=False, help_text=_("Your vendor, when your account has several."))
    text = serializers.CharField()


class ObjectionAnswerSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    answer = serializers.CharField()


class AppealSerializer(serializers.Serializer):
    text = serializers.CharField()


class PaymentSerializer(serializers.ModelSerializer):
    amount = serializers.DecimalField(**MONEY)

    class Meta:
        model = ContractPayment
        fields = ["id", "number", "date", "amount", "description", "created"]
        read_only_fields = ["id", "created"]


class ContractSerializer(serializers.ModelSerializer):
    package = serializers.IntegerField(source="package_id")
    value = serializers.DecimalField(**MONEY)
    status = serializers.CharField(read_only=True, help_text=_("draft, signed, completed or terminated."))
    vendor_name = serializers.CharField(source="vendor.name", read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "package",
            "vendor",
            "vendor_name",
            "number",
            "value",
            "starts_on",
            "ends_on",
            "payment_terms",
            "status",
            "signed_at",
            "payments",
        ]
        read_only_fields = ["id", "vendor", "status", "signed_at"]


# --- ViewSets ----------------------------------------------------------------------------


def _package(request, pk) -> Package:
    return selectors.get_award_package_for(request.user, pk)


class EvaluationViewSet(viewsets.ReadOnlyModelViewSet):
    """Bid evaluations of the packages the caller may see; the pokja evaluates, ranks and proves."""

    serializer_class = EvaluationSerializer
    queryset = BidEvaluation.objects.none()

    def get_queryset(self):
        return selectors.evaluations_visible(self.request.user).order_by("bid__package_id", "rank", "bid_id")

    def _answer(self, evaluation, status=200):
        evaluation = BidEvaluation.objects.select_related("bid__vendor").get(pk=evaluation.pk)
        return Response(EvaluationSerializer(evaluation).data, status=status)

    @extend_schema(request=EvaluateSerializer, responses=EvaluationSerializer)
    @action(detail=False, methods=["post"])
    def evaluate(self, request):
        """Record (or correct) the evaluation of one opened bid."""
        body = EvaluateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        bid = Bid.objects.filter(pk=data.pop("bid")).first()
        if bid is None:
            raise ApiValidationError({"bid": _("There is no such bid.")})
        _package(request, bid.package_id)
        evaluation = _domain(lambda: evaluation_services.evaluation_record(bid=bid, actor=request.user, **data))
        return self._answer(evaluation)

    @extend_schema(request=PackageRefSerializer, responses=EvaluationSerializer(many=True))
    @action(detail=False, methods=["post"])
    def rank(self, request):
        """Rank the package's passing bids by its evaluation method."""
        body = PackageRefSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        package = _package(request, body.validated_data["package"])
        ranked = _domain(lambda: evaluation_services.evaluation_rank(package=package, actor=request.user))
        rows = BidEvaluation.objects.select_related("bid__vendor").filter(pk__in=[e.pk for e in ranked])
        return Response(EvaluationSerializer(rows.order_by("rank"), many=True).data)

    @extend_schema(request=ProveSerializer, responses=EvaluationSerializer)
    @action(detail=True, methods=["post"])
    def prove(self, request, pk=None):
        """Record the proof of qualification of a best-ranked bid."""
        evaluation = self.get_object()
        body = ProveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        evaluation = _domain(
            lambda: evaluation_services.qualification_proof_record(
                bid=evaluation.bid, actor=request.user, **body.validated_data
            )
        )
        return self._answer(evaluation)


class AwardViewSet(viewsets.ReadOnlyModelViewSet):
    """Awards of the packages the caller may see; the pokja decides and announces, the PPK appoints."""

    serializer_class = AwardSerializer
    queryset = Award.objects.none()

    def get_queryset(self):
        return selectors.awards_visible(self.request.user).order_by("-decided_at")

    def _answer(self, award):
        return Response(AwardSerializer(Award.objects.select_related("vendor").get(pk=award.pk)).data)

    @extend_schema(request=DecideSerializer, responses=AwardSerializer)
    @action(detail=False, methods=["post"])
    def decide(self, request):
        """Decide the winner (the first-ranked bid with its qualification proven)."""
        body = DecideSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        package = _package(request, body.validated_data["package"])
        bid = Bid.objects.filter(pk=body.validated_data["bid"], package=package).first()
        if bid is None:
            raise ApiValidationError({"bid": _("That bid is not a bid on this package.")})
        reason = body.validated_data["reason"]
        return self._answer(
            _domain(lambda: award_services.award_decide(package=package, actor=request.user, bid=bid, reason=reason))
        )

    @extend_schema(request=None, responses=AwardSerializer)
    @action(detail=True, methods=["post"])
    def announce(self, request, pk=None):
        """Announce the winner to the bidders and the public."""
        award = self.get_object()
        return self._answer(_domain(lambda: award_services.award_announce(package=award.package, actor=request.user)))

    @extend_schema(request=AppointSerializer, responses=AwardSerializer)
    @action(detail=True, methods=["post"])
    def appoint(self, request, pk=None):
        """Issue the SPPBJ once the objection (and, for works, appeal) period ended with nothing pending."""
        award = self.get_object()
        body = AppointSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        number = body.validated_data["number"]
        return self._answer(
            _domain(lambda: award_services.award_appoint(package=award.package, actor=request.user, number=number))
        )


class ObjectionViewSet(viewsets.ReadOnlyModelViewSet):
    """Objections on packages the caller may see as staff, and the caller's own as a vendor."""

    serializer_class = ObjectionSerializer
    queryset = Objection.objects.none()

    def get_queryset(self):
        staff = Package.objects.visible_to(self.request.user).values("pk")
        own = Vendor.objects.filter(owner_id=self.request.user.pk).values("pk")
        return (
            Objection.objects.filter(Q(package__in=staff) | Q(vendor__in=own))
            .select_related("vendor", "package")
            .order_by("package_id", "submitted_at", "id")
        )

    @extend_schema(request=ObjectionSubmitSerializer, responses={201: ObjectionSerializer})
    @action(detail=False, methods=["post"])
    def submit(self, request):
        """Object (sanggah) to an announced result, as a vendor who bid, during the objection period."""
        body = ObjectionSubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        package = get_object_or_404(Package.objects.public(), pk=body.validated_data["package"])
        vendors = Vendor.objects.filter(owner_id=request.user.pk)
        if "vendor" in body.validated_data:
            vendors = vendors.filter(pk=body.validated_data["vendor"])
        vendor = vendors.filter(bids__package=package).first()
        if vendor is None:
            raise ApiPermissionDenied(_("Only vendors who submitted a bid on this tender may object."))
        text = body.validated_data["text"]
        objection = _domain(
            lambda: award_services.objection_submit(package=package, vendor=vendor, actor=request.user, text=text)
        )
        return Response(ObjectionSerializer(objection).data, status=201)

    @extend_schema(request=ObjectionAnswerSerializer, responses=ObjectionSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer an objection (pokja) or an appeal (the PPK, for the budget holder)."""
        objection = self.get_object()
        body = ObjectionAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        objection = _domain(
            lambda: award_services.objection_answer(objection=objection, actor=request.user, **body.validated_data)
        )
        return Response(ObjectionSerializer(objection).data)

    @extend_schema(request=AppealSerializer, responses={201: ObjectionSerializer})
    @action(detail=True, methods=["post"])
    def appeal(self, request, pk=None):
        """Appeal (sanggah banding) a rejected objection: works only, by the objector, in the appeal period."""
        objection = self.get_object()
        body = AppealSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        text = body.validated_data["text"]
        appeal = _domain(lambda: award_services.objection_appeal(objection=objection, actor=request.user, text=text))
        return Response(ObjectionSerializer(appeal).data, status=201)


class ContractViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Contracts of the packages the caller may see; the PPK drafts and signs, the PPK or treasurer pays."""

    serializer_class = ContractSerializer
    queryset = Contract.objects.none()

    def get_queryset(self):
        return (
            Contract.objects.visible_to(self.request.user)
            .select_related("vendor")
            .prefetch_related("payments")
            .order_by("-id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        package = _package(self.request, data.pop("package_id"))
        serializer.instance = _domain(
            lambda: contract_services.contract_create(package=package, actor=self.request.user, **data)
        )

    def _answer(self, contract, status=200):
        return Response(ContractSerializer(self.get_queryset().get(pk=contract.pk)).data, status=status)

    @extend_schema(request=None, responses=ContractSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """Sign: the RUP commitments are released and the contract value committed on the budget lines."""
        contract = self.get_object()
        return self._answer(_domain(lambda: contract_services.contract_sign(contract=contract, actor=request.user)))

    @extend_schema(request=PaymentSerializer, responses={201: PaymentSerializer})
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        """Record a payment (SP2D): realizations on the contract's budget lines."""
        contract = self.get_object()
        body = PaymentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        payment = _domain(
            lambda: contract_services.contract_pay(contract=contract, actor=request.user, **body.validated_data)
        )
        return Response(PaymentSerializer(payment).data, status=201)
