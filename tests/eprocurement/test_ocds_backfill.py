"""Publishing the present state of packages that have no release (a backfill)."""

import io

import pytest
from django.core.management import call_command

from eprocurement.models import OcdsRelease
from eprocurement.ocds.schema import errors
from tests.eprocurement.factories_ocds import contracted_world
from tests.eprocurement.factories_packages import tender_world

pytestmark = pytest.mark.django_db


def test_the_command_publishes_each_announced_package_once(kab_kupang, kota_kupang):
    announced = tender_world(kab_kupang, phase="explanation")
    contracted = contracted_world(kota_kupang)
    out = io.StringIO()

    call_command("ocds_publish", stdout=out)
    call_command("ocds_publish", stdout=out)

    rows = {row.package_id: row for row in OcdsRelease.objects.all()}
    assert rows[announced.package.pk].tag == "tender"
    assert rows[contracted.package.pk].tag == "contract"
    assert len(rows) == 2 and OcdsRelease.objects.count() == 2
    assert all(errors(row.data, "release-schema.json") == [] for row in rows.values())
    assert out.getvalue().splitlines() == [
        "2 packages looked at, 2 releases stored.",
        "2 packages looked at, 0 releases stored.",
    ]


def test_the_command_takes_tender_codes_and_skips_drafts(kab_kupang, kota_kupang):
    announced = tender_world(kab_kupang, phase="explanation")
    tender_world(kota_kupang, phase="draft")

    call_command("ocds_publish", announced.package.code, stdout=io.StringIO())
    call_command("ocds_publish", stdout=io.StringIO())

    assert list(OcdsRelease.objects.values_list("package_id", flat=True)) == [announced.package.pk]
