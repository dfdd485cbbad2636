"""Vendors in the admin: LPSE admins read every vendor and verify or reject through the
services; nothing about a vendor, its status or its blacklistings is edited here.
Document files are linked to the checking download view, never to /media/."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin import ReadOnlyInline

from ..models import Blacklisting, BusinessField, Vendor, VendorDocument, VendorPerson
from ..selectors import vendors as selectors
from ..services import vendors as services


class VendorPersonInline(ReadOnlyInline):
    model = VendorPerson
    fields = readonly_fields = ["name", "position", "nik", "phone", "email"]


class VendorDocumentInline(ReadOnlyInline):
    model = VendorDocument
    fields = readonly_fields = ["kind", "number", "issued_on", "valid_until", "sha256", "download"]

    @admin.display(description=_("file"))
    def download(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("eprocurement:vendor_document", args=[obj.pk]), _("Download"))


class BlacklistingInline(ReadOnlyInline):
    model = Blacklisting
    fields = readonly_fields = ["region", "decree_number", "starts_on", "ends_on", "reason", "lifted_at", "lift_reason"]


class RejectReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason for rejection"), widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "nib", "npwp", "status", "is_small_business", "created"]
    list_filter = ["status", "kind", "is_small_business"]
    search_fields = ["name", "nib", "npwp", "email"]
    list_select_related = ["region"]
    readonly_fields = [f.name for f in Vendor._meta.fields] + ["business_fields"]
    inlines = [VendorPersonInline, VendorDocumentInline, BlacklistingInline]
    actions = ["verify", "reject"]

    def get_queryset(self, request):
        return selectors.vendors_visible_to(request.user)

    def has_add_permission(self, request):
        return False  # vendors register themselves on the public site

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_decide_permission(self, request):
        return selectors.is_lpse_admin(request.user)

    def _run(self, request, queryset, call):
        done = 0
        for vendor in queryset:
            try:
                call(vendor)
            except ValidationError as exc:
                self.message_user(request, f"{vendor}: {'; '.join(exc.messages)}", messages.ERROR)
            else:
                done += 1
        return done

    @admin.action(description=_("Verify the selected vendors"), permissions=["decide"])
    def verify(self, request, queryset):
        done = self._run(request, queryset, lambda v: services.vendor_verify(vendor_id=v.pk, actor=request.user))
        self.message_user(request, ngettext("%d verified.", "%d verified.", done) % done)

    @admin.action(description=_("Reject the selected vendors (with a reason)"), permissions=["decide"])
    def reject(self, request, queryset):
        form = RejectReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            done = self._run(
                request, queryset, lambda v: services.vendor_reject(vendor_id=v.pk, actor=request.user, reason=reason)
            )
            self.message_user(request, ngettext("%d rejected.", "%d rejected.", done) % done)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "vendors": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "title": _("Reject vendors"),
        }
        return TemplateResponse(request, "eprocurement/vendor_admin_reject.html", context)


@admin.register(Blacklisting)
class BlacklistingAdmin(admin.ModelAdmin):
    """Recorded and lifted by LPSE admins on the vendor's page, through the services."""

    list_display = ["vendor", "region", "decree_number", "starts_on", "ends_on", "lifted_at"]
    list_filter = ["region"]
    search_fields = ["vendor__name", "decree_number"]
    list_select_related = ["vendor", "region"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(vendor__in=selectors.vendors_visible_to(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BusinessField)
class BusinessFieldAdmin(admin.ModelAdmin):
    """The shipped KBLI list (a data migration loads it): read only."""

    list_display = ["code", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
