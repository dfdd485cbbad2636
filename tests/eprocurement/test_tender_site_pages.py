"""The public tender list, the tender page and the feed: what everyone may read, without
logging in, and what nobody sees before opening."""

import itertools
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from eprocurement.choices import BidStatus, PackageStatus, ProcurementKind, TenderStage
from eprocurement.models import Bid, Package, PackageDocument, Question, ScheduleChange
from eprocurement.selectors.tender_site import OWN_SEARCH_FIELDS
from portal.search import text_search
from tests.eprocurement.factories_packages import PackageFactory, tender_world
from tests.eprocurement.factories_vendors import VendorFactory

LIST = reverse("eprocurement:tender_list")
ATOM = "{http://www.w3.org/2005/Atom}"
CODES = itertools.count(1)


@pytest.fixture
def world(kab_kupang):
    return tender_world(kab_kupang, phase="explanation")


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages speak Bahasa Indonesia first
    return client


def more_packages(world, count, **fields):
    """Announced packages of the world's agency, each with a schedule like the world's."""
    from eprocurement.models import PackageStage

    made = []
    for _ in range(count):
        package = PackageFactory(
            agency=world.agency,
            fiscal_year=world.year,
            status=PackageStatus.ANNOUNCED,
            code=f"X{next(CODES):08d}",
            announced_at=timezone.now(),
            **fields,
        )
        PackageStage.objects.bulk_create(
            PackageStage(package=package, stage=row.stage, starts_at=row.starts_at, ends_at=row.ends_at)
            for row in world.package.stages.all()
        )
        made.append(package)
    return made


def rows(response) -> int:
    return response.content.decode().count('data-test="tender-row"')


# --- The list -----------------------------------------------------------------------------------


def draft_package(world):
    return PackageFactory(agency=world.agency, fiscal_year=world.year, name="Konsep paket rahasia")


def test_the_list_shows_announced_tenders_with_stage_and_deadline_never_a_draft(client, english, world):
    draft = draft_package(world)
    body = english.get(LIST).content.decode()
    assert world.package.name in body and world.package.code in body
    assert draft.name not in body
    assert "Explanation (pemberian penjelasan)" in body  # the stage running now
    deadline = timezone.localtime(world.package.stages.get(stage=TenderStage.BID_SUBMISSION).ends_at)
    assert deadline.strftime("%H:%M") in body


def test_the_list_reads_a_constant_number_of_queries(client, world, django_assert_num_queries):
    # Queries (5): the page's count; its rows with agency, region and year joined; the
    # current stage and bid deadline of those rows only (subqueries, one query); the
    # regions and the fiscal years for the filter form. None per row. (Agencies are
    # offered once a region is chosen: +1.)
    more_packages(world, 2)
    with django_assert_num_queries(5):
        assert rows(client.get(LIST)) == 3
    more_packages(world, 4)
    with django_assert_num_queries(5):
        assert rows(client.get(LIST)) == 7
    with django_assert_num_queries(7):  # + the chosen region, + its agencies
        assert rows(client.get(LIST, {"region": world.agency.region_id})) == 7


def test_a_full_page_stays_light(client, world):
    more_packages(world, 30)
    response = client.get(LIST)
    assert rows(response) == 25
    assert len(response.content) < 25_000  # under 1 kB a row: fine over a slow mobile connection


def test_search_finds_name_code_agency_and_kode_rup(client, world):
    jalan = more_packages(world, 1, name="Rehabilitasi jalan Oelamasi", description="Ruas jalan kabupaten")[0]
    assert rows(client.get(LIST, {"q": "oelam"})) == 1  # a prefix of a word of the name
    assert rows(client.get(LIST, {"q": "ruas jalan"})) == 1
    assert rows(client.get(LIST, {"q": jalan.code})) == 1
    assert rows(client.get(LIST, {"q": world.plan_item.rup_code})) == 1
    assert world.package.name in client.get(LIST, {"q": world.plan_item.rup_code}).content.decode()
    # Words from different fields: the agency's name and the package's name together.
    assert rows(client.get(LIST, {"q": f"{world.agency.name.split()[-1]} oelamasi"})) == 1
    assert rows(client.get(LIST, {"q": "tidakadakatasepertiini"})) == 0


def test_filters_narrow_the_list(client, world, kota_kupang):
    goods = more_packages(world, 1, kind=ProcurementKind.GOODS, owner_estimate=Decimal("300000000"))[0]
    elsewhere = tender_world(kota_kupang, phase="bidding").package
    assert rows(client.get(LIST, {"kind": "goods"})) == 1
    assert rows(client.get(LIST, {"region": world.agency.region_id})) == 2
    assert rows(client.get(LIST, {"region": world.agency.region.parent_id})) == 3  # the province covers both
    assert rows(client.get(LIST, {"region": "53.71"})) == 1  # a region by its Kemendagri code
    assert rows(client.get(LIST, {"agency": elsewhere.agency_id})) == 1
    assert rows(client.get(LIST, {"max_value": "400.000.000"})) == 1
    assert goods.name in client.get(LIST, {"max_value": "400000000"}).content.decode()
    assert rows(client.get(LIST, {"min_value": "400000000"})) == 2
    assert rows(client.get(LIST, {"status": "opened"})) == 0
    assert rows(client.get(LIST, {"year": world.year.year})) == 3
    assert rows(client.get(LIST, {"method": "seleksi"})) == 0


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "kapal"},
        {"region": "abc"},
        {"region": "99999999"},
        {"agency": "-1"},
        {"min_value": "sepuluh"},
        {"max_value": "1e999"},
        {"year": "20x6"},
        {"status": "draft"},
        {"page": "zzz"},
        {"min_value": "500", "max_value": "100"},
    ],
)
def test_a_bad_filter_is_ignored_with_a_message_never_an_error(client, english, world, params):
    response = english.get(LIST, params)
    assert response.status_code == 200
    assert rows(response) == 1  # the filter was dropped: the tender still shows
    if "page" not in params:
        assert 'data-test="filter-problems"' in response.content.decode()


def test_the_list_is_paginated_by_25(client, world):
    more_packages(world, 25)
    assert rows(client.get(LIST)) == 25
    second = client.get(LIST, {"page": 2, "kind": "works"})
    assert rows(second) == 1
    assert "kind=works" in second.content.decode()  # the filters follow the page links


# --- The feed ------------------------------------------------------------------------------------


def atom(response):
    return ET.fromstring(response.content)  # noqa: S314 -- our own feed, not untrusted input


def test_the_feed_is_valid_atom_of_announced_tenders_with_the_filters(client, world, kota_kupang):
    other = tender_world(kota_kupang, phase="bidding").package
    response = client.get(reverse("eprocurement:tender_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = atom(response)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    titles = {entry.find(f"{ATOM}title").text for entry in entries}
    assert f"{world.package.code} {world.package.name}" in titles
    link = entries[0].find(f"{ATOM}link").get("href")
    assert link.startswith("http") and "/pengadaan/tender/" in link
    filtered = atom(client.get(reverse("eprocurement:tender_feed"), {"region": kota_kupang.pk}))
    assert [e.find(f"{ATOM}title").text for e in filtered.findall(f"{ATOM}entry")] == [f"{other.code} {other.name}"]
    by_kind = atom(client.get(reverse("eprocurement:tender_feed"), {"kind": "goods"}))
    assert by_kind.findall(f"{ATOM}entry") == []


# --- The tender page -----------------------------------------------------------------------------


def detail(package):
    return reverse("eprocurement:tender_detail", args=[package.pk])


def test_a_draft_package_is_not_found_publicly(client, world):
    draft = draft_package(world)
    assert client.get(detail(draft)).status_code == 404
    assert client.get(reverse("eprocurement:tender_detail", args=[987654])).status_code == 404


def test_the_page_shows_the_tender_and_marks_the_stage_running_now(client, english, world):
    world.package.qualification_requirements = "SBU BG004 kualifikasi kecil"
    world.package.save()
    body = english.get(detail(world.package)).content.decode()
    for fact in (world.package.name, world.package.code, world.agency.name, world.plan_item.rup_code):
        assert fact in body
    assert "SBU BG004 kualifikasi kecil" in body
    assert "950.000.000,00" in body or "950,000,000.00" in body  # HPS is public
    assert body.count('data-test="stage-row"') == world.package.stages.count()
    assert body.count('data-test="current-stage"') >= 1
    assert "WITA" in body and "Pass/fail" in body


SECRET = "SEALED-CANARY-7731"  # stands in for a sealed price: it must never reach the page


def sealed_bids(world, count):
    vendors = [VendorFactory(status="verified", name=f"PT Rahasia {n} {world.package.pk}") for n in range(count)]
    return [
        Bid.objects.create(
            package=world.package,
            vendor=vendor,
            status=BidStatus.SUBMITTED,
            sealed_price=f"{SECRET}-{n}",
            price_sha256="a" * 64,
            submitted_at=timezone.now(),
        )
        for n, vendor in enumerate(vendors)
    ]


def test_before_opening_only_the_number_of_bids_shows(client, english, world):
    bids = sealed_bids(world, 2)
    Bid.objects.create(package=world.package, vendor=world.vendors[0], status=BidStatus.DRAFT, sealed_price=SECRET)
    body = english.get(detail(world.package)).content.decode()
    assert "2 bids submitted." in body
    assert SECRET not in body
    for bid in bids:
        assert bid.vendor.name not in body
    assert 'data-test="opened-bid"' not in body


def test_after_opening_the_opened_bids_show_by_price(client, english, world):
    cheap, dear = sealed_bids(world, 2)
    for bid, price in ((dear, "900000000"), (cheap, "850000000")):
        bid.opened_price, bid.opened_at = Decimal(price), timezone.now()
        bid.save()
    world.package.status = PackageStatus.OPENED
    world.package.save()
    body = english.get(detail(world.package)).content.decode()
    assert body.count('data-test="opened-bid"') == 2
    assert body.index(cheap.vendor.name) < body.index(dear.vendor.name)
    assert "850,000,000.00" in body
    assert SECRET not in body


def test_a_package_cancelled_before_opening_never_shows_bidders(client, english, world):
    (bid,) = sealed_bids(world, 1)
    world.package.status = PackageStatus.CANCELLED
    world.package.save()
    body = english.get(detail(world.package)).content.decode()
    assert "1 bid submitted." in body and bid.vendor.name not in body


def _rich(world, n):
    for i in range(n):
        Question.objects.create(
            package=world.package,
            vendor=world.vendors[0],
            asked_by=world.vendors[0].owner,
            text=f"Pertanyaan nomor {i}",
            asked_at=timezone.now(),
        )
        PackageDocument.objects.create(
            package=world.package,
            kind="addendum",
            title=f"Adendum {i}",
            file="packages/x.pdf",
            sha256="b" * 64,
            uploaded_by=world.ppk,
        )
        ScheduleChange.objects.create(
            package=world.package,
            stage=TenderStage.BID_SUBMISSION,
            old_starts_at=timezone.now(),
            old_ends_at=timezone.now(),
            new_starts_at=timezone.now(),
            new_ends_at=timezone.now(),
            reason=f"Gangguan server {i}",
            changed_by=world.ppk,
        )


def test_the_page_reads_a_constant_number_of_queries(client, world, django_assert_num_queries):
    # Queries (7): the package with agency, region and year joined and the submitted bids
    # counted; its stages, RUP items (with the items), documents, schedule changes and
    # questions, each one prefetch query; the award (none yet, so no result section).
    # No opened bids query before opening.
    _rich(world, 1)
    sealed_bids(world, 1)
    with django_assert_num_queries(7):
        client.get(detail(world.package))
    _rich(world, 3)
    sealed_bids(world, 2)
    with django_assert_num_queries(7):
        body = client.get(detail(world.package)).content.decode()
    assert body.count('data-test="question"') == 4
    assert body.count('data-test="document"') == 4
    assert body.count('data-test="schedule-change"') == 4
    assert "Gangguan server 2" in body


def test_questions_are_public_without_the_asking_company(client, english, world):
    Question.objects.create(
        package=world.package,
        vendor=world.vendors[0],
        asked_by=world.vendors[0].owner,
        text="Apakah boleh konsorsium?",
        answer="Boleh, dengan perjanjian KSO.",
        answered_by=world.pokja[0],
        answered_at=timezone.now(),
        asked_at=timezone.now(),
    )
    body = english.get(detail(world.package)).content.decode()
    assert "Apakah boleh konsorsium?" in body and "Boleh, dengan perjanjian KSO." in body
    assert "from a participant" in body
    assert world.vendors[0].name not in body


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_search_reads_the_gin_index_of_migration_0005(db):
    # The index is built on the expression portal.search builds: if either changes, the
    # search falls back to reading every package, which this catches. Unordered, as the
    # list uses it (a ``pk__in`` subquery), so no index serving an order competes.
    query = text_search(Package.objects.all(), OWN_SEARCH_FIELDS, "jembatan").order_by().values("pk")
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "package_search_simple" in plan
