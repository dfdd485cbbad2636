"""Vendors in the admin: LPSE admins read all and decide through the services; nothing
is edited there, and documents link to the checking view, not /media/."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.eprocurement.factories_vendors import (
    VendorDocumentFactory,
    VendorFactory,
    media_root,  # noqa: F401
)
from tests.factories import AgencyFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]
CHANGELIST = "admin:eprocurement_vendor_changelist"


@pytest.fixture
def lpse_staff(kab_kupang, make_member):
    user = make_member(AgencyFactory(region=kab_kupang, code="UKPBJ"), role="lpse_admin", is_staff=True)
    TOTP.activate(user, generate_totp_secret())
    return user


def test_an_lpse_admin_lists_vendors_and_opens_one_read_only(client, lpse_staff):
    document = VendorDocumentFactory()
    client.force_login(lpse_staff)
    listing = client.get(reverse(CHANGELIST))
    assert listing.status_code == 200 and document.vendor.name in listing.content.decode()
    page = client.get(reverse("admin:eprocurement_vendor_change", args=[document.vendor.pk])).content.decode()
    assert reverse("eprocurement:vendor_document", args=[document.pk]) in page
    assert document.file.url not in page
    assert 'name="status"' not in page


def test_an_lpse_admin_verifies_in_the_admin(client, lpse_staff):
    vendor = VendorFactory()
    client.force_login(lpse_staff)
    client.post(reverse(CHANGELIST), {"action": "verify", ACTION_CHECKBOX_NAME: [vendor.pk]})
    vendor.refresh_from_db()
    assert (vendor.status, vendor.verified_by) == ("verified", lpse_staff)


def test_rejecting_in_the_admin_asks_for_a_reason_first(client, lpse_staff):
    vendor = VendorFactory()
    client.force_login(lpse_staff)
    asked = client.post(reverse(CHANGELIST), {"action": "reject", ACTION_CHECKBOX_NAME: [vendor.pk]})
    assert asked.status_code == 200 and 'name="reason"' in asked.content.decode()
    vendor.refresh_from_db()
    assert vendor.status == "pending"
    client.post(
        reverse(CHANGELIST),
        {"action": "reject", "apply": "1", "reason": "Akta kedaluwarsa", ACTION_CHECKBOX_NAME: [vendor.pk]},
    )
    vendor.refresh_from_db()
    assert (vendor.status, vendor.rejection_reason) == ("rejected", "Akta kedaluwarsa")


def test_staff_without_the_lpse_role_see_no_vendors(client):
    vendor = VendorFactory()
    staff = UserFactory(is_staff=True)
    TOTP.activate(staff, generate_totp_secret())
    client.force_login(staff)
    assert client.get(reverse(CHANGELIST)).status_code == 403
    assert client.get(reverse("admin:eprocurement_vendor_change", args=[vendor.pk])).status_code in (302, 403)


def test_a_staff_vendor_owner_sees_only_its_own_vendor(client):
    """Even with the admin's view permission, the rows are the person's reach."""
    mine = VendorFactory()
    other = VendorFactory()
    owner = mine.owner
    owner.is_superuser = False
    owner.is_staff = True
    owner.save()
    from django.contrib.auth.models import Permission

    owner.user_permissions.add(Permission.objects.get(codename="view_vendor"))
    TOTP.activate(owner, generate_totp_secret())
    client.force_login(owner)
    html = client.get(reverse(CHANGELIST)).content.decode()
    assert mine.name in html and other.name not in html
    response = client.get(reverse("admin:eprocurement_vendor_change", args=[other.pk]))
    assert response.status_code == 302  # answered as missing
    assert client.post(reverse(CHANGELIST), {"action": "verify", ACTION_CHECKBOX_NAME: [mine.pk]}).status_code in (
        200,
        302,
    )
    mine.refresh_from_db()
    assert mine.status == "pending"
