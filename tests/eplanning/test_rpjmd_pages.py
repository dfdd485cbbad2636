"""The RPJMD page: Bappeda adds an objective's indicator with its five yearly targets;
errors are shown with nothing saved; nobody else, and no other region, may add one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from eplanning.models import RpjmdIndicator, RpjmdTarget
from tests.eplanning.factories import RpjmdIndicatorFactory, RpjmdObjectiveFactory, RpjmdTargetFactory
from tests.eplanning.plans_support import given_region_staff
from tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages speak Bahasa Indonesia first
    with translation.override("en"):
        yield


@pytest.fixture
def staff(kab_kupang, make_member):
    staff = given_region_staff(kab_kupang, make_member)
    staff.objective = RpjmdObjectiveFactory(goal__region=kab_kupang, goal__period_start=2025)
    staff.url = f"{reverse('eplanning:rpjmd_page')}?region={kab_kupang.pk}"
    return staff


def indicator_post(objective, **overrides) -> dict:
    prefix = f"indicator-{objective.pk}-"
    data = {"indicator": objective.pk, f"{prefix}name": "Indeks Keterbukaan Informasi", f"{prefix}unit": "indeks"}
    data[f"{prefix}baseline"] = "70"
    data.update({f"{prefix}target_{year}": str(70 + year - 2025) for year in range(2025, 2030)})
    data.update({f"{prefix}{key}": value for key, value in overrides.items()})
    return data


def test_bappeda_sees_the_form_with_the_goals_five_years(client, staff):
    client.force_login(staff.verifier)
    html = client.get(staff.url).content.decode()
    assert 'data-test="indicator-form"' in html
    for year in range(2025, 2030):
        assert f"Target {year}" in html
    assert "Target 2030" not in html


def test_bappeda_adds_an_indicator_with_five_targets(client, staff):
    # given Bappeda of the region, when it posts an indicator with a target per year
    client.force_login(staff.verifier)
    response = client.post(staff.url, indicator_post(staff.objective))
    # then it is saved with five targets and the page shows it
    assert response.status_code == 302
    indicator = RpjmdIndicator.objects.get(objective=staff.objective)
    assert indicator.unit == "indeks"
    assert [(t.year, int(t.value)) for t in indicator.targets.order_by("year")] == [
        (2025, 70),
        (2026, 71),
        (2027, 72),
        (2028, 73),
        (2029, 74),
    ]
    html = client.get(response["Location"]).content.decode()
    assert "Indeks Keterbukaan Informasi" in html
    assert "2029: 74" in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"target_2027": ""}, "This field is required."),
        ({"target_2026": "-1"}, "greater than or equal to 0"),
        ({"target_2028": "banyak"}, "Enter a number."),
        ({"name": ""}, "This field is required."),
        ({"baseline": "-5"}, "greater than or equal to 0"),
    ],
)
def test_bad_input_is_shown_and_nothing_is_saved(client, staff, overrides, message):
    client.force_login(staff.verifier)
    response = client.post(staff.url, indicator_post(staff.objective, **overrides))
    assert response.status_code == 200
    form = response.context["goals"][0].objectives.all()[0].indicator_form
    assert form.errors
    html = response.content.decode()
    assert message in html
    assert "<details open" in html  # the form with the error stays open
    assert not RpjmdIndicator.objects.exists()
    assert not RpjmdTarget.objects.exists()


def test_a_planner_has_no_form_and_cannot_post(client, staff):
    client.force_login(staff.planner)
    assert 'data-test="indicator-form"' not in client.get(staff.url).content.decode()
    assert client.post(staff.url, indicator_post(staff.objective)).status_code == 403
    assert not RpjmdIndicator.objects.exists()


def test_bappeda_of_another_region_cannot_add_to_this_objective(client, staff, kota_kupang, make_member):
    # given Bappeda of Kota Kupang, posting on its own region's page for Kab. Kupang's objective
    verifier = make_member(AgencyFactory(region=kota_kupang, code="BAPPEDA"), "plan_verifier")
    client.force_login(verifier)
    url = f"{reverse('eplanning:rpjmd_page')}?region={kota_kupang.pk}"
    # then the objective is not found, and nothing is saved
    assert client.post(url, indicator_post(staff.objective)).status_code == 404
    assert not RpjmdIndicator.objects.exists()


def test_page_queries_do_not_grow_with_objectives_and_indicators(client, staff, django_assert_num_queries):
    def grow():
        indicator = RpjmdIndicatorFactory(objective=RpjmdObjectiveFactory(goal=staff.objective.goal))
        RpjmdTargetFactory(indicator=indicator, year=2025)

    grow()
    client.force_login(staff.verifier)
    client.get(staff.url)  # the first request of a session does its one-off work
    with CaptureQueriesContext(connection) as first:
        assert client.get(staff.url).status_code == 200
    grow()
    # user, reach (memberships), regions, goals, objectives, indicators, targets (prefetched),
    # the header's unread count and memberships: 9 on N-1 and on N objectives, each with its form.
    assert len(first.captured_queries) == 9
    with django_assert_num_queries(9):
        assert client.get(staff.url).status_code == 200
