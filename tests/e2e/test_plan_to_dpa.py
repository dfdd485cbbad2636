"""Issue 3's chain in the browser, on the demo data: a planner drafts and submits a plan
item, Bappeda verifies and approves it, a budget officer budgets it in the RKA and
submits, BPKAD (two-factor) verifies and approves the DPA.

The demo's 2027 already has Dinas PUPR's DPA, so the story runs in 2026, the other open
year; Bappeda has set the agency's 2026 ceiling beforehand (its own page is tested
elsewhere)."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from eplanning.services.ceilings import agency_ceiling_set
from portal.choices import Role
from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_email
from portal.models import Agency, FiscalYear, User
from tests.support.totp import fresh_totp_code

pytestmark = pytest.mark.e2e

SUB_ACTIVITY = "1.03.10.1.01.0031"  # Rekonstruksi Jalan, the province's variant of the shipped list
ACCOUNT = "5.2.04.01.01.0002"  # Belanja Modal Jalan Provinsi


@pytest.fixture
def pupr_2026(demo_data):
    agency = Agency.objects.get(region__code="53", code="DPUPR")
    year = FiscalYear.objects.get(year=2026)
    bappeda = User.objects.get(email=demo_email(Role.PLAN_VERIFIER))
    agency_ceiling_set(actor=bappeda, agency=agency, fiscal_year=year, amount=Decimal("2000000000"))
    return agency, year


def log_in(page, role, *, totp=False):
    page.goto("/accounts/login/")
    page.fill("input[name=login]", demo_email(role))
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("[data-test=login-submit]")
    if totp:
        page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
        page.fill("input[name=code]", fresh_totp_code(DEMO_TOTP_SECRET))
        page.press("input[name=code]", "Enter")
    page.wait_for_url(re.compile(r"/$"))


def log_out(page):
    page.click("[data-test=logout]")
    expect(page.locator("[data-test=login]")).to_be_visible()


def click_and_expect_status(page, action, status):
    page.click(f"[data-test={action}]")
    expect(page.locator("[data-test=status]")).to_have_text(re.compile(status))


def test_a_plan_item_goes_from_draft_to_an_approved_dpa(page, pupr_2026):
    agency, year = pupr_2026
    from ebudgeting.models import AccountCode

    account = AccountCode.objects.get(code=ACCOUNT)

    # the planner drafts the item in the form and submits it
    log_in(page, Role.PLANNER)
    page.goto("/perencanaan/rencana/baru/")
    page.select_option("select[name=agency]", str(agency.pk))
    page.select_option("select[name=fiscal_year]", str(year.pk))
    page.fill("input[name=sub_activity_code]", SUB_ACTIVITY)
    page.fill("input[name=title]", "Rekonstruksi Jalan Provinsi Ruas Baun–Teunbaun")
    page.fill("input[name=indicative_ceiling]", "500000000")
    row = page.locator("[data-test=indicator-row]").first
    row.locator("input[name=ind_name]").fill("Panjang jalan yang direkonstruksi")
    row.locator("input[name=ind_unit]").fill("km")
    for field, value in (("year", "2"), ("q1", "0"), ("q2", "0.5"), ("q3", "1.2"), ("q4", "2")):
        row.locator(f"input[name=ind_target_{field}]").fill(value)
    page.click("[data-test=save]")
    page.wait_for_url(re.compile(r"/perencanaan/rencana/\d+/$"))
    plan_url = page.url
    click_and_expect_status(page, "submit", "Diajukan|Submitted")
    log_out(page)

    # Bappeda verifies and approves it
    log_in(page, Role.PLAN_VERIFIER)
    page.goto(plan_url)
    click_and_expect_status(page, "verify", "Diverifikasi|Verified")
    click_and_expect_status(page, "approve", "Disetujui|Approved")
    log_out(page)

    # the budget officer starts the RKA, budgets the item with its cash plan and submits
    log_in(page, Role.BUDGET_OFFICER)
    page.goto("/anggaran/dokumen/")
    page.click("details:has([data-test=document-create]) > summary")
    page.select_option("[data-test=document-create] select[name=agency]", str(agency.pk))
    page.select_option("[data-test=document-create] select[name=fiscal_year]", str(year.pk))
    page.click("[data-test=document-start]")
    page.wait_for_url(re.compile(r"/anggaran/dokumen/\d+/$"))
    document_url = page.url
    page.click("[data-test=add-line]")
    form = page.locator("[data-test=line-form]")
    form.locator("select[name=plan_item]").select_option(index=1)
    form.locator("input[name=account]").fill(account.code)
    form.locator("select[name=funding_source]").select_option(label="Pendapatan Asli Daerah (PAD)")
    form.locator("input[name=description]").fill("Rekonstruksi jalan ruas Baun–Teunbaun")
    form.locator("input[name=volume]").fill("2")
    form.locator("input[name=unit]").fill("km")
    form.locator("input[name=unit_price]").fill("240000000")
    form.locator("input[name=month_6]").fill("180000000")
    form.locator("input[name=month_9]").fill("300000000")
    form.locator("[data-test=save-line]").click()
    expect(page.locator("[data-test=line]")).to_have_count(1)
    click_and_expect_status(page, "submit", "Diajukan|Submitted")
    log_out(page)

    # BPKAD verifies and approves it as the DPA
    log_in(page, Role.BUDGET_VERIFIER, totp=True)
    page.goto(document_url)
    click_and_expect_status(page, "verify", "Diverifikasi|Verified")
    click_and_expect_status(page, "approve", r"DPA")
    expect(page.locator("[data-test=dpa-number]")).to_have_text("DPA/DPUPR/2026/1")
    expect(page.locator("h1")).to_contain_text("DPA")
