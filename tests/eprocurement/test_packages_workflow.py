"""Packages through their services: drafting, team, schedule, documents, announcing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from eprocurement.choices import (
    EvaluationMethod,
    PackageStatus,
    PlanItemStatus,
    ProcurementKind,
    ProcurementMethod,
    TenderStage,
)
from eprocurement.models import Package, PackageDocument
from eprocurement.services import package_schedule
from eprocurement.services import package_tender as tender
from eprocurement.services import packages as services
from eprocurement.signals import package_changed
from portal.models import AuditEntry, Notification
from portal.services import DomainError
from tests.ebudgeting.factories import member
from tests.eprocurement.factories_plans import PlanItemFactory
from tests.eprocurement.packages_helpers import create, drafting_world, pdf, ready_draft, start_soon, xlsx
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def world(kab_kupang):
    return drafting_world(kab_kupang)


def messages_of(excinfo) -> str:
    return " ".join(excinfo.value.messages)


# --- Drafting -------------------------------------------------------------------------------


def test_a_package_takes_kind_method_and_summed_value_from_its_rup_items(world):
    package = create(world)

    assert package.status == PackageStatus.DRAFT
    assert package.kind == ProcurementKind.WORKS and package.method == ProcurementMethod.TENDER
    assert package.value == Decimal("1000000000.00")
    assert package.owner_estimate == Decimal("900000000.00")
    assert package.small_business_reserved  # Rp1 miliar is far under the small-business limit
    assert package.ppk == world.ppk
    assert {p.pk for p in package.plan_items.all()} == {i.pk for i in world.plan_items}
    assert AuditEntry.objects.filter(object_type="eprocurement.package", action="create").count() == 1


def test_the_owners_estimate_may_not_exceed_the_ceiling(world):
    with pytest.raises(DomainError) as excinfo:
        create(world, owner_estimate="1000000000.01")
    assert "above the ceiling" in messages_of(excinfo)
    assert not Package.objects.exists()


def test_works_are_not_evaluated_by_a_consultancy_method(world):
    with pytest.raises(DomainError) as excinfo:
        create(world, evaluation_method=EvaluationMethod.QUALITY_COST)
    assert "Construction works are evaluated by one of" in messages_of(excinfo)


def test_consultancy_is_evaluated_only_by_a_consultancy_method(kab_kupang):
    world = drafting_world(kab_kupang, kind=ProcurementKind.CONSULTANCY, method=ProcurementMethod.SELECTION)
    with pytest.raises(DomainError):
        create(world, evaluation_method=EvaluationMethod.KNOCKOUT)
    assert create(world, evaluation_method=EvaluationMethod.QUALITY_COST).kind == ProcurementKind.CONSULTANCY


def test_items_procured_otherwise_than_by_tender_are_refused_with_the_reason(kab_kupang):
    world = drafting_world(kab_kupang, method=ProcurementMethod.DIRECT_PROCUREMENT, items=1)
    with pytest.raises(DomainError) as excinfo:
        create(world)
    assert "is not run as a tender here" in messages_of(excinfo)


def test_items_must_be_announced_of_the_agency_and_alike(world, kab_kupang):
    draft_item = PlanItemFactory(agency=world.agency, fiscal_year=world.year, kind="works", method="tender")
    other_agency_item = PlanItemFactory(
        agency=AgencyFactory(region=kab_kupang), kind="works", method="tender", status=PlanItemStatus.ANNOUNCED
    )
    goods_item = PlanItemFactory(
        agency=world.agency, fiscal_year=world.year, kind="goods", method="tender", status=PlanItemStatus.ANNOUNCED
    )
    first = world.plan_items[0].pk
    for ids, message in (
        ([first, draft_item.pk], "Only announced RUP items"),
        ([first, other_agency_item.pk], "of the package's agency"),
        ([first, goods_item.pk], "one kind of procurement"),
        ([first, first], "each once"),
        ([], "Choose one or more"),
    ):
        with pytest.raises(DomainError) as excinfo:
            create(world, plan_item_ids=ids)
        assert message in messages_of(excinfo)
    assert not Package.objects.exists()


def test_an_item_in_a_live_package_cannot_go_into_another_until_that_one_is_cancelled(world):
    first = create(world)
    with pytest.raises(DomainError) as excinfo:
        create(world, name="Lagi")
    assert "already in another package" in messages_of(excinfo)

    tender.package_cancel(package=first, actor=world.ppk, reason="Digabung dengan paket lain")

    assert create(world, name="Lagi").value == first.value


def test_only_a_ppk_of_the_agency_drafts_a_package(world, kota_kupang, make_member):
    outsider = make_member(AgencyFactory(region=kota_kupang), role="ppk")
    for actor in (outsider, world.officer, world.pokja[0]):
        with pytest.raises(PermissionDenied):
            create(world, actor=actor)


def test_a_draft_is_edited_but_never_above_its_ceiling(world):
    package = create(world)
    services.package_update(package=package, actor=world.ppk, data={"owner_estimate": "800000000"})
    package.refresh_from_db()
    assert package.owner_estimate == Decimal("800000000.00")
    with pytest.raises(DomainError):
        services.package_update(package=package, actor=world.ppk, data={"owner_estimate": "2000000000"})
    with pytest.raises(DomainError):
        services.package_update(package=package, actor=world.ppk, data={"evaluation_method": "kualitas"})
    package.refresh_from_db()
    assert package.owner_estimate == Decimal("800000000.00")


# --- Team -------------------------------------------------------------------------------------


def test_the_team_is_a_ppk_and_three_pokja_members_the_first_chairing(world):
    package = create(world)
    services.package_set_team(package=package, actor=world.ppk, ppk=world.ppk, pokja=world.pokja)

    members = list(package.pokja_members.order_by("-is_chair", "id"))
    assert [m.user_id for m in members] == [u.pk for u in world.pokja]
    assert members[0].is_chair and not members[1].is_chair


@pytest.mark.parametrize("case", ["two", "duplicate", "ppk_in_pokja", "ppk_not_ppk", "not_pokja", "other_region"])
def test_a_wrong_team_is_refused(world, kota_kupang, case):
    package = create(world)
    ppk, pokja = world.ppk, list(world.pokja)
    if case == "two":
        pokja = pokja[:2]
    elif case == "duplicate":
        pokja[2] = pokja[0]
    elif case == "ppk_in_pokja":
        pokja[2] = world.ppk
    elif case == "ppk_not_ppk":
        ppk = world.officer
    elif case == "not_pokja":
        pokja[2] = world.officer
    else:
        pokja[2] = member(AgencyFactory(region=kota_kupang), "pokja")

    with pytest.raises(DomainError):
        services.package_set_team(package=package, actor=world.ppk, ppk=ppk, pokja=pokja)
    assert not package.pokja_members.exists()


# --- Schedule ----------------------------------------------------------------------------------


def test_the_default_schedule_keeps_every_rule_and_has_the_appeal_only_for_works(world):
    works = package_schedule.default_schedule(start_soon(), "works", "tender")
    goods = package_schedule.default_schedule(start_soon(), "goods", "tender_cepat")

    assert TenderStage.APPEAL in works and TenderStage.APPEAL not in goods
    assert package_schedule.check_schedule(kind="works", method="tender", rows=works) == works
    assert package_schedule.check_schedule(kind="goods", method="tender_cepat", rows=goods) == goods
    announcement = works[TenderStage.ANNOUNCEMENT]
    assert announcement[1] - announcement[0] == 7 * DAY
    objection = works[TenderStage.OBJECTION]
    assert objection[1] - objection[0] == 5 * DAY


def _schedule_error(world, change) -> str:
    package = create(world)
    rows = package_schedule.default_schedule(start_soon(), package.kind, package.method)
    change(rows)
    with pytest.raises(DomainError) as excinfo:
        services.package_set_schedule(package=package, actor=world.ppk, rows=rows)
    assert not package.stages.exists()
    return messages_of(excinfo)


def test_a_schedule_missing_a_stage_is_refused_naming_it(world):
    message = _schedule_error(world, lambda rows: rows.pop(TenderStage.OBJECTION))
    assert "Give the start and end of “Objection period (masa sanggah)”" in message


def test_a_schedule_out_of_order_is_refused(world):
    def swap(rows):
        start, end = rows[TenderStage.EVALUATION]
        rows[TenderStage.EVALUATION] = (start - 2 * DAY, end - 2 * DAY)

    assert "cannot start before" in _schedule_error(world, swap)


def test_an_opening_before_the_bid_deadline_is_refused(world):
    def early(rows):
        start, end = rows[TenderStage.OPENING]
        rows[TenderStage.OPENING] = (start - datetime.timedelta(hours=2), end)

    assert "“Bid opening (pembukaan dokumen penawaran)” cannot start before" in _schedule_error(world, early)


def test_a_too_short_announcement_is_refused_with_its_minimum(world):
    def short(rows):
        start, _end = rows[TenderStage.ANNOUNCEMENT]
        rows[TenderStage.ANNOUNCEMENT] = (start, start + 5 * DAY)

    assert "“Announcement (pengumuman)” must last at least 7 days" in _schedule_error(world, short)


def test_an_objection_period_under_five_days_is_refused(world):
    def short(rows):
        start, _end = rows[TenderStage.OBJECTION]
        rows[TenderStage.OBJECTION] = (start, start + 4 * DAY)

    assert "must last at least 5 days" in _schedule_error(world, short)


def test_an_appeal_stage_for_goods_is_refused(kab_kupang):
    world = drafting_world(kab_kupang, kind=ProcurementKind.GOODS, items=1)
    package = create(world)
    rows = package_schedule.default_schedule(start_soon(), "works", "tender")
    with pytest.raises(DomainError) as excinfo:
        services.package_set_schedule(package=package, actor=world.ppk, rows=rows)
    assert "construction works only" in messages_of(excinfo)


def test_a_valid_schedule_replaces_the_draft_stages(world):
    package = create(world)
    rows = package_schedule.default_schedule(start_soon(), package.kind, package.method)
    services.package_set_schedule(package=package, actor=world.ppk, rows=rows)
    services.package_set_schedule(package=package, actor=world.ppk, rows=rows)
    assert package.stages.count() == len(TenderStage.values)


# --- Documents ---------------------------------------------------------------------------------


def test_a_document_is_kept_with_its_hash_and_size(world):
    import hashlib

    package = create(world)
    document = services.package_document_add(
        package=package, actor=world.ppk, kind="selection", title="Dokumen pemilihan", file=pdf()
    )
    assert document.sha256 == hashlib.sha256(pdf().read()).hexdigest()
    assert document.size == len(pdf().read())
    assert document.file.name.endswith(".pdf") and "dokumen-pemilihan" not in document.file.name
    services.package_document_add(package=package, actor=world.ppk, kind="hps", title="Rincian HPS", file=xlsx())
    assert package.documents.count() == 2


@pytest.mark.parametrize(
    "upload",
    [
        pdf(name="program.exe"),
        pdf(name="palsu.pdf", content=b"MZ\x90\x00 not a pdf"),
        xlsx(name="tabel.xls"),
    ],
)
def test_other_file_types_are_refused(world, upload):
    package = create(world)
    with pytest.raises(DomainError) as excinfo:
        services.package_document_add(package=package, actor=world.ppk, kind="selection", title="x", file=upload)
    assert "is not a PDF, ZIP, XLSX or DOCX file" in messages_of(excinfo)
    assert not PackageDocument.objects.exists()


def test_a_document_above_the_size_limit_is_refused(world, settings):
    settings.PROCUREMENT_DOCUMENT_MAX_BYTES = 10
    package = create(world)
    with pytest.raises(DomainError):
        services.package_document_add(package=package, actor=world.ppk, kind="selection", title="x", file=pdf())


def test_a_drafts_document_is_removed(world):
    package = create(world)
    document = services.package_document_add(package=package, actor=world.ppk, kind="other", title="x", file=pdf())
    services.package_document_remove(document=document, actor=world.ppk)
    assert not package.documents.exists()


# --- Announcing ---------------------------------------------------------------------------------


def test_announcing_assigns_the_code_notifies_the_team_and_signals(world, django_capture_on_commit_callbacks):
    package = ready_draft(world)
    received = []

    def listener(**kwargs):
        received.append((kwargs["package_id"], kwargs["tag"]))

    package_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            package = services.package_announce(package=package, actor=world.pokja[0])
    finally:
        package_changed.disconnect(listener)

    assert package.status == PackageStatus.ANNOUNCED and package.announced_at
    assert package.code == "20265301" + "00001"
    assert received == [(package.pk, "tender")]
    notified = set(Notification.objects.filter(kind="eprocurement.package").values_list("recipient_id", flat=True))
    assert notified == {world.ppk.pk, world.pokja[1].pk, world.pokja[2].pk}
    entry = AuditEntry.objects.filter(object_type="eprocurement.package", action="transition").get()
    assert (entry.old_status, entry.new_status) == ("draft", "announced")


def test_codes_count_up_per_region_and_year(kab_kupang):
    first = drafting_world(kab_kupang, items=1)
    a = services.package_announce(package=ready_draft(first), actor=first.pokja[0])
    second = drafting_world(kab_kupang, items=1, code="DINKES")
    b = services.package_announce(package=ready_draft(second), actor=second.pokja[0])
    assert (a.code, b.code) == ("2026530100001", "2026530100002")


def test_an_incomplete_draft_is_not_announced_and_every_gap_is_named(world):
    package = create(world, owner_estimate="0")
    with pytest.raises(DomainError) as excinfo:
        services.package_announce(package=package, actor=world.ppk)
    message = messages_of(excinfo)
    for gap in ("owner's estimate", "three pokja members", "selection document", "Set the schedule"):
        assert gap in message
    package.refresh_from_db()
    assert package.status == PackageStatus.DRAFT and package.code is None


def test_a_schedule_that_would_start_in_the_past_is_not_announced(world):
    package = ready_draft(world)
    rows = package_schedule.default_schedule(start_soon() - 2 * DAY, package.kind, package.method)
    services.package_set_schedule(package=package, actor=world.ppk, rows=rows)
    with pytest.raises(DomainError) as excinfo:
        services.package_announce(package=package, actor=world.ppk)
    assert "start in the past" in messages_of(excinfo)


def test_an_announced_package_is_no_longer_edited(world):
    package = services.package_announce(package=ready_draft(world), actor=world.pokja[0])
    with pytest.raises(DomainError):
        services.package_update(package=package, actor=world.ppk, data={"name": "Baru"})
    with pytest.raises(DomainError):
        services.package_document_add(package=package, actor=world.ppk, kind="other", title="x", file=pdf())
    with pytest.raises(DomainError):
        services.package_announce(package=package, actor=world.ppk)


def test_the_default_schedule_closes_questions_the_addendum_margin_before_the_deadline():
    rows = package_schedule.default_schedule(start_soon(), "goods", "tender")
    deadline = rows[TenderStage.BID_SUBMISSION][1]
    assert deadline - rows[TenderStage.EXPLANATION][1] >= 2 * DAY
    assert rows[TenderStage.OPENING][0] == deadline


def test_the_minimum_lengths_come_from_the_settings(world, settings):
    package = create(world)
    rows = package_schedule.default_schedule(start_soon(), package.kind, package.method)
    services.package_set_schedule(package=package, actor=world.ppk, rows=rows)
    settings.PROCUREMENT_STAGE_MIN_DURATIONS = {
        **settings.PROCUREMENT_STAGE_MIN_DURATIONS,
        "tender": {**settings.PROCUREMENT_STAGE_MIN_DURATIONS["tender"], "evaluation": 10 * 24},
    }
    with pytest.raises(DomainError) as excinfo:
        services.package_set_schedule(package=package, actor=world.ppk, rows=rows)
    assert "“Evaluation (administration, qualification, technical, price)” must last at least 10 days" in (
        messages_of(excinfo)
    )
