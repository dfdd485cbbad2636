"""The E-Monev pages: lists with their deviation and a colour label readable without
colour, the report form with evidence, the verifier's queue, the critical list; scope
(another region's records answer 404) and constant query counts."""

import datetime
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import timezone

from emonev.choices import ReportStatus
from emonev.models import CriticalStatus, ProgressEvidence, ProgressReport
from emonev.services.critical import critical_evaluate, escalation_record
from eprocurement.choices import ContractStatus
from eprocurement.models import Contract
from tests.ebudgeting.factories import member
from tests.emonev.factories import TODAY, monev_world, report_row, set_contract_curve, upload
from tests.eprocurement.factories_packages import PackageFactory
from tests.eprocurement.factories_vendors import VendorFactory


def english(client):
    client.cookies["django_language"] = "en"


def critical(world, contract=None, actual="30"):
    """A critical status that began on the pinned day, so steps may be dated then."""
    status = critical_evaluate(
        contract=contract or world.contract,
        year=2026,
        month=5,
        planned=D("50"),
        actual=D(actual),
        basis="report",
        actor=None,
    )
    began = timezone.make_aware(datetime.datetime(2026, 6, 1))
    CriticalStatus.objects.filter(pk=status.pk).update(since=began)
    status.since = began
    return status


@pytest.fixture
def world(kab_kupang, today):
    world = monev_world(kab_kupang)
    set_contract_curve(world)
    return world


def more_contracts(world, count):
    """Contracts of other packages of the same agency, each with an accepted May report."""
    for _ in range(count):
        package = PackageFactory(agency=world.agency, fiscal_year=world.year, ppk=world.ppk, status="awarded")
        contract = Contract.objects.create(
            package=package,
            vendor=VendorFactory(status="verified"),
            number=f"KTR/X/{package.pk}",
            value=D("500000000"),
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            payment_terms="Termin",
            status=ContractStatus.SIGNED,
        )
        report_row(world, contract=contract, status=ReportStatus.ACCEPTED, planned_physical_pct=D("50"), evidence=False)
        critical(world, contract)


def test_progress_list_shows_deviation_with_a_text_label(client, world):
    report_row(world, physical=D("38.00"), status=ReportStatus.ACCEPTED, planned_physical_pct=D("50.00"))
    client.force_login(world.officer)
    english(client)
    response = client.get(reverse("emonev:progress_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert world.contract.number in body and "-12.00" in body
    assert 'data-level="far_behind"' in body and "Far behind plan" in body


def test_progress_list_of_plan_items(client, world):
    report_row(world, contract=None, plan_item=world.budget_plan_item, physical=D("20"), status=ReportStatus.SUBMITTED)
    client.force_login(world.officer)
    english(client)
    body = client.get(reverse("emonev:progress_list"), {"tab": "plan_items"}).content.decode()
    assert world.budget_plan_item.sub_activity.code in body and "20.00" in body


def test_progress_list_reads_a_constant_number_of_queries(client, world, django_assert_num_queries):
    # Queries (7): user; memberships and the agency's units (reach); the page's count; the
    # page's rows with their latest report and critical flag as subqueries; the unread
    # notifications and the menu's memberships (base.html) -- none per row.
    client.force_login(world.officer)
    client.get(reverse("emonev:progress_list"))  # the session is saved once after log-in
    more_contracts(world, 2)
    with django_assert_num_queries(7):
        client.get(reverse("emonev:progress_list"))
    more_contracts(world, 3)
    with django_assert_num_queries(7):
        body = client.get(reverse("emonev:progress_list")).content.decode()
    assert body.count('data-test="progress-row"') == 6


def test_subject_page_reads_a_constant_number_of_queries(client, world, django_assert_num_queries):
    # Queries (9): user; reach (2); the contract; its reports; its planned months; "may
    # report"; the menu (2) -- whatever the number of months and reports.
    client.force_login(world.officer)
    url = reverse("emonev:contract_progress", args=[world.contract.pk])
    client.get(url)
    report_row(world, month=1, evidence=False)
    with django_assert_num_queries(9):
        client.get(url)
    for month in (2, 3, 4):
        report_row(world, month=month, evidence=False)
    with django_assert_num_queries(9):
        body = client.get(url).content.decode()
    assert body.count('data-test="month-row"') == 10


def test_report_detail_reads_a_constant_number_of_queries(client, world, django_assert_num_queries):
    # Queries (8): user; reach; the report with its subject; "may decide"; the menu (2);
    # its evidence; its history -- whatever the number of files.
    report = report_row(world, status=ReportStatus.SUBMITTED)
    client.force_login(world.verifier)
    url = reverse("emonev:report_detail", args=[report.pk])
    client.get(url)
    with django_assert_num_queries(8):
        client.get(url)
    for _ in range(3):
        report.evidence.create(
            kind="document",
            file=upload(),
            content_type="application/pdf",
            original_name="ba.pdf",
            size=1,
            sha256="1" * 64,
            uploaded_by=world.officer,
        )
    with django_assert_num_queries(8):
        body = client.get(url).content.decode()
    assert body.count("/monev/bukti/") == 4


def test_scope_another_regions_records_answer_404(client, world, kota_kupang):
    report = report_row(world)
    outsider = monev_world(kota_kupang)
    client.force_login(outsider.verifier)
    for url in (
        reverse("emonev:contract_progress", args=[world.contract.pk]),
        reverse("emonev:contract_curve", args=[world.contract.pk]),
        reverse("emonev:plan_item_progress", args=[world.budget_plan_item.pk]),
        reverse("emonev:report_detail", args=[report.pk]),
        reverse("emonev:report_edit", args=[report.pk]),
        reverse("emonev:evidence_download", args=[report.evidence.get().pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("emonev:report_transition", args=[report.pk, "submit"])).status_code == 404
    body = client.get(reverse("emonev:progress_list")).content.decode()
    assert world.contract.number not in body


def test_officer_reports_a_month_through_the_pages(client, world):
    client.force_login(world.officer)
    english(client)
    url = reverse("emonev:contract_progress", args=[world.contract.pk])
    response = client.post(url, {"period": "2026-05"})
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("emonev:report_edit", args=[report.pk])
    edit = reverse("emonev:report_edit", args=[report.pk])
    client.post(edit, {"physical_pct": "48.5", "problems": "Material terlambat", "follow_up": "Pesan lebih awal"})
    bad = client.post(
        reverse("emonev:evidence_upload", args=[report.pk]),
        {"file": upload("virus.jpg", b"MZ\x90\x00program")},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400 and "is not a JPEG or PNG photo or a PDF document" in bad.content.decode()
    client.post(reverse("emonev:evidence_upload", args=[report.pk]), {"file": upload(), "caption": "Lokasi"})
    client.post(reverse("emonev:report_transition", args=[report.pk, "submit"]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.physical_pct == D("48.50")
    assert report.problems == "Material terlambat" and ProgressEvidence.objects.count() == 1


def test_verifier_returns_and_accepts_through_the_pages(client, world):
    report = report_row(world, status=ReportStatus.SUBMITTED)
    client.force_login(world.verifier)
    queue = client.get(reverse("emonev:verifier_queue")).content.decode()
    assert queue.count('data-test="queue-row"') == 1
    detail = client.get(reverse("emonev:report_detail", args=[report.pk])).content.decode()
    assert 'data-test="accept"' in detail and 'data-test="return"' in detail
    client.post(reverse("emonev:report_transition", args=[report.pk, "return"]), {"comment": "Foto buram"})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.verifier_comment == "Foto buram"
    # The officer cannot accept; the verifier cannot accept a returned report.
    client.post(reverse("emonev:report_transition", args=[report.pk, "accept"]))
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED


def test_verifier_queue_reads_a_constant_number_of_queries(client, world, django_assert_num_queries):
    client.force_login(world.verifier)
    client.get(reverse("emonev:verifier_queue"))
    for month in (1, 2):
        report_row(world, month=month, status=ReportStatus.SUBMITTED, evidence=False)
    # Queries (6): user; reach; the count; the rows with subject and agency joined; the menu (2).
    with django_assert_num_queries(6):
        client.get(reverse("emonev:verifier_queue"))
    for month in (3, 4, 5):
        report_row(world, month=month, status=ReportStatus.SUBMITTED, evidence=False)
    with django_assert_num_queries(6):
        body = client.get(reverse("emonev:verifier_queue")).content.decode()
    assert body.count('data-test="queue-row"') == 5


def test_critical_list_with_escalations_reads_a_constant_number_of_queries(client, world, django_assert_num_queries):
    status = critical(world)
    escalation_record(status=status, step="scm1", held_on=TODAY, reference="BA/1", actor=world.ppk)
    client.force_login(world.ppk)
    client.get(reverse("emonev:critical_list"))
    # Queries (8): user; reach (2); the count; the rows with contract, package, agency and
    # vendor joined; all their escalation steps at once; the menu (2).
    with django_assert_num_queries(8):
        body = client.get(reverse("emonev:critical_list")).content.decode()
    assert body.count('data-test="critical-row"') == 1
    more_contracts(world, 3)
    with django_assert_num_queries(8):
        body = client.get(reverse("emonev:critical_list")).content.decode()
    assert body.count('data-test="critical-row"') == 4


def test_ppk_sets_the_curve_from_the_proposed_s_curve(client, world):
    client.force_login(world.ppk)
    english(client)
    url = reverse("emonev:contract_curve", args=[world.contract.pk])
    page = client.get(url, {"propose": "1"})
    form = page.context["form"]
    data = {name: form[name].value() for name in form.fields}
    response = client.post(url, data)
    assert response.status_code == 302
    assert world.contract.value == D(str(data["financial_9"]))
    bad = {**data, "physical_9": "99.99"}
    response = client.post(url, bad, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "must reach 100%" in response.content.decode()


def test_only_the_ppk_opens_the_curve_form(client, world):
    client.force_login(world.officer)
    assert client.get(reverse("emonev:contract_curve", args=[world.contract.pk])).status_code == 403


def test_ppk_records_an_escalation_on_the_critical_page(client, world):
    status = critical(world)
    client.force_login(world.ppk)
    english(client)
    url = reverse("emonev:critical_detail", args=[status.pk])
    response = client.post(
        url, {"step": "sp1", "held_on": TODAY.isoformat(), "reference": "SP/1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200 and "The next step is: Show-cause meeting 1" in response.content.decode()
    client.post(url, {"step": "scm1", "held_on": TODAY.isoformat(), "reference": "BA/1"})
    assert status.escalations.count() == 1
    client.force_login(world.officer)
    assert client.post(url, {"step": "sp1", "held_on": "2026-06-01", "reference": "SP/1"}).status_code == 403


def test_plan_item_page_and_its_curve_for_the_planner(client, world):
    planner = member(world.agency, "planner")
    client.force_login(planner)
    english(client)
    item = world.budget_plan_item
    page = client.get(reverse("emonev:plan_item_progress", args=[item.pk]))
    assert page.status_code == 200 and 'data-test="set-curve"' in page.content.decode()
    assert 'data-test="new-report"' not in page.content.decode()  # planners do not report
    url = reverse("emonev:plan_item_curve", args=[item.pk])
    form = client.get(url).context["form"]  # no curve yet: the even proposal
    data = {name: form[name].value() for name in form.fields}
    assert client.post(url, data).status_code == 302
    body = client.get(reverse("emonev:plan_item_progress", args=[item.pk])).content.decode()
    assert body.count('data-test="month-row"') == 12
