"""Forms of the vendor pages. They check the input's shape; the services decide."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Region

from ..choices import VendorDocumentKind, VendorKind

PEOPLE_ROWS = 3
DOCUMENT_ROWS = 4


class VendorForm(forms.Form):
    name = forms.CharField(label=_("company name"), max_length=200)
    kind = forms.ChoiceField(label=_("form of business"), choices=VendorKind.choices)
    nib = forms.CharField(label=_("NIB (13 digits)"), max_length=20)
    npwp = forms.CharField(label=_("NPWP (15 or 16 digits)"), max_length=25, help_text=_("Dots and dashes are fine."))
    business_fields = forms.CharField(
        label=_("business fields (KBLI codes)"),
        help_text=_("Five-digit KBLI codes separated by commas or spaces, e.g. 41011, 62019."),
        widget=forms.TextInput(attrs={"list": "kbli-codes", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("address"), widget=forms.Textarea(attrs={"rows": 2}))
    region = forms.ModelChoiceField(label=_("region"), queryset=Region.objects.order_by("code"), required=False)
    phone = forms.CharField(label=_("phone"), max_length=40)
    email = forms.EmailField(label=_("e-mail"))
    is_small_business = forms.BooleanField(label=_("small business"), required=False)

    def kbli_codes(self) -> list[str]:
        return [c for c in re.split(r"[\s,;]+", self.cleaned_data.get("business_fields", "")) if c]

    def vendor_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "business_fields"}


class PersonForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=150, required=False)
    position = forms.CharField(label=_("position"), max_length=100, required=False)
    nik = forms.CharField(label=_("NIK (16 digits, optional)"), max_length=16, required=False)

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("name")) != bool(cleaned.get("position")):
            raise forms.ValidationError(_("Give both the name and the position of each person in charge."))
        return cleaned


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "---"), *VendorDocumentKind.choices], required=False)
    number = forms.CharField(label=_("number"), max_length=100, required=False)
    issued_on = forms.DateField(label=_("issued"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label=_("valid until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    file = forms.FileField(
        label=_("file (PDF, JPEG or PNG, at most 10 MB)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )

    def clean(self):
        cleaned = super().clean()
        filled = [cleaned.get(k) for k in ("kind", "number", "file")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("Give the kind, number and file of each document."))
        return cleaned


PersonFormSet = forms.formset_factory(PersonForm, extra=PEOPLE_ROWS, max_num=10)
DocumentFormSet = forms.formset_factory(DocumentForm, extra=DOCUMENT_ROWS, max_num=20)


def filled(formset) -> list[dict]:
    return [f.cleaned_data for f in formset if f.cleaned_data and any(f.cleaned_data.values())]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class BlacklistingForm(forms.Form):
    decree_number = forms.CharField(label=_("decree number"), max_length=100)
    starts_on = forms.DateField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("until"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))
