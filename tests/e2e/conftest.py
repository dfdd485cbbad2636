"""Browser tests: Playwright (sync API) drives Debian's Chromium against pytest-django's
live server, which runs the portal in a thread of this process on a transactional
test database.
"""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="package", autouse=True)
def _allow_orm_beside_playwright():
    """Playwright's sync API runs an event loop in this thread, so Django takes every ORM
    call here (fixtures, flushing the database) for one made from async code. No async
    code of ours is involved. Only for these tests: elsewhere the check stays, and
    ``manage.py check --deploy`` run by other tests must not see the variable."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="package")
def browser(_allow_orm_beside_playwright):
    """One Chromium for the browser tests, closed after them, so its event loop is gone
    before the other tests run."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); CI installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser profile (no cookies) pointed at the live server."""
    context = browser.new_context(base_url=live_server.url, locale="id-ID")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_data(transactional_db, empty_cache):
    """The NTT demo data with its demo accounts (portal.demo), as `make run` loads it."""
    from django.core.management import call_command

    _ensure_reference_lists()
    call_command("load_demo", force=True, verbosity=0)


def _ensure_reference_lists():
    """The code lists and funding sources the migrations ship: a transactional test before
    this one flushed them with every other table, and the demo's plans and budgets use them."""
    from django.apps import apps
    from django.db import transaction

    from ebudgeting.models import AccountCode
    from ebudgeting.services.codes import load_funding_sources, load_shipped_account_codes
    from eplanning.models import Nomenclature
    from eplanning.services.codes import load_shipped_nomenclature

    with transaction.atomic():
        if not Nomenclature.objects.exists():
            load_shipped_nomenclature(apps)
        if not AccountCode.objects.exists():
            load_shipped_account_codes(apps)
        load_funding_sources(apps)
