"""The kernel's API: agencies, the caller, notifications."""

import pytest

from portal.models import AuditEntry, User
from tests.factories import AgencyFactory, NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def kab_admin(make_admin, kab_kupang_kominfo):
    return make_admin(kab_kupang_kominfo)


def test_admin_patches_contact_details_through_the_service(api_client, kab_admin, kab_kupang_kominfo):
    # Given Kab. Kupang's Kominfo admin
    api_client.force_authenticate(kab_admin)

    # When they patch the phone, and also try the code and region
    response = api_client.patch(
        f"/api/agencies/{kab_kupang_kominfo.pk}/",
        {"phone": "0380-833", "code": "LAIN", "region": 999},
        format="json",
    )

    # Then the phone changed, the identity did not, and the audit log names the admin
    assert response.status_code == 200
    assert response.json()["phone"] == "0380-833" and response.json()["code"] == "DISKOMINFO"
    kab_kupang_kominfo.refresh_from_db()
    assert (kab_kupang_kominfo.phone, kab_kupang_kominfo.code) == ("0380-833", "DISKOMINFO")
    entry = AuditEntry.objects.get(object_type="portal.agency", object_id=str(kab_kupang_kominfo.pk))
    assert entry.actor == kab_admin and entry.changes == {"phone": ["", "0380-833"]}


def test_invalid_contact_details_are_answered_400(api_client, kab_admin, kab_kupang_kominfo):
    api_client.force_authenticate(kab_admin)
    response = api_client.patch(f"/api/agencies/{kab_kupang_kominfo.pk}/", {"email": "bukan-alamat"}, format="json")
    assert response.status_code == 400 and "email" in response.json()


def test_put_is_not_offered(api_client, kab_admin, kab_kupang_kominfo):
    # Codes and region never change, so a full replacement makes no sense.
    api_client.force_authenticate(kab_admin)
    response = api_client.put(f"/api/agencies/{kab_kupang_kominfo.pk}/", {"name": "X"}, format="json")
    assert response.status_code == 405


def test_agencies_filter_by_region_code(api_client, make_member, province, kab_kupang, kota_kupang):
    # Given a province coordinator who reads every regency's agencies
    coordinator = make_member(AgencyFactory(region=province), "plan_verifier", scope="province")
    kab, kota = AgencyFactory(region=kab_kupang), AgencyFactory(region=kota_kupang)
    api_client.force_authenticate(coordinator)

    # When they list Kota Kupang's only
    ids = [row["id"] for row in api_client.get("/api/agencies/?region=53.71").json()["results"]]

    # Then that is what they get
    assert ids == [kota.pk] and kab.pk not in ids


def test_me_shows_roles_and_unread_count(api_client, make_member, kab_kupang_kominfo):
    # Given a planner with two notifications, one read
    user = make_member(kab_kupang_kominfo, "planner")
    NotificationFactory(recipient=user)
    NotificationFactory(recipient=user, read_at="2026-01-05T08:00:00+08:00")
    api_client.force_authenticate(user)

    # When they ask who they are
    body = api_client.get("/api/me/").json()

    # Then they see their role, its agency and region, and one unread notification
    assert body["email"] == user.email and body["unread_notifications"] == 1
    assert body["memberships"] == [
        {
            "id": user.memberships.get().pk,
            "agency": kab_kupang_kominfo.pk,
            "agency_name": kab_kupang_kominfo.name,
            "region": kab_kupang_kominfo.region_id,
            "role": "planner",
            "scope": "agency",
        }
    ]


def test_me_patch_changes_only_what_was_sent(api_client, make_member, kab_kupang_kominfo):
    # Given a person whose account is closed while their request is under way
    user = make_member(kab_kupang_kominfo, "planner")
    api_client.force_authenticate(user)
    User.objects.filter(pk=user.pk).update(is_active=False)

    # When the request saves their language, and tries to make them staff
    response = api_client.patch("/api/me/", {"language": "en", "is_staff": True}, format="json")

    # Then the language changed, and nothing else did: the account stays closed
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.language, user.is_active, user.is_staff) == ("en", False, False)


def test_notifications_unread_filter_and_mark_all_read(api_client, make_member, kab_kupang_kominfo):
    # Given two unread notifications and one read
    user = make_member(kab_kupang_kominfo)
    unread = [NotificationFactory(recipient=user), NotificationFactory(recipient=user)]
    NotificationFactory(recipient=user, read_at="2026-01-05T08:00:00+08:00")
    api_client.force_authenticate(user)

    # When the unread ones are listed, then all are marked read
    listed = {row["id"] for row in api_client.get("/api/notifications/?unread=true").json()["results"]}
    marked = api_client.post("/api/notifications/mark-read/", {}, format="json").json()

    # Then the two were listed and marked, and none is unread now
    assert listed == {n.pk for n in unread}
    assert marked == {"marked": 2}
    assert api_client.get("/api/notifications/?unread=true").json()["count"] == 0
