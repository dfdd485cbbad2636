"""Subscriptions to new tenders: who may subscribe, which announcements match, and that
each subscriber hears of each package once even when the signal comes twice."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from eprocurement.choices import PackageStatus
from eprocurement.models import TenderAlert, TenderSubscription
from eprocurement.services.tender_site import subscription_create, subscription_delete, tender_alerts_send
from eprocurement.signals import package_changed, send_package_changed
from portal.models import AuditEntry, Notification
from portal.services import DomainError
from tests.eprocurement.factories_packages import tender_world
from tests.factories import UserFactory


@pytest.fixture
def world(kab_kupang):
    return tender_world(kab_kupang, phase="explanation")


def alerted(package):
    return set(
        Notification.objects.filter(kind="eprocurement.tender_new", subject_id=str(package.pk)).values_list(
            "recipient_id", flat=True
        )
    )


def test_matching_subscribers_are_told_of_an_announced_tender(world, kab_kupang, kota_kupang):
    works_here = UserFactory()
    subscription_create(user=works_here, kinds=["works"], regions=[kab_kupang])
    anything_anywhere = UserFactory()
    subscription_create(user=anything_anywhere, kinds=[""], regions=[None])
    province_wide = UserFactory()
    subscription_create(user=province_wide, kinds=["works", "goods"], regions=[kab_kupang.parent])
    goods_only = UserFactory()
    subscription_create(user=goods_only, kinds=["goods"], regions=[None])
    other_region = UserFactory()
    subscription_create(user=other_region, kinds=["works"], regions=[kota_kupang])
    inactive = UserFactory(is_active=False)
    subscription_create(user=inactive, kinds=[""], regions=[None])

    assert tender_alerts_send(package_id=world.package.pk) == 3
    assert alerted(world.package) == {works_here.pk, anything_anywhere.pk, province_wide.pk}


def test_the_signal_twice_tells_each_subscriber_once(world, django_capture_on_commit_callbacks):
    subscriber = UserFactory()
    subscription_create(user=subscriber, kinds=["works", ""], regions=[None, world.agency.region])
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            send_package_changed(world.package.pk, "tender")
    assert Notification.objects.filter(kind="eprocurement.tender_new", recipient=subscriber).count() == 1
    assert TenderAlert.objects.filter(package=world.package).count() == 1


def test_a_later_subscriber_gets_the_missing_alert_on_a_second_signal(world):
    first, second = UserFactory(), UserFactory()
    subscription_create(user=first, kinds=[""], regions=[None])
    tender_alerts_send(package_id=world.package.pk)
    subscription_create(user=second, kinds=[""], regions=[None])
    assert tender_alerts_send(package_id=world.package.pk) == 1
    assert alerted(world.package) == {first.pk, second.pk}


def test_other_tags_and_draft_packages_alert_nobody(world, django_capture_on_commit_callbacks):
    subscription_create(user=UserFactory(), kinds=[""], regions=[None])
    with django_capture_on_commit_callbacks(execute=True):
        package_changed.send(sender=None, package_id=world.package.pk, tag="tenderUpdate")
    assert alerted(world.package) == set()
    world.package.status = PackageStatus.DRAFT
    world.package.save()
    assert tender_alerts_send(package_id=world.package.pk) == 0


def test_subscribing_needs_an_email_and_known_kinds(db):
    with pytest.raises(DomainError, match="e-mail"):
        subscription_create(user=UserFactory(email=""), kinds=["works"], regions=[None])
    with pytest.raises(DomainError):
        subscription_create(user=UserFactory(), kinds=["kapal"], regions=[None])
    assert not TenderSubscription.objects.exists()


def test_subscribing_twice_keeps_one_subscription(kab_kupang):
    user = UserFactory()
    assert len(subscription_create(user=user, kinds=["works"], regions=[kab_kupang])) == 1
    assert subscription_create(user=user, kinds=["works"], regions=[kab_kupang]) == []
    assert len(subscription_create(user=user, kinds=["works"], regions=[None])) == 1
    assert subscription_create(user=user, kinds=["works"], regions=[None]) == []
    assert TenderSubscription.objects.filter(user=user).count() == 2
    assert AuditEntry.objects.filter(object_type="eprocurement.tendersubscription").count() == 2


def test_only_the_subscriber_unsubscribes(kab_kupang):
    user = UserFactory()
    (subscription,) = subscription_create(user=user, kinds=["goods"], regions=[kab_kupang])
    with pytest.raises(PermissionDenied):
        subscription_delete(subscription=subscription, actor=UserFactory())
    subscription_delete(subscription=subscription, actor=user)
    assert not TenderSubscription.objects.exists()


def test_subscribe_and_unsubscribe_through_the_page(client, kab_kupang):
    user = UserFactory()
    client.force_login(user)
    page = reverse("eprocurement:tender_subscriptions")
    response = client.post(page, {"kinds": ["works", "goods"], "regions": [kab_kupang.pk]})
    assert response.status_code == 302
    assert TenderSubscription.objects.filter(user=user).count() == 2
    body = client.get(page).content.decode()
    assert body.count('data-test="subscription"') == 2
    subscription = TenderSubscription.objects.filter(user=user).first()
    client.post(reverse("eprocurement:tender_subscription_delete", args=[subscription.pk]))
    assert TenderSubscription.objects.filter(user=user).count() == 1


def test_someone_elses_subscription_cannot_be_removed_through_the_page(client, kab_kupang):
    (subscription,) = subscription_create(user=UserFactory(), kinds=["goods"], regions=[kab_kupang])
    client.force_login(UserFactory())
    response = client.post(reverse("eprocurement:tender_subscription_delete", args=[subscription.pk]))
    assert response.status_code == 404
    assert TenderSubscription.objects.filter(pk=subscription.pk).exists()


def test_the_subscription_page_needs_a_login(client):
    response = client.get(reverse("eprocurement:tender_subscriptions"))
    assert response.status_code == 302 and "login" in response.url
