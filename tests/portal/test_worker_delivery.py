"""Exactly one e-mail per notification with real Celery workers, real Redis and real
PostgreSQL, when a worker is killed mid-send and when a process died between commit
and enqueue.

The mail server here is tests.support.mail.SlowFileBackend: it marks the start of a
send, waits, then writes the message, so the worker can be killed between the two.
What no test can make safe is the gap after a real SMTP server accepted a message and
before the row is marked sent (see portal.services.notification_deliver_email).
"""

import os
import uuid
from datetime import timedelta
from urllib.parse import quote

import pytest
from celery import current_app
from django.db import connection, transaction
from django.utils import timezone
from kombu import Exchange, Queue

from portal.choices import DeliveryStatus
from portal.models import Notification
from portal.services import notify
from portal.tasks import sweep_notification_outbox
from tests.factories import NotificationFactory, UserFactory
from tests.support.mail import DELAY_ENV, MAIL_DIR_ENV
from tests.support.workers import Worker, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LEASE_SECONDS = 3
# Longer than the lease would let a living worker's claim be taken over: keep it shorter.
SEND_SECONDS = 1.5


@pytest.fixture
def queue(settings):
    """A queue of this test's own on the test broker, purged first and deleted after."""
    if not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("a real worker needs the Redis broker: set REDIS_URL")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process cannot share an SQLite test database: set DATABASE_URL")
    name = f"portal-worker-test-{uuid.uuid4().hex[:12]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_TASK_DEFAULT_QUEUE = name  # what notify() and the sweep publish to
    with current_app.connection_for_write() as conn:
        # Declared as Celery declares its default queue, so deleting it also drops its binding.
        broker_queue = Queue(name, Exchange(name), routing_key=name)(conn.default_channel)
        broker_queue.declare()
        broker_queue.purge()
        yield name
        broker_queue.delete()


@pytest.fixture
def mail_dir(tmp_path):
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def start_worker(queue, mail_dir, settings, tmp_path):
    """Start real workers on the test database and queue; every one is killed at the end."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "SECRET_KEY": "worker-test-secret-key-not-for-production-0123456789",
        "DATABASE_URL": (
            f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}"
            f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"
        ),
        "REDIS_URL": settings.CELERY_BROKER_URL,
        "LOG_LEVEL": "INFO",  # the test reads which tasks each worker received and finished
        "CELERY_QUEUE": queue,
        # Redis hands an unacknowledged message to another worker after this long.
        "CELERY_VISIBILITY_TIMEOUT": str(LEASE_SECONDS),
        "NOTIFICATION_LEASE_SECONDS": str(LEASE_SECONDS),
        "EMAIL_BACKEND": "tests.support.mail.SlowFileBackend",
        MAIL_DIR_ENV: str(mail_dir),
        DELAY_ENV: str(SEND_SECONDS),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(settings.BASE_DIR), os.environ.get("PYTHONPATH")])),
    }
    started = []

    def start(name):
        started.append(Worker(name, env, tmp_path))
        return started[-1]

    yield start
    for worker in started:
        worker.kill()


def _files(mail_dir, kind, notification):
    return sorted(mail_dir.glob(f"{kind}-notification-{notification.pk}_*"))


def _deliveries(workers):
    return [run for worker in workers for run in worker.finished()]


def test_worker_killed_mid_send_the_email_goes_out_once(start_worker, mail_dir):
    # given a committed change whose notification went to Redis and a worker that began sending it
    first = start_worker("first")
    with transaction.atomic():
        (notification,) = notify(recipients=[UserFactory()], kind="plan.approved", title="Rencana disetujui")
    wait_for(lambda: _files(mail_dir, "started", notification), "the first worker to start sending", [first])
    (redis_task_id,) = first.received()

    # when the worker is killed mid-send, its lease and Redis's visibility timeout run out,
    first.kill()
    notification.refresh_from_db()
    assert notification.email_status == DeliveryStatus.SENDING and not _files(mail_dir, "sent", notification)
    lease_over = notification.email_claimed_until + timedelta(seconds=0.5)
    wait_for(lambda: timezone.now() > lease_over, "the dead worker's lease to run out")
    # the sweep enqueues it again, and two new workers start (one restores Redis's copy)
    assert sweep_notification_outbox() == 1
    later = [start_worker("second"), start_worker("third")]

    # then both copies of the task ran, and exactly one of them sent the one e-mail
    wait_for(lambda: len(_deliveries(later)) >= 2, "the redelivered task and the sweep's task", later)
    runs = _deliveries(later)
    assert redis_task_id in {task_id for task_id, _sent in runs}, "Redis never redelivered the killed task"
    assert [sent for _task_id, sent in runs].count("True") == 1
    assert len(_files(mail_dir, "sent", notification)) == 1
    notification.refresh_from_db()
    assert (notification.email_status, notification.email_attempts) == (DeliveryStatus.SENT, 2)


def test_committed_but_never_enqueued_is_sent_once_after_the_sweep(start_worker, mail_dir):
    # given the process died between commit and enqueue two minutes ago: a row, no task
    notification = NotificationFactory(created=timezone.now() - timedelta(minutes=2))
    worker = start_worker("only")
    # when the sweep runs
    assert sweep_notification_outbox() == 1
    # then the worker sends it, once, and nothing is left for the next sweep
    wait_for(lambda: _deliveries([worker]), "the worker to deliver the swept notification", [worker])
    assert len(_files(mail_dir, "sent", notification)) == 1
    assert Notification.objects.get(pk=notification.pk).email_status == DeliveryStatus.SENT
    assert sweep_notification_outbox() == 0
