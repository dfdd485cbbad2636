import pytest
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle


@pytest.fixture
def strict_anon_rate(monkeypatch):
    # DRF reads the rates once at import; the test narrows them on the class.
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min"})
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_anonymous_callers_are_throttled_per_address(client, strict_anon_rate):
    statuses = [client.get("/api/regions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    other_address = client.get("/api/regions/", REMOTE_ADDR="10.9.8.7")
    assert other_address.status_code == 200
