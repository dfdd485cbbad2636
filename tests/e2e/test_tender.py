"""Issue 4's tender in the browser: a vendor registers, is verified, finds a tender, asks a
question, submits a bid and gets its receipt; the pokja opens, evaluates and awards; the
vendor sees the result.

The tender is set up through the services' data (``tender_world``: an announced works
package of Kabupaten Kupang in its explanation stage, with a PPK and a pokja of three who
log in with a TOTP code, as their role requires). Each person has a browser profile of
their own, so nobody logs out between steps.

The live server runs in a thread of this process on the real clock: its clock cannot be
advanced. To move the tender from one stage to the next, the test moves the package's
schedule rows instead (``move_schedule``), which is what the services read on the
server clock.
"""

import datetime
import hashlib
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from eprocurement.models import Bid, BusinessField, Package, PokjaMember, Vendor
from eprocurement.services.tender_site import question_answer
from tests.eprocurement.factories_bids import new_master_key, submitted_bid
from tests.eprocurement.factories_packages import PackageFactory, schedule_around, set_schedule, tender_world
from tests.support.totp import fresh_totp_code

pytestmark = pytest.mark.e2e

PASSWORD = "rahasia-uji-123"  # tests.factories.UserFactory's password
VENDOR_EMAIL = "direktur@cv-flobamora.example.com"
VENDOR_PASSWORD = "Tenun-Ikat-Sumba-2026!"
VENDOR_NAME = "CV Flobamora Konstruksi"
TENDER_NAME = "Rehabilitasi Embung Oelpuah Kecamatan Kupang Tengah"
OTHER_TENDER_NAME = "Pembangunan Gedung Puskesmas Baumata"
PRICE = "870000000"  # the lowest of the three bids; the HPS is 950.000.000
OTHER_PRICES = ("905000000.00", "931500000.00")
QUESTION = "Apakah material timbunan boleh diambil dari lokasi setempat?"
ANSWER = "Boleh, dari quarry berizin di Kabupaten Kupang; sertakan izinnya."
HOUR = datetime.timedelta(hours=1)


def move_schedule(package, *, phase: str, now=None) -> None:
    """Put ``package``'s schedule rows around ``now`` so the tender is in ``phase`` (see
    tests.eprocurement.factories_packages). The live server's clock cannot be moved; its
    services read the stage windows from these rows on the real clock."""
    set_schedule(package, schedule_around(now or timezone.now(), phase))


@pytest.fixture
def tender(transactional_db, empty_cache, settings, tmp_path, kab_kupang, make_member, activate_totp):
    settings.PORTAL_SEALING_MASTER_KEY = new_master_key()
    settings.PORTAL_SEALING_OLD_MASTER_KEYS = []
    settings.MEDIA_ROOT = tmp_path / "media"
    if not BusinessField.objects.exists():  # flushed by an earlier transactional test
        _load_kbli()
    world = tender_world(kab_kupang, phase="explanation", vendors=2)
    Package.objects.filter(pk=world.package.pk).update(name=TENDER_NAME)
    world.package.refresh_from_db()
    _other_tender(world)
    names = ("Stefanus Lalo", "Maria Nenotek", "Yosef Tefa")
    world.pokja_secrets = {}
    for user, name in zip(world.pokja, names, strict=True):
        user.full_name = name
        user.save(update_fields=["full_name"])
        world.pokja_secrets[user.pk] = activate_totp(user)
    world.lpse_admin = make_member(world.agency, "lpse_admin", full_name="Kristoforus Nenobais")
    return world


def _load_kbli():
    import importlib

    from django.apps import apps

    importlib.import_module("eprocurement.migrations.0002_load_kbli").load_shipped_kbli(apps)


def _other_tender(world):
    """A second announced tender, so the search box has something to leave out."""
    package = PackageFactory(
        agency=world.agency,
        fiscal_year=world.package.fiscal_year,
        ppk=world.ppk,
        name=OTHER_TENDER_NAME,
        status="announced",
        code=f"T{Package.objects.count() + 1:08d}",
        announced_at=timezone.now(),
    )
    PokjaMember.objects.create(package=package, user=world.pokja[0], is_chair=True)
    move_schedule(package, phase="explanation")


def new_page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    context.set_default_timeout(10_000)
    return context.new_page()


def log_in(page, email, password=PASSWORD, *, totp_secret=None):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("[data-test=login-submit]")
    if totp_secret:
        page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
        page.fill("input[name=code]", fresh_totp_code(totp_secret))
        page.press("input[name=code]", "Enter")
    page.wait_for_url(re.compile(r"/$"))


def pdf_file(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n%" + text.encode() + b"\n%%EOF\n")
    return path


def register_vendor(page, tmp_path):
    # the public entrance: create an account, confirm the address from the e-mail
    page.goto("/pengadaan/penyedia/daftar/")
    page.click("[data-test=signup]")
    page.fill("input[name=email]", VENDOR_EMAIL)
    page.fill("input[name=password1]", VENDOR_PASSWORD)
    page.fill("input[name=password2]", VENDOR_PASSWORD)
    page.click("main form:has(input[name=password1]) button[type=submit]")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    body = mail.outbox[-1].body
    assert mail.outbox[-1].to == [VENDOR_EMAIL]
    page.goto(re.search(r"https?://[^/\s]+(/\S*/confirm-email/\S*)", body).group(1))
    page.click("main form button[type=submit]")
    # confirming logs the vendor in and brings them back to the registration page
    page.wait_for_url(re.compile(r"/pengadaan/penyedia/daftar/$"))
    expect(page.locator("[data-test=who]")).to_be_visible()

    # the company with its person in charge and its NIB document
    page.fill("input[name=name]", VENDOR_NAME)
    page.select_option("select[name=kind]", "cv")
    page.fill("input[name=nib]", "9120301234567")
    page.fill("input[name=npwp]", "01.234.567.8-921.000")
    page.fill("input[name=business_fields]", "41011, 42101")
    page.fill("textarea[name=address]", "Jl. Timor Raya No. 17, Oesapa, Kota Kupang")
    page.fill("input[name=phone]", "0380 821234")
    page.fill("input[name=email]", "kantor@cv-flobamora.example.com")
    page.check("input[name=is_small_business]")
    page.fill("input[name=people-0-name]", "Yohanes Manafe")
    page.fill("input[name=people-0-position]", "Direktur")
    page.select_option("select[name=documents-0-kind]", "nib")
    page.fill("input[name=documents-0-number]", "9120301234567")
    page.set_input_files("input[name=documents-0-file]", str(pdf_file(tmp_path, "nib.pdf", "NIB CV Flobamora")))
    page.click("[data-test=register]")
    page.wait_for_url(re.compile(r"/pengadaan/penyedia/\d+/$"))
    expect(page.locator("h1")).to_have_text(VENDOR_NAME)
    expect(page.locator("[data-test=documents] tbody tr")).to_have_count(1)
    return Vendor.objects.get(name=VENDOR_NAME)


def test_a_vendor_bids_on_a_tender_and_sees_the_pokja_award_it(browser, live_server, tender, tmp_path):
    package = tender.package
    chair, second, _third = tender.pokja
    vendor_page = new_page(browser, live_server)

    # 1. a new vendor registers on the public site
    vendor = register_vendor(vendor_page, tmp_path)
    assert vendor.status == "pending" and vendor.owner.email == VENDOR_EMAIL

    # 2. the LPSE admin verifies it from the queue
    admin_page = new_page(browser, live_server)
    log_in(admin_page, tender.lpse_admin.email)
    admin_page.goto("/pengadaan/penyedia/verifikasi/")
    card = admin_page.locator("[data-test=pending-vendor]", has_text=VENDOR_NAME)
    card.locator("[data-test=verify]").click()
    expect(admin_page.locator("[data-test=pending-vendor]", has_text=VENDOR_NAME)).to_have_count(0)
    admin_page.context.close()
    vendor_page.goto(f"/pengadaan/penyedia/{vendor.pk}/")
    expect(vendor_page.locator("[data-test=can-bid]")).to_have_text(re.compile(r"^(Ya|Yes)$"))

    # 3. the vendor finds the tender with the search box, opens it and asks a question
    vendor_page.goto("/pengadaan/tender/")
    expect(vendor_page.locator("[data-test=tender-row]")).to_have_count(2)
    vendor_page.fill("[data-test=search]", "embung oelpuah")
    vendor_page.click("[data-test=filter]")
    expect(vendor_page.locator("[data-test=tender-row]")).to_have_count(1)
    vendor_page.click("[data-test=tender-link]")
    vendor_page.wait_for_url(re.compile(rf"/pengadaan/tender/{package.pk}/$"))
    expect(vendor_page.locator("[data-test=code]")).to_have_text(package.code)
    vendor_page.fill("[data-test=ask-form] textarea[name=text]", QUESTION)
    vendor_page.click("[data-test=ask]")
    expect(vendor_page.locator("[data-test=question]")).to_contain_text(QUESTION)
    expect(vendor_page.locator("[data-test=answer]")).to_have_count(0)
    # the pokja answers (its page is tested in tests/eprocurement), the vendor reads it
    question_answer(question=package.questions.get(), actor=chair, answer=ANSWER)
    vendor_page.reload()
    expect(vendor_page.locator("[data-test=question] [data-test=answer]")).to_contain_text(ANSWER)

    # 4. the explanation ends and bidding goes on for two more hours (rows moved, see
    # move_schedule); the vendor seals a price and a document and submits
    move_schedule(package, phase="bidding")
    vendor_page.reload()
    expect(vendor_page.locator("[data-test=ask-form]")).to_have_count(0)
    vendor_page.click("[data-test=bid-link]")
    vendor_page.fill("input[name=price]", PRICE)
    vendor_page.click("[data-test=seal-price]")
    expect(vendor_page.locator("[data-test=bid-status]")).to_have_text(re.compile("Draf|Draft"))
    offer = pdf_file(tmp_path, "penawaran-teknis.pdf", "Metode pelaksanaan embung Oelpuah")
    vendor_page.select_option("select[name=kind]", "technical")
    vendor_page.set_input_files("input[name=file]", str(offer))
    vendor_page.click("[data-test=upload-document]")
    expect(vendor_page.locator("[data-test=bid-documents] tbody tr")).to_have_count(1)
    vendor_page.click("[data-test=submit]")
    vendor_page.wait_for_url(re.compile(r"/pengadaan/penawaran/\d+/tanda-terima/$"))
    # the receipt carries the SHA-256 of the receipt, of the sealed price and of the file
    bid = Bid.objects.get(package=package, vendor=vendor)
    assert bid.status == "submitted"
    receipt = vendor_page.locator("[data-test=receipt-current]")
    expect(receipt.locator("[data-test=receipt-hash]")).to_have_text(bid.receipt_sha256)
    expect(receipt.locator("[data-test=price-hash]")).to_have_text(bid.price_sha256)
    expect(receipt.locator("[data-test=document-hash]")).to_have_text(hashlib.sha256(offer.read_bytes()).hexdigest())
    # two more verified vendors bid higher, through the services
    others = [submitted_bid(package, v, price=p)[0] for v, p in zip(tender.vendors, OTHER_PRICES, strict=True)]

    # 5. the deadline passes now (rows moved: the bid deadline becomes this moment, the
    # opening window begins); two pokja members confirm the opening
    move_schedule(package, phase="opening", now=timezone.now() + HOUR)
    pokja_page = new_page(browser, live_server)
    for member in (second, chair):
        log_in(pokja_page, member.email, totp_secret=tender.pokja_secrets[member.pk])
        pokja_page.goto(f"/pengadaan/paket/{package.pk}/pembukaan/")
        expect(pokja_page.locator("[data-test=bid-count]")).to_have_text("3")
        pokja_page.click("[data-test=confirm]")
        if member is second:
            expect(pokja_page.locator("[data-test=confirmations]")).to_contain_text("Maria Nenotek")
            pokja_page.click("[data-test=logout]")
    expect(pokja_page.locator("[data-test=record-hash]")).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    expect(pokja_page.locator("[data-test=opened-bids] tbody tr")).to_have_count(3)
    expect(pokja_page.locator("[data-test=opened-bids]")).to_contain_text("870.000.000,00")

    # the chair evaluates the three bids, ranks them, records the proof of the first,
    # decides and announces the award
    pokja_page.goto(f"/pengadaan/paket/{package.pk}/evaluasi/")
    for each in (bid, *others):
        row = pokja_page.locator(f"[data-test=evaluation-row][data-bid='{each.pk}']")
        for part in ("administrative_pass", "qualification_pass", "technical_pass", "price_pass"):
            row.locator(f"select[name={part}]").select_option("1")
        row.locator("[data-test=evaluate]").click()
        expect(
            pokja_page.locator(f"[data-test=evaluation-row][data-bid='{each.pk}'] select[name=price_pass]")
        ).to_have_value("1")
    pokja_page.click("[data-test=rank]")
    first = pokja_page.locator(f"[data-test=evaluation-row][data-bid='{bid.pk}']")
    expect(first.locator("td").first).to_have_text("1")
    first.locator("select[name=proven]").select_option("1")
    first.locator("[data-test=prove]").click()
    expect(pokja_page.locator(f"[data-test=evaluation-row][data-bid='{bid.pk}']")).to_contain_text(
        re.compile("(Kualifikasi terbukti|Qualification proven): (ya|yes)")
    )
    pokja_page.goto(f"/pengadaan/paket/{package.pk}/pemenang/")
    pokja_page.select_option("select[name=bid]", str(bid.pk))
    pokja_page.click("[data-test=decide]")
    expect(pokja_page.locator("[data-test=winner]")).to_have_text(VENDOR_NAME)
    pokja_page.click("[data-test=announce]")
    expect(pokja_page.locator("[data-test=announce]")).to_have_count(0)
    pokja_page.context.close()

    # 6. the vendor sees the result on the public tender page
    vendor_page.goto(f"/pengadaan/tender/{package.pk}/")
    result = vendor_page.locator("[data-test=tender-result]")
    expect(result.locator("[data-test=winner]")).to_have_text(VENDOR_NAME)
    expect(result).to_contain_text("Rp870.000.000,00")
    rows = result.locator("[data-test=result-row]")
    expect(rows).to_have_count(3)
    names = [VENDOR_NAME, *(o.vendor.name for o in others)]
    for rank, (row_name, price) in enumerate(
        zip(names, ("870.000.000,00", "905.000.000,00", "931.500.000,00"), strict=True), 1
    ):
        expect(rows.nth(rank - 1)).to_contain_text(row_name)
        expect(rows.nth(rank - 1).locator("td").first).to_have_text(str(rank))
        expect(rows.nth(rank - 1)).to_contain_text(price)
    vendor_page.context.close()
