"""Account codes and funding sources in the admin: reference data, read-only rows."""

from django.contrib import admin

from portal.admin import ReadOnlyAdminMixin
from portal.code_lists import CodeListImportAdminMixin

from ..models import AccountCode, FundingSource
from ..services.codes import account_codes_import


@admin.register(AccountCode)
class AccountCodeAdmin(CodeListImportAdminMixin, admin.ModelAdmin):
    import_service = account_codes_import
    list_display = ["code", "name", "level", "is_active", "edition"]
    list_filter = ["level", "is_active", "edition"]
    search_fields = ["code", "name", "description"]
    ordering = ["code"]
    show_full_result_count = False


@admin.register(FundingSource)
class FundingSourceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["code", "name"]
