"""Background jobs a person asked for (a PDF, a report), with their progress.

Generic, so every app reuses it: the app's view calls :func:`job_create` and enqueues
its task after commit; the task claims the job with :func:`job_start` (so a second
delivery of the same task does nothing), reports :func:`job_progress`, and ends with
:func:`job_finish` (storing the file) or :func:`job_fail` (keeping the error).

Progress is written with conditional ``update()`` outside the caller's transaction, so
the page polling the job sees it while the task still runs. Jobs are work records, not
domain state: they are not written to the audit log (the change they report on is).
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .choices import JobStatus
from .models import Job

# A job still "running" this long after it started lost its worker: it may be claimed again.
JOB_LEASE = timedelta(minutes=15)


def job_create(*, kind: str, actor, subject=None) -> Job:
    """A queued job about ``subject``; enqueue its task with transaction.on_commit."""
    return Job.objects.create(
        kind=kind,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
    )


def job_start(*, job_id: int) -> bool:
    """Claim the job for this worker. False when it is finished or another worker
    runs it (a task delivered twice); True when this call should do the work."""
    now = timezone.now()
    claimable = Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, started__lt=now - JOB_LEASE)
    claimed = Job.objects.filter(claimable, pk=job_id).update(
        status=JobStatus.RUNNING, started=now, progress=0, message="", error=""
    )
    return bool(claimed)


def job_progress(*, job_id: int, progress: int, message: str = "") -> None:
    """Report how far a running job is (0–100; it never goes back)."""
    progress = max(0, min(100, int(progress)))
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, progress__lte=progress).update(
        progress=progress, message=str(message)[:255]
    )


def job_finish(*, job_id: int, filename: str = "", content: bytes | None = None, message: str = "") -> Job:
    """Mark the job done, storing ``content`` under ``filename`` in the default storage."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status == JobStatus.DONE:
            return job
        fields = ["status", "progress", "message", "finished", "error"]
        if content is not None:
            job.file.save(filename, ContentFile(content), save=False)
            fields.append("file")
        job.status, job.progress, job.message = JobStatus.DONE, 100, str(message)[:255]
        job.finished, job.error = timezone.now(), ""
        job.save(update_fields=fields)
    return job


def job_fail(*, job_id: int, error: str, message: str = "") -> Job:
    """Mark the job failed: ``message`` is for the person who asked, ``error`` for admins."""
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job_id)
        if job.status == JobStatus.DONE:
            return job
        job.status, job.finished = JobStatus.FAILED, timezone.now()
        job.message, job.error = str(message)[:255], str(error)
        job.save(update_fields=["status", "finished", "message", "error"])
    return job


def latest_job_for(subject, kind: str) -> Job | None:
    """The most recent job of ``kind`` about ``subject``."""
    subject_type = ContentType.objects.get_for_model(subject)
    return Job.objects.filter(subject_type=subject_type, subject_id=str(subject.pk), kind=kind).first()
