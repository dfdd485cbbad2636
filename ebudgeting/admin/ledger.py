"""The ledger and the realizations in the admin: evidence, shown and never edited there.

Money moves only through ebudgeting.services.ledger (pages, API, procurement); Kominfo
admins see the entries of their reach, as everywhere else.
"""

from django.contrib import admin

from portal.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from portal.backends import register_role_permissions
from portal.choices import Role

from ..models import LedgerEntry, Realization

register_role_permissions(Role.KOMINFO_ADMIN, ["ebudgeting.view_ledgerentry", "ebudgeting.view_realization"])


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["created", "line", "kind", "amount", "reference", "actor"]
    list_filter = ["kind"]
    search_fields = ["reference", "line__description"]
    list_select_related = ["line__plan_item__sub_activity", "line__account", "actor"]
    date_hierarchy = "created"


@admin.register(Realization)
class RealizationAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["date", "number", "line", "amount", "purpose", "reference", "created_by"]
    search_fields = ["number", "purpose", "reference", "line__description"]
    list_select_related = ["line__plan_item__sub_activity", "line__account", "created_by"]
    date_hierarchy = "date"
