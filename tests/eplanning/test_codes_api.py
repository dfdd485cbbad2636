"""The nomenclature API: read-only, for authenticated callers, with filters and successors."""

import pytest

from eplanning.models import Nomenclature
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL = "/api/eplanning/nomenclature/"


@pytest.fixture
def caller(api_client):
    user = UserFactory()
    api_client.force_authenticate(user)
    return user


def codes(response):
    return [row["code"] for row in response.json()["results"]]


def test_anonymous_callers_are_refused(api_client):
    assert api_client.get(URL).status_code in (401, 403)


def test_the_top_level_and_children_of_a_code(api_client, caller):
    top = api_client.get(URL, {"parent": ""})
    children = api_client.get(URL, {"parent": "2.16"})

    assert "X" in codes(top) and "2" in codes(top)
    assert codes(children) == ["2.16.02", "2.16.03"]
    assert children.json()["results"][0]["child_count"] == Nomenclature.objects.filter(parent__code="2.16.02").count()


def test_filters_by_level_search_and_region_variant(api_client, caller, province):
    found = api_client.get(URL, {"level": "sub_kegiatan", "search": "2.16.02.", "region": "53"})

    assert found.status_code == 200
    assert codes(found) and all(code.startswith("2.16.02.1.") for code in codes(found))


def test_detail_names_the_successors_of_a_code(api_client, caller):
    node = Nomenclature.objects.get(code="2.16.02.2.01.0026")
    Nomenclature.objects.filter(pk=node.pk).update(previous_code="2.16.02.2.01.0025")
    old = Nomenclature.objects.get(code="2.16.02.2.01.0025")
    Nomenclature.objects.filter(pk=old.pk).update(is_active=False)

    detail = api_client.get(f"{URL}{old.pk}/").json()
    inactive = api_client.get(URL, {"active": "false", "search": "2.16.02.2.01.0025"})

    assert detail["is_active"] is False
    assert [s["code"] for s in detail["successors"]] == ["2.16.02.2.01.0026"]
    assert codes(inactive) == ["2.16.02.2.01.0025"]


def test_writes_are_not_allowed(api_client, caller):
    node = Nomenclature.objects.get(code="2")
    assert api_client.patch(f"{URL}{node.pk}/", {"name": "x"}).status_code == 405
    assert api_client.post(URL, {"code": "9"}).status_code == 405
