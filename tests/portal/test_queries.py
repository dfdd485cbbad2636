"""The kernel's pages and API lists cost the same number of queries at N-1 and N rows.

Each test makes a first request that sets up the session (the two-factor and idle
checks write to it once), then measures steady requests. The session itself is read
from the cache, so it costs no query. Every request starts with the same two:
  1. the logged-in user;
  2. the person's reach (their memberships, with each agency's region).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal import navigation
from tests.factories import AgencyFactory, MembershipFactory, NotificationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def verifier(client, make_member, kab_kupang):
    """A plan verifier of Bappeda: a region-wide role without a second factor."""
    user = make_member(AgencyFactory(region=kab_kupang, code="BAPPEDA"), "plan_verifier")
    client.force_login(user)
    return user


def _assert_constant(client, url, grow, k, django_assert_num_queries):
    """``url`` costs ``k`` queries with the rows there are, and after ``grow()`` adds one."""
    assert client.get(url).status_code == 200  # sets up the session
    with django_assert_num_queries(k):
        assert client.get(url).status_code == 200
    grow()
    with django_assert_num_queries(k):
        assert client.get(url).status_code == 200


@pytest.fixture
def no_work_providers(monkeypatch):
    # The apps' home-page providers prove their own counts; this counts the kernel's part.
    monkeypatch.setattr(navigation, "_work_providers", [])


def test_home_page(client, verifier, kab_kupang, no_work_providers, django_assert_num_queries):
    # Given a person with several roles and notifications
    for _ in range(3):
        MembershipFactory(user=verifier, agency=AgencyFactory(region=kab_kupang), role="planner")
        NotificationFactory(recipient=verifier)

    def grow():
        MembershipFactory(user=verifier, agency=AgencyFactory(region=kab_kupang), role="planner")
        NotificationFactory(recipient=verifier)

    # user, reach, and the units of the agencies their own-agency roles reach; the roles
    # table (memberships with agency and region, also the header's first one); five
    # recent notifications; the bell's unread count
    _assert_constant(client, "/", grow, 6, django_assert_num_queries)


def test_home_page_with_every_registered_provider(client, verifier, kab_kupang):
    # Whatever the apps register, one more role does not cost one more query.
    MembershipFactory(user=verifier, agency=AgencyFactory(region=kab_kupang), role="planner")
    client.get("/")
    with CaptureQueriesContext(connection) as before:
        client.get("/")
    MembershipFactory(user=verifier, agency=AgencyFactory(region=kab_kupang), role="planner")
    with CaptureQueriesContext(connection) as after:
        client.get("/")
    assert len(after) == len(before)


def test_agency_list_page(client, verifier, kab_kupang, django_assert_num_queries):
    # Given agencies of the region, each with a member
    for _ in range(3):
        MembershipFactory(agency=AgencyFactory(region=kab_kupang))

    # user, reach; the paginator's count; the bell's unread count; the header's primary
    # membership; the page of agencies with region, parent and member count
    _assert_constant(
        client,
        "/organisasi/",
        lambda: MembershipFactory(agency=AgencyFactory(region=kab_kupang)),
        6,
        django_assert_num_queries,
    )


def test_agency_detail_page(client, make_admin, kab_kupang_kominfo, django_assert_num_queries):
    # Given the agency's Kominfo admin (who also gets the edit check) and its staff
    client.force_login(make_admin(kab_kupang_kominfo))
    MembershipFactory.create_batch(3, agency=kab_kupang_kominfo)

    # user, reach; whether the person has an authenticator (their role needs one); the
    # agency with region and parent; whether they may edit it; the bell's unread count;
    # the header's primary membership; the members with their users
    _assert_constant(
        client,
        f"/organisasi/{kab_kupang_kominfo.pk}/",
        lambda: MembershipFactory(agency=kab_kupang_kominfo),
        8,
        django_assert_num_queries,
    )


def test_api_agency_list(client, verifier, kab_kupang, django_assert_num_queries):
    for _ in range(3):
        MembershipFactory(agency=AgencyFactory(region=kab_kupang))

    # user, reach; the paginator's count; the page of agencies with region
    _assert_constant(
        client,
        "/api/agencies/",
        lambda: MembershipFactory(agency=AgencyFactory(region=kab_kupang)),
        4,
        django_assert_num_queries,
    )


def test_api_notification_list(client, verifier, django_assert_num_queries):
    NotificationFactory.create_batch(3, recipient=verifier)

    # user, reach; the paginator's count; the page of notifications
    _assert_constant(
        client, "/api/notifications/", lambda: NotificationFactory(recipient=verifier), 4, django_assert_num_queries
    )
