from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import CommandError, call_command

from portal.audit import verify_chain
from portal.bench_data import (
    BENCH_LEADER_EMAIL,
    BENCH_PLANNER_EMAIL,
    KEMENDAGRI_PROVINCE_CODES,
    STAFF_ROLES,
)
from portal.choices import DeliveryStatus, Scope
from portal.models import Agency, AuditEntry, Membership, Notification, Region, User, region_code_validator

pytestmark = pytest.mark.django_db

BENCH_MODELS = (Region, Agency, User, Membership, Notification)


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_bench", *args, stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model: model.objects.count() for model in BENCH_MODELS}


def test_tiny_scale_seeds_marked_agencies_people_and_notifications():
    seed("--scale", "tiny")

    agencies = Agency.objects.all()
    assert Region.objects.count() == 23 and agencies.count() == 23 * 2
    assert all(a.code.startswith("BENCH-") and a.name.startswith("[bench] ") for a in agencies)
    staff = User.objects.exclude(email__in=[BENCH_PLANNER_EMAIL, BENCH_LEADER_EMAIL])
    assert staff.count() == 23 * 2 * 2 and not staff.exclude(email__endswith="@bench.ntt.test").exists()
    assert Membership.objects.count() == User.objects.count()
    assert Notification.objects.count() == User.objects.count() * 3
    assert set(Notification.objects.values_list("email_status", flat=True)) == {DeliveryStatus.SKIPPED}


def test_the_bench_accounts_are_a_planner_and_the_province_coordinator_without_second_factor():
    seed("--scale", "tiny")

    planner = Membership.objects.select_related("agency__region").get(user__email=BENCH_PLANNER_EMAIL)
    leader = Membership.objects.get(user__email=BENCH_LEADER_EMAIL)
    assert (planner.role, planner.scope, planner.agency.region.code) == ("planner", Scope.AGENCY, "53")
    assert (leader.role, leader.scope) == ("leader", Scope.PROVINCE)
    assert EmailAddress.objects.filter(email__in=[BENCH_PLANNER_EMAIL, BENCH_LEADER_EMAIL], verified=True).count() == 2
    mfa_roles = set(settings.PORTAL_MFA_REQUIRED_ROLES)
    assert not mfa_roles & {*STAFF_ROLES, planner.role, leader.role}


def test_overrides_change_the_scale():
    seed("--scale", "tiny", "--agencies-per-region", "1", "--staff-per-agency", "1", "--notifications-per-user", "0")

    assert Agency.objects.count() == 23
    assert User.objects.count() == 23 + 2
    assert not Notification.objects.exists()


def test_a_second_seed_is_refused_and_changes_nothing():
    seed("--scale", "tiny")
    before = counts()

    with pytest.raises(CommandError, match="--replace"):
        seed("--scale", "tiny")

    assert counts() == before


def test_if_empty_leaves_existing_bench_data_alone():
    seed("--scale", "tiny")
    before, entries = counts(), AuditEntry.objects.count()

    seed("--scale", "tiny", "--if-empty", "--agencies-per-region", "1")

    assert counts() == before and AuditEntry.objects.count() == entries


def test_replace_and_remove_touch_bench_rows_only():
    call_command("load_demo", "--force", stdout=StringIO())
    demo = counts()
    seed("--scale", "tiny")

    seed("--scale", "tiny", "--replace", "--agencies-per-region", "1")
    assert Agency.objects.count() == demo[Agency] + 23

    seed("--remove")
    assert counts() == demo
    assert Agency.objects.filter(code="UKPBJ").count() == 23
    assert verify_chain() is None


def test_national_scale_adds_synthetic_provinces_under_codes_no_province_has():
    seed(
        "--scale", "national", "--agencies-per-region", "1", "--staff-per-agency", "0", "--notifications-per-user", "0"
    )

    synthetic = Region.objects.filter(name__startswith="[bench] ")
    provinces = synthetic.filter(parent__isnull=True)
    assert provinces.count() == 37
    assert not {p.code for p in provinces} & KEMENDAGRI_PROVINCE_CODES
    assert synthetic.count() == 37 * 14 and Region.objects.count() == 23 + 37 * 14
    assert all(r.code.split(".")[0] == r.parent.code for r in synthetic.filter(parent__isnull=False))
    for region in synthetic:
        region_code_validator(region.code)
    assert synthetic.filter(kind="city").count() == 37
