"""Issue 5 in the browser: a monev officer reports a month of a contract with a photo,
Bappeda's verifier returns it, the officer corrects it and the verifier accepts it; the
monitoring dashboard and the trace page then show the new figures.

The live server runs on the real clock, so the contract runs in 2026 (March to December)
and the month reported is October 2026: it has ended, and stays reportable later on.
September is reported and accepted beforehand (through the services); an SP2D of
Rp300,000,000 on 20 October is what October's financial progress is read from.
"""

import datetime
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from emonev.services.evidence import evidence_add
from emonev.services.reports import progress_report_accept, progress_report_create, progress_report_submit
from tests.emonev.factories import even_curve, monev_world, realize, upload
from tests.emonev.factories import set_contract_curve as _set_curve

pytestmark = pytest.mark.e2e

PASSWORD = "rahasia-uji-123"  # tests.factories.UserFactory's password
PERIOD = "2026-10"
MONTH = "10/2026"


@pytest.fixture
def monev(transactional_db, empty_cache, settings, tmp_path, kab_kupang):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = monev_world(kab_kupang, starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 12, 31))
    _set_curve(world, *even_curve(10, world.contract.value))  # 10 % a month: October plans 80 %
    realize(world.lines[0], "200000000", datetime.date(2026, 9, 10), subject=world.contract)
    realize(world.lines[0], "300000000", datetime.date(2026, 10, 20), subject=world.contract)
    september = progress_report_create(
        contract=world.contract, year=2026, month=9, data={"physical_pct": "66"}, actor=world.officer
    )
    evidence_add(report=september, upload=upload("september.jpg"), actor=world.officer)
    progress_report_submit(report=september, actor=world.officer)
    progress_report_accept(report=september, actor=world.verifier)
    world.photo = tmp_path / "foto-oktober.jpg"
    Image.new("RGB", (64, 48), (120, 150, 90)).save(world.photo, format="JPEG")
    return world


def log_in(page, user):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("[data-test=login-submit]")
    page.wait_for_url(re.compile(r"/$"))


def log_out(page):
    page.click("[data-test=logout]")
    expect(page.locator("[data-test=login]")).to_be_visible()


def expect_status(page, status):
    expect(page.locator("[data-test=status]")).to_contain_text(re.compile(status))


def test_a_month_is_reported_returned_corrected_and_accepted(page, monev):
    contract = monev.contract

    # The officer starts October's report, types 72 %, attaches a photo and submits.
    log_in(page, monev.officer)
    page.goto(f"/monev/kontrak/{contract.pk}/")
    page.select_option("select[name=period]", PERIOD)
    page.click("[data-test=new-report]")
    page.wait_for_url(re.compile(r"/monev/laporan/\d+/ubah/$"))
    report_url = page.url.removesuffix("ubah/")
    page.fill("[name=physical_pct]", "72")
    page.fill("[name=problems]", "Hujan deras minggu ketiga.")
    page.click("[data-test=save-report]")
    page.goto(report_url + "ubah/")
    page.set_input_files("input[name=file]", str(monev.photo))
    page.fill("input[name=caption]", "Pengaspalan km 1+200")
    page.click("[data-test=upload]")
    expect(page.locator("[data-test=evidence]")).to_contain_text("foto-oktober.jpg")
    page.click("[data-test=submit]")
    page.wait_for_url(report_url)
    expect_status(page, "Diajukan|Submitted")
    expect(page.locator("[data-test=physical]")).to_have_text(re.compile(r"^72[.,]00$"))
    expect(page.locator("[data-test=financial]")).to_contain_text(re.compile(r"500[.,]000[.,]000"))
    log_out(page)

    # Bappeda's verifier finds it in the queue and returns it.
    log_in(page, monev.verifier)
    page.goto("/monev/verifikasi/")
    page.locator("[data-test=queue-row]").filter(has_text=contract.number).get_by_role("link").first.click()
    page.wait_for_url(report_url)
    comment = "Foto tidak menunjukkan progres 72%; periksa kembali."
    page.fill("form:has([data-test=return]) textarea[name=comment]", comment)
    page.click("[data-test=return]")
    expect_status(page, "Dikembalikan|Returned")
    log_out(page)

    # The officer corrects the figure and submits again; the photo is still attached.
    log_in(page, monev.officer)
    page.goto(report_url)
    expect(page.locator("[data-test=verifier-comment]")).to_have_text(comment)
    page.click("[data-test=edit]")
    page.fill("[name=physical_pct]", "70,5")
    page.click("[data-test=save-report]")
    page.goto(report_url + "ubah/")
    page.click("[data-test=submit]")
    expect_status(page, "Diajukan|Submitted")
    expect(page.locator("[data-test=physical]")).to_have_text(re.compile(r"^70[.,]50$"))
    log_out(page)

    # The verifier accepts it.
    log_in(page, monev.verifier)
    page.goto(report_url)
    page.click("[data-test=accept]")
    expect_status(page, "Diterima|Accepted")

    # The dashboard (the agency's contracts, 2026) and the contract's S-curve show October.
    page.goto(f"/monev/dasbor/?year=2026&region={contract.package.agency.region.code}&agency={monev.agency.pk}")
    row = page.locator("[data-test=contract-row]").filter(has_text=contract.number)
    expect(row.locator("[data-test=reported-month]")).to_have_text(MONTH)
    expect(row.locator("[data-test=physical]")).to_have_text(re.compile(r"^70[.,]50$"))
    expect(row.locator("[data-test=planned]")).to_have_text(re.compile(r"^80[.,]00$"))
    page.goto(f"/monev/dasbor/kontrak/{contract.pk}/")
    october = page.locator(f"[data-test=curve-month][data-month='{MONTH}']")
    # Its cells: the month, planned %, actual % (from accepted reports).
    expect(october.locator("td").nth(2)).to_have_text(re.compile(r"^70[.,]50$"))

    # The trace page follows the contract to its monthly progress.
    page.goto(f"/monev/jejak/kontrak/{contract.pk}/")
    october = page.locator(f"[data-test=trace-report][data-month='{MONTH}']")
    expect(october.locator("[data-test=physical]")).to_have_text(re.compile(r"^70[.,]50$"))
    expect(october.locator("[data-test=report-status]")).to_contain_text(re.compile("Diterima|Accepted"))
