"""State changes of the shared kernel. Views, API, admin and tasks call these."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .audit import audit_record
from .choices import AuditAction, DeliveryStatus, Role
from .models import Agency, Membership, Notification, User
from .scoping import forget_reach

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
AGENCY_EDITABLE_FIELDS = ("name", "short_name", "address", "phone", "email", "head_name")


class DomainError(ValidationError):
    """A change the rules do not allow; its message is for the person who asked."""


# --- Notifications (the outbox) -----------------------------------------------------
#
# Each notification is one inbox row and, when it goes out by e-mail, one outbox row
# (the same row). Delivery is at-least-once from the queue's side (late acks, the
# sweep) and made once-only on our side by a lease-based claim, so a task that runs
# twice, or that runs while the sweep enqueues it again, sends one e-mail.


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    title,
    body="",
    url: str = "",
    subject=None,
    email: bool = True,
) -> list[Notification]:
    """Put a notification in each recipient's inbox and its e-mail in the outbox.

    Runs in the caller's transaction: the change and its notifications commit together,
    and a rolled-back change leaves no notification and sends nothing. ``title`` and
    ``body`` may be lazy translations; each recipient gets them in their own language.
    Delivery is enqueued after commit; the outbox sweep picks up what a dying process
    never enqueued.
    """
    subject_type = ContentType.objects.get_for_model(subject) if subject is not None else None
    rows = []
    for user in {u.pk: u for u in recipients}.values():
        with translation.override(user.language or settings.LANGUAGE_CODE):
            rows.append(
                Notification(
                    recipient=user,
                    kind=kind,
                    title=str(title)[:255],
                    body=str(body),
                    url=url,
                    subject_type=subject_type,
                    subject_id=str(subject.pk) if subject is not None else "",
                    email_status=DeliveryStatus.PENDING
                    if email and user.email and user.is_active
                    else DeliveryStatus.SKIPPED,
                )
            )
    created = Notification.objects.bulk_create(rows)
    pending = [n.pk for n in created if n.email_status == DeliveryStatus.PENDING]
    if pending:
        transaction.on_commit(partial(_enqueue_deliveries, pending))
    return created


def _enqueue_deliveries(ids: list[int]) -> None:
    from .tasks import deliver_notification

    for pk in ids:
        try:
            deliver_notification.delay(pk)
        except Exception:  # the broker is down: the outbox sweep will send it later
            logger.warning("could not enqueue notification %s; the sweep will retry", pk, exc_info=True)


def notification_deliver_email(*, notification_id: int) -> bool:
    """Send one notification's e-mail, once. True when this call sent it.

    A worker claims the row with a conditional update and a lease; another worker (or
    a retry of this task, or a task the sweep enqueued) finds nothing to claim until
    the lease runs out, which only happens when the claimant died before it could
    record the result. The result is recorded only while the claim is still this
    call's own (the lease end is the fencing token), so a claimant that outlived its
    lease never overwrites the one that took over.

    What this cannot promise: a worker that dies after the mail server accepted the
    message but before the row was marked sent leaves a claim that expires, and the
    next worker sends a second copy. That copy carries the same Message-ID, so
    receiving systems that deduplicate drop it; without a transactional mail server
    no outbox can close that gap. The lease must also outlast a send (EMAIL_TIMEOUT),
    or a slow but living worker's claim is taken over the same way.
    """
    lease_end = _claim_for_sending(notification_id)
    if lease_end is None:
        return False
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    own_claim = Notification.objects.filter(
        pk=notification_id, email_status=DeliveryStatus.SENDING, email_claimed_until=lease_end
    )
    if notification.email_attempts > MAX_EMAIL_ATTEMPTS:
        # Every earlier claimant died mid-send (a message that kills its worker): stop.
        own_claim.update(email_status=DeliveryStatus.FAILED, email_claimed_until=None, email_error=_GAVE_UP)
        return False
    try:
        _send_notification_email(notification)
    except Exception as exc:  # SMTP refused or timed out: the sweep tries again, a few times
        logger.warning("e-mail for notification %s failed: %s", notification_id, exc)
        final = notification.email_attempts >= MAX_EMAIL_ATTEMPTS
        own_claim.update(
            email_status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING,
            email_claimed_until=None,
            email_error=str(exc)[:1000],
        )
        return False
    own_claim.update(
        email_status=DeliveryStatus.SENT, email_sent_at=timezone.now(), email_claimed_until=None, email_error=""
    )
    return True


_GAVE_UP = "gave up: every worker that tried to send this e-mail died before finishing"


def _claim_for_sending(notification_id: int):
    """Claim the row for this worker; the lease end it holds, or None when not ours."""
    now = timezone.now()
    lease_end = now + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
    claimed = (
        Notification.objects.deliverable(now)
        .filter(pk=notification_id)
        .update(
            email_status=DeliveryStatus.SENDING,
            email_claimed_until=lease_end,
            email_attempts=F("email_attempts") + 1,
        )
    )
    return lease_end if claimed else None


def _send_notification_email(notification: Notification) -> None:
    recipient = notification.recipient
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        body = notification.body
        if notification.url:
            link = _("Open it in the portal: %(link)s") % {
                "link": settings.PORTAL_BASE_URL.rstrip("/") + notification.url
            }
            body = f"{body}\n\n{link}" if body else link
        message = EmailMessage(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.title}",
            body=body,
            to=[recipient.email],
            # Receiving servers drop a second copy with the same Message-ID.
            headers={"Message-ID": f"<notification-{notification.pk}@{settings.PORTAL_MAIL_DOMAIN}>"},
        )
        message.send(fail_silently=False)


def outbox_pending_ids(*, grace_seconds: int = 30, limit: int = 500) -> list[int]:
    """Notifications whose e-mail is due but that no live task is sending.

    Those are rows still waiting after the grace period (the process died between
    commit and enqueue, the broker was down, or an earlier send failed) and rows whose
    claimant's lease ran out (the worker died mid-send). A fresh waiting row is left
    to the task enqueued when it was committed.
    """
    now = timezone.now()
    never_sent = Q(email_status=DeliveryStatus.PENDING, created__lt=now - timedelta(seconds=grace_seconds))
    abandoned = Q(email_status=DeliveryStatus.SENDING, email_claimed_until__lt=now)
    return list(Notification.objects.filter(never_sent | abandoned).order_by("pk").values_list("pk", flat=True)[:limit])


def notification_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the person's own notifications read (all unread when no ids are given)."""
    qs = Notification.objects.for_recipient(user).unread()
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


# --- Agencies, people and roles ------------------------------------------------------


def agency_update(*, agency_id: int, actor: User, **fields) -> Agency:
    """Change an agency's name and contact details (codes and region stay)."""
    unknown = set(fields) - set(AGENCY_EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=agency_id)
        changes = {k: [getattr(agency, k), v] for k, v in fields.items() if getattr(agency, k) != v}
        for name, (_old, new) in changes.items():
            setattr(agency, name, new)
        agency.full_clean()
        if changes:
            agency.save(update_fields=list(changes))
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=agency, changes=changes)
    return agency


def agency_create(*, actor: User, region, code: str, name: str, parent: Agency | None = None, **fields) -> Agency:
    """Add an agency to a region, or a unit inside one of its agencies."""
    unknown = set(fields) - {*AGENCY_EDITABLE_FIELDS, "is_active"}
    if unknown:
        raise DomainError(_("These fields cannot be set here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if parent is not None and parent.region_id != region.pk:
        raise DomainError(_("A unit belongs to the region of the agency it is part of."))
    with transaction.atomic():
        agency = Agency(region=region, code=code, name=name, parent=parent, **fields)
        agency.full_clean()
        agency.save(force_insert=True)
        changes = {"region": region.code, "code": code, "name": name}
        audit_record(actor=actor, action=AuditAction.CREATE, obj=agency, changes=changes)
    return agency


def membership_grant(*, user: User, agency: Agency, role: str, actor: User, scope: str | None = None) -> Membership:
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, agency=agency, role=role, defaults={"scope": scope or Membership.default_scope(role)}
        )
        if created:
            changes = {"user": user.email, "role": role, "scope": membership.scope}
            # Kominfo admins work in the Django admin: the role opens it (portal.backends
            # gives the permissions), so nobody has to remember to tick "staff".
            if role == Role.KOMINFO_ADMIN and User.objects.filter(pk=user.pk, is_staff=False).update(is_staff=True):
                user.is_staff = True
                changes["is_staff"] = [False, True]
            audit_record(actor=actor, action=AuditAction.GRANT, obj=membership, changes=changes)
    forget_reach(user)
    return membership


def membership_revoke(*, membership_id: int, actor: User, reason: str = "") -> None:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().select_related("user").get(pk=membership_id)
        user = membership.user
        changes = {"user": user.email, "role": membership.role}
        # The admin closes with the last Kominfo admin role (superusers keep it).
        last_admin_role = (
            membership.role == Role.KOMINFO_ADMIN
            and not user.is_superuser
            and not Membership.objects.filter(user=user, role=Role.KOMINFO_ADMIN).exclude(pk=membership.pk).exists()
        )
        if last_admin_role and User.objects.filter(pk=user.pk, is_staff=True).update(is_staff=False):
            user.is_staff = False
            changes["is_staff"] = [True, False]
        audit_record(actor=actor, action=AuditAction.REVOKE, obj=membership, reason=reason, changes=changes)
        membership.delete()
    forget_reach(user)


USER_EDITABLE_FIELDS = ("email", "full_name", "nip", "phone", "language", "is_staff", "is_superuser")


def user_update(*, user_id: int, actor: User, **fields) -> User:
    """Change a person's details or admin access. Closing an account is user_deactivate.

    A new e-mail address replaces the old one for log-in and password reset too: the
    address was set by an administrator, so it counts as verified.
    """
    from allauth.account.models import EmailAddress

    unknown = set(fields) - set(USER_EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        if "email" in fields:
            fields["email"] = User.objects.normalize_email(fields["email"]).lower()
        changes = {k: [getattr(user, k), v] for k, v in fields.items() if getattr(user, k) != v}
        if not changes:
            return user
        for name, (_old, new) in changes.items():
            setattr(user, name, new)
        user.full_clean(exclude=["password"])
        user.save(update_fields=list(changes))
        if "email" in changes:
            EmailAddress.objects.filter(user=user).delete()
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=user, changes=changes)
    forget_reach(user)
    return user


def user_record_created(*, user: User, actor: User) -> None:
    """Audit an account an administrator made (Django's form set its password)."""
    audit_record(actor=actor, action=AuditAction.CREATE, obj=user, changes={"email": user.email})


def user_deactivate(*, user_id: int, actor: User, reason: str) -> User:
    """Close an account: it can no longer log in, and every open session ends."""
    from allauth.usersessions.models import UserSession
    from django.contrib.sessions.models import Session

    if not reason.strip():
        raise DomainError(_("Give the reason the account is closed."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        if not user.is_active:
            raise DomainError(_("This account is already closed."))
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action=AuditAction.DEACTIVATE, obj=user, reason=reason)
        keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
        UserSession.objects.filter(user=user).delete()
        Session.objects.filter(session_key__in=keys).delete()
        transaction.on_commit(lambda: _forget_cached_sessions(keys))
    return user


def user_reactivate(*, user_id: int, actor: User) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user_id)
        if user.is_active:
            raise DomainError(_("This account is already open."))
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=user, changes={"is_active": [False, True]})
    return user


def _forget_cached_sessions(keys: list[str]) -> None:
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import caches

    caches[settings.SESSION_CACHE_ALIAS].delete_many([KEY_PREFIX + key for key in keys])
