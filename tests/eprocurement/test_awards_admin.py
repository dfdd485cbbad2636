"""Evaluations, awards, objections and contracts in the admin: read-only, scoped."""

import pytest
from django.urls import reverse

from eprocurement.models import Award, Contract
from tests.eprocurement.factories_awards import awarded, opened_world, signed

pytestmark = pytest.mark.django_db


def test_the_admin_reads_only_its_regions_awards(client, make_admin, kab_kupang, kota_kupang):
    mine, theirs = opened_world(kab_kupang), opened_world(kota_kupang)
    awarded(mine)
    awarded(theirs)
    client.force_login(make_admin(mine.agency))
    changelist = client.get(reverse("admin:eprocurement_award_changelist"))
    assert [a.package_id for a in changelist.context["cl"].queryset] == [mine.package.pk]
    their_award = Award.objects.get(package=theirs.package)
    assert client.get(reverse("admin:eprocurement_award_change", args=[their_award.pk])).status_code == 302
    evaluations = client.get(reverse("admin:eprocurement_bidevaluation_changelist")).context["cl"].queryset
    assert {e.bid.package_id for e in evaluations} == {mine.package.pk}


def test_contracts_are_read_only_with_their_payments(client, make_admin, kab_kupang):
    world = opened_world(kab_kupang)
    contract = signed(world)
    client.force_login(make_admin(world.agency))
    url = reverse("admin:eprocurement_contract_change", args=[contract.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"status": "completed", "value": "1"}).status_code == 403
    contract.refresh_from_db()
    assert contract.status == "signed"
    assert client.get(reverse("admin:eprocurement_contract_add")).status_code == 403
    assert Contract.objects.count() == 1
