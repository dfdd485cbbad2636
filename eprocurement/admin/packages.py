"""Packages in the admin: shown within the admin's reach, never edited there. Every
change of a package goes through its services (staff pages and API), so the audit log,
the notifications and the published data always follow."""

from django.contrib import admin

from portal.admin import ReadOnlyAdminMixin, ReadOnlyInline, ScopedAdminMixin
from portal.choices import Role
from portal.selectors import ADMIN_ROLES

from ..models import Package, PackageDocument, PackagePlanItem, PackageStage, PokjaMember, ScheduleChange


class PlanItemInline(ReadOnlyInline):
    model = PackagePlanItem
    fields = ["plan_item"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("plan_item")


class PokjaInline(ReadOnlyInline):
    model = PokjaMember
    fields = ["user", "is_chair"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class StageInline(ReadOnlyInline):
    model = PackageStage
    fields = ["stage", "starts_at", "ends_at"]
    readonly_fields = fields


class DocumentInline(ReadOnlyInline):
    model = PackageDocument
    fields = ["kind", "title", "size", "sha256", "replaces", "uploaded_by", "uploaded"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by", "replaces")


class ScheduleChangeInline(ReadOnlyInline):
    model = ScheduleChange
    fields = ["stage", "old_starts_at", "old_ends_at", "new_starts_at", "new_ends_at", "reason", "changed_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("changed_by")


@admin.register(Package)
class PackageAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    # LPSE admins read the packages of their reach too.
    scope_roles = (*ADMIN_ROLES, Role.LPSE_ADMIN)
    list_display = ["__str__", "agency", "fiscal_year", "kind", "method", "owner_estimate", "status"]
    list_filter = ["status", "kind", "method", "fiscal_year", "agency__region"]
    search_fields = ["code", "name", "agency__name"]
    list_select_related = ["agency__region", "fiscal_year"]
    readonly_fields = [f.name for f in Package._meta.fields]
    inlines = [PlanItemInline, PokjaInline, StageInline, DocumentInline, ScheduleChangeInline]
