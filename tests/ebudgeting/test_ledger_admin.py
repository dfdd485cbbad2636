"""The ledger and realizations in the admin: read only, and only within the admin's reach."""

import datetime

import pytest
from django.urls import reverse

from ebudgeting.services.ledger import ledger_commit, ledger_realize
from tests.ebudgeting.factories import BudgetLineFactory
from tests.ebudgeting.factories_ledger import approved_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(kab_kupang, kota_kupang):
    own, foreign = (BudgetLineFactory(document=approved_document(r)) for r in (kab_kupang, kota_kupang))
    for line, ref in ((own, "KAB-1"), (foreign, "KOTA-1")):
        ledger_commit(line_id=line.pk, amount="100", reference=ref, actor=None)
        ledger_realize(
            line_id=line.pk, amount="50", number=ref, date=datetime.date(2026, 1, 5), purpose="ATK", actor=None
        )
    return own, foreign


def test_a_kominfo_admin_sees_only_their_regions_entries_and_cannot_edit(client, make_admin, lines):
    own, foreign = lines
    client.force_login(make_admin(own.document.agency))
    entries = client.get(reverse("admin:ebudgeting_ledgerentry_changelist"))
    assert entries.status_code == 200
    assert "KAB-1" in entries.content.decode() and "KOTA-1" not in entries.content.decode()
    paid = client.get(reverse("admin:ebudgeting_realization_changelist")).content.decode()
    assert "KAB-1" in paid and "KOTA-1" not in paid
    own_entry = own.ledger.first()
    page = client.get(reverse("admin:ebudgeting_ledgerentry_change", args=[own_entry.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # shown, not editable
    assert client.get(reverse("admin:ebudgeting_ledgerentry_add")).status_code == 403
    foreign_entry = foreign.ledger.first()
    assert client.get(reverse("admin:ebudgeting_ledgerentry_change", args=[foreign_entry.pk])).status_code == 302
    before = foreign_entry.amount
    client.post(reverse("admin:ebudgeting_ledgerentry_change", args=[own_entry.pk]), {"amount": "1"})
    own_entry.refresh_from_db()
    foreign_entry.refresh_from_db()
    assert own_entry.amount == 100 and foreign_entry.amount == before
