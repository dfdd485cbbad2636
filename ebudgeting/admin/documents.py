"""Budget documents and lines in the admin: shown within the admin's reach; status and
money change only through the services (the workflow actions below)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin import ReadOnlyInline, ScopedAdminMixin

from ..models import BudgetDocument, BudgetLine, CashPlanMonth
from ..services import documents as services


class CashPlanInline(ReadOnlyInline):
    model = CashPlanMonth
    fields = ["month", "amount"]
    readonly_fields = fields


@admin.register(BudgetDocument)
class BudgetDocumentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "agency", "fiscal_year", "version", "revision_kind", "status", "is_current", "number"]
    list_filter = ["status", "revision_kind", "is_current", "fiscal_year", "agency__region"]
    search_fields = ["agency__name", "agency__code", "number"]
    list_select_related = ["agency__region", "fiscal_year"]
    readonly_fields = [f.name for f in BudgetDocument._meta.fields]
    actions = ["submit", "verify", "approve"]

    def has_add_permission(self, request):
        return False  # an RKA is started by its agency's budget officer on the staff site

    def has_delete_permission(self, request, obj=None):
        return False

    def _run(self, request, queryset, service, done_message):
        done = 0
        for document in queryset:
            try:
                service(document_id=document.pk, actor=request.user)
            except (ValidationError, PermissionDenied) as exc:
                text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{document}: {text}", messages.ERROR)
            else:
                done += 1
        self.message_user(request, done_message(done) % done)

    @admin.action(description=_("Submit the selected documents to TAPD"), permissions=["change"])
    def submit(self, request, queryset):
        self._run(request, queryset, services.document_submit, lambda n: ngettext("%d submitted.", "%d submitted.", n))

    @admin.action(description=_("Verify the selected documents"), permissions=["change"])
    def verify(self, request, queryset):
        self._run(request, queryset, services.document_verify, lambda n: ngettext("%d verified.", "%d verified.", n))

    @admin.action(description=_("Approve the selected documents as DPA"), permissions=["change"])
    def approve(self, request, queryset):
        self._run(request, queryset, services.document_approve, lambda n: ngettext("%d approved.", "%d approved.", n))


@admin.register(BudgetLine)
class BudgetLineAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: a line, its cash plan and ledger change through the services."""

    list_display = ["__str__", "document", "funding_source", "amount", "committed", "realized"]
    list_filter = ["document__fiscal_year", "document__status", "funding_source", "document__agency__region"]
    search_fields = ["description", "account__code", "plan_item__sub_activity__code", "document__agency__name"]
    list_select_related = [
        "document__agency",
        "document__fiscal_year",
        "plan_item__sub_activity",
        "account",
        "funding_source",
    ]
    readonly_fields = [f.name for f in BudgetLine._meta.fields]
    inlines = [CashPlanInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
