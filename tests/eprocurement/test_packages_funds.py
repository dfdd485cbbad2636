"""The RUP items' commitment through a package's life: kept while it runs or is
cancelled, released when the tender fails, committed again by a re-tender or a new
package on the same items."""

from decimal import Decimal

import pytest

from ebudgeting.models import LedgerEntry
from ebudgeting.services.ledger import ledger_commit
from eprocurement.choices import PackageStatus
from eprocurement.models import Package, ProcurementFunding
from eprocurement.services import package_tender as tender
from eprocurement.services import packages as services
from portal.services import DomainError
from tests.eprocurement.packages_helpers import create, drafting_world, ready_draft


@pytest.fixture
def world(kab_kupang):
    """One announced RUP item of Rp500 juta funded by, and committed on, one line."""
    world = drafting_world(kab_kupang, items=1)
    world.item, world.line = world.plan_items[0], world.lines[0]
    ProcurementFunding.objects.create(plan_item=world.item, budget_line=world.line, amount=world.item.value)
    ledger_commit(line_id=world.line.pk, amount=world.item.value, reference=f"rup:{world.item.pk}", actor=world.ppk)
    return world


def committed(line) -> Decimal:
    line.refresh_from_db()
    return line.committed


def failed_package(world) -> Package:
    package = services.package_announce(package=ready_draft(world), actor=world.pokja[0])
    Package.objects.filter(pk=package.pk).update(status=PackageStatus.OPENED)
    return tender.package_fail(package=package, actor=world.pokja[0], reason="Semua penawaran gugur")


def test_a_failed_tender_releases_the_funds_and_its_retender_commits_them_again(world):
    old = failed_package(world)
    assert committed(world.line) == Decimal("0")

    tender.package_retender(package=old, actor=world.ppk, reason="Tender ulang")

    assert committed(world.line) == world.item.value
    kinds = LedgerEntry.objects.filter(reference=f"rup:{world.item.pk}").order_by("pk").values_list("kind", flat=True)
    assert list(kinds) == ["commit", "release", "commit"]


def test_a_new_package_on_a_failed_tenders_items_commits_them_again(world):
    failed_package(world)
    create(world, name="Paket baru dari RUP yang sama")
    assert committed(world.line) == world.item.value


def test_a_package_on_fully_committed_items_commits_nothing_more(world):
    create(world)
    assert committed(world.line) == world.item.value
    assert LedgerEntry.objects.filter(reference=f"rup:{world.item.pk}").count() == 1


def test_a_retender_is_refused_when_the_line_spent_the_money_meanwhile(world):
    old = failed_package(world)
    world.line.refresh_from_db()
    ledger_commit(line_id=world.line.pk, amount=world.line.available, reference="kontrak:lain", actor=world.ppk)

    with pytest.raises(DomainError):
        tender.package_retender(package=old, actor=world.ppk, reason="Tender ulang")

    old.refresh_from_db()
    assert old.status == PackageStatus.FAILED and not old.retenders.exists()
    assert committed(world.line) == world.line.amount  # only the other commitment


def test_cancelling_a_package_keeps_the_funds_committed(world):
    package = create(world)
    tender.package_cancel(package=package, actor=world.ppk, reason="Direfocusing")
    assert committed(world.line) == world.item.value
