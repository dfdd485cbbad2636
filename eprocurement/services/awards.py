"""The award (penetapan and pengumuman pemenang), objections (sanggah and sanggah banding)
and the appointment of the provider (SPPBJ).

- The pokja decides the winner: the bid ranked first among the passing bids whose
  qualification was proven. When a better-ranked bid failed its proof, the next one may
  win, with the reason written down (Peraturan LKPP 12/2021: pemenang cadangan).
- The award is announced; the objection period is the schedule's OBJECTION stage (5
  calendar days, DESIGN.md), read on the server's clock. It must not have begun when the
  award is announced, so every participant gets the whole period (the schedule is
  extended first otherwise).
- A participant (a vendor whose bid was submitted) objects while the OBJECTION stage is
  open; the pokja answers. For works only, the objector whose objection was rejected may
  appeal (sanggah banding) while the APPEAL stage is open. An appeal is answered for the
  budget holder (PA/KPA, Perpres 16/2018 art. 51); the portal has no KPA role, so the
  package's PPK records the answer the KPA gave. An upheld objection or appeal re-opens
  the evaluation: the package goes back to OPENED and the award is removed (audited with
  its facts), the ranks are cleared, and the pokja evaluates and decides again.
- The PPK appoints the winner (SPPBJ) once the objection period (and, for works, the
  appeal period) has ended with nothing pending.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.choices import AuditAction
from portal.models import User
from portal.services import DomainError, notify

from ..choices import BidStatus, ObjectionKind, ObjectionStatus, PackageStatus, ProcurementKind, TenderStage
from ..models import Award, Bid, BidEvaluation, Objection, Package, Vendor
from ..selectors.schedule import stage_is_open, stage_window
from ..signals import send_package_changed
from .evaluation import require_package_status
from .packages import locked_package, require_pokja


class _Title:
    """A lazy title with facts filled in, translated per recipient by notify()."""

    def __init__(self, template, facts: dict):
        self.template, self.facts = template, facts

    def __str__(self):
        return str(self.template) % self.facts


def package_page_url(package: Package) -> str:
    return reverse("eprocurement:award_page", args=[package.pk])


def tender_result_url(package: Package) -> str:
    return reverse("eprocurement:objection_submit", args=[package.pk])


def _bidders(package: Package) -> list[User]:
    owners = Vendor.objects.filter(bids__package=package, bids__status=BidStatus.SUBMITTED).values("owner_id")
    return list(User.objects.filter(pk__in=owners, is_active=True))


def _tell(package: Package, title, *, vendors: bool = True, ppk: bool = True, pokja: bool = False, body="") -> None:
    facts = {"code": package.code or "", "name": package.name}
    if vendors:
        notify(
            recipients=_bidders(package),
            kind="eprocurement.award",
            title=_Title(title, facts),
            body=body,
            url=tender_result_url(package),
            subject=package,
        )
    staff = [package.ppk] if ppk and package.ppk_id else []
    if pokja:
        staff += list(User.objects.filter(pokja_seats__package=package))
    if staff:
        notify(
            recipients=staff,
            kind="eprocurement.award",
            title=_Title(title, facts),
            body=body,
            url=package_page_url(package),
            subject=package,
        )


def _transition(package: Package, actor, new_status: str, *, reason: str = "", changes=None) -> None:
    old = package.status
    package.status = new_status
    package.save(update_fields=["status", "modified"])
    audit_record(
        actor=actor,
        action=AuditAction.TRANSITION,
        obj=package,
        old_status=old,
        new_status=new_status,
        reason=reason,
        changes=changes or {},
    )


# --- Award --------------------------------------------------------------------------------


def _check_winner(package: Package, bid: Bid, reason: str) -> BidEvaluation:
    evaluation = BidEvaluation.objects.filter(bid=bid).first()
    if evaluation is None or evaluation.rank is None:
        raise DomainError(_("Only a ranked bid that passed the evaluation can win; rank the bids first."))
    if evaluation.qualification_proven is not True:
        raise DomainError(_("The winner's qualification must be proven first."))
    better = BidEvaluation.objects.filter(bid__package=package, rank__lt=evaluation.rank)
    if better.exclude(qualification_proven=False).exists():
        raise DomainError(
            _("A better-ranked bid has not failed its proof of qualification; the award goes to the first.")
        )
    if evaluation.rank > 1 and not reason:
        raise DomainError({"reason": _("Say why the better-ranked bids do not win.")})
    return evaluation


def award_decide(*, package: Package, actor: User, bid: Bid, reason: str = "") -> Award:
    """The pokja decides the winner; the package is AWARDED (not yet announced)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        package = locked_package(package.pk)
        require_pokja(actor, package)
        require_package_status(package, PackageStatus.OPENED)
        bid = Bid.objects.select_related("vendor").filter(pk=bid.pk, package=package).first()
        if bid is None:
            raise DomainError(_("That bid is not a bid on this package."))
        evaluation = _check_winner(package, bid, reason)
        award = Award.objects.create(
            package=package,
            bid=bid,
            vendor=bid.vendor,
            value=bid.opened_price,
            decided_by=actor,
            decided_at=timezone.now(),
        )
        _transition(
            package,
            actor,
            PackageStatus.AWARDED,
            reason=reason,
            changes={"bid": bid.pk, "vendor": bid.vendor.name, "value": str(award.value), "rank": evaluation.rank},
        )
        _tell(package, _("Winner decided for %(code)s %(name)s"), vendors=False, pokja=True)
        send_package_changed(package.pk, "award")
    return award


def award_announce(*, package: Package, actor: User) -> Award:
    """Announce the decided winner to the bidders, the PPK and the public."""
    with transaction.atomic():
        package = locked_package(package.pk)
        require_pokja(actor, package)
        require_package_status(package, PackageStatus.AWARDED)
        award = Award.objects.select_for_update().select_related("vendor").get(package=package)
        if award.announced_at:
            raise DomainError(_("The winner is already announced."))
        window = stage_window(package, TenderStage.OBJECTION)
        if window is None:
            raise DomainError(_("The schedule has no objection period."))
        if timezone.now() >= window[0]:
            raise DomainError(
                _(
                    "The objection period of the schedule has already begun; extend the schedule first, "
                    "so participants get the whole period."
                )
            )
        award.announced_at = timezone.now()
        award.save(update_fields=["announced_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=award,
            agency_id=package.agency_id,
            region_id=package.agency.region_id,
            reason=str(_("Winner announced")),
            changes={"announced_at": award.announced_at.isoformat(), "vendor": award.vendor.name},
        )
        _tell(
            package,
            _("Winner announced for %(code)s %(name)s"),
            body=_Title(
                _("Winner: %(vendor)s. Objections may be lodged from %(start)s until %(end)s."),
                {
                    "vendor": award.vendor.name,
                    "start": timezone.localtime(window[0]).strftime("%d-%m-%Y %H:%M"),
                    "end": timezone.localtime(window[1]).strftime("%d-%m-%Y %H:%M"),
                },
            ),
        )
        send_package_changed(package.pk, "award")
    return award


# --- Objections ---------------------------------------------------------------------------


def _require_objector(package: Package, vendor: Vendor, actor) -> None:
    if vendor.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the vendor's own account may object for it."))
    if not Bid.objects.filter(package=package, vendor=vendor, status=BidStatus.SUBMITTED).exists():
        raise DomainError(_("Only a vendor who submitted a bid on this package may object."))


def _announced_award(package: Package) -> Award:
    award = Award.objects.filter(package=package, announced_at__isnull=False).first()
    if award is None or package.status != PackageStatus.AWARDED:
        raise DomainError(_("There is no announced result to object to."))
    return award


def objection_submit(*, package: Package, vendor: Vendor, actor: User, text: str) -> Objection:
    """A participant objects (sanggah) to the announced result while the period is open."""
    text = (text or "").strip()
    if not text:
        raise DomainError({"text": _("Write what you object to and why.")})
    with transaction.atomic():
        package = locked_package(package.pk)
        _require_objector(package, vendor, actor)
        _announced_award(package)
        if not stage_is_open(package, TenderStage.OBJECTION):
            raise DomainError(_("Objections are accepted only during the objection period of the schedule."))
        pending = Objection.objects.filter(package=package, vendor=vendor, status=ObjectionStatus.SUBMITTED)
        if pending.exists():
            raise DomainError(_("Your earlier objection has not been answered yet."))
        objection = Objection.objects.create(package=package, vendor=vendor, text=text, submitted_at=timezone.now())
        _audit_objection(objection, actor, package, AuditAction.CREATE)
        _tell(package, _("Objection lodged on %(code)s %(name)s"), vendors=False, pokja=True, body=text)
        send_package_changed(package.pk, "awardUpdate")
    return objection


def objection_appeal(*, objection: Objection, actor: User, text: str) -> Objection:
    """The objector appeals (sanggah banding) a rejected objection: works only, in the APPEAL stage."""
    text = (text or "").strip()
    if not text:
        raise DomainError({"text": _("Write what you appeal against and why.")})
    with transaction.atomic():
        package = locked_package(objection.package_id)
        objection = Objection.objects.select_for_update(of=("self",)).select_related("vendor").get(pk=objection.pk)
        if package.kind != ProcurementKind.WORKS:
            raise DomainError(_("An appeal (sanggah banding) is possible for construction works only."))
        _require_objector(package, objection.vendor, actor)
        if objection.kind != ObjectionKind.OBJECTION or objection.status != ObjectionStatus.REJECTED:
            raise DomainError(_("Only a rejected objection can be appealed."))
        if objection.appeals.exists():
            raise DomainError(_("This objection has already been appealed."))
        _announced_award(package)
        if not stage_is_open(package, TenderStage.APPEAL):
            raise DomainError(_("Appeals are accepted only during the appeal period of the schedule."))
        appeal = Objection.objects.create(
            package=package,
            vendor=objection.vendor,
            kind=ObjectionKind.APPEAL,
            appeal_of=objection,
            text=text,
            submitted_at=timezone.now(),
        )
        _audit_objection(appeal, actor, package, AuditAction.CREATE)
        _tell(package, _("Appeal lodged on %(code)s %(name)s"), vendors=False, pokja=True, body=text)
        send_package_changed(package.pk, "awardUpdate")
    return appeal


def _require_answerer(actor, package: Package, objection: Objection) -> None:
    if objection.kind == ObjectionKind.APPEAL:
        if package.ppk_id is None or package.ppk_id != getattr(actor, "pk", None):
            raise PermissionDenied(_("An appeal is answered for the budget holder by the package's PPK."))
    else:
        require_pokja(actor, package)


def objection_answer(*, objection: Objection, actor: User, upheld: bool, answer: str) -> Objection:
    """Answer an objection or appeal; upholding it re-opens the evaluation."""
    answer = (answer or "").strip()
    if not answer:
        raise DomainError({"answer": _("Write the answer.")})
    if upheld not in (True, False):
        raise DomainError({"upheld": _("Say whether the objection is upheld.")})
    with transaction.atomic():
        package = locked_package(objection.package_id)
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        _require_answerer(actor, package, objection)
        if objection.status != ObjectionStatus.SUBMITTED:
            raise DomainError(_("This objection has already been answered."))
        objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED
        objection.answer, objection.answered_by, objection.answered_at = answer, actor, timezone.now()
        objection.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        _audit_objection(objection, actor, package, AuditAction.TRANSITION, reason=answer)
        if upheld and package.status == PackageStatus.AWARDED:
            _reopen_evaluation(package, actor, objection)
        _tell(package, _("Objection answered on %(code)s %(name)s"), body=answer)
        send_package_changed(package.pk, "awardUpdate")
    return objection


def _reopen_evaluation(package: Package, actor, objection: Objection) -> None:
    award = Award.objects.select_for_update().select_related("vendor").get(package=package)
    facts = {
        "removed_award": {
            "bid": award.bid_id,
            "vendor": award.vendor.name,
            "value": str(award.value),
            "decided_at": award.decided_at.isoformat(),
            "announced_at": award.announced_at.isoformat() if award.announced_at else "",
        },
        "objection": objection.pk,
    }
    award.delete()
    BidEvaluation.objects.filter(bid__package=package).update(rank=None, qualification_proven=None)
    _transition(
        package, actor, PackageStatus.OPENED, reason=str(_("Objection upheld: evaluation re-opened")), changes=facts
    )


def _audit_objection(objection: Objection, actor, package: Package, action: str, reason: str = "") -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=objection,
        agency_id=package.agency_id,
        region_id=package.agency.region_id,
        new_status=objection.status,
        reason=reason,
        changes={"kind": objection.kind, "vendor": objection.vendor_id},
    )


# --- SPPBJ --------------------------------------------------------------------------------


def require_ppk(actor, package: Package) -> None:
    if package.ppk_id is None or package.ppk_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the package's PPK may do this."))


def _objection_periods_over(package: Package) -> None:
    now = timezone.now()
    stages = [TenderStage.OBJECTION] + ([TenderStage.APPEAL] if package.kind == ProcurementKind.WORKS else [])
    for stage in stages:
        window = stage_window(package, stage)
        if window is None or now < window[1]:
            raise DomainError(
                _("The provider is appointed after the %(stage)s has ended.") % {"stage": TenderStage(stage).label}
            )
    if Objection.objects.filter(package=package, status=ObjectionStatus.SUBMITTED).exists():
        raise DomainError(_("An objection or appeal is still waiting for its answer."))


def award_appoint(*, package: Package, actor: User, number: str) -> Award:
    """The PPK issues the SPPBJ (appointment letter) to the winner; the package is APPOINTED."""
    number = (number or "").strip()
    if not number:
        raise DomainError({"number": _("Give the SPPBJ number.")})
    if len(number) > 100:
        raise DomainError({"number": _("A number has at most 100 characters.")})
    with transaction.atomic():
        package = locked_package(package.pk)
        require_ppk(actor, package)
        require_package_status(package, PackageStatus.AWARDED)
        award = Award.objects.select_for_update().select_related("vendor").get(package=package)
        if not award.announced_at:
            raise DomainError(_("Announce the winner first."))
        _objection_periods_over(package)
        award.appointment_number, award.appointed_at, award.appointed_by = number, timezone.now(), actor
        award.save(update_fields=["appointment_number", "appointed_at", "appointed_by"])
        _transition(package, actor, PackageStatus.APPOINTED, changes={"sppbj": number, "vendor": award.vendor.name})
        notify(
            recipients=[award.vendor.owner],
            kind="eprocurement.award",
            title=_Title(_("SPPBJ %(number)s issued for %(name)s"), {"number": number, "name": package.name}),
            url=tender_result_url(package),
            subject=package,
        )
        send_package_changed(package.pk, "award")
    return award
