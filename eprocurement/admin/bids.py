"""Sealed bids in the admin: read only, within the admin's reach (the package's agency).

The admin never unseals anything: it shows statuses, times and hashes; the price only
once the bid was opened (before that ``opened_price`` is empty anyway), and neither the
sealed values nor a link to the sealed file (which /media/ does not serve either).
Nothing is added, changed or deleted here: after the deadline no surface may touch a bid.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.admin import ReadOnlyAdminMixin, ReadOnlyInline

from ..models import Bid, BidDocument, BidReceipt, OpeningConfirmation, OpeningRecord, Package


class PackageScopeMixin:
    """Rows of packages the admin may see (Package is the scoped model)."""

    package_path = "package"

    def get_queryset(self, request):
        visible = Package.objects.visible_to(request.user).values("pk")
        return super().get_queryset(request).filter(**{f"{self.package_path}__in": visible})


class BidDocumentInline(ReadOnlyInline):
    model = BidDocument
    fields = ["kind", "size", "sha256", "uploaded"]
    readonly_fields = fields


class BidReceiptInline(ReadOnlyInline):
    model = BidReceipt
    fields = ["status", "submitted_at", "sha256", "ended_at"]
    readonly_fields = fields


@admin.register(Bid)
class BidAdmin(PackageScopeMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "package", "vendor", "status", "submitted_at", "opened_at", "price_if_opened"]
    list_filter = ["status"]
    search_fields = ["package__code", "package__name", "vendor__name"]
    list_select_related = ["package", "vendor"]
    fields = [
        "package",
        "vendor",
        "status",
        "submitted_at",
        "price_sha256",
        "receipt_sha256",
        "opened_at",
        "price_if_opened",
        "created",
        "modified",
    ]
    readonly_fields = fields
    inlines = [BidDocumentInline, BidReceiptInline]

    @admin.display(description=_("price"))
    def price_if_opened(self, bid):
        return bid.opened_price if bid.opened_at else _("sealed until opening")


@admin.register(OpeningRecord)
class OpeningRecordAdmin(PackageScopeMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "package", "opened_at", "bid_count", "sha256"]
    list_select_related = ["package"]
    search_fields = ["package__code", "package__name"]
    readonly_fields = ["package", "opened_at", "bid_count", "sha256", "content"]
    fields = readonly_fields


@admin.register(OpeningConfirmation)
class OpeningConfirmationAdmin(PackageScopeMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["package", "member", "confirmed_at"]
    list_select_related = ["package", "member"]
    readonly_fields = ["package", "member", "confirmed_at"]
    fields = readonly_fields
