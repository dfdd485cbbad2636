"""The E-Monev API: reports scoped to the caller, each state change an action calling the
service; curves set by the PPK; the critical list with its escalation action."""

import datetime
from decimal import Decimal as D

import pytest
from django.utils import timezone

from emonev.choices import ReportStatus
from emonev.models import CriticalStatus, ProgressReport
from emonev.services.critical import critical_evaluate
from tests.emonev.factories import TODAY, even_curve, jpeg_bytes, monev_world, realize, report_row, set_contract_curve

URL = "/api/emonev/reports/"


@pytest.fixture
def world(kab_kupang, today):
    world = monev_world(kab_kupang)
    set_contract_curve(world)
    return world


def create(api_client, world, **overrides):
    body = {"contract": world.contract.pk, "year": 2026, "month": 5, "physical_pct": "42.00", "problems": "Hujan"}
    return api_client.post(URL, {**body, **overrides}, format="json", HTTP_ACCEPT_LANGUAGE="en")


def test_officer_reports_through_the_api_and_verifier_accepts(api_client, world):
    realize(world.lines[0], "200000000", datetime.date(2026, 4, 30), subject=world.contract)
    api_client.force_authenticate(world.officer)
    response = create(api_client, world, financial_realized="1", status="accepted")
    assert response.status_code == 201, response.content
    report = response.json()
    assert report["status"] == "draft" and report["financial_realized"] is None
    photo = api_client.post(
        f"{URL}{report['id']}/evidence/",
        {"file": _file(jpeg_bytes(), "foto.jpg"), "caption": "Lokasi"},
        format="multipart",
    )
    assert photo.status_code == 201 and photo.json()["kind"] == "photo"
    submitted = api_client.post(f"{URL}{report['id']}/submit/")
    assert submitted.status_code == 200, submitted.content
    data = submitted.json()
    assert data["status"] == "submitted" and D(data["financial_realized"]) == D("200000000.00")
    assert D(data["physical_deviation"]) == D("-8.00") and data["deviation_level"] == "behind"

    api_client.force_authenticate(world.verifier)
    assert api_client.post(f"{URL}{report['id']}/return/", {}, format="json").status_code == 400
    accepted = api_client.post(f"{URL}{report['id']}/accept/", {"comment": "Lengkap"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"


def test_bad_input_is_refused_with_a_clear_message(api_client, world):
    api_client.force_authenticate(world.officer)
    response = create(api_client, world, month=7)
    assert response.status_code == 400 and "has not begun" in str(response.json())
    response = create(api_client, world, contract=None)
    assert response.status_code == 400 and "either a contract or a plan item" in str(response.json())
    draft = create(api_client, world).json()
    bad = api_client.post(
        f"{URL}{draft['id']}/evidence/",
        {"file": _file(b"GIF89a....", "a.gif")},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400 and "not a JPEG or PNG photo or a PDF" in str(bad.json())
    submit = api_client.post(f"{URL}{draft['id']}/submit/", HTTP_ACCEPT_LANGUAGE="en")
    assert submit.status_code == 400 and "at least one photo" in str(submit.json())
    assert ProgressReport.objects.get().status == ReportStatus.DRAFT


def test_another_regions_reports_answer_404(api_client, world, kota_kupang):
    report = report_row(world, status=ReportStatus.SUBMITTED)
    outsider = monev_world(kota_kupang)
    api_client.force_authenticate(outsider.verifier)
    assert api_client.get(URL).json()["count"] == 0
    assert api_client.get(f"{URL}{report.pk}/").status_code == 404
    assert api_client.post(f"{URL}{report.pk}/accept/", {}, format="json").status_code == 404
    api_client.force_authenticate(outsider.officer)
    assert create(api_client, world).status_code == 404  # cannot even learn the contract exists
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED


def test_list_is_scoped_and_filtered(api_client, world):
    report_row(world, month=4, status=ReportStatus.ACCEPTED)
    report_row(world, month=5, status=ReportStatus.SUBMITTED)
    api_client.force_authenticate(world.verifier)
    assert api_client.get(URL).json()["count"] == 2
    rows = api_client.get(URL, {"status": "submitted"}).json()["results"]
    assert [r["month"] for r in rows] == [5] and len(rows[0]["evidence"]) == 1


def test_ppk_sets_a_curve_through_the_api(api_client, world):
    physical, financial = even_curve(10, world.contract.value)
    points = [{"physical_pct": str(p), "financial": str(f)} for p, f in zip(physical, financial, strict=True)]
    points[2]["physical_pct"] = "5.00"
    api_client.force_authenticate(world.ppk)
    body = {"contract": world.contract.pk, "points": points}
    bad = api_client.post("/api/emonev/curves/", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400 and "month 3 is lower" in str(bad.json())
    points[2]["physical_pct"] = "30.00"
    response = api_client.post("/api/emonev/curves/", body, format="json")
    assert response.status_code == 201 and len(response.json()["points"]) == 10
    api_client.force_authenticate(world.officer)
    assert api_client.post("/api/emonev/curves/", body, format="json").status_code == 403


def test_critical_list_and_escalation_through_the_api(api_client, world, kota_kupang):
    status = critical_evaluate(
        contract=world.contract, year=2026, month=5, planned=D("50"), actual=D("30"), basis="report", actor=None
    )
    CriticalStatus.objects.filter(pk=status.pk).update(since=timezone.make_aware(datetime.datetime(2026, 6, 1)))
    api_client.force_authenticate(world.ppk)
    rows = api_client.get("/api/emonev/critical/").json()["results"]
    assert [r["contract_number"] for r in rows] == [world.contract.number]
    url = f"/api/emonev/critical/{status.pk}/escalate/"
    response = api_client.post(url, {"step": "scm1", "held_on": TODAY.isoformat(), "reference": "BA/1"}, format="json")
    assert response.status_code == 201 and response.json()["step"] == "scm1"
    wrong = api_client.post(url, {"step": "sp2", "held_on": TODAY.isoformat(), "reference": "SP/2"}, format="json")
    assert wrong.status_code == 400
    api_client.force_authenticate(monev_world(kota_kupang).ppk)
    assert api_client.get(f"/api/emonev/critical/{status.pk}/").status_code == 404
    assert api_client.get("/api/emonev/critical/").json()["count"] == 0


def _file(content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_report_list_reads_a_constant_number_of_queries(api_client, world, django_assert_num_queries):
    # Queries (3): the count; the rows with subject and agency joined; all their evidence
    # at once. (The caller's reach is read once and kept on the authenticated user.)
    api_client.force_authenticate(world.verifier)
    api_client.get(URL)  # reads the caller's reach
    report_row(world, month=1)
    with django_assert_num_queries(3):
        api_client.get(URL)
    for month in (2, 3, 4):
        report_row(world, month=month)
    with django_assert_num_queries(3):
        assert api_client.get(URL).json()["count"] == 4
