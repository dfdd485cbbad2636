"""Packages (paket): drafting one from announced RUP items, its team, documents and
schedule, and announcing it. A running tender's services (extensions, addenda, cancel,
fail, re-tender) are in ``package_tender.py``; the schedule's rules in ``package_schedule.py``.

Who does what
-------------
The PPK (commitment officer) of the package's agency owns the package: they draft it and
name its team. The pokja, three members of the region's UKPBJ, runs it: they also edit the
draft, announce it, extend its schedule, issue addenda and declare it failed. The PPK or a
pokja member may cancel it.

Budget
------
An announced RUP item committed its funds in the budget ledger under ``rup:{item.pk}``
(``services/plans.py``). The commitment stays while the item is in a package and while
that package runs; cancelling (batal) a package keeps it too, since the item stays planned
and free to go into a new package. A failed tender (gagal) releases it, as the issue asks:
the money is free again until a re-tender or a new package on the item commits it again
(``plan_item_commit_funds``, refused, naming the line, when the line no longer has it).
Signing the contract moves the commitment to the contract (``services/contracts.py``).

Signals
-------
Once a package is announced every change of it, or of what is published about it, sends
``package_changed`` after commit (``"tender"``, ``"tenderUpdate"``, ``"tenderAmendment"``,
``"tenderCancellation"``). A draft is internal, so changes of a draft send nothing.
"""

from __future__ import annotations

import datetime
import hashlib
import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.choices import AuditAction, Role
from portal.models import Agency, Membership, Region, User
from portal.services import DomainError, notify

from ..choices import (
    CONSULTANCY_EVALUATION,
    EvaluationMethod,
    PackageDocumentKind,
    PackageStatus,
    PlanItemStatus,
    ProcurementKind,
    ProcurementMethod,
    TenderStage,
)
from ..models import (
    Bid,
    Package,
    PackageDocument,
    PackagePlanItem,
    PackageStage,
    PokjaMember,
    ProcurementPlanItem,
)
from ..selectors.team import is_pokja_member
from ..signals import send_package_changed
from . import package_schedule
from .plans import MAX_AMOUNT, plan_item_commit_funds, rupiah, small_business_limit

TENDER_METHODS = frozenset({ProcurementMethod.TENDER, ProcurementMethod.QUICK_TENDER, ProcurementMethod.SELECTION})
# A package whose items are taken: running, or done. Cancelled, failed and re-tendered
# packages free their items (a re-tender takes them into the new package).
FREEING_STATES = frozenset({PackageStatus.CANCELLED, PackageStatus.FAILED, PackageStatus.RETENDERED})
RUNNING_STATES = frozenset(
    {PackageStatus.ANNOUNCED, PackageStatus.OPENED, PackageStatus.AWARDED, PackageStatus.APPOINTED}
)
CANCELLABLE_STATES = frozenset({PackageStatus.DRAFT, *RUNNING_STATES})
FAILABLE_STATES = frozenset({PackageStatus.OPENED, PackageStatus.AWARDED, PackageStatus.APPOINTED})
EDITABLE_FIELDS = ("name", "description", "evaluation_method", "owner_estimate", "qualification_requirements")
POKJA_SIZE = 3
# Magic numbers of the file types a package document may be: PDF, and the ZIP container
# that XLSX and DOCX also are.
DOCUMENT_TYPES = {".pdf": b"%PDF-", ".zip": b"PK\x03\x04", ".xlsx": b"PK\x03\x04", ".docx": b"PK\x03\x04"}


# --- Who may ----------------------------------------------------------------------------------


def is_owner(user: User, package: Package) -> bool:
    """The package's PPK, or a PPK of its agency."""
    return (
        package.ppk_id == getattr(user, "pk", None)
        or Package.objects.editable_by(user, (Role.PPK,)).filter(pk=package.pk).exists()
    )


def can_edit(user: User, package: Package) -> bool:
    return is_owner(user, package) or is_pokja_member(user, package)


def require_that(allowed: bool, message) -> None:
    if not allowed:
        raise PermissionDenied(message)


def require_editor(actor: User, package: Package) -> None:
    require_that(can_edit(actor, package), _("Only the package's PPK or its pokja changes the package."))


def require_pokja(actor: User, package: Package) -> None:
    require_that(is_pokja_member(actor, package), _("Only a member of the package's pokja may do this."))


def locked_package(package_id: int) -> Package:
    return (
        Package.objects.select_for_update(of=("self",))
        .select_related("agency__region", "fiscal_year")
        .get(pk=package_id)
    )


def require_status(package: Package, statuses, message) -> None:
    if package.status not in statuses:
        raise DomainError(message % {"status": package.get_status_display()})


def clean_reason(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError({"reason": _("Give a reason.")})
    return text


def transition(package: Package, actor: User, status: str, reason: str = "", changes=None) -> None:
    old_status, package.status, package.status_reason = package.status, status, reason
    package.save(update_fields=["status", "status_reason", "modified"])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=package,
        old_status=old_status,
        new_status=status,
        reason=reason,
        changes=changes,
    )


# --- Creating and editing a draft ---------------------------------------------------------------


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError({field: _("Enter the amount as a number of rupiah.")}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise DomainError({field: _("Enter rupiah with at most two decimals and at most 16 digits.")})
    return amount.quantize(Decimal("0.01"))


def _check_evaluation(kind: str, evaluation_method: str) -> None:
    if evaluation_method not in EvaluationMethod.values:
        raise DomainError({"evaluation_method": _("Choose an evaluation method.")})
    consultancy = kind == ProcurementKind.CONSULTANCY
    if consultancy != (evaluation_method in CONSULTANCY_EVALUATION):
        allowed = [str(m.label) for m in EvaluationMethod if (m in CONSULTANCY_EVALUATION) == consultancy]
        raise DomainError(
            {
                "evaluation_method": _("%(kind)s are evaluated by one of: %(allowed)s.")
                % {"kind": ProcurementKind(kind).label, "allowed": "; ".join(allowed)}
            }
        )


def _plan_items(agency: Agency, plan_item_ids) -> list[ProcurementPlanItem]:
    """The announced RUP items of ``agency``, locked, all of one year, kind and method,
    none taken by a live package."""
    ids = {int(pk) for pk in plan_item_ids or () if str(pk).isdigit()}
    if not ids or len(ids) != len(list(plan_item_ids)):
        raise DomainError({"plan_items": _("Choose one or more RUP items, each once.")})
    items = list(ProcurementPlanItem.objects.select_for_update().filter(pk__in=ids, agency=agency).order_by("pk"))
    if len(items) != len(ids):
        raise DomainError({"plan_items": _("Choose RUP items of the package's agency.")})
    if any(item.status != PlanItemStatus.ANNOUNCED for item in items):
        raise DomainError({"plan_items": _("Only announced RUP items can go into a package.")})
    for field, message in (
        ("fiscal_year_id", _("All items of a package are of one fiscal year.")),
        ("kind", _("All items of a package are of one kind of procurement.")),
        ("method", _("All items of a package are procured by one method.")),
    ):
        if len({getattr(item, field) for item in items}) > 1:
            raise DomainError({"plan_items": message})
    method = items[0].method
    if method not in TENDER_METHODS:
        raise DomainError(
            {
                "plan_items": _(
                    "%(method)s is not run as a tender here; only items to be procured by tender, "
                    "quick tender or selection go into a package."
                )
                % {"method": ProcurementMethod(method).label}
            }
        )
    check_items_free(ids)
    return items


def check_items_free(item_ids) -> None:
    """Refuse RUP items a live package holds; call with the items locked."""
    taken = (
        PackagePlanItem.objects.filter(plan_item_id__in=item_ids)
        .exclude(package__status__in=FREEING_STATES)
        .select_related("plan_item")
        .first()
    )
    if taken:
        raise DomainError(
            {"plan_items": _("RUP %(code)s is already in another package.") % {"code": taken.plan_item.rup_code}}
        )


def package_create(
    *,
    actor: User,
    agency: Agency,
    plan_item_ids,
    name: str,
    evaluation_method: str,
    description: str = "",
    owner_estimate=None,
    qualification_requirements: str = "",
) -> Package:
    """Draft a package of ``agency`` from announced RUP items; its value is their sum."""
    require_that(
        Agency.objects.editable_by(actor, (Role.PPK,)).filter(pk=agency.pk).exists(),
        _("Only a PPK of the agency drafts its packages."),
    )
    name = (name or "").strip()
    if not name or len(name) > 300:
        raise DomainError({"name": _("Give the package a name of at most 300 characters.")})
    with transaction.atomic():
        items = _plan_items(agency, plan_item_ids)
        kind, value = items[0].kind, sum((item.value for item in items), Decimal("0.00"))
        _check_evaluation(kind, evaluation_method)
        estimate = _money(owner_estimate if owner_estimate not in (None, "") else "0", "owner_estimate")
        _check_estimate(estimate, value)
        package = Package.objects.create(
            agency=agency,
            fiscal_year_id=items[0].fiscal_year_id,
            name=name,
            description=(description or "").strip(),
            kind=kind,
            method=items[0].method,
            evaluation_method=evaluation_method,
            value=value,
            owner_estimate=estimate,
            qualification_requirements=(qualification_requirements or "").strip(),
            small_business_reserved=value <= small_business_limit()
            or any(item.small_business_reserved for item in items),
            ppk=actor if Membership.objects.filter(user=actor, agency=agency, role=Role.PPK).exists() else None,
            created_by=actor,
        )
        PackagePlanItem.objects.bulk_create(PackagePlanItem(package=package, plan_item=item) for item in items)
        for item in items:  # after a failed tender released them
            plan_item_commit_funds(item=item, actor=actor)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=package,
            new_status=package.status,
            changes={"value": str(value), "plan_items": [item.rup_code for item in items]},
        )
    return package


def _check_estimate(estimate: Decimal, value: Decimal) -> None:
    if estimate > value:
        raise DomainError(
            {
                "owner_estimate": _("The owner's estimate (HPS) of Rp%(hps)s is above the ceiling of Rp%(value)s.")
                % {"hps": rupiah(estimate), "value": rupiah(value)}
            }
        )


def package_update(*, package: Package, actor: User, data: dict) -> Package:
    """Change a draft's fields (name, description, evaluation method, HPS, requirements)."""
    require_editor(actor, package)
    with transaction.atomic():
        package = locked_package(package.pk)
        require_status(package, {PackageStatus.DRAFT}, _("Only a draft package is edited; this one is: %(status)s."))
        values = {field: data[field] for field in EDITABLE_FIELDS if field in data}
        for field in ("name", "description", "qualification_requirements"):
            if field in values:
                values[field] = (values[field] or "").strip()
        if "name" in values and (not values["name"] or len(values["name"]) > 300):
            raise DomainError({"name": _("Give the package a name of at most 300 characters.")})
        if "owner_estimate" in values:
            # Left empty on the form: not estimated yet (announcing asks for it).
            estimate = values["owner_estimate"]
            values["owner_estimate"] = _money("0" if estimate in (None, "") else estimate, "owner_estimate")
            _check_estimate(values["owner_estimate"], package.value)
        if "evaluation_method" in values:
            _check_evaluation(package.kind, values["evaluation_method"])
        old = {field: str(getattr(package, field)) for field in values}
        for field, value in values.items():
            setattr(package, field, value)
        package.save(update_fields=[*values, "modified"])
        changes = {f: [old[f], str(getattr(package, f))] for f in values if old[f] != str(getattr(package, f))}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=package, changes=changes)
    return package


def package_set_team(*, package: Package, actor: User, ppk: User, pokja: list[User]) -> Package:
    """Name the PPK (a PPK of the agency) and the pokja: three people holding the pokja
    role over the agency's region, the first one chairing, none of them the PPK."""
    require_that(is_owner(actor, package), _("Only a PPK of the agency names the package's team."))
    members = list(pokja or [])
    if len(members) != POKJA_SIZE or len({getattr(m, "pk", None) for m in members}) != POKJA_SIZE:
        raise DomainError({"pokja": _("A pokja has exactly three different members.")})
    if ppk is None or not Membership.objects.active().filter(user=ppk, agency=package.agency, role=Role.PPK).exists():
        raise DomainError({"ppk": _("The PPK must hold the PPK role in %(agency)s.") % {"agency": package.agency}})
    if any(m.pk == ppk.pk for m in members):
        raise DomainError({"pokja": _("The PPK may not sit in the pokja of their own package.")})
    for member in members:
        if not Package.objects.editable_by(member, (Role.POKJA,)).filter(pk=package.pk).exists():
            raise DomainError(
                {
                    "pokja": _("%(person)s does not hold the pokja role for %(region)s.")
                    % {"person": member.full_name or member.email, "region": package.agency.region.name}
                }
            )
    with transaction.atomic():
        package = locked_package(package.pk)
        require_status(package, {PackageStatus.DRAFT}, _("The team is set while drafting; the package is: %(status)s."))
        old = {"ppk": package.ppk_id, "pokja": sorted(package.pokja_members.values_list("user_id", flat=True))}
        package.ppk = ppk
        package.save(update_fields=["ppk", "modified"])
        package.pokja_members.all().delete()
        PokjaMember.objects.bulk_create(
            PokjaMember(package=package, user=member, is_chair=index == 0) for index, member in enumerate(members)
        )
        new = {"ppk": ppk.pk, "pokja": [m.pk for m in members]}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=package, changes={"team": [old, new]})
    return package


# --- Documents --------------------------------------------------------------------------------


def check_package_file(upload) -> tuple[str, int]:
    """The SHA-256 and size of a PDF, ZIP, XLSX or DOCX within the size limit."""
    if upload is None:
        raise DomainError({"file": _("Choose a file.")})
    limit = settings.PROCUREMENT_DOCUMENT_MAX_BYTES
    if upload.size > limit:
        raise DomainError(
            {"file": _("%(name)s is larger than %(mb)s MB.") % {"name": upload.name, "mb": limit // (1024 * 1024)}}
        )
    suffix = Path(upload.name or "").suffix.lower()
    upload.seek(0)
    if suffix not in DOCUMENT_TYPES or not upload.read(8).startswith(DOCUMENT_TYPES[suffix]):
        raise DomainError({"file": _("%(name)s is not a PDF, ZIP, XLSX or DOCX file.") % {"name": upload.name}})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest(), upload.size


def store_document(package, actor, *, kind, title, file, replaces=None) -> PackageDocument:
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise DomainError({"title": _("Give the document a title of at most 200 characters.")})
    if kind not in PackageDocumentKind.values:
        raise DomainError({"kind": _("Choose what kind of document this is.")})
    if replaces is not None and replaces.package_id != package.pk:
        raise DomainError({"replaces": _("An addendum replaces a document of the same package.")})
    sha256, size = check_package_file(file)
    # A random stored name: the address of a draft's file cannot be guessed.
    file.name = f"{uuid.uuid4().hex}{Path(file.name).suffix.lower()}"
    return PackageDocument.objects.create(
        package=package,
        kind=kind,
        title=title,
        file=file,
        size=size,
        sha256=sha256,
        replaces=replaces,
        uploaded_by=actor,
    )


def package_document_add(*, package: Package, actor: User, kind: str, title: str, file) -> PackageDocument:
    """Attach a document to a draft (after announcement documents change only by addendum)."""
    require_editor(actor, package)
    if kind == PackageDocumentKind.ADDENDUM:
        raise DomainError({"kind": _("Addenda are issued after the announcement.")})
    with transaction.atomic():
        package = locked_package(package.pk)
        require_status(
            package, {PackageStatus.DRAFT}, _("Documents are attached while drafting; the package is: %(status)s.")
        )
        document = store_document(package, actor, kind=kind, title=title, file=file)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=package,
            changes={"document_added": {"id": document.pk, "title": document.title, "sha256": document.sha256}},
        )
    return document


def package_document_remove(*, document: PackageDocument, actor: User) -> None:
    """Remove a draft's document (its file stays in storage if a re-tender refers to it)."""
    require_editor(actor, document.package)
    with transaction.atomic():
        package = locked_package(document.package_id)
        require_status(
            package, {PackageStatus.DRAFT}, _("Documents are removed while drafting; the package is: %(status)s.")
        )
        facts = {"id": document.pk, "title": document.title, "sha256": document.sha256}
        PackageDocument.objects.filter(pk=document.pk).delete()
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=package, changes={"document_removed": facts})


# --- Schedule ---------------------------------------------------------------------------------


def package_set_schedule(*, package: Package, actor: User, rows: dict) -> Package:
    """Replace a draft's schedule with ``rows`` ({stage: (start, end)}) if it keeps the rules."""
    require_editor(actor, package)
    with transaction.atomic():
        package = locked_package(package.pk)
        require_status(
            package, {PackageStatus.DRAFT}, _("The schedule is set while drafting; the package is: %(status)s.")
        )
        ordered = package_schedule.check_schedule(kind=package.kind, method=package.method, rows=rows)
        package.stages.all().delete()
        PackageStage.objects.bulk_create(
            PackageStage(package=package, stage=stage, starts_at=start, ends_at=end)
            for stage, (start, end) in ordered.items()
        )
        schedule = {stage: [start.isoformat(), end.isoformat()] for stage, (start, end) in ordered.items()}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=package, changes={"schedule": schedule})
    return package


def _rows_of(package: Package) -> dict:
    return {row.stage: (row.starts_at, row.ends_at) for row in package.stages.all()}


# --- Announcing ---------------------------------------------------------------------------------


def next_package_code(package: Package) -> str:
    """The next tender code of the package's region and year; call with the region row locked."""
    prefix = f"{package.fiscal_year.year}{package.agency.region.code.replace('.', '')}"
    last = Package.objects.filter(code__startswith=prefix, code__regex=rf"^{prefix}\d{{5}}$").aggregate(
        last=Max("code")
    )["last"]
    return f"{prefix}{(int(last[len(prefix) :]) + 1 if last else 1):05d}"


def _announce_problems(package: Package) -> list[str]:
    problems = []
    if package.owner_estimate <= 0:
        problems.append(_("Set the owner's estimate (HPS)."))
    if package.ppk_id is None or package.pokja_members.count() != POKJA_SIZE:
        problems.append(_("Name the PPK and the three pokja members."))
    if not package.documents.filter(kind=PackageDocumentKind.SELECTION).exists():
        problems.append(_("Attach the selection document (dokumen pemilihan)."))
    if package.plan_items.exclude(status=PlanItemStatus.ANNOUNCED).exists():
        problems.append(_("One of the package's RUP items is no longer announced."))
    rows = _rows_of(package)
    if not rows:
        problems.append(_("Set the schedule."))
        return problems
    try:
        package_schedule.check_schedule(kind=package.kind, method=package.method, rows=rows)
    except DomainError as error:
        problems.extend(error.messages)
    grace = datetime.timedelta(minutes=settings.PROCUREMENT_ANNOUNCE_GRACE_MINUTES)
    start = rows.get(TenderStage.ANNOUNCEMENT, (None,))[0]
    if start and start < timezone.now() - grace:
        problems.append(_("The announcement would start in the past; move the schedule forward."))
    return problems


def package_announce(*, package: Package, actor: User) -> Package:
    """Publish a complete draft: it gets its tender code and the tender begins.

    The package's sealing key is not made here: the bids part makes it when the first bid
    is sealed, so a portal without a master key can still announce.
    """
    require_editor(actor, package)
    with transaction.atomic():
        package = locked_package(package.pk)
        require_status(package, {PackageStatus.DRAFT}, _("Only a draft is announced; this package is: %(status)s."))
        problems = _announce_problems(package)
        if problems:
            raise DomainError(problems)
        # Codes are numbered per region and year: the region row lock queues announcements.
        Region.objects.select_for_update().filter(pk=package.agency.region_id).first()
        package.code = next_package_code(package)
        package.announced_at = timezone.now()
        package.save(update_fields=["code", "announced_at", "modified"])
        transition(package, actor, PackageStatus.ANNOUNCED, changes={"code": package.code})
        notify_about(package, actor, _("Tender %(code)s announced: %(name)s"))
        send_package_changed(package.pk, "tender")
    return package


# --- Notifications ---------------------------------------------------------------------------------


def notify_about(package: Package, actor: User, title, body: str = "", *, bidders: bool = False) -> None:
    """Tell the PPK and the pokja (and, with ``bidders``, every vendor with a bid on the
    package, whatever its status), never the one who did it. Vendors are linked to the
    public tender page, staff to the package's page."""
    lazy_title = _LazyTitle(title, {"code": package.code or "", "name": package.name})
    common = {"kind": "eprocurement.package", "title": lazy_title, "body": body, "subject": package}
    team = set(package.pokja_members.values_list("user_id", flat=True)) | {package.ppk_id}
    team -= {None, actor.pk}
    notify(recipients=list(User.objects.filter(pk__in=team, is_active=True)), url=package_url(package), **common)
    if bidders:
        vendors = Bid.objects.filter(package=package).values("vendor__owner_id")
        recipients = User.objects.filter(pk__in=vendors, is_active=True).exclude(pk__in=[*team, actor.pk])
        notify(recipients=list(recipients), url=reverse("eprocurement:tender_detail", args=[package.pk]), **common)


class _LazyTitle:
    """A title with the package's facts filled in, translated per recipient by notify()."""

    def __init__(self, template, facts: dict):
        self.template, self.facts = template, facts

    def __str__(self):
        return str(self.template) % self.facts


def package_url(package: Package) -> str:
    return reverse("eprocurement:package_detail", args=[package.pk])
