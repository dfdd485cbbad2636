"""Forms of the bid page: the price, a document, and the submit button's key. The bid's
status is never a field: it changes only through the services."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.files.uploadhandler import MemoryFileUploadHandler, SkipFile
from django.utils.translation import gettext_lazy as _

from ..choices import BidDocumentKind
from ..services.bids import MAX_DOCUMENT_BYTES, MAX_VALIDITY_DAYS


class BidPriceForm(forms.Form):
    price = forms.DecimalField(
        label=_("Price (rupiah, including tax)"),
        help_text=_("Digits only, without thousands separators; a point before any sen, e.g. 1250000000.50."),
        max_digits=18,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    validity_days = forms.IntegerField(
        label=_("Bid valid for (days)"), min_value=1, max_value=MAX_VALIDITY_DAYS, initial=60
    )


class BidDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BidDocumentKind.choices)
    file = forms.FileField(label=_("File"), help_text=_("At most 20 MB; it is encrypted as soon as it arrives."))


class BidSubmitForm(forms.Form):
    # Generated when the page is rendered: a retried submit (double click, lost answer)
    # carries the same key and gets the same receipt.
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)


def apply_domain_error(form: forms.Form, exc) -> None:
    """Put a service's DomainError on the form: on its fields where it names them."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class PlaintextInMemoryUploadHandler(MemoryFileUploadHandler):
    """A bid document's plaintext stays in memory until it is sealed, never in a temporary
    file on disk (Django spools uploads over 2.5 MB to one). A file over the limit is
    dropped while it streams in; ``too_large`` tells the view to say so."""

    def __init__(self, request=None):
        super().__init__(request)
        self.too_large = False
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.activated = True

    def new_file(self, *args, **kwargs):
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > MAX_DOCUMENT_BYTES:
            self.too_large = True
            raise SkipFile
        self.file.write(raw_data)


def use_memory_for_uploads(request) -> PlaintextInMemoryUploadHandler:
    """Install the in-memory handler on a Django request before its body is read."""
    handler = PlaintextInMemoryUploadHandler(request)
    request.upload_handlers = [handler]
    return handler
