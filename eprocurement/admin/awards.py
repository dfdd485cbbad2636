"""Evaluations, awards, objections and contracts in the admin: read-only, within the
admin's reach (through the package's agency). Every change goes through the services on
the staff site and the API, so the audit log and the budget ledger always follow."""

from django.contrib import admin

from portal import selectors as portal_selectors
from portal.admin import ReadOnlyAdminMixin, ReadOnlyInline, ScopedAdminMixin

from ..models import Award, BidEvaluation, Contract, ContractPayment, Objection, Package


class PackageScopedAdminMixin(ReadOnlyAdminMixin):
    """For rows that reach their agency through ``package``: the packages the admin sees."""

    def get_queryset(self, request):
        packages = Package.objects.visible_to(request.user, portal_selectors.ADMIN_ROLES).values("pk")
        return super().get_queryset(request).filter(**{f"{self.package_path}__in": packages})


@admin.register(BidEvaluation)
class BidEvaluationAdmin(PackageScopedAdminMixin, admin.ModelAdmin):
    package_path = "bid__package"
    list_display = [
        "__str__",
        "bid",
        "rank",
        "administrative_pass",
        "qualification_pass",
        "technical_pass",
        "price_pass",
    ]
    list_filter = ["clarification_required", "qualification_proven"]
    list_select_related = ["bid"]
    readonly_fields = [f.name for f in BidEvaluation._meta.fields]


@admin.register(Award)
class AwardAdmin(PackageScopedAdminMixin, admin.ModelAdmin):
    package_path = "package"
    list_display = ["__str__", "package", "vendor", "value", "decided_at", "announced_at", "appointment_number"]
    search_fields = ["package__code", "package__name", "vendor__name", "appointment_number"]
    list_select_related = ["package", "vendor"]
    readonly_fields = [f.name for f in Award._meta.fields]


@admin.register(Objection)
class ObjectionAdmin(PackageScopedAdminMixin, admin.ModelAdmin):
    package_path = "package"
    list_display = ["__str__", "package", "vendor", "kind", "status", "submitted_at", "answered_at"]
    list_filter = ["kind", "status"]
    search_fields = ["package__code", "package__name", "vendor__name"]
    list_select_related = ["package", "vendor"]
    readonly_fields = [f.name for f in Objection._meta.fields]


class PaymentInline(ReadOnlyInline):
    model = ContractPayment
    fields = ["number", "date", "amount", "description", "created_by", "created"]
    readonly_fields = fields


@admin.register(Contract)
class ContractAdmin(ScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["number", "package", "vendor", "value", "status", "signed_at"]
    list_filter = ["status", "package__agency__region"]
    search_fields = ["number", "package__code", "package__name", "vendor__name"]
    list_select_related = ["package", "vendor"]
    readonly_fields = [f.name for f in Contract._meta.fields]
    inlines = [PaymentInline]
