import pytest
from django.utils import timezone

from tests.emonev.factories import TODAY


@pytest.fixture
def today(monkeypatch):
    """The services' calendar date pinned to ``TODAY`` (their clock is the server's
    local date); pass another date with ``today.set(date)``."""
    real = timezone.localdate
    state = {"date": TODAY}

    def localdate(value=None, timezone=None):
        return state["date"] if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)

    class Clock:
        def set(self, date):
            state["date"] = date

        @property
        def date(self):
            return state["date"]

    return Clock()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
