"""The contract (kontrak / SPK): drafting, signing, and the payments made under it.

Money follows the budget ledger (``ebudgeting.services.ledger``), all in the service's
one transaction, so a failure on any line leaves every line as it was:

- Signing releases what the package's RUP items still commit on their lines (reference
  ``rup:<plan item id>``) and commits the contract value (reference ``contract:<id>``)
  on the same lines, spread in proportion to the RUP fundings on each line: line *i*
  gets ``round(value × funding_i / Σ funding, 2)``, the last line the remainder, so the
  shares add up to the value to the cent.
- A payment (SP2D) is split over the contract's lines in proportion to what the contract
  still commits on each (the same proportion as at signing, up to cents; the last line
  takes the remainder) and recorded on each line by ``ledger_realize`` with the contract
  as its subject, which moves the amount from committed to realized. The last payment
  pays exactly what remains on each line. When everything is paid the contract and the
  package are COMPLETED.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ebudgeting.choices import LedgerEntryKind
from ebudgeting.models import LedgerEntry
from ebudgeting.services.ledger import ledger_commit, ledger_realize, ledger_release, outstanding_commitments
from portal.audit import audit_record
from portal.choices import AuditAction, Role
from portal.models import Agency, User
from portal.services import DomainError

from ..choices import ContractStatus, PackageStatus
from ..models import Award, Contract, ContractPayment, Package, ProcurementFunding
from ..signals import send_package_changed
from .awards import require_ppk
from .evaluation import require_package_status
from .packages import locked_package

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = Decimal("9999999999999999.99")
PAYER_ROLES = (Role.PPK, Role.TREASURER)


def contract_reference(contract: Contract) -> str:
    return f"contract:{contract.pk}"


def rupiah(value) -> str:
    return number_format(value, 2, force_grouping=True)


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError({field: _("Enter the amount as a number of rupiah.")}) from None
    if not amount.is_finite() or amount <= 0:
        raise DomainError({field: _("The amount must be more than zero.")})
    if amount > MAX_AMOUNT or amount != amount.quantize(CENT):
        raise DomainError({field: _("Enter rupiah with at most two decimals and at most 16 digits.")})
    return amount.quantize(CENT)


def split_in_proportion(total: Decimal, weights: OrderedDict) -> OrderedDict:
    """``total`` over the keys of ``weights`` in proportion, to the cent; the last key
    takes the remainder. Zero shares are left out."""
    whole = sum(weights.values(), ZERO)
    shares, given = OrderedDict(), ZERO
    keys = list(weights)
    for key in keys[:-1]:
        share = (total * weights[key] / whole).quantize(CENT)
        shares[key], given = share, given + share
    shares[keys[-1]] = total - given
    return OrderedDict((key, share) for key, share in shares.items() if share > 0)


# --- Creating -----------------------------------------------------------------------------


def _check_terms(package: Package, award: Award, value: Decimal, starts_on, ends_on, payment_terms: str) -> None:
    if value > package.owner_estimate:
        raise DomainError(
            {"value": _("The value may not exceed the HPS (Rp%(hps)s).") % {"hps": rupiah(package.owner_estimate)}}
        )
    if value > package.value:
        raise DomainError(
            {"value": _("The value may not exceed the plan value (Rp%(pagu)s).") % {"pagu": rupiah(package.value)}}
        )
    if value > award.value:
        raise DomainError(
            {"value": _("The value may not exceed the winning price (Rp%(price)s).") % {"price": rupiah(award.value)}}
        )
    if not isinstance(starts_on, datetime.date) or not isinstance(ends_on, datetime.date):
        raise DomainError({"starts_on": _("Give the contract's start and end dates.")})
    if ends_on < starts_on:
        raise DomainError({"ends_on": _("The contract cannot end before it starts.")})
    if not payment_terms:
        raise DomainError({"payment_terms": _("Write down the payment terms.")})


def contract_create(
    *,
    package: Package,
    actor: User,
    number: str,
    value,
    starts_on: datetime.date,
    ends_on: datetime.date,
    payment_terms: str,
) -> Contract:
    """The PPK drafts the contract with the appointed winner."""
    number, payment_terms = (number or "").strip(), (payment_terms or "").strip()
    if not number or len(number) > 100:
        raise DomainError({"number": _("Give the contract number (at most 100 characters).")})
    value = _money(value, "value")
    with transaction.atomic():
        package = locked_package(package.pk)
        require_ppk(actor, package)
        require_package_status(package, PackageStatus.APPOINTED)
        award = Award.objects.select_related("vendor").get(package=package)
        if Contract.objects.filter(package=package).exists():
            raise DomainError(_("This package already has a contract."))
        if Contract.objects.filter(number=number).exists():
            raise DomainError({"number": _("Another contract already has this number.")})
        _check_terms(package, award, value, starts_on, ends_on, payment_terms)
        contract = Contract.objects.create(
            package=package,
            vendor=award.vendor,
            number=number,
            value=value,
            starts_on=starts_on,
            ends_on=ends_on,
            payment_terms=payment_terms,
        )
        _audit(contract, actor, package, AuditAction.CREATE, changes={"number": number, "value": str(value)})
    return contract


# --- Signing ------------------------------------------------------------------------------


def _line_weights(package: Package) -> OrderedDict:
    """Budget line → the RUP fundings of the package on it, in line order."""
    rows = (
        ProcurementFunding.objects.filter(plan_item__package_links__package=package)
        .values("budget_line_id")
        .annotate(total=Sum("amount"))
        .order_by("budget_line_id")
    )
    return OrderedDict((row["budget_line_id"], row["total"]) for row in rows)


def _release_plan_commitments(package: Package, actor) -> dict:
    released = {}
    fundings = ProcurementFunding.objects.filter(plan_item__package_links__package=package).order_by(
        "budget_line_id", "plan_item_id"
    )
    for funding in fundings:
        reference = f"rup:{funding.plan_item_id}"
        if outstanding_commitments(reference, [funding.budget_line_id]).get(funding.budget_line_id, ZERO) > 0:
            ledger_release(reference=reference, line_id=funding.budget_line_id, actor=actor)
            released[f"{reference}@{funding.budget_line_id}"] = True
    return released


def _locked_contract(contract_id: int) -> Contract:
    return Contract.objects.select_for_update(of=("self",)).select_related("package", "vendor").get(pk=contract_id)


def contract_sign(*, contract: Contract, actor: User) -> Contract:
    """Sign: the RUP commitments are released and the contract value committed on the lines."""
    with transaction.atomic():
        package = locked_package(contract.package_id)
        require_ppk(actor, package)
        require_package_status(package, PackageStatus.APPOINTED)
        contract = _locked_contract(contract.pk)
        if contract.status != ContractStatus.DRAFT:
            raise DomainError(_("Only a draft contract is signed."))
        weights = _line_weights(package)
        if not weights:
            raise DomainError(_("The package's RUP items have no budget lines to commit the contract on."))
        released = _release_plan_commitments(package, actor)
        shares = split_in_proportion(contract.value, weights)
        for line_id, share in shares.items():
            ledger_commit(line_id=line_id, amount=share, reference=contract_reference(contract), actor=actor)
        contract.status, contract.signed_at, contract.signed_by = ContractStatus.SIGNED, timezone.now(), actor
        contract.save(update_fields=["status", "signed_at", "signed_by"])
        _audit(
            contract,
            actor,
            package,
            AuditAction.TRANSITION,
            old_status=ContractStatus.DRAFT,
            changes={"committed": {str(k): str(v) for k, v in shares.items()}, "released": list(released)},
        )
        _package_to(package, actor, PackageStatus.CONTRACTED)
        send_package_changed(package.pk, "contract")
    return contract


# --- Paying -------------------------------------------------------------------------------


def _require_payer(actor, package: Package) -> None:
    if package.ppk_id is not None and package.ppk_id == getattr(actor, "pk", None):
        return
    if not Agency.objects.editable_by(actor, (Role.TREASURER,)).filter(pk=package.agency_id).exists():
        raise PermissionDenied(_("Only the package's PPK or the agency's treasurer records payments."))


def paid_amount(contract: Contract) -> Decimal:
    return contract.payments.aggregate(paid=Sum("amount"))["paid"] or ZERO


def contract_pay(
    *, contract: Contract, actor: User, number: str, date: datetime.date, amount, description: str
) -> ContractPayment:
    """Record an SP2D under the contract: realizations on its lines, in proportion."""
    number, description = (number or "").strip(), (description or "").strip()
    if not number or len(number) > 100:
        raise DomainError({"number": _("Give the SP2D number (at most 100 characters).")})
    if not description or len(description) > 300:
        raise DomainError({"description": _("Say what the payment is for (at most 300 characters).")})
    if not isinstance(date, datetime.date):
        raise DomainError({"date": _("Give the SP2D date.")})
    amount = _money(amount, "amount")
    with transaction.atomic():
        package = locked_package(contract.package_id)
        _require_payer(actor, package)
        contract = _locked_contract(contract.pk)
        if contract.status != ContractStatus.SIGNED:
            raise DomainError(_("Payments are made under a signed contract that is not yet completed."))
        if contract.payments.filter(number=number).exists():
            raise DomainError({"number": _("SP2D %(number)s is already recorded.") % {"number": number}})
        remaining = contract.value - paid_amount(contract)
        if amount > remaining:
            message = _("Only Rp%(remaining)s remains unpaid on this contract.")
            raise DomainError({"amount": message % {"remaining": rupiah(remaining)}})
        payment = _realize(contract, actor, number, date, amount, description)
        if amount == remaining:
            contract.status = ContractStatus.COMPLETED
            contract.save(update_fields=["status"])
            _package_to(package, actor, PackageStatus.COMPLETED)
        send_package_changed(package.pk, "implementation")
    return payment


def _realize(contract, actor, number, date, amount, description) -> ContractPayment:
    reference = contract_reference(contract)
    committed = _committed_lines(contract)
    outstanding = outstanding_commitments(reference, list(committed))
    weights = OrderedDict((line_id, outstanding.get(line_id, ZERO)) for line_id in committed)
    if sum(weights.values(), ZERO) <= 0:
        weights = committed  # nothing left committed (cannot happen while unpaid): use the signing shares
    payment = ContractPayment.objects.create(
        contract=contract, number=number, date=date, amount=amount, description=description, created_by=actor
    )
    realizations = [
        ledger_realize(
            line_id=line_id,
            amount=share,
            number=number,
            date=date,
            purpose=description,
            actor=actor,
            reference=reference,
            subject=contract,
        )
        for line_id, share in split_in_proportion(amount, weights).items()
    ]
    payment.realizations.set(realizations)
    _audit(
        contract,
        actor,
        contract.package,
        AuditAction.UPDATE,
        reason=str(_("Payment recorded")),
        changes={"sp2d": number, "amount": str(amount), "realizations": [r.pk for r in realizations]},
    )
    return payment


def _committed_lines(contract: Contract) -> OrderedDict:
    """Line → what signing committed on it, in line order."""
    rows = (
        LedgerEntry.objects.filter(reference=contract_reference(contract), kind=LedgerEntryKind.COMMIT)
        .values("line_id")
        .annotate(total=Sum("amount"))
        .order_by("line_id")
    )
    return OrderedDict((row["line_id"], row["total"]) for row in rows)


# --- Helpers ------------------------------------------------------------------------------


def _package_to(package: Package, actor, status: str) -> None:
    old = package.status
    package.status = status
    package.save(update_fields=["status", "modified"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=package, old_status=old, new_status=status)


def _audit(contract, actor, package, action, *, old_status="", reason="", changes=None) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=contract,
        agency_id=package.agency_id,
        region_id=package.agency.region_id,
        old_status=old_status,
        new_status=contract.status,
        reason=reason,
        changes=changes or {},
    )
