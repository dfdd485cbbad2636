"""E-Budgeting's background work: the RKA/DPA PDF."""

from __future__ import annotations

import logging
import traceback

from celery import shared_task
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from portal import jobs
from portal.models import Job

from .models import BudgetDocument
from .pdf import document_html, document_pdf_filename, html_to_pdf

PDF_JOB_KIND = "ebudgeting.document_pdf"

logger = logging.getLogger(__name__)


@shared_task(name="ebudgeting.build_document_pdf")
def build_document_pdf(job_id: int) -> bool:
    """Build the PDF of the job's budget document and store it on the job.

    Safe to run twice: only the call that claims the job does the work. Any failure
    marks the job failed with a message for the person who asked.
    """
    if not jobs.job_start(job_id=job_id):
        return False
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    language = job.requested_by.language if job.requested_by else settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            _build(job)
        except Exception:
            logger.exception("the PDF of job %s could not be built", job_id)
            jobs.job_fail(
                job_id=job_id,
                error=traceback.format_exc(),
                message=_("The PDF could not be built. Try again; if it fails again, tell the Kominfo admins."),
            )
            return False
    return True


def _build(job: Job) -> None:
    document = BudgetDocument.objects.select_related("agency__region", "fiscal_year").get(pk=job.subject_id)
    html = document_html(document)
    jobs.job_progress(job_id=job.pk, progress=10, message=_("Budget lines loaded"))
    content = html_to_pdf(html)
    jobs.job_progress(job_id=job.pk, progress=60, message=_("PDF rendered, storing it"))
    jobs.job_finish(job_id=job.pk, filename=document_pdf_filename(document), content=content, message=_("Ready"))
