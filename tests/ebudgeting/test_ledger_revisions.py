"""Payments go on while a revision is prepared; its approval carries the ledger over."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from ebudgeting.choices import DocumentStatus, RevisionKind
from ebudgeting.models import BudgetDocument, BudgetLine, LedgerEntry, Realization
from ebudgeting.services import documents, ledger
from portal.services import DomainError
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory, budget_world, member

pytestmark = pytest.mark.django_db
MILLION = Decimal("1000000.00")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def world(kab_kupang):
    world = budget_world(kab_kupang)
    world.document = BudgetDocumentFactory(agency=world.agency, fiscal_year=world.year)
    world.line = BudgetLineFactory(document=world.document, plan_item=world.plan_item)
    world.treasurer = member(world.agency, "treasurer")
    _through_workflow(world, world.document)
    return world


def _through_workflow(world, document):
    documents.document_submit(document_id=document.pk, actor=world.officer)
    documents.document_verify(document_id=document.pk, actor=world.verifier)
    return documents.document_approve(document_id=document.pk, actor=world.verifier)


def _pay(world, line, amount, number, reference=""):
    date = datetime.date(world.year.year, 3, 1)
    return ledger.ledger_realize(
        line_id=line.pk, amount=amount, number=number, date=date, purpose="termin", actor=world.treasurer,
        reference=reference,
    )  # fmt: skip


def test_payments_continue_while_a_revision_is_prepared_and_follow_it(world):
    # Given a commitment on the DPA in force, and a shift being prepared
    ledger.ledger_commit(line_id=world.line.pk, amount=3 * MILLION, reference="KONTRAK-1", actor=world.officer)
    revision = documents.document_revise(document_id=world.document.pk, actor=world.officer, kind=RevisionKind.SHIFT)

    # When the treasurer pays part of it before the revision is approved
    _pay(world, world.line, MILLION, "SP2D-1", reference="KONTRAK-1")
    _through_workflow(world, revision)

    # Then the revised line carries the figures, the ledger and the payment
    (new_line,) = BudgetDocument.objects.get(pk=revision.pk).lines.all()
    assert (new_line.committed, new_line.realized) == (2 * MILLION, MILLION)
    assert LedgerEntry.objects.filter(line=new_line).count() == 3  # commit, release (settled), realize
    assert Realization.objects.get(number="SP2D-1").line_id == new_line.pk

    # and a later release under the same reference finds the line in force
    ledger.ledger_release(reference="KONTRAK-1", actor=world.officer)
    assert BudgetLine.objects.get(pk=new_line.pk).committed == 0


def test_approval_refuses_a_revision_below_what_was_spent_meanwhile(world):
    revision = documents.document_revise(document_id=world.document.pk, actor=world.officer, kind=RevisionKind.SHIFT)
    (new_line,) = revision.lines.all()
    BudgetLine.objects.filter(pk=new_line.pk).update(amount=2 * MILLION)  # lowered in the revision
    _pay(world, world.line, 3 * MILLION, "SP2D-2")  # paid on the DPA in force meanwhile
    documents.document_submit(document_id=revision.pk, actor=world.officer)
    documents.document_verify(document_id=revision.pk, actor=world.verifier)

    with pytest.raises(DomainError, match="below"):
        documents.document_approve(document_id=revision.pk, actor=world.verifier)

    assert BudgetDocument.objects.get(pk=revision.pk).status == DocumentStatus.VERIFIED
    assert BudgetDocument.objects.get(pk=world.document.pk).status == DocumentStatus.APPROVED
    assert Realization.objects.get(number="SP2D-2").line_id == world.line.pk
