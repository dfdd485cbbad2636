"""Evaluation of opened bids by the pokja, the ranking, and the proof of qualification.

Sources: Perpres 16/2018 art. 39-41 (as amended by Perpres 12/2021) and Peraturan LKPP
12/2021 (pedoman pelaksanaan pengadaan melalui penyedia), as summarised in DESIGN.md.

Every method evaluates each bid in parts, in this order: administration, qualification,
technical, price. A failed part needs a written reason and ends the evaluation of that
bid (the later parts stay empty), so ``notes`` always explains a failed bid. The price
part is the same for every method:

- a price above the owner's estimate (HPS) fails the price evaluation, whatever the
  pokja ticks (the HPS is the public ceiling);
- a price under ``PROCUREMENT_CLARIFICATION_SHARE`` (80%) of the HPS requires a price
  clarification: ``clarification_required`` is set and the price part can only pass once
  the pokja has written down the clarification (``clarification_note``).

What differs is the technical part and how passing bids are ranked
(``settings.PROCUREMENT_TECHNICAL_PASSING_GRADE`` is the passing grade ``G`` of a technical
score 0-100; ``settings.PROCUREMENT_EVALUATION_WEIGHTS[method]`` the weights ``wT``, ``wP``):

- ``gugur`` (sistem gugur) and ``harga_terendah`` (harga terendah): every part is
  pass/fail; passing bids rank by price, lowest first.
- ``umur_ekonomis`` (biaya selama umur ekonomis): pass/fail parts; the pokja enters the
  bid's life-cycle cost (price + operation + maintenance − residual value over the economic
  life, from the bid); passing bids rank by life-cycle cost, lowest first.
- ``nilai`` (sistem nilai) and ``kualitas_biaya`` (kualitas dan biaya, consultancy): a
  technical score; the technical part passes when score ≥ G. At ranking, each passing
  bid gets a price score ``P = 100 × lowest passing price / its price`` and a total
  ``wT × technical + wP × P``; highest total first.
- ``kualitas`` (kualitas, consultancy): technical score ≥ G passes; rank by technical score,
  highest first (the price of the first is then clarified and negotiated; it still may not
  exceed the HPS).
- ``pagu_anggaran`` (pagu anggaran, consultancy): technical score ≥ G passes and the price
  may not exceed the budget ceiling (pagu); the HPS never exceeds the pagu (a constraint
  of the package), so the HPS rule above already enforces it. Rank by technical score,
  highest first.
- ``biaya_terendah`` (biaya terendah, consultancy): technical score ≥ G passes; rank by
  price, lowest first.

Ties keep the bid submitted first ahead (then the lower bid id), so a ranking is stable.
Ranking is one pass over the package's evaluations (a handful of rows), written back with
one ``bulk_update``; scores and ranks are stored so pages read them without recomputing.

Proof of qualification (pembuktian kualifikasi) is recorded for the best-ranked bids
(the winner candidate and up to two reserves, ``PROOF_CANDIDATES``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.choices import AuditAction
from portal.models import User
from portal.services import DomainError

from ..choices import BidStatus, EvaluationMethod, PackageStatus
from ..models import Bid, BidEvaluation, Package
from .packages import locked_package, require_pokja

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
MAX_AMOUNT = Decimal("9999999999999999.99")
PROOF_CANDIDATES = 3
SCORED_METHODS = frozenset(
    {
        EvaluationMethod.MERIT_POINT,
        EvaluationMethod.QUALITY,
        EvaluationMethod.QUALITY_COST,
        EvaluationMethod.FIXED_BUDGET,
        EvaluationMethod.LEAST_COST,
    }
)
WEIGHTED_METHODS = frozenset({EvaluationMethod.MERIT_POINT, EvaluationMethod.QUALITY_COST})
PARTS = ("administrative_pass", "qualification_pass", "technical_pass", "price_pass")
PART_LABELS = {
    "administrative_pass": _("administration"),
    "qualification_pass": _("qualification"),
    "technical_pass": _("technical"),
    "price_pass": _("price"),
}


# --- Configuration ------------------------------------------------------------------------


def passing_grade() -> Decimal:
    return Decimal(str(settings.PROCUREMENT_TECHNICAL_PASSING_GRADE))


def weights(method: str) -> tuple[Decimal, Decimal]:
    """(technical, price) weights of a weighted method."""
    configured = settings.PROCUREMENT_EVALUATION_WEIGHTS[str(method)]
    return Decimal(str(configured["technical"])), Decimal(str(configured["price"]))


def clarification_limit(package: Package) -> Decimal:
    """Prices under this need a price clarification (80% of the HPS)."""
    return (package.owner_estimate * Decimal(str(settings.PROCUREMENT_CLARIFICATION_SHARE))).quantize(CENT)


def price_ceiling(package: Package) -> Decimal:
    """The highest price that can pass: the HPS (never above the pagu, by the package's constraint)."""
    return package.owner_estimate


# --- Shared checks (also used by the award and contract services) --------------------------


def require_package_status(package: Package, *statuses: str) -> None:
    if package.status not in statuses:
        raise DomainError(
            _("This cannot be done while the package is “%(status)s”.") % {"status": package.get_status_display()}
        )


def failed_part(evaluation: BidEvaluation) -> str:
    """The name of the first part that failed, or "" when none did."""
    return next((part for part in PARTS if getattr(evaluation, part) is False), "")


def is_complete(evaluation: BidEvaluation) -> bool:
    """Decided: a part failed, or every part passed."""
    return bool(failed_part(evaluation)) or all(getattr(evaluation, part) is True for part in PARTS)


def is_passing(evaluation: BidEvaluation) -> bool:
    return all(getattr(evaluation, part) is True for part in PARTS)


# --- Input cleaning -----------------------------------------------------------------------


def _score(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        score = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError({field: _("Enter the score as a number from 0 to 100.")}) from None
    if not score.is_finite() or not Decimal("0") <= score <= HUNDRED or score != score.quantize(CENT):
        raise DomainError({field: _("Enter the score as a number from 0 to 100 with at most two decimals.")})
    return score.quantize(CENT)


def _amount(value, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError):
        raise DomainError({field: _("Enter the amount as a number of rupiah.")}) from None
    if not amount.is_finite() or amount <= 0 or amount > MAX_AMOUNT or amount != amount.quantize(CENT):
        raise DomainError({field: _("Enter an amount of rupiah more than zero, with at most two decimals.")})
    return amount.quantize(CENT)


def _as_bool(value) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "pass", "ya"}:
        return True
    if text in {"0", "false", "no", "fail", "tidak"}:
        return False
    raise DomainError(_("Say for each part whether it passed or failed."))


def _parts(package: Package, bid: Bid, raw: dict) -> dict:
    """The four parts as the method decides them, checked for order and reasons."""
    method = package.evaluation_method
    parts = {name: _as_bool(raw[name]) for name in ("administrative_pass", "qualification_pass", "price_pass")}
    technical_score = _score(raw["technical_score"], "technical_score")
    life_cycle_cost = _amount(raw["life_cycle_cost"], "life_cycle_cost")
    if method in SCORED_METHODS:
        technical_pass = None if technical_score is None else technical_score >= passing_grade()
    else:
        technical_pass, technical_score = _as_bool(raw["technical_pass"]), None
    parts["technical_pass"] = technical_pass
    ordered = {name: parts[name] for name in PARTS}
    _check_order(ordered)
    if method != EvaluationMethod.LIFE_CYCLE_COST:
        life_cycle_cost = None
    elif ordered["price_pass"] is not None and life_cycle_cost is None:
        raise DomainError({"life_cycle_cost": _("Enter the bid's life-cycle cost before deciding on its price.")})
    return {**ordered, "technical_score": technical_score, "life_cycle_cost": life_cycle_cost}


def _check_order(parts: dict) -> None:
    """Parts are decided in order; after a failed or undecided part, nothing more."""
    stop = False
    for name, value in parts.items():
        if stop and value is not None:
            raise DomainError(
                {
                    name: _("The %(part)s part is only evaluated after every earlier part passed.")
                    % {"part": PART_LABELS[name]}
                }
            )
        stop = stop or value is not True


def _with_reason(notes: str, reason) -> str:
    reason = str(reason)
    return notes if reason in notes else " ".join(filter(None, [notes, reason]))


def _price_part(package: Package, bid: Bid, price_pass, clarification_note: str, notes: str):
    """The price part after the rules that do not depend on the pokja: (pass, notes)."""
    if price_pass is None:
        return None, notes
    price = bid.opened_price
    if price > price_ceiling(package):
        return False, _with_reason(notes, _("The price is above the owner's estimate (HPS)."))
    if price_pass and price < clarification_limit(package) and not clarification_note:
        share = (Decimal(str(settings.PROCUREMENT_CLARIFICATION_SHARE)) * 100).normalize()
        message = _("This price is under %(percent)s%% of the HPS: record the price clarification first.")
        raise DomainError({"clarification_note": message % {"percent": f"{share:f}"}})
    return price_pass, notes


# --- Services -----------------------------------------------------------------------------


def _locked_bid(bid_id: int) -> Bid:
    return Bid.objects.select_for_update(of=("self",)).select_related("package", "vendor").get(pk=bid_id)


def evaluation_record(
    *,
    bid: Bid,
    actor: User,
    administrative_pass=None,
    qualification_pass=None,
    technical_pass=None,
    technical_score=None,
    price_pass=None,
    life_cycle_cost=None,
    clarification_note: str = "",
    notes: str = "",
) -> BidEvaluation:
    """Record (or correct) the pokja's evaluation of one opened bid.

    ``technical_pass`` is for pass/fail methods, ``technical_score`` for scored ones (its
    pass follows from the passing grade); ``life_cycle_cost`` for umur ekonomis. Price
    scores and totals are computed by ``evaluation_rank``. Changing an evaluation clears
    the package's ranks: the pokja ranks again.
    """
    notes, clarification_note = (notes or "").strip(), (clarification_note or "").strip()
    with transaction.atomic():
        package = locked_package(bid.package_id)
        require_pokja(actor, package)
        require_package_status(package, PackageStatus.OPENED)
        bid = _locked_bid(bid.pk)
        if bid.status != BidStatus.SUBMITTED or bid.opened_price is None:
            raise DomainError(_("Only an opened, submitted bid is evaluated."))
        raw = {
            "administrative_pass": administrative_pass,
            "qualification_pass": qualification_pass,
            "technical_pass": technical_pass,
            "technical_score": technical_score,
            "price_pass": price_pass,
            "life_cycle_cost": life_cycle_cost,
        }
        values = _parts(package, bid, raw)
        values["price_pass"], notes = _price_part(package, bid, values["price_pass"], clarification_note, notes)
        if False in (values[part] for part in PARTS) and not notes:
            raise DomainError({"notes": _("Give the reason why the bid failed.")})
        evaluation = _save_evaluation(package, bid, actor, values, clarification_note, notes)
    return evaluation


def _save_evaluation(package, bid, actor, values, clarification_note, notes) -> BidEvaluation:
    evaluation, created = BidEvaluation.objects.select_for_update().get_or_create(bid=bid)
    fields = [*PARTS, "technical_score", "life_cycle_cost"]
    old = {name: str(getattr(evaluation, name)) for name in (*fields, "notes", "clarification_note")}
    for name in fields:
        setattr(evaluation, name, values[name])
    evaluation.clarification_required = bid.opened_price < clarification_limit(package)
    evaluation.clarification_note = clarification_note
    evaluation.notes = notes
    evaluation.evaluated_by = actor
    evaluation.price_score = evaluation.total_score = evaluation.rank = None
    evaluation.qualification_proven = None
    evaluation.save()
    # Any change unsettles the ranking: the pokja ranks the package again.
    BidEvaluation.objects.filter(bid__package=package).exclude(pk=evaluation.pk).update(rank=None)
    new = {name: str(getattr(evaluation, name)) for name in old}
    audit_record(
        actor=actor,
        action=AuditAction.CREATE if created else AuditAction.UPDATE,
        obj=evaluation,
        agency_id=package.agency_id,
        region_id=package.agency.region_id,
        reason=notes,
        changes={name: [old[name], new[name]] for name in old if old[name] != new[name]},
    )
    return evaluation


def _rank_key(method: str):
    """Sort key of a passing evaluation (lower sorts first) for ``method``."""
    tie = lambda e: (e.bid.submitted_at or timezone.now(), e.bid_id)  # noqa: E731
    if method in WEIGHTED_METHODS:
        return lambda e: (-e.total_score, *tie(e))
    if method in (EvaluationMethod.QUALITY, EvaluationMethod.FIXED_BUDGET):
        return lambda e: (-e.technical_score, *tie(e))
    if method == EvaluationMethod.LIFE_CYCLE_COST:
        return lambda e: (e.life_cycle_cost, *tie(e))
    return lambda e: (e.bid.opened_price, *tie(e))


def _score_prices(method: str, passing: list[BidEvaluation]) -> None:
    if method not in WEIGHTED_METHODS or not passing:
        return
    technical_weight, price_weight = weights(method)
    lowest = min(e.bid.opened_price for e in passing)
    for evaluation in passing:
        evaluation.price_score = (HUNDRED * lowest / evaluation.bid.opened_price).quantize(CENT)
        evaluation.total_score = (
            technical_weight * evaluation.technical_score + price_weight * evaluation.price_score
        ).quantize(CENT)


def evaluation_rank(*, package: Package, actor: User) -> list[BidEvaluation]:
    """Rank the passing bids by the package's method; every opened bid must be evaluated.

    Returns the passing evaluations in rank order. Failed bids get no rank.
    """
    with transaction.atomic():
        package = locked_package(package.pk)
        require_pokja(actor, package)
        require_package_status(package, PackageStatus.OPENED)
        bids = Bid.objects.filter(package=package, status=BidStatus.SUBMITTED, opened_price__isnull=False)
        evaluations = list(
            BidEvaluation.objects.select_for_update(of=("self",)).select_related("bid").filter(bid__in=bids)
        )
        if len(evaluations) != bids.count() or not all(is_complete(e) for e in evaluations):
            raise DomainError(_("Evaluate every opened bid to the end before ranking."))
        passing = [e for e in evaluations if is_passing(e)]
        for evaluation in evaluations:
            evaluation.rank = evaluation.price_score = evaluation.total_score = None
        _score_prices(package.evaluation_method, passing)
        passing.sort(key=_rank_key(package.evaluation_method))
        for position, evaluation in enumerate(passing, start=1):
            evaluation.rank = position
        BidEvaluation.objects.bulk_update(evaluations, ["rank", "price_score", "total_score"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=package,
            reason=str(_("Bids ranked")),
            changes={"ranking": [[e.bid_id, e.rank, str(e.total_score or "")] for e in passing]},
        )
    return passing


def qualification_proof_record(*, bid: Bid, actor: User, proven: bool, notes: str = "") -> BidEvaluation:
    """Record the proof of qualification (pembuktian kualifikasi) of a best-ranked bid."""
    notes = (notes or "").strip()
    proven = _as_bool(proven)
    if proven is None:
        raise DomainError({"proven": _("Say whether the qualification was proven.")})
    if not proven and not notes:
        raise DomainError({"notes": _("Give the reason why the qualification was not proven.")})
    with transaction.atomic():
        package = locked_package(bid.package_id)
        require_pokja(actor, package)
        require_package_status(package, PackageStatus.OPENED)
        evaluation = BidEvaluation.objects.select_for_update().filter(bid_id=bid.pk).first()
        if evaluation is None or evaluation.rank is None or evaluation.rank > PROOF_CANDIDATES:
            raise DomainError(
                _("Qualification is proven for the %(count)s best-ranked bids only; rank the bids first.")
                % {"count": PROOF_CANDIDATES}
            )
        old = evaluation.qualification_proven
        evaluation.qualification_proven = proven
        if notes:
            evaluation.notes = "\n".join(filter(None, [evaluation.notes, notes]))
        evaluation.evaluated_by = actor
        evaluation.save(update_fields=["qualification_proven", "notes", "evaluated_by", "modified"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=evaluation,
            agency_id=package.agency_id,
            region_id=package.agency.region_id,
            reason=notes,
            changes={"qualification_proven": [old, proven]},
        )
    return evaluation
