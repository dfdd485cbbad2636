"""The API router: each app registers its viewsets here."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from ebudgeting.api import codes as ebudgeting_codes_api
from ebudgeting.api import documents as ebudgeting_documents_api
from ebudgeting.api import ledger as ebudgeting_ledger_api
from emonev.api import dashboards as emonev_dashboards_api
from emonev.api import reports as emonev_reports_api
from emonev.api import trace as emonev_trace_api
from emonev.api import views as emonev_api
from eplanning.api import codes as eplanning_codes_api
from eplanning.api import musrenbang as eplanning_musrenbang_api
from eplanning.api import plans as eplanning_plans_api
from eprocurement.api import awards as eprocurement_awards_api
from eprocurement.api import bids as eprocurement_bids_api
from eprocurement.api import ocds as eprocurement_ocds_api
from eprocurement.api import packages as eprocurement_packages_api
from eprocurement.api import plans as eprocurement_plans_api
from eprocurement.api import tender_site as eprocurement_tender_site_api
from eprocurement.api import vendors as eprocurement_vendors_api
from portal.api import views as portal_api

router = DefaultRouter()
router.register("regions", portal_api.RegionViewSet, basename="region")
router.register("agencies", portal_api.AgencyViewSet, basename="agency")
router.register("notifications", portal_api.NotificationViewSet, basename="notification")
router.register("ebudgeting/documents", ebudgeting_documents_api.DocumentViewSet, basename="ebudgeting-document")
router.register("ebudgeting/lines", ebudgeting_documents_api.LineViewSet, basename="ebudgeting-line")
router.register(
    "ebudgeting/ledger-entries", ebudgeting_ledger_api.LedgerEntryViewSet, basename="ebudgeting-ledger-entry"
)
router.register("ebudgeting/realizations", ebudgeting_ledger_api.RealizationViewSet, basename="ebudgeting-realization")
router.register("ebudgeting/ledger", ebudgeting_ledger_api.LedgerActionsViewSet, basename="ebudgeting-ledger")
router.register("eplanning/plan-items", eplanning_plans_api.PlanItemViewSet, basename="eplanning-plan-item")
router.register("eplanning/rpjmd-goals", eplanning_plans_api.RpjmdGoalViewSet, basename="eplanning-rpjmd-goal")
router.register("eplanning/ceilings", eplanning_plans_api.AgencyCeilingViewSet, basename="eplanning-ceiling")
router.register("eplanning/proposals", eplanning_musrenbang_api.ProposalViewSet, basename="eplanning-proposal")
router.register("eplanning/nomenclature", eplanning_codes_api.NomenclatureViewSet, basename="eplanning-nomenclature")
router.register("ebudgeting/account-codes", ebudgeting_codes_api.AccountCodeViewSet, basename="ebudgeting-account-code")
router.register(
    "ebudgeting/funding-sources", ebudgeting_codes_api.FundingSourceViewSet, basename="ebudgeting-funding-source"
)
router.register("public/musrenbang", eplanning_musrenbang_api.PublicProposalViewSet, basename="public-musrenbang")

router.register("eprocurement/vendors", eprocurement_vendors_api.VendorViewSet, basename="eprocurement-vendor")
router.register(
    "eprocurement/business-fields",
    eprocurement_vendors_api.BusinessFieldViewSet,
    basename="eprocurement-business-field",
)
router.register("public/blacklist", eprocurement_vendors_api.PublicBlacklistViewSet, basename="public-blacklist")
router.register("eprocurement/rup", eprocurement_plans_api.PlanItemViewSet, basename="eprocurement-rup")
router.register("public/rup", eprocurement_plans_api.PublicPlanItemViewSet, basename="public-rup")
# E-Procurement, the public tender site: tenders, questions and answers, subscriptions.
router.register("public/tenders", eprocurement_tender_site_api.PublicTenderViewSet, basename="public-tender")
router.register(
    "eprocurement/questions", eprocurement_tender_site_api.QuestionViewSet, basename="eprocurement-question"
)
router.register(
    "eprocurement/tender-subscriptions",
    eprocurement_tender_site_api.SubscriptionViewSet,
    basename="eprocurement-tender-subscription",
)

# E-Procurement, open data and red flags (issue 4, OCDS part): the red flags for auditors.
router.register("eprocurement/red-flags", eprocurement_ocds_api.RedFlagViewSet, basename="eprocurement-red-flag")
# E-Procurement packages (issue 4, PACKAGES part).
router.register("eprocurement/packages", eprocurement_packages_api.PackageViewSet, basename="eprocurement-package")

# Issue 4, evaluation, award, objections and contracts (eprocurement/api/awards.py).
router.register(
    "eprocurement/evaluations", eprocurement_awards_api.EvaluationViewSet, basename="eprocurement-evaluation"
)
router.register("eprocurement/awards", eprocurement_awards_api.AwardViewSet, basename="eprocurement-award")
router.register("eprocurement/objections", eprocurement_awards_api.ObjectionViewSet, basename="eprocurement-objection")
router.register("eprocurement/contracts", eprocurement_awards_api.ContractViewSet, basename="eprocurement-contract")
# Sealed bids and opening (issue 4, bids part): a vendor's own bids; a package's opening.
router.register("eprocurement/bids", eprocurement_bids_api.BidViewSet, basename="eprocurement-bid")
router.register("eprocurement/openings", eprocurement_bids_api.OpeningViewSet, basename="eprocurement-opening")

# E-Monev (issue 5): progress reports, planned curves, critical contracts.
router.register("emonev/reports", emonev_api.ProgressReportViewSet, basename="emonev-report")
router.register("emonev/curves", emonev_api.PlannedCurveViewSet, basename="emonev-curve")
router.register("emonev/critical", emonev_api.CriticalStatusViewSet, basename="emonev-critical")
# E-Monev trace (issue 5, trace part): the whole chain through any record as JSON.
router.register("emonev/trace", emonev_trace_api.TraceViewSet, basename="emonev-trace")
# E-Monev dashboards (issue 5, dashboards part): the drill-down's figures.
router.register("emonev/dashboard", emonev_dashboards_api.DashboardViewSet, basename="emonev-dashboard")
# E-Monev reports part: monthly reports, indicator achievement and the performance evaluation.
router.register("emonev/monthly-reports", emonev_reports_api.MonthlyReportViewSet, basename="emonev-monthly")
router.register("emonev/achievements", emonev_reports_api.AchievementViewSet, basename="emonev-achievement")

urlpatterns = [
    path("me/", portal_api.MeView.as_view(), name="api-me"),
    path("", include(router.urls)),
]
