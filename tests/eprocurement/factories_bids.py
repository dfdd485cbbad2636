"""Helpers for the sealed-bid tests: a master key, a media folder of the test's own, and
bids prepared through the services (so they are sealed the way production seals them)."""

import base64
import secrets

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eprocurement.services import bids as bid_services
from eprocurement.services.bids import new_submit_token

CANARY_PRICE = "987654321.77"
CANARY_TEXT = b"CANARY-DOCUMENT-7f3a9c-penawaran-teknis"


def new_master_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


@pytest.fixture
def sealing_key(settings):
    settings.PORTAL_SEALING_MASTER_KEY = new_master_key()
    settings.PORTAL_SEALING_OLD_MASTER_KEYS = []
    return settings.PORTAL_SEALING_MASTER_KEY


@pytest.fixture
def bid_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(content: bytes = CANARY_TEXT, name: str = "penawaran-teknis.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n" + content, content_type="application/pdf")


def draft_bid(package, vendor, *, price=CANARY_PRICE, content: bytes = CANARY_TEXT, name="penawaran-teknis.pdf"):
    bid = bid_services.bid_save_price(package=package, vendor=vendor, actor=vendor.owner, price=price, validity_days=60)
    bid_services.bid_add_document(bid=bid, actor=vendor.owner, kind="technical", uploaded_file=upload(content, name))
    return bid


def submitted_bid(package, vendor, **kwargs):
    bid = draft_bid(package, vendor, **kwargs)
    receipt = bid_services.bid_submit(bid=bid, actor=vendor.owner, token=new_submit_token())
    bid.refresh_from_db()
    return bid, receipt


def another_package(world, *, phase: str = "bidding"):
    """One more announced package of the same agency, with a schedule in ``phase`` (the
    tender world makes one agency per region, so query-count tests add packages here)."""
    from django.utils import timezone

    from eprocurement.models import Package, PokjaMember
    from tests.eprocurement.factories_packages import PackageFactory, schedule_around, set_schedule

    package = PackageFactory(
        agency=world.package.agency,
        fiscal_year=world.package.fiscal_year,
        ppk=world.ppk,
        status="announced",
        code=f"T{Package.objects.count() + 1:08d}",
        announced_at=timezone.now(),
    )
    for index, user in enumerate(world.pokja):
        PokjaMember.objects.create(package=package, user=user, is_chair=index == 0)
    set_schedule(package, schedule_around(timezone.now(), phase))
    return package
