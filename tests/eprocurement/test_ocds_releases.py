"""OCDS releases: the shape at every stage validates against the official 1.1 schema,
nothing sealed or unannounced appears, and a repeated signal stores nothing new."""

import json

import pytest
from django.test import override_settings

from eprocurement.choices import PackageStatus
from eprocurement.models import OcdsRelease
from eprocurement.ocds.publish import publish_release
from eprocurement.ocds.schema import errors
from eprocurement.signals import package_changed, send_package_changed
from tests.eprocurement.factories_ocds import (
    add_document,
    award,
    contracted_world,
    extend_bid_deadline,
    open_bids,
    sealed_bids,
    set_status,
)
from tests.eprocurement.factories_packages import tender_world

pytestmark = pytest.mark.django_db


def release_of(world, tag="tender") -> dict:
    row = publish_release(package_id=world.package.pk, tag=tag)
    assert errors(row.data, "release-schema.json") == []
    return row.data


def party_roles(release) -> dict:
    return {party["name"]: party["roles"] for party in release["parties"]}


def test_a_draft_publishes_nothing(kab_kupang):
    world = tender_world(kab_kupang, phase="draft")

    assert publish_release(package_id=world.package.pk, tag="tender") is None
    assert not OcdsRelease.objects.exists()


@override_settings(OCDS_PREFIX="ocds-abc123")
def test_announced_tender_release(kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")
    add_document(world)

    release = release_of(world)

    assert release["ocid"] == f"ocds-abc123-{world.package.code}"
    assert release["id"].startswith(release["ocid"] + "-tender-")
    assert release["tag"] == ["tender"] and release["language"] == "id"
    tender = release["tender"]
    assert tender["id"] == world.package.code and tender["status"] == "active"
    assert tender["value"] == {"amount": 950000000, "currency": "IDR"}
    assert tender["procurementMethod"] == "open" and tender["procurementMethodDetails"] == "Tender"
    assert tender["mainProcurementCategory"] == "works"
    bid_stage = world.package.stages.get(stage="bid_submission")
    assert tender["tenderPeriod"]["endDate"].startswith(bid_stage.ends_at.astimezone().strftime("%Y-%m-%d"))
    assert "enquiryPeriod" in tender and "awardPeriod" in tender
    assert [doc["title"] for doc in tender["documents"]] == ["Dokumen pemilihan"]
    assert {m["id"] for m in tender["milestones"]} >= {"announcement", "bid_submission", "contract_signing"}
    assert release["buyer"]["name"] == world.agency.name
    assert "buyer" in party_roles(release)[world.agency.name]


def test_planning_links_budget_line_sub_activity_and_rup_item(kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")
    line = world.lines[0]

    release = release_of(world)

    budget = release["planning"]["budget"]
    assert budget["id"] == f"{line.plan_item.sub_activity.code}.{line.account.code}"
    assert budget["projectID"] == line.plan_item.sub_activity.code
    assert budget["amount"] == {"amount": 1000000000, "currency": "IDR"}
    assert release["relatedProcesses"] == [
        {
            "id": f"rup-{world.plan_item.rup_code}",
            "relationship": ["planning"],
            "title": world.plan_item.name,
            "scheme": "kodeRUP",
            "identifier": world.plan_item.rup_code,
        }
    ]


def test_before_opening_no_tenderer_and_nothing_sealed(kab_kupang):
    world = tender_world(kab_kupang, phase="opening")
    sealed_bids(world, count=2)

    text = json.dumps(release_of(world))

    assert "tenderers" not in text and "numberOfTenderers" not in text
    assert "SEALED" not in text
    for vendor in world.vendors:
        assert vendor.name not in text and vendor.nib not in text


def test_opened_release_names_tenderers_but_no_price(kab_kupang):
    world = tender_world(kab_kupang, phase="evaluation")
    open_bids(world, ["901234567.89", "912345678.12"])

    release = release_of(world, "tenderUpdate")

    assert release["tender"]["numberOfTenderers"] == 2
    assert [t["name"] for t in release["tender"]["tenderers"]] == [v.name for v in world.vendors[:2]]
    assert party_roles(release)[world.vendors[0].name] == ["tenderer"]
    text = json.dumps(release)
    assert "901234567" not in text and "912345678" not in text and "awards" not in release


def test_award_appears_only_once_announced(kab_kupang):
    world = tender_world(kab_kupang, phase="evaluation")
    bids = open_bids(world, ["900000000", "910000000"])
    decided = award(world, bids[0], announced=False)

    assert "awards" not in release_of(world, "tenderUpdate")

    decided.announced_at = world.now
    decided.save(update_fields=["announced_at"])
    set_status(world.package, PackageStatus.AWARDED)
    release = release_of(world, "award")
    assert release["awards"] == [
        {
            "id": str(decided.pk),
            "title": world.package.name,
            "status": "active",
            "date": release["awards"][0]["date"],
            "value": {"amount": 900000000, "currency": "IDR"},
            "suppliers": [{"id": f"vendor-{bids[0].vendor.nib}", "name": bids[0].vendor.name}],
        }
    ]
    assert party_roles(release)[bids[0].vendor.name] == ["tenderer", "supplier"]
    assert release["tender"]["status"] == "active"


def test_contract_and_payments_as_transactions(kab_kupang):
    world = contracted_world(kab_kupang)

    release = release_of(world, "implementation")

    (contract,) = release["contracts"]
    assert contract["awardID"] == str(world.award.pk) and contract["status"] == "active"
    assert contract["title"] == world.contract.number
    assert contract["value"] == {"amount": 900000000, "currency": "IDR"}
    assert contract["period"]["startDate"].startswith("2026-05-01T00:00:00+08:00")
    (transaction,) = contract["implementation"]["transactions"]
    assert transaction["id"] == "SP2D-0001" and transaction["value"]["amount"] == 100000000
    assert transaction["payer"]["name"] == world.agency.name
    assert transaction["payee"]["name"] == world.vendors[0].name
    assert set(party_roles(release)[world.agency.name]) >= {"buyer", "payer"}
    assert release["tender"]["status"] == "complete"


def test_schedule_extension_is_an_amendment(kab_kupang):
    world = tender_world(kab_kupang, phase="bidding")
    change = extend_bid_deadline(world)

    release = release_of(world, "tenderAmendment")

    (amendment,) = release["tender"]["amendments"]
    assert amendment["id"] == str(change.pk) and amendment["rationale"] == "Gangguan server LPSE"


@pytest.mark.parametrize(
    ("status", "expected"),
    [(PackageStatus.CANCELLED, "cancelled"), (PackageStatus.FAILED, "unsuccessful")],
)
def test_ended_tender_status(kab_kupang, status, expected):
    world = tender_world(kab_kupang, phase="explanation")
    set_status(world.package, status)

    assert release_of(world, "tenderCancellation")["tender"]["status"] == expected


def test_a_repeated_signal_stores_nothing_new(kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")

    package_changed.send(sender=None, package_id=world.package.pk, tag="tender")
    package_changed.send(sender=None, package_id=world.package.pk, tag="tender")
    assert OcdsRelease.objects.count() == 1

    add_document(world, title="Addendum 1")
    package_changed.send(sender=None, package_id=world.package.pk, tag="tenderAmendment")
    package_changed.send(sender=None, package_id=world.package.pk, tag="tenderAmendment")
    assert list(OcdsRelease.objects.order_by("id").values_list("tag", flat=True)) == ["tender", "tenderAmendment"]


def test_a_change_publishes_after_commit(kab_kupang, django_capture_on_commit_callbacks):
    world = tender_world(kab_kupang, phase="explanation")

    with django_capture_on_commit_callbacks(execute=True):
        send_package_changed(world.package.pk, "tender")
        assert not OcdsRelease.objects.exists()

    assert OcdsRelease.objects.get().package == world.package


def test_an_unknown_tag_is_published_as_a_tender_update(kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")

    package_changed.send(sender=None, package_id=world.package.pk, tag="bidSubmitted")

    assert OcdsRelease.objects.get().data["tag"] == ["tenderUpdate"]


def test_the_schema_check_catches_a_code_outside_a_closed_codelist(kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")
    release = publish_release(package_id=world.package.pk, tag="tender").data

    broken = {**release, "tender": {**release["tender"], "status": "selesai"}}

    assert any(line.startswith("tender/status:") for line in errors(broken, "release-schema.json"))


def test_the_schema_check_catches_a_date_without_offset_and_a_relative_uri(kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")
    release = publish_release(package_id=world.package.pk, tag="tender").data

    found = errors({**release, "date": "2026-03-01 10:00"}, "release-schema.json")
    package = {"uri": "/relative", "version": "1.1", "publishedDate": release["date"], "publisher": {"name": "X"}}

    assert any(line.startswith("date:") for line in found)
    assert any(
        line.startswith("uri:") for line in errors({**package, "releases": [release]}, "release-package-schema.json")
    )


def test_a_failing_build_is_logged_and_not_raised_into_the_change(kab_kupang, monkeypatch, caplog):
    world = tender_world(kab_kupang, phase="explanation")

    def broken(package, *, tag):
        raise RuntimeError("boom")

    monkeypatch.setattr("eprocurement.ocds.publish.build_release", broken)
    package_changed.send(sender=None, package_id=world.package.pk, tag="tender")

    assert not OcdsRelease.objects.exists()
    assert "could not be stored" in caplog.text


@override_settings(ROOT_URLCONF="tests.eprocurement.urlconf_ocds", PORTAL_BASE_URL="https://lpse.nttprov.go.id")
def test_a_document_links_to_its_public_download(kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")
    document = add_document(world)

    (published,) = release_of(world)["tender"]["documents"]

    assert published["url"] == f"https://lpse.nttprov.go.id/pengadaan/dokumen/{document.pk}/"
    assert published["documentType"] == "biddingDocuments"
