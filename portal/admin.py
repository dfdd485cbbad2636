"""The Django admin, where Kominfo admins manage agencies, people and their roles.

Permissions come from roles (portal.backends); which rows a Kominfo admin lists, opens
and changes comes from their reach (ScopedAdminMixin). Every change that has a service
goes through it, so the admin writes the same audit entries as the other surfaces.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import selectors, services
from .forms import AgencyAdminForm, EditorFormMixin, MembershipAdminForm, StaffUserCreationForm
from .models import Agency, AuditEntry, FiscalYear, Membership, Notification, Region, User
from .scoping import reach_of

_REVOKED_IN_ADMIN = _("Revoked in the administration")


def _is_autocomplete(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


def _with_editor(form_class, request):
    """The form class, told who fills it in (see portal.forms.EditorFormMixin)."""
    if not issubclass(form_class, EditorFormMixin):
        return form_class
    return type(form_class.__name__, (form_class,), {"editor": request.user})


class LimitedChoicesMixin:
    """Foreign keys offer only the records the person may attach something to.

    ``choices_for`` maps a field name to a selector taking the user; the queryset it
    returns is both what the widget offers and what the form accepts.
    """

    choices_for: dict = {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        selector = self.choices_for.get(db_field.name)
        if selector is not None:
            kwargs["queryset"] = selector(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedAdminMixin(LimitedChoicesMixin):
    """Kominfo admins list, open and change in the admin only what their reach allows.

    The model's queryset must be a ScopedQuerySet. Superusers see everything. A record
    outside the reach is not in the queryset, so its change page answers like a missing
    one (a redirect to the index), and a POST to it changes nothing.
    """

    scope_roles = selectors.ADMIN_ROLES

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user, self.scope_roles)

    def get_search_results(self, request, queryset, search_term):
        # Autocomplete offers records to attach something to: only those one may change.
        if _is_autocomplete(request):
            queryset = queryset.editable_by(request.user, self.scope_roles)
        return super().get_search_results(request, queryset, search_term)

    def get_form(self, request, obj=None, **kwargs):
        return _with_editor(super().get_form(request, obj, **kwargs), request)

    def _editable(self, request, obj) -> bool:
        if obj is None or reach_of(request.user).everything:
            return True
        return type(obj)._default_manager.editable_by(request.user, self.scope_roles).filter(pk=obj.pk).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._editable(request, obj)


class ReadOnlyAdminMixin:
    """Records written only by services (the audit log, the outbox): shown, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    """Rows a service writes (cash plans, fundings, review history, ...): shown on their
    parent's admin page, never added, changed or deleted there."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    """Kemendagri reference data: Kominfo admins read it, superusers keep it."""

    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    ordering = ["code"]


@admin.register(Agency)
class AgencyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = AgencyAdminForm
    choices_for = {"region": selectors.regions_for_new_agencies, "parent": selectors.agencies_editable}
    list_display = ["name", "short_name", "code", "region", "parent", "head_name", "member_count", "is_active"]
    list_filter = ["is_active", "region__kind", "region"]
    search_fields = ["name", "short_name", "code", "region__name", "region__code"]
    list_select_related = ["region", "parent"]
    autocomplete_fields = ["parent"]
    ordering = ["region__code", "name"]
    fieldsets = (
        (None, {"fields": ("region", "code", "name", "short_name", "parent", "is_active")}),
        (_("Contact"), {"fields": ("head_name", "address", "phone", "email")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(member_count=Count("memberships"))

    @admin.display(description=_("members"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Code and region identify the agency in every record that points at it. Moving
        # a unit or closing an agency changes who reaches what: superusers only.
        return ["region", "code"] if request.user.is_superuser else ["region", "code", "parent", "is_active"]

    def has_delete_permission(self, request, obj=None):
        # Plans, budgets and letters keep pointing at an agency: it is closed, not deleted.
        return False

    def save_model(self, request, obj, form, change):
        if not change:
            obj.pk = self._create(request, form).pk
            return
        editable = {k: form.cleaned_data[k] for k in form.changed_data if k in services.AGENCY_EDITABLE_FIELDS}
        other = [k for k in form.changed_data if k not in services.AGENCY_EDITABLE_FIELDS]
        if other:
            # Only what the service does not cover, so the service sees (and audits)
            # the contact details as they were.
            obj.save(update_fields=other)
        if editable:
            services.agency_update(agency_id=obj.pk, actor=request.user, **editable)

    @staticmethod
    def _create(request, form):
        data = form.cleaned_data
        details = {k: data[k] for k in (*services.AGENCY_EDITABLE_FIELDS, "is_active") if k != "name"}
        identity = {"region": data["region"], "code": data["code"], "name": data["name"], "parent": data["parent"]}
        return services.agency_create(actor=request.user, **identity, **details)


class MembershipInline(LimitedChoicesMixin, admin.TabularInline):
    """A person's roles. New rows are granted and deleted rows revoked through the
    services (UserAdmin.save_formset); granted rows are not edited."""

    model = Membership
    form = MembershipAdminForm
    choices_for = {"agency": selectors.agencies_editable}
    extra = 0
    fields = ["agency", "role", "scope", "created"]
    readonly_fields = ["created"]
    autocomplete_fields = ["agency"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).visible_to(request.user, selectors.ADMIN_ROLES)
        return qs.select_related("agency__region")

    def _user_editable(self, request, obj) -> bool:
        return obj is None or selectors.users_editable_by_admin(request.user).filter(pk=obj.pk).exists()

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._user_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._user_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._user_editable(request, obj)


_CLOSED_IN_ADMIN = _("Closed by an administrator")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = StaffUserCreationForm
    ordering = ["email"]
    list_display = ["email", "full_name", "nip", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "memberships__role", "memberships__agency__region"]
    search_fields = ["email", "full_name", "nip"]
    inlines = [MembershipInline]
    actions = ["deactivate"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "nip", "phone", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    # Kominfo admins: access follows roles, and accounts close through the action.
    kominfo_fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "nip", "phone", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {"classes": ("wide",), "fields": ("email", "full_name", "usable_password", "password1", "password2")},
        ),
        (_("First role"), {"fields": ("agency", "role")}),
    )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if reach_of(request.user).everything:
            return qs
        return qs.filter(pk__in=selectors.users_visible_to_admin(request.user).values("pk"))

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return self.fieldsets if request.user.is_superuser else self.kominfo_fieldsets

    def get_readonly_fields(self, request, obj=None):
        fixed = ["last_login", "date_joined"]
        return fixed if request.user.is_superuser else [*fixed, "is_active", "is_staff"]

    def get_form(self, request, obj=None, **kwargs):
        return _with_editor(super().get_form(request, obj, **kwargs), request)

    def get_inlines(self, request, obj):
        # The first role is part of the add form; more are added once the person exists.
        return self.inlines if obj is not None else []

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or selectors.users_editable_by_admin(request.user).filter(pk=obj.pk).exists()

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            services.user_record_created(user=obj, actor=request.user)
            if form.cleaned_data.get("agency"):
                services.membership_grant(
                    user=obj, agency=form.cleaned_data["agency"], role=form.cleaned_data["role"], actor=request.user
                )
            return
        changed = {k: form.cleaned_data[k] for k in form.changed_data if k in services.USER_EDITABLE_FIELDS}
        if changed:
            services.user_update(user_id=obj.pk, actor=request.user, **changed)
        if "is_active" in form.changed_data:
            if form.cleaned_data["is_active"]:
                services.user_reactivate(user_id=obj.pk, actor=request.user)
            else:
                services.user_deactivate(user_id=obj.pk, actor=request.user, reason=str(_CLOSED_IN_ADMIN))

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for membership in formset.deleted_objects:
            services.membership_revoke(membership_id=membership.pk, actor=request.user, reason=str(_REVOKED_IN_ADMIN))
        for membership in formset.new_objects:
            services.membership_grant(
                user=form.instance,
                agency=membership.agency,
                role=membership.role,
                scope=membership.scope,
                actor=request.user,
            )

    @admin.action(description=_("Close the selected accounts (ends their sessions)"), permissions=["change"])
    def deactivate(self, request, queryset):
        editable = selectors.users_editable_by_admin(request.user).values("pk")
        closed = 0
        for user in queryset.filter(is_active=True, pk__in=editable):
            try:
                services.user_deactivate(user_id=user.pk, actor=request.user, reason=str(_CLOSED_IN_ADMIN))
            except ValidationError as exc:
                self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            else:
                closed += 1
        self.message_user(request, ngettext("%d account closed.", "%d accounts closed.", closed) % closed)


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Roles are granted here and revoked with the action; a granted role is not edited."""

    form = MembershipAdminForm
    choices_for = {"agency": selectors.agencies_editable, "user": selectors.users_visible_to_admin}
    list_display = ["user", "agency", "region", "role", "scope", "created"]
    list_filter = ["role", "scope", "agency__region"]
    search_fields = ["user__email", "user__full_name", "agency__name", "agency__code"]
    list_select_related = ["user", "agency__region"]
    autocomplete_fields = ["user", "agency"]
    actions = ["revoke"]

    @admin.display(description=_("region"), ordering="agency__region__code")
    def region(self, obj):
        return obj.agency.region

    def get_readonly_fields(self, request, obj=None):
        return ["user", "agency", "role", "scope", "created"] if obj is not None else ["created"]

    def save_model(self, request, obj, form, change):
        if change:
            return  # every field of a granted role is read-only
        obj.pk = services.membership_grant(
            user=obj.user, agency=obj.agency, role=obj.role, scope=obj.scope, actor=request.user
        ).pk

    def delete_model(self, request, obj):
        services.membership_revoke(membership_id=obj.pk, actor=request.user, reason=str(_REVOKED_IN_ADMIN))

    def delete_queryset(self, request, queryset):
        for membership in queryset:
            self.delete_model(request, membership)

    @admin.action(description=_("Revoke the selected roles"), permissions=["change"])
    def revoke(self, request, queryset):
        revoked = 0
        for membership in queryset.editable_by(request.user, self.scope_roles):
            self.delete_model(request, membership)
            revoked += 1
        self.message_user(request, ngettext("%d role revoked.", "%d roles revoked.", revoked) % revoked)


@admin.register(FiscalYear)
class FiscalYearAdmin(admin.ModelAdmin):
    list_display = ["year", "is_open"]
    list_filter = ["is_open"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit log, read-only for everyone: it is evidence."""

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
        reach = reach_of(request.user, (*selectors.ADMIN_ROLES, "auditor"))
        if reach.everything:
            return qs
        regions = reach.region_ids | reach.child_region_ids
        return qs.filter(region_id__in=regions) | qs.filter(agency_id__in=reach.agency_ids)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Inboxes and the e-mail outbox, read-only: to see why a message did not arrive."""

    list_display = ["created", "recipient", "kind", "title", "read_at", "email_status", "email_attempts"]
    list_filter = ["email_status", "kind"]
    search_fields = ["recipient__email", "title"]
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def get_queryset(self, request):
        return super().get_queryset(request) & selectors.notifications_visible_to_admin(request.user)
