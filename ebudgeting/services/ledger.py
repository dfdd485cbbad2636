"""The commitment ledger of a budget line, and its realizations (SP2D).

available = amount − committed − realized. Procurement commits when a contract is
signed, releases what a contract will not spend, and realizes what is paid; a treasurer
records other payments directly. Each service locks the line (SELECT … FOR UPDATE),
re-reads it, checks the available amount on the locked row and writes the new figures,
so two concurrent requests queue on the line and can never take it below zero; the
database's check constraint (amount ≥ committed + realized) backs that up.

What is still committed under a reference is the sum of its COMMIT entries less its
RELEASE entries. A realization against a reference settles that commitment first: the
settled part is written as a RELEASE entry beside the REALIZE entry, so the ledger
always adds up to the line's figures (committed = Σ commit − Σ release, realized =
Σ realize).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Case, DecimalField, F, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.choices import AuditAction
from portal.services import DomainError

from ..choices import DocumentStatus, LedgerEntryKind
from ..models import BudgetLine, LedgerEntry, Realization
from ..totals import add_to_document_totals, refresh_document_totals

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999999999.99")


def ledger_commit(*, line_id: int, amount, reference: str, actor) -> LedgerEntry:
    """Reserve ``amount`` of the line for ``reference`` (a contract, a procurement plan item)."""
    amount, reference = _positive(amount), _reference(reference, required=True)
    with transaction.atomic():
        line = _locked_line(line_id)
        _require_spendable(line)
        _require_available(line, amount)
        old = line.committed
        line.committed = old + amount
        line.save(update_fields=["committed"])
        add_to_document_totals(line.document_id, committed=amount)
        entry = _entry(line, LedgerEntryKind.COMMIT, amount, reference, actor)
        _audit(actor, line, "committed", old, line.committed, reference)
    return entry


def ledger_release(*, reference: str, actor, line_id: int | None = None) -> list[LedgerEntry]:
    """Give back what is still committed under ``reference`` (on one line, or on all)."""
    reference = _reference(reference, required=True)
    with transaction.atomic():
        line_ids = LedgerEntry.objects.filter(reference=reference, kind=LedgerEntryKind.COMMIT)
        if line_id is not None:
            line_ids = line_ids.filter(line_id=line_id)
        # Lock in primary-key order, so two releases over the same lines never deadlock.
        lines = list(
            BudgetLine.objects.select_for_update(of=("self",))
            .select_related("document__agency")
            .filter(pk__in=line_ids.values("line_id"))
            .order_by("pk")
        )
        outstanding = outstanding_commitments(reference, [line.pk for line in lines])
        entries, changes = [], {}
        for line in lines:
            amount = outstanding.get(line.pk, ZERO)
            if amount <= 0:
                continue
            changes[str(line.pk)] = [str(line.committed), str(line.committed - amount)]
            line.committed -= amount
            line.save(update_fields=["committed"])
            add_to_document_totals(line.document_id, committed=-amount)
            entries.append(_entry(line, LedgerEntryKind.RELEASE, amount, reference, actor))
        if not entries:
            raise DomainError(_("Nothing is committed under the reference “%(reference)s”.") % {"reference": reference})
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=lines[0],
            agency_id=lines[0].document.agency_id,
            region_id=lines[0].document.agency.region_id,
            reason=str(_("Commitment released")),
            changes={"reference": reference, "committed": changes},
        )
    return entries


def ledger_realize(
    *,
    line_id: int,
    amount,
    number: str,
    date: datetime.date,
    purpose: str,
    actor,
    reference: str = "",
    subject=None,
) -> Realization:
    """Record a disbursement (SP2D) against the line.

    With a ``reference`` that still has a commitment on this line, the payment settles
    it first (moved from committed to realized); whatever it does not cover must be
    available on the line.
    """
    amount, reference = _positive(amount), _reference(reference, required=False)
    number, purpose = (number or "").strip(), (purpose or "").strip()
    if not number:
        raise DomainError({"number": _("Give the SP2D number.")})
    if not purpose and subject is None:
        raise DomainError({"purpose": _("Say what this payment is for.")})
    if not isinstance(date, datetime.date):
        raise DomainError({"date": _("Give the SP2D date.")})
    with transaction.atomic():
        line = _locked_line(line_id)
        _require_spendable(line)
        _require_in_year(line, date)
        if Realization.objects.filter(line=line, number=number).exists():
            raise DomainError({"number": _("SP2D %(number)s is already recorded on this line.") % {"number": number}})
        settled = min(amount, outstanding_commitments(reference, [line.pk]).get(line.pk, ZERO)) if reference else ZERO
        _require_available(line, amount - settled)
        old_committed, old_realized = line.committed, line.realized
        line.committed, line.realized = old_committed - settled, old_realized + amount
        line.save(update_fields=["committed", "realized"])
        add_to_document_totals(line.document_id, committed=-settled, realized=amount)
        realization = Realization.objects.create(
            line=line,
            number=number,
            date=date,
            amount=amount,
            purpose=purpose[:500] or str(subject)[:500],
            subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
            subject_id=str(subject.pk) if subject is not None else "",
            reference=reference,
            created_by=_person(actor),
        )
        if settled:
            _entry(line, LedgerEntryKind.RELEASE, settled, reference, actor)
        _entry(line, LedgerEntryKind.REALIZE, amount, reference or f"SP2D {number}"[:100], actor)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=realization,
            agency_id=line.document.agency_id,
            region_id=line.document.agency.region_id,
            changes={
                "line": line.pk,
                "amount": str(amount),
                "committed": [str(old_committed), str(line.committed)],
                "realized": [str(old_realized), str(line.realized)],
                "reference": reference,
            },
        )
    return realization


def outstanding_commitments(reference: str, line_ids: list[int]) -> dict[int, Decimal]:
    """What is still committed under ``reference``, per line (one query)."""
    signed = Case(
        When(kind=LedgerEntryKind.COMMIT, then=F("amount")),
        When(kind=LedgerEntryKind.RELEASE, then=-F("amount")),
        default=Value(ZERO),
        output_field=DecimalField(max_digits=18, decimal_places=2),
    )
    rows = (
        LedgerEntry.objects.filter(reference=reference, line_id__in=line_ids)
        .values("line_id")
        .annotate(outstanding=Coalesce(Sum(signed), Value(ZERO)))
    )
    return {row["line_id"]: row["outstanding"] for row in rows}


# --- checks -------------------------------------------------------------------------


def _positive(amount) -> Decimal:
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError({"amount": _("Enter the amount as a number of rupiah.")}) from None
    if not value.is_finite() or value <= 0:
        raise DomainError({"amount": _("The amount must be more than zero.")})
    if value > MAX_AMOUNT or value != value.quantize(CENT):
        raise DomainError({"amount": _("Enter rupiah with at most two decimals and at most 16 digits.")})
    return value.quantize(CENT)


def _reference(reference, *, required: bool) -> str:
    value = (reference or "").strip()
    if required and not value:
        raise DomainError({"reference": _("Give the reference of the commitment (a contract or plan number).")})
    if len(value) > 100:
        raise DomainError({"reference": _("A reference has at most 100 characters.")})
    return value


def _locked_line(line_id) -> BudgetLine:
    try:
        return (
            BudgetLine.objects.select_for_update(of=("self",))
            .select_related("document__agency", "document__fiscal_year")
            .get(pk=line_id)
        )
    except (BudgetLine.DoesNotExist, ValueError, TypeError):
        raise DomainError(_("There is no such budget line.")) from None


def _require_spendable(line: BudgetLine) -> None:
    # The DPA in force is the approved version; a revision being prepared (the current
    # version, not yet approved) does not stop payments: its approval carries them over.
    document = line.document
    if document.status != DocumentStatus.APPROVED:
        raise DomainError(
            _("Only lines of the approved DPA in force can be spent from; this line's document is “%(status)s”.")
            % {"status": document.get_status_display()}
        )


def _require_available(line: BudgetLine, amount: Decimal) -> None:
    if amount > line.available:
        raise DomainError(
            {
                "amount": _("Only Rp%(available)s is available on this line; Rp%(amount)s was asked for.")
                % {
                    "available": number_format(line.available, 2, force_grouping=True),
                    "amount": number_format(amount, 2, force_grouping=True),
                }
            }
        )


def _require_in_year(line: BudgetLine, date: datetime.date) -> None:
    year = line.document.fiscal_year.year
    if date.year != year:
        raise DomainError({"date": _("The SP2D date must fall within the fiscal year %(year)s.") % {"year": year}})


def _person(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _entry(line, kind, amount, reference, actor) -> LedgerEntry:
    return LedgerEntry.objects.create(line=line, kind=kind, amount=amount, reference=reference, actor=_person(actor))


def _audit(actor, line, field, old, new, reference) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=line,
        agency_id=line.document.agency_id,
        region_id=line.document.agency.region_id,
        changes={field: [str(old), str(new)], "reference": reference},
    )


def ledger_carry_to_revision(*, previous_id: int, revision_id: int, actor) -> None:
    """Move the ledger of the DPA in force onto the revision replacing it.

    Called by the revision's approval, in its transaction. Lines are matched by their
    origin; their committed and realized figures, ledger entries and realizations follow
    them, so later releases and payments find the line in force. A revision that would
    leave a line below what is already committed and paid, or drop such a line, is
    refused with the lines named.
    """
    old_lines = list(BudgetLine.objects.select_for_update().filter(document_id=previous_id).order_by("pk"))
    new_lines = {
        line.origin_id: line
        for line in BudgetLine.objects.select_for_update().filter(document_id=revision_id).order_by("pk")
    }
    problems = []
    for old in old_lines:
        spent = old.committed + old.realized
        new = new_lines.get(old.origin_id or old.pk)
        if new is None:
            if spent > 0:
                problems.append(_("“%(line)s” was removed but has Rp%(spent)s committed or paid.") % _facts(old, spent))
            continue
        if new.amount < spent:
            problems.append(_("“%(line)s” would be below the Rp%(spent)s committed or paid.") % _facts(new, spent))
            continue
        new.committed, new.realized = old.committed, old.realized
        new.save(update_fields=["committed", "realized"])
        LedgerEntry.objects.filter(line=old).update(line=new)
        Realization.objects.filter(line=old).update(line=new)
    if problems:
        raise DomainError(problems)
    refresh_document_totals(revision_id)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        object_type="ebudgeting.budgetdocument",
        object_id=str(revision_id),
        object_label=f"ledger carried from #{previous_id}",
        changes={"carried_lines": len(old_lines)},
    )


def _facts(line: BudgetLine, spent: Decimal) -> dict:
    return {"line": line.description, "spent": number_format(spent, 2, force_grouping=True)}
