"""Proof on PostgreSQL that concurrent announcements in one region take distinct tender
codes, and that two packages racing for one RUP item never both get it."""

import pytest
from django.db import connection

from eprocurement.choices import PackageStatus
from eprocurement.models import Package, PackagePlanItem
from eprocurement.services import packages as services
from tests.eprocurement.packages_helpers import create, drafting_world, ready_draft
from tests.support.race import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]


def _race(calls):
    return race(calls)


def test_concurrent_announcements_in_one_region_get_distinct_codes(kab_kupang):
    worlds = [drafting_world(kab_kupang, items=1, code=f"DINAS{i}") for i in range(4)]
    drafts = [ready_draft(world) for world in worlds]

    outcomes = _race(
        [
            lambda d=draft, w=world: services.package_announce(package=d, actor=w.pokja[0])
            for draft, world in zip(drafts, worlds, strict=True)
        ]
    )

    assert outcomes == ["ok"] * 4, outcomes
    codes = sorted(Package.objects.values_list("code", flat=True))
    assert codes == [f"2026530100{n:03d}" for n in range(1, 5)]


def test_two_packages_racing_for_one_rup_item_do_not_both_get_it(kab_kupang):
    world = drafting_world(kab_kupang, items=1)

    outcomes = _race([lambda n=n: create(world, name=f"Paket {n}") for n in range(3)])

    assert sorted(outcomes) == ["ok", "refused", "refused"], outcomes
    assert PackagePlanItem.objects.count() == 1
    assert Package.objects.filter(status=PackageStatus.DRAFT).count() == 1
