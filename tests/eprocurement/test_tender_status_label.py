"""Found by the tender's browser test: between the pokja's decision and its announcement
the package is AWARDED, and the public tender page called that "Winner announced" while
showing no winner. The status now says what is true in both moments."""

import pytest
from django.urls import reverse

from tests.eprocurement.factories_awards import awarded, opened_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # pages speak Bahasa Indonesia first
    return client


def test_a_decided_winner_is_not_called_announced_before_the_announcement(english, kab_kupang):
    # given a tender whose winner the pokja decided but did not announce yet
    world = opened_world(kab_kupang)
    awarded(world, announce=False)
    # when anyone opens the public tender page
    body = english.get(reverse("eprocurement:tender_detail", args=[world.package.pk])).content.decode()
    # then its status says the winner is decided, not announced, and no result is shown
    assert 'data-test="status">Winner decided<' in body
    assert "Winner announced" not in body
    assert 'data-test="tender-result"' not in body
