"""Storing a release for each change of a package, and the packages the open-data URLs
serve (a release, a record, a bulk release package)."""

from __future__ import annotations

import hashlib
import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from ..choices import PackageStatus
from ..models import OcdsRelease, Package
from . import mapping
from .builder import absolute, build_release, load_package, ocid_for, when
from .merge import compile_releases

logger = logging.getLogger(__name__)

OCDS_VERSION = "1.1"
# A change the services describe with a tag outside the codelist is still published.
FALLBACK_TAG = "tenderUpdate"


def content_hash(release: dict) -> str:
    canonical = json.dumps(release, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def publish_release(*, package_id: int, tag: str) -> OcdsRelease | None:
    """Store the release of the package as it is now, unless the same (tag, content) is
    already stored; a draft (no tender code) publishes nothing. Returns the row, new or old.
    """
    if tag not in mapping.RELEASE_TAGS:
        logger.warning("OCDS: unknown release tag %r for package %s, published as %s", tag, package_id, FALLBACK_TAG)
        tag = FALLBACK_TAG
    package = load_package(package_id)
    if package is None or not package.code:
        return None
    body = build_release(package, tag=tag)
    digest = content_hash(body)
    existing = OcdsRelease.objects.filter(package=package, tag=tag, content_hash=digest).first()
    if existing is not None:
        return existing
    now = timezone.now()
    ocid = ocid_for(package)
    release_id = f"{ocid}-{tag}-{digest[:16]}"
    data = {"ocid": ocid, "id": release_id, "date": when(now), **body}
    try:
        with transaction.atomic():
            return OcdsRelease.objects.create(
                package=package, ocid=ocid, release_id=release_id, date=now, tag=tag, content_hash=digest, data=data
            )
    except IntegrityError:
        # The same signal handled at the same moment by another worker: its row stands.
        return OcdsRelease.objects.get(package=package, tag=tag, content_hash=digest)


def on_package_changed(sender, *, package_id: int, tag: str, **kwargs) -> None:
    """Receiver of ``eprocurement.signals.package_changed`` (sent after commit).

    The change itself is committed already: a failure to publish is logged, never raised
    into the request that made the change, and the next change publishes the state again.
    """
    try:
        publish_release(package_id=package_id, tag=tag)
    except Exception:
        logger.exception("OCDS: release of package %s (%s) could not be stored", package_id, tag)


def _publisher() -> dict:
    return {"name": settings.OCDS_PUBLISHER_NAME, "uri": absolute("/")}


def _package_meta(uri: str) -> dict:
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publishedDate": when(timezone.now()),
        "publisher": _publisher(),
        "license": settings.OCDS_LICENSE,
    }


def release_url(release_id: str) -> str:
    return absolute(reverse("eprocurement:ocds_release", args=[release_id]))


def record_package(ocid: str, releases: list[OcdsRelease]) -> dict:
    """The record package of one ocid: links to every release and the compiled release."""
    uri = absolute(reverse("eprocurement:ocds_record", args=[ocid]))
    linked = [{"url": release_url(r.release_id), "date": r.data["date"], "tag": r.data["tag"]} for r in releases]
    record = {"ocid": ocid, "releases": linked, "compiledRelease": compile_releases([r.data for r in releases])}
    return {**_package_meta(uri), "records": [record]}


def release_package(releases: list[dict], *, uri: str, next_url: str | None = None) -> dict:
    """A release package of ``releases``; ``links.next`` (the pagination convention of
    OCDS) points at the following page when there is one."""
    document = {**_package_meta(uri), "releases": releases}
    if next_url:
        document["links"] = {"next": next_url}
    return document


# The tag a release of the package's present state carries when it is published without a
# service's signal (a backfill): the last step the package reached.
STATUS_TAG = {
    PackageStatus.ANNOUNCED: "tender",
    PackageStatus.OPENED: "tenderUpdate",
    PackageStatus.AWARDED: "award",
    PackageStatus.APPOINTED: "awardUpdate",
    PackageStatus.CONTRACTED: "contract",
    PackageStatus.COMPLETED: "implementation",
    PackageStatus.CANCELLED: "tenderCancellation",
    PackageStatus.FAILED: "tenderCancellation",
    PackageStatus.RETENDERED: "tenderCancellation",
}


def publish_current_states(*, codes: list[str] | None = None) -> tuple[int, int]:
    """Publish the present state of every announced package (or those with ``codes``) that
    has no release of it yet; returns (packages looked at, releases stored)."""
    packages = Package.objects.exclude(status=PackageStatus.DRAFT).exclude(code=None).order_by("id")
    if codes:
        packages = packages.filter(code__in=codes)
    looked, stored = 0, 0
    for package_id, status in packages.values_list("id", "status").iterator():
        before = OcdsRelease.objects.filter(package_id=package_id).count()
        publish_release(package_id=package_id, tag=STATUS_TAG[status])
        looked += 1
        stored += OcdsRelease.objects.filter(package_id=package_id).count() - before
    return looked, stored
