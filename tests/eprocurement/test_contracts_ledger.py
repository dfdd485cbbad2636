"""Contract limits, signing moving the budget ledger, payments as realizations."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from ebudgeting.choices import DocumentStatus
from ebudgeting.models import BudgetLine, Realization
from ebudgeting.services.ledger import ledger_commit, outstanding_commitments
from eprocurement.choices import ContractStatus, PackageStatus
from eprocurement.models import ProcurementFunding
from eprocurement.services import contracts
from portal.services import DomainError
from tests.eprocurement.factories_awards import TERMS, appointed, awarded, opened_world, signed

pytestmark = pytest.mark.django_db


def pay(world, contract, amount, number="SP2D/1"):
    return contracts.contract_pay(
        contract=contract,
        actor=world.ppk,
        number=number,
        date=datetime.date(2026, 7, 1),
        amount=amount,
        description="Termin",
    )


def test_contract_value_within_hps_plan_value_and_the_winning_price(kab_kupang):
    world = opened_world(kab_kupang, prices=(Decimal("940000000.00"),))
    appointed(world)

    def create(value, number="KTR/1"):
        return contracts.contract_create(package=world.package, actor=world.ppk, number=number, value=value, **TERMS)

    with pytest.raises(DomainError, match="HPS"):
        create("950000000.01")
    with pytest.raises(DomainError, match="winning price"):
        create("945000000.00")
    with pytest.raises(DomainError, match="more than zero"):
        create("0")
    with pytest.raises(DomainError, match="end before"):
        contracts.contract_create(
            package=world.package,
            actor=world.ppk,
            number="KTR/1",
            value="900000000",
            **{**TERMS, "ends_on": datetime.date(2026, 5, 1)},
        )
    with pytest.raises(PermissionDenied):
        contracts.contract_create(package=world.package, actor=world.chair, number="KTR/1", value="900000000", **TERMS)
    contract = create("940000000.00")
    assert (contract.vendor, contract.status) == (world.vendors[0], ContractStatus.DRAFT)


def test_no_contract_before_the_sppbj(kab_kupang):
    world = opened_world(kab_kupang)
    awarded(world)
    with pytest.raises(DomainError, match="Winner decided"):
        contracts.contract_create(package=world.package, actor=world.ppk, number="KTR/1", value="800000000", **TERMS)


def test_signing_releases_the_rup_commitment_and_commits_the_contract(kab_kupang):
    world = opened_world(kab_kupang)
    line = world.lines[0]
    before = BudgetLine.objects.get(pk=line.pk)
    assert before.committed == world.plan_item.value
    contract = signed(world, value="800000000.00")
    after = BudgetLine.objects.get(pk=line.pk)
    assert outstanding_commitments(f"rup:{world.plan_item.pk}", [line.pk]) == {line.pk: Decimal("0.00")}
    assert outstanding_commitments(f"contract:{contract.pk}", [line.pk]) == {line.pk: Decimal("800000000.00")}
    assert after.committed == Decimal("800000000.00")
    # What the RUP held beyond the contract is available again; nothing else moved.
    assert after.available == before.available + world.plan_item.value - Decimal("800000000.00")
    world.package.refresh_from_db()
    assert world.package.status == PackageStatus.CONTRACTED


def test_signing_spreads_the_value_over_the_lines_in_proportion(kab_kupang):
    world = opened_world(kab_kupang)
    # A second line funds the RUP item too: 1,000,000,000 on line 1 and 500,000,000 on line 2.
    from tests.ebudgeting.factories import BudgetLineFactory

    second = BudgetLineFactory(
        document=world.document, volume=Decimal("1"), unit_price=Decimal("500000000"), amount=Decimal("500000000")
    )
    ProcurementFunding.objects.create(plan_item=world.plan_item, budget_line=second, amount=Decimal("500000000"))
    ledger_commit(line_id=second.pk, amount="500000000", reference=f"rup:{world.plan_item.pk}", actor=None)
    contract = signed(world, value="800000000.00")
    shares = outstanding_commitments(f"contract:{contract.pk}", [world.lines[0].pk, second.pk])
    # Line 1 (lower id) gets 2/3 rounded to the cent, the last line the remainder.
    assert shares == {world.lines[0].pk: Decimal("533333333.33"), second.pk: Decimal("266666666.67")}
    assert BudgetLine.objects.get(pk=second.pk).committed == Decimal("266666666.67")


def test_signing_is_all_or_nothing(kab_kupang):
    world = opened_world(kab_kupang)
    appointed(world)
    contract = contracts.contract_create(
        package=world.package, actor=world.ppk, number="KTR/1", value="800000000", **TERMS
    )
    # The DPA is replaced before signing: the release runs, the commit on the superseded
    # line is refused, and the release rolls back with it.
    line = BudgetLine.objects.get(pk=world.lines[0].pk)
    type(world.document).objects.filter(pk=world.document.pk).update(status=DocumentStatus.SUPERSEDED)
    with pytest.raises(DomainError, match="approved DPA"):
        contracts.contract_sign(contract=contract, actor=world.ppk)
    assert outstanding_commitments(f"rup:{world.plan_item.pk}", [line.pk])[line.pk] == world.plan_item.value
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def test_payments_become_realizations_and_settle_the_commitment(kab_kupang):
    world = opened_world(kab_kupang)
    contract = signed(world)
    line = world.lines[0]
    payment = pay(world, contract, "300000000")
    after = BudgetLine.objects.get(pk=line.pk)
    assert (after.committed, after.realized) == (Decimal("500000000.00"), Decimal("300000000.00"))
    realization = payment.realizations.get()
    assert (realization.line_id, realization.amount, realization.subject_id) == (
        line.pk,
        Decimal("300000000.00"),
        str(contract.pk),
    )
    with pytest.raises(DomainError, match="Only Rp500.000.000,00 remains|Only Rp500,000,000.00 remains"):
        pay(world, contract, "500000000.01", number="SP2D/2")
    with pytest.raises(DomainError, match="already recorded"):
        pay(world, contract, "1", number="SP2D/1")
    pay(world, contract, "500000000", number="SP2D/2")
    contract.refresh_from_db()
    world.package.refresh_from_db()
    assert (contract.status, world.package.status) == (ContractStatus.COMPLETED, PackageStatus.COMPLETED)
    after = BudgetLine.objects.get(pk=line.pk)
    assert (after.committed, after.realized) == (Decimal("0.00"), Decimal("800000000.00"))
    assert Realization.objects.filter(reference=f"contract:{contract.pk}").count() == 2


def test_only_the_ppk_or_a_treasurer_pays(kab_kupang, make_member):
    world = opened_world(kab_kupang)
    contract = signed(world)
    with pytest.raises(PermissionDenied):
        contracts.contract_pay(
            contract=contract,
            actor=world.chair,
            number="S/1",
            date=datetime.date(2026, 7, 1),
            amount="1",
            description="x",
        )
    treasurer = make_member(world.agency, "treasurer")
    payment = contracts.contract_pay(
        contract=contract, actor=treasurer, number="S/1", date=datetime.date(2026, 7, 1), amount="1", description="x"
    )
    assert payment.amount == Decimal("1.00")
