"""The monthly monev report: content read from the database, the PDF's text and the
workbook match it, beat builds each month's reports once, on demand with progress, and
downloads are checked by scope."""

import datetime
import hashlib
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from emonev.choices import ReportStatus
from emonev.models import CriticalStatus, MonthlyReport
from emonev.reports import monthly_content
from emonev.services import monthly
from emonev.tasks import build_monthly_report, build_monthly_reports
from portal.choices import JobStatus
from portal.models import Job
from tests.ebudgeting.factories import member
from tests.emonev.factories import monev_world, report_row, set_contract_curve
from tests.emonev.test_pages import more_contracts
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def eager(settings, client):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.cookies["django_language"] = "en"


@pytest.fixture
def world(kab_kupang, today):
    """May 2026: the contract's curve plans 50 % and Rp500.000.000; the report says 35 %
    with Rp300.000.000 realized, submitted late, with problems and follow-up."""
    world = monev_world(kab_kupang)
    set_contract_curve(world)
    world.report = report_row(
        world,
        month=5,
        physical=Decimal("35.00"),
        status=ReportStatus.ACCEPTED,
        planned_physical_pct=Decimal("50.00"),
        planned_financial=Decimal("500000000.00"),
        financial_realized=Decimal("300000000.00"),
        financial_total=world.contract.value,
        problems="Hujan deras menghambat pengecoran",
        follow_up="Tambah shift malam",
        is_late=True,
    )
    CriticalStatus.objects.create(
        contract=world.contract,
        agency=world.agency,
        is_critical=True,
        year=2026,
        month=5,
        planned_pct=Decimal("50.00"),
        actual_pct=Decimal("35.00"),
        basis="report",
        evaluated_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC),
    )
    return world


def _pdf_text(path, *options) -> str:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install poppler-utils")
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_content_reads_the_month_report_and_flags(world):
    content = monthly_content(region=world.agency.region, agency=world.agency, year=2026, month=5)
    row = next(r for r in content.rows if r.kind == "contract")
    assert (row.planned_pct, row.actual_pct, row.deviation) == (Decimal("50.00"), Decimal("35.00"), Decimal("-15.00"))
    assert row.level == "far_behind" and row.critical and row.late and not row.missing
    assert row.realized == Decimal("300000000.00") and row.planned_financial == Decimal("500000000.00")
    # the plan item that funds the contract has no report: missing, and late after the 10th of June
    item = next(r for r in content.rows if r.kind == "plan_item")
    assert item.missing and item.actual_pct is None and not item.late
    late = monthly_content(
        region=world.agency.region, agency=world.agency, year=2026, month=5, today=datetime.date(2026, 6, 11)
    )
    assert next(r for r in late.rows if r.kind == "plan_item").late


def test_a_draft_does_not_count_and_another_region_is_left_out(world, kab_kupang, kota_kupang):
    other = monev_world(kota_kupang)
    report_row(other, month=5, physical=Decimal("90.00"), status=ReportStatus.DRAFT)
    content = monthly_content(region=kab_kupang, year=2026, month=5)
    assert other.contract.pk not in [r.pk for r in content.rows]
    theirs = monthly_content(region=kota_kupang, agency=other.agency, year=2026, month=5)
    other_row = next(r for r in theirs.rows if r.kind == "contract")
    assert other_row.missing and other_row.actual_pct is None


def test_content_reads_in_constant_queries(world, kab_kupang, django_assert_num_queries):
    # contracts and plan items, each with the month's report, plan and critical flag as subqueries
    with django_assert_num_queries(2):
        monthly_content(region=kab_kupang, year=2026, month=5)
    more_contracts(world, 3)
    with django_assert_num_queries(2):
        content = monthly_content(region=kab_kupang, year=2026, month=5)
    assert len(content.rows) == 5


def test_pdf_text_and_workbook_match_the_database(world, tmp_path):
    with translation.override("en"):
        report = monthly.monthly_report_claim(region=world.agency.region, agency=world.agency, year=2026, month=5)
        report = monthly.monthly_report_build(report=report)
    assert report.generated_at is not None and report.rows == 2
    pdf = report.pdf.read()
    report.pdf.seek(0)
    assert report.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    text = _pdf_text(path, "-layout")
    contract_line = next(line for line in text.splitlines() if world.contract.number in line)
    for figure in ("50.00", "35.00", "-15.00", "300,000,000.00", "500,000,000.00", "Far behind", "Critical", "Late"):
        assert figure in contract_line, figure
    # long texts wrap inside their cells: read them in reading order, spaces normalised
    flowing = " ".join(_pdf_text(path).split())
    assert "Hujan deras menghambat pengecoran" in flowing and "Tambah shift malam" in flowing
    assert "05/2026" in text and world.agency.name in text
    sheet = load_workbook(io.BytesIO(report.xlsx.read())).active
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=5)]
    contract_row = next(r for r in rows if r[2] == world.contract.number)
    assert contract_row[5:8] == [50, 35, -15]
    assert contract_row[9] == 300000000 and contract_row[10] == 500000000
    assert contract_row[14] == "Hujan deras menghambat pengecoran"


def test_beat_builds_last_months_reports_once_after_the_due_day(
    world, today, settings, django_capture_on_commit_callbacks
):
    settings.LANGUAGE_CODE = "en"
    # on the due day itself nothing is claimed
    today.set(datetime.date(2026, 6, 10))
    assert build_monthly_reports() == 0
    today.set(datetime.date(2026, 6, 11))
    with django_capture_on_commit_callbacks(execute=True):
        assert build_monthly_reports() == 2  # the agency's and the region's, each built by its own task
    reports = MonthlyReport.objects.filter(year=2026, month=5)
    assert {(r.agency_id, r.region_id) for r in reports} == {
        (world.agency.pk, world.agency.region_id),
        (None, world.agency.region_id),
    }
    assert all(r.is_ready for r in reports)
    # the next day's run (or a second beat) claims nothing; a build delivered twice does nothing
    today.set(datetime.date(2026, 6, 12))
    assert build_monthly_reports() == 0
    assert build_monthly_report(reports[0].pk) is False
    assert MonthlyReport.objects.count() == 2


def test_building_again_replaces_the_files(world, django_capture_on_commit_callbacks):
    from django.core.files.storage import default_storage

    with translation.override("en"):
        report = monthly.monthly_report_claim(region=world.agency.region, agency=world.agency, year=2026, month=5)
        with django_capture_on_commit_callbacks(execute=True):
            first = monthly.monthly_report_build(report=report)
        old_name = first.pdf.name
        world.report.problems = "Material terlambat"
        world.report.save(update_fields=["problems"])
        with django_capture_on_commit_callbacks(execute=True):
            second = monthly.monthly_report_build(report=report)
    assert second.pdf_sha256 != first.pdf_sha256 and second.generated_at > first.generated_at
    assert default_storage.exists(second.pdf.name) and not default_storage.exists(old_name)


def test_an_unfinished_claim_is_taken_again_after_the_lease(world, today):
    from django.utils import timezone

    region = world.agency.region
    first = monthly.monthly_report_claim(region=region, agency=None, year=2026, month=5)
    assert monthly.monthly_report_claim(region=region, agency=None, year=2026, month=5) is None
    MonthlyReport.objects.filter(pk=first.pk).update(claimed_at=timezone.now() - monthly.CLAIM_LEASE * 2)
    assert monthly.monthly_report_claim(region=region, agency=None, year=2026, month=5).pk == first.pk


def test_on_demand_with_progress_then_download(client, world, django_capture_on_commit_callbacks):
    world.officer.language = "en"
    world.officer.save()
    client.force_login(world.officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("emonev:monthly_request"), {"scope": f"agency:{world.agency.pk}", "period": "2026-05"}
        )
    report = MonthlyReport.objects.get()
    assert response.status_code == 302 and response.url == reverse("emonev:monthly_detail", args=[report.pk])
    job = Job.objects.get(kind=monthly.JOB_KIND)
    assert job.status == JobStatus.DONE and job.progress == 100
    fragment = client.get(reverse("emonev:monthly_job", args=[job.pk]))
    assert b'data-status="done"' in fragment.content and b"hx-get" not in fragment.content
    report.refresh_from_db()
    detail = client.get(reverse("emonev:monthly_detail", args=[report.pk])).content.decode()
    assert report.pdf_sha256 in detail and report.xlsx_sha256 in detail
    download = client.get(reverse("emonev:monthly_download", args=[report.pk, "pdf"]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.get(reverse("emonev:monthly_download", args=[report.pk, "xlsx"])).status_code == 200
    assert client.get(reverse("emonev:monthly_download", args=[report.pk, "doc"])).status_code == 404


def test_asking_for_a_month_not_ended_or_out_of_scope_is_refused(client, world, kab_kupang, kota_kupang):
    client.force_login(world.officer)
    response = client.post(
        reverse("emonev:monthly_request"), {"scope": f"agency:{world.agency.pk}", "period": "2026-06"}, follow=True
    )
    assert MonthlyReport.objects.count() == 0
    assert "A month&#x27;s report is built once the month has ended." in response.content.decode()
    # an agency officer may not ask for the whole region's report
    response = client.post(reverse("emonev:monthly_request"), {"scope": f"region:{kab_kupang.pk}", "period": "2026-05"})
    assert response.status_code == 403 and MonthlyReport.objects.count() == 0
    stranger = member(AgencyFactory(region=kota_kupang), "monev_officer")
    client.force_login(stranger)
    response = client.post(
        reverse("emonev:monthly_request"), {"scope": f"agency:{world.agency.pk}", "period": "2026-05"}
    )
    assert response.status_code == 403


def test_downloads_and_list_are_checked_by_scope(client, world, kab_kupang, kota_kupang):
    with translation.override("en"):
        agency_report = monthly.monthly_report_build(
            report=monthly.monthly_report_claim(region=kab_kupang, agency=world.agency, year=2026, month=5)
        )
        region_report = monthly.monthly_report_build(
            report=monthly.monthly_report_claim(region=kab_kupang, agency=None, year=2026, month=5)
        )
    # the agency's officer: its own report, not the region's
    client.force_login(world.officer)
    assert client.get(reverse("emonev:monthly_download", args=[agency_report.pk, "pdf"])).status_code == 200
    assert client.get(reverse("emonev:monthly_download", args=[region_report.pk, "pdf"])).status_code == 404
    listing = client.get(reverse("emonev:monthly_list")).content.decode()
    assert reverse("emonev:monthly_detail", args=[agency_report.pk]) in listing
    assert reverse("emonev:monthly_detail", args=[region_report.pk]) not in listing
    # Bappeda's verifier reaches the region: both
    client.force_login(world.verifier)
    assert client.get(reverse("emonev:monthly_download", args=[region_report.pk, "xlsx"])).status_code == 200
    # another region's officer: neither
    client.force_login(member(AgencyFactory(region=kota_kupang), "monev_officer"))
    assert client.get(reverse("emonev:monthly_download", args=[agency_report.pk, "pdf"])).status_code == 404


def test_list_page_in_constant_queries(client, world, kab_kupang, django_assert_num_queries):
    from django.utils import timezone

    client.force_login(world.verifier)

    def add(month):
        MonthlyReport.objects.create(
            region=kab_kupang, agency=world.agency, year=2025, month=month, claimed_at=timezone.now()
        )

    add(1)
    client.get(reverse("emonev:monthly_list"))  # warm the session and reach
    with django_assert_num_queries(count := _count(client)):
        client.get(reverse("emonev:monthly_list"))
    for month in range(2, 8):
        add(month)
    with django_assert_num_queries(count):
        response = client.get(reverse("emonev:monthly_list"))
    assert response.content.decode().count('data-test="monthly-row"') == 7


def _count(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("emonev:monthly_list"))
    return len(queries)


def test_api_builds_lists_and_scopes_monthly_reports(
    api_client, world, kota_kupang, django_capture_on_commit_callbacks
):
    api_client.force_authenticate(world.officer)
    body = {"region": world.agency.region_id, "agency": world.agency.pk, "year": 2026, "month": 5}
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/emonev/monthly-reports/build/", body, format="json")
    assert response.status_code == 202, response.content
    report = MonthlyReport.objects.get(pk=response.json()["report"]["id"])
    assert report.is_ready and Job.objects.get(pk=response.json()["job"]).status == JobStatus.DONE
    [listed] = api_client.get("/api/emonev/monthly-reports/").json()["results"]
    assert listed["pdf_sha256"] == report.pdf_sha256 and listed["pdf_url"].endswith("/pdf/")
    # the whole region is not the officer's to ask for; a month not ended is refused
    region_only = {**body, "agency": None}
    assert api_client.post("/api/emonev/monthly-reports/build/", region_only, format="json").status_code == 403
    assert api_client.post("/api/emonev/monthly-reports/build/", {**body, "month": 6}, format="json").status_code == 400
    api_client.force_authenticate(member(AgencyFactory(region=kota_kupang), "monev_officer"))
    assert api_client.get(f"/api/emonev/monthly-reports/{report.pk}/").status_code == 404
    assert api_client.get("/api/emonev/monthly-reports/").json()["results"] == []


def test_the_page_refuses_a_bad_scope_or_month_with_a_message(client, world):
    client.force_login(world.officer)
    cases = {
        "Choose the agency or region of the report.": {"scope": "agency:x", "period": "2026-05"},
        "Choose a month.": {"scope": f"agency:{world.agency.pk}", "period": "May"},
    }
    for message, data in cases.items():
        response = client.post(reverse("emonev:monthly_request"), data, follow=True)
        assert [str(m) for m in response.context["messages"]] == [message]
    assert MonthlyReport.objects.count() == 0


def test_a_running_build_shows_its_progress_and_polls(client, world):
    from portal import jobs

    report, job = monthly.monthly_report_request(
        region=world.agency.region, agency=world.agency, year=2026, month=5, actor=world.officer
    )
    jobs.job_start(job_id=job.pk)
    jobs.job_progress(job_id=job.pk, progress=20, message="Figures read")
    client.force_login(world.officer)
    page = client.get(reverse("emonev:monthly_detail", args=[report.pk])).content.decode()
    assert 'value="20"' in page and "Figures read" in page
    assert f'hx-get="{reverse("emonev:monthly_job", args=[job.pk])}"' in page
    # someone outside the scope cannot follow it
    client.force_login(member(AgencyFactory(region=world.agency.region), "monev_officer"))
    assert client.get(reverse("emonev:monthly_job", args=[job.pk])).status_code == 404
