"""The public tender site's own rows: questions of the explanation stage (pemberian
penjelasan), people's subscriptions to new tenders, and the claim that makes each
announcement reach each subscriber once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import ProcurementKind

QUESTION_MAX_LENGTH = 4000
ANSWER_MAX_LENGTH = 8000


class Question(models.Model):
    """A vendor's question on a package and the pokja's public answer.

    The answer is public; who asked is not (the page says "a participant")."""

    package = models.ForeignKey("eprocurement.Package", on_delete=models.CASCADE, related_name="questions")
    vendor = models.ForeignKey(
        "eprocurement.Vendor", on_delete=models.PROTECT, related_name="questions", verbose_name=_("vendor")
    )
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("question"), max_length=QUESTION_MAX_LENGTH)
    asked_at = models.DateTimeField(_("asked"))
    answer = models.TextField(_("answer"), blank=True, max_length=ANSWER_MAX_LENGTH)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["package", "asked_at", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["vendor", "package"], name="question_vendor_package")]

    def __str__(self):
        return f"question {self.pk} on package {self.package_id}"


class TenderSubscription(models.Model):
    """A person's wish to hear of new tenders of one kind in one region; a blank kind is
    any kind, no region is any region. A region also covers the regencies under it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tender_subscriptions")
    kind = models.CharField(_("kind"), max_length=16, choices=ProcurementKind.choices, blank=True)
    region = models.ForeignKey(
        "portal.Region", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["user", "kind", "region", "id"]
        verbose_name = _("tender subscription")
        verbose_name_plural = _("tender subscriptions")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "region"], name="tender_subscription_once"),
            models.UniqueConstraint(
                fields=["user", "kind"], condition=models.Q(region__isnull=True), name="tender_subscription_any_once"
            ),
        ]

    def __str__(self):
        return f"{self.user_id}: {self.kind or '*'} / {self.region_id or '*'}"


class TenderAlert(models.Model):
    """The claim that a package's announcement was sent to a subscriber: one row per
    package and person, so a signal that arrives twice notifies nobody twice."""

    package = models.ForeignKey("eprocurement.Package", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tender alert sent")
        verbose_name_plural = _("tender alerts sent")
        constraints = [models.UniqueConstraint(fields=["package", "user"], name="tender_alert_once")]

    def __str__(self):
        return f"package {self.package_id} → {self.user_id}"
