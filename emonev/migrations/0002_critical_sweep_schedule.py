"""Beat's daily schedule for the critical-contract sweep (emonev.tasks), held by
django-celery-beat, so every deployment gets it without a step in the admin. Running
this twice leaves one schedule; reversing it removes it."""

from django.db import migrations
from django.utils import timezone

TASK_NAME = "emonev: detect critical contracts without a report"
TASK = "emonev.detect_critical_contracts"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # 06:00 WITA, before the working day, so the day's lists are current.
    crontab, _created = CrontabSchedule.objects.get_or_create(
        minute="0", hour="6", day_of_week="*", day_of_month="*", month_of_year="*", timezone="Asia/Makassar"
    )
    PeriodicTask.objects.update_or_create(name=TASK_NAME, defaults={"task": TASK, "crontab": crontab, "enabled": True})
    _tell_beat(apps)


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=TASK_NAME).delete()
    _tell_beat(apps)


def _tell_beat(apps):
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [
        ("emonev", "0001_progress_curves_critical"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
