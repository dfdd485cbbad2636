"""E-Monev in the admin: scoped to the admin's reach, read-only (status never written)."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from emonev.choices import ReportStatus
from emonev.models import ProgressReport
from emonev.services.critical import critical_evaluate
from tests.emonev.factories import monev_world, report_row, set_contract_curve


@pytest.fixture
def reports(kab_kupang, kota_kupang, today):
    mine, theirs = monev_world(kab_kupang), monev_world(kota_kupang)
    set_contract_curve(mine)
    critical_evaluate(
        contract=mine.contract, year=2026, month=5, planned=D("50"), actual=D("30"), basis="report", actor=None
    )
    return mine, report_row(mine, status=ReportStatus.SUBMITTED), report_row(theirs)


def test_the_admin_lists_and_opens_only_its_regions_records(client, make_admin, reports):
    mine, my_report, their_report = reports
    client.force_login(make_admin(mine.agency))
    changelist = client.get(reverse("admin:emonev_progressreport_changelist"))
    assert list(changelist.context["cl"].queryset) == [my_report]
    page = client.get(reverse("admin:emonev_progressreport_change", args=[my_report.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and reverse("emonev:evidence_download", args=[my_report.evidence.get().pk]) in body
    other = client.get(reverse("admin:emonev_progressreport_change", args=[their_report.pk]))
    assert other.status_code == 302  # answered like a missing record
    for name in ("plannedcurve", "criticalstatus"):
        assert client.get(reverse(f"admin:emonev_{name}_changelist")).status_code == 200


def test_nothing_is_written_in_the_admin(client, make_admin, reports):
    mine, my_report, _their_report = reports
    client.force_login(make_admin(mine.agency))
    url = reverse("admin:emonev_progressreport_change", args=[my_report.pk])
    response = client.post(url, {"status": "accepted", "physical_pct": "100"})
    assert response.status_code == 403
    my_report.refresh_from_db()
    assert (my_report.status, my_report.physical_pct) == (ReportStatus.SUBMITTED, D("40.00"))
    assert client.get(reverse("admin:emonev_progressreport_add")).status_code == 403
    assert ProgressReport.objects.count() == 2


def test_the_reports_parts_records_are_read_only_and_scoped_in_the_admin(client, make_admin, kab_kupang, kota_kupang):
    from django.utils import timezone

    from emonev.models import MonthlyReport

    mine = MonthlyReport.objects.create(region=kab_kupang, year=2026, month=5, claimed_at=timezone.now())
    theirs = MonthlyReport.objects.create(region=kota_kupang, year=2026, month=5, claimed_at=timezone.now())
    from tests.factories import AgencyFactory

    client.force_login(make_admin(AgencyFactory(region=kab_kupang)))
    changelist = client.get(reverse("admin:emonev_monthlyreport_changelist"))
    assert list(changelist.context["cl"].queryset) == [mine]
    assert client.get(reverse("admin:emonev_monthlyreport_change", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:emonev_monthlyreport_change", args=[theirs.pk])).status_code == 302
    for name in ("remindersent", "indicatorachievement"):
        assert client.get(reverse(f"admin:emonev_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:emonev_monthlyreport_add")).status_code == 403
