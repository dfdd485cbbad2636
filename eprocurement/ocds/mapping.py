"""How the portal's codes map onto OCDS 1.1 codelists.

Closed codelists (tender status, method, category, award and contract status) take only
the standard's codes; the schema validation in the tests checks every value against them.
"""

from ..choices import (
    ContractStatus,
    EvaluationMethod,
    PackageDocumentKind,
    PackageStatus,
    ProcurementKind,
    ProcurementMethod,
    TenderStage,
)

# tenderStatus.csv. An announced or opened tender is still running; once the provider is
# appointed the selection is over (complete); tender ulang and gagal both end unsuccessful.
TENDER_STATUS = {
    PackageStatus.DRAFT: "planned",
    PackageStatus.ANNOUNCED: "active",
    PackageStatus.OPENED: "active",
    PackageStatus.AWARDED: "active",
    PackageStatus.APPOINTED: "complete",
    PackageStatus.CONTRACTED: "complete",
    PackageStatus.COMPLETED: "complete",
    PackageStatus.CANCELLED: "cancelled",
    PackageStatus.FAILED: "unsuccessful",
    PackageStatus.RETENDERED: "unsuccessful",
}

# method.csv: tenders are open to every verified vendor; a selection (seleksi) of
# consultants shortlists first; pengadaan langsung, penunjukan langsung and catalogue
# purchases (e-purchasing) go to one provider without competition.
PROCUREMENT_METHOD = {
    ProcurementMethod.TENDER: "open",
    ProcurementMethod.QUICK_TENDER: "open",
    ProcurementMethod.SELECTION: "selective",
    ProcurementMethod.DIRECT_PROCUREMENT: "direct",
    ProcurementMethod.DIRECT_APPOINTMENT: "direct",
    ProcurementMethod.E_PURCHASING: "direct",
}

# procurementMethodDetails: the method's legal name (Perpres 16/2018), which is Indonesian
# in every language, so it is data, not a translation.
METHOD_LEGAL_NAME = {
    ProcurementMethod.TENDER: "Tender",
    ProcurementMethod.QUICK_TENDER: "Tender Cepat",
    ProcurementMethod.SELECTION: "Seleksi",
    ProcurementMethod.DIRECT_PROCUREMENT: "Pengadaan Langsung",
    ProcurementMethod.DIRECT_APPOINTMENT: "Penunjukan Langsung",
    ProcurementMethod.E_PURCHASING: "E-purchasing",
}

# procurementCategory.csv, and extendedProcurementCategory.csv for consultancy.
MAIN_CATEGORY = {
    ProcurementKind.GOODS: "goods",
    ProcurementKind.WORKS: "works",
    ProcurementKind.CONSULTANCY: "services",
    ProcurementKind.OTHER_SERVICES: "services",
}
ADDITIONAL_CATEGORIES = {ProcurementKind.CONSULTANCY: ["consultingServices"]}

# awardCriteria.csv (open): pass/fail then lowest price is price only; merit points and
# quality-and-cost weigh several criteria; life-cycle and least cost are cost only.
AWARD_CRITERIA = {
    EvaluationMethod.KNOCKOUT: "priceOnly",
    EvaluationMethod.LOWEST_PRICE: "priceOnly",
    EvaluationMethod.MERIT_POINT: "ratedCriteria",
    EvaluationMethod.QUALITY_COST: "ratedCriteria",
    EvaluationMethod.LIFE_CYCLE_COST: "costOnly",
    EvaluationMethod.LEAST_COST: "costOnly",
    EvaluationMethod.QUALITY: "qualityOnly",
    EvaluationMethod.FIXED_BUDGET: "qualityOnly",
}

# documentType.csv (open).
DOCUMENT_TYPE = {
    PackageDocumentKind.SELECTION: "biddingDocuments",
    PackageDocumentKind.HPS: "billOfQuantity",
    PackageDocumentKind.SPECIFICATION: "technicalSpecifications",
    PackageDocumentKind.DRAWING: "illustration",
    PackageDocumentKind.ADDENDUM: "clarifications",
}

# milestoneType.csv (open): the stages vendors take part in, the pokja's assessment, and
# the decisions.
STAGE_MILESTONE_TYPE = {
    TenderStage.ANNOUNCEMENT: "engagement",
    TenderStage.DOCUMENT_DOWNLOAD: "engagement",
    TenderStage.EXPLANATION: "engagement",
    TenderStage.BID_SUBMISSION: "engagement",
    TenderStage.OPENING: "assessment",
    TenderStage.EVALUATION: "assessment",
    TenderStage.QUALIFICATION_PROOF: "assessment",
    TenderStage.WINNER_DECISION: "approval",
    TenderStage.WINNER_ANNOUNCEMENT: "approval",
    TenderStage.OBJECTION: "approval",
    TenderStage.APPEAL: "approval",
    TenderStage.APPOINTMENT: "approval",
    TenderStage.CONTRACT_SIGNING: "approval",
}

# contractStatus.csv: "terminated" covers a contract completed as well as one ended early.
CONTRACT_STATUS = {
    ContractStatus.DRAFT: "pending",
    ContractStatus.SIGNED: "active",
    ContractStatus.COMPLETED: "terminated",
    ContractStatus.TERMINATED: "terminated",
}

# Once bids are opened their number and their vendors are public; never before.
OPENED_STATES = frozenset(
    {
        PackageStatus.OPENED,
        PackageStatus.AWARDED,
        PackageStatus.APPOINTED,
        PackageStatus.CONTRACTED,
        PackageStatus.COMPLETED,
    }
)
ENDED_WITHOUT_CONTRACT = frozenset({PackageStatus.CANCELLED, PackageStatus.FAILED, PackageStatus.RETENDERED})

# releaseTag.csv, without "compiled" (only a compiled release carries it).
RELEASE_TAGS = frozenset(
    {
        "planning",
        "planningUpdate",
        "tender",
        "tenderAmendment",
        "tenderUpdate",
        "tenderCancellation",
        "award",
        "awardUpdate",
        "awardCancellation",
        "contract",
        "contractUpdate",
        "contractAmendment",
        "implementation",
        "implementationUpdate",
        "contractTermination",
    }
)
