"""Forms of E-Budgeting's pages. They only collect input: amounts, status and ledger
are computed and kept by the services."""

from decimal import Decimal

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from eplanning.models import PlanItem
from portal.choices import Role
from portal.models import Agency, FiscalYear
from portal.widgets import CodeLookupInput

from .choices import AccountLevel, RevisionKind
from .models import AccountCode, BudgetLine, FundingSource

MONTH_FIELDS = [f"month_{m}" for m in range(1, 13)]
MONTH_LABELS = [
    _("Jan"),
    _("Feb"),
    _("Mar"),
    _("Apr"),
    _("May"),
    _("Jun"),
    _("Jul"),
    _("Aug"),
    _("Sep"),
    _("Oct"),
    _("Nov"),
    _("Dec"),
]
LINE_INPUTS = ("plan_item", "account", "funding_source", "description", "volume", "unit", "unit_price")


class DocumentCreateForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    fiscal_year = forms.ModelChoiceField(label=_("Fiscal year"), queryset=FiscalYear.objects.filter(is_open=True))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.editable_by(user, [Role.BUDGET_OFFICER]).order_by("name")


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What must be corrected"), widget=forms.Textarea(attrs={"rows": 3}))


class ReviseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of revision"),
        choices=[
            (RevisionKind.SHIFT.value, RevisionKind.SHIFT.label),
            (RevisionKind.AMENDMENT.value, RevisionKind.AMENDMENT.label),
        ],
    )


class LineForm(forms.Form):
    """A line and its 12-month cash plan; the amount is volume × unit price, never typed."""

    plan_item = forms.ModelChoiceField(label=_("Plan item"), queryset=PlanItem.objects.none())
    account = forms.CharField(
        label=_("Account code"),
        max_length=600,  # the code, or the code and name of a picked suggestion
        help_text=_("Type the code or a word of its name, e.g. 5.1.02.01.01.0024 or alat tulis."),
        widget=CodeLookupInput(reverse_lazy("ebudgeting:account_suggest")),
    )
    funding_source = forms.ModelChoiceField(
        label=_("Funding source"), queryset=FundingSource.objects.filter(is_active=True)
    )
    description = forms.CharField(label=_("Description"), max_length=500)
    volume = forms.DecimalField(label=_("Volume"), max_digits=18, decimal_places=2, min_value=Decimal("0"))
    unit = forms.CharField(label=_("Unit"), max_length=40)
    unit_price = forms.DecimalField(label=_("Unit price"), max_digits=18, decimal_places=2, min_value=Decimal("0"))

    def __init__(self, *args, document, line: BudgetLine | None = None, **kwargs):
        if line is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(line)
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = (
            PlanItem.objects.approved()
            .filter(agency_id=document.agency_id, fiscal_year_id=document.fiscal_year_id)
            .select_related("sub_activity")
        )
        for name, label in zip(MONTH_FIELDS, MONTH_LABELS, strict=True):
            self.fields[name] = forms.DecimalField(
                label=label, max_digits=18, decimal_places=2, min_value=Decimal("0"), initial=Decimal("0")
            )

    def clean_account(self) -> AccountCode:
        # The box may hold "code name" when a suggestion was picked with its label.
        code = self.cleaned_data["account"].strip().split(" ")[0]
        account = AccountCode.objects.filter(code=code, level=AccountLevel.SUB_RINCIAN_OBJEK, is_active=True).first()
        if account is None:
            raise forms.ValidationError(
                _("%(code)s is not an account code in use at the sub rincian objek level (six parts)."),
                params={"code": code or "—"},
            )
        return account

    def line_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in LINE_INPUTS}

    def cash_plan(self) -> list[Decimal]:
        return [self.cleaned_data[name] for name in MONTH_FIELDS]

    def month_fields(self):
        return [self[name] for name in MONTH_FIELDS]


def initial_for(line: BudgetLine) -> dict:
    initial = {name: getattr(line, name) for name in LINE_INPUTS}
    for month in line.cash_plan.all():
        initial[f"month_{month.month}"] = month.amount
    return initial
