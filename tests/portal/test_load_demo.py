from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from portal.audit import verify_chain
from portal.choices import Role, Scope
from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, demo_email
from portal.demo_data import demo_accounts
from portal.models import Agency, AuditEntry, FiscalYear, Membership, Region, User

pytestmark = pytest.mark.django_db

NTT_CODES = ["53", *[f"53.{n:02d}" for n in range(1, 22)], "53.71"]
MFA_ROLES = {Role.KOMINFO_ADMIN, Role.POKJA, Role.SIGNATORY, Role.BUDGET_VERIFIER}
ROW_MODELS = (Region, Agency, FiscalYear, User, Membership, EmailAddress, Authenticator, AuditEntry)


def load(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("load_demo", "--force", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo():
    return load()


@pytest.fixture
def cache(settings):
    # A private cache, so allauth's "code already used" marks never leak between runs.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_loads_the_province_and_its_regencies_and_cities_with_their_kemendagri_codes(demo):
    regions = {r.code: r for r in Region.objects.select_related("parent")}
    assert sorted(regions) == NTT_CODES
    assert regions["53"].name == "Provinsi Nusa Tenggara Timur" and regions["53"].kind == "province"
    assert regions["53.01"].name == "Kabupaten Kupang" and regions["53.01"].kind == "regency"
    assert regions["53.18"].name == "Kabupaten Sumba Barat Daya"
    assert regions["53.71"].name == "Kota Kupang" and regions["53.71"].kind == "city"
    assert {r.parent.code for code, r in regions.items() if code != "53"} == {"53"}


def test_every_region_gets_the_ten_typical_agencies(demo):
    per_region = {code: set() for code in NTT_CODES}
    for region_code, code in Agency.objects.values_list("region__code", "code"):
        per_region[region_code].add(code)
    expected = {"BAPPEDA", "BPKAD", "DISKOMINFO", "DPUPR", "DINKES", "DISDIK", "INSPEKTORAT", "UKPBJ", "PROKOPIM"}
    assert all(codes == expected | {"DISPUSIP"} for codes in per_region.values())
    assert Agency.objects.get(region__code="53", code="UKPBJ").name == "Biro Pengadaan Barang dan Jasa"
    assert Agency.objects.get(region__code="53.05", code="UKPBJ").name == "Bagian Pengadaan Barang dan Jasa"


def test_fiscal_years_2026_and_2027_are_open(demo):
    assert set(FiscalYear.objects.filter(is_open=True).values_list("year", flat=True)) >= {2026, 2027}


def test_one_demo_account_per_role_in_a_province_agency(demo):
    for role in Role:
        membership = Membership.objects.select_related("agency__region").get(user__email=demo_email(role))
        assert membership.role == role and membership.agency.region.code == "53"
    leader = Membership.objects.get(user__email=demo_email(Role.LEADER))
    assert (leader.agency.code, leader.scope) == ("PROKOPIM", Scope.PROVINCE)
    assert Membership.objects.get(user__email=demo_email(Role.POKJA)).agency.code == "UKPBJ"
    assert User.objects.get(email=demo_email(Role.KOMINFO_ADMIN)).is_staff
    assert not User.objects.get(email=demo_email(Role.PLANNER)).is_staff


def test_the_roles_that_require_two_factor_have_the_demo_totp_secret(demo):
    totp = Authenticator.objects.filter(type=Authenticator.Type.TOTP).select_related("user")
    assert {a.user.email for a in totp} == {a.email for a in demo_accounts() if a.role in MFA_ROLES}
    assert {demo_email(role) for role in MFA_ROLES} <= {a.user.email for a in totp}
    assert {a.wrap().instance.data["secret"] for a in totp} == {DEMO_TOTP_SECRET}


def test_every_demo_account_has_a_verified_primary_address(demo):
    unverified = EmailAddress.objects.filter(user__email__endswith="@demo.ntt.test").exclude(
        verified=True, primary=True
    )
    # Apps' loaders add accounts of their own (vendors), each with its address too.
    assert EmailAddress.objects.count() == User.objects.count()
    assert Membership.objects.values("user").distinct().count() == len(demo_accounts()) == len(Role) + 7
    assert not unverified.exists()


def test_the_regency_planners_see_their_own_agency_and_the_leader_sees_the_province(demo):
    kab = User.objects.get(email="planner.kab-kupang@demo.ntt.test")
    leader = User.objects.get(email=demo_email(Role.LEADER))
    assert list(Agency.objects.visible_to(kab).values_list("region__code", "code")) == [("53.01", "DPUPR")]
    assert Agency.objects.visible_to(leader).count() == Agency.objects.count()
    assert not Agency.objects.editable_by(leader).filter(region__code="53.71").exists()


def test_a_second_run_adds_no_rows_and_no_audit_entries(demo):
    before = {model: model.objects.count() for model in ROW_MODELS}
    password = User.objects.get(email=demo_email(Role.PLANNER)).password

    output = load()

    assert {model: model.objects.count() for model in ROW_MODELS} == before
    assert User.objects.get(email=demo_email(Role.PLANNER)).password == password
    assert "nothing changed" in output


def test_the_load_is_audited_and_the_chain_holds(demo):
    assert AuditEntry.objects.filter(action="grant").count() == len(demo_accounts())
    assert AuditEntry.objects.filter(action="create", object_type="portal.demo").count() == 1
    assert verify_chain() is None


def test_the_output_lists_the_accounts_password_and_totp_secret(demo):
    assert demo_email(Role.SIGNATORY) in demo and "planner.kota-kupang@demo.ntt.test" in demo
    assert DEMO_PASSWORD in demo and DEMO_TOTP_SECRET in demo and "demo_totp" in demo


def test_refuses_without_debug_unless_forced(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("load_demo", stdout=StringIO())
    assert not Region.objects.exists()


def test_a_demo_account_logs_in_with_the_password(demo, client, cache):
    response = client.post(reverse("account_login"), {"login": demo_email(Role.PLANNER), "password": DEMO_PASSWORD})

    assert response.status_code == 302 and response.url == reverse("portal:home")
    assert client.get(reverse("portal:home")).context["user"].email == demo_email(Role.PLANNER)


def test_a_two_factor_account_logs_in_with_the_code_demo_totp_prints(demo, client, cache):
    response = client.post(reverse("account_login"), {"login": demo_email(Role.POKJA), "password": DEMO_PASSWORD})
    assert response.status_code == 302 and response.url == reverse("mfa_authenticate")
    code = StringIO()
    call_command("demo_totp", stdout=code, stderr=StringIO())

    response = client.post(reverse("mfa_authenticate"), {"code": code.getvalue().strip()})

    assert response.status_code == 302 and response.url == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200


def test_demo_totp_prints_a_code_allauth_accepts(db):
    out = StringIO()
    call_command("demo_totp", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    assert validate_totp_code(DEMO_TOTP_SECRET, code)
