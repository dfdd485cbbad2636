"""Long code lists are looked up as the person types, never sent whole."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_account_suggestions_match_code_or_name_and_stay_short(client, make_member, kab_kupang_kominfo):
    client.force_login(make_member(kab_kupang_kominfo, role="budget_officer"))
    url = reverse("ebudgeting:account_suggest")

    by_code = client.get(url, {"account": "5.1.02.01.01.0024"}).content.decode()
    by_name = client.get(url, {"q": "alat tulis"}).content.decode()
    everything = client.get(url, {"q": ""}).content.decode()

    assert '<option value="5.1.02.01.01.0024">' in by_code and "Alat Tulis Kantor" in by_code
    assert "5.1.02.01.01.0024" in by_name
    assert everything.count("<option") == 20  # of the 3,005 usable codes


def test_suggestions_need_a_log_in(client):
    assert client.get(reverse("ebudgeting:account_suggest"), {"q": "5"}).status_code == 302


def test_a_line_names_its_account_by_code_and_a_wrong_code_is_a_clear_error(kab_kupang):
    from django.utils import translation

    from ebudgeting.forms import LineForm
    from tests.ebudgeting.factories import BudgetDocumentFactory, budget_world

    world = budget_world(kab_kupang)
    document = BudgetDocumentFactory(agency=world.agency, fiscal_year=world.year)
    with translation.override("en"):
        good = LineForm({"account": "5.1.02.01.01.0024 Belanja Alat Tulis Kantor"}, document=document)
        bad = LineForm({"account": "5.1.02"}, document=document)
        good.is_valid(), bad.is_valid()
        bad_message = bad.errors["account"][0]

    assert "account" not in good.errors, good.errors
    assert good.cleaned_data["account"].code == "5.1.02.01.01.0024"
    assert "not an account code in use" in bad_message
