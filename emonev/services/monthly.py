"""The monthly monev report: claimed, built (PDF and XLSX) and stored per agency and per
region.

Beat runs ``monthly_reports_due`` every day; once last month's due day has passed it
claims the report of every agency with something to monitor and of every such region,
each by creating its unique row, so however often beat runs each report is built once.
A claim whose build never finished (a dead worker) may be taken again after
``CLAIM_LEASE``. A person in the scope may also ask for a report on demand (for any ended
month): the row is rebuilt in a background job whose progress the page polls.
"""

from __future__ import annotations

import datetime
import hashlib
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eplanning.choices import PlanStatus
from eplanning.models import PlanItem
from eprocurement.choices import ContractStatus
from eprocurement.models import Contract
from portal import jobs
from portal.audit import audit_record
from portal.choices import AuditAction, Role
from portal.models import Agency, Job, Region, User
from portal.scoping import reach_of
from portal.services import DomainError

from ..models import MonthlyReport
from ..reports import monthly_content, monthly_filename, monthly_html, monthly_workbook
from ..rules import due_date, month_end, previous_month

JOB_KIND = "emonev.monthly_report"
REQUEST_ROLES = (Role.MONEV_OFFICER, Role.MONEV_VERIFIER, Role.LEADER)
CLAIM_LEASE = timedelta(hours=1)


def _key(region: Region, agency: Agency | None, year: int, month: int) -> dict:
    return {"region": region, "agency": agency, "year": year, "month": month}


def monthly_report_claim(*, region: Region, agency: Agency | None, year: int, month: int) -> MonthlyReport | None:
    """Claim the building of one report: the row created now, or an unfinished one whose
    claim has lapsed. None when another run holds it or it is built."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return MonthlyReport.objects.create(**_key(region, agency, year, month), claimed_at=now)
    except IntegrityError:
        pass
    taken = MonthlyReport.objects.filter(
        **_key(region, agency, year, month), generated_at__isnull=True, claimed_at__lt=now - CLAIM_LEASE
    ).update(claimed_at=now)
    return MonthlyReport.objects.get(**_key(region, agency, year, month)) if taken else None


def monthly_reports_due(*, today: datetime.date | None = None) -> list[MonthlyReport]:
    """Claim last month's reports once its due day has passed (none before). Returns the
    reports claimed by this call, for the caller to build."""
    today = today or timezone.localdate()
    year, month = previous_month(today)
    if today <= due_date(year, month):
        return []
    first_day, last_day = datetime.date(year, month, 1), month_end(year, month)
    contract_agencies = Contract.objects.filter(
        status__in=[ContractStatus.SIGNED, ContractStatus.COMPLETED], starts_on__lte=last_day
    ).exclude(status=ContractStatus.COMPLETED, ends_on__lt=first_day)
    agency_ids = set(contract_agencies.values_list("package__agency_id", flat=True))
    agency_ids |= set(
        PlanItem.objects.filter(status=PlanStatus.APPROVED, fiscal_year__year=year).values_list("agency_id", flat=True)
    )
    agencies = list(Agency.objects.filter(pk__in=agency_ids).select_related("region").order_by("region_id", "id"))
    claimed = []
    for region in {a.region_id: a.region for a in agencies}.values():
        report = monthly_report_claim(region=region, agency=None, year=year, month=month)
        if report is not None:
            claimed.append(report)
    for agency in agencies:
        report = monthly_report_claim(region=agency.region, agency=agency, year=year, month=month)
        if report is not None:
            claimed.append(report)
    return claimed


def can_request(user: User, *, region: Region, agency: Agency | None) -> bool:
    """An agency's report: its monev officers and leaders, and those reaching the region
    with one of those roles or as monev verifier; a region's: those reaching the region."""
    reach = reach_of(user, REQUEST_ROLES)
    if reach.everything or region.pk in reach.region_ids:
        return True
    return agency is not None and agency.pk in reach.agency_ids


def monthly_report_request(
    *, region: Region, agency: Agency | None = None, year: int, month: int, actor: User
) -> tuple[MonthlyReport, Job]:
    """Ask for (year, month)'s report of ``agency`` or of the whole ``region`` now; the
    build task is enqueued after commit (the caller passes it the job)."""
    if agency is not None and agency.region_id != region.pk:
        raise DomainError({"agency": _("The agency is not in this region.")})
    if not can_request(actor, region=region, agency=agency):
        raise PermissionDenied(_("Only the agency's monev officers and leaders, or Bappeda, ask for its report."))
    if not isinstance(year, int) or not isinstance(month, int) or not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise DomainError({"month": _("Choose a month.")})
    if timezone.localdate() <= month_end(year, month):
        raise DomainError({"month": _("A month's report is built once the month has ended.")})
    with transaction.atomic():
        report, _created = MonthlyReport.objects.get_or_create(
            **_key(region, agency, year, month), defaults={"claimed_at": timezone.now()}
        )
        job = jobs.job_create(kind=JOB_KIND, actor=actor, subject=report)
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=report,
            reason="requested",
            changes={"job": job.pk, "year": year, "month": month},
        )
    return report, job


def monthly_report_build(*, report: MonthlyReport, actor: User | None = None, progress=None) -> MonthlyReport:
    """Read the month's figures, render the PDF and the XLSX and store both on the row.
    ``progress(percent, message)`` is told how far it is."""
    from ebudgeting.pdf import html_to_pdf

    tell = progress or (lambda pct, message: None)
    report = MonthlyReport.objects.select_related("region", "agency").get(pk=report.pk)
    content = monthly_content(region=report.region, agency=report.agency, year=report.year, month=report.month)
    tell(20, _("Figures read"))
    pdf = html_to_pdf(monthly_html(content))
    tell(70, _("PDF rendered"))
    xlsx = monthly_workbook(content)
    tell(90, _("Workbook written, storing both"))
    with transaction.atomic():
        report = MonthlyReport.objects.select_for_update().get(pk=report.pk)
        old = {"pdf_sha256": report.pdf_sha256, "xlsx_sha256": report.xlsx_sha256}
        replaced = [f.name for f in (report.pdf, report.xlsx) if f]
        report.pdf.save(monthly_filename(content, "pdf"), ContentFile(pdf), save=False)
        report.xlsx.save(monthly_filename(content, "xlsx"), ContentFile(xlsx), save=False)
        report.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        report.xlsx_sha256 = hashlib.sha256(xlsx).hexdigest()
        report.rows, report.generated_at = len(content.rows), timezone.now()
        report.save(update_fields=["pdf", "xlsx", "pdf_sha256", "xlsx_sha256", "rows", "generated_at"])
        audit_record(
            actor=actor or "emonev",
            action=AuditAction.UPDATE,
            obj=report,
            reason="generated",
            changes={
                "pdf_sha256": [old["pdf_sha256"], report.pdf_sha256],
                "xlsx_sha256": [old["xlsx_sha256"], report.xlsx_sha256],
                "rows": report.rows,
            },
        )
        # The files of an earlier build go once the new ones are committed.
        transaction.on_commit(lambda: _delete_files(replaced))
    return report


def _delete_files(names: list[str]) -> None:
    storage = MonthlyReport._meta.get_field("pdf").storage
    for name in names:
        storage.delete(name)
