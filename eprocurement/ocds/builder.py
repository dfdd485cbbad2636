"""Build an OCDS 1.1 release from the current state of a package.

The release carries what the public tender site shows, nothing more: before opening no
tenderer and no number of tenderers (counting is public on the tender page, but who bid is
not, and OCDS has no field for a count without names that would stay true); bid prices
never, the award only once it is announced, the contract once it is signed. Nothing sealed
is read here: a bid's ``opened_price`` is not used at all, the award carries its own value.

Texts come from the portal's data and choice labels, rendered in Bahasa Indonesia
(``language: "id"``). ``implementation.milestones`` come from the providers downstream apps
register in ``providers`` (E-Monev's accepted progress reports).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from portal.models import Membership

from ..choices import BidStatus, ContractStatus, PackageStatus, TenderStage
from ..models import Award, Bid, Contract, ContractPayment, Package, ProcurementFunding
from . import mapping, providers

LANGUAGE = "id"
CURRENCY = "IDR"
COUNTRY = "Indonesia"


def ocid_for(package: Package) -> str:
    return f"{settings.OCDS_PREFIX}-{package.code}"


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def load_package(package_id: int) -> Package | None:
    """The package with everything a release shows, in a fixed number of queries."""
    return (
        Package.objects.select_related("agency__region", "fiscal_year", "retender_of")
        .prefetch_related(
            "stages",
            "pokja_members",
            "documents",
            "schedule_changes",
            Prefetch(
                "plan_item_links__plan_item__fundings",
                queryset=ProcurementFunding.objects.select_related(
                    "budget_line__account", "budget_line__plan_item__sub_activity"
                ).order_by("budget_line_id"),
            ),
            Prefetch(
                "bids",
                queryset=Bid.objects.filter(status=BidStatus.SUBMITTED, opened_at__isnull=False)
                .select_related("vendor__region")
                .order_by("id"),
                to_attr="opened_bids",
            ),
        )
        .filter(pk=package_id)
        .first()
    )


def build_release(package: Package, *, tag: str) -> dict:
    """The release of ``package`` now, without its ``id`` and ``date`` (``publish`` adds
    them, so that the same content always hashes the same)."""
    with translation.override(LANGUAGE):
        parties = _Parties()
        release = {
            "ocid": ocid_for(package),
            "tag": [tag],
            "initiationType": "tender",
            "language": LANGUAGE,
        }
        buyer = parties.add_agency(package.agency, "buyer")
        release["buyer"] = buyer
        planning, related = _planning(package)
        release["planning"] = planning
        release["tender"] = _tender(package, parties)
        award = _announced_award(package)
        if award is not None:
            release["awards"] = [_award(package, award, parties)]
            contract = _signed_contract(package)
            if contract is not None:
                release["contracts"] = [_contract(contract, award, buyer, parties)]
        related += _retender_link(package)
        if related:
            release["relatedProcesses"] = related
        release["parties"] = parties.as_list()
    return release


class _Parties:
    """The release's parties, each once, with all its roles."""

    def __init__(self):
        self._by_id: dict[str, dict] = {}

    def add_agency(self, agency, role: str) -> dict:
        party_id = f"agency-{agency.region.code}-{agency.code}"
        address = {"region": agency.region.name, "countryName": COUNTRY}
        if agency.address:
            address["streetAddress"] = agency.address
        contact = {key: value for key, value in (("email", agency.email), ("telephone", agency.phone)) if value}
        party = {"id": party_id, "name": agency.name, "address": address}
        if contact:
            party["contactPoint"] = {"name": agency.name, **contact}
        return self._add(party, role)

    def add_vendor(self, vendor, role: str) -> dict:
        party = {
            "id": f"vendor-{vendor.nib}",
            "name": vendor.name,
            "identifier": {"id": vendor.nib, "legalName": vendor.name},
            "address": {"region": vendor.region.name if vendor.region_id else None, "countryName": COUNTRY},
            "details": {"smallBusiness": vendor.is_small_business},
        }
        if not vendor.region_id:
            del party["address"]["region"]
        return self._add(party, role)

    def _add(self, party: dict, role: str) -> dict:
        existing = self._by_id.setdefault(party["id"], {**party, "roles": []})
        if role not in existing["roles"]:
            existing["roles"].append(role)
        return {"id": party["id"], "name": party["name"]}

    def as_list(self) -> list[dict]:
        return list(self._by_id.values())


def money(amount: Decimal) -> dict:
    """A Value: rupiah as a JSON number (integral amounts as integers)."""
    amount = Decimal(amount)
    number = int(amount) if amount == amount.to_integral_value() else float(amount)
    return {"amount": number, "currency": CURRENCY}


def when(moment: datetime.datetime | datetime.date | None) -> str | None:
    """An OCDS date-time in the portal's zone (WITA); a date is its midnight there."""
    if moment is None:
        return None
    if not isinstance(moment, datetime.datetime):
        moment = datetime.datetime.combine(moment, datetime.time.min)
        moment = timezone.make_aware(moment)
    return timezone.localtime(moment).isoformat()


def period(start, end) -> dict:
    return {"startDate": when(start), "endDate": when(end)}


def _planning(package: Package) -> tuple[dict, list[dict]]:
    """The budget the package draws on (its RUP items' budget lines) and the RUP items as
    planning links."""
    fundings = [f for link in package.plan_item_links.all() for f in link.plan_item.fundings.all()]
    lines = {}
    for funding in fundings:
        line = funding.budget_line
        entry = lines.setdefault(line.pk, {"line": line, "amount": Decimal("0")})
        entry["amount"] += funding.amount
    budget = {}
    if lines:
        keys = [_mak(entry["line"]) for entry in lines.values()]
        sub_activities = {
            e["line"].plan_item.sub_activity.code: e["line"].plan_item.sub_activity for e in lines.values()
        }
        budget = {
            "id": "; ".join(keys),
            "description": "; ".join(
                f"{_mak(e['line'])} {e['line'].description}: Rp {e['amount']}" for e in lines.values()
            ),
            "amount": money(sum((e["amount"] for e in lines.values()), Decimal("0"))),
            "projectID": "; ".join(sub_activities),
            "project": "; ".join(s.name for s in sub_activities.values()),
        }
    related = [
        {
            "id": f"rup-{link.plan_item.rup_code or link.plan_item.pk}",
            "relationship": ["planning"],
            "title": link.plan_item.name,
            "scheme": "kodeRUP",
            "identifier": link.plan_item.rup_code or str(link.plan_item.pk),
        }
        for link in package.plan_item_links.all()
    ]
    planning = {"budget": budget} if budget else {}
    return planning, related


def _mak(line) -> str:
    """The budget line key (MAK): sub-activity code + account code."""
    return f"{line.plan_item.sub_activity.code}.{line.account.code}"


def _retender_link(package: Package) -> list[dict]:
    previous = package.retender_of
    if previous is None or not previous.code:
        return []
    return [
        {
            "id": f"retender-of-{previous.code}",
            "relationship": ["unsuccessfulProcess"],
            "title": previous.name,
            "scheme": "ocid",
            "identifier": ocid_for(previous),
            "uri": absolute(reverse("eprocurement:ocds_record", args=[ocid_for(previous)])),
        }
    ]


def _tender(package: Package, parties: _Parties) -> dict:
    stages = {row.stage: row for row in package.stages.all()}
    tender = {
        "id": package.code,
        "title": package.name,
        "description": package.description or None,
        "status": mapping.TENDER_STATUS[package.status],
        "procuringEntity": parties.add_agency(_procuring_agency(package), "procuringEntity"),
        "value": money(package.owner_estimate),
        "procurementMethod": mapping.PROCUREMENT_METHOD[package.method],
        "procurementMethodDetails": mapping.METHOD_LEGAL_NAME[package.method],
        "mainProcurementCategory": mapping.MAIN_CATEGORY[package.kind],
        "awardCriteria": mapping.AWARD_CRITERIA[package.evaluation_method],
        "awardCriteriaDetails": str(package.get_evaluation_method_display()),
        "submissionMethod": ["electronicSubmission"],
        "eligibilityCriteria": package.qualification_requirements or None,
    }
    if package.kind in mapping.ADDITIONAL_CATEGORIES:
        tender["additionalProcurementCategories"] = mapping.ADDITIONAL_CATEGORIES[package.kind]
    _add_periods(tender, stages)
    if package.status not in (PackageStatus.DRAFT, PackageStatus.ANNOUNCED):
        opened = package.opened_bids
        tender["numberOfTenderers"] = len(opened)
        tender["tenderers"] = [parties.add_vendor(bid.vendor, "tenderer") for bid in opened]
    tender["documents"] = [_document(doc) for doc in package.documents.all()]
    tender["milestones"] = [_stage_milestone(row) for row in stages.values()]
    tender["amendments"] = [_amendment(change) for change in package.schedule_changes.all()]
    return {key: value for key, value in tender.items() if value not in (None, [])}


def _add_periods(tender: dict, stages: dict) -> None:
    for field, stage in (("tenderPeriod", TenderStage.BID_SUBMISSION), ("enquiryPeriod", TenderStage.EXPLANATION)):
        if stage in stages:
            tender[field] = period(stages[stage].starts_at, stages[stage].ends_at)
    evaluation, announcement = stages.get(TenderStage.EVALUATION), stages.get(TenderStage.WINNER_ANNOUNCEMENT)
    if evaluation and announcement:
        tender["awardPeriod"] = period(evaluation.starts_at, announcement.ends_at)


def _procuring_agency(package: Package):
    """The agency the pokja works for (the UKPBJ); the buyer when none is recorded."""
    chair = next((m for m in package.pokja_members.all() if m.is_chair), None)
    if chair is not None:
        seat = (
            Membership.objects.filter(user_id=chair.user_id, role="pokja")
            .select_related("agency__region")
            .order_by("id")
            .first()
        )
        if seat is not None:
            return seat.agency
    return package.agency


def _document(doc) -> dict:
    document = {
        "id": str(doc.pk),
        "documentType": mapping.DOCUMENT_TYPE.get(doc.kind),
        "title": doc.title,
        "datePublished": when(doc.uploaded),
        "url": document_url(doc),
    }
    return {key: value for key, value in document.items() if value is not None}


def document_url(doc) -> str | None:
    """The public download of a package document (a view of the tender part)."""
    try:
        return absolute(reverse("eprocurement:package_document_download", args=[doc.pk]))
    except NoReverseMatch:
        return None


def _stage_milestone(row) -> dict:
    return {
        "id": row.stage,
        "title": str(row.get_stage_display()),
        "type": mapping.STAGE_MILESTONE_TYPE[row.stage],
        "dueDate": when(row.ends_at),
    }


def _amendment(change) -> dict:
    return {
        "id": str(change.pk),
        "date": when(change.changed_at),
        "rationale": change.reason,
        "description": (
            f"{change.get_stage_display()}: {when(change.old_starts_at)} – {when(change.old_ends_at)} → "
            f"{when(change.new_starts_at)} – {when(change.new_ends_at)}"
        ),
    }


def _announced_award(package: Package):
    award = Award.objects.filter(package=package, announced_at__isnull=False).select_related("vendor__region").first()
    if award is not None:
        award.package = package
    return award


def _award(package: Package, award, parties: _Parties) -> dict:
    status = "cancelled" if package.status in mapping.ENDED_WITHOUT_CONTRACT else "active"
    return {
        "id": str(award.pk),
        "title": package.name,
        "status": status,
        "date": when(award.decided_at),
        "value": money(award.value),
        "suppliers": [parties.add_vendor(award.vendor, "supplier")],
    }


def _signed_contract(package: Package):
    contract = (
        Contract.objects.filter(package=package)
        .exclude(status=ContractStatus.DRAFT)
        .select_related("vendor__region")
        .first()
    )
    if contract is not None:
        contract.package = package
    return contract


def _contract(contract, award, buyer: dict, parties: _Parties) -> dict:
    payments = list(ContractPayment.objects.filter(contract=contract).order_by("date", "id"))
    result = {
        "id": str(contract.pk),
        "awardID": str(award.pk),
        "title": contract.number,
        "description": contract.payment_terms,
        "status": mapping.CONTRACT_STATUS[contract.status],
        "period": period(contract.starts_on, contract.ends_on),
        "value": money(contract.value),
        "dateSigned": when(contract.signed_at),
    }
    implementation = {}
    if payments:
        payee = parties.add_vendor(contract.vendor, "payee")
        parties.add_agency(contract.package.agency, "payer")
        implementation["transactions"] = [_transaction(p, buyer, payee) for p in payments]
    implementation.update(providers.implementation_for(contract))
    if implementation:
        result["implementation"] = implementation
    return result


def _transaction(payment, payer: dict, payee: dict) -> dict:
    return {
        "id": payment.number,
        "date": when(payment.date),
        "value": money(payment.amount),
        "payer": payer,
        "payee": payee,
    }
