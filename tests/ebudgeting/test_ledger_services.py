"""The commitment ledger: commit, release, realize, and what each refuses."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import translation

from ebudgeting.choices import DocumentStatus, LedgerEntryKind
from ebudgeting.models import BudgetLine, LedgerEntry, Realization
from ebudgeting.services.ledger import ledger_commit, ledger_realize, ledger_release
from portal.models import AuditEntry
from portal.services import DomainError
from tests.ebudgeting.factories import BudgetDocumentFactory, BudgetLineFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = Decimal
SP2D_DATE = datetime.date(2026, 3, 10)


@pytest.fixture
def line():
    """A line of Rp12.000.000 in an approved, current DPA of 2026."""
    return BudgetLineFactory(document=BudgetDocumentFactory(status=DocumentStatus.APPROVED))


@pytest.fixture
def actor():
    return UserFactory()


def _figures(line):
    line.refresh_from_db()
    return line.committed, line.realized, line.available


def _ledger_matches(line):
    sums = {
        row["kind"]: row["total"]
        for row in LedgerEntry.objects.filter(line=line).values("kind").annotate(total=Sum("amount"))
    }
    line.refresh_from_db()
    committed = sums.get(LedgerEntryKind.COMMIT, 0) - sums.get(LedgerEntryKind.RELEASE, 0)
    return committed == line.committed and sums.get(LedgerEntryKind.REALIZE, 0) == line.realized


# --- commit ---------------------------------------------------------------------------


def test_commit_reserves_the_amount_and_writes_one_entry_and_one_audit(line, actor):
    audits = AuditEntry.objects.count()
    entry = ledger_commit(line_id=line.pk, amount="5000000", reference="KONTRAK-1", actor=actor)
    assert (entry.kind, entry.amount, entry.reference, entry.actor) == ("commit", D("5000000"), "KONTRAK-1", actor)
    assert _figures(line) == (D("5000000"), D("0"), D("7000000"))
    assert AuditEntry.objects.count() == audits + 1
    assert AuditEntry.objects.first().changes["committed"] == ["0.00", "5000000.00"]


def test_commit_of_exactly_what_is_available_is_allowed(line, actor):
    ledger_commit(line_id=line.pk, amount=D("12000000"), reference="K", actor=actor)
    assert _figures(line)[2] == 0


@pytest.mark.parametrize("amount", ["12000000.01", "0", "-5", "abc", "1.001", "NaN", None])
def test_commit_refuses_bad_amounts_and_saves_nothing(line, actor, amount):
    with pytest.raises(DomainError) as exc:
        ledger_commit(line_id=line.pk, amount=amount, reference="K", actor=actor)
    assert "amount" in exc.value.message_dict
    assert _figures(line) == (0, 0, D("12000000"))
    assert not LedgerEntry.objects.exists()


def test_commit_over_available_says_how_much_is_left(line, actor):
    ledger_commit(line_id=line.pk, amount="10000000", reference="K1", actor=actor)
    with translation.override("id"), pytest.raises(DomainError) as exc:
        ledger_commit(line_id=line.pk, amount="3000000", reference="K2", actor=actor)
    with translation.override("id"):  # rupiah as Indonesians write them
        assert "2.000.000,00" in str(exc.value.message_dict["amount"])


def test_commit_needs_a_reference(line, actor):
    with pytest.raises(DomainError) as exc:
        ledger_commit(line_id=line.pk, amount="1", reference="  ", actor=actor)
    assert "reference" in exc.value.message_dict


@pytest.mark.parametrize(
    "status", [DocumentStatus.DRAFT, DocumentStatus.SUBMITTED, DocumentStatus.VERIFIED, DocumentStatus.SUPERSEDED]
)
def test_commit_refuses_lines_of_a_document_that_is_not_the_approved_dpa(actor, status):
    line = BudgetLineFactory(document=BudgetDocumentFactory(status=status))
    with pytest.raises(DomainError, match="approved DPA"):
        ledger_commit(line_id=line.pk, amount="1", reference="K", actor=actor)
    assert _figures(line)[0] == 0


def test_commit_refuses_a_version_a_revision_replaced(actor):
    # (An approved version whose revision is still being prepared stays in force:
    # test_ledger_revisions.py.)
    line = BudgetLineFactory(document=BudgetDocumentFactory(status=DocumentStatus.SUPERSEDED, is_current=False))
    with pytest.raises(DomainError, match="approved DPA"):
        ledger_commit(line_id=line.pk, amount="1", reference="K", actor=actor)


def test_commit_on_an_unknown_line_is_a_clear_error(actor):
    with pytest.raises(DomainError, match="no such budget line"):
        ledger_commit(line_id=999999, amount="1", reference="K", actor=actor)


# --- release --------------------------------------------------------------------------


def test_release_gives_back_what_is_still_committed_under_the_reference(line, actor):
    ledger_commit(line_id=line.pk, amount="4000000", reference="K1", actor=actor)
    ledger_commit(line_id=line.pk, amount="1000000", reference="K1", actor=actor)
    ledger_commit(line_id=line.pk, amount="2000000", reference="K2", actor=actor)
    [entry] = ledger_release(reference="K1", actor=actor)
    assert (entry.kind, entry.amount) == ("release", D("5000000"))
    assert _figures(line) == (D("2000000"), 0, D("10000000"))
    assert _ledger_matches(line)


def test_release_across_lines_and_of_one_line(actor, line):
    other = BudgetLineFactory(document=line.document)
    ledger_commit(line_id=line.pk, amount="100", reference="RUP-9", actor=actor)
    ledger_commit(line_id=other.pk, amount="200", reference="RUP-9", actor=actor)
    assert [e.amount for e in ledger_release(reference="RUP-9", line_id=other.pk, actor=actor)] == [D("200")]
    assert [e.amount for e in ledger_release(reference="RUP-9", actor=actor)] == [D("100")]
    assert _figures(line)[0] == _figures(other)[0] == 0


def test_release_of_an_unknown_or_spent_reference_is_refused(line, actor):
    with pytest.raises(DomainError, match="Nothing is committed"):
        ledger_release(reference="NOPE", actor=actor)
    ledger_commit(line_id=line.pk, amount="100", reference="K", actor=actor)
    ledger_release(reference="K", actor=actor)
    with pytest.raises(DomainError, match="Nothing is committed"):
        ledger_release(reference="K", actor=actor)
    assert LedgerEntry.objects.filter(kind="release").count() == 1


# --- realize --------------------------------------------------------------------------


def _realize(line, actor, amount, number="SP2D-1", **kwargs):
    kwargs.setdefault("date", SP2D_DATE)
    kwargs.setdefault("purpose", "Pembayaran termin 1")
    return ledger_realize(line_id=line.pk, amount=amount, number=number, actor=actor, **kwargs)


def test_realize_without_a_commitment_spends_what_is_available(line, actor):
    realization = _realize(line, actor, "3000000")
    assert (realization.number, realization.amount, realization.created_by) == ("SP2D-1", D("3000000"), actor)
    assert _figures(line) == (0, D("3000000"), D("9000000"))
    assert _ledger_matches(line)


def test_realize_against_a_commitment_moves_it_to_realized(line, actor):
    ledger_commit(line_id=line.pk, amount="5000000", reference="K1", actor=actor)
    _realize(line, actor, "2000000", reference="K1")
    assert _figures(line) == (D("3000000"), D("2000000"), D("7000000"))
    # and the rest of the commitment is what a release gives back
    assert ledger_release(reference="K1", actor=actor)[0].amount == D("3000000")
    assert _ledger_matches(line)


def test_realize_beyond_the_commitment_takes_the_rest_from_available(line, actor):
    ledger_commit(line_id=line.pk, amount="5000000", reference="K1", actor=actor)
    ledger_commit(line_id=line.pk, amount="6000000", reference="K2", actor=actor)
    # K1 covers 5.000.000; 1.000.000 is available; 6.000.001 is one cent too many
    with pytest.raises(DomainError, match="available"):
        _realize(line, actor, "6000000.01", reference="K1")
    _realize(line, actor, "6000000", reference="K1")
    assert _figures(line) == (D("6000000"), D("6000000"), 0)
    assert _ledger_matches(line)


def test_realize_over_available_is_refused_and_nothing_saved(line, actor):
    with pytest.raises(DomainError):
        _realize(line, actor, "12000000.01")
    assert not Realization.objects.exists() and not LedgerEntry.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"number": " "}, "number"),
        ({"purpose": ""}, "purpose"),
        ({"date": datetime.date(2025, 12, 31)}, "date"),
        ({"date": datetime.date(2027, 1, 1)}, "date"),
        ({"amount": "-1"}, "amount"),
    ],
)
def test_realize_refuses_bad_input_clearly(line, actor, changes, field):
    kwargs = {"amount": "100", "number": "SP2D-1", "date": SP2D_DATE, "purpose": "ATK", **changes}
    with pytest.raises(DomainError) as exc:
        ledger_realize(line_id=line.pk, actor=actor, **kwargs)
    assert field in exc.value.message_dict
    assert not Realization.objects.exists()


def test_the_same_sp2d_number_is_recorded_once_per_line(line, actor):
    _realize(line, actor, "100")
    with pytest.raises(DomainError) as exc:
        _realize(line, actor, "100")
    assert "number" in exc.value.message_dict
    assert _figures(line)[1] == D("100")


def test_realize_refuses_a_document_that_is_not_the_approved_dpa(actor):
    line = BudgetLineFactory(document=BudgetDocumentFactory(status=DocumentStatus.SUPERSEDED, is_current=False))
    with pytest.raises(DomainError, match="approved DPA"):
        _realize(line, actor, "100")


def test_realize_may_name_the_record_it_pays_for(line, actor):
    payee = UserFactory()  # any model: later a contract
    realization = _realize(line, actor, "100", purpose="", subject=payee)
    assert realization.subject_id == str(payee.pk) and realization.purpose == str(payee)


# --- the database backs the services up -----------------------------------------------


def test_the_database_refuses_a_write_that_bypasses_the_service(line):
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(pk=line.pk).update(committed=D("8000000"), realized=D("4000000.01"))
    assert _figures(line) == (0, 0, D("12000000"))
