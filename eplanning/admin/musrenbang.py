"""Musrenbang proposals in the admin: read-mostly.

Kominfo admins look at their region's proposals and review history. Round, status,
score, plan item and rejection reason change only through the review services (the
staff pages and the API); the descriptive fields may be corrected here, through the
same service and under the same rule (village round, under review), by whoever the
service lets record proposals in that region.
"""

from django.contrib import admin

from portal.admin import ReadOnlyInline, ScopedAdminMixin

from ..choices import ProposalStage, ProposalStatus
from ..models import CommunityProposal, ProposalReview
from ..selectors.musrenbang import can_record
from ..services.musrenbang import PROPOSAL_FIELDS, proposal_update


class ProposalReviewInline(ReadOnlyInline):
    """The review history: written by the review services only."""

    model = ProposalReview
    fields = ["created", "stage", "decision", "score", "note", "reviewer"]
    readonly_fields = fields


@admin.register(CommunityProposal)
class CommunityProposalAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "region", "fiscal_year", "district", "category", "stage", "status", "score"]
    list_filter = ["status", "stage", "category", "fiscal_year", "region"]
    search_fields = ["title", "district", "village", "proposer"]
    list_select_related = ["region", "fiscal_year"]
    readonly_fields = [
        "region",
        "fiscal_year",
        "stage",
        "status",
        "score",
        "plan_item",
        "rejection_reason",
        "created_by",
        "created",
    ]
    fields = [*readonly_fields[:2], *PROPOSAL_FIELDS, *readonly_fields[2:]]
    inlines = [ProposalReviewInline]

    def has_add_permission(self, request):
        # Recorded on the staff pages, with the person who recorded it.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        still_open = obj.status == ProposalStatus.IN_REVIEW and obj.stage == ProposalStage.VILLAGE
        return still_open and can_record(request.user, obj.region_id)

    def save_model(self, request, obj, form, change):
        changed = {name: form.cleaned_data[name] for name in form.changed_data if name in PROPOSAL_FIELDS}
        if changed:
            proposal_update(proposal_id=obj.pk, actor=request.user, **changed)
