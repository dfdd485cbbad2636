"""The RKA/DPA PDF: built by a Celery task with progress, downloaded by those who may see it."""

import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from ebudgeting.tasks import PDF_JOB_KIND, build_document_pdf
from portal import jobs
from portal.choices import JobStatus
from portal.models import Job
from tests.ebudgeting.factories import BudgetLineFactory
from tests.ebudgeting.factories_ledger import approved_document

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def document(kab_kupang):
    """A DPA with three lines in two programs: Rp12.000.000 + Rp12.000.000 + Rp6.000.000."""
    document = approved_document(kab_kupang)
    BudgetLineFactory(document=document)
    BudgetLineFactory(document=document)
    BudgetLineFactory(document=document, volume=Decimal("6"))
    return document


def _pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:  # CI installs poppler-utils (.ci/run)
        pytest.fail("pdftotext is missing: install poppler-utils")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


def _request_pdf(client, document, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ebudgeting:pdf_document", args=[document.pk]))
    assert response.status_code == 302
    return Job.objects.get(kind=PDF_JOB_KIND)


def test_asking_for_the_pdf_builds_it_with_the_totals(
    client, make_member, document, django_capture_on_commit_callbacks
):
    # given a budget officer of the agency
    client.force_login(make_member(document.agency, "budget_officer"))
    # when they ask for the PDF (the task runs eagerly after commit)
    job = _request_pdf(client, document, django_capture_on_commit_callbacks)
    # then the job is done, its file a PDF with the header, the groups and the totals
    assert (job.status, job.progress) == (JobStatus.DONE, 100)
    with job.file.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"
    text = _pdf_text(job.file.path)
    assert "DPA" in text and document.agency.name in text and "Kabupaten Kupang" in text and "2026" in text
    assert "30.000.000,00" in text  # the document's total
    assert "Program" in text and "Sub" in text
    assert "DPA/001/2026" in text
    # and the page shows the download link
    page = client.get(reverse("ebudgeting:pdf_document", args=[document.pk])).content.decode()
    assert reverse("ebudgeting:pdf_download", args=[job.pk]) in page


def test_the_download_gives_the_file(client, make_member, document, django_capture_on_commit_callbacks):
    client.force_login(make_member(document.agency, "budget_officer"))
    job = _request_pdf(client, document, django_capture_on_commit_callbacks)
    response = client.get(reverse("ebudgeting:pdf_download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert "attachment" in response["Content-Disposition"]


def test_running_the_task_twice_builds_once(document):
    job = jobs.job_create(kind=PDF_JOB_KIND, actor=None, subject=document)
    assert build_document_pdf(job.pk) is True
    first = Job.objects.get(pk=job.pk).file.name
    assert build_document_pdf(job.pk) is False
    assert Job.objects.get(pk=job.pk).file.name == first


def test_a_failure_marks_the_job_failed_with_a_message(client, make_member, document, monkeypatch):
    def broken(html):
        raise RuntimeError("Pango is missing")

    monkeypatch.setattr("ebudgeting.tasks.html_to_pdf", broken)
    job = jobs.job_create(kind=PDF_JOB_KIND, actor=None, subject=document)
    assert build_document_pdf(job.pk) is False
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    # told in the language of whoever asked (here nobody: the portal's, Bahasa Indonesia)
    with translation.override("id"):
        expected = translation.gettext(
            "The PDF could not be built. Try again; if it fails again, tell the Kominfo admins."
        )
    assert job.message == expected != "" and "Pango is missing" in job.error
    assert not job.file
    # the page says so
    client.force_login(make_member(document.agency, "budget_officer"))
    fragment = client.get(reverse("ebudgeting:pdf_job", args=[job.pk])).content.decode()
    assert 'data-status="failed"' in fragment and "hx-get" not in fragment


def test_the_progress_fragment_polls_while_the_job_runs(client, make_member, document):
    job = jobs.job_create(kind=PDF_JOB_KIND, actor=None, subject=document)
    jobs.job_start(job_id=job.pk)
    jobs.job_progress(job_id=job.pk, progress=60, message="rendered")
    client.force_login(make_member(document.agency, "budget_officer"))
    fragment = client.get(reverse("ebudgeting:pdf_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and 'value="60"' in fragment and "rendered" in fragment


def test_kota_kupang_staff_cannot_ask_follow_or_download(
    client, make_member, kota_kupang, document, django_capture_on_commit_callbacks
):
    # given a PDF built for a Kab. Kupang document
    job = jobs.job_create(kind=PDF_JOB_KIND, actor=None, subject=document)
    build_document_pdf(job.pk)
    # when someone of Kota Kupang tries to reach it
    client.force_login(make_member(approved_document(kota_kupang).agency, "budget_officer"))
    # then every door answers "not found", and nothing is queued
    assert client.get(reverse("ebudgeting:pdf_download", args=[job.pk])).status_code == 404
    assert client.get(reverse("ebudgeting:pdf_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("ebudgeting:pdf_document", args=[document.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("ebudgeting:pdf_document", args=[document.pk])).status_code == 404
    assert Job.objects.count() == 1


def test_a_job_about_something_else_is_not_served_as_a_budget_pdf(client, make_member, document):
    job = jobs.job_create(kind="emonev.report", actor=None, subject=document)
    client.force_login(make_member(document.agency, "budget_officer"))
    assert client.get(reverse("ebudgeting:pdf_job", args=[job.pk])).status_code == 404
