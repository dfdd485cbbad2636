"""A running tender's services: extending its schedule, addenda, and its end states
(cancelled, failed, re-tendered). Drafting and announcing are in ``packages.py``, whose
module docstring says who may do what and why the RUP items' budget commitments never
move on a cancel: a cancelled package frees its items for a new package with the funds
still committed under ``rup:{item.pk}``; a failed one releases them, and its re-tender
commits them again.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.choices import AuditAction
from portal.models import User
from portal.services import DomainError

from ..choices import BidStatus, PackageDocumentKind, PackageStatus, PlanItemStatus, TenderStage
from ..models import Bid, Package, PackageDocument, PackagePlanItem, PokjaMember, ProcurementPlanItem, ScheduleChange
from ..signals import send_package_changed
from . import package_schedule
from .packages import (
    CANCELLABLE_STATES,
    FAILABLE_STATES,
    RUNNING_STATES,
    check_items_free,
    clean_reason,
    locked_package,
    notify_about,
    require_editor,
    require_pokja,
    require_status,
    store_document,
    transition,
)
from .plans import plan_item_commit_funds, plan_item_release_funds

# --- Extending the schedule ------------------------------------------------------------------------


def _apply_extension(package: Package, actor: User, stage: str, new_end, reason: str) -> list[ScheduleChange]:
    """Move ``stage``'s end to ``new_end`` and the stages after it; one ScheduleChange per row moved."""
    rows = {row.stage: row for row in package.stages.select_for_update()}
    moved = package_schedule.extended_rows({s: (r.starts_at, r.ends_at) for s, r in rows.items()}, stage, new_end)
    changes = []
    for name, (start, end) in moved.items():
        row = rows[name]
        if (start, end) == (row.starts_at, row.ends_at):
            continue
        changes.append(
            ScheduleChange(
                package=package,
                stage=name,
                old_starts_at=row.starts_at,
                old_ends_at=row.ends_at,
                new_starts_at=start,
                new_ends_at=end,
                reason=reason,
                changed_by=actor,
            )
        )
        row.starts_at, row.ends_at = start, end
        row.save(update_fields=["starts_at", "ends_at"])
    return ScheduleChange.objects.bulk_create(changes)


def package_extend_schedule(*, package: Package, actor: User, stage: str, new_end, reason: str) -> Package:
    """Extend a stage of a running tender (never shorten it); the stages after it move by
    as much. Also how an outage of the portal during the bid stage is made good."""
    require_pokja(actor, package)
    reason = clean_reason(reason)
    if not isinstance(new_end, datetime.datetime) or timezone.is_naive(new_end):
        raise DomainError({"new_end": _("Give the new end as a date and time.")})
    with transaction.atomic():
        package = locked_package(package.pk)
        require_status(package, RUNNING_STATES, _("Only a running tender's schedule is extended; it is: %(status)s."))
        row = package.stages.filter(stage=stage).first()
        if row is None:
            raise DomainError({"stage": _("This package has no such stage.")})
        facts = {"stage": package_schedule.label(stage)}
        if row.ends_at <= timezone.now():
            raise DomainError({"stage": _("“%(stage)s” is already over; it cannot be extended.") % facts})
        if new_end <= row.ends_at:
            raise DomainError({"new_end": _("An extension moves the end of “%(stage)s” later, never earlier.") % facts})
        changes = _apply_extension(package, actor, stage, new_end, reason)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=package,
            reason=reason,
            changes={"extended": {c.stage: [c.old_ends_at.isoformat(), c.new_ends_at.isoformat()] for c in changes}},
        )
        title = _("Schedule of tender %(code)s extended: %(name)s")
        notify_about(package, actor, title, body=reason, bidders=True)
        send_package_changed(package.pk, "tenderUpdate")
    return package


# --- Addenda ---------------------------------------------------------------------------------


def package_addendum_add(
    *, package: Package, actor: User, title: str, file, reason: str, replaces: PackageDocument | None = None
) -> PackageDocument:
    """Issue an addendum before the bid deadline. Issued with less than
    ``PROCUREMENT_ADDENDUM_MIN_DAYS`` left, it also moves the deadline (and the stages
    after it) so that that many days remain."""
    require_pokja(actor, package)
    reason = clean_reason(reason)
    with transaction.atomic():
        package = locked_package(package.pk)
        require_status(package, {PackageStatus.ANNOUNCED}, _("Addenda are issued while announced; it is: %(status)s."))
        deadline = package.stages.filter(stage=TenderStage.BID_SUBMISSION).values_list("ends_at", flat=True).first()
        now = timezone.now()
        if deadline is None or deadline <= now:
            raise DomainError(_("The bid deadline has passed; no more addenda can be issued."))
        document = store_document(
            package, actor, kind=PackageDocumentKind.ADDENDUM, title=title, file=file, replaces=replaces
        )
        margin = datetime.timedelta(days=settings.PROCUREMENT_ADDENDUM_MIN_DAYS)
        moved = []
        if deadline - now < margin:
            why = str(_("Addendum “%(title)s”: %(reason)s") % {"title": document.title, "reason": reason})
            moved = _apply_extension(package, actor, TenderStage.BID_SUBMISSION, now + margin, why)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=package,
            reason=reason,
            changes={
                "addendum": {"id": document.pk, "title": document.title, "sha256": document.sha256},
                "extended": {c.stage: [c.old_ends_at.isoformat(), c.new_ends_at.isoformat()] for c in moved},
            },
        )
        notify_about(package, actor, _("Addendum to tender %(code)s: %(name)s"), body=reason, bidders=True)
        send_package_changed(package.pk, "tenderAmendment")
    return document


# --- End states ----------------------------------------------------------------------------------


def package_cancel(*, package: Package, actor: User, reason: str) -> Package:
    """Cancel (batal) a package before its contract; its RUP items are free again."""
    require_editor(actor, package)
    reason = clean_reason(reason)
    with transaction.atomic():
        package = locked_package(package.pk)
        require_status(package, CANCELLABLE_STATES, _("This package cannot be cancelled; it is: %(status)s."))
        was_public = package.status != PackageStatus.DRAFT
        transition(package, actor, PackageStatus.CANCELLED, reason)
        notify_about(package, actor, _("Tender %(code)s cancelled: %(name)s"), body=reason, bidders=True)
        if was_public:
            send_package_changed(package.pk, "tenderCancellation")
    return package


def package_fail(*, package: Package, actor: User, reason: str) -> Package:
    """Declare the tender failed (gagal): after the opening, or when no bid came by the deadline."""
    require_pokja(actor, package)
    reason = clean_reason(reason)
    with transaction.atomic():
        package = locked_package(package.pk)
        if package.status == PackageStatus.ANNOUNCED:
            deadline = package.stages.filter(stage=TenderStage.BID_SUBMISSION).values_list("ends_at", flat=True).first()
            no_bids = not Bid.objects.filter(package=package, status=BidStatus.SUBMITTED).exists()
            if not (deadline and deadline <= timezone.now() and no_bids):
                raise DomainError(
                    _("Before the opening a tender fails only when the deadline passed without a single bid.")
                )
        else:
            require_status(package, FAILABLE_STATES, _("This package cannot be declared failed; it is: %(status)s."))
        transition(package, actor, PackageStatus.FAILED, reason)
        for item in package.plan_items.order_by("pk"):
            plan_item_release_funds(item=item, actor=actor)
        notify_about(package, actor, _("Tender %(code)s failed: %(name)s"), body=reason, bidders=True)
        send_package_changed(package.pk, "tenderCancellation")
    return package


def package_retender(*, package: Package, actor: User, reason: str) -> Package:
    """Start a failed tender again: a new draft with the same items, HPS, team, documents
    and requirements (``retender_of`` the old one, which becomes re-tendered)."""
    require_editor(actor, package)
    reason = clean_reason(reason)
    with transaction.atomic():
        old = locked_package(package.pk)
        require_status(old, {PackageStatus.FAILED}, _("Only a failed tender is re-tendered; it is: %(status)s."))
        item_ids = _items_for_retender(old)
        new = Package.objects.create(**{f: getattr(old, f) for f in _COPIED_FIELDS}, retender_of=old, created_by=actor)
        PackagePlanItem.objects.bulk_create(PackagePlanItem(package=new, plan_item_id=pk) for pk in item_ids)
        for item in ProcurementPlanItem.objects.filter(pk__in=item_ids).order_by("pk"):
            plan_item_commit_funds(item=item, actor=actor)
        PokjaMember.objects.bulk_create(
            PokjaMember(package=new, user_id=m.user_id, is_chair=m.is_chair) for m in old.pokja_members.all()
        )
        PackageDocument.objects.bulk_create(_document_copies(old, new))
        transition(old, actor, PackageStatus.RETENDERED, reason, changes={"retender": new.pk})
        audit_record(
            actor=actor, action=AuditAction.CREATE, obj=new, new_status=new.status, changes={"retender_of": old.pk}
        )
        notify_about(old, actor, _("Tender %(code)s will be tendered again: %(name)s"), body=reason, bidders=True)
        send_package_changed(old.pk, "tenderCancellation")
    return new


def _items_for_retender(old: Package) -> list[int]:
    """The failed package's RUP items, locked: still announced, and not taken meanwhile
    by another package (a failed package frees them)."""
    items = list(ProcurementPlanItem.objects.select_for_update().filter(package_links__package=old).order_by("pk"))
    cancelled = [item.rup_code for item in items if item.status != PlanItemStatus.ANNOUNCED]
    if cancelled:
        raise DomainError(
            _("RUP %(codes)s is no longer announced; draft a new package instead.") % {"codes": ", ".join(cancelled)}
        )
    check_items_free([item.pk for item in items])
    return [item.pk for item in items]


_COPIED_FIELDS = (
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
    "ppk",
)


def _document_copies(old: Package, new: Package):
    """The old package's current documents (not those an addendum replaced), referring to
    the same stored files."""
    documents = list(old.documents.all())
    replaced = {d.replaces_id for d in documents if d.replaces_id}
    for d in documents:
        if d.pk not in replaced:
            yield PackageDocument(
                package=new,
                kind=d.kind,
                title=d.title,
                file=d.file.name,
                size=d.size,
                sha256=d.sha256,
                uploaded_by_id=d.uploaded_by_id,
            )
