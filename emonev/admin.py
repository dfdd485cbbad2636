"""E-Monev in the admin: shown within the admin's reach, never edited there. Curves,
reports, evidence and escalations are written by the services, so the audit log, the
snapshots and the notifications always follow."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin import ReadOnlyAdminMixin, ReadOnlyInline, ScopedAdminMixin

from .models import CriticalStatus, Escalation, PlannedCurve, PlannedPoint, ProgressEvidence, ProgressReport


class PointInline(ReadOnlyInline):
    model = PlannedPoint
    fields = readonly_fields = ["year", "month", "physical_pct", "financial"]


@admin.register(PlannedCurve)
class PlannedCurveAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "agency", "contract", "plan_item", "total", "updated"]
    list_filter = ["agency__region"]
    list_select_related = ["agency", "contract", "plan_item__sub_activity"]
    readonly_fields = [f.name for f in PlannedCurve._meta.fields]
    inlines = [PointInline]


class EvidenceInline(ReadOnlyInline):
    model = ProgressEvidence
    fields = readonly_fields = ["download", "kind", "size", "sha256", "taken_at", "latitude", "longitude", "uploaded"]

    @admin.display(description=_("file"))
    def download(self, obj):
        # Through the scoped view, never the media URL.
        return format_html('<a href="{}">{}</a>', reverse("emonev:evidence_download", args=[obj.pk]), obj.original_name)


@admin.register(ProgressReport)
class ProgressReportAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "agency", "year", "month", "physical_pct", "financial_realized", "status", "is_late"]
    list_filter = ["status", "is_late", "year", "agency__region"]
    search_fields = ["contract__number", "plan_item__title", "agency__name"]
    list_select_related = ["agency"]
    readonly_fields = [f.name for f in ProgressReport._meta.fields]
    inlines = [EvidenceInline]


class EscalationInline(ReadOnlyInline):
    model = Escalation
    fields = readonly_fields = ["step", "held_on", "reference", "note", "recorded_by", "recorded_at"]


@admin.register(CriticalStatus)
class CriticalStatusAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["contract", "agency", "is_critical", "since", "planned_pct", "actual_pct", "evaluated_at"]
    list_filter = ["is_critical", "agency__region"]
    search_fields = ["contract__number", "agency__name"]
    list_select_related = ["contract", "agency"]
    readonly_fields = [f.name for f in CriticalStatus._meta.fields]
    inlines = [EscalationInline]


# --- The reports part: stored monthly reports, reminders sent, indicator achievement ---------------

from .models import IndicatorAchievement, MonthlyReport, ReminderSent  # noqa: E402


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "region", "agency", "year", "month", "rows", "generated_at"]
    list_filter = ["year", "region"]
    list_select_related = ["region", "agency"]
    readonly_fields = [f.name for f in MonthlyReport._meta.fields if f.name not in ("pdf", "xlsx")] + ["downloads"]
    exclude = ["pdf", "xlsx"]

    @admin.display(description=_("files"))
    def downloads(self, obj):
        # Through the scoped view, never the media URL.
        if not obj.is_ready:
            return "—"
        return format_html(
            '<a href="{}">PDF</a> · <a href="{}">XLSX</a>',
            reverse("emonev:monthly_download", args=[obj.pk, "pdf"]),
            reverse("emonev:monthly_download", args=[obj.pk, "xlsx"]),
        )


@admin.register(ReminderSent)
class ReminderSentAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "subject_key", "agency", "year", "month", "sent_at"]
    list_filter = ["kind", "year"]
    list_select_related = ["agency"]
    readonly_fields = [f.name for f in ReminderSent._meta.fields]


@admin.register(IndicatorAchievement)
class IndicatorAchievementAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["indicator", "agency", "quarter", "actual", "status", "recorded_at", "verified_at"]
    list_filter = ["status", "quarter", "agency__region"]
    list_select_related = ["indicator", "agency"]
    readonly_fields = [f.name for f in IndicatorAchievement._meta.fields]
