"""Package pages: the list and detail (scoped, constant queries), the draft's forms, the
transitions as POST forms, and document downloads."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from eprocurement.choices import PackageStatus, TenderStage
from eprocurement.models import Package, PackageDocument, ScheduleChange
from eprocurement.services import packages as services
from tests.eprocurement.factories_packages import PackageFactory, tender_world
from tests.eprocurement.packages_helpers import create, drafting_world, pdf, ready_draft

pytestmark = pytest.mark.django_db
FORMAT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def world(kab_kupang):
    return drafting_world(kab_kupang)


@pytest.fixture
def other(kota_kupang):
    return drafting_world(kota_kupang)


def login_pokja(client, world, activate_totp, index=0):
    """Pokja members must use an authenticator app (PORTAL_MFA_REQUIRED_ROLES)."""
    activate_totp(world.pokja[index])
    client.force_login(world.pokja[index])


def test_the_list_shows_only_packages_in_reach_and_filters_by_status(client, world, other):
    mine, theirs = create(world, name="Jembatan Kab"), create(other, name="Jembatan Kota")
    client.force_login(world.ppk)
    body = client.get(reverse("eprocurement:package_list")).content.decode()
    assert mine.name in body and theirs.name not in body
    assert 'data-test="new-package"' in body
    body = client.get(reverse("eprocurement:package_list"), {"status": "announced"}).content.decode()
    assert mine.name not in body


def _packages(world, count):
    for _ in range(count):
        PackageFactory(agency=world.agency, fiscal_year=world.year)


def test_the_list_reads_a_constant_number_of_queries(client, world, django_assert_num_queries):
    # Queries (9): user; memberships and the agency's units (reach); the page's count;
    # "may create" (own agencies); the unread notifications and the memberships for the
    # menu (base.html); the open fiscal years for the filter; the page's rows (agency,
    # region and year joined, RUP items counted in the same query) -- no query per row.
    client.force_login(world.ppk)
    client.get(reverse("eprocurement:package_list"))
    _packages(world, 3)
    with django_assert_num_queries(9):
        client.get(reverse("eprocurement:package_list"))
    _packages(world, 2)
    with django_assert_num_queries(9):
        assert client.get(reverse("eprocurement:package_list")).content.decode().count('data-test="package-row"') == 5


def test_the_detail_reads_a_constant_number_of_queries(client, kab_kupang, django_assert_num_queries):
    # Queries (13): user; memberships and the agency's units (reach); the package in reach
    # (agency, region, year, PPK, re-tender of joined); its RUP items (with the items), pokja
    # (with users), stages, documents and schedule changes, one prefetch each; "is a pokja
    # member" (for the actions; the PPK is known from the row); the unread notifications
    # and the memberships for the menu; the history -- nothing per document or change.
    world = tender_world(kab_kupang, phase="explanation")
    client.force_login(world.ppk)
    url = reverse("eprocurement:package_detail", args=[world.package.pk])
    client.get(url)

    def more_rows():
        services.store_document(world.package, world.ppk, kind="other", title="Lampiran", file=pdf())
        row = world.package.stages.get(stage=TenderStage.CONTRACT_SIGNING)
        ScheduleChange.objects.create(
            package=world.package,
            stage=row.stage,
            old_starts_at=row.starts_at,
            old_ends_at=row.ends_at,
            new_starts_at=row.starts_at,
            new_ends_at=row.ends_at,
            reason="uji",
            changed_by=world.pokja[0],
        )

    more_rows()
    with django_assert_num_queries(13):
        client.get(url)
    more_rows()
    more_rows()
    with django_assert_num_queries(13):
        body = client.get(url).content.decode()
    assert body.count('data-test="document-row"') == 3 and body.count('data-test="change-row"') == 3
    assert body.count('data-test="stage-row"') == len(TenderStage.values)
    assert 'data-test="current-stage"' in body


def test_a_ppk_drafts_a_package_through_the_form(client, english, world):
    client.force_login(world.ppk)
    page = client.get(reverse("eprocurement:package_create"))
    assert world.plan_items[0].rup_code in page.content.decode()
    response = client.post(
        reverse("eprocurement:package_create"),
        {
            "agency": world.agency.pk,
            "plan_items": [i.pk for i in world.plan_items],
            "name": "Jembatan Oesao",
            "evaluation_method": "gugur",
            "owner_estimate": "2000000000",
        },
    )
    assert response.status_code == 200 and "above the ceiling" in response.content.decode()
    assert not Package.objects.exists()
    response = client.post(
        reverse("eprocurement:package_create"),
        {
            "agency": world.agency.pk,
            "plan_items": [i.pk for i in world.plan_items],
            "name": "Jembatan Oesao",
            "evaluation_method": "gugur",
            "owner_estimate": "900000000",
        },
    )
    package = Package.objects.get()
    assert response.status_code == 302 and response.url == reverse("eprocurement:package_detail", args=[package.pk])


def test_team_schedule_and_document_forms_lead_to_an_announcement(client, world, django_capture_on_commit_callbacks):
    package = create(world)
    client.force_login(world.ppk)
    team = client.post(
        reverse("eprocurement:package_team", args=[package.pk]),
        {"ppk": world.ppk.pk, "chair": world.pokja[0].pk, "member_2": world.pokja[1].pk, "member_3": world.pokja[2].pk},
    )
    assert team.status_code == 302 and package.pokja_members.count() == 3

    form = client.get(reverse("eprocurement:package_schedule", args=[package.pk])).context["form"]
    # The proposed schedule, a day later.
    data = {name: (form.initial[name] + datetime.timedelta(days=1)).strftime(FORMAT) for name in form.fields}
    assert client.post(reverse("eprocurement:package_schedule", args=[package.pk]), data).status_code == 302
    assert package.stages.count() == len(TenderStage.values)

    upload = client.post(
        reverse("eprocurement:package_document_add", args=[package.pk]),
        {"kind": "selection", "title": "Dokumen pemilihan", "file": pdf()},
    )
    assert upload.status_code == 302 and package.documents.count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("eprocurement:package_transition", args=[package.pk, "announce"]))
    package.refresh_from_db()
    assert package.status == PackageStatus.ANNOUNCED and package.code


def test_a_schedule_error_names_the_stage_on_the_form(client, english, world):
    package = create(world)
    client.force_login(world.ppk)
    form = client.get(reverse("eprocurement:package_schedule", args=[package.pk])).context["form"]
    data = {name: form.initial[name].strftime(FORMAT) for name in form.fields}
    start = form.initial["objection_start"]
    data["objection_end"] = (start + datetime.timedelta(days=2)).strftime(FORMAT)
    response = client.post(reverse("eprocurement:package_schedule", args=[package.pk]), data)
    assert response.status_code == 200
    assert "must last at least 5 days" in response.content.decode()
    assert not package.stages.exists()


def test_an_incomplete_announcement_shows_what_is_missing(client, english, world):
    package = create(world)
    client.force_login(world.ppk)
    response = client.post(reverse("eprocurement:package_transition", args=[package.pk, "announce"]), follow=True)
    assert "selection document" in response.content.decode()
    package.refresh_from_db()
    assert package.status == PackageStatus.DRAFT


def test_a_draft_document_is_for_staff_an_announced_one_for_everyone(client, world, other):
    package = ready_draft(world)
    document = PackageDocument.objects.get(package=package)
    url = reverse("eprocurement:package_document_download", args=[document.pk])
    assert client.get(url).status_code == 404
    client.force_login(other.ppk)
    assert client.get(url).status_code == 404
    client.force_login(world.ppk)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    services.package_announce(package=package, actor=world.pokja[0])
    client.logout()
    assert client.get(url).status_code == 200


def test_the_pokja_extends_and_issues_addenda_from_the_page(client, kab_kupang, activate_totp):
    world = tender_world(kab_kupang, phase="explanation")
    login_pokja(client, world, activate_totp)
    deadline = world.package.stages.get(stage=TenderStage.BID_SUBMISSION).ends_at
    new_end = timezone.localtime(deadline + datetime.timedelta(days=1))
    response = client.post(
        reverse("eprocurement:package_extend", args=[world.package.pk]),
        {"stage": "bid_submission", "new_end": new_end.strftime(FORMAT), "reason": "Gangguan listrik"},
    )
    assert response.status_code == 302
    assert world.package.stages.get(stage=TenderStage.BID_SUBMISSION).ends_at == new_end.replace(
        second=0, microsecond=0
    )
    response = client.post(
        reverse("eprocurement:package_addendum", args=[world.package.pk]),
        {"title": "Adendum 1", "file": pdf(), "reason": "Volume berubah"},
    )
    assert response.status_code == 302 and world.package.documents.filter(kind="addendum").count() == 1


def test_kota_kupang_cannot_see_or_change_a_kab_kupang_package(client, world, other):
    package = ready_draft(world)
    client.force_login(other.ppk)
    assert client.get(reverse("eprocurement:package_detail", args=[package.pk])).status_code == 404
    assert client.get(reverse("eprocurement:package_edit", args=[package.pk])).status_code == 404
    for action in ("announce", "cancel"):
        response = client.post(reverse("eprocurement:package_transition", args=[package.pk, action]), {"reason": "x"})
        assert response.status_code == 404
    package.refresh_from_db()
    assert package.status == PackageStatus.DRAFT


def test_a_budget_officer_reads_but_cannot_change_the_package(client, world):
    package = create(world)
    client.force_login(world.officer)
    assert client.get(reverse("eprocurement:package_detail", args=[package.pk])).status_code == 200
    assert client.get(reverse("eprocurement:package_edit", args=[package.pk])).status_code == 403
    response = client.post(reverse("eprocurement:package_transition", args=[package.pk, "cancel"]), {"reason": "x"})
    assert response.status_code == 403
    package.refresh_from_db()
    assert package.status == PackageStatus.DRAFT


def test_the_menu_shows_packages_to_a_ppk(client, world):
    client.force_login(world.ppk)
    assert reverse("eprocurement:package_list") in client.get(reverse("eprocurement:rup_list")).content.decode()


def test_the_draft_forms_send_an_announced_package_back_to_its_page(client, world):
    package = services.package_announce(package=ready_draft(world), actor=world.pokja[0])
    client.force_login(world.ppk)
    for name in ("package_edit", "package_team", "package_schedule"):
        response = client.get(reverse(f"eprocurement:{name}", args=[package.pk]))
        assert response.status_code == 302
        assert response.url == reverse("eprocurement:package_detail", args=[package.pk])


def test_the_pokja_sees_its_actions_on_a_running_tender_and_the_ppk_does_not(client, kab_kupang, activate_totp):
    world = tender_world(kab_kupang, phase="explanation")
    url = reverse("eprocurement:package_detail", args=[world.package.pk])
    login_pokja(client, world, activate_totp)
    body = client.get(url).content.decode()
    for action in ("extend", "addendum", "fail", "cancel"):
        assert f'data-test="{action}"' in body
    assert 'data-test="announce"' not in body
    client.force_login(world.ppk)
    body = client.get(url).content.decode()
    assert 'data-test="extend"' not in body and 'data-test="cancel"' in body


def test_a_failed_tender_offers_the_retender(client, kab_kupang):
    world = tender_world(kab_kupang, phase="evaluation")
    Package.objects.filter(pk=world.package.pk).update(status=PackageStatus.FAILED)
    client.force_login(world.ppk)
    response = client.post(
        reverse("eprocurement:package_transition", args=[world.package.pk, "retender"]), {"reason": "Tender ulang"}
    )
    new = Package.objects.get(retender_of=world.package)
    assert response.url == reverse("eprocurement:package_detail", args=[new.pk])
    assert world.package.name in client.get(response.url).content.decode()
