"""The account code and funding source API: read-only, for authenticated callers."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caller(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    return user


def test_anonymous_callers_are_refused(api_client):
    assert api_client.get("/api/ebudgeting/account-codes/").status_code in (401, 403)
    assert api_client.get("/api/ebudgeting/funding-sources/").status_code in (401, 403)


def test_account_codes_by_parent_level_and_search(api_client, caller):
    children = api_client.get("/api/ebudgeting/account-codes/", {"parent": "5"}).json()["results"]
    found = api_client.get(
        "/api/ebudgeting/account-codes/", {"level": "sub_rincian_objek", "search": "Alat Tulis Kantor"}
    ).json()["results"]

    assert [c["code"] for c in children] == ["5.1", "5.2", "5.3", "5.4"]
    assert "5.1.02.01.01.0024" in [c["code"] for c in found]
    assert all(c["level"] == "sub_rincian_objek" for c in found)


def test_funding_sources(api_client, caller):
    response = api_client.get("/api/ebudgeting/funding-sources/")

    codes = {s["code"] for s in response.json()["results"]}
    assert {"PAD", "DAU", "DAK-FISIK", "DAK-NONFISIK", "DBH", "DID", "PINJAMAN", "LAIN"} <= codes
