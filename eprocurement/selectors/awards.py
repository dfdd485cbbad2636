"""Reads for the evaluation, award, objection and contract pages, the API, and the public
tender result. Each builds its page in a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.choices import Role
from portal.models import Agency
from portal.navigation import WorkItem
from portal.roles import has_role
from portal.scoping import get_scoped_or_404

from ..choices import BidStatus, ObjectionKind, ObjectionStatus, PackageStatus
from ..models import Award, Bid, BidEvaluation, Contract, ContractPayment, Objection, Package
from ..services.evaluation import PART_LABELS, failed_part, is_passing
from .team import is_pokja_member

ZERO = Decimal("0.00")
AFTER_APPOINTMENT = frozenset({PackageStatus.APPOINTED, PackageStatus.CONTRACTED, PackageStatus.COMPLETED})
PUBLIC_CONTRACT_STATES = frozenset({PackageStatus.CONTRACTED, PackageStatus.COMPLETED})


# --- Access -------------------------------------------------------------------------------


def get_award_package_for(user, pk) -> Package:
    """The package if ``user`` may see it as staff (agency scope; pokja region-wide)."""
    queryset = Package.objects.select_related("agency__region", "ppk").prefetch_related("stages")
    return get_scoped_or_404(queryset, user, pk)


def get_objection_for(user, pk) -> Objection:
    objection = Objection.objects.select_related("package", "vendor").filter(pk=pk).first()
    if objection is None:
        raise Http404
    get_award_package_for(user, objection.package_id)
    return objection


def get_contract_for(user, pk) -> Contract:
    return get_scoped_or_404(Contract.objects.select_related("package__agency__region", "vendor"), user, pk)


def contracts_visible(user) -> QuerySet:
    return Contract.objects.visible_to(user).select_related("package", "vendor").annotate(paid=_paid())


def objections_visible(user) -> QuerySet:
    packages = Package.objects.visible_to(user).values("pk")
    return Objection.objects.filter(package__in=packages).select_related("vendor", "package")


def evaluations_visible(user) -> QuerySet:
    packages = Package.objects.visible_to(user).exclude(status__in=[PackageStatus.DRAFT, PackageStatus.ANNOUNCED])
    return BidEvaluation.objects.filter(bid__package__in=packages.values("pk")).select_related("bid__vendor")


def awards_visible(user) -> QuerySet:
    return Award.objects.filter(package__in=Package.objects.visible_to(user).values("pk")).select_related(
        "vendor", "package"
    )


def roles_on(user, package: Package) -> dict:
    """What ``user`` does on this package: pokja member, its PPK, or a treasurer of its agency."""
    pk = getattr(user, "pk", None)
    return {
        "pokja": is_pokja_member(user, package),
        "ppk": bool(pk) and package.ppk_id == pk,
        "treasurer": Agency.objects.editable_by(user, (Role.TREASURER,)).filter(pk=package.agency_id).exists(),
    }


# --- Evaluation ---------------------------------------------------------------------------


def opened_bids(package: Package) -> QuerySet:
    """Submitted, opened bids with vendor and evaluation (one query), best rank first,
    then the cheapest."""
    return (
        Bid.objects.filter(package=package, status=BidStatus.SUBMITTED, opened_price__isnull=False)
        .select_related("vendor", "evaluation")
        .order_by(F("evaluation__rank").asc(nulls_last=True), "opened_price", "submitted_at", "id")
    )


def evaluation_of(bid: Bid) -> BidEvaluation | None:
    try:
        return bid.evaluation
    except BidEvaluation.DoesNotExist:
        return None


# --- Objections and contract --------------------------------------------------------------


def package_objections(package: Package) -> QuerySet:
    return (
        Objection.objects.filter(package=package).select_related("vendor", "appeal_of").order_by("submitted_at", "id")
    )


def pending_objections(package: Package) -> int:
    return Objection.objects.filter(package=package, status=ObjectionStatus.SUBMITTED).count()


def _paid():
    return Coalesce(Sum("payments__amount"), ZERO)


def package_contract(package: Package) -> Contract | None:
    return Contract.objects.filter(package=package).annotate(paid=_paid()).select_related("vendor").first()


def contract_payments(contract: Contract) -> QuerySet:
    return ContractPayment.objects.filter(contract=contract).order_by("date", "id")


def vendor_objections(package: Package, vendor_ids) -> QuerySet:
    return package_objections(package).filter(vendor_id__in=vendor_ids)


def rejected_without_appeal(objections) -> list[Objection]:
    appealed = {o.appeal_of_id for o in objections if o.kind == ObjectionKind.APPEAL}
    return [
        o
        for o in objections
        if o.kind == ObjectionKind.OBJECTION and o.status == ObjectionStatus.REJECTED and o.pk not in appealed
    ]


# --- The public result --------------------------------------------------------------------


def _ranking_row(bid: Bid) -> dict:
    evaluation = evaluation_of(bid)
    part = failed_part(evaluation) if evaluation else ""
    return {
        "vendor": bid.vendor.name,
        "price": bid.opened_price,
        "rank": evaluation.rank if evaluation else None,
        "passed": bool(evaluation) and is_passing(evaluation),
        "failed_part": str(PART_LABELS[part]) if part else "",
        "technical_score": evaluation.technical_score if evaluation else None,
        "total_score": evaluation.total_score if evaluation else None,
    }


def tender_result(package: Package) -> dict | None:
    """What the public tender page shows after the award is announced, else None.

    Queries: the award with its vendor (1), the opened bids with vendor and evaluation (1),
    the objections with their vendors (1), and once signed the contract (1): at most four.
    """
    award = Award.objects.select_related("vendor").filter(package_id=package.pk, announced_at__isnull=False).first()
    if award is None:
        return None
    result = {
        "ranking": [_ranking_row(bid) for bid in opened_bids(package)],
        "winner": award.vendor.name,
        "price": award.value,
        "announced_at": award.announced_at,
        "appointment_number": award.appointment_number,
        "objections": [
            {
                "kind": objection.get_kind_display(),
                "vendor": objection.vendor.name,
                "submitted_at": objection.submitted_at,
                "text": objection.text,
                "status": objection.get_status_display(),
                "answer": objection.answer,
                "answered_at": objection.answered_at,
            }
            for objection in package_objections(package)
        ],
        "contract": None,
    }
    if package.status in PUBLIC_CONTRACT_STATES:
        contract = Contract.objects.filter(package_id=package.pk).filter(~Q(status="draft")).first()
        if contract is not None:
            result["contract"] = {"number": contract.number, "value": contract.value, "signed_at": contract.signed_at}
    return result


# --- The home page's work list ------------------------------------------------------------

WORK_LIMIT = 10


def awards_work(user) -> list:
    """Lines on the home page: bids to evaluate (pokja), objections to answer (pokja, or
    the PPK for appeals), contracts to draft, sign or pay (PPK). Three queries."""
    if not getattr(user, "is_authenticated", False) or not has_role(user, Role.POKJA, Role.PPK):
        return []  # no query for everybody else (roles come from the cached reach)
    items = []
    unevaluated = Count("bids", filter=Q(bids__status=BidStatus.SUBMITTED, bids__evaluation__isnull=True))
    to_evaluate = (
        Package.objects.filter(pokja_members__user=user, status=PackageStatus.OPENED)
        .annotate(waiting=unevaluated)
        .order_by("id")[:WORK_LIMIT]
    )
    for package in to_evaluate:
        label = _("Evaluate the bids of %(name)s") % {"name": package.name}
        items.append(
            WorkItem(label=label, count=package.waiting, url=reverse("eprocurement:evaluation_page", args=[package.pk]))
        )
    pending = (
        Objection.objects.filter(status=ObjectionStatus.SUBMITTED)
        .filter(
            Q(kind=ObjectionKind.OBJECTION, package__pokja_members__user=user)
            | Q(kind=ObjectionKind.APPEAL, package__ppk=user)
        )
        .values("package_id", "package__name")
        .annotate(count=Count("id", distinct=True))
        .order_by("package_id")[:WORK_LIMIT]
    )
    for row in pending:
        label = _("Objections to answer on %(name)s") % {"name": row["package__name"]}
        items.append(
            WorkItem(label=label, count=row["count"], url=reverse("eprocurement:award_page", args=[row["package_id"]]))
        )
    contracting = Package.objects.filter(
        ppk=user, status__in=[PackageStatus.APPOINTED, PackageStatus.CONTRACTED]
    ).order_by("id")[:WORK_LIMIT]
    for package in contracting:
        label = _("Contract of %(name)s") % {"name": package.name}
        items.append(WorkItem(label=label, count=1, url=reverse("eprocurement:contract_page", args=[package.pk])))
    return items
