"""Forms for packages: the draft's fields, its team, schedule and documents, and the
reasons and dates the transitions take. The status is never a field."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..choices import EvaluationMethod, PackageDocumentKind, TenderStage
from ..services.package_schedule import stages_for

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime_field(label, required=True):
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


class PackageFieldsForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    evaluation_method = forms.ChoiceField(label=_("Evaluation method"), choices=EvaluationMethod.choices)
    owner_estimate = forms.DecimalField(
        label=_("Owner's estimate (HPS), Rp"), max_digits=18, decimal_places=2, min_value=0, required=False
    )
    qualification_requirements = forms.CharField(
        label=_("Qualification requirements"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class PackageCreateForm(PackageFieldsForm):
    """A new package: the RUP items it procures (offered: the agency's free ones) and its fields."""

    plan_items = forms.ModelMultipleChoiceField(
        label=_("RUP items"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    field_order = ["plan_items", "name", "description", "evaluation_method", "owner_estimate"]

    def __init__(self, *args, plan_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_items"].queryset = plan_items
        self.fields["plan_items"].label_from_instance = lambda item: (
            f"{item.rup_code} · {item.name} · Rp{item.value:,.0f}"
        )


class TeamForm(forms.Form):
    ppk = forms.ModelChoiceField(label=_("Commitment officer (PPK)"), queryset=None)
    chair = forms.ModelChoiceField(label=_("Pokja chair"), queryset=None)
    member_2 = forms.ModelChoiceField(label=_("Pokja member"), queryset=None)
    member_3 = forms.ModelChoiceField(label=_("Pokja member"), queryset=None)

    def __init__(self, *args, ppk_candidates, pokja_candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ppk"].queryset = ppk_candidates
        for name in ("chair", "member_2", "member_3"):
            self.fields[name].queryset = pokja_candidates

    def pokja(self) -> list:
        return [self.cleaned_data[name] for name in ("chair", "member_2", "member_3")]


class ScheduleForm(forms.Form):
    """A start and an end per stage of the package's kind."""

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.stages = stages_for(kind)
        for stage in self.stages:
            label = TenderStage(stage).label
            self.fields[f"{stage}_start"] = _datetime_field(_("%(stage)s: start") % {"stage": label})
            self.fields[f"{stage}_end"] = _datetime_field(_("%(stage)s: end") % {"stage": label})

    def rows(self) -> dict:
        data = self.cleaned_data
        return {stage: (data[f"{stage}_start"], data[f"{stage}_end"]) for stage in self.stages}

    def stage_fields(self):
        return [(TenderStage(s).label, self[f"{s}_start"], self[f"{s}_end"]) for s in self.stages]


def schedule_initial(rows: dict) -> dict:
    initial = {}
    for stage, (start, end) in rows.items():
        initial[f"{stage}_start"] = timezone.localtime(start)
        initial[f"{stage}_end"] = timezone.localtime(end)
    return initial


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in PackageDocumentKind.choices if c[0] != PackageDocumentKind.ADDENDUM]
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File (PDF, ZIP, XLSX or DOCX)"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=TenderStage.choices)
    new_end = _datetime_field(_("New end"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class AddendumForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File (PDF, ZIP, XLSX or DOCX)"))
    replaces = forms.ModelChoiceField(label=_("Replaces"), queryset=None, required=False)
    reason = forms.CharField(label=_("What changes and why"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, documents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaces"].queryset = documents
