"""Published OCDS releases: one row per change of a package, kept as published."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OcdsRelease(models.Model):
    """An OCDS 1.1 release of a package as it was published, never changed afterwards.

    ``content_hash`` is the SHA-256 of the release without its ``id`` and ``date``: the same
    change announced twice (a repeated signal) finds its row and stores nothing new.
    """

    package = models.ForeignKey("eprocurement.Package", on_delete=models.CASCADE, related_name="ocds_releases")
    ocid = models.CharField(_("ocid"), max_length=64, db_index=True)
    release_id = models.CharField(_("release id"), max_length=120, unique=True)
    date = models.DateTimeField(_("date"))
    tag = models.CharField(_("tag"), max_length=24)
    content_hash = models.CharField(_("content hash"), max_length=64)
    data = models.JSONField(_("release"))

    class Meta:
        ordering = ["package", "date", "id"]
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")
        indexes = [models.Index(fields=["date", "id"], name="ocds_release_date")]
        constraints = [
            models.UniqueConstraint(fields=["package", "tag", "content_hash"], name="ocds_release_once_per_content")
        ]

    def __str__(self):
        return self.release_id
