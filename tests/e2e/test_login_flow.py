"""A demo staff member with two-factor log-in goes through the whole day's frame:
log in, see their home page, switch language and back, log out."""

import re

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_email
from tests.support.totp import fresh_totp_code

pytestmark = pytest.mark.e2e


def _switch_language(page, code):
    page.click(f"[data-test=lang-{code}]")
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator(f"[data-test=lang-{code}]")).to_have_attribute("aria-pressed", "true")


def test_demo_pokja_logs_in_with_two_factor_switches_language_and_logs_out(page, demo_data):
    # given the demo pokja member (a role that requires two-factor log-in)
    page.goto("/accounts/login/")
    # when they log in with e-mail and password, then the code from their app
    page.fill("input[name=login]", demo_email("pokja"))
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("[data-test=login-submit]")
    page.wait_for_url(re.compile(r"/accounts/2fa/authenticate/$"))
    page.fill("input[name=code]", fresh_totp_code(DEMO_TOTP_SECRET))
    page.press("input[name=code]", "Enter")
    # then their home page welcomes them and lists their roles
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("[data-test=home-title]")).to_be_visible()
    expect(page.locator("#roles-h + table tbody tr")).not_to_have_count(0)
    # and the page switches to English and back to Bahasa Indonesia
    _switch_language(page, "en")
    expect(page.locator("[data-test=logout]")).to_have_text("Log out")
    _switch_language(page, "id")
    expect(page.locator("[data-test=logout]")).not_to_have_text("Log out")
    expect(page.locator("[data-test=home-title]")).to_be_visible()
    # and logging out ends the session
    page.click("[data-test=logout]")
    expect(page.locator("[data-test=login]")).to_be_visible()
    expect(page.locator("[data-test=who]")).to_have_count(0)
