"""The notification outbox through its services: in the caller's transaction, once per
recipient, once per e-mail, and recovered by the sweep."""

import importlib
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from portal.choices import DeliveryStatus
from portal.models import Notification
from portal.services import MAX_EMAIL_ATTEMPTS, notification_deliver_email, notify, outbox_pending_ids
from portal.tasks import sweep_notification_outbox
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

sweep_schedule = importlib.import_module("portal.migrations.0002_notification_outbox_sweep_schedule")


@pytest.fixture
def eager(settings):
    """Tasks run in this process, as in the embedded default."""
    settings.CELERY_TASK_ALWAYS_EAGER = True


def _ago(**delta):
    return timezone.now() - timedelta(**delta)


def test_rolled_back_change_leaves_no_notification(eager, mailoutbox, django_capture_on_commit_callbacks):
    # given a change that notifies someone and then fails
    user = UserFactory()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipients=[user], kind="plan.returned", title="Rencana dikembalikan")
        raise RuntimeError("the change failed")
    # then nothing is in the inbox, nothing was enqueued, nothing sent
    assert not Notification.objects.exists()
    assert callbacks == []
    assert mailoutbox == []


def test_committed_change_notifies_each_distinct_recipient_once(eager, mailoutbox, django_capture_on_commit_callbacks):
    # given two people, one named twice
    ani, budi = UserFactory(), UserFactory()
    # when the change commits
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[ani, budi, ani], kind="plan.submitted", title="Rencana diajukan", url="/rencana/7/")
    # then each has one inbox row and got one e-mail, linking to the page
    assert sorted(Notification.objects.values_list("recipient__email", flat=True)) == sorted([ani.email, budi.email])
    assert sorted(m.to[0] for m in mailoutbox) == sorted([ani.email, budi.email])
    assert all("/rencana/7/" in m.body for m in mailoutbox)
    assert set(Notification.objects.values_list("email_status", flat=True)) == {DeliveryStatus.SENT}


def test_no_email_for_an_inactive_person_or_when_not_asked(eager, mailoutbox, django_capture_on_commit_callbacks):
    closed, quiet = UserFactory(is_active=False), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[closed], kind="k", title="t")
        notify(recipients=[quiet], kind="k", title="t", email=False)
    assert mailoutbox == []
    assert Notification.objects.filter(email_status=DeliveryStatus.SKIPPED).count() == 2


def test_email_is_in_the_recipients_language(eager, mailoutbox, django_capture_on_commit_callbacks):
    # given one person reading Indonesian and one English (Django ships this string in both)
    ina, eng = UserFactory(language="id"), UserFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[ina, eng], kind="k", title=_("Enter a valid email address."))
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    with translation.override("id"):
        indonesian = str(_("Enter a valid email address."))
    assert indonesian != "Enter a valid email address."
    assert subjects[ina.email].endswith(indonesian)
    assert subjects[eng.email].endswith("Enter a valid email address.")


def test_delivering_twice_sends_once(mailoutbox):
    notification = NotificationFactory()
    assert notification_deliver_email(notification_id=notification.pk) is True
    assert notification_deliver_email(notification_id=notification.pk) is False
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"].startswith(f"<notification-{notification.pk}@")


def test_a_refused_send_waits_again_then_fails_after_the_last_attempt(settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.support.mail.RefusingBackend"
    notification = NotificationFactory()
    for attempt in range(1, MAX_EMAIL_ATTEMPTS):
        notification_deliver_email(notification_id=notification.pk)
        notification.refresh_from_db()
        assert (notification.email_status, notification.email_attempts) == (DeliveryStatus.PENDING, attempt)
        assert "550" in notification.email_error and notification.email_claimed_until is None
    notification_deliver_email(notification_id=notification.pk)
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (DeliveryStatus.FAILED, MAX_EMAIL_ATTEMPTS)


def test_a_live_claim_is_left_alone(mailoutbox):
    # given another worker claimed the e-mail a moment ago and is still sending
    notification = NotificationFactory(
        email_status=DeliveryStatus.SENDING, email_claimed_until=timezone.now() + timedelta(minutes=4)
    )
    assert notification_deliver_email(notification_id=notification.pk) is False
    assert mailoutbox == []


def test_a_claim_whose_lease_expired_is_delivered_again(mailoutbox):
    # given a worker claimed the e-mail and died before recording the result
    notification = NotificationFactory(
        email_status=DeliveryStatus.SENDING, email_claimed_until=_ago(seconds=1), email_attempts=1
    )
    assert notification_deliver_email(notification_id=notification.pk) is True
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (DeliveryStatus.SENT, 2)
    assert len(mailoutbox) == 1


def test_a_worker_that_lost_its_lease_does_not_overwrite_the_new_claim(settings, mailoutbox):
    # given the sender stalls past its lease and another worker claims the row meanwhile
    settings.EMAIL_BACKEND = "tests.support.mail.LeaseLostBackend"
    notification = NotificationFactory()
    notification_deliver_email(notification_id=notification.pk)
    # then the row stays with the new claimant, who records its own result
    notification.refresh_from_db()
    assert notification.email_status == DeliveryStatus.SENDING
    assert notification.email_sent_at is None


def test_gives_up_when_every_claimant_died(mailoutbox):
    notification = NotificationFactory(
        email_status=DeliveryStatus.SENDING, email_claimed_until=_ago(seconds=1), email_attempts=MAX_EMAIL_ATTEMPTS
    )
    assert notification_deliver_email(notification_id=notification.pk) is False
    notification.refresh_from_db()
    assert notification.email_status == DeliveryStatus.FAILED
    assert mailoutbox == []


def test_sweep_finds_what_no_live_task_is_sending():
    # given e-mails in every state of the outbox
    never_enqueued = NotificationFactory(created=_ago(minutes=2))
    worker_died = NotificationFactory(email_status=DeliveryStatus.SENDING, email_claimed_until=_ago(seconds=1))
    NotificationFactory()  # just committed: its own task is on the way
    NotificationFactory(
        created=_ago(minutes=2),
        email_status=DeliveryStatus.SENDING,
        email_claimed_until=timezone.now() + timedelta(minutes=1),
    )
    NotificationFactory(created=_ago(minutes=2), email_status=DeliveryStatus.SENT)
    NotificationFactory(created=_ago(minutes=2), email_status=DeliveryStatus.FAILED)
    NotificationFactory(created=_ago(minutes=2), email_status=DeliveryStatus.SKIPPED)
    # then the sweep picks exactly the two nobody is sending
    assert outbox_pending_ids() == [never_enqueued.pk, worker_died.pk]


def test_sweep_task_delivers_a_never_enqueued_notification(eager, mailoutbox):
    # given the process died between commit and enqueue two minutes ago
    notification = NotificationFactory(created=_ago(minutes=2))
    assert sweep_notification_outbox() == 1
    notification.refresh_from_db()
    assert notification.email_status == DeliveryStatus.SENT
    assert [m.to[0] for m in mailoutbox] == [notification.recipient.email]


def test_beat_schedule_is_created_once_and_removed_on_reverse():
    # The migration ran for the test database; run it again, then reverse it.
    sweep_schedule.create_sweep_schedule(apps, None)
    task = PeriodicTask.objects.get(task="portal.sweep_notification_outbox")
    assert (task.enabled, task.interval.every, task.interval.period) == (True, 1, IntervalSchedule.MINUTES)
    sweep_schedule.remove_sweep_schedule(apps, None)
    assert not PeriodicTask.objects.filter(task="portal.sweep_notification_outbox").exists()
    assert not IntervalSchedule.objects.filter(every=1, period=IntervalSchedule.MINUTES).exists()
