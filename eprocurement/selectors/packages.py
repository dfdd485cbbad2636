"""Reads for the package pages and API: the staff list, one package with everything its
page shows, the RUP items a new package may take, and the home page's work line."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from portal.choices import Role
from portal.models import Agency, AuditEntry, Membership, User
from portal.scoping import get_scoped_or_404

from ..choices import PackageStatus, PlanItemStatus, TenderStage
from ..models import Package, PackageDocument, PackagePlanItem, PackageStage, PokjaMember, ProcurementPlanItem
from ..services.packages import FREEING_STATES, TENDER_METHODS

STAFF_ROLES = (Role.PPK, Role.POKJA, Role.LPSE_ADMIN)


def packages_visible(user, *, status: str = "", year: str = "") -> QuerySet:
    """The packages ``user`` may read, filtered, newest first; each row with its number of
    RUP items."""
    packages = (
        Package.objects.visible_to(user)
        .select_related("agency__region", "fiscal_year")
        .annotate(item_count=Count("plan_item_links"))
    )
    if status in PackageStatus.values:
        packages = packages.filter(status=status)
    if str(year).isdigit():
        packages = packages.filter(fiscal_year__year=int(year))
    return packages.order_by("-fiscal_year__year", "-id")


def _detail_queryset() -> QuerySet:
    return Package.objects.select_related("agency__region", "fiscal_year", "ppk", "retender_of").prefetch_related(
        Prefetch("plan_item_links", PackagePlanItem.objects.select_related("plan_item")),
        Prefetch("pokja_members", PokjaMember.objects.select_related("user")),
        Prefetch("stages", PackageStage.objects.order_by("starts_at", "id")),
        Prefetch("documents", PackageDocument.objects.order_by("uploaded", "id")),
        "schedule_changes",
    )


def get_package_for(user, pk, *, write: bool = False) -> Package:
    """The package with its items, team, stages, documents and schedule changes, if
    ``user`` may read it (with ``write``: change it as a PPK or pokja of its reach)."""
    return get_scoped_or_404(_detail_queryset(), user, pk, write=write, roles=(Role.PPK, Role.POKJA))


def get_document_for(user, pk) -> PackageDocument:
    """A package document for download: anyone's once the package is announced, before
    that only staff who may read the package."""
    document = PackageDocument.objects.select_related("package").filter(pk=pk).first()
    if document is None:
        raise Http404
    if document.package.status == PackageStatus.DRAFT:
        get_scoped_or_404(Package.objects.all(), user, document.package_id)
    return document


def history(package: Package) -> QuerySet:
    return (
        AuditEntry.objects.filter(object_type="eprocurement.package", object_id=str(package.pk))
        .order_by("seq")
        .only("created", "actor_label", "action", "old_status", "new_status", "reason")
    )


def current_stage_labels(package: Package, now=None) -> list[str]:
    now = now or timezone.now()
    return [str(TenderStage(row.stage).label) for row in package.stages.all() if row.starts_at <= now < row.ends_at]


def package_agencies(user) -> QuerySet:
    """Agencies whose packages ``user`` may draft (as their PPK)."""
    return Agency.objects.editable_by(user, (Role.PPK,)).filter(is_active=True).select_related("region")


def free_plan_items(agency: Agency) -> QuerySet:
    """Announced RUP items of ``agency`` procured by a tender method and in no live package."""
    taken = PackagePlanItem.objects.filter(plan_item=OuterRef("pk")).exclude(package__status__in=FREEING_STATES)
    return (
        ProcurementPlanItem.objects.filter(agency=agency, status=PlanItemStatus.ANNOUNCED, method__in=TENDER_METHODS)
        .exclude(Exists(taken))
        .select_related("fiscal_year")
        .order_by("-fiscal_year__year", "rup_code")
    )


def ppk_candidates(package: Package) -> QuerySet:
    users = Membership.objects.active().filter(agency_id=package.agency_id, role=Role.PPK).values("user_id")
    return User.objects.filter(pk__in=users).order_by("full_name", "email")


def pokja_candidates(package: Package) -> QuerySet:
    """People holding the pokja role over the package's region (their own agency or region-wide)."""
    region = package.agency.region_id
    memberships = (
        Membership.objects.active()
        .filter(role=Role.POKJA)
        .filter(Q(agency_id=package.agency_id) | Q(agency__region_id=region, scope__in=("region", "province")))
    )
    return User.objects.filter(pk__in=memberships.values("user_id")).order_by("full_name", "email")
