"""The audit log: one append-only, hash-chained record of every state change.

Each entry's hash is SHA-256 over the previous entry's hash and the entry's own
canonical content (sorted-key JSON). Appending locks the single chain-head row, so
concurrent writers queue and the chain never forks; the entry is written inside the
caller's transaction, so a change and its audit entry commit or roll back together.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

from django.db import transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEntry
from .request_context import client_ip_var, request_id_var

GENESIS_HASH = "0" * 64
_HEAD_ID = 1
CANONICAL_FIELDS = (
    "seq",
    "created",
    "actor_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "region_id",
    "agency_id",
    "old_status",
    "new_status",
    "reason",
    "changes",
    "request_id",
    "client_ip",
)


def canonical_content(entry: AuditEntry) -> str:
    values = {name: getattr(entry, name) for name in CANONICAL_FIELDS}
    values["created"] = entry.created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + canonical_content(entry)).encode("utf-8")).hexdigest()


def _object_facts(obj) -> dict:
    if obj is None:
        return {}
    facts = {
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "object_label": str(obj)[:255],
    }
    agency_id = getattr(obj, "agency_id", None)
    region_id = getattr(obj, "region_id", None)
    if region_id is None and agency_id is not None:
        from .models import Agency

        region_id = Agency.objects.filter(pk=agency_id).values_list("region_id", flat=True).first()
    facts["agency_id"] = agency_id
    facts["region_id"] = region_id
    return facts


def audit_record(
    *,
    actor,
    action: str,
    obj=None,
    old_status: str = "",
    new_status: str = "",
    reason: str = "",
    changes: dict | None = None,
    **object_facts,
) -> AuditEntry:
    """Append one entry. Call it inside the service's transaction."""
    facts = {**_object_facts(obj), **object_facts}
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        head = _locked_head()
        entry = AuditEntry(
            seq=head.seq + 1,
            created=timezone.now(),
            actor=actor_obj,
            actor_label=(actor_obj.email if actor_obj else str(actor or ""))[:254],
            action=action,
            old_status=str(old_status or ""),
            new_status=str(new_status or ""),
            reason=reason or "",
            changes=_jsonable(changes or {}),
            request_id=request_id_var.get(),
            client_ip=client_ip_var.get(),
            prev_hash=head.hash,
            **facts,
        )
        # Hashed as the database gives it back: microseconds survive on PostgreSQL and
        # SQLite, JSON keys are sorted, addresses are normalised by request_context.
        entry.hash = entry_hash(head.hash, entry)
        entry.save(force_insert=True)
        head.seq, head.hash = entry.seq, entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


def _jsonable(value: dict) -> dict:
    return json.loads(json.dumps(value, default=str))


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=_HEAD_ID).first()
    if head is None:
        AuditChainHead.objects.get_or_create(pk=_HEAD_ID, defaults={"seq": 0, "hash": GENESIS_HASH})
        head = AuditChainHead.objects.select_for_update().get(pk=_HEAD_ID)
    return head


@dataclass
class ChainBreak:
    seq: int
    entry_id: int | None
    problem: str


def verify_chain(batch_size: int = 2000) -> ChainBreak | None:
    """The first entry that does not match the chain, or None when all do.

    Detects an edited row (its hash no longer matches its content), a deleted row (a
    gap in the sequence, or a prev_hash that is not the previous entry's hash), and
    reordered rows (the same). Also checks the head against the last entry, so a
    removed tail is found.
    """
    prev_hash, expected_seq = GENESIS_HASH, 1
    fields = ("id", "prev_hash", "hash", *[f for f in CANONICAL_FIELDS if f != "actor_id"], "actor_id")
    for entry in AuditEntry.objects.order_by("seq").only(*fields).iterator(chunk_size=batch_size):
        problem = _check(entry, prev_hash, expected_seq)
        if problem:
            return ChainBreak(seq=entry.seq, entry_id=entry.id, problem=problem)
        prev_hash, expected_seq = entry.hash, entry.seq + 1
    head = AuditChainHead.objects.filter(pk=_HEAD_ID).first()
    if head is not None and (head.seq != expected_seq - 1 or head.hash != prev_hash):
        return ChainBreak(seq=head.seq, entry_id=None, problem="entries after the last one found are missing")
    return None


def _check(entry: AuditEntry, prev_hash: str, expected_seq: int) -> str:
    if entry.seq != expected_seq:
        return f"expected entry {expected_seq}, found {entry.seq}: entries are missing"
    if entry.prev_hash != prev_hash:
        return "does not follow the entry before it (deleted or reordered)"
    if entry.hash != entry_hash(prev_hash, entry):
        return "its content does not match its hash (edited)"
    return ""
