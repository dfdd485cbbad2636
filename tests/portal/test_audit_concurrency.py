"""Concurrent writers queue on the chain head: the chain never forks."""

import threading

import pytest
from django.db import connection, transaction

from portal.audit import audit_record, verify_chain
from portal.models import AuditEntry

WRITERS = 6
ENTRIES_EACH = 10


def _write_entries(barrier, errors, label):
    try:
        barrier.wait(timeout=10)
        for i in range(ENTRIES_EACH):
            # Each entry in its own transaction, as each service call is.
            with transaction.atomic():
                audit_record(actor=None, action="update", object_type="test.thing", object_label=f"{label}-{i}")
    except Exception as exc:  # reported to the main thread below
        errors.append(exc)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain():
    # Given several threads, each with its own database connection, released at once
    barrier, errors = threading.Barrier(WRITERS), []
    threads = [threading.Thread(target=_write_entries, args=(barrier, errors, f"w{n}")) for n in range(WRITERS)]

    # When they all append to the audit log at the same time
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # Then every entry landed, in one unbroken sequence whose hashes all link up
    assert errors == []
    seqs = list(AuditEntry.objects.order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, WRITERS * ENTRIES_EACH + 1))
    assert AuditEntry.objects.values("prev_hash").distinct().count() == WRITERS * ENTRIES_EACH
    assert verify_chain() is None
