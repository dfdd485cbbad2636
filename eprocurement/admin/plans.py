"""The procurement plan (RUP) in the admin: shown within the admin's reach, never edited
there. Drafting, announcing and cancelling go through the services on the staff site and
the API, so the ledger and the audit log always follow."""

from django.contrib import admin

from portal.admin import ReadOnlyAdminMixin, ReadOnlyInline, ScopedAdminMixin

from ..models import ProcurementFunding, ProcurementPlanItem


class FundingInline(ReadOnlyInline):
    model = ProcurementFunding
    fields = ["budget_line", "amount"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("budget_line__account", "budget_line__plan_item__sub_activity")
        )


@admin.register(ProcurementPlanItem)
class ProcurementPlanItemAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "agency", "fiscal_year", "kind", "method", "value", "small_business_reserved", "status"]
    list_filter = ["status", "kind", "method", "small_business_reserved", "fiscal_year", "agency__region"]
    search_fields = ["rup_code", "name", "agency__name"]
    list_select_related = ["agency__region", "fiscal_year"]
    readonly_fields = [f.name for f in ProcurementPlanItem._meta.fields]
    inlines = [FundingInline]
