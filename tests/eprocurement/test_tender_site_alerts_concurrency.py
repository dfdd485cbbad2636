"""Proof on PostgreSQL that the announcement signal arriving twice at the same moment (two
workers, two processes) still tells each subscriber once."""

import threading

import pytest
from django.db import connection, connections

from eprocurement.models import TenderAlert
from eprocurement.services.tender_site import subscription_create, tender_alerts_send
from portal.models import Notification
from tests.eprocurement.factories_packages import tender_world
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
]

WORKERS = 4


def test_concurrent_alert_runs_tell_each_subscriber_once(kab_kupang):
    world = tender_world(kab_kupang, phase="explanation")
    subscribers = [UserFactory() for _ in range(3)]
    for user in subscribers:
        subscription_create(user=user, kinds=["works"], regions=[None])
    barrier = threading.Barrier(WORKERS)
    told = [None] * WORKERS

    def run(i):
        try:
            barrier.wait(timeout=10)
            told[i] = tender_alerts_send(package_id=world.package.pk)
        except Exception as exc:  # anything else is a failure of the proof
            told[i] = repr(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(told, key=str) == [0] * (WORKERS - 1) + [3]
    assert TenderAlert.objects.filter(package=world.package).count() == 3
    for user in subscribers:
        assert Notification.objects.filter(kind="eprocurement.tender_new", recipient=user).count() == 1
