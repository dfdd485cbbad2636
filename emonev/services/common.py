"""What the E-Monev services share: who may act, the subject of a curve or report, input
cleaning and the notification text."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from eplanning.choices import PlanStatus
from eplanning.models import PlanItem
from eprocurement.choices import ContractStatus
from eprocurement.models import Contract
from portal.choices import Role
from portal.models import Agency, Membership, User
from portal.services import DomainError

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
OFFICER_ROLES = (Role.MONEV_OFFICER,)
VERIFIER_ROLES = (Role.MONEV_VERIFIER,)
CONTRACT_CURVE_ROLES = (Role.PPK,)
PLAN_CURVE_ROLES = (Role.PLANNER, Role.MONEV_OFFICER)
MONITORED_CONTRACT_STATUSES = frozenset({ContractStatus.SIGNED, ContractStatus.COMPLETED})


def one_subject(contract: Contract | None, plan_item: PlanItem | None):
    """The one subject given; DomainError unless exactly one of the two is."""
    if (contract is None) == (plan_item is None):
        raise DomainError(_("Choose either a contract or a plan item."))
    return contract if contract is not None else plan_item


def subject_agency_id(subject) -> int:
    return subject.package.agency_id if isinstance(subject, Contract) else subject.agency_id


def subject_fields(subject) -> dict:
    """The columns that name ``subject`` on a curve or a report."""
    if isinstance(subject, Contract):
        return {"contract": subject, "plan_item": None, "agency_id": subject.package.agency_id}
    return {"contract": None, "plan_item": subject, "agency_id": subject.agency_id}


def lock_subject(subject):
    """Re-read and lock the subject row: changes to one subject's curve and reports queue."""
    model = type(subject)
    related = ("package",) if model is Contract else ("fiscal_year",)
    return model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=subject.pk)


def require_monitored(subject) -> None:
    if isinstance(subject, Contract):
        if subject.status not in MONITORED_CONTRACT_STATUSES:
            raise DomainError(
                _("Progress is reported on signed contracts; this one is: %(status)s.")
                % {"status": subject.get_status_display()}
            )
    elif subject.status != PlanStatus.APPROVED:
        raise DomainError(
            _("Progress is reported on approved plan items; this one is: %(status)s.")
            % {"status": subject.get_status_display()}
        )


def require_role_in_agency(actor: User, agency_id: int, roles, message) -> None:
    if not Agency.objects.editable_by(actor, roles).filter(pk=agency_id).exists():
        raise PermissionDenied(message)


def percent(value, field: str) -> Decimal:
    """A percentage 0–100 with at most two decimals."""
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError({field: _("Enter a percentage as a number from 0 to 100.")}) from None
    if not number.is_finite() or not 0 <= number <= HUNDRED:
        raise DomainError({field: _("Enter a percentage as a number from 0 to 100.")})
    if number != number.quantize(CENT):
        raise DomainError({field: _("Enter a percentage with at most two decimals.")})
    return number.quantize(CENT)


def money(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError({field: _("Enter the amount as a number of rupiah.")}) from None
    if not number.is_finite() or number < 0:
        raise DomainError({field: _("Enter the amount as a number of rupiah, zero or more.")})
    if number != number.quantize(CENT) or number >= Decimal("1e16"):
        raise DomainError({field: _("Enter rupiah with at most two decimals and at most 16 digits.")})
    return number.quantize(CENT)


def members_of(agency_id: int, roles, *, exclude: User | None = None) -> list[User]:
    memberships = Membership.objects.active().filter(agency_id=agency_id, role__in=roles)
    if exclude is not None:
        memberships = memberships.exclude(user_id=exclude.pk)
    return list(User.objects.filter(pk__in=memberships.values("user_id")))


def region_members(region_id: int, roles, *, exclude: User | None = None) -> list[User]:
    """People holding ``roles`` whose membership reaches the whole region."""
    memberships = (
        Membership.objects.active().filter(agency__region_id=region_id, role__in=roles).exclude(scope="agency")
    )
    if exclude is not None:
        memberships = memberships.exclude(user_id=exclude.pk)
    return list(User.objects.filter(pk__in=memberships.values("user_id")))


class LazyText:
    """A lazy text with facts filled in, translated per recipient by notify()."""

    def __init__(self, template, facts: dict):
        self.template, self.facts = template, facts

    def __str__(self):
        return str(self.template) % self.facts


def subject_label(subject) -> str:
    if isinstance(subject, Contract):
        return f"{subject.number} — {subject.package.name}"
    return subject.title or subject.sub_activity.name
