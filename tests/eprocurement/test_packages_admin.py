"""Packages in the admin: scoped to the admin's reach, read-only with their inlines."""

import pytest
from django.urls import reverse

from eprocurement.choices import PackageStatus
from tests.eprocurement.packages_helpers import create, drafting_world, ready_draft
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def packages(kab_kupang, kota_kupang):
    mine, theirs = drafting_world(kab_kupang), drafting_world(kota_kupang)
    return mine, ready_draft(mine), create(theirs)


def test_the_admin_lists_and_opens_only_its_regions_packages(client, make_admin, packages):
    mine, my_package, their_package = packages
    client.force_login(make_admin(mine.agency))
    changelist = client.get(reverse("admin:eprocurement_package_changelist"))
    assert list(changelist.context["cl"].queryset) == [my_package]
    page = client.get(reverse("admin:eprocurement_package_change", args=[my_package.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert mine.plan_items[0].rup_code in body and "Dokumen pemilihan" in body  # the inlines
    other = client.get(reverse("admin:eprocurement_package_change", args=[their_package.pk]))
    assert other.status_code == 302  # answered like a missing record


def test_an_lpse_admin_reads_packages_of_the_region(client, make_admin, packages):
    mine, my_package, _theirs = packages
    admin = make_admin(mine.agency)
    MembershipFactory(user=admin, agency=mine.agency, role="lpse_admin")
    admin.memberships.filter(role="kominfo_admin").delete()
    client.force_login(admin)
    changelist = client.get(reverse("admin:eprocurement_package_changelist"))
    assert changelist.status_code == 200 and list(changelist.context["cl"].queryset) == [my_package]


def test_status_is_never_written_in_the_admin(client, make_admin, packages):
    mine, my_package, _theirs = packages
    client.force_login(make_admin(mine.agency))
    url = reverse("admin:eprocurement_package_change", args=[my_package.pk])
    response = client.post(url, {"status": "announced", "code": "X"})
    assert response.status_code == 403
    my_package.refresh_from_db()
    assert (my_package.status, my_package.code) == (PackageStatus.DRAFT, None)
    assert client.get(reverse("admin:eprocurement_package_add")).status_code == 403
