"""Synthetic data for the benchmarks (``manage.py seed_bench``), at province or national scale.

It lives in ``portal`` beside its command because the apps may not import ``bench``
(import-linter); ``bench/run.py`` runs the command.

Everything made here is marked as bench data, so it is never mistaken for real records
and ``seed_bench --remove`` finds all of it and nothing else:

- agencies have codes ``BENCH-0001``, ``BENCH-0002``, ... and names starting ``[bench]``;
- people have addresses ``@bench.ntt.test``;
- synthetic regions (national scale only) have names starting ``[bench]``.

Region codes: the province scale seeds onto NTT's 23 real regions. The codes of the other
provinces' regencies are not in ``shared/data``, so the national scale does not invent
them: it adds synthetic provinces under two-digit codes that no Indonesian province has
(the 38 that exist are in ``KEMENDAGRI_PROVINCE_CODES``, listed only to be avoided), each
with regencies ``.01``-``.12`` and a city ``.71``, the usual pattern. They can collide
neither with NTT (``53``) nor with any real province.

Bench rows are written with ``bulk_create`` and recorded by one audit entry per seed or
removal, not one per row: they are synthetic, nobody's decision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .audit import audit_record
from .choices import AuditAction, DeliveryStatus, RegionKind, Role, Scope
from .demo_data import PROVINCE_CODE, ensure_fiscal_years, ensure_ntt_regions
from .models import Agency, Membership, Notification, Region, User

BENCH_AGENCY_PREFIX = "BENCH-"
BENCH_NAME_PREFIX = "[bench] "
BENCH_EMAIL_DOMAIN = "bench.ntt.test"
BENCH_PASSWORD = "Bench-NTT-2026"  # noqa: S105 (bench data only)
# The accounts the benchmark logs in as: an ordinary planner (agency reach) and the
# province coordinator (reads every regency).
BENCH_PLANNER_EMAIL = f"planner@{BENCH_EMAIL_DOMAIN}"
BENCH_LEADER_EMAIL = f"leader@{BENCH_EMAIL_DOMAIN}"
# Agency-scoped roles without a second factor, so any bench account can be logged in.
STAFF_ROLES = (
    Role.PLANNER,
    Role.BUDGET_OFFICER,
    Role.PPK,
    Role.MONEV_OFFICER,
    Role.TREASURER,
    Role.LETTER_SECRETARY,
    Role.AGENDA_MANAGER,
)
# Sumatra 1x, Java 3x, Bali-Nusa Tenggara 5x, Kalimantan 6x, Sulawesi 7x, Maluku 8x, Papua 9x.
KEMENDAGRI_PROVINCE_CODES = frozenset(
    str(code)
    for code in (
        *range(11, 20),
        21,
        *range(31, 37),
        *range(51, 54),
        *range(61, 66),
        *range(71, 77),
        81,
        82,
        *range(91, 97),
    )
)
SYNTHETIC_PROVINCE_CODES = tuple(str(n) for n in range(10, 100) if str(n) not in KEMENDAGRI_PROVINCE_CODES)
_BATCH = 2000


@dataclass(frozen=True)
class Scale:
    synthetic_provinces: int
    regencies_per_province: int  # per synthetic province, besides its one city
    agencies_per_region: int
    staff_per_agency: int
    notifications_per_user: int


SCALES = {
    # For tests: a second or two.
    "tiny": Scale(0, 0, 2, 2, 3),
    # NTT in full use: 23 regions x 40 agencies, 5 staff each, 50 notifications each
    # (920 agencies, ~4,600 people, ~230,000 notifications).
    "province": Scale(0, 0, 40, 5, 50),
    # 38 provinces of ~14 regions each, smaller per agency so it seeds in a few
    # minutes on 2 cores (541 regions, ~8,100 agencies, ~24,000 people, ~243,000 notifications).
    "national": Scale(37, 12, 15, 3, 10),
}


class BenchDataExists(Exception):
    """Bench data is already there; remove it first (``seed_bench --replace``)."""


def bench_data_exists() -> bool:
    return (
        Agency.objects.filter(code__startswith=BENCH_AGENCY_PREFIX).exists()
        or User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}").exists()
        or Region.objects.filter(name__startswith=BENCH_NAME_PREFIX).exists()
    )


def seed(*, scale: Scale) -> Counter:
    """Create the bench data for ``scale`` in one transaction; the rows made, by kind."""
    created = Counter()
    with transaction.atomic():
        if bench_data_exists():
            raise BenchDataExists
        regions = list(ensure_ntt_regions(created).values()) + _synthetic_regions(scale, created)
        ensure_fiscal_years(created)
        agencies = _agencies(regions, scale, created)
        staff = _staff(agencies, scale, created)
        staff += _bench_accounts(next(a for a in agencies if a.region.code == PROVINCE_CODE), created)
        _notifications(staff, scale, created)
        created = +created  # keeps only what was really added
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            object_type="portal.bench",
            object_label="bench data",
            changes=created,
        )
    return created


def remove() -> Counter:
    """Delete every bench row (and only those); the rows removed, by kind."""
    removed = Counter()
    with transaction.atomic():
        users = User.objects.filter(email__endswith=f"@{BENCH_EMAIL_DOMAIN}")
        agencies = Agency.objects.filter(code__startswith=BENCH_AGENCY_PREFIX, name__startswith=BENCH_NAME_PREFIX)
        regions = Region.objects.filter(name__startswith=BENCH_NAME_PREFIX)
        # The big tables first, in single statements, so the user deletion below has
        # little left to cascade to.
        removed["notifications"] = Notification.objects.filter(recipient__in=users).delete()[0]
        removed["memberships"] = Membership.objects.filter(Q(user__in=users) | Q(agency__in=agencies)).delete()[0]
        removed["users"] = users.delete()[1].get(User._meta.label, 0)
        removed["agencies"] = agencies.delete()[0]
        # Regencies before their provinces: a region's parent is protected.
        removed["regions"] = regions.filter(parent__isnull=False).delete()[0] + regions.delete()[0]
        removed = +removed
        if removed:
            audit_record(
                actor=None,
                action=AuditAction.DELETE,
                object_type="portal.bench",
                object_label="bench data",
                changes=removed,
            )
    return removed


def _synthetic_regions(scale: Scale, created: Counter) -> list[Region]:
    codes = SYNTHETIC_PROVINCE_CODES[: scale.synthetic_provinces]
    provinces = Region.objects.bulk_create(
        Region(code=code, name=f"{BENCH_NAME_PREFIX}Provinsi Sintetis {code}", kind=RegionKind.PROVINCE)
        for code in codes
    )
    below = [
        (province, f"{province.code}.{n:02d}", "Kabupaten", RegionKind.REGENCY)
        for province in provinces
        for n in range(1, scale.regencies_per_province + 1)
    ] + [(province, f"{province.code}.71", "Kota", RegionKind.CITY) for province in provinces]
    regions = provinces + Region.objects.bulk_create(
        (
            Region(code=code, name=f"{BENCH_NAME_PREFIX}{word} Sintetis {code}", kind=kind, parent=province)
            for province, code, word, kind in below
        ),
        batch_size=_BATCH,
    )
    created["regions"] += len(regions)
    return regions


def _agencies(regions: Sequence[Region], scale: Scale, created: Counter) -> list[Agency]:
    agencies = Agency.objects.bulk_create(
        (
            Agency(
                region=region,
                code=f"{BENCH_AGENCY_PREFIX}{n:04d}",
                name=f"{BENCH_NAME_PREFIX}Dinas Sintetis {n:03d}",
                short_name=f"Bench {n}",
            )
            for region in regions
            for n in range(1, scale.agencies_per_region + 1)
        ),
        batch_size=_BATCH,
    )
    created["agencies"] += len(agencies)
    return agencies


def _staff(agencies: Sequence[Agency], scale: Scale, created: Counter) -> list[User]:
    people = [(agency, n) for agency in agencies for n in range(scale.staff_per_agency)]
    users = User.objects.bulk_create(
        (
            User(
                email=f"staff{i:06d}@{BENCH_EMAIL_DOMAIN}",
                full_name=f"{BENCH_NAME_PREFIX}Pegawai {i}",
                password=_hash(),
            )
            for i in range(1, len(people) + 1)
        ),
        batch_size=_BATCH,
    )
    Membership.objects.bulk_create(
        (
            Membership(user=user, agency=agency, role=STAFF_ROLES[n % len(STAFF_ROLES)], scope=Scope.AGENCY)
            for user, (agency, n) in zip(users, people, strict=True)
        ),
        batch_size=_BATCH,
    )
    created["users"] += len(users)
    created["memberships"] += len(users)
    return users


def _bench_accounts(agency: Agency, created: Counter) -> list[User]:
    accounts = [
        (BENCH_PLANNER_EMAIL, "Planner", Role.PLANNER, Scope.AGENCY),
        (BENCH_LEADER_EMAIL, "Leader", Role.LEADER, Scope.PROVINCE),
    ]
    users = User.objects.bulk_create(
        User(email=email, full_name=f"{BENCH_NAME_PREFIX}{name}", password=_hash()) for email, name, _r, _s in accounts
    )
    Membership.objects.bulk_create(
        Membership(user=user, agency=agency, role=role, scope=scope)
        for user, (_e, _n, role, scope) in zip(users, accounts, strict=True)
    )
    # A verified address, so they can also log in through the form.
    EmailAddress.objects.bulk_create(EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users)
    created.update(users=len(users), memberships=len(users), email_addresses=len(users))
    return users


def _notifications(users: Sequence[User], scale: Scale, created: Counter) -> None:
    now = timezone.now()
    for chunk in _chunks(users, _BATCH // max(scale.notifications_per_user, 1) or 1):
        rows = Notification.objects.bulk_create(
            (
                Notification(
                    recipient=user,
                    created=now - timedelta(hours=n * 7, minutes=user.pk % 60),
                    kind="bench",
                    title=f"{BENCH_NAME_PREFIX}Pemberitahuan {n + 1}",
                    body="Data sintetis untuk uji beban.",
                    url="/",
                    read_at=now if n % 2 else None,  # half read, half waiting
                    # Never e-mailed: the outbox sweep must not pick bench rows up.
                    email_status=DeliveryStatus.SKIPPED,
                )
                for user in chunk
                for n in range(scale.notifications_per_user)
            ),
            batch_size=_BATCH,
        )
        created["notifications"] += len(rows)


def _chunks(items: Sequence, size: int) -> Iterator[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@cache
def _hash() -> str:
    # One public password for all bench accounts: stretched once, not 24,000 times.
    return make_password(BENCH_PASSWORD)
