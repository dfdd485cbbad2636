"""At rest: a canary price and a canary document string are nowhere in a dump of the
database nor in the media folder before opening (and the dump does show the price once
it is opened, so the search would have found it). Also the master key's keeping: the
development key file and the deployment check."""

import os
import stat
import subprocess

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.utils import timezone

from eprocurement.checks import sealing_master_key_check
from eprocurement.sealing_dev_key import development_master_key
from eprocurement.services.opening import opening_confirm
from tests.eprocurement.factories_bids import (  # noqa: F401
    CANARY_PRICE,
    CANARY_TEXT,
    bid_media,
    new_master_key,
    sealing_key,
    submitted_bid,
)
from tests.eprocurement.factories_packages import schedule_around, set_schedule, tender_world

PRICE_FORMS = (b"987654321.77", b"987654321,77", b"987654321")


def _dump() -> bytes:
    settings = connection.settings_dict
    command = ["pg_dump", "--data-only", "-h", settings["HOST"] or "127.0.0.1", "-U", settings["USER"]]
    if settings["PORT"]:
        command += ["-p", str(settings["PORT"])]
    environment = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    return subprocess.run([*command, settings["NAME"]], capture_output=True, check=True, env=environment).stdout


def _media_bytes(root) -> bytes:
    return b"".join(path.read_bytes() for path in root.rglob("*") if path.is_file())


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump is PostgreSQL's")
@pytest.mark.usefixtures("sealing_key", "bid_media")
def test_no_canary_in_a_database_dump_or_the_media_folder_before_opening(kab_kupang, settings):
    world = tender_world(kab_kupang, phase="bidding")
    bid, _ = submitted_bid(world.package, world.vendors[0], price=CANARY_PRICE, name="canary-rahasia.pdf")
    dump, media = _dump(), _media_bytes(settings.MEDIA_ROOT)
    # the dump holds the bid (its hashes, its sealed file name), only not its secrets
    assert bid.price_sha256.encode() in dump and bid.documents.get().file.name.encode() in dump
    assert [form for form in PRICE_FORMS if form in dump] == []
    assert CANARY_TEXT not in dump and b"canary-rahasia" not in dump
    assert media and CANARY_TEXT not in media and b"canary-rahasia" not in media
    assert [form for form in PRICE_FORMS if form in media] == []
    set_schedule(world.package, schedule_around(timezone.now(), "opening"))
    opening_confirm(package=world.package, actor=world.pokja[0])
    opening_confirm(package=world.package, actor=world.pokja[1])
    assert b"987654321.77" in _dump()  # opened: the same search now finds it
    assert CANARY_TEXT not in _media_bytes(settings.MEDIA_ROOT)  # documents stay sealed at rest


def test_the_development_key_is_made_once_in_a_private_file(tmp_path):
    path = tmp_path / "var" / "sealing-master-key"
    first = development_master_key(path)
    assert development_master_key(path) == first and len(first) == 44
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_check_deploy_warns_without_a_master_key(settings):
    settings.PORTAL_SEALING_MASTER_KEY = ""
    assert [message.id for message in sealing_master_key_check(None)] == ["eprocurement.W001"]
    settings.PORTAL_SEALING_MASTER_KEY = "too-short"
    assert [message.id for message in sealing_master_key_check(None)] == ["eprocurement.E001"]
    settings.PORTAL_SEALING_MASTER_KEY = new_master_key()
    assert sealing_master_key_check(None) == []


def test_the_check_runs_with_check_deploy(settings):
    settings.PORTAL_SEALING_MASTER_KEY = "too-short"
    with pytest.raises(SystemCheckError, match="eprocurement.E001"):
        call_command("check", "--deploy", "--fail-level", "ERROR")
