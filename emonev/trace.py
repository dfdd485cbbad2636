"""The trace of every rupiah: from any link of the chain, the whole chain it belongs to.

RPJMD objective → plan item (with the Musrenbang proposals that became it) → budget lines
→ procurement plan (RUP) items drawing on them → packages → bids → award → contract →
payments → monthly progress. Whatever the page starts from (a plan item, a budget line, a
package, a contract or a proposal) is resolved to the plan item(s) at the chain's root,
and the same tree is built from there, so every start shows the same picture.

Bids: before opening only how many were submitted; after opening the opened price of each.
The sealed price is never read.

The tree is built in a fixed number of queries whatever its size (``build_chain``): the
start, the root plan items, their proposals, the RUP fundings, the budget lines, the
packages (with award, contract and bid count in the same row), the opened bids, the
payments and the progress reports; a tree without RUP items or contracts skips the rest.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse

from ebudgeting.models import BudgetLine
from eplanning.models import CommunityProposal, PlanItem
from eprocurement.choices import BidStatus
from eprocurement.models import Bid, Contract, ContractPayment, Package, PackagePlanItem, ProcurementFunding

from .choices import ReportStatus
from .models import ProgressReport

# The kinds a trace starts from, with the path from that record to its root plan items.
ROOT_PATHS = {
    "plan_item": (PlanItem, "pk"),
    "budget_line": (BudgetLine, "plan_item_id"),
    "package": (Package, "plan_item_links__plan_item__fundings__budget_line__plan_item_id"),
    "contract": (Contract, "package__plan_item_links__plan_item__fundings__budget_line__plan_item_id"),
    "proposal": (CommunityProposal, "plan_item_id"),
}
KINDS = tuple(ROOT_PATHS)
ZERO = Decimal("0")


def root_plan_item_ids(user, kind: str, pk) -> list[int]:
    """The plan items at the root of the chain through record (``kind``, ``pk``), if
    ``user`` may see that record (one query); Http404 otherwise."""
    if kind not in ROOT_PATHS or not str(pk).isdigit():
        raise Http404
    model, path = ROOT_PATHS[kind]
    ids = list(model.objects.visible_to(user).filter(pk=int(pk)).order_by().values_list(path, flat=True))
    if not ids:
        raise Http404
    return sorted({i for i in ids if i is not None})


def build_chain(user, kind: str, pk) -> dict:
    """The chain through (``kind``, ``pk``) as plain data, for the page and the API.

    Only root plan items ``user`` reaches are shown; a record whose chain has none that
    ``user`` reaches is a 404, as is a record ``user`` may not see at all."""
    ids = root_plan_item_ids(user, kind, pk)
    roots = list(
        PlanItem.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("agency", "fiscal_year", "sub_activity", "objective__goal")
        .order_by("fiscal_year__year", "sub_activity__code", "id")
    )
    if not roots:
        raise Http404
    start = (kind, int(pk))
    return {
        "start": {"kind": kind, "id": int(pk)},
        "plan_items": _Builder(roots, start).plan_items(),
    }


class _Builder:
    """Loads each level of the tree for all roots at once and hangs the rows together."""

    def __init__(self, roots: list[PlanItem], start: tuple[str, int]):
        self.roots = roots
        self.root_ids = [item.pk for item in roots]
        self.start = start

    def is_start(self, kind: str, pk: int) -> bool:
        return self.start == (kind, pk)

    def plan_items(self) -> list[dict]:
        proposals = self._proposals()
        fundings = list(
            ProcurementFunding.objects.filter(budget_line__plan_item_id__in=self.root_ids)
            .select_related("plan_item", "budget_line__account", "budget_line__plan_item__sub_activity")
            .order_by("plan_item_id", "id")
        )
        lines = self._lines({f.budget_line_id for f in fundings})
        rup_items = {f.plan_item_id: f.plan_item for f in fundings}
        packages = self._packages(list(rup_items))
        contracts = [p["contract"] for ps in packages.values() for p in ps if p["contract"]]
        reports = self._reports([c["id"] for c in contracts])
        self._fill_contracts(contracts, reports)
        return [
            self._plan_item(item, proposals, lines, fundings, packages, reports.get(("plan_item", item.pk), []))
            for item in self.roots
        ]

    # --- Levels ---------------------------------------------------------------------------

    def _proposals(self) -> dict[int, list[dict]]:
        rows = defaultdict(list)
        for proposal in CommunityProposal.objects.filter(plan_item_id__in=self.root_ids).order_by("id"):
            rows[proposal.plan_item_id].append(
                {
                    "id": proposal.pk,
                    "title": proposal.title,
                    "district": proposal.district,
                    "village": proposal.village,
                    "estimated_cost": proposal.estimated_cost,
                    "status": proposal.get_status_display(),
                    "url": reverse("eplanning:musrenbang_detail", args=[proposal.pk]),
                    "is_start": self.is_start("proposal", proposal.pk),
                }
            )
        return rows

    def _lines(self, funded_line_ids: set[int]) -> dict[int, list[BudgetLine]]:
        """The lines of the budget in force, any earlier line a RUP item still draws on,
        and the line the trace started from."""
        rows = defaultdict(list)
        wanted = set(funded_line_ids) | ({self.start[1]} if self.start[0] == "budget_line" else set())
        lines = (
            BudgetLine.objects.filter(plan_item_id__in=self.root_ids)
            .filter(Q(document__is_current=True) | Q(pk__in=wanted))
            .select_related("document", "account", "funding_source")
            .order_by("document__version", "account__code", "id")
        )
        for line in lines:
            rows[line.plan_item_id].append(line)
        return rows

    def _packages(self, rup_ids: list[int]) -> dict[int, list[dict]]:
        """RUP item → its packages, each with award, contract and the bids' count (one
        query), and the opened bids (one more)."""
        if not rup_ids:
            return {}
        submitted = (
            Bid.objects.filter(package_id=OuterRef("package_id"), status=BidStatus.SUBMITTED)
            .values("package_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        links = list(
            PackagePlanItem.objects.filter(plan_item_id__in=rup_ids)
            .select_related("package__award__vendor", "package__contract__vendor")
            .annotate(submitted_bids=Coalesce(Subquery(submitted, output_field=IntegerField()), Value(0)))
            .order_by("package__announced_at", "package_id")
        )
        opened = self._opened_bids({link.package_id for link in links})
        nodes: dict[int, dict] = {}
        by_rup = defaultdict(list)
        for link in links:
            if link.package_id not in nodes:
                nodes[link.package_id] = self._package(link.package, link.submitted_bids, opened[link.package_id])
            by_rup[link.plan_item_id].append(nodes[link.package_id])
        return by_rup

    def _opened_bids(self, package_ids: set[int]) -> dict[int, list[Bid]]:
        rows = defaultdict(list)
        bids = (
            Bid.objects.filter(package_id__in=package_ids, status=BidStatus.SUBMITTED, opened_at__isnull=False)
            .select_related("vendor", "evaluation")
            .only("package_id", "opened_price", "opened_at", "vendor__name", "evaluation__rank")
            .order_by("opened_price", "id")
        )
        for bid in bids:
            rows[bid.package_id].append(bid)
        return rows

    def _reports(self, contract_ids: list[int]) -> dict[tuple[str, int], list[dict]]:
        """Reports that count (submitted, accepted, or returned for correction; drafts are
        the officer's work in progress), by subject, month by month."""
        rows = defaultdict(list)
        reports = (
            ProgressReport.objects.filter(Q(contract_id__in=contract_ids) | Q(plan_item_id__in=self.root_ids))
            .exclude(status=ReportStatus.DRAFT)
            .order_by("year", "month", "id")
        )
        for report in reports:
            key = ("contract", report.contract_id) if report.contract_id else ("plan_item", report.plan_item_id)
            rows[key].append(_report(report))
        return rows

    def _fill_contracts(self, contracts: list[dict], reports: dict) -> None:
        payments = defaultdict(list)
        if contracts:
            rows = ContractPayment.objects.filter(contract_id__in=[c["id"] for c in contracts]).order_by("date", "id")
            for payment in rows:
                payments[payment.contract_id].append(
                    {
                        "number": payment.number,
                        "date": payment.date,
                        "amount": payment.amount,
                        "description": payment.description,
                    }
                )
        for contract in contracts:
            contract["payments"] = payments[contract["id"]]
            contract["paid"] = sum((p["amount"] for p in contract["payments"]), ZERO)
            contract["progress"] = reports.get(("contract", contract["id"]), [])

    # --- Nodes ----------------------------------------------------------------------------

    def _plan_item(self, item, proposals, lines, fundings, packages, progress) -> dict:
        item_lines = [self._line(line) for line in lines.get(item.pk, [])]
        line_ids = {line["id"] for line in item_lines}
        rups: dict[int, dict] = {}
        for funding in fundings:
            if funding.budget_line_id not in line_ids:
                continue
            rup = rups.setdefault(funding.plan_item_id, self._rup(funding.plan_item, packages))
            rup["fundings"].append(
                {
                    "budget_line_id": funding.budget_line_id,
                    "key": _mak(funding.budget_line),
                    "amount": funding.amount,
                }
            )
        return {
            "id": item.pk,
            "code": item.sub_activity.code,
            "title": item.title or item.sub_activity.name,
            "agency": item.agency.name,
            "fiscal_year": item.fiscal_year.year,
            "status": item.get_status_display(),
            "indicative_ceiling": item.indicative_ceiling,
            "budget": sum((line["amount"] for line in item_lines if line["in_force"]), ZERO),
            "realized": sum((line["realized"] for line in item_lines if line["in_force"]), ZERO),
            "url": reverse("eplanning:plan_detail", args=[item.pk]),
            "progress_url": reverse("emonev:plan_item_progress", args=[item.pk]),
            "is_start": self.is_start("plan_item", item.pk),
            "objective": _objective(item.objective),
            "proposals": proposals.get(item.pk, []),
            "budget_lines": item_lines,
            "procurement_plans": list(rups.values()),
            "progress": progress,
        }

    def _line(self, line: BudgetLine) -> dict:
        return {
            "id": line.pk,
            "key": f"{self._code_of(line)}.{line.account.code}",
            "description": line.description,
            "document": str(line.document.number or f"v{line.document.version}"),
            "in_force": line.document.is_current,
            "funding_source": line.funding_source.name,
            "amount": line.amount,
            "committed": line.committed,
            "realized": line.realized,
            "url": reverse("ebudgeting:ledger_line", args=[line.pk]),
            "is_start": self.is_start("budget_line", line.pk),
        }

    def _code_of(self, line: BudgetLine) -> str:
        return next(item.sub_activity.code for item in self.roots if item.pk == line.plan_item_id)

    def _rup(self, rup, packages) -> dict:
        return {
            "id": rup.pk,
            "rup_code": rup.rup_code or "",
            "name": rup.name,
            "method": rup.get_method_display(),
            "value": rup.value,
            "status": rup.get_status_display(),
            "url": reverse("eprocurement:rup_detail", args=[rup.pk]),
            "fundings": [],
            "packages": packages.get(rup.pk, []),
        }

    def _package(self, package: Package, submitted: int, opened: list[Bid]) -> dict:
        return {
            "id": package.pk,
            "code": package.code or "",
            "name": package.name,
            "status": package.get_status_display(),
            "value": package.value,
            "owner_estimate": package.owner_estimate,
            "announced_at": package.announced_at,
            "url": reverse("eprocurement:package_detail", args=[package.pk]),
            "is_start": self.is_start("package", package.pk),
            "bids": {
                "submitted": submitted,
                "opened": bool(opened),
                "opened_at": min((bid.opened_at for bid in opened), default=None),
                "items": [_bid(bid) for bid in opened],
            },
            "award": _award(package),
            "contract": self._contract(package),
        }

    def _contract(self, package: Package) -> dict | None:
        contract = _reverse_one(package, "contract")
        if contract is None:
            return None
        return {
            "id": contract.pk,
            "number": contract.number,
            "vendor": contract.vendor.name,
            "value": contract.value,
            "starts_on": contract.starts_on,
            "ends_on": contract.ends_on,
            "status": contract.get_status_display(),
            "signed_at": contract.signed_at,
            "url": reverse("eprocurement:contract_page", args=[package.pk]),
            "progress_url": reverse("emonev:contract_progress", args=[contract.pk]),
            "is_start": self.is_start("contract", contract.pk),
        }


def _reverse_one(obj, name: str):
    """A reverse one-to-one loaded by select_related, or None when there is none."""
    try:
        return getattr(obj, name)
    except ObjectDoesNotExist:  # raised from select_related's cache, without a query
        return None


def _objective(objective) -> dict | None:
    if objective is None:
        return None
    return {
        "id": objective.pk,
        "code": objective.code,
        "statement": objective.statement,
        "goal_code": objective.goal.code,
        "goal_statement": objective.goal.statement,
        "url": reverse("eplanning:rpjmd_page"),
    }


def _mak(line: BudgetLine) -> str:
    return f"{line.plan_item.sub_activity.code}.{line.account.code}"


def _bid(bid: Bid) -> dict:
    evaluation = _reverse_one(bid, "evaluation")
    return {"vendor": bid.vendor.name, "price": bid.opened_price, "rank": evaluation.rank if evaluation else None}


def _award(package: Package) -> dict | None:
    award = _reverse_one(package, "award")
    if award is None:
        return None
    return {
        "vendor": award.vendor.name,
        "value": award.value,
        "decided_at": award.decided_at,
        "announced_at": award.announced_at,
        "url": reverse("eprocurement:award_page", args=[package.pk]),
    }


def _report(report: ProgressReport) -> dict:
    return {
        "id": report.pk,
        "year": report.year,
        "month": report.month,
        "status": report.get_status_display(),
        "physical_pct": report.physical_pct,
        "planned_physical_pct": report.planned_physical_pct,
        "deviation": report.physical_deviation,
        "financial_realized": report.financial_realized,
        "url": reverse("emonev:report_detail", args=[report.pk]),
    }
