"""E-Procurement's demo data, loaded by ``manage.py load_demo`` after E-Budgeting's: demo
vendors, announced RUP items and a tender in each phase, run by the demo PPK and pokja."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from ebudgeting.models import BudgetLine, LedgerEntry, Realization
from eprocurement.choices import ContractStatus, PackageStatus, PlanItemStatus, TenderStage, VendorStatus
from eprocurement.demo import load_procurement_demo
from eprocurement.models import (
    Bid,
    BidEvaluation,
    BidReceipt,
    Contract,
    ContractPayment,
    Package,
    PackageStage,
    ProcurementPlanItem,
    Question,
    Vendor,
)
from eprocurement.selectors.schedule import bid_deadline, stage_is_open
from eprocurement.services import bids as bid_services
from portal.choices import Role
from portal.demo import DEMO_PASSWORD, demo_email
from portal.demo_data import demo_loaders
from portal.models import AuditEntry, User
from tests.eprocurement.factories_bids import bid_media, new_master_key  # noqa: F401
from tests.eprocurement.factories_vendors import kbli_codes

pytestmark = pytest.mark.django_db

MODELS = (
    User,
    Vendor,
    ProcurementPlanItem,
    Package,
    PackageStage,
    Question,
    Bid,
    BidReceipt,
    BidEvaluation,
    Contract,
    ContractPayment,
    LedgerEntry,
    Realization,
    AuditEntry,
)
POKJA = {demo_email(Role.POKJA), "pokja.anggota1@demo.ntt.test", "pokja.anggota2@demo.ntt.test"}


def load() -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo (kernel, planning, budgeting, procurement) loaded once for the tests
    of a class, in a transaction rolled back after them; each test runs in a savepoint
    inside it, so what one test changes the next does not see. The load takes seconds."""
    keys = override_settings(
        PORTAL_SEALING_MASTER_KEY=new_master_key(),
        PORTAL_SEALING_OLD_MASTER_KEYS=[],
        MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
    )
    with django_db_blocker.unblock(), keys, transaction.atomic():
        kbli_codes()  # reloads the shipped KBLI list where a transactional test flushed it
        yield load()
        transaction.set_rollback(True)


def tender(status: str, *, bids: int | None = None) -> Package:
    """The one demo tender in ``status`` (with ``bids`` bids, where two share a status)."""
    found = Package.objects.filter(status=status, agency__region__code="53", agency__code="DPUPR")
    if bids is not None:
        found = [package for package in found if package.bids.count() == bids]
    (package,) = found
    return package


def test_the_loader_runs_after_budgeting():
    labels = [str(label) for label, _loader in demo_loaders()]
    assert load_procurement_demo in [loader for _label, loader in demo_loaders()]
    assert labels.index("E-Procurement") > labels.index("E-Budgeting")


class TestTheLoadedDemo:
    """Tests on one load of the demo (see the ``demo`` fixture)."""

    def test_rup_items_are_announced_on_the_pupr_dpa_and_commit_its_lines(self, demo):
        items = ProcurementPlanItem.objects.filter(agency__code="DPUPR", fiscal_year__year=2027)
        assert items.count() == 5 and {i.status for i in items} == {PlanItemStatus.ANNOUNCED}
        assert all(i.rup_code for i in items)
        # Each item's funds are committed under rup:<id> until a contract replaces them.
        for item in items.exclude(packages__status=PackageStatus.CONTRACTED):
            assert LedgerEntry.objects.filter(reference=f"rup:{item.pk}", kind="commit").get().amount == item.value

    def test_vendors_three_verified_with_kbli_and_one_in_the_lpse_queue(self, demo):
        vendors = {v.owner.email: v for v in Vendor.objects.select_related("owner")}
        assert set(vendors) == {f"penyedia{n}@demo.ntt.test" for n in range(1, 5)}
        assert [vendors[f"penyedia{n}@demo.ntt.test"].status for n in range(1, 5)] == [VendorStatus.VERIFIED] * 3 + [
            VendorStatus.PENDING
        ]
        assert all(v.business_fields.exists() and v.is_small_business for v in vendors.values())
        assert not vendors["penyedia1@demo.ntt.test"].owner.memberships.exists()

    def test_every_tender_is_run_by_the_demo_ppk_and_pokja(self, demo):
        packages = Package.objects.prefetch_related("pokja_members__user").select_related("ppk")
        assert packages.count() == 4
        for package in packages:
            assert package.ppk.email == demo_email(Role.PPK)
            assert {m.user.email for m in package.pokja_members.all()} == POKJA
            assert package.pokja_members.get(is_chair=True).user.email == demo_email(Role.POKJA)

    def test_one_tender_in_the_explanation_stage_with_a_question_answered(self, demo):
        package = tender(PackageStatus.ANNOUNCED, bids=0)
        assert stage_is_open(package, TenderStage.EXPLANATION)
        questions = list(package.questions.order_by("asked_at", "pk"))
        assert [q.answered_at is not None for q in questions] == [True, False]
        assert questions[0].answered_by.email == demo_email(Role.POKJA)

    def test_one_tender_takes_bids_for_a_few_days_more(self, demo):
        package = tender(PackageStatus.ANNOUNCED, bids=1)
        assert stage_is_open(package, TenderStage.BID_SUBMISSION)
        assert datetime.timedelta(days=3) < bid_deadline(package) - timezone.now() <= datetime.timedelta(days=4)
        (bid,) = package.bids.select_related("vendor__owner")
        assert bid.vendor.owner.email == "penyedia2@demo.ntt.test" and bid.status == "submitted"
        assert bid.opened_price is None and bid.receipts.filter(status="current").exists()
        # penyedia1 (verified) has not bid: a demo user logged in as it can.
        vendor = Vendor.objects.select_related("owner").get(owner__email="penyedia1@demo.ntt.test")
        assert not package.bids.filter(vendor=vendor).exists()
        mine = bid_services.bid_save_price(
            package=package, vendor=vendor, actor=vendor.owner, price="1290000000", validity_days=60
        )
        assert mine.sealed_price and package.bids.count() == 2

    def test_one_tender_is_opened_and_being_evaluated(self, demo):
        package = tender(PackageStatus.OPENED)
        assert stage_is_open(package, TenderStage.EVALUATION)
        assert package.opening_record.bid_count == 2
        assert package.opening_confirmations.count() == 2
        bids = list(package.bids.order_by("opened_price"))
        assert all(b.opened_price for b in bids)
        assert bids[0].opened_price < package.owner_estimate * Decimal("0.8")  # waits for its price clarification
        assert not BidEvaluation.objects.filter(bid=bids[0]).exists()
        assert BidEvaluation.objects.filter(bid=bids[1], price_pass=True).exists()

    def test_one_tender_has_a_signed_contract_and_its_advance_paid(self, demo):
        package = tender(PackageStatus.CONTRACTED)
        award = package.award
        assert award.announced_at and award.appointment_number
        assert award.bid.opened_price == min(b.opened_price for b in package.bids.all())
        contract = package.contract
        assert contract.status == ContractStatus.SIGNED and contract.value == award.value
        (payment,) = contract.payments.all()
        assert payment.amount == contract.value * Decimal("0.2")
        assert payment.created_by.email == demo_email(Role.TREASURER)
        line = BudgetLine.objects.get(pk=payment.realizations.get().line_id)
        # Line 1 of the DPA funds this contract and the evaluated tender's RUP item (Rp4 miliar).
        assert line.committed == Decimal("4000000000") + contract.value - payment.amount
        assert line.realized == payment.amount

    def test_a_second_run_adds_nothing(self, demo):
        before = {model: model.objects.count() for model in MODELS}

        output = load()

        assert {model: model.objects.count() for model in MODELS} == before
        assert "E-Procurement demo data added" in demo and "E-Procurement" not in output

    def test_the_output_lists_the_vendor_accounts(self, demo):
        assert "penyedia1@demo.ntt.test" in demo and "Vendor CV Alor Mandiri (waiting for verification)" in demo
        assert "pokja.anggota2@demo.ntt.test" in demo

    def test_a_demo_vendor_logs_in_with_the_demo_password(self, demo, client, settings):
        settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
        response = client.post(
            reverse("account_login"), {"login": "penyedia1@demo.ntt.test", "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302
        assert client.get(reverse("eprocurement:vendor_mine")).context["user"].email == "penyedia1@demo.ntt.test"


@pytest.mark.usefixtures("bid_media")
def test_without_a_sealing_key_the_tenders_that_need_bids_wait_for_one(settings, caplog):
    settings.PORTAL_SEALING_MASTER_KEY = ""
    settings.DEBUG = False

    load()

    assert list(Package.objects.values_list("status", flat=True)) == [PackageStatus.ANNOUNCED]
    assert not Bid.objects.exists()
    assert "no sealing master key" in caplog.text
    assert ProcurementPlanItem.objects.filter(status=PlanItemStatus.ANNOUNCED).count() == 5

    settings.PORTAL_SEALING_MASTER_KEY = new_master_key()
    load()

    assert Package.objects.count() == 4 and Bid.objects.count() == 6
