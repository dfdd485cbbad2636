from celery import shared_task

from . import services


@shared_task(name="portal.deliver_notification")
def deliver_notification(notification_id: int) -> bool:
    """Safe to run twice, and alongside a copy the sweep enqueued: the service claims the row."""
    return services.notification_deliver_email(notification_id=notification_id)


@shared_task(name="portal.sweep_notification_outbox")
def sweep_notification_outbox() -> int:
    """Enqueue e-mails that are due but were never enqueued, or whose worker died.

    Beat runs this every minute (the schedule is a row django-celery-beat holds, made
    by a portal migration).
    """
    ids = services.outbox_pending_ids()
    for pk in ids:
        deliver_notification.delay(pk)
    return len(ids)
