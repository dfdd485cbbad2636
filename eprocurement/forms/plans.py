"""Forms for the procurement plan (RUP): an item's fields and its funding rows."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import ProcurementKind, ProcurementMethod
from ..services.plans import ITEM_FIELDS, FundingInput

EMPTY_FUNDING = {"line": "", "amount": ""}
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanItemForm(forms.Form):
    """The item's own fields; the fundings come as rows beside it, the status never."""

    name = forms.CharField(label=_("Name"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=ProcurementKind.choices)
    method = forms.ChoiceField(label=_("Method"), choices=ProcurementMethod.choices)
    method_justification = forms.CharField(
        label=_("Grounds for the method"),
        help_text=_("Required for a direct appointment (penunjukan langsung)."),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    selection_start = forms.DateField(label=_("Selection from"), widget=DATE_WIDGET)
    selection_end = forms.DateField(label=_("Selection until"), widget=DATE_WIDGET)
    contract_start = forms.DateField(label=_("Contract from"), widget=DATE_WIDGET)
    contract_end = forms.DateField(label=_("Contract until"), widget=DATE_WIDGET)
    use_start = forms.DateField(label=_("Use from"), widget=DATE_WIDGET)
    small_business_reserved = forms.BooleanField(
        label=_("Reserve for small businesses"),
        help_text=_("Items up to the small-business limit are always reserved."),
        required=False,
    )

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ITEM_FIELDS}

    def small_business(self) -> bool | None:
        """Ticked: reserve; unticked: the rule decides (reserved up to the limit)."""
        return True if self.cleaned_data.get("small_business_reserved") else None


def initial_of(item) -> dict:
    initial = {name: getattr(item, name) for name in ITEM_FIELDS}
    initial["small_business_reserved"] = item.small_business_reserved
    return initial


def funding_rows_from(post) -> list[dict]:
    """The funding rows as posted (kept as text, so a bad amount is shown back)."""
    lines, amounts = post.getlist("fund_line"), post.getlist("fund_amount")
    return [{"line": line.strip(), "amount": amount.strip()} for line, amount in zip(lines, amounts, strict=False)]


def funding_rows_of(item) -> list[dict]:
    return [{"line": str(f.budget_line_id), "amount": str(f.amount)} for f in item.fundings.order_by("id")]


def funding_inputs(rows: list[dict]) -> list[FundingInput]:
    """The rows the person filled in, as the service takes them; the service judges them."""
    filled = [row for row in rows if row["line"] or row["amount"]]
    return [FundingInput(line_id=row["line"], amount=row["amount"]) for row in filled]


def apply_domain_error(form, exc) -> None:
    """Put a service's error on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc)
