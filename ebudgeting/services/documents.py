"""Budget documents and their lines: the RKA, its workflow to the DPA, and revisions.

Every line change locks its document row first, so two concurrent changes to one
agency's budget queue there and the ceilings (per plan item, per agency) are checked
against what is really committed to the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eplanning.choices import PlanStatus
from eplanning.models import AgencyCeiling
from portal.audit import audit_record
from portal.choices import AuditAction, Role
from portal.models import Agency, User
from portal.services import DomainError, notify

from ..choices import DOCUMENT_EDITABLE, AccountLevel, DocumentStatus, RevisionKind
from ..models import BudgetDocument, BudgetLine, CashPlanMonth
from ..totals import refresh_document_totals
from .ledger import ledger_carry_to_revision

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("9999999999999999.99")  # what DecimalField(18, 2) holds
MONTHS = range(1, 13)
LINE_FIELDS = ("plan_item", "account", "funding_source", "description", "volume", "unit", "unit_price")


# --- Who may ------------------------------------------------------------------------


def _require(actor, document: BudgetDocument, *roles: str) -> None:
    """The actor holds one of ``roles`` with write reach over the document's agency."""
    if not BudgetDocument.objects.editable_by(actor, roles).filter(pk=document.pk).exists():
        raise PermissionDenied(_("You may not do this with this budget document."))


def _locked(document_id: int) -> BudgetDocument:
    return BudgetDocument.objects.select_for_update().select_related("agency", "fiscal_year").get(pk=document_id)


def _require_editable(document: BudgetDocument) -> None:
    if document.status not in DOCUMENT_EDITABLE:
        raise DomainError(
            _("Lines can only be changed while the document is a draft or returned; it is now: %(status)s.")
            % {"status": document.get_status_display()}
        )


# --- Creating the RKA -------------------------------------------------------------------


def document_create(*, agency, fiscal_year, actor: User) -> BudgetDocument:
    """Start an agency's RKA for a year: one current document per agency and year."""
    if not fiscal_year.is_open:
        raise DomainError(_("Fiscal year %(year)s is closed.") % {"year": fiscal_year.year})
    if not Agency.objects.editable_by(actor, [Role.BUDGET_OFFICER]).filter(pk=agency.pk).exists():
        raise PermissionDenied(_("Only the agency's budget officer starts its budget."))
    exists = _("%(agency)s already has a budget document for %(year)s.") % {"agency": agency, "year": fiscal_year.year}
    with transaction.atomic():
        if BudgetDocument.objects.filter(agency=agency, fiscal_year=fiscal_year).exists():
            raise DomainError(exists)
        try:
            with transaction.atomic():  # a concurrent creation loses at the constraint
                document = BudgetDocument.objects.create(agency=agency, fiscal_year=fiscal_year, created_by=actor)
        except IntegrityError:
            raise DomainError(exists) from None
        audit_record(actor=actor, action=AuditAction.CREATE, obj=document, new_status=document.status)
    return document


# --- Lines ----------------------------------------------------------------------------


def compute_amount(volume, unit_price) -> Decimal:
    """volume × unit price, rounded half up to the rupiah cent."""
    volume, unit_price = _decimal(volume, _("volume")), _decimal(unit_price, _("unit price"))
    if volume < 0 or unit_price < 0:
        raise DomainError(_("Volume and unit price cannot be negative."))
    amount = (volume * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
    if amount > MAX_AMOUNT:
        raise DomainError(_("The amount is too large."))
    return amount


def _decimal(value, label) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        raise DomainError(_("%(field)s is not a number.") % {"field": label}) from None
    if not number.is_finite():
        raise DomainError(_("%(field)s is not a number.") % {"field": label})
    return number


def _clean_cash_plan(cash_plan: Sequence, amount: Decimal) -> list[Decimal]:
    if len(cash_plan) != 12:
        raise DomainError(_("The cash plan needs an amount for each of the 12 months."))
    months = [_decimal(value or 0, _("cash plan")).quantize(CENT, rounding=ROUND_HALF_UP) for value in cash_plan]
    if any(value < 0 for value in months):
        raise DomainError(_("A month of the cash plan cannot be negative."))
    total = sum(months, Decimal("0"))
    if total != amount:
        raise DomainError(
            _("The cash plan adds up to %(total)s but the line's amount is %(amount)s; they must be equal.")
            % {"total": f"{total:,.2f}", "amount": f"{amount:,.2f}"}
        )
    return months


def _check_references(document: BudgetDocument, *, plan_item, account, funding_source) -> None:
    if plan_item.status != PlanStatus.APPROVED:
        raise DomainError(_("Only an approved plan item can be budgeted."))
    if plan_item.agency_id != document.agency_id:
        raise DomainError(_("The plan item belongs to another agency."))
    if plan_item.fiscal_year_id != document.fiscal_year_id:
        raise DomainError(_("The plan item is for another fiscal year."))
    if not account.is_active or account.level != AccountLevel.SUB_RINCIAN_OBJEK:
        raise DomainError(_("Choose an account code in the current list at the sub rincian objek level."))
    if not funding_source.is_active:
        raise DomainError(_("This funding source is no longer in use."))


def _check_ceilings(document: BudgetDocument, *, plan_item, amount: Decimal, except_line_id=None) -> None:
    """Called with the document row locked: the sums are of committed lines only."""
    others = document.lines.exclude(pk=except_line_id) if except_line_id else document.lines.all()
    totals = others.aggregate(
        agency=Sum("amount", default=Decimal("0")),
        plan_item=Sum("amount", filter=Q(plan_item_id=plan_item.pk), default=Decimal("0")),
    )
    if totals["plan_item"] + amount > plan_item.indicative_ceiling:
        raise DomainError(
            _("The lines for this plan item would come to %(total)s, above its ceiling of %(ceiling)s.")
            % {"total": f"{totals['plan_item'] + amount:,.2f}", "ceiling": f"{plan_item.indicative_ceiling:,.2f}"}
        )
    ceiling = (
        AgencyCeiling.objects.filter(agency_id=document.agency_id, fiscal_year_id=document.fiscal_year_id)
        .values_list("amount", flat=True)
        .first()
    )
    if ceiling is None:
        raise DomainError(_("Bappeda has not set this agency's ceiling for the year yet."))
    if totals["agency"] + amount > ceiling:
        raise DomainError(
            _("The agency's lines would come to %(total)s, above its ceiling of %(ceiling)s.")
            % {"total": f"{totals['agency'] + amount:,.2f}", "ceiling": f"{ceiling:,.2f}"}
        )


def _validated(document, *, fields: dict, cash_plan: Sequence, except_line_id=None, floor=Decimal("0")):
    description, unit = str(fields["description"]).strip(), str(fields["unit"]).strip()
    if not description or not unit:
        raise DomainError(_("A line needs a description and a unit."))
    amount = compute_amount(fields["volume"], fields["unit_price"])
    if amount < floor:
        raise DomainError(
            _("The amount cannot be below what is already committed and realized (%(floor)s).")
            % {"floor": f"{floor:,.2f}"}
        )
    months = _clean_cash_plan(cash_plan, amount)
    refs = {k: fields[k] for k in ("plan_item", "account", "funding_source")}
    _check_references(document, **refs)
    _check_ceilings(document, plan_item=fields["plan_item"], amount=amount, except_line_id=except_line_id)
    return {**fields, "description": description, "unit": unit, "amount": amount}, months


def line_add(*, document_id: int, actor: User, cash_plan: Sequence, **fields) -> BudgetLine:
    """Add a line (with its 12-month cash plan) to a draft or returned document."""
    _only_line_fields(fields)
    with transaction.atomic():
        document = _locked(document_id)
        _require(actor, document, Role.BUDGET_OFFICER)
        _require_editable(document)
        values, months = _validated(document, fields=fields, cash_plan=cash_plan)
        line = BudgetLine.objects.create(document=document, **values)
        line.origin = line
        line.save(update_fields=["origin"])
        _write_cash_plan(line, months)
        refresh_document_totals(document.pk)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=document, changes={"line": _line_facts(line)})
    return line


def line_update(*, line_id: int, actor: User, cash_plan: Sequence, **fields) -> BudgetLine:
    """Change a line and its cash plan; in a revision never below its committed + realized."""
    _only_line_fields(fields)
    with transaction.atomic():
        document_id = BudgetLine.objects.values_list("document_id", flat=True).get(pk=line_id)
        document = _locked(document_id)
        _require(actor, document, Role.BUDGET_OFFICER)
        _require_editable(document)
        line = BudgetLine.objects.select_for_update().get(pk=line_id)
        merged = {name: fields.get(name, getattr(line, name)) for name in LINE_FIELDS}
        values, months = _validated(
            document, fields=merged, cash_plan=cash_plan, except_line_id=line.pk, floor=line.committed + line.realized
        )
        before = _line_facts(line)
        for name, value in values.items():
            setattr(line, name, value)
        line.save(update_fields=[*LINE_FIELDS, "amount"])
        line.cash_plan.all().delete()
        _write_cash_plan(line, months)
        refresh_document_totals(document.pk)
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=document, changes={"line": [before, _line_facts(line)]}
        )
    return line


def line_delete(*, line_id: int, actor: User) -> None:
    """Remove a line; one that already has commitments or realizations stays."""
    with transaction.atomic():
        document_id = BudgetLine.objects.values_list("document_id", flat=True).get(pk=line_id)
        document = _locked(document_id)
        _require(actor, document, Role.BUDGET_OFFICER)
        _require_editable(document)
        line = BudgetLine.objects.select_for_update().get(pk=line_id)
        if line.committed or line.realized or line.ledger.exists() or line.realizations.exists():
            raise DomainError(_("This line has commitments or realizations: lower it instead of removing it."))
        facts = _line_facts(line)
        if line.origin_id == line.pk:  # its own origin: the self-reference would protect it
            BudgetLine.objects.filter(pk=line.pk).update(origin=None)
        line.delete()
        refresh_document_totals(document.pk)
        audit_record(actor=actor, action=AuditAction.DELETE, obj=document, changes={"line": facts})


def _only_line_fields(fields: dict) -> None:
    unknown = set(fields) - set(LINE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be set here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


def _write_cash_plan(line: BudgetLine, months: list[Decimal]) -> None:
    CashPlanMonth.objects.bulk_create(
        CashPlanMonth(line=line, month=month, amount=amount) for month, amount in zip(MONTHS, months, strict=True)
    )


def _line_facts(line: BudgetLine) -> dict:
    return {
        "id": line.pk,
        "plan_item": line.plan_item_id,
        "account": line.account_id,
        "funding_source": line.funding_source_id,
        "description": line.description,
        "volume": str(line.volume),
        "unit": line.unit,
        "unit_price": str(line.unit_price),
        "amount": str(line.amount),
    }


# --- Workflow -------------------------------------------------------------------------


def _transition(document: BudgetDocument, *, actor, to: str, allowed_from, fields=(), reason: str = "") -> None:
    if document.status not in allowed_from:
        raise DomainError(
            _("This cannot be done while the document is: %(status)s.") % {"status": document.get_status_display()}
        )
    old = document.status
    document.status = to
    document.save(update_fields=["status", *fields])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=document, old_status=old, new_status=to, reason=reason)


def document_submit(*, document_id: int, actor: User) -> BudgetDocument:
    """The budget officer sends the RKA to TAPD."""
    with transaction.atomic():
        document = _locked(document_id)
        _require(actor, document, Role.BUDGET_OFFICER)
        if document.status in DOCUMENT_EDITABLE:
            _check_submittable(document)
        _transition(document, actor=actor, to=DocumentStatus.SUBMITTED, allowed_from=DOCUMENT_EDITABLE)
        _tell(
            _verifiers(document),
            document,
            kind="budget_submitted",
            title=_("Budget document waiting for verification: %(doc)s"),
        )
    return document


def _check_submittable(document: BudgetDocument) -> None:
    total = document.lines.aggregate(total=Sum("amount"))["total"]
    if total is None:
        raise DomainError(_("A budget document without lines cannot be submitted."))
    ceiling = (
        AgencyCeiling.objects.filter(agency_id=document.agency_id, fiscal_year_id=document.fiscal_year_id)
        .values_list("amount", flat=True)
        .first()
    )
    if ceiling is None or total > ceiling:
        raise DomainError(_("The document's lines exceed the agency's ceiling for the year."))


def document_verify(*, document_id: int, actor: User) -> BudgetDocument:
    """TAPD/BPKAD finds the submitted RKA in order."""
    with transaction.atomic():
        document = _locked(document_id)
        _require(actor, document, Role.BUDGET_VERIFIER)
        _transition(document, actor=actor, to=DocumentStatus.VERIFIED, allowed_from={DocumentStatus.SUBMITTED})
    return document


def document_return(*, document_id: int, actor: User, reason: str) -> BudgetDocument:
    """TAPD/BPKAD sends the RKA back for correction, saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say what must be corrected."))
    with transaction.atomic():
        document = _locked(document_id)
        _require(actor, document, Role.BUDGET_VERIFIER)
        document.verifier_note = reason
        _transition(
            document,
            actor=actor,
            to=DocumentStatus.RETURNED,
            allowed_from={DocumentStatus.SUBMITTED, DocumentStatus.VERIFIED},
            fields=["verifier_note"],
            reason=reason,
        )
        _tell(_officers(document), document, kind="budget_returned", title=_("Budget document returned: %(doc)s"))
    return document


def document_approve(*, document_id: int, actor: User) -> BudgetDocument:
    """TAPD/BPKAD approves the verified RKA: it becomes the DPA (and replaces the version it revises)."""
    with transaction.atomic():
        document = _locked(document_id)
        _require(actor, document, Role.BUDGET_VERIFIER)
        document.approved_at = timezone.now()
        document.number = _dpa_number(document)
        _transition(
            document,
            actor=actor,
            to=DocumentStatus.APPROVED,
            allowed_from={DocumentStatus.VERIFIED},
            fields=["approved_at", "number"],
        )
        if document.previous_id:
            ledger_carry_to_revision(previous_id=document.previous_id, revision_id=document.pk, actor=actor)
            _supersede(document.previous_id, actor=actor)
        _tell(_officers(document), document, kind="budget_approved", title=_("Budget document approved: %(doc)s"))
    return document


def _dpa_number(document: BudgetDocument) -> str:
    prefix = "DPA" if document.revision_kind == RevisionKind.ORIGINAL else "DPPA"
    return f"{prefix}/{document.agency.code}/{document.fiscal_year.year}/{document.version}"


def _supersede(document_id: int, *, actor) -> None:
    previous = BudgetDocument.objects.select_for_update().get(pk=document_id)
    old = previous.status
    previous.status = DocumentStatus.SUPERSEDED
    previous.save(update_fields=["status"])
    audit_record(actor=actor, action=AuditAction.TRANSITION, obj=previous, old_status=old, new_status=previous.status)


# --- Revisions ------------------------------------------------------------------------


def document_revise(*, document_id: int, actor: User, kind: str) -> BudgetDocument:
    """Start a revision of the approved DPA: a new draft version with every line and its
    cash plan copied (ledger amounts carried), which becomes the current version."""
    if kind not in (RevisionKind.SHIFT, RevisionKind.AMENDMENT):
        raise DomainError(_("A revision is a budget shift or the amended budget (APBD-P)."))
    with transaction.atomic():
        source = _locked(document_id)
        _require(actor, source, Role.BUDGET_OFFICER)
        if source.status != DocumentStatus.APPROVED or not source.is_current:
            raise DomainError(_("Only the current approved DPA can be revised."))
        siblings = BudgetDocument.objects.filter(agency_id=source.agency_id, fiscal_year_id=source.fiscal_year_id)
        if kind == RevisionKind.AMENDMENT and siblings.filter(revision_kind=RevisionKind.AMENDMENT).exists():
            raise DomainError(_("The amended budget (APBD-P) has already been made this year."))
        source.is_current = False
        source.save(update_fields=["is_current"])
        revision = BudgetDocument.objects.create(
            agency=source.agency,
            fiscal_year=source.fiscal_year,
            version=siblings.aggregate(v=Max("version"))["v"] + 1,
            revision_kind=kind,
            previous=source,
            created_by=actor,
        )
        _copy_lines(source, revision)
        refresh_document_totals(revision.pk)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=revision,
            new_status=revision.status,
            changes={"revises": source.pk, "kind": kind},
        )
    return revision


def _copy_lines(source: BudgetDocument, revision: BudgetDocument) -> None:
    old_lines = list(source.lines.order_by("pk"))
    copies = BudgetLine.objects.bulk_create(
        BudgetLine(
            document=revision,
            origin_id=line.origin_id or line.pk,
            **{f"{name}_id": getattr(line, f"{name}_id") for name in ("plan_item", "account", "funding_source")},
            description=line.description,
            volume=line.volume,
            unit=line.unit,
            unit_price=line.unit_price,
            amount=line.amount,
            committed=line.committed,
            realized=line.realized,
        )
        for line in old_lines
    )
    new_id = {old.pk: new.pk for old, new in zip(old_lines, copies, strict=True)}
    CashPlanMonth.objects.bulk_create(
        CashPlanMonth(line_id=new_id[month.line_id], month=month.month, amount=month.amount)
        for month in CashPlanMonth.objects.filter(line__document=source)
    )


# --- Notifications ----------------------------------------------------------------------


def _verifiers(document: BudgetDocument):
    return User.objects.filter(
        is_active=True,
        memberships__role=Role.BUDGET_VERIFIER,
        memberships__agency__region_id=document.agency.region_id,
    ).distinct()


def _officers(document: BudgetDocument):
    return User.objects.filter(
        is_active=True, memberships__role=Role.BUDGET_OFFICER, memberships__agency_id=document.agency_id
    ).distinct()


def _tell(recipients, document: BudgetDocument, *, kind: str, title) -> None:
    url = reverse("ebudgeting:document-detail", args=[document.pk])
    notify(recipients=recipients, kind=kind, title=_LazyTitle(title, str(document)), url=url, subject=document)


class _LazyTitle:
    """A lazy title with the document filled in, translated per recipient by notify()."""

    def __init__(self, template, doc: str):
        self.template, self.doc = template, doc

    def __str__(self):
        return str(self.template) % {"doc": self.doc}
