"""The public tender site's writes: questions and answers of the explanation stage, and
subscriptions to new tenders with their once-only alerts.

A question is asked in a vendor's name by its owner while the explanation stage is open
on the server's clock, by a vendor that may bid (verified, not blacklisted); a pokja
member of the package answers it, publicly. Alerts go out when a package is announced
(``package_changed`` with the tag ``"tender"``): one per package and subscriber, claimed
by a unique row, so the signal may arrive twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.audit import audit_record
from portal.choices import AuditAction
from portal.models import Region, User
from portal.services import DomainError, notify

from ..choices import PackageStatus, ProcurementKind, TenderStage
from ..models import Package, PokjaMember, Question, TenderAlert, TenderSubscription, Vendor
from ..models.tender_site import ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH
from ..selectors.schedule import stage_is_open
from ..selectors.team import is_pokja_member
from ..selectors.vendors import vendor_bid_refusal
from ..signals import send_package_changed

logger = logging.getLogger(__name__)

# A vendor asks at most this many questions on one package: the explanation is for
# everyone, and one participant must not bury the others' questions.
MAX_QUESTIONS_PER_VENDOR = 20
MAX_SUBSCRIPTIONS = 50


class _Filled:
    """A lazy text with facts filled in, translated per recipient by notify()."""

    def __init__(self, template, facts: dict):
        self.template, self.facts = template, facts

    def __str__(self):
        return str(self.template) % self.facts


def tender_url(package_id: int) -> str:
    return reverse("eprocurement:tender_detail", args=[package_id])


def _package_facts(package: Package) -> dict:
    return {"code": package.code or "", "name": package.name}


# --- Questions (pemberian penjelasan) ----------------------------------------------------


def _clean_text(text, *, field: str, limit: int, empty, too_long) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError({field: empty})
    if len(text) > limit:
        raise DomainError({field: too_long % {"limit": limit}})
    return text


def _check_vendor(vendor: Vendor, actor: User) -> Vendor:
    if not getattr(actor, "is_authenticated", False) or vendor.owner_id != actor.pk:
        raise PermissionDenied(_("You can ask only in the name of your own company."))
    vendor = Vendor.objects.get(pk=vendor.pk)  # its status as it is now, not as the caller read it
    refusal = vendor_bid_refusal(vendor, timezone.localdate())
    if refusal:
        raise DomainError(refusal)
    return vendor


def question_ask(*, package: Package, vendor: Vendor, actor: User, text: str) -> Question:
    """Ask the pokja a question on ``package`` in the name of ``vendor``."""
    text = _clean_text(
        text,
        field="text",
        limit=QUESTION_MAX_LENGTH,
        empty=_("Write your question."),
        too_long=_("A question has at most %(limit)s characters."),
    )
    vendor = _check_vendor(vendor, actor)
    with transaction.atomic():
        package = Package.objects.select_for_update(of=("self",)).select_related("agency").get(pk=package.pk)
        if package.status != PackageStatus.ANNOUNCED or not stage_is_open(package, TenderStage.EXPLANATION):
            raise DomainError(_("Questions can be asked only while the explanation stage is open."))
        if Question.objects.filter(package=package, vendor=vendor).count() >= MAX_QUESTIONS_PER_VENDOR:
            raise DomainError(
                _("A participant asks at most %(count)s questions on one tender.") % {"count": MAX_QUESTIONS_PER_VENDOR}
            )
        question = Question.objects.create(
            package=package, vendor=vendor, asked_by=actor, text=text, asked_at=timezone.now()
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=question,
            agency_id=package.agency_id,
            region_id=package.agency.region_id,
            changes={"package": package.pk, "vendor": vendor.pk},
        )
        pokja = User.objects.filter(pk__in=PokjaMember.objects.filter(package=package).values("user_id"))
        notify(
            recipients=list(pokja),
            kind="eprocurement.question",
            title=_Filled(_("New question on tender %(code)s: %(name)s"), _package_facts(package)),
            body=text,
            url=reverse("eprocurement:tender_questions", args=[package.pk]),
            subject=question,
        )
    return question


def question_answer(*, question: Question, actor: User, answer: str) -> Question:
    """Answer ``question`` publicly, as a pokja member of its package; an answer is given once."""
    answer = _clean_text(
        answer,
        field="answer",
        limit=ANSWER_MAX_LENGTH,
        empty=_("Write the answer."),
        too_long=_("An answer has at most %(limit)s characters."),
    )
    with transaction.atomic():
        question = (
            Question.objects.select_for_update(of=("self",)).select_related("package__agency").get(pk=question.pk)
        )
        package = question.package
        if not is_pokja_member(actor, package):
            raise PermissionDenied(_("Only a member of the tender's pokja answers its questions."))
        if question.answered_at is not None:
            raise DomainError(_("This question has already been answered."))
        if package.status != PackageStatus.ANNOUNCED:
            raise DomainError(
                _("Questions are answered while the tender is announced; it is now: %(status)s.")
                % {"status": package.get_status_display()}
            )
        question.answer, question.answered_by, question.answered_at = answer, actor, timezone.now()
        question.save(update_fields=["answer", "answered_by", "answered_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=question,
            agency_id=package.agency_id,
            region_id=package.agency.region_id,
            changes={"answer": answer},
        )
        notify(
            recipients=[question.asked_by],
            kind="eprocurement.answer",
            title=_Filled(_("Your question on tender %(code)s was answered"), _package_facts(package)),
            body=answer,
            url=tender_url(package.pk) + "#questions",
            subject=question,
        )
        send_package_changed(package.pk, "tenderUpdate")
    return question


# --- Subscriptions -------------------------------------------------------------------------


def _require_subscriber(user: User) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to subscribe to new tenders."))
    if not user.email:
        raise DomainError(_("Add an e-mail address to your account to receive tender alerts."))


def subscription_create(
    *, user: User, kinds: Iterable[str], regions: Iterable[Region | None]
) -> list[TenderSubscription]:
    """Subscribe ``user`` to new tenders of each of ``kinds`` in each of ``regions``
    (an empty kind: any kind; None: any region). Existing subscriptions are kept as they are;
    the new ones are returned."""
    _require_subscriber(user)
    kinds = sorted(set(kinds or [""]))
    if any(kind and kind not in ProcurementKind.values for kind in kinds):
        raise DomainError({"kinds": _("Choose kinds of procurement from the list.")})
    regions = list({getattr(r, "pk", None): r for r in (regions or [None])}.values())
    wanted = [(kind, region) for kind in kinds for region in regions]
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one change of a person's list at a time
        existing = {(s.kind, s.region_id) for s in TenderSubscription.objects.filter(user=user)}
        new = [(k, r) for k, r in wanted if (k, getattr(r, "pk", None)) not in existing]
        if len(existing) + len(new) > MAX_SUBSCRIPTIONS:
            raise DomainError(_("You can keep at most %(count)s subscriptions.") % {"count": MAX_SUBSCRIPTIONS})
        created = [TenderSubscription.objects.create(user=user, kind=kind, region=region) for kind, region in new]
        if created:
            audit_record(
                actor=user,
                action=AuditAction.CREATE,
                obj=created[0],
                changes={"subscriptions": [[s.kind, s.region_id] for s in created]},
            )
    return created


def subscription_delete(*, subscription: TenderSubscription, actor: User) -> None:
    """Unsubscribe: only the subscriber removes a subscription."""
    with transaction.atomic():
        row = TenderSubscription.objects.select_for_update().filter(pk=subscription.pk).order_by().first()
        if row is None:
            return  # already gone: unsubscribing twice is not an error
        if row.user_id != getattr(actor, "pk", None):
            raise PermissionDenied(_("You can remove only your own subscriptions."))
        audit_record(
            actor=actor, action=AuditAction.DELETE, obj=row, changes={"kind": row.kind, "region": row.region_id}
        )
        row.delete()


def subscribers_of(package: Package):
    """Active people whose subscriptions match ``package``'s kind and region (a province's
    subscription covers its regencies)."""
    region = package.agency.region
    regions = [region.pk] + ([region.parent_id] if region.parent_id else [])
    matching = TenderSubscription.objects.filter(
        Q(kind="") | Q(kind=package.kind), Q(region__isnull=True) | Q(region_id__in=regions)
    )
    return User.objects.filter(is_active=True, pk__in=matching.values("user_id")).exclude(email="")


def tender_alerts_send(*, package_id: int) -> int:
    """Tell every matching subscriber about the newly announced package ``package_id``,
    each once: a person already holding the package's alert row is skipped, and the
    package row lock makes a second run wait for the first and then find its rows.
    Returns how many were told."""
    with transaction.atomic():
        package = (
            Package.objects.select_for_update(of=("self",))
            .select_related("agency__region")
            .filter(pk=package_id)
            .first()
        )
        if package is None or package.status != PackageStatus.ANNOUNCED:
            return 0
        already = TenderAlert.objects.filter(package=package).values("user_id")
        recipients = list(subscribers_of(package).exclude(pk__in=already))
        if not recipients:
            return 0
        TenderAlert.objects.bulk_create([TenderAlert(package=package, user=user) for user in recipients])
        notify(
            recipients=recipients,
            kind="eprocurement.tender_new",
            title=_Filled(_("New tender %(code)s: %(name)s"), _package_facts(package)),
            body=_Filled(
                _("%(agency)s, %(region)s. Kind: %(kind)s."),
                {
                    "agency": package.agency.name,
                    "region": package.agency.region.name,
                    "kind": ProcurementKind(package.kind).label,
                },
            ),
            url=tender_url(package.pk),
            subject=package,
        )
    return len(recipients)


def on_package_changed(sender, *, package_id: int, tag: str, **kwargs) -> None:
    """The receiver of ``package_changed``: an announcement (tag "tender") alerts subscribers.
    It runs after the announcing transaction committed; a failure here is logged and never
    undoes or fails the announcement (a second signal would still send what is missing)."""
    if tag != "tender":
        return
    try:
        tender_alerts_send(package_id=package_id)
    except Exception:
        logger.exception("Tender alerts for package %s failed", package_id)
