"""Forms of E-Planning's pages. They only shape input: every rule is checked by the
services, whose errors the views put back on the form."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from portal.choices import Role
from portal.models import Agency
from portal.widgets import CodeLookupInput

from .choices import Priority
from .selectors.plans import objectives_for_region, open_fiscal_years
from .services.plans import TARGET_FIELDS

INDICATOR_FIELDS = ("name", "unit", *TARGET_FIELDS)


class PlanItemForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    fiscal_year = forms.ModelChoiceField(label=_("Fiscal year"), queryset=open_fiscal_years())
    sub_activity_code = forms.CharField(
        label=_("Sub-activity code"),
        max_length=32,
        help_text=_("Type the code or a word of its name, e.g. 2.16.02.2.01.0026"),
        widget=CodeLookupInput(reverse_lazy("eplanning:sub_activity_suggest")),
    )
    objective = forms.ModelChoiceField(label=_("RPJMD objective"), queryset=None, required=False)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    district = forms.CharField(label=_("District (kecamatan)"), max_length=120, required=False)
    village = forms.CharField(label=_("Village (desa/kelurahan)"), max_length=120, required=False)
    indicative_ceiling = forms.DecimalField(label=_("Indicative ceiling (Rp)"), max_digits=18, decimal_places=2)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.MEDIUM)

    def __init__(self, *args, user, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:
            # Agency and year are fixed once the item exists.
            del self.fields["agency"], self.fields["fiscal_year"]
            region_id = item.region_id
        else:
            agencies = Agency.objects.editable_by(user, [Role.PLANNER]).filter(is_active=True).order_by("name")
            self.fields["agency"].queryset = agencies
            first = agencies.first()
            region_id = first.region_id if first else None
        self.fields["objective"].queryset = objectives_for_region(region_id)

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("agency", None), data.pop("fiscal_year", None)
        return data


def indicator_rows_from(data) -> list[dict]:
    """The indicator rows of the form, as posted (parallel lists ``ind_<field>``)."""
    columns = {field: data.getlist(f"ind_{field}") for field in INDICATOR_FIELDS}
    count = max((len(v) for v in columns.values()), default=0)
    return [{f: (columns[f][i] if i < len(columns[f]) else "") for f in INDICATOR_FIELDS} for i in range(count)]


def indicator_rows_of(item) -> list[dict]:
    return [{f: getattr(i, f) for f in INDICATOR_FIELDS} for i in item.indicators.order_by("id")]


EMPTY_INDICATOR = dict.fromkeys(INDICATOR_FIELDS, "")


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CeilingForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    fiscal_year = forms.ModelChoiceField(label=_("Fiscal year"), queryset=open_fiscal_years())
    amount = forms.DecimalField(label=_("Ceiling (Rp)"), max_digits=18, decimal_places=2)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class RpjmdGoalForm(forms.Form):
    period_start = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    code = forms.CharField(label=_("Number"), max_length=20)
    statement = forms.CharField(label=_("Goal"), widget=forms.Textarea(attrs={"rows": 2}))


class RpjmdObjectiveForm(forms.Form):
    goal = forms.IntegerField(widget=forms.HiddenInput)
    code = forms.CharField(label=_("Number"), max_length=20)
    statement = forms.CharField(label=_("Objective"), widget=forms.Textarea(attrs={"rows": 2}))


class RpjmdIndicatorForm(forms.Form):
    """An objective's indicator with a target for each of its goal's five years
    (fields ``target_<year>``, labelled with the year)."""

    name = forms.CharField(label=_("Indicator"), max_length=300)
    unit = forms.CharField(label=_("Unit"), max_length=40)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=18, decimal_places=4, min_value=0, required=False)

    def __init__(self, *args, objective, **kwargs):
        super().__init__(*args, prefix=f"indicator-{objective.pk}", **kwargs)
        self.objective = objective
        goal = objective.goal
        self.years = list(range(goal.period_start, goal.period_end + 1))
        for year in self.years:
            self.fields[f"target_{year}"] = forms.DecimalField(
                label=_("Target %(year)s") % {"year": year}, max_digits=18, decimal_places=4, min_value=0
            )

    def target_fields(self):
        return [self[f"target_{year}"] for year in self.years]

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "unit": data["unit"],
            "baseline": data["baseline"],
            "targets": {year: data[f"target_{year}"] for year in self.years},
        }


def apply_domain_error(form, exc) -> None:
    """Put a service's error on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        form.add_error(None, exc)
