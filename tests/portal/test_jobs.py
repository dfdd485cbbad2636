from datetime import timedelta

import pytest
from django.utils import timezone

from portal import jobs
from portal.choices import JobStatus
from portal.models import Job
from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_new_job_waits_and_names_its_subject():
    # given a person and a record
    user, agency = UserFactory(), AgencyFactory()
    # when they ask for a job about it
    job = jobs.job_create(kind="report", actor=user, subject=agency)
    # then it waits, at 0 %, pointing at the record
    assert (job.status, job.progress, job.requested_by, job.subject_id) == (JobStatus.QUEUED, 0, user, str(agency.pk))
    assert jobs.latest_job_for(agency, "report") == job


def test_only_one_worker_claims_a_job():
    job = jobs.job_create(kind="report", actor=None)
    assert jobs.job_start(job_id=job.pk) is True
    # a second delivery of the same task finds it taken
    assert jobs.job_start(job_id=job.pk) is False


def test_a_job_whose_worker_died_can_be_claimed_again():
    job = jobs.job_create(kind="report", actor=None)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started=timezone.now() - timedelta(hours=1))
    assert jobs.job_start(job_id=job.pk) is True


def test_progress_moves_forward_only_while_running():
    job = jobs.job_create(kind="report", actor=None)
    jobs.job_progress(job_id=job.pk, progress=50)
    assert Job.objects.get(pk=job.pk).progress == 0  # not started: nothing to report
    jobs.job_start(job_id=job.pk)
    jobs.job_progress(job_id=job.pk, progress=60, message="rendered")
    jobs.job_progress(job_id=job.pk, progress=10)
    job.refresh_from_db()
    assert (job.progress, job.message) == (60, "rendered")


def test_a_finished_job_keeps_its_file():
    job = jobs.job_create(kind="report", actor=None)
    jobs.job_start(job_id=job.pk)
    jobs.job_finish(job_id=job.pk, filename="r.pdf", content=b"%PDF-1.7 x")
    job.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    assert job.finished is not None
    with job.file.open("rb") as fh:
        assert fh.read() == b"%PDF-1.7 x"
    # finishing again (a task run twice) changes nothing
    assert jobs.job_finish(job_id=job.pk, filename="other.pdf", content=b"x").file.name == job.file.name
    assert jobs.job_fail(job_id=job.pk, error="late").status == JobStatus.DONE


def test_a_failed_job_says_so():
    job = jobs.job_create(kind="report", actor=None)
    jobs.job_start(job_id=job.pk)
    jobs.job_fail(job_id=job.pk, error="Traceback ...", message="The PDF could not be built.")
    job.refresh_from_db()
    assert (job.status, job.message, job.error) == (JobStatus.FAILED, "The PDF could not be built.", "Traceback ...")
    assert job.is_finished
