"""Questions and tender subscriptions in the admin: read only. Questions are asked and
answered through the services (the tender page, the pokja's page, the API), so every
answer is audited and its asker told."""

from django.contrib import admin

from portal.admin import ReadOnlyAdminMixin

from ..models import Question, TenderSubscription


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "package", "vendor", "asked_at", "answered_at"]
    list_filter = ["answered_at", "package__agency__region"]
    search_fields = ["package__code", "package__name", "vendor__name", "text"]
    list_select_related = ["package", "vendor"]
    readonly_fields = [f.name for f in Question._meta.fields]
    date_hierarchy = "asked_at"


@admin.register(TenderSubscription)
class TenderSubscriptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["id", "user", "kind", "region", "created"]
    list_filter = ["kind", "region"]
    search_fields = ["user__email"]
    list_select_related = ["user", "region"]
    readonly_fields = [f.name for f in TenderSubscription._meta.fields]
