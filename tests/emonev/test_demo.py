"""E-Monev's demo data, loaded by ``manage.py load_demo`` after E-Procurement's: curves,
the reports of the months that have ended, the critical contract and its first escalation
step, and the achievements of the quarters that have ended. The ``today`` fixture sets
the date the services see (the demo year is 2027)."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from emonev.choices import ReportStatus
from emonev.demo import PLAN_ITEMS, load_monev_demo
from emonev.models import (
    AchievementStatus,
    CriticalStatus,
    Escalation,
    IndicatorAchievement,
    PlannedCurve,
    PlannedPoint,
    ProgressEvidence,
    ProgressReport,
)
from eplanning.demo import PROVINCE, demo_plan_item
from eprocurement.models import Contract
from portal.choices import Role
from portal.demo import demo_email
from portal.demo_data import demo_loaders
from portal.models import AuditEntry, User
from tests.eprocurement.factories_bids import new_master_key
from tests.eprocurement.factories_vendors import kbli_codes

pytestmark = pytest.mark.django_db

MODELS = (
    PlannedCurve,
    PlannedPoint,
    ProgressReport,
    ProgressEvidence,
    CriticalStatus,
    Escalation,
    IndicatorAchievement,
    AuditEntry,
)


def load() -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("load_demo", "--force", stdout=out)
    return out.getvalue()


def counts() -> dict:
    return {model.__name__: model.objects.count() for model in MODELS}


def statuses(**subject) -> list[tuple[int, str]]:
    reports = ProgressReport.objects.filter(**subject).order_by("year", "month")
    return [(r.month, r.status) for r in reports]


def plan_items():
    return [demo_plan_item(PROVINCE, code) for code, _spec in PLAN_ITEMS]


def test_the_loader_runs_after_procurement():
    labels = [str(label) for label, _loader in demo_loaders()]
    assert load_monev_demo in [loader for _label, loader in demo_loaders()]
    assert labels.index("E-Monev") > labels.index("E-Procurement")


def test_in_july_of_the_demo_year_the_months_and_quarters_so_far_are_reported(today, settings, tmp_path):
    settings.PORTAL_SEALING_MASTER_KEY, settings.PORTAL_SEALING_OLD_MASTER_KEYS = new_master_key(), []
    settings.MEDIA_ROOT = tmp_path / "media"
    today.set(datetime.date(2027, 7, 15))
    kbli_codes()

    load()

    # The signed road contract (Feb–Sep 2027): an S-curve by the PPK, five months
    # accepted, falling behind until critical, and the PPK's first step recorded.
    (contract,) = Contract.objects.all()
    curve = PlannedCurve.objects.get(contract=contract)
    assert curve.set_by.email == demo_email(Role.PPK) and curve.points.count() == 8
    assert statuses(contract=contract) == [(month, ReportStatus.ACCEPTED) for month in range(2, 7)]
    reports = list(ProgressReport.objects.filter(contract=contract).order_by("month"))
    assert all(r.decided_by.email == demo_email(Role.MONEV_VERIFIER) for r in reports)
    assert [r.physical_pct for r in reports] == sorted(r.physical_pct for r in reports)
    assert reports[-1].planned_physical_pct - reports[-1].physical_pct > 10
    status = CriticalStatus.objects.get(contract=contract)
    assert status.is_critical and (status.year, status.month) == (2027, 6)
    (escalation,) = status.escalations.all()
    assert escalation.step == "scm1" and escalation.recorded_by.email == demo_email(Role.PPK)
    # Its advance (SP2D of 15 February) counts from February on.
    assert reports[0].financial_realized == (contract.value * 20 / 100).quantize(reports[0].financial_realized)

    # The plan items: January to June; the first's June waits for the verifier, the
    # second's was returned with comments.
    first, second = plan_items()
    accepted = [(month, ReportStatus.ACCEPTED) for month in range(1, 6)]
    assert statuses(plan_item=first) == [*accepted, (6, ReportStatus.SUBMITTED)]
    assert statuses(plan_item=second) == [*accepted, (6, ReportStatus.RETURNED)]
    assert ProgressReport.objects.get(plan_item=second, month=6).verifier_comment
    assert PlannedCurve.objects.get(plan_item=first).set_by.email == demo_email(Role.MONEV_OFFICER)

    # Each report has one small photo, a real JPEG.
    assert ProgressEvidence.objects.count() == ProgressReport.objects.count() == 17
    photo = ProgressEvidence.objects.first()
    assert photo.content_type == "image/jpeg" and 0 < photo.size < 20_000
    assert photo.file.read(3) == b"\xff\xd8\xff"

    # Achievements: Q1 verified, Q2 recorded, for each indicator of the plan items.
    achievements = IndicatorAchievement.objects.filter(plan_item__in=plan_items())
    assert {(a.quarter, a.status) for a in achievements} == {
        (1, AchievementStatus.VERIFIED),
        (2, AchievementStatus.RECORDED),
    }
    assert achievements.count() == 2 * sum(item.indicators.count() for item in plan_items())

    # A second run adds nothing.
    before = counts()
    load()
    assert counts() == before


def test_the_demo_pages_open_for_the_demo_accounts(today, settings, tmp_path, client):
    settings.PORTAL_SEALING_MASTER_KEY, settings.PORTAL_SEALING_OLD_MASTER_KEYS = new_master_key(), []
    settings.MEDIA_ROOT = tmp_path / "media"
    today.set(datetime.date(2027, 5, 3))
    kbli_codes()
    load()
    (contract,) = Contract.objects.all()
    first, _second = plan_items()
    waiting = ProgressReport.objects.get(plan_item=first, status=ReportStatus.SUBMITTED)
    evidence = waiting.evidence.get()
    pages = {
        Role.MONEV_OFFICER: [
            reverse("emonev:contract_progress", args=[contract.pk]),
            reverse("emonev:plan_item_progress", args=[first.pk]),
            reverse("emonev:dashboard_contract", args=[contract.pk]),
            reverse("emonev:trace_contract", args=[contract.pk]),
            reverse("emonev:evidence_download", args=[evidence.pk]),
            reverse("emonev:performance"),
        ],
        Role.MONEV_VERIFIER: [reverse("emonev:verifier_queue"), reverse("emonev:report_detail", args=[waiting.pk])],
        Role.PPK: [reverse("emonev:critical_detail", args=[CriticalStatus.objects.get().pk])],
    }
    for role, urls in pages.items():
        client.force_login(User.objects.get(email=demo_email(role)))
        for url in urls:
            assert client.get(url).status_code == 200, url
    client.force_login(User.objects.get(email=demo_email(Role.MONEV_VERIFIER)))
    assert (
        f'href="{reverse("emonev:report_detail", args=[waiting.pk])}"'
        in client.get(reverse("emonev:verifier_queue")).content.decode()
    )


def test_without_a_sealing_key_only_the_plan_items_are_monitored(today, settings, caplog, tmp_path):
    settings.PORTAL_SEALING_MASTER_KEY = ""
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path / "media"
    today.set(datetime.date(2027, 4, 20))

    load()

    assert not Contract.objects.exists() and not CriticalStatus.objects.exists()
    assert "plan items only" in caplog.text
    first, second = plan_items()
    assert statuses(plan_item=first) == [(1, "accepted"), (2, "accepted"), (3, "submitted")]
    assert statuses(plan_item=second) == [(1, "accepted"), (2, "accepted"), (3, "returned")]
    assert set(IndicatorAchievement.objects.values_list("quarter", "status")) == {(1, AchievementStatus.RECORDED)}


def test_before_the_demo_year_only_the_curves_exist_and_a_later_run_adds_the_months(today, settings, tmp_path):
    settings.PORTAL_SEALING_MASTER_KEY = ""
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path / "media"
    today.set(datetime.date(2026, 11, 28))

    load()

    assert PlannedCurve.objects.count() == 2 and PlannedPoint.objects.count() == 24
    assert not ProgressReport.objects.exists() and not IndicatorAchievement.objects.exists()

    # Loaded again in March: January and February; in April, February (submitted before)
    # has been accepted and March waits.
    today.set(datetime.date(2027, 3, 2))
    load()
    first, second = plan_items()
    assert statuses(plan_item=first) == [(1, "accepted"), (2, "submitted")]
    assert statuses(plan_item=second) == [(1, "accepted"), (2, "returned")]
    today.set(datetime.date(2027, 4, 2))
    load()
    assert statuses(plan_item=first) == [(1, "accepted"), (2, "accepted"), (3, "submitted")]
    # The returned February stays with the officer, to correct.
    assert statuses(plan_item=second) == [(1, "accepted"), (2, "returned"), (3, "returned")]
    assert set(IndicatorAchievement.objects.values_list("quarter", "status")) == {(1, AchievementStatus.RECORDED)}
