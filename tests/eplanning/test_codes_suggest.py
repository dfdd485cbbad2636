import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_sub_activity_suggestions_of_a_regions_variant(client, make_member, kab_kupang_kominfo):
    client.force_login(make_member(kab_kupang_kominfo, role="planner"))
    url = reverse("eplanning:sub_activity_suggest")

    regency = client.get(url, {"sub_activity_code": "2.16.02", "region": "53.01"}).content.decode()
    province = client.get(url, {"q": "2.16.02", "region": "53"}).content.decode()

    assert '<option value="2.16.02.2.01.0026">' in regency and ".1.01." not in regency
    assert '<option value="2.16.02.1.' in province and ".2.01." not in province
