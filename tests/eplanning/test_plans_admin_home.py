"""Admin (read-only, scoped) and the home page's waiting items and nav entry."""

import pytest
from django.urls import reverse

from eplanning.choices import PlanStatus
from eplanning.models import PlanItem
from tests.eplanning.plans_support import given_item, given_region_staff


@pytest.fixture
def staff(kab_kupang, make_member):
    return given_region_staff(kab_kupang, make_member)


@pytest.fixture
def kota(kota_kupang, make_member):
    return given_region_staff(kota_kupang, make_member)


def test_kominfo_admin_sees_only_their_regions_plan_items_read_only(client, staff, kota, make_admin):
    mine, foreign = given_item(staff), given_item(kota)
    client.force_login(make_admin(staff.agency))

    listing = client.get(reverse("admin:eplanning_planitem_changelist"))
    own_page = client.get(reverse("admin:eplanning_planitem_change", args=[mine.pk]))
    foreign_page = client.get(reverse("admin:eplanning_planitem_change", args=[foreign.pk]))
    client.post(reverse("admin:eplanning_planitem_change", args=[mine.pk]), {"status": "approved"})

    assert listing.status_code == 200 and mine.title in listing.text and foreign.title not in listing.text
    assert own_page.status_code == 200 and 'name="status"' not in own_page.text
    assert foreign_page.status_code == 302
    assert PlanItem.objects.get(pk=mine.pk).status == PlanStatus.DRAFT


@pytest.mark.parametrize("model", ["rpjmdgoal", "agencyceiling"])
def test_rpjmd_and_ceiling_admin_pages_render(client, staff, make_admin, model):
    client.force_login(make_admin(staff.agency))

    assert client.get(reverse(f"admin:eplanning_{model}_changelist")).status_code == 200


def test_home_tells_the_verifier_and_the_planner_what_waits(client, staff):
    given_item(staff, status=PlanStatus.SUBMITTED)
    given_item(staff, status=PlanStatus.SUBMITTED)
    given_item(staff, status=PlanStatus.RETURNED)

    client.force_login(staff.verifier)
    verifier_home = client.get(reverse("portal:home"))
    client.force_login(staff.planner)
    planner_home = client.get(reverse("portal:home"))

    assert "?status=submitted" in verifier_home.text and "?status=returned" not in verifier_home.text
    assert "?status=returned" in planner_home.text and "?status=submitted" not in planner_home.text
    assert reverse("eplanning:plan_list") in planner_home.text  # the nav entry


def test_home_work_items_do_not_grow_with_items(staff, django_assert_max_num_queries):
    from portal.navigation import work_for

    for _ in range(5):
        given_item(staff, status=PlanStatus.SUBMITTED)
    # reach (memberships, units) and one count for the verifier's waiting items (plus the
    # other apps' providers): bounded, whatever the number of items
    with django_assert_max_num_queries(8):
        items = work_for(staff.verifier)
    assert any(i.count == 5 for i in items)
