"""RUP items in the admin: scoped to the admin's reach, read-only (status never written)."""

import pytest
from django.urls import reverse

from eprocurement.choices import PlanItemStatus
from eprocurement.models import ProcurementPlanItem
from tests.eprocurement.factories_plans import PlanItemFactory, rup_world


@pytest.fixture
def items(kab_kupang, kota_kupang):
    mine, theirs = rup_world(kab_kupang), rup_world(kota_kupang)
    return (
        mine,
        PlanItemFactory(agency=mine.agency, fiscal_year=mine.year, funded_by=[(mine.lines[0], "100")]),
        PlanItemFactory(agency=theirs.agency, fiscal_year=theirs.year, funded_by=[(theirs.lines[0], "100")]),
    )


def test_the_admin_lists_and_opens_only_its_regions_items(client, make_admin, items):
    mine, my_item, their_item = items
    client.force_login(make_admin(mine.agency))
    changelist = client.get(reverse("admin:eprocurement_procurementplanitem_changelist"))
    assert list(changelist.context["cl"].queryset) == [my_item]
    page = client.get(reverse("admin:eprocurement_procurementplanitem_change", args=[my_item.pk]))
    assert page.status_code == 200 and mine.lines[0].description in page.content.decode()
    other = client.get(reverse("admin:eprocurement_procurementplanitem_change", args=[their_item.pk]))
    assert other.status_code == 302  # answered like a missing record


def test_status_cannot_be_written_in_the_admin(client, make_admin, items):
    mine, my_item, _their_item = items
    client.force_login(make_admin(mine.agency))
    url = reverse("admin:eprocurement_procurementplanitem_change", args=[my_item.pk])
    response = client.post(url, {"status": "announced", "rup_code": "X", "value": "1"})
    assert response.status_code == 403
    my_item.refresh_from_db()
    assert (my_item.status, my_item.rup_code) == (PlanItemStatus.DRAFT, None)
    assert client.get(reverse("admin:eprocurement_procurementplanitem_add")).status_code == 403
    assert ProcurementPlanItem.objects.count() == 2
