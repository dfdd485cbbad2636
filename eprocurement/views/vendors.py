"""Vendor pages: registration and "my company" for vendors, the LPSE admin's queue and
decisions, the public blacklist, and document downloads for the owner and LPSE admins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.services import DomainError

from ..choices import VendorStatus
from ..forms.vendors import (
    BlacklistingForm,
    DocumentFormSet,
    PersonFormSet,
    ReasonForm,
    VendorForm,
    filled,
)
from ..models import Blacklisting
from ..selectors import vendors as selectors
from ..services import vendors as services

PUBLIC_PAGE_SIZE = 50


def _show_error(form, exc: DomainError) -> None:
    """Put a service's refusal on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _require_lpse_admin(user) -> None:
    if not selectors.is_lpse_admin(user):
        raise PermissionDenied


# --- Vendors -------------------------------------------------------------------------


@login_required
@require_GET
def my_vendors(request):
    vendors = selectors.vendors_of_owner(request.user)
    return render(request, "eprocurement/vendor_mine.html", {"vendors": vendors})


def register(request):
    if not request.user.is_authenticated:  # the public entrance: sign up or log in first
        return render(request, "eprocurement/vendor_register.html", {"anonymous": True})
    form = VendorForm(request.POST or None)
    people = PersonFormSet(request.POST or None, prefix="people")
    documents = DocumentFormSet(request.POST or None, request.FILES or None, prefix="documents")
    if request.method == "POST" and form.is_valid() and people.is_valid() and documents.is_valid():
        try:
            vendor = services.vendor_register(
                actor=request.user,
                data=form.vendor_data(),
                business_field_codes=form.kbli_codes(),
                people=filled(people),
                documents=filled(documents),
            )
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Your company is registered and waits for verification by the LPSE."))
            return redirect("eprocurement:vendor_detail", pk=vendor.pk)
    context = {"form": form, "people": people, "documents": documents, "kbli": selectors.business_fields()}
    return render(request, "eprocurement/vendor_register.html", context)


@login_required
@require_GET
def vendor_detail(request, pk):
    vendor = selectors.vendor_detail(selectors.get_vendor_for(request.user, pk).pk)
    is_admin = selectors.is_lpse_admin(request.user)
    context = {
        "vendor": vendor,
        "is_owner": vendor.owner_id == request.user.pk,
        "is_lpse_admin": is_admin,
        "refusal": selectors.vendor_bid_refusal(vendor, timezone.localdate()),
        "reject_form": ReasonForm() if is_admin else None,
        "blacklist_form": BlacklistingForm() if is_admin else None,
        "lift_form": ReasonForm() if is_admin else None,
    }
    return render(request, "eprocurement/vendor_detail.html", context)


@login_required
def resubmit(request, pk):
    vendor = selectors.get_vendor_for(request.user, pk, write=True)
    if vendor.status != VendorStatus.REJECTED:
        messages.error(request, _("Only a rejected vendor can be resubmitted."))
        return redirect("eprocurement:vendor_detail", pk=vendor.pk)
    initial = {f: getattr(vendor, f) for f in services.RESUBMIT_FIELDS}
    initial["business_fields"] = " ".join(vendor.business_fields.values_list("code", flat=True))
    form = VendorForm(request.POST or None, initial=initial)
    documents = DocumentFormSet(request.POST or None, request.FILES or None, prefix="documents")
    if request.method == "POST" and form.is_valid() and documents.is_valid():
        try:
            services.vendor_resubmit(
                vendor_id=vendor.pk,
                actor=request.user,
                data=form.vendor_data(),
                business_field_codes=form.kbli_codes(),
                documents=filled(documents),
            )
        except DomainError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("Your corrections are sent; the LPSE will verify them."))
            return redirect("eprocurement:vendor_detail", pk=vendor.pk)
    context = {"form": form, "documents": documents, "vendor": vendor, "kbli": selectors.business_fields()}
    return render(request, "eprocurement/vendor_register.html", context)


@login_required
@require_GET
def document_download(request, pk):
    """Vendor documents are never public: served here after the check, never from /media/."""
    document = selectors.get_vendor_document_for(request.user, pk)
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/")[-1])
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- LPSE admin ----------------------------------------------------------------------


@login_required
@require_GET
def verification_queue(request):
    _require_lpse_admin(request.user)
    page = Paginator(selectors.pending_vendors(), PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "eprocurement/vendor_queue.html", {"page": page, "reject_form": ReasonForm()})


def _decide(request, pk, action):
    _require_lpse_admin(request.user)
    vendor = selectors.get_vendor_for(request.user, pk)
    try:
        action(vendor)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.POST.get("back") == "detail":
        return redirect("eprocurement:vendor_detail", pk=vendor.pk)
    return redirect("eprocurement:vendor_queue")


@login_required
@require_POST
def verify(request, pk):
    def act(vendor):
        services.vendor_verify(vendor_id=vendor.pk, actor=request.user)
        messages.success(request, _("%(name)s is verified.") % {"name": vendor.name})

    return _decide(request, pk, act)


@login_required
@require_POST
def reject(request, pk):
    def act(vendor):
        services.vendor_reject(vendor_id=vendor.pk, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("%(name)s is rejected.") % {"name": vendor.name})

    return _decide(request, pk, act)


@login_required
@require_POST
def blacklist(request, pk):
    _require_lpse_admin(request.user)
    vendor = selectors.get_vendor_for(request.user, pk)
    form = BlacklistingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("eprocurement:vendor_detail", pk=vendor.pk)
    try:
        services.blacklisting_record(vendor_id=vendor.pk, actor=request.user, **form.cleaned_data)
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The blacklisting is recorded."))
    return redirect("eprocurement:vendor_detail", pk=vendor.pk)


@login_required
@require_POST
def blacklisting_lift(request, pk):
    _require_lpse_admin(request.user)
    row = Blacklisting.objects.filter(pk=pk).only("vendor_id").first()
    if row is None:
        raise PermissionDenied
    try:
        services.blacklisting_lift(blacklisting_id=pk, actor=request.user, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The blacklisting is lifted."))
    return redirect("eprocurement:vendor_detail", pk=row.vendor_id)


# --- Public --------------------------------------------------------------------------


@require_GET
def public_blacklist(request):
    page = Paginator(selectors.public_blacklist(), PUBLIC_PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.masked_npwp = selectors.mask_npwp(row.vendor.npwp)
    return render(request, "eprocurement/vendor_blacklist.html", {"page": page})
