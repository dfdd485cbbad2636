"""Beat's schedule for the notification outbox sweep, held by django-celery-beat.

The sweep is what makes delivery survive a process that died between commit and
enqueue, or a worker that died mid-send, so every deployment gets it without a manual
step in the admin. Running this twice leaves one schedule; reversing it removes it.
"""

from django.db import migrations
from django.utils import timezone

SWEEP_TASK_NAME = "portal: sweep the notification outbox"
SWEEP_TASK = "portal.sweep_notification_outbox"


def create_sweep_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute = IntervalSchedule.objects.filter(every=1, period="minutes").order_by("pk").first()
    if every_minute is None:
        every_minute = IntervalSchedule.objects.create(every=1, period="minutes")
    PeriodicTask.objects.update_or_create(
        name=SWEEP_TASK_NAME,
        defaults={"task": SWEEP_TASK, "interval": every_minute, "enabled": True},
    )
    _tell_beat(apps)


def remove_sweep_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=SWEEP_TASK_NAME).delete()
    # The interval may also drive schedules someone added in the admin: keep it then.
    IntervalSchedule.objects.filter(every=1, period="minutes", periodictask__isnull=True).delete()
    _tell_beat(apps)


def _tell_beat(apps):
    # Historical models send no signals, so a running beat would not notice the
    # change; this is the marker its DatabaseScheduler polls.
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_sweep_schedule, remove_sweep_schedule)]
