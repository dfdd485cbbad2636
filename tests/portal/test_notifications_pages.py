"""The inbox as people and other systems meet it: the page, the bell, the API.
Each person sees and changes only their own notifications."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import Notification
from tests.factories import NotificationFactory, UserFactory

pytestmark = pytest.mark.django_db

INBOX = reverse("portal:notifications")
MARK_READ = reverse("portal:notifications_mark_read")
API_LIST = "/api/notifications/"
API_MARK_READ = "/api/notifications/mark-read/"


@pytest.fixture
def ani(client):
    """A planner (no second factor needed) logged in to the staff site."""
    user = UserFactory(email="ani@kupangkab.go.id")
    client.force_login(user)
    return user


@pytest.fixture
def budi():
    return UserFactory(email="budi@kupangkota.go.id")


def _unread(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def test_inbox_shows_only_own_notifications_and_the_unread_count(client, ani, budi):
    NotificationFactory.create_batch(3, recipient=ani, title="Untuk Ani")
    NotificationFactory(recipient=budi, title="Rahasia Budi")
    page = client.get(INBOX).content.decode()
    assert page.count("Untuk Ani") == 3
    assert "Rahasia Budi" not in page
    assert '<span class="badge">3</span>' in page


def test_htmx_mark_read_answers_with_the_updated_bell(client, ani):
    first, _second = NotificationFactory.create_batch(2, recipient=ani)
    response = client.post(MARK_READ, {"id": first.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    bell = response.content.decode()
    assert bell.lstrip().startswith('<a id="bell"') and "<html" not in bell
    assert '<span class="badge">1</span>' in bell
    assert _unread(ani) == 1


def test_mark_read_on_the_page_cannot_touch_another_persons_notification(client, ani, budi):
    theirs = NotificationFactory(recipient=budi)
    response = client.post(MARK_READ, {"id": theirs.pk})
    assert response.status_code == 302
    assert _unread(budi) == 1


def test_mark_all_read_on_the_page_marks_only_own(client, ani, budi):
    NotificationFactory.create_batch(2, recipient=ani)
    NotificationFactory(recipient=budi)
    client.post(MARK_READ)
    assert (_unread(ani), _unread(budi)) == (0, 1)


def test_api_lists_only_own_and_hides_others(client, ani, budi):
    mine = NotificationFactory(recipient=ani)
    theirs = NotificationFactory(recipient=budi)
    listed = client.get(API_LIST).json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert client.get(f"{API_LIST}{theirs.pk}/").status_code == 404
    assert client.get(f"{API_LIST}{mine.pk}/").json()["is_read"] is False


def test_api_mark_read_touches_only_own(client, ani, budi):
    mine = NotificationFactory(recipient=ani)
    theirs = NotificationFactory(recipient=budi)
    response = client.post(API_MARK_READ, {"ids": [mine.pk, theirs.pk]}, content_type="application/json")
    assert response.json() == {"marked": 1}
    assert (_unread(ani), _unread(budi)) == (0, 1)


def test_api_unread_filter(client, ani):
    NotificationFactory(recipient=ani)
    read = NotificationFactory(recipient=ani)
    client.post(API_MARK_READ, {"ids": [read.pk]}, content_type="application/json")
    assert client.get(API_LIST, {"unread": "1"}).json()["count"] == 1


def _inbox_queries(client):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(INBOX).status_code == 200
    return captured


def test_inbox_query_count_does_not_grow_with_rows(client, ani, django_assert_num_queries):
    # given N-1 notifications, the page costs k queries, three of them on the inbox:
    # the paginator's count, the page of rows, and the bell's unread count
    NotificationFactory.create_batch(4, recipient=ani)
    _inbox_queries(client)  # the first request sets up the session; measure a steady one
    captured = _inbox_queries(client)
    assert sum('"portal_notification"' in q["sql"] for q in captured.captured_queries) == 3
    # when one more row arrives, the page costs the same
    NotificationFactory(recipient=ani)
    with django_assert_num_queries(len(captured)):
        client.get(INBOX)
