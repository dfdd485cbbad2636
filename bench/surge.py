"""The deadline surge: many vendors submitting sealed bids at once around a deadline.

``prepare`` (in the bench process, on the bench database) makes a package whose bid
submission ends ``lead`` seconds from now and ``vendors`` verified vendors, each with a
sealed price and a sealed document already in a draft bid (through the bid services, as
a vendor's browser would have left them) and an API token.

``fire`` then has every vendor POST its submit to the running gunicorn through the API at
once: three quarters at random moments of the last seconds before the deadline, each
resending once with the same idempotency key after its receipt (a browser's retry); the
last quarter send their first submit only after the deadline. The server's clock decides.

``verify`` reads the database: no bid accepted at or after the deadline, every receipt a
client got belongs to a submitted bid with that receipt (nothing lost), every on-time
vendor accepted, every late-only vendor refused, and one receipt per bid whatever the
retries.
"""

from __future__ import annotations

import datetime
import http.client
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from .load import HOST, REQUEST_TIMEOUT

SURGE_EMAIL = "penyedia{n}@bench.ntt.test"


@dataclass
class SurgeSetup:
    package_id: int
    deadline: datetime.datetime
    bids: dict[int, tuple[int, str]]  # bid id -> (vendor index, API token)
    late: set[int]  # bids whose first submit comes after the deadline


@dataclass
class SurgeResult:
    requests: int = 0
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    receipts: dict[int, set[str]] = field(default_factory=dict)  # bid id -> receipt hashes seen
    errors: Counter = field(default_factory=Counter)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def prepare(*, vendors: int, lead: float) -> SurgeSetup:
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from eprocurement.choices import BidDocumentKind, PackageStatus, TenderStage
    from eprocurement.models import Package, PackageStage, Vendor
    from eprocurement.services.bids import bid_add_document, bid_save_price
    from portal.models import Agency, FiscalYear, User

    now = timezone.now()
    deadline = now + datetime.timedelta(minutes=10)  # moved to ``lead`` seconds once the bids are ready
    agency = Agency.objects.filter(code__startswith="BENCH-").order_by("pk").first()
    package = Package.objects.create(
        agency=agency,
        fiscal_year=FiscalYear.objects.order_by("-year").first(),
        code=f"S{int(now.timestamp() * 1000)}",
        name="[bench] Lonjakan penawaran menjelang batas waktu",
        kind="works",
        method="tender",
        evaluation_method="gugur",
        value=Decimal("5000000000"),
        owner_estimate=Decimal("4900000000"),
        status=PackageStatus.ANNOUNCED,
        announced_at=now - datetime.timedelta(days=8),
    )
    PackageStage.objects.bulk_create(
        [
            PackageStage(
                package=package,
                stage=TenderStage.BID_SUBMISSION,
                starts_at=now - datetime.timedelta(days=5),
                ends_at=deadline,
            ),
            PackageStage(
                package=package,
                stage=TenderStage.OPENING,
                starts_at=deadline,
                ends_at=deadline + datetime.timedelta(hours=2),
            ),
        ]
    )
    bids, late = {}, set()
    for n in range(vendors):
        user, vendor = _vendor(n, User, Vendor)
        bid = bid_save_price(
            package=package, vendor=vendor, actor=user, price=Decimal("4500000000") + n, validity_days=90
        )
        upload = SimpleUploadedFile(f"penawaran-{n}.pdf", b"%PDF-1.4\n" + bytes(2048), "application/pdf")
        bid_add_document(bid=bid, actor=user, kind=BidDocumentKind.ADMINISTRATIVE, uploaded_file=upload)
        bids[bid.pk] = (n, Token.objects.get_or_create(user=user)[0].key)
        if n % 4 == 3:
            late.add(bid.pk)
    deadline = timezone.now() + datetime.timedelta(seconds=lead)
    PackageStage.objects.filter(package=package, stage=TenderStage.BID_SUBMISSION).update(ends_at=deadline)
    PackageStage.objects.filter(package=package, stage=TenderStage.OPENING).update(starts_at=deadline)
    return SurgeSetup(package_id=package.pk, deadline=deadline, bids=bids, late=late)


def _vendor(n, User, Vendor):
    email = SURGE_EMAIL.format(n=n)
    user = User.objects.filter(email=email).first() or User.objects.create_user(email=email, password=None)
    vendor, _created = Vendor.objects.get_or_create(
        owner=user,
        defaults={
            "name": f"[bench] CV Penyedia {n}",
            "kind": "cv",
            "nib": f"{8800000000000 + n:013d}",
            "npwp": f"{880000000000000 + n:015d}",
            "address": "Kupang",
            "phone": "0380 000000",
            "email": email,
            "status": "verified",
            "is_small_business": True,
        },
    )
    return user, vendor


def _submit(conn, bid_id: int, token: str, key: str) -> tuple[int, dict]:
    body = json.dumps({"token": key})
    headers = {
        "Authorization": f"Token {token}",
        "Content-Type": "application/json",
        "Idempotency-Key": key,
        "Connection": "keep-alive",
    }
    conn.request("POST", f"/api/eprocurement/bids/{bid_id}/submit/", body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    return response.status, (json.loads(data) if response.status == 200 else {})


def _vendor_client(port, setup, bid_id, token, start_at, result, lock):
    """One vendor: submits at ``start_at``; once it holds a receipt it retries once with
    the same key (a browser's resend); a refusal before the deadline is retried (it
    should not happen), one after it ends the vendor's attempt."""
    key = f"surge-{setup.package_id}-{bid_id}-{'x' * 8}"
    deadline = setup.deadline.timestamp()
    conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT)
    statuses, receipts, errors, count = Counter(), set(), Counter(), 0
    time.sleep(max(0.0, start_at - time.time()))
    try:
        while count < 50:
            sent = time.time()
            count += 1
            try:
                status, data = _submit(conn, bid_id, token, key)
            except (OSError, http.client.HTTPException) as exc:
                errors[type(exc).__name__] += 1
                conn.close()
                continue
            statuses[status] += 1
            if status == 200:
                if receipts:
                    break
                receipts.add(data["sha256"])
            elif sent >= deadline:
                break
            else:
                time.sleep(0.05)
    finally:
        conn.close()
    with lock:
        result.requests += count
        result.statuses.update(statuses)
        result.errors.update(errors)
        result.receipts.setdefault(bid_id, set()).update(receipts)


def fire(port: int, setup: SurgeSetup, *, window: float) -> SurgeResult:
    """On-time vendors start at random moments of the last ``window`` seconds before the
    deadline (down to 1 s before it), late ones 50 ms after it."""
    import random

    rng = random.Random(setup.package_id)  # noqa: S311 (load timing, not security)
    deadline = setup.deadline.timestamp()
    result, lock = SurgeResult(), threading.Lock()
    threads = []
    for bid_id, (_n, token) in setup.bids.items():
        late = bid_id in setup.late
        start_at = deadline + 0.05 if late else deadline - rng.uniform(1.0, window)
        args = (port, setup, bid_id, token, start_at, result, lock)
        threads.append(threading.Thread(target=_vendor_client, args=args, daemon=True))
    started = time.time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=deadline - time.time() + REQUEST_TIMEOUT * 3 + 10)
    result.seconds = max(time.time() - max(started, deadline - window), 1e-9)
    return result


@dataclass
class SurgeVerdict:
    accepted: int
    late_accepted: int
    lost: int
    late_refused: int
    late_total: int
    on_time_accepted: int
    on_time_total: int
    receipts_per_bid_max: int


def verify(setup: SurgeSetup, result: SurgeResult) -> SurgeVerdict:
    from eprocurement.choices import BidStatus
    from eprocurement.models import Bid, BidReceipt

    bids = {bid.pk: bid for bid in Bid.objects.filter(package_id=setup.package_id)}
    accepted = [bid for bid in bids.values() if bid.status == BidStatus.SUBMITTED]
    late_accepted = sum(1 for bid in accepted if bid.submitted_at >= setup.deadline)
    lost = sum(
        1
        for bid_id, seen in result.receipts.items()
        for sha in seen
        if bids[bid_id].status != BidStatus.SUBMITTED or bids[bid_id].receipt_sha256 != sha
    )
    late_refused = sum(1 for bid_id in setup.late if bids[bid_id].status != BidStatus.SUBMITTED)
    per_bid = Counter(BidReceipt.objects.filter(bid__package_id=setup.package_id).values_list("bid_id", flat=True))
    return SurgeVerdict(
        accepted=len(accepted),
        late_accepted=late_accepted,
        lost=lost,
        late_refused=late_refused,
        late_total=len(setup.late),
        on_time_accepted=sum(1 for bid in accepted if bid.pk not in setup.late),
        on_time_total=len(setup.bids) - len(setup.late),
        receipts_per_bid_max=max(per_bid.values(), default=0),
    )
