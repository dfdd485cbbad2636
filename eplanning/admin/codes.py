"""The planning nomenclature in the admin: read-only rows, changed by importing a list."""

from django.contrib import admin

from portal.code_lists import CodeListImportAdminMixin

from ..models import Nomenclature
from ..services.codes import nomenclature_import


@admin.register(Nomenclature)
class NomenclatureAdmin(CodeListImportAdminMixin, admin.ModelAdmin):
    import_service = nomenclature_import
    list_display = ["code", "name", "level", "for_province", "for_regency", "previous_code", "is_active", "edition"]
    list_filter = ["level", "is_active", "for_province", "for_regency", "edition"]
    search_fields = ["code", "name", "name_province", "previous_code"]
    ordering = ["code"]
    show_full_result_count = False
