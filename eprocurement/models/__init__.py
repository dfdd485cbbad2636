"""E-Procurement's models, one module per subject; imported here so Django finds them."""

from .awards import Award, BidEvaluation, Contract, ContractPayment, Objection
from .bids import Bid, BidDocument, PackageKey
from .ocds import OcdsRelease
from .opening import BidReceipt, OpeningConfirmation, OpeningRecord
from .packages import Package, PackageDocument, PackagePlanItem, PackageStage, PokjaMember, ScheduleChange
from .plans import ProcurementFunding, ProcurementPlanItem
from .tender_site import Question, TenderAlert, TenderSubscription
from .vendors import MONEY, Blacklisting, BusinessField, Vendor, VendorDocument, VendorPerson

__all__ = [
    "Award",
    "BidEvaluation",
    "Contract",
    "ContractPayment",
    "Objection",
    "MONEY",
    "OcdsRelease",
    "Bid",
    "BidDocument",
    "BidReceipt",
    "OpeningConfirmation",
    "OpeningRecord",
    "Blacklisting",
    "BusinessField",
    "PackageKey",
    "Package",
    "PackageDocument",
    "PackagePlanItem",
    "PackageStage",
    "PokjaMember",
    "ProcurementFunding",
    "ProcurementPlanItem",
    "ScheduleChange",
    "Vendor",
    "VendorDocument",
    "VendorPerson",
    "Question",
    "TenderAlert",
    "TenderSubscription",
]
