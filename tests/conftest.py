import pytest

from tests.factories import AgencyFactory, MembershipFactory, RegionFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """A transactional test flushes every table, the code lists the migrations ship too;
    a database kept by --reuse-db after such a run gets them back before the first test."""
    from django.apps import apps
    from django.db import transaction

    from ebudgeting.models import AccountCode, FundingSource
    from ebudgeting.services.codes import load_funding_sources, load_shipped_account_codes
    from eplanning.models import Nomenclature
    from eplanning.services.codes import load_shipped_nomenclature

    with django_db_blocker.unblock(), transaction.atomic():
        if not Nomenclature.objects.exists():
            load_shipped_nomenclature(apps)
        if not AccountCode.objects.exists():
            load_shipped_account_codes(apps)
        if not FundingSource.objects.exists():
            load_funding_sources(apps)


@pytest.fixture
def province(db):
    return RegionFactory(code="53", name="Provinsi Nusa Tenggara Timur", kind="province", parent=None)


@pytest.fixture
def kab_kupang(province):
    return RegionFactory(code="53.01", name="Kabupaten Kupang", kind="regency", parent=province)


@pytest.fixture
def kota_kupang(province):
    return RegionFactory(code="53.71", name="Kota Kupang", kind="city", parent=province)


@pytest.fixture
def make_member(db):
    """A person holding ``role`` in ``agency`` (with the role's default reach)."""

    def make(agency, role="planner", scope=None, **user_fields):
        user = UserFactory(**user_fields)
        MembershipFactory(user=user, agency=agency, role=role, scope=scope)
        return user

    return make


@pytest.fixture
def kab_kupang_kominfo(kab_kupang):
    return AgencyFactory(region=kab_kupang, code="DISKOMINFO", name="Dinas Komunikasi dan Informatika")


@pytest.fixture
def kota_kupang_kominfo(kota_kupang):
    return AgencyFactory(region=kota_kupang, code="DISKOMINFO", name="Dinas Komunikasi dan Informatika")


@pytest.fixture
def english(client, settings):
    """The test client asking for English pages (they speak Bahasa Indonesia first), for
    tests that read a message; returns the client."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def english_api(api_client):
    """The API client asking for English answers (Accept-Language); returns it."""
    api_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return api_client


@pytest.fixture
def empty_cache():
    """Log-in rate limits and used TOTP codes live in the cache: a test that logs in
    starts, and leaves, without another test's counts."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def activate_totp(db):
    """Sets up an authenticator app for a person, as allauth stores it; returns the
    Base32 secret, so a test can compute the codes (tests.support.totp)."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    def activate(user, secret=None):
        secret = secret or generate_totp_secret()
        TOTP.activate(user, secret)
        return secret

    return activate


@pytest.fixture
def make_admin(db):
    """A Kominfo admin of ``agency`` as the admin site makes one (granted through the
    service, so also staff), with an authenticator app, so the two-factor rule lets
    them in."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from portal.services import membership_grant

    def make(agency, scope=None, **user_fields):
        user = UserFactory(**user_fields)
        membership_grant(user=user, agency=agency, role="kominfo_admin", scope=scope, actor=None)
        TOTP.activate(user, generate_totp_secret())
        return user

    return make


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _english_messages():
    """Tests read the messages services raise in English; pages still speak Bahasa
    Indonesia first (the locale middleware chooses per request), and the tests that
    check a translation ask for it explicitly."""
    from django.utils import translation

    with translation.override("en"):
        yield
