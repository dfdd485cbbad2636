"""The budget documents' running totals follow every change of their lines and ledger,
so summaries can read them instead of every line."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from ebudgeting.choices import RevisionKind
from ebudgeting.models import BudgetDocument
from ebudgeting.services import documents, ledger
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory, budget_world, even_cash_plan, member

pytestmark = pytest.mark.django_db
MILLION = Decimal("1000000.00")


def _totals_match_lines(document_id: int) -> bool:
    document = BudgetDocument.objects.get(pk=document_id)
    sums = document.lines.aggregate(a=Sum("amount"), c=Sum("committed"), r=Sum("realized"))
    figures = (document.total_amount, document.total_committed, document.total_realized)
    return figures == tuple(sums[k] or Decimal("0.00") for k in "acr")


def test_totals_follow_lines_ledger_and_revisions(kab_kupang):
    # Given an RKA with a line, built through the services
    world = budget_world(kab_kupang)
    document = BudgetDocumentFactory(agency=world.agency, fiscal_year=world.year)
    BudgetLineFactory(document=document, plan_item=world.plan_item)
    line = documents.line_add(
        document_id=document.pk, actor=world.officer, cash_plan=even_cash_plan(Decimal("2400000.00")),
        plan_item=world.plan_item, account=world.account, funding_source=world.funding,
        description="Belanja cetak", volume=Decimal("2"), unit="paket", unit_price=Decimal("1200000"),
    )  # fmt: skip
    assert _totals_match_lines(document.pk)

    # When it is changed, approved, committed, paid and revised
    documents.line_update(line_id=line.pk, actor=world.officer, cash_plan=even_cash_plan(3 * MILLION), volume=3,
                          unit_price=MILLION)  # fmt: skip
    assert _totals_match_lines(document.pk)
    documents.document_submit(document_id=document.pk, actor=world.officer)
    documents.document_verify(document_id=document.pk, actor=world.verifier)
    documents.document_approve(document_id=document.pk, actor=world.verifier)
    ledger.ledger_commit(line_id=line.pk, amount=2 * MILLION, reference="K-1", actor=world.officer)
    treasurer = member(world.agency, "treasurer")
    ledger.ledger_realize(line_id=line.pk, amount=MILLION, number="SP2D-1", date=datetime.date(world.year.year, 2, 1),
                          purpose="termin", actor=treasurer, reference="K-1")  # fmt: skip
    ledger.ledger_release(reference="K-1", actor=world.officer)
    revision = documents.document_revise(document_id=document.pk, actor=world.officer, kind=RevisionKind.SHIFT)

    # Then every document's totals are its lines' sums
    assert _totals_match_lines(document.pk) and _totals_match_lines(revision.pk)
    assert BudgetDocument.objects.get(pk=document.pk).total_realized == MILLION
