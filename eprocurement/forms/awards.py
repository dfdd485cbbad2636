"""Forms for the contract and its payments; evaluation rows and short answers are read
straight from the request and checked by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_WIDGET = forms.TextInput(attrs={"inputmode": "decimal"})


class ContractForm(forms.Form):
    number = forms.CharField(label=_("Contract number"), max_length=100)
    value = forms.DecimalField(label=_("Contract value (Rp)"), max_digits=18, decimal_places=2, widget=MONEY_WIDGET)
    starts_on = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Until"), widget=DATE_WIDGET)
    payment_terms = forms.CharField(label=_("Payment terms"), widget=forms.Textarea(attrs={"rows": 3}))


class PaymentForm(forms.Form):
    number = forms.CharField(label=_("SP2D number"), max_length=100)
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    amount = forms.DecimalField(label=_("Amount (Rp)"), max_digits=18, decimal_places=2, widget=MONEY_WIDGET)
    description = forms.CharField(label=_("Pays for"), max_length=300)


def apply_domain_error(form, exc) -> None:
    """Put a service's error on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc)
