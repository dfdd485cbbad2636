"""One tender from the RUP to the last payment, through the services only.

Each part of issue 4 is tested on its own elsewhere, on rows built directly; this test
checks that the parts fit: what one service leaves behind is what the next one accepts,
and the budget ledger, the OCDS record and the red flags agree with the story at the end.

Time: the services read ``timezone.now()`` and the package's (stage, start, end) rows, so
"a week passes" is played by moving every schedule row (and the announcement time) back by
a week with one UPDATE, which is what the clock passing would do to those comparisons. No
service is told the time and no row other than the schedule's is touched.
"""

import datetime
import hashlib
import json
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from ebudgeting.models import BudgetLine
from ebudgeting.services.ledger import outstanding_commitments
from eprocurement.choices import (
    BidStatus,
    ContractStatus,
    EvaluationMethod,
    ObjectionStatus,
    PackageStatus,
    PlanItemStatus,
    ProcurementKind,
    ProcurementMethod,
    TenderStage,
)
from eprocurement.models import BidEvaluation, OcdsRelease, Package, PackageStage
from eprocurement.ocds.builder import ocid_for
from eprocurement.ocds.publish import record_package
from eprocurement.ocds.schema import errors
from eprocurement.selectors.redflags import flags_of, with_red_flags
from eprocurement.services import (
    awards,
    contracts,
    evaluation,
    opening,
    package_schedule,
    packages,
    plans,
    tender_site,
    vendors,
)
from eprocurement.services import bids as bid_services
from portal.models import AuditEntry
from portal.services import DomainError
from tests.ebudgeting.factories import member
from tests.eprocurement.factories_bids import bid_media, sealing_key, upload  # noqa: F401
from tests.eprocurement.factories_plans import fundings, item_data, rup_world
from tests.eprocurement.factories_vendors import kbli_codes, pdf_upload
from tests.eprocurement.packages_helpers import pdf, start_soon
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sealing_key", "bid_media")]

MINUTE = datetime.timedelta(minutes=1)
DAY = datetime.timedelta(days=1)
LINE_AMOUNT = Decimal("2000000000.00")
# The RUP item draws Rp1 miliar on the first line and Rp500 juta on the second.
FUNDED = (Decimal("1000000000.00"), Decimal("500000000.00"))
HPS = Decimal("1400000000.00")
# Vendor A's price is 75% of the HPS (under 80%: price clarification); B and C are above.
PRICES = (Decimal("1050000000.00"), Decimal("1250000000.00"), Decimal("1330000000.00"))


def clock_reaches(package: Package, stage: str) -> None:
    """Let the server clock reach a minute into ``stage``: every row of the schedule, and
    the announcement time, move back by the same amount (see the module docstring)."""
    start = PackageStage.objects.get(package=package, stage=stage).starts_at
    shift = start - (timezone.now() - MINUTE)
    PackageStage.objects.filter(package=package).update(starts_at=F("starts_at") - shift, ends_at=F("ends_at") - shift)
    Package.objects.filter(pk=package.pk).update(announced_at=F("announced_at") - shift)


def ledger(lines) -> list[tuple[Decimal, Decimal, Decimal]]:
    """(committed, realized, available) of each line, fresh from the database."""
    fresh = {line.pk: line for line in BudgetLine.objects.filter(pk__in=[line.pk for line in lines])}
    return [(fresh[line.pk].committed, fresh[line.pk].realized, fresh[line.pk].available) for line in lines]


def money(*amounts) -> tuple[Decimal, ...]:
    return tuple(Decimal(amount) for amount in amounts)


@pytest.fixture
def committing(django_capture_on_commit_callbacks):
    """Run a service as a request would: its after-commit work (OCDS releases, alerts) runs."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


def registered_vendor(index: int, admin) -> object:
    """A company registered by its owner and verified by the LPSE admin."""
    owner = UserFactory(email=f"direktur{index}@penyedia{index}.co.id")
    vendor = vendors.vendor_register(
        actor=owner,
        data={
            "name": f"CV Flobamora Konstruksi {index}",
            "kind": "cv",
            "nib": f"91200012345{index:02d}",
            "npwp": f"01.234.567.8-901.00{index}",
            "address": "Jl. El Tari No. 1, Kupang",
            "phone": "0380 123456",
            "email": f"kantor@penyedia{index}.co.id",
            "is_small_business": True,
        },
        business_field_codes=kbli_codes(),
        people=[{"name": f"Direktur {index}", "position": "Direktur"}],
        documents=[{"kind": "akta", "number": f"AKTA-{index}", "file": pdf_upload()}],
    )
    return vendors.vendor_verify(vendor_id=vendor.pk, actor=admin)


def test_a_tender_runs_from_the_rup_to_the_last_payment(kab_kupang, committing):
    world = rup_world(kab_kupang, lines=2, line_amount=LINE_AMOUNT)
    lines = world.lines
    pokja = [member(world.agency, "pokja") for _ in range(3)]
    chair, second = pokja[0], pokja[1]
    lpse_admin = member(AgencyFactory(region=kab_kupang, code="UKPBJ"), "lpse_admin")

    # --- The RUP item: drafted, then announced; announcing commits its funds. ---
    item = plans.plan_item_create(
        agency=world.agency,
        fiscal_year=world.year,
        data=item_data(
            name="Rehabilitasi jalan ruas Oesao–Camplong",
            kind=ProcurementKind.WORKS,
            method=ProcurementMethod.TENDER,
        ),
        fundings=fundings((lines[0], FUNDED[0]), (lines[1], FUNDED[1])),
        actor=world.officer,
    )
    assert (item.status, item.value) == (PlanItemStatus.DRAFT, Decimal("1500000000.00"))
    assert ledger(lines) == [money(0, 0, "2000000000"), money(0, 0, "2000000000")]
    item = plans.plan_item_announce(item=item, actor=world.ppk)
    assert item.status == PlanItemStatus.ANNOUNCED and item.rup_code
    rup_reference = plans.ledger_reference(item)
    assert rup_reference == f"rup:{item.pk}"
    assert ledger(lines) == [money("1000000000", 0, "1000000000"), money("500000000", 0, "1500000000")]

    # --- The package: drafted by the PPK, team, schedule, document, announced. ---
    package = packages.package_create(
        actor=world.ppk,
        agency=world.agency,
        plan_item_ids=[item.pk],
        name="Rehabilitasi jalan ruas Oesao–Camplong",
        evaluation_method=EvaluationMethod.KNOCKOUT,
        owner_estimate=str(HPS),
    )
    packages.package_set_team(package=package, actor=world.ppk, ppk=world.ppk, pokja=pokja)
    rows = package_schedule.default_schedule(start_soon(), package.kind, package.method)
    # The default keeps each stage at its legal minimum (a 4-day bid window); the PPK gives
    # the vendors two more days, which also keeps the short-bid-period red flag down.
    deadline = rows[TenderStage.BID_SUBMISSION][1]
    rows = package_schedule.extended_rows(rows, TenderStage.BID_SUBMISSION, deadline + 2 * DAY)
    packages.package_set_schedule(package=package, actor=world.ppk, rows=rows)
    packages.package_document_add(
        package=package, actor=world.ppk, kind="selection", title="Dokumen pemilihan", file=pdf()
    )
    package = committing(packages.package_announce, package=package, actor=chair)
    assert package.status == PackageStatus.ANNOUNCED and package.code

    # --- Explanation: a verified vendor asks, the pokja answers in public. ---
    bidders = [registered_vendor(index, lpse_admin) for index in range(1, 4)]
    clock_reaches(package, TenderStage.EXPLANATION)
    question = tender_site.question_ask(
        package=package, vendor=bidders[1], actor=bidders[1].owner, text="Apakah aspal hotmix wajib AC-WC?"
    )
    question = committing(tender_site.question_answer, question=question, actor=chair, answer="Ya, lihat spesifikasi.")
    assert question.answered_at is not None

    # --- Bids: each vendor seals a price and a document and submits; each gets a receipt. ---
    submitted = []
    for vendor, price in zip(bidders, PRICES, strict=True):
        bid = bid_services.bid_save_price(
            package=package, vendor=vendor, actor=vendor.owner, price=str(price), validity_days=60
        )
        bid_services.bid_add_document(bid=bid, actor=vendor.owner, kind="technical", uploaded_file=upload())
        receipt = committing(
            bid_services.bid_submit, bid=bid, actor=vendor.owner, token=bid_services.new_submit_token()
        )
        assert json.loads(receipt.content)["bid"] == bid.pk
        assert hashlib.sha256(receipt.content.encode("utf-8")).hexdigest() == receipt.sha256
        bid.refresh_from_db()
        assert bid.status == BidStatus.SUBMITTED and bid.opened_price is None and str(price) not in bid.sealed_price
        submitted.append(bid)
    lowest, middle, highest = submitted

    # --- The deadline passes: nothing changes any more; two pokja members open the bids. ---
    clock_reaches(package, TenderStage.OPENING)
    with pytest.raises(DomainError, match="deadline has passed"):
        bid_services.bid_save_price(
            package=package, vendor=bidders[2], actor=bidders[2].owner, price="900000000", validity_days=60
        )
    first = committing(opening.opening_confirm, package=package, actor=chair)
    assert (first.confirmations, first.opened) == (1, False)
    result = committing(opening.opening_confirm, package=package, actor=second)
    assert (result.confirmations, result.opened) == (2, True)
    for bid, price in zip(submitted, PRICES, strict=True):
        bid.refresh_from_db()
        assert bid.opened_price == price

    # --- Evaluation: the lowest bid (75% of the HPS) needs a price clarification. ---
    clock_reaches(package, TenderStage.EVALUATION)
    passed = {"administrative_pass": True, "qualification_pass": True, "technical_pass": True, "price_pass": True}
    with pytest.raises(DomainError, match="under 80% of the HPS"):
        evaluation.evaluation_record(bid=lowest, actor=chair, **passed)
    assert not BidEvaluation.objects.filter(bid=lowest).exists()
    clarified = evaluation.evaluation_record(
        bid=lowest, actor=chair, clarification_note="Harga wajar: analisa harga satuan terlampir.", **passed
    )
    assert clarified.clarification_required
    evaluation.evaluation_record(bid=middle, actor=chair, **passed)
    evaluation.evaluation_record(bid=highest, actor=chair, **passed)
    ranking = evaluation.evaluation_rank(package=package, actor=chair)
    assert [e.bid_id for e in ranking] == [lowest.pk, middle.pk, highest.pk]
    clock_reaches(package, TenderStage.QUALIFICATION_PROOF)
    evaluation.qualification_proof_record(bid=lowest, actor=chair, proven=True)

    # --- Award: decided, announced; an objection is lodged and rejected; the SPPBJ. ---
    clock_reaches(package, TenderStage.WINNER_DECISION)
    award = committing(awards.award_decide, package=package, actor=chair, bid=lowest)
    assert (award.vendor, award.value) == (bidders[0], PRICES[0])
    clock_reaches(package, TenderStage.WINNER_ANNOUNCEMENT)
    committing(awards.award_announce, package=package, actor=chair)
    clock_reaches(package, TenderStage.OBJECTION)
    objection = committing(
        awards.objection_submit,
        package=package,
        vendor=bidders[1],
        actor=bidders[1].owner,
        text="Harga pemenang tidak wajar.",
    )
    objection = committing(
        awards.objection_answer,
        objection=objection,
        actor=chair,
        upheld=False,
        answer="Klarifikasi harga telah dilakukan dan tercatat.",
    )
    assert objection.status == ObjectionStatus.REJECTED
    clock_reaches(package, TenderStage.APPOINTMENT)  # the objection and appeal periods are over
    award = committing(awards.award_appoint, package=package, actor=world.ppk, number="SPPBJ/027/PUPR/2026")
    assert award.appointed_at is not None

    # --- Contract: signing swaps the RUP commitment for the contract's, line by line. ---
    clock_reaches(package, TenderStage.CONTRACT_SIGNING)
    contract = contracts.contract_create(
        package=package,
        actor=world.ppk,
        number="KTR/027/PUPR/2026",
        value=str(PRICES[0]),
        starts_on=datetime.date(2026, 6, 1),
        ends_on=datetime.date(2026, 11, 30),
        payment_terms="Termin I 60% pada progres 60%; termin II 40% pada serah terima.",
    )
    contract = committing(contracts.contract_sign, contract=contract, actor=world.ppk)
    assert contract.status == ContractStatus.SIGNED
    # Rp1.05 miliar split 2:1 like the RUP funding; nothing remains under rup:<id>.
    assert ledger(lines) == [money("700000000", 0, "1300000000"), money("350000000", 0, "1650000000")]
    assert plans.ledger_reference(item) == rup_reference
    assert sum(outstanding_commitments(rup_reference, [line.pk for line in lines]).values(), Decimal(0)) == 0

    # --- Payments: each SP2D is a realization on the lines, settling the commitment. ---
    committing(
        contracts.contract_pay,
        contract=contract,
        actor=world.ppk,
        number="SP2D/0311/LS/2026",
        date=datetime.date(2026, 8, 14),
        amount="630000000",
        description="Termin I (60%)",
    )
    assert ledger(lines) == [
        money("280000000", "420000000", "1300000000"),
        money("140000000", "210000000", "1650000000"),
    ]
    committing(
        contracts.contract_pay,
        contract=contract,
        actor=world.ppk,
        number="SP2D/0502/LS/2026",
        date=datetime.date(2026, 12, 4),
        amount="420000000",
        description="Termin II (40%), serah terima pekerjaan",
    )
    assert ledger(lines) == [money(0, "700000000", "1300000000"), money(0, "350000000", "1650000000")]
    package.refresh_from_db()
    contract.refresh_from_db()
    assert (package.status, contract.status) == (PackageStatus.COMPLETED, ContractStatus.COMPLETED)

    # --- Open data: every release and the package's record validate and tell the story. ---
    releases = list(OcdsRelease.objects.filter(package=package).order_by("date", "pk"))
    assert {"tender", "tenderUpdate", "award", "awardUpdate", "contract", "implementation"} <= {r.tag for r in releases}
    for release in releases:
        assert errors(release.data, "release-schema.json") == [], release.tag
    record = record_package(ocid_for(package), releases)
    assert errors(record, "record-package-schema.json") == []
    compiled = record["records"][0]["compiledRelease"]
    (ocds_award,) = compiled["awards"]
    assert ocds_award["value"]["amount"] == 1050000000
    assert ocds_award["suppliers"][0]["name"] == bidders[0].name
    (ocds_contract,) = compiled["contracts"]
    assert ocds_contract["title"] == "KTR/027/PUPR/2026"
    transactions = ocds_contract["implementation"]["transactions"]
    assert sorted(t["value"]["amount"] for t in transactions) == [420000000, 630000000]
    assert compiled["tender"]["numberOfTenderers"] == 3

    # --- The audit log holds every step of the package, in order. ---
    steps = AuditEntry.objects.filter(
        object_type="eprocurement.package", object_id=str(package.pk), action="transition"
    )
    assert list(steps.order_by("seq").values_list("new_status", flat=True)) == [
        PackageStatus.ANNOUNCED,
        PackageStatus.OPENED,
        PackageStatus.AWARDED,
        PackageStatus.APPOINTED,
        PackageStatus.CONTRACTED,
        PackageStatus.COMPLETED,
    ]

    # --- Red flags: three competing, distinct prices, a winner well under the HPS. ---
    flagged = with_red_flags(Package.objects.filter(pk=package.pk)).get()
    assert (flagged.opened_count, flagged.lowest_price) == (3, PRICES[0])
    assert flags_of(flagged) == []
