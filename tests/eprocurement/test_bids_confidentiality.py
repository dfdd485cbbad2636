"""The confidentiality matrix (issue 4, "Sealed"): for each role and each surface — pages,
API, admin, exports, the media URL of the sealed file — no price and no document content
before opening; after opening the pokja sees both, and nobody else gets a document."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django.utils import timezone

from eprocurement.selectors.bids import opened_prices
from eprocurement.services.opening import opening_confirm
from tests.eprocurement.factories_bids import (  # noqa: F401
    CANARY_PRICE,
    CANARY_TEXT,
    bid_media,
    sealing_key,
    submitted_bid,
)
from tests.eprocurement.factories_packages import schedule_around, set_schedule, tender_world
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sealing_key", "bid_media")]
# The canary price however a page might format it (English, Indonesian, grouped or not).
PRICE_FORMS = ("987654321.77", "987654321,77", "987.654.321", "987,654,321", "987654321")
ROLES = ["other_vendor", "pokja", "ppk", "lpse_admin", "kominfo_admin", "superuser", "anonymous"]


def _with_totp(user):
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def world(kab_kupang, make_member, make_admin):
    world = tender_world(kab_kupang, phase="bidding")
    world.bid, _ = submitted_bid(world.package, world.vendors[0], price=CANARY_PRICE)
    world.other_bid, _ = submitted_bid(world.package, world.vendors[1], price="990000000", content=b"other")
    world.document = world.bid.documents.get()
    lpse = AgencyFactory(region=kab_kupang, code="UKPBJ")
    world.users = {
        "other_vendor": world.vendors[1].owner,
        "pokja": _with_totp(world.pokja[0]),
        "ppk": world.ppk,
        "lpse_admin": _with_totp(make_member(lpse, role="lpse_admin", is_staff=True)),
        "kominfo_admin": make_admin(world.package.agency),
        "superuser": _with_totp(UserFactory(is_superuser=True, is_staff=True)),
        "anonymous": None,
    }
    return world


def _surfaces(world) -> dict[str, str]:
    package, bid, document = world.package, world.bid, world.document
    return {
        "bid page": reverse("eprocurement:bid_page", args=[package.pk]),
        "my bids": reverse("eprocurement:bid_mine"),
        "receipt": reverse("eprocurement:bid_receipt", args=[bid.pk]),
        "receipt export": reverse("eprocurement:bid_receipt_json", args=[bid.pk]),
        "document": reverse("eprocurement:bid_document", args=[document.pk]),
        "opening page": reverse("eprocurement:opening_page", args=[package.pk]),
        "opening record export": reverse("eprocurement:opening_record", args=[package.pk]),
        "api bids": "/api/eprocurement/bids/",
        "api bid": f"/api/eprocurement/bids/{bid.pk}/",
        "api receipts": f"/api/eprocurement/bids/{bid.pk}/receipts/",
        "api opening": f"/api/eprocurement/openings/{package.pk}/",
        "admin bids": reverse("admin:eprocurement_bid_changelist"),
        "admin bid": reverse("admin:eprocurement_bid_change", args=[bid.pk]),
        "admin opening records": reverse("admin:eprocurement_openingrecord_changelist"),
        "media": f"/media/{document.file.name}",
    }


def _responses(client, world, role):
    user = world.users[role]
    client.logout()
    if user is not None:
        client.force_login(user)
    return {name: client.get(url, follow=True) for name, url in _surfaces(world).items()}


def _leaks(response) -> list[str]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    found = [form for form in PRICE_FORMS if form.encode() in content]
    return found + (["document"] if CANARY_TEXT in content else [])


# What each role does reach before opening (so the matrix is not vacuous: the pages were
# shown, the secrets were not on them).
REACHED = {
    "other_vendor": {"bid page", "my bids", "api bids"},
    "pokja": {"opening page", "api opening"},
    "ppk": {"opening page", "api opening"},
    "lpse_admin": {"opening page", "admin bids", "admin bid", "admin opening records"},
    "kominfo_admin": {"opening page", "admin bids", "admin bid", "admin opening records"},
    "superuser": {"opening page", "api opening", "admin bids", "admin bid", "admin opening records"},
    "anonymous": set(),
}


@pytest.mark.parametrize("role", ROLES)
def test_before_opening_no_role_reads_a_price_or_a_document_anywhere(client, world, role):
    answers = _responses(client, world, role)
    leaks = {name: _leaks(answer) for name, answer in answers.items()}
    assert {name: found for name, found in leaks.items() if found} == {}
    reached = {name for name, answer in answers.items() if answer.status_code == 200 and not answer.redirect_chain}
    assert REACHED[role] <= reached


def test_the_admin_shows_the_bid_but_not_its_secrets(client, english, world):
    client.force_login(world.users["superuser"])
    page = client.get(reverse("admin:eprocurement_bid_change", args=[world.bid.pk])).content.decode()
    assert world.bid.price_sha256 in page and "sealed until opening" in page
    assert world.bid.sealed_price not in page and world.document.file.name not in page
    assert 'name="status"' not in page


def test_the_admin_changes_and_deletes_nothing(client, world):
    client.force_login(world.users["superuser"])
    change = reverse("admin:eprocurement_bid_change", args=[world.bid.pk])
    client.post(change, {"status": "withdrawn"})
    assert client.get(reverse("admin:eprocurement_bid_delete", args=[world.bid.pk])).status_code == 403
    world.bid.refresh_from_db()
    assert world.bid.status == "submitted"


def test_the_sealed_file_is_never_served_from_media(client, world):
    client.force_login(world.users["superuser"])
    assert client.get(f"/media/{world.document.file.name}").status_code == 404


def _open(world):
    set_schedule(world.package, schedule_around(timezone.now(), "opening"))
    opening_confirm(package=world.package, actor=world.pokja[0])
    opening_confirm(package=world.package, actor=world.pokja[1])


def test_after_opening_the_pokja_reads_prices_and_documents(client, world):
    _open(world)
    answers = _responses(client, world, "pokja")
    assert _leaks(answers["opening page"]) and _leaks(answers["opening record export"])
    assert _leaks(answers["api opening"])
    assert answers["document"].content == b"%PDF-1.4\n" + CANARY_TEXT


@pytest.mark.parametrize("role", ["other_vendor", "ppk", "lpse_admin", "kominfo_admin", "anonymous"])
def test_after_opening_nobody_but_the_pokja_and_the_vendor_gets_a_document(client, world, role):
    _open(world)
    answers = _responses(client, world, role)
    assert "document" not in _leaks(answers["document"]) and "document" not in _leaks(answers["media"])


def test_after_opening_the_price_is_public_where_the_tender_page_shows_it(world):
    assert opened_prices(world.package) == []
    _open(world)
    assert [str(row["price"]) for row in opened_prices(world.package)] == [CANARY_PRICE, "990000000.00"]


def test_after_opening_another_vendor_still_cannot_open_the_bid(client, world):
    _open(world)
    answers = _responses(client, world, "other_vendor")
    for name in ("receipt", "receipt export", "document", "api bid", "api receipts", "opening page"):
        assert answers[name].status_code == 404, name
