"""Realization pages: the month figures, the chart, recording an SP2D, scope, query counts."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from ebudgeting.models import Realization
from ebudgeting.selectors.ledger import cash_plan_vs_realization
from ebudgeting.views.ledger import month_chart
from tests.ebudgeting.factories import BudgetLineFactory
from tests.ebudgeting.factories_ledger import approved_document, lines_with_payments, paid

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def document(kab_kupang):
    return approved_document(kab_kupang)


@pytest.fixture
def two_lines(document):
    """Two lines of Rp12.000.000, planned Rp1.000.000 a month; paid 1,5 jt in January,
    2 jt in March (on the second line), nothing else."""
    first, second = BudgetLineFactory(document=document), BudgetLineFactory(document=document)
    paid(first, "1500000", 1)
    paid(second, "2000000", 3)
    return first, second


def test_month_figures_compare_the_cash_plan_with_payments_in_two_queries(
    django_assert_num_queries, document, two_lines
):
    # the cash plan grouped by month; the payments grouped by month
    with django_assert_num_queries(2):
        months = cash_plan_vs_realization(document=document)
    jan, feb, mar = months[:3]
    assert (jan.planned, jan.realized, jan.percent_of_plan) == (D("2000000"), D("1500000"), D("75.0"))
    assert (feb.planned_cumulative, feb.realized_cumulative) == (D("4000000"), D("1500000"))
    assert (mar.realized, mar.realized_cumulative, mar.percent_of_plan) == (D("2000000"), D("3500000"), D("58.3"))
    assert months[11].planned_cumulative == D("24000000")


def test_month_figures_of_one_line(document, two_lines):
    months = cash_plan_vs_realization(line=two_lines[0])
    assert [m.realized for m in months[:3]] == [D("1500000"), 0, 0]
    assert months[0].planned == D("1000000")


def test_the_chart_draws_each_month_to_scale():
    _doc_free = [  # a hand-made year: plan 100 each month, paid 50 in June
        type("M", (), {"month": m, "planned": D("100"), "realized": D("50") if m == 6 else D("0")})()
        for m in range(1, 13)
    ]
    chart = month_chart(_doc_free)
    plot_h = chart["height"] - chart["top"] - chart["bottom"]
    june = chart["bars"][5]
    assert june["plan"]["h"] == plot_h and june["real"]["h"] == plot_h / 2
    assert chart["bars"][0]["real"]["h"] == 0
    assert chart["ticks"][-1]["label"] == "100"


def test_the_page_shows_chart_legend_and_figures(client, make_member, document, two_lines):
    client.force_login(make_member(document.agency, "budget_officer"))
    response = client.get(reverse("ebudgeting:realization_document", args=[document.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    svg = re.search(r"<svg viewBox.*?</svg>", html, re.S).group(0)
    assert svg.count('class="plan"') == 12 and svg.count('class="real"') == 12
    assert 'fill="url(#hatch)"' in svg  # planned is hatched, not only a colour
    assert "Rp1.500.000" in svg  # the bar's own label
    assert "3.500.000,00" in html and "58,3 %" in html  # the table, cumulative
    assert "SP2D" in html and 'data-test="realization-form"' not in html  # not a treasurer


def test_a_treasurer_records_an_sp2d_on_the_page(client, make_member, document, two_lines):
    treasurer = make_member(document.agency, "treasurer")
    client.force_login(treasurer)
    url = reverse("ebudgeting:realization_document", args=[document.pk])
    data = {"line": two_lines[0].pk, "number": "SP2D-77", "date": "2026-04-02", "amount": "250000", "purpose": "ATK"}
    response = client.post(url, data)
    assert response.status_code == 302
    realization = Realization.objects.get(number="SP2D-77")
    assert (realization.amount, realization.created_by) == (D("250000"), treasurer)


def test_recording_too_much_shows_the_error_and_saves_nothing(client, make_member, document, two_lines):
    client.force_login(make_member(document.agency, "treasurer"))
    url = reverse("ebudgeting:realization_document", args=[document.pk])
    data = {"line": two_lines[0].pk, "number": "SP2D-78", "date": "2026-04-02", "amount": "99000000", "purpose": "x"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "10.500.000,00" in response.content.decode()  # what is left on the line
    assert not Realization.objects.filter(number="SP2D-78").exists()


def test_a_date_outside_the_year_is_refused_on_the_page(client, make_member, document, two_lines):
    client.force_login(make_member(document.agency, "treasurer"))
    url = reverse("ebudgeting:realization_document", args=[document.pk])
    data = {"line": two_lines[0].pk, "number": "SP2D-79", "date": "2025-04-02", "amount": "1", "purpose": "x"}
    assert "2026" in client.post(url, data).content.decode()
    assert not Realization.objects.filter(number="SP2D-79").exists()


def test_only_treasurers_record(client, make_member, document, two_lines):
    client.force_login(make_member(document.agency, "budget_officer"))
    url = reverse("ebudgeting:realization_document", args=[document.pk])
    data = {"line": two_lines[0].pk, "number": "SP2D-80", "date": "2026-04-02", "amount": "1", "purpose": "x"}
    assert client.post(url, data).status_code == 403
    assert not Realization.objects.filter(number="SP2D-80").exists()


def test_kab_kupang_staff_cannot_see_or_pay_from_kota_kupang(client, make_member, kota_kupang, document):
    other = approved_document(kota_kupang)
    line = BudgetLineFactory(document=other)
    client.force_login(make_member(document.agency, "treasurer"))
    url = reverse("ebudgeting:realization_document", args=[other.pk])
    assert client.get(url).status_code == 404
    data = {"line": line.pk, "number": "SP2D-81", "date": "2026-04-02", "amount": "1", "purpose": "x"}
    assert client.post(url, data).status_code == 404
    assert client.get(reverse("ebudgeting:ledger_line", args=[line.pk])).status_code == 404
    listed = client.get(reverse("ebudgeting:realization_list")).context["documents"]
    assert [d.pk for d in listed] == [document.pk]


def test_a_treasurer_cannot_book_a_line_of_another_document_through_the_form(client, make_member, document):
    foreign = BudgetLineFactory(document=approved_document(document.agency.region))
    BudgetLineFactory(document=document)
    client.force_login(make_member(document.agency, "treasurer"))
    url = reverse("ebudgeting:realization_document", args=[document.pk])
    data = {"line": foreign.pk, "number": "SP2D-82", "date": "2026-04-02", "amount": "1", "purpose": "x"}
    assert client.post(url, data).status_code == 200  # the form refuses the choice
    assert not Realization.objects.exists()


def test_the_line_ledger_page(client, make_member, document, two_lines):
    client.force_login(make_member(document.agency, "ppk"))
    response = client.get(reverse("ebudgeting:ledger_line", args=[two_lines[0].pk]))
    assert response.status_code == 200
    assert "10.500.000,00" in response.content.decode()  # available


# The realization page's queries, whatever the number of lines and payments:
#  user, memberships (reach), agency units, the document, "may record?" (treasurer reach),
#  cash plan by month, payments by month, unread notifications and the header's memberships,
#  the lines offered in the form (treasurers only), the payments with their lines.
@pytest.mark.parametrize("viewer_role", ["budget_officer", "treasurer"])
def test_the_realization_page_runs_constant_queries(
    client, make_member, django_assert_num_queries, document, viewer_role
):
    client.force_login(make_member(document.agency, viewer_role))
    url = reverse("ebudgeting:realization_document", args=[document.pk])
    lines_with_payments(document, 2)
    client.get(url)  # warm caches (content types, translations)
    expected = _count_queries(client, url)
    lines_with_payments(document, 3)
    with django_assert_num_queries(expected):
        assert client.get(url).status_code == 200


# The list: user, memberships, agency units, count, the page of documents with their sums,
# the header's two queries; never one per document.
def test_the_realization_list_runs_constant_queries(client, make_member, django_assert_num_queries, kab_kupang):
    viewer = make_member(approved_document(kab_kupang).agency, "leader")  # region-wide
    url = reverse("ebudgeting:realization_list")
    client.force_login(viewer)
    client.get(url)
    expected = _count_queries(client, url)
    for _ in range(3):
        lines_with_payments(approved_document(kab_kupang), 2)
    with django_assert_num_queries(expected):
        response = client.get(url)
    assert len(response.context["documents"]) == 4


def _count_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return len(ctx.captured_queries)
