"""Many vendors submitting around the deadline on real PostgreSQL, each thread with its
own connection, the deadline a few hundred milliseconds ahead (nothing patched: the
schedule row says when). None is accepted after the deadline, none that got a receipt is
lost, and a retry racing its own first request gets the same receipt."""

import datetime
import threading
import time

import pytest
from django.db import connection, connections
from django.utils import timezone

from eprocurement.choices import TenderStage
from eprocurement.models import Bid, BidReceipt, PackageStage
from eprocurement.services.bids import bid_submit, new_submit_token
from portal.services import DomainError
from tests.eprocurement.factories_bids import bid_media, draft_bid, sealing_key  # noqa: F401
from tests.eprocurement.factories_packages import tender_world

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's"),
    pytest.mark.usefixtures("sealing_key", "bid_media"),
]

VENDORS = 16
MS = datetime.timedelta(milliseconds=1)


def _deadline_in(package, delay: datetime.timedelta) -> datetime.datetime:
    deadline = timezone.now() + delay
    PackageStage.objects.filter(package=package, stage=TenderStage.BID_SUBMISSION).update(ends_at=deadline)
    PackageStage.objects.filter(package=package, stage=TenderStage.OPENING).update(
        starts_at=deadline, ends_at=deadline + datetime.timedelta(hours=1)
    )
    return deadline


def _submit_at(moment, bid, owner, token, outcomes, index):
    time.sleep(max(0.0, (moment - timezone.now()).total_seconds()))
    started = timezone.now()
    try:
        receipt = bid_submit(bid=bid, actor=owner, token=token)
        outcomes[index] = ("ok", started, timezone.now(), bid.pk, receipt.pk, receipt.sha256)
    except DomainError as exc:
        outcomes[index] = ("refused", started, timezone.now(), bid.pk, None, str(exc.messages))
    except Exception as exc:  # anything else fails the proof
        outcomes[index] = ("error", started, timezone.now(), bid.pk, None, repr(exc))
    finally:
        connections.close_all()


def test_submits_around_the_deadline_none_late_none_lost(kab_kupang):
    world = tender_world(kab_kupang, phase="bidding", vendors=VENDORS)
    bids = [draft_bid(world.package, vendor, price=str(1000 + i)) for i, vendor in enumerate(world.vendors)]
    deadline = _deadline_in(world.package, datetime.timedelta(milliseconds=700))
    # Submits spread from 350 ms before to 250 ms after the deadline; every other bid also
    # sends a retry with the same key at the same moment (a double click, a lost answer).
    plan = []
    for i, (bid, vendor) in enumerate(zip(bids, world.vendors, strict=True)):
        moment, token = deadline - 350 * MS + i * 40 * MS, new_submit_token()
        plan.append((moment, bid, vendor.owner, token))
        if i % 2 == 0:
            plan.append((moment, bid, vendor.owner, token))
    outcomes = [None] * len(plan)
    threads = [threading.Thread(target=_submit_at, args=(*row, outcomes, i)) for i, row in enumerate(plan)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert all(outcome and outcome[0] != "error" for outcome in outcomes), outcomes
    accepted = [o for o in outcomes if o[0] == "ok"]
    assert accepted and any(o[0] == "refused" for o in outcomes), "the race must straddle the deadline"
    for kind, started, finished, *_ in outcomes:
        if started >= deadline:
            assert kind == "refused"  # arrived after the deadline
        if finished < deadline:
            assert kind == "ok"  # done before the deadline: nothing refused it
    for _, _, _, bid_pk, receipt_pk, sha in accepted:
        bid = Bid.objects.get(pk=bid_pk)
        assert bid.status == "submitted" and bid.submitted_at < deadline
        assert bid.receipt_sha256 == sha and BidReceipt.objects.get(pk=receipt_pk).status == "current"
    assert all(b.submitted_at < deadline for b in Bid.objects.filter(status="submitted"))
    submitted = set(Bid.objects.filter(status="submitted").values_list("pk", flat=True))
    assert submitted == {o[3] for o in accepted}
    assert BidReceipt.objects.count() == len(submitted)
