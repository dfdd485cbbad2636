"""Published releases in the admin: readable, never added, changed or deleted."""

import pytest
from django.urls import reverse

from eprocurement.models import OcdsRelease
from eprocurement.ocds.publish import publish_release
from tests.eprocurement.factories_packages import tender_world

pytestmark = pytest.mark.django_db


def test_a_release_is_shown_and_cannot_be_changed(client, make_admin, kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")
    row = publish_release(package_id=world.package.pk, tag="tender")
    client.force_login(make_admin(world.agency))

    page = client.get(reverse("admin:eprocurement_ocdsrelease_change", args=[row.pk]))
    assert page.status_code == 200 and row.release_id in page.content.decode()

    url = reverse("admin:eprocurement_ocdsrelease_change", args=[row.pk])
    assert client.post(url, {"tag": "award"}).status_code == 403
    assert client.post(reverse("admin:eprocurement_ocdsrelease_delete", args=[row.pk])).status_code == 403
    assert client.get(reverse("admin:eprocurement_ocdsrelease_add")).status_code == 403
    assert OcdsRelease.objects.get().tag == "tender"
