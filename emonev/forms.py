"""Forms of the E-Monev pages. They carry what a person types; the services check it
(and never take a status, a financial figure or a plan from a form)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import EscalationStep


def apply_domain_error(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: on its field when the form has one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for message in exc.messages:
            form.add_error(None, message)


class ReportForm(forms.Form):
    physical_pct = forms.CharField(
        label=_("Physical progress, cumulative (%)"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    problems = forms.CharField(label=_("Problems (kendala)"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    follow_up = forms.CharField(
        label=_("Follow-up (tindak lanjut)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class NewReportForm(forms.Form):
    period = forms.ChoiceField(label=_("Month"))

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(f"{y}-{m:02d}", f"{m:02d}/{y}") for y, m in months]

    def year_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["period"].split("-")
        return int(year), int(month)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Photo (JPEG, PNG) or document (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)


class DecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comments"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EscalationForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=EscalationStep.choices)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Letter or minutes number"), max_length=100)
    note = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CurveForm(forms.Form):
    """One physical % and one rupiah amount per month, named ``physical_<i>``/``financial_<i>``."""

    def __init__(self, *args, months=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.months = list(months)
        for index, (year, month) in enumerate(self.months):
            label = f"{month:02d}/{year}"
            self.fields[f"physical_{index}"] = forms.CharField(label=label, max_length=10)
            self.fields[f"financial_{index}"] = forms.CharField(label=label, max_length=24)

    def rows(self):
        return [(f"{m:02d}/{y}", self[f"physical_{i}"], self[f"financial_{i}"]) for i, (y, m) in enumerate(self.months)]

    def curves(self) -> tuple[list[str], list[str]]:
        count = len(self.months)
        return (
            [self.cleaned_data[f"physical_{i}"] for i in range(count)],
            [self.cleaned_data[f"financial_{i}"] for i in range(count)],
        )

    @staticmethod
    def initial_from(physical, financial) -> dict:
        initial = {f"physical_{i}": str(value) for i, value in enumerate(physical)}
        initial.update({f"financial_{i}": str(value) for i, value in enumerate(financial)})
        return initial
