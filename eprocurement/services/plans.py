"""The procurement plan (RUP): drafting an item, announcing it, cancelling it.

An item draws its value from one or more lines of its agency's approved DPA. Drafting
only checks that the lines can cover it; announcing assigns the kode RUP and commits
every line's amount in the budget ledger (reference ``rup:<id>``) in one transaction,
so either every line is committed or none is. Cancelling an announced item releases
what is still committed under that reference.

The kode RUP is ``{year}{region code without dots}{sequence:06d}``, the sequence
counting the region's announced items of that year from 1, always six digits so codes
of a province (two-digit region code) and a regency (four) never collide:
``20265301000001`` is Kab. Kupang's first item of 2026, ``202653000001`` the
province's. A code is taken on announcement and never reused, also after a cancel.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import BudgetLine
from ebudgeting.services.ledger import ledger_commit, ledger_release, outstanding_commitments
from portal.audit import audit_record
from portal.choices import AuditAction, Role
from portal.models import Agency, FiscalYear, Membership, Region, User
from portal.services import DomainError, notify

from ..choices import PACKAGE_END_STATES, PlanItemStatus, ProcurementKind, ProcurementMethod
from ..models import PackagePlanItem, ProcurementFunding, ProcurementPlanItem

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999999999.99")  # what DecimalField(18, 2) holds
PLAN_ROLES = (Role.PPK, Role.BUDGET_OFFICER)
ITEM_FIELDS = (
    "name",
    "description",
    "kind",
    "method",
    "method_justification",
    "selection_start",
    "selection_end",
    "contract_start",
    "contract_end",
    "use_start",
)
DATE_FIELDS = ("selection_start", "selection_end", "contract_start", "contract_end", "use_start")
COMPETITIVE_KINDS = frozenset({ProcurementKind.GOODS, ProcurementKind.WORKS, ProcurementKind.OTHER_SERVICES})
ANY_VALUE_METHODS = frozenset({ProcurementMethod.DIRECT_APPOINTMENT, ProcurementMethod.E_PURCHASING})


def rupiah(value) -> str:
    return number_format(value, 0, force_grouping=True)


# --- Thresholds (settings.PROCUREMENT_DIRECT_LIMITS, PROCUREMENT_SMALL_BUSINESS_LIMIT) ----


def direct_limit(kind: str) -> Decimal:
    """The most pengadaan langsung may buy of ``kind``."""
    return Decimal(settings.PROCUREMENT_DIRECT_LIMITS[str(kind)])


def small_business_limit() -> Decimal:
    return Decimal(settings.PROCUREMENT_SMALL_BUSINESS_LIMIT)


def method_problem(kind: str, method: str, value) -> str | None:
    """Why ``method`` does not fit an item of ``kind`` worth ``value``, or None when it does.

    Pengadaan langsung up to the kind's direct limit; tender and tender cepat for goods,
    works and other services above it; seleksi for consultancy above it; penunjukan
    langsung and e-purchasing at any value (their own legal conditions are checked
    elsewhere: penunjukan langsung needs written grounds).
    """
    if kind not in ProcurementKind.values:
        return str(_("Choose what kind of procurement this is."))
    if method not in ProcurementMethod.values:
        return str(_("Choose a procurement method."))
    if method in ANY_VALUE_METHODS:
        return None
    value, limit = Decimal(value), direct_limit(kind)
    facts = {"kind": ProcurementKind(kind).label, "limit": rupiah(limit), "value": rupiah(value)}
    if method == ProcurementMethod.DIRECT_PROCUREMENT:
        if value > limit:
            return str(
                _("Direct procurement of %(kind)s is allowed up to Rp%(limit)s; this item is Rp%(value)s.") % facts
            )
        return None
    if method == ProcurementMethod.SELECTION:
        if kind != ProcurementKind.CONSULTANCY:
            return str(
                _("Selection (seleksi) is the method for consultancy services; use a tender for %(kind)s.") % facts
            )
    elif kind not in COMPETITIVE_KINDS:
        return str(_("Consultancy services are procured by selection (seleksi), not by tender."))
    if value <= limit:
        return str(
            _(
                "At Rp%(value)s this item is within the direct procurement limit for %(kind)s (Rp%(limit)s); "
                "use direct procurement."
            )
            % facts
        )
    return None


# --- Input ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FundingInput:
    """One budget line and the amount of it an item draws on."""

    line_id: int
    amount: Decimal | str


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


def _clean_fields(data: dict) -> dict:
    values = {name: data.get(name) for name in ITEM_FIELDS}
    for name in ("name", "description", "method_justification"):
        values[name] = (values[name] or "").strip()
    errors = {}
    if not values["name"]:
        errors["name"] = _("Give the item a name.")
    elif len(values["name"]) > 300:
        errors["name"] = _("A name has at most 300 characters.")
    for name in DATE_FIELDS:
        if not isinstance(values[name], datetime.date):
            errors[name] = _("Give this date.")
    if errors:
        raise DomainError(errors)
    if values["selection_end"] < values["selection_start"]:
        errors["selection_end"] = _("The selection cannot end before it starts.")
    if values["contract_start"] < values["selection_start"]:
        errors["contract_start"] = _("The contract cannot start before the selection.")
    if values["contract_end"] < values["contract_start"]:
        errors["contract_end"] = _("The contract cannot end before it starts.")
    if values["use_start"] < values["contract_start"]:
        errors["use_start"] = _("Use cannot start before the contract.")
    if errors:
        raise DomainError(errors)
    return values


def _clean_fundings(agency: Agency, fiscal_year: FiscalYear, fundings) -> list[tuple[BudgetLine, Decimal]]:
    """The lines with their amounts; each line of the agency's approved DPA of the year,
    each amount within what the line has available."""
    fundings = list(fundings or ())
    if not fundings:
        raise DomainError({"fundings": _("Fund the item from at least one budget line.")})
    line_ids = [f.line_id for f in fundings]
    if len(set(line_ids)) != len(line_ids):
        raise DomainError({"fundings": _("Each budget line can fund an item once.")})
    lines = BudgetLine.objects.select_related("document").in_bulk(
        [pk for pk in line_ids if isinstance(pk, int) or str(pk).isdigit()]
    )
    cleaned = []
    for funding in fundings:
        line = lines.get(int(funding.line_id)) if str(funding.line_id).isdigit() else None
        if line is None or line.document.agency_id != agency.pk or line.document.fiscal_year_id != fiscal_year.pk:
            raise DomainError(
                {"fundings": _("Choose budget lines of the agency's DPA for %(year)s.") % {"year": fiscal_year.year}}
            )
        if line.document.status != DocumentStatus.APPROVED:
            raise DomainError({"fundings": _("“%(line)s” is not in an approved DPA.") % {"line": line.description}})
        amount = _money(funding.amount, "fundings")
        if amount > line.available:
            raise DomainError(
                {
                    "fundings": _("Only Rp%(available)s is available on “%(line)s”; Rp%(amount)s was asked for.")
                    % {"available": rupiah(line.available), "line": line.description, "amount": rupiah(amount)}
                }
            )
        cleaned.append((line, amount))
    return cleaned


def _small_business(value: Decimal, requested: bool | None) -> bool:
    """Reserved automatically up to the limit, and never turned off there; above it, as asked."""
    reserved_by_law = value <= small_business_limit()
    if requested is False and reserved_by_law:
        raise DomainError(
            {
                "small_business_reserved": _("Items up to Rp%(limit)s are reserved for small businesses.")
                % {"limit": rupiah(small_business_limit())}
            }
        )
    return reserved_by_law or bool(requested)


def _check_method(values: dict, value: Decimal) -> None:
    problem = method_problem(values["kind"], values["method"], value)
    if problem:
        raise DomainError({"method": problem})
    if values["method"] == ProcurementMethod.DIRECT_APPOINTMENT and not values["method_justification"]:
        raise DomainError({"method_justification": _("Write down the grounds for a direct appointment.")})


# --- Who may --------------------------------------------------------------------------------


def _require_agency(actor: User, agency: Agency) -> None:
    if not Agency.objects.editable_by(actor, PLAN_ROLES).filter(pk=agency.pk).exists():
        raise PermissionDenied(_("Only the agency's PPK or budget officer drafts its procurement plan."))


def _require_item(actor: User, item: ProcurementPlanItem) -> None:
    if not ProcurementPlanItem.objects.editable_by(actor, PLAN_ROLES).filter(pk=item.pk).exists():
        raise PermissionDenied(_("Only the agency's PPK or budget officer changes its procurement plan."))


def _locked(item_id: int) -> ProcurementPlanItem:
    return (
        ProcurementPlanItem.objects.select_for_update(of=("self",))
        .select_related("agency__region", "fiscal_year")
        .get(pk=item_id)
    )


def _require_status(item: ProcurementPlanItem, *statuses: str, message) -> None:
    if item.status not in statuses:
        raise DomainError(message % {"status": item.get_status_display()})


# --- Drafting -------------------------------------------------------------------------------


def plan_item_create(
    *,
    agency: Agency,
    fiscal_year: FiscalYear,
    data: dict,
    fundings: list[FundingInput],
    actor: User,
    small_business_reserved: bool | None = None,
) -> ProcurementPlanItem:
    """Draft an item of ``agency``'s plan for ``fiscal_year``; its value is the sum of its fundings."""
    _require_agency(actor, agency)
    if not fiscal_year.is_open:
        raise DomainError(_("Fiscal year %(year)s is closed.") % {"year": fiscal_year.year})
    values = _clean_fields(data)
    lines = _clean_fundings(agency, fiscal_year, fundings)
    value = sum((amount for _line, amount in lines), Decimal("0.00"))
    _check_method(values, value)
    reserved = _small_business(value, small_business_reserved)
    with transaction.atomic():
        item = ProcurementPlanItem.objects.create(
            agency=agency,
            fiscal_year=fiscal_year,
            value=value,
            small_business_reserved=reserved,
            created_by=actor,
            **values,
        )
        ProcurementFunding.objects.bulk_create(
            ProcurementFunding(plan_item=item, budget_line=line, amount=amount) for line, amount in lines
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=item,
            new_status=item.status,
            changes={"value": str(value), "fundings": {str(line.pk): str(amount) for line, amount in lines}},
        )
    return item


def plan_item_update(
    *,
    item: ProcurementPlanItem,
    data: dict,
    fundings: list[FundingInput],
    actor: User,
    small_business_reserved: bool | None = None,
) -> ProcurementPlanItem:
    """Change a draft item and replace its fundings; an announced item is not edited."""
    _require_item(actor, item)
    values = _clean_fields(data)
    with transaction.atomic():
        item = _locked(item.pk)
        _require_status(
            item, PlanItemStatus.DRAFT, message=_("Only a draft item can be edited; this one is: %(status)s.")
        )
        lines = _clean_fundings(item.agency, item.fiscal_year, fundings)
        value = sum((amount for _line, amount in lines), Decimal("0.00"))
        _check_method(values, value)
        old = {name: str(getattr(item, name)) for name in (*ITEM_FIELDS, "value", "small_business_reserved")}
        for name, new_value in values.items():
            setattr(item, name, new_value)
        item.value, item.small_business_reserved = value, _small_business(value, small_business_reserved)
        item.save(update_fields=[*ITEM_FIELDS, "value", "small_business_reserved"])
        item.fundings.all().delete()
        ProcurementFunding.objects.bulk_create(
            ProcurementFunding(plan_item=item, budget_line=line, amount=amount) for line, amount in lines
        )
        new = {name: str(getattr(item, name)) for name in old}
        changes = {name: [old[name], new[name]] for name in old if old[name] != new[name]}
        changes["fundings"] = {str(line.pk): str(amount) for line, amount in lines}
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=item, changes=changes)
    return item


# --- Announcing and cancelling ----------------------------------------------------------------


def ledger_reference(item: ProcurementPlanItem) -> str:
    return f"rup:{item.pk}"


def next_rup_code(item: ProcurementPlanItem) -> str:
    """The next kode RUP of the item's region and year; call with the region row locked."""
    prefix = f"{item.fiscal_year.year}{item.agency.region.code.replace('.', '')}"
    last = ProcurementPlanItem.objects.filter(
        rup_code__startswith=prefix, rup_code__regex=rf"^{prefix}\d{{6}}$"
    ).aggregate(last=Max("rup_code"))["last"]
    sequence = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{sequence:06d}"


def plan_item_announce(*, item: ProcurementPlanItem, actor: User) -> ProcurementPlanItem:
    """Publish the item: assign its kode RUP and commit every funding in the budget ledger.

    One transaction: a line without the funds raises (the ledger's DomainError) and
    nothing is committed, no code is taken, and the item stays a draft.
    """
    _require_item(actor, item)
    with transaction.atomic():
        item = _locked(item.pk)
        _require_status(
            item, PlanItemStatus.DRAFT, message=_("Only a draft item can be announced; this one is: %(status)s.")
        )
        fundings = list(item.fundings.select_related("budget_line").order_by("budget_line_id"))
        if not fundings:
            raise DomainError(_("Fund the item from at least one budget line before announcing it."))
        _check_method({name: getattr(item, name) for name in ITEM_FIELDS}, item.value)
        # Codes are numbered per region: announcing locks the region row, so two
        # announcements in one region queue and never take the same number.
        Region.objects.select_for_update().filter(pk=item.agency.region_id).first()
        item.rup_code = next_rup_code(item)
        for funding in fundings:  # in line order, so concurrent announcements never deadlock
            _commit(funding, item, actor)
        old_status, item.status = item.status, PlanItemStatus.ANNOUNCED
        item.save(update_fields=["rup_code", "status"])
        audit_record(
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=item,
            old_status=old_status,
            new_status=item.status,
            changes={"rup_code": item.rup_code},
        )
        _notify(item, actor, _("RUP %(code)s announced: %(name)s"))
    return item


def _commit(funding: ProcurementFunding, item: ProcurementPlanItem, actor: User) -> None:
    try:
        ledger_commit(
            line_id=funding.budget_line_id, amount=funding.amount, reference=ledger_reference(item), actor=actor
        )
    except DomainError as error:
        raise DomainError(
            {
                "fundings": _("“%(line)s”: %(problem)s")
                % {"line": funding.budget_line.description, "problem": " ".join(error.messages)}
            }
        ) from None


def plan_item_cancel(*, item: ProcurementPlanItem, reason: str, actor: User) -> ProcurementPlanItem:
    """Cancel a draft or announced item with a reason; an announced item's funds are released."""
    _require_item(actor, item)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError({"reason": _("Say why the item is cancelled.")})
    with transaction.atomic():
        item = _locked(item.pk)
        _require_status(
            item,
            PlanItemStatus.DRAFT,
            PlanItemStatus.ANNOUNCED,
            message=_("This item cannot be cancelled; it is: %(status)s."),
        )
        _require_no_live_package(item)
        if item.status == PlanItemStatus.ANNOUNCED:
            plan_item_release_funds(item=item, actor=actor)
        old_status, item.status, item.cancel_reason = item.status, PlanItemStatus.CANCELLED, reason
        item.save(update_fields=["status", "cancel_reason"])
        audit_record(
            actor=actor,
            action=AuditAction.TRANSITION,
            obj=item,
            old_status=old_status,
            new_status=item.status,
            reason=reason,
        )
        _notify(item, actor, _("RUP item cancelled: %(name)s"), body=reason)
    return item


def plan_item_release_funds(*, item: ProcurementPlanItem, actor: User) -> None:
    """Give back what is still committed for ``item`` (its tender failed, or the item is
    cancelled); nothing happens when nothing is (a failed tender released it already)."""
    outstanding = outstanding_commitments(ledger_reference(item), list(_funding_lines(item)))
    if any(amount > 0 for amount in outstanding.values()):
        ledger_release(reference=ledger_reference(item), actor=actor)


def plan_item_commit_funds(*, item: ProcurementPlanItem, actor: User) -> None:
    """Commit again what ``item``'s fundings lack (a new package or a re-tender after a
    failed tender released them); nothing when they are committed in full. Refused,
    naming the line, when a line no longer has the money."""
    fundings = _funding_lines(item)
    outstanding = outstanding_commitments(ledger_reference(item), list(fundings))
    for line_id in sorted(fundings):
        missing = fundings[line_id].amount - outstanding.get(line_id, Decimal("0"))
        if missing > 0:
            _commit(ProcurementFunding(budget_line_id=line_id, amount=missing), item, actor)


def _funding_lines(item: ProcurementPlanItem) -> dict[int, ProcurementFunding]:
    return {funding.budget_line_id: funding for funding in item.fundings.all()}


def _require_no_live_package(item: ProcurementPlanItem) -> None:
    """A tender running on the item (or its contract) holds its funds: cancelling the
    plan under it would release them. The package is closed first."""
    live = (
        PackagePlanItem.objects.filter(plan_item=item)
        .exclude(package__status__in=PACKAGE_END_STATES)
        .select_related("package")
        .first()
    )
    if live is not None:
        package = live.package
        raise DomainError(
            _("This item is in package %(package)s (%(status)s); cancel or close the package first.")
            % {"package": package.code or package.name, "status": package.get_status_display()}
        )


def _notify(item: ProcurementPlanItem, actor: User, title, body: str = "") -> None:
    """Tell the agency's PPKs and budget officers (not the one who did it)."""
    recipients = User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(agency_id=item.agency_id, role__in=PLAN_ROLES)
        .exclude(user_id=actor.pk)
        .values("user_id")
    )
    notify(
        recipients=list(recipients),
        kind="eprocurement.rup",
        title=_LazyTitle(title, {"code": item.rup_code or "", "name": item.name}),
        body=body,
        url=plan_item_url(item),
        subject=item,
    )


class _LazyTitle:
    """A lazy title with the item's facts filled in, translated per recipient by notify()."""

    def __init__(self, template, facts: dict):
        self.template, self.facts = template, facts

    def __str__(self):
        return str(self.template) % self.facts


def plan_item_url(item: ProcurementPlanItem) -> str:
    return reverse("eprocurement:rup_detail", args=[item.pk])
