import pytest
from django.core.management import call_command
from django.db import connection

from portal.audit import audit_record, verify_chain
from portal.models import AuditEntry

pytestmark = pytest.mark.django_db


def _three_entries(actor):
    return [audit_record(actor=actor, action="update", obj=actor, reason=f"step {i}") for i in range(3)]


def _raw(sql, params):
    # Tampering happens behind the ORM's back, as it would with database access.
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_intact_chain_verifies(make_member, kab_kupang_kominfo):
    _three_entries(make_member(kab_kupang_kominfo))
    assert verify_chain() is None


def test_edited_row_is_named(make_member, kab_kupang_kominfo):
    entries = _three_entries(make_member(kab_kupang_kominfo))
    _raw("UPDATE portal_auditentry SET reason = %s WHERE id = %s", ["nothing happened", entries[1].id])
    found = verify_chain()
    assert found.seq == entries[1].seq and "edited" in found.problem


def test_deleted_row_is_named(make_member, kab_kupang_kominfo):
    entries = _three_entries(make_member(kab_kupang_kominfo))
    _raw("DELETE FROM portal_auditentry WHERE id = %s", [entries[1].id])
    assert verify_chain().seq == entries[2].seq


def test_deleted_last_row_is_found(make_member, kab_kupang_kominfo):
    entries = _three_entries(make_member(kab_kupang_kominfo))
    _raw("DELETE FROM portal_auditentry WHERE id = %s", [entries[2].id])
    assert verify_chain() is not None


def test_reordered_rows_are_named(make_member, kab_kupang_kominfo):
    entries = _three_entries(make_member(kab_kupang_kominfo))
    a, b = entries[0], entries[1]
    _raw("UPDATE portal_auditentry SET seq = -1 WHERE id = %s", [a.id])
    _raw("UPDATE portal_auditentry SET seq = %s WHERE id = %s", [a.seq, b.id])
    _raw("UPDATE portal_auditentry SET seq = %s WHERE id = %s", [b.seq, a.id])
    assert verify_chain().seq == a.seq


def test_orm_refuses_to_change_or_delete(make_member, kab_kupang_kominfo):
    entry = _three_entries(make_member(kab_kupang_kominfo))[0]
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_verify_audit_command_names_first_bad_entry(make_member, kab_kupang_kominfo, capsys):
    entries = _three_entries(make_member(kab_kupang_kominfo))
    call_command("verify_audit")
    assert "3" in capsys.readouterr().out
    _raw("UPDATE portal_auditentry SET new_status = %s WHERE id = %s", ["approved", entries[0].id])
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit")
    assert exit_info.value.code == 1
    assert f"#{entries[0].seq}" in capsys.readouterr().err


def test_entry_carries_request_facts(client, make_member, kab_kupang_kominfo):
    user = make_member(kab_kupang_kominfo, role="kominfo_admin")
    client.force_login(user)
    entry = AuditEntry.objects.order_by("-seq").first()
    assert entry.action == "login" and entry.actor_id == user.pk
