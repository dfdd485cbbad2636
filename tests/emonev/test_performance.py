"""Performance evaluation: achievement = actual ÷ target × 100 on cumulative figures, the
Permendagri 86/2017 bands at and beside each boundary, recording and verifying a
quarter's actual, the semester and year evaluation per plan item, program and agency,
the page (constant queries) and the API."""

import datetime
from decimal import Decimal as D
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from emonev.models import AchievementStatus, IndicatorAchievement
from emonev.performance import Band, achievement, band, mean
from emonev.selectors.performance import performance_evaluation
from emonev.services.performance import achievement_record, achievement_verify
from eplanning.choices import PlanStatus
from portal.models import AuditEntry
from portal.services import DomainError
from tests.ebudgeting.factories import FiscalYearFactory, member
from tests.eplanning.factories import PlanIndicatorFactory, PlanItemFactory
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


# --- The rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pct", "expected"),
    [
        ("150", Band.VERY_HIGH),
        ("91.00", Band.VERY_HIGH),
        ("90.99", Band.HIGH),
        ("90.50", Band.HIGH),
        ("76.00", Band.HIGH),
        ("75.99", Band.MEDIUM),
        ("66.00", Band.MEDIUM),
        ("65.99", Band.LOW),
        ("51.00", Band.LOW),
        ("50.99", Band.VERY_LOW),
        ("50.00", Band.VERY_LOW),
        ("0", Band.VERY_LOW),
    ],
)
def test_bands_at_and_beside_each_boundary(pct, expected):
    assert band(D(pct)) == expected


def test_achievement_is_actual_over_target_rounded_half_up():
    assert achievement(D("20"), D("20")) == D("100.00")
    assert achievement(D("1"), D("3")) == D("33.33")
    assert achievement(D("2"), D("3")) == D("66.67")
    assert achievement(D("0.90995"), D("1")) == D("91.00")  # 90.995 rounds up into "very high"
    assert achievement(D("5"), D("0")) is None and achievement(None, D("5")) is None
    assert band(None) == ""
    assert mean([D("80"), None, D("91")]) == D("85.50") and mean([None]) is None


# --- Recording and verifying ---------------------------------------------------------------------


@pytest.fixture
def world(kab_kupang, today):
    """An approved 2026 plan item with two indicators (targets Q1–Q4 10/20/30/40 and
    100/100/100/100); its agency's monev officer, Bappeda's verifier. Today is 5 June 2026:
    Q1 has ended, Q2 has not."""
    agency = AgencyFactory(region=kab_kupang)
    bappeda = AgencyFactory(region=kab_kupang)
    item = PlanItemFactory(agency=agency, fiscal_year=FiscalYearFactory(year=2026), status=PlanStatus.APPROVED)
    first = PlanIndicatorFactory(plan_item=item)
    second = PlanIndicatorFactory(
        plan_item=item,
        target_q1=D("100"),
        target_q2=D("100"),
        target_q3=D("100"),
        target_q4=D("100"),
        target_year=D("100"),
    )
    return SimpleNamespace(
        agency=agency,
        item=item,
        first=first,
        second=second,
        officer=member(agency, "monev_officer"),
        verifier=member(bappeda, "monev_verifier"),
    )


def test_officer_records_a_quarter_after_it_ends_and_the_verifier_verifies(world):
    record = achievement_record(
        indicator=world.first, quarter=1, actual="9", note="Konten Januari–Maret", actor=world.officer
    )
    assert (record.actual, record.status, record.agency_id) == (D("9"), AchievementStatus.RECORDED, world.agency.pk)
    # corrected before verification
    record = achievement_record(indicator=world.first, quarter=1, actual="9.5", actor=world.officer)
    assert IndicatorAchievement.objects.get().actual == D("9.5")
    record = achievement_verify(achievement=record, actor=world.verifier)
    assert record.status == AchievementStatus.VERIFIED and record.verified_by == world.verifier
    with pytest.raises(DomainError, match="verified"):
        achievement_record(indicator=world.first, quarter=1, actual="10", actor=world.officer)
    with pytest.raises(DomainError, match="already verified"):
        achievement_verify(achievement=record, actor=world.verifier)
    actions = list(
        AuditEntry.objects.filter(object_type="emonev.indicatorachievement")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "transition"]


def test_a_quarter_not_ended_is_refused(world, today):
    with pytest.raises(DomainError, match="quarter has ended"):
        achievement_record(indicator=world.first, quarter=2, actual="15", actor=world.officer)
    today.set(datetime.date(2026, 6, 30))
    with pytest.raises(DomainError, match="quarter has ended"):
        achievement_record(indicator=world.first, quarter=2, actual="15", actor=world.officer)
    today.set(datetime.date(2026, 7, 1))
    assert achievement_record(indicator=world.first, quarter=2, actual="15", actor=world.officer).quarter == 2


@pytest.mark.parametrize("value", ["", "abc", "-1", "1e20", "1.00001", "NaN"])
def test_bad_actual_is_refused_with_nothing_recorded(world, value):
    with pytest.raises(DomainError):
        achievement_record(indicator=world.first, quarter=1, actual=value, actor=world.officer)
    assert not IndicatorAchievement.objects.exists()


def test_the_actual_is_cumulative(world, today):
    today.set(datetime.date(2026, 7, 1))
    achievement_record(indicator=world.first, quarter=1, actual="12", actor=world.officer)
    with pytest.raises(DomainError, match="earlier quarter"):
        achievement_record(indicator=world.first, quarter=2, actual="11", actor=world.officer)
    achievement_record(indicator=world.first, quarter=2, actual="18", actor=world.officer)
    with pytest.raises(DomainError, match="later quarter"):
        achievement_record(indicator=world.first, quarter=1, actual="19", actor=world.officer)


def test_only_the_agencys_officer_records_and_a_regions_verifier_verifies(world, kota_kupang):
    with pytest.raises(PermissionDenied):
        achievement_record(indicator=world.first, quarter=1, actual="5", actor=world.verifier)
    with pytest.raises(PermissionDenied):
        achievement_record(
            indicator=world.first,
            quarter=1,
            actual="5",
            actor=member(AgencyFactory(region=world.agency.region), "monev_officer"),
        )
    record = achievement_record(indicator=world.first, quarter=1, actual="5", actor=world.officer)
    with pytest.raises(PermissionDenied):
        achievement_verify(achievement=record, actor=world.officer)
    with pytest.raises(PermissionDenied):
        achievement_verify(achievement=record, actor=member(AgencyFactory(region=kota_kupang), "monev_verifier"))


def test_a_plan_item_not_approved_is_refused(world):
    world.item.status = PlanStatus.DRAFT
    world.item.save()
    with pytest.raises(DomainError, match="approved"):
        achievement_record(indicator=world.first, quarter=1, actual="5", actor=world.officer)


# --- The evaluation ----------------------------------------------------------------------------


def _record(world, indicator, quarter, actual):
    return IndicatorAchievement.objects.create(
        indicator=indicator,
        plan_item=world.item,
        agency=world.agency,
        quarter=quarter,
        actual=D(actual),
        recorded_by=world.officer,
        recorded_at=datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC),
    )


def test_semester_and_year_per_indicator_plan_item_program_and_agency(world):
    _record(world, world.first, 1, "10")
    _record(world, world.first, 2, "18.2")  # 18.2 / 20 = 91.00 % → very high
    _record(world, world.second, 2, "76")  # 76 / 100 → high
    _record(world, world.first, 4, "30")  # 30 / 40 = 75.00 % → medium
    _record(world, world.second, 4, "90")  # 90 / 100 → high
    [agency] = performance_evaluation(world.officer, year=2026)
    [program] = agency.items
    [item] = program.items
    first, second = item.indicators
    assert [c.pct for c in first.quarters] == [D("100.00"), D("91.00"), None, D("75.00")]
    assert (first.semester1.pct, first.semester1.band) == (D("91.00"), Band.VERY_HIGH)
    assert (second.semester1.pct, second.semester1.band) == (D("76.00"), Band.HIGH)
    assert (first.year.band, second.year.band) == (Band.MEDIUM, Band.HIGH)
    # semester II alone: (30 − 18.2) of (40 − 20) = 59 %; nothing was planned after Q2 for the second
    assert (first.semester2.pct, first.semester2.band) == (D("59.00"), Band.LOW)
    assert second.semester2.pct is None
    # the plan item: the mean of its indicators; the program and agency: of their plan items
    assert (item.semester1.pct, item.semester1.band) == (D("83.50"), Band.HIGH)
    assert (item.semester2.pct, item.year.pct, item.year.band) == (D("59.00"), D("82.50"), Band.HIGH)
    assert program.year.pct == agency.year.pct == D("82.50") and agency.semester2.pct == D("59.00")
    assert program.code == world.item.sub_activity.parent.parent.code


def test_the_evaluation_is_scoped(world, kota_kupang):
    _record(world, world.first, 1, "10")
    stranger = member(AgencyFactory(region=kota_kupang), "monev_officer")
    assert performance_evaluation(stranger, year=2026) == []


def test_page_shows_bands_in_words_and_reads_constant_queries(client, world, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.cookies["django_language"] = "en"
    _record(world, world.first, 2, "18.2")
    client.force_login(world.officer)
    url = reverse("emonev:performance") + "?year=2026"
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        body = client.get(url).content.decode()
    assert "91.00% — Very high" in body and 'data-band="very_high"' in body
    assert reverse("emonev:achievement_record", args=[world.first.pk]) in body
    verify_url = reverse("emonev:achievement_verify", args=[IndicatorAchievement.objects.get().pk])
    assert verify_url not in body  # the officer does not verify
    for _ in range(3):
        more = PlanItemFactory(agency=world.agency, fiscal_year=world.item.fiscal_year, status=PlanStatus.APPROVED)
        indicator = PlanIndicatorFactory(plan_item=more)
        IndicatorAchievement.objects.create(
            indicator=indicator,
            plan_item=more,
            agency=world.agency,
            quarter=1,
            actual=D("5"),
            recorded_by=world.officer,
            recorded_at=datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC),
        )
    # session, user, memberships (reach), plan items with agency and program, their
    # indicators, the achievements: the same count with four plan items as with one
    with django_assert_num_queries(len(queries)):
        body = client.get(url).content.decode()
    assert body.count('data-test="item-evaluation"') == 4
    client.force_login(world.verifier)
    assert verify_url in client.get(url).content.decode()


def test_recording_and_verifying_through_the_page(client, world):
    client.cookies["django_language"] = "en"
    client.force_login(world.officer)
    response = client.post(
        reverse("emonev:achievement_record", args=[world.first.pk]), {"quarter": "1", "actual": "7,5", "note": "x"}
    )
    assert response.status_code == 302
    record = IndicatorAchievement.objects.get()
    assert record.actual == D("7.5")
    response = client.post(
        reverse("emonev:achievement_record", args=[world.first.pk]), {"quarter": "2", "actual": "8"}, follow=True
    )
    assert "recorded once the quarter has ended" in response.content.decode()
    client.force_login(world.verifier)
    assert client.post(reverse("emonev:achievement_verify", args=[record.pk])).status_code == 302
    record.refresh_from_db()
    assert record.status == AchievementStatus.VERIFIED


def test_api_records_verifies_and_evaluates(api_client, world, kota_kupang):
    api_client.force_authenticate(world.officer)
    response = api_client.post(
        "/api/emonev/achievements/record/",
        {"indicator": world.first.pk, "quarter": 1, "actual": "9.1"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["achievement_pct"] == "91.00" and response.json()["band"] == "very_high"
    bad = api_client.post(
        "/api/emonev/achievements/record/",
        {"indicator": world.first.pk, "quarter": 1, "actual": "-3"},
        format="json",
    )
    assert bad.status_code == 400
    pk = response.json()["id"]
    api_client.force_authenticate(world.verifier)
    verified = api_client.post(f"/api/emonev/achievements/{pk}/verify/")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    evaluation = api_client.get("/api/emonev/achievements/evaluation/?year=2026").json()
    [agency] = evaluation["agencies"]
    quarter = agency["programs"][0]["plan_items"][0]["indicators"][0]["quarters"][0]
    assert quarter == {
        "quarter": 1,
        "target": "10.0000",
        "actual": "9.1000",
        "verified": True,
        "pct": "91.00",
        "band": "very_high",
    }
    api_client.force_authenticate(member(AgencyFactory(region=kota_kupang), "monev_officer"))
    assert api_client.get(f"/api/emonev/achievements/{pk}/").status_code == 404
    assert api_client.get("/api/emonev/achievements/").json()["results"] == []


def test_home_page_tells_a_verifier_what_achievements_wait(client, world):
    from django.utils import timezone

    client.cookies["django_language"] = "en"
    client.force_login(world.verifier)
    assert "Indicator achievements to verify" not in client.get(reverse("portal:home")).content.decode()
    IndicatorAchievement.objects.create(
        indicator=world.first,
        plan_item=world.item,
        agency=world.agency,
        quarter=1,
        actual=D("5"),
        recorded_by=world.officer,
        recorded_at=timezone.now(),
    )
    body = client.get(reverse("portal:home")).content.decode()
    assert "Indicator achievements to verify" in body and reverse("emonev:performance") in body
    client.force_login(world.officer)
    assert "Indicator achievements to verify" not in client.get(reverse("portal:home")).content.decode()
