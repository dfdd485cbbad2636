"""Pages of sealed bidding: the vendor's bid page on a tender, the receipt, "my bids", the
decrypted download of a bid document, and the pokja's opening page with its record.

Every change goes through ``services.bids`` / ``services.opening``, which decide on the
server's clock; the pages only show what the selectors allow. Before opening, no page
shows a price or a document of a bid to anyone but, for documents, its own vendor.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from ..forms.bids import BidDocumentForm, BidPriceForm, BidSubmitForm, apply_domain_error, use_memory_for_uploads
from ..models import Bid, OpeningRecord
from ..selectors import bids as selectors
from ..selectors import schedule
from ..selectors.vendors import vendor_bid_refusal
from ..services import bids as services
from ..services import opening as opening_services

PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


def _private(response: HttpResponse) -> HttpResponse:
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    return response


def _chosen_vendor(request, vendors):
    wanted = request.POST.get("vendor") or request.GET.get("vendor")
    chosen = next((v for v in vendors if str(v.pk) == wanted), None)
    return chosen or (vendors[0] if vendors else None)


def _bid_of(package, vendor) -> Bid | None:
    if vendor is None:
        return None
    bid = Bid.objects.filter(package=package, vendor=vendor).first()
    return selectors.bid_detail(bid) if bid else None


def _handle_post(request, package, vendor, bid, forms):
    """Run the action the page posted; a redirect on success, None to show the errors."""
    action = request.POST.get("action")
    form = forms.get(action)
    if form is None or not form.is_valid():
        return None
    try:
        if action == "price":
            services.bid_save_price(package=package, vendor=vendor, actor=request.user, **form.cleaned_data)
            messages.success(request, _("The price was sealed. Submit the bid to make it count."))
        elif action == "document":
            if bid is None:
                raise ValidationError(_("Enter a price before adding documents."))
            data = form.cleaned_data
            services.bid_add_document(bid=bid, actor=request.user, kind=data["kind"], uploaded_file=data["file"])
            messages.success(request, _("The document was sealed. Submit the bid to make it count."))
        elif action == "submit":
            if bid is None:
                raise ValidationError(_("Enter a price before submitting."))
            services.bid_submit(bid=bid, actor=request.user, token=form.cleaned_data["token"])
            messages.success(request, _("Your bid was received. Keep the receipt."))
            return redirect("eprocurement:bid_receipt", pk=bid.pk)
    except ValidationError as exc:
        apply_domain_error(form, exc)
        return None
    return redirect(f"{request.path}?vendor={vendor.pk}")


@csrf_exempt  # checked below, once the upload handler is in place (Django's documented way)
@login_required
def bid_page(request, pk):
    """A vendor's bid on a tender: price, documents, submit (with its key), the deadline
    in WITA beside the server's time."""
    handler = use_memory_for_uploads(request) if request.method == "POST" else None
    return _bid_page(request, pk, handler)


@csrf_protect
def _bid_page(request, pk, handler):
    package = selectors.biddable_package(pk)
    vendors = selectors.bidding_vendors(request.user)
    vendor = _chosen_vendor(request, vendors)
    bid = _bid_of(package, vendor)
    posted = request.POST if request.method == "POST" else None
    action = request.POST.get("action") if posted else None
    forms = {
        "price": BidPriceForm(posted if action == "price" else None),
        "document": BidDocumentForm(*((posted, request.FILES) if action == "document" else ())),
        "submit": BidSubmitForm(posted if action == "submit" else None, initial={"token": services.new_submit_token()}),
    }
    if handler is not None and handler.too_large:
        forms["document"].add_error("file", _("The file is larger than 20 MB."))
    if posted is not None and vendor is not None:
        done = _handle_post(request, package, vendor, bid, forms)
        if done is not None:
            return done
        bid = _bid_of(package, vendor)
    now = timezone.now()
    context = {
        "package": package,
        "vendors": vendors,
        "vendor": vendor,
        "bid": bid,
        "forms": forms,
        "deadline": schedule.bid_deadline(package),
        "now": now,
        "bidding_open": package.status == "announced" and schedule.stage_is_open(package, "bid_submission", now),
        "refusal": _refusal(package, vendor),
    }
    return _private(render(request, "eprocurement/bid_page.html", context))


def _refusal(package, vendor) -> str:
    """Why ``vendor`` cannot bid on ``package`` (shown before it tries), or ""."""
    if vendor is None:
        return ""
    refusal = vendor_bid_refusal(vendor, timezone.localdate())
    if not refusal and package.small_business_reserved and not vendor.is_small_business:
        refusal = _("This tender is reserved for small businesses.")
    return refusal or ""


@login_required
@require_GET
def my_bids(request):
    return _private(render(request, "eprocurement/bid_mine.html", {"bids": selectors.my_bids(request.user)}))


@login_required
@require_GET
def bid_receipt(request, pk):
    bid = selectors.bid_detail(selectors.get_bid_for(request.user, pk))
    receipts = list(bid.receipts.all())
    rows = [(receipt, json.loads(receipt.content)) for receipt in receipts]
    return _private(render(request, "eprocurement/bid_receipt.html", {"bid": bid, "rows": rows}))


@login_required
@require_GET
def bid_receipt_json(request, pk):
    """The current receipt exactly as hashed: its SHA-256 is the receipt's hash."""
    bid = selectors.get_bid_for(request.user, pk)
    receipt = get_object_or_404(bid.receipts, status="current")
    response = HttpResponse(receipt.content.encode("utf-8"), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="receipt-bid-{bid.pk}.json"'
    return _private(response)


@login_required
@require_POST
def bid_withdraw(request, pk):
    bid = selectors.get_bid_for(request.user, pk)
    try:
        services.bid_withdraw(bid=bid, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your bid was withdrawn."))
    return redirect(_bid_page_url(bid))


def _bid_page_url(bid) -> str:
    return f"{reverse('eprocurement:bid_page', args=[bid.package_id])}?vendor={bid.vendor_id}"


@login_required
@require_GET
def bid_document(request, pk):
    """A bid document, unsealed on the fly: for its vendor always, for the pokja after opening."""
    document = selectors.get_bid_document_for(request.user, pk)
    name, content = opening_services.unsealed_document(document)
    response = HttpResponse(content, content_type="application/octet-stream")
    response["Content-Disposition"] = _attachment(name)
    return _private(response)


def _attachment(name: str) -> str:
    return content_disposition_header(True, name)


@login_required
@require_POST
def bid_document_remove(request, pk):
    document = selectors.get_bid_document_for(request.user, pk)
    if document.bid.vendor.owner_id != request.user.pk:
        raise Http404
    try:
        services.bid_remove_document(document=document, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The document was removed. Submit the bid again to make it count."))
    return redirect(_bid_page_url(document.bid))


# --- Opening ----------------------------------------------------------------------------------


@login_required
@require_GET
def opening_page(request, pk):
    """Before opening: how many bids, who confirmed, the confirm button for the pokja.
    After: the opening record's table."""
    package = selectors.get_opening_package_for(request.user, pk)
    record = OpeningRecord.objects.filter(package=package).first()
    is_pokja = selectors.is_pokja_member(request.user, package)
    context = {
        "package": package,
        "record": record,
        "bids": selectors.opened_bids(package) if record else [],
        "bid_count": selectors.submitted_bid_count(package),
        "confirmations": selectors.opening_confirmations(package),
        "opening_time": schedule.opening_time(package),
        "deadline": schedule.bid_deadline(package),
        "now": timezone.now(),
        "is_pokja": is_pokja,
    }
    return _private(render(request, "eprocurement/bid_opening.html", context))


@login_required
@require_POST
def opening_confirm(request, pk):
    package = selectors.get_opening_package_for(request.user, pk)
    try:
        result = opening_services.opening_confirm(package=package, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if result.opened:
            messages.success(request, _("The bids are open."))
        elif result.already_confirmed:
            messages.info(request, _("You already confirmed; another pokja member must confirm too."))
        else:
            messages.success(request, _("Your confirmation was recorded; another pokja member must confirm too."))
    return redirect("eprocurement:opening_page", pk=package.pk)


@login_required
@require_GET
def opening_record_json(request, pk):
    """The opening record exactly as hashed (its SHA-256 is shown on the page)."""
    package = selectors.get_opening_package_for(request.user, pk)
    record = get_object_or_404(OpeningRecord, package=package)
    response = HttpResponse(record.content.encode("utf-8"), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="opening-{package.code or package.pk}.json"'
    return _private(response)
