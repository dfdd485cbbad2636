"""Plan items, RPJMD and ceilings in the admin: read-only views for Kominfo admins.

Every change to these goes through a service that checks the person's planning role
(planner, Bappeda); a Kominfo admin holds neither, so the admin shows them, scoped to
the admin's reach, and never writes them, status least of all.
"""

from django.contrib import admin

from portal.admin import ReadOnlyAdminMixin, ReadOnlyInline, ScopedAdminMixin

from ..models import AgencyCeiling, PlanIndicator, PlanItem, PlanItemVersion, RpjmdGoal, RpjmdObjective


class PlanIndicatorInline(ReadOnlyInline):
    model = PlanIndicator
    fields = ["name", "unit", "target_year", "target_q1", "target_q2", "target_q3", "target_q4"]
    readonly_fields = fields
    extra = 0


class PlanItemVersionInline(ReadOnlyInline):
    model = PlanItemVersion
    fields = ["revision", "approved_at", "created", "snapshot"]
    readonly_fields = fields
    extra = 0


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "region", "agency", "fiscal_year", "indicative_ceiling", "status", "revision"]
    list_filter = ["status", "fiscal_year", "priority", "region"]
    search_fields = ["title", "sub_activity__code", "sub_activity__name", "agency__name"]
    list_select_related = ["region", "agency", "fiscal_year", "sub_activity"]
    readonly_fields = [
        "region",
        "agency",
        "fiscal_year",
        "sub_activity",
        "objective",
        "title",
        "description",
        "district",
        "village",
        "indicative_ceiling",
        "priority",
        "status",
        "revision",
        "verifier_note",
        "created_by",
        "created",
        "updated",
    ]
    fields = readonly_fields
    inlines = [PlanIndicatorInline, PlanItemVersionInline]


class RpjmdObjectiveInline(ReadOnlyInline):
    model = RpjmdObjective
    fields = ["code", "statement"]
    readonly_fields = fields
    extra = 0


@admin.register(RpjmdGoal)
class RpjmdGoalAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "region", "period_start", "period_end", "statement"]
    list_filter = ["region", "period_start"]
    search_fields = ["code", "statement"]
    list_select_related = ["region"]
    readonly_fields = ["region", "period_start", "period_end", "code", "statement"]
    fields = readonly_fields
    inlines = [RpjmdObjectiveInline]


@admin.register(AgencyCeiling)
class AgencyCeilingAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["agency", "fiscal_year", "amount", "updated"]
    list_filter = ["fiscal_year", "agency__region"]
    search_fields = ["agency__name", "agency__code"]
    list_select_related = ["agency__region", "fiscal_year"]
    readonly_fields = ["agency", "fiscal_year", "amount", "updated"]
    fields = readonly_fields
