"""E-Monev's background work: the daily sweep for critical contracts without a report;
the monthly reports (daily claim after the due day, and on demand with progress); the
daily reminders and alerts."""

import logging
import traceback
from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from portal import jobs
from portal.models import Job

from .models import MonthlyReport
from .services import monthly, reminders
from .services.critical import critical_sweep


@shared_task(name="emonev.detect_critical_contracts")
def detect_critical_contracts() -> int:
    """Evaluate contracts whose last month's report is missing; safe to run twice."""
    return critical_sweep()


# --- Monthly reports and reminders (the reports part) ---------------------------------------

logger = logging.getLogger(__name__)


@shared_task(name="emonev.build_monthly_reports")
def build_monthly_reports() -> int:
    """Daily: after last month's due day, claim its reports (each once) and enqueue the
    build of each claimed one. Returns the number claimed."""
    claimed = monthly.monthly_reports_due()
    for report in claimed:
        transaction.on_commit(partial(build_monthly_report.delay, report.pk))
    return len(claimed)


@shared_task(name="emonev.build_monthly_report")
def build_monthly_report(report_id: int) -> bool:
    """Build one claimed report. A failure leaves it unbuilt; its claim lapses after
    CLAIM_LEASE and a later day's run claims and builds it again."""
    report = MonthlyReport.objects.filter(pk=report_id, generated_at__isnull=True).first()
    if report is None:
        return False  # built already (a task delivered twice)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            monthly.monthly_report_build(report=report)
        except Exception:
            logger.exception("the monthly report %s could not be built", report_id)
            return False
    return True


@shared_task(name="emonev.build_monthly_report_job")
def build_monthly_report_job(job_id: int) -> bool:
    """Build the report a person asked for; safe to run twice (only the claim works)."""
    if not jobs.job_start(job_id=job_id):
        return False
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    language = job.requested_by.language if job.requested_by and job.requested_by.language else settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            report = MonthlyReport.objects.get(pk=job.subject_id)
            monthly.monthly_report_build(
                report=report,
                actor=job.requested_by,
                progress=lambda pct, message: jobs.job_progress(job_id=job_id, progress=pct, message=str(message)),
            )
            jobs.job_finish(job_id=job_id, message=_("Ready"))
        except Exception:
            logger.exception("the monthly report of job %s could not be built", job_id)
            jobs.job_fail(
                job_id=job_id,
                error=traceback.format_exc(),
                message=_("The report could not be built. Try again; if it fails again, tell the Kominfo admins."),
            )
            return False
    return True


@shared_task(name="emonev.send_report_reminders")
def send_report_reminders() -> int:
    """Daily: reminders before the due day, once-only late notices, and deviation alerts."""
    return reminders.reminders_sweep()
