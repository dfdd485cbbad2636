from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Agency, AuditEntry, FiscalYear, Membership, Notification, Region, User
from .scoping import reach_of


class ScopedAdminMixin:
    """Kominfo admins see and change in the admin only what their reach allows.

    The model's queryset must be a ScopedQuerySet. Superusers see everything.
    """

    scope_roles = ("kominfo_admin",)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.visible_to(request.user, self.scope_roles)

    def _editable(self, request, obj) -> bool:
        if obj is None or reach_of(request.user).everything:
            return True
        return type(obj)._default_manager.editable_by(request.user, self.scope_roles).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    ordering = ["code"]


@admin.register(Agency)
class AgencyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "region", "parent", "head_name", "is_active"]
    list_filter = ["is_active", "region"]
    search_fields = ["name", "short_name", "code", "region__name"]
    list_select_related = ["region", "parent"]
    autocomplete_fields = ["parent"]
    ordering = ["region__code", "name"]

    def get_readonly_fields(self, request, obj=None):
        # Code and region identify the agency in every record that points at it.
        return ["region", "code"] if obj else []

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        editable = {k: form.cleaned_data[k] for k in form.changed_data if k in services.AGENCY_EDITABLE_FIELDS}
        other = [k for k in form.changed_data if k not in services.AGENCY_EDITABLE_FIELDS]
        if other:
            super().save_model(request, obj, form, change)
        if editable:
            services.agency_update(agency_id=obj.pk, actor=request.user, **editable)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["agency", "role", "scope", "created"]
    readonly_fields = ["created"]
    autocomplete_fields = ["agency"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("agency__region")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "nip", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role", "memberships__agency__region"]
    search_fields = ["email", "full_name", "nip"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]
    actions = ["deactivate"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "nip", "phone", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "full_name", "password1", "password2")}),)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        reach = reach_of(request.user, ("kominfo_admin",))
        if reach.everything:
            return qs
        visible = Membership.objects.visible_to(request.user, ("kominfo_admin",)).values("user_id")
        return qs.filter(pk__in=visible)

    @admin.action(description=_("Close the selected accounts (ends their sessions)"))
    def deactivate(self, request, queryset):
        for user in queryset.filter(is_active=True):
            try:
                services.user_deactivate(
                    user_id=user.pk, actor=request.user, reason=str(_("Closed by an administrator"))
                )
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "agency", "role", "scope", "created"]
    list_filter = ["role", "scope", "agency__region"]
    search_fields = ["user__email", "user__full_name", "agency__name"]
    list_select_related = ["user", "agency__region"]
    autocomplete_fields = ["user", "agency"]


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "is_open"]
    list_filter = ["is_open"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "seq",
        "created",
        "actor_label",
        "action",
        "object_type",
        "object_label",
        "old_status",
        "new_status",
        "client_ip",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_label", "object_id", "request_id", "reason"]
    date_hierarchy = "created"
    show_full_result_count = False

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        reach = reach_of(request.user, ("kominfo_admin", "auditor"))
        if reach.everything:
            return qs
        regions = reach.region_ids | reach.child_region_ids
        return qs.filter(region_id__in=regions) | qs.filter(agency_id__in=reach.agency_ids)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created", "recipient", "kind", "title", "read_at", "email_status", "email_attempts"]
    list_filter = ["email_status", "kind"]
    search_fields = ["recipient__email", "title"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if reach_of(request.user).everything:
            return qs
        return qs.filter(recipient=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
