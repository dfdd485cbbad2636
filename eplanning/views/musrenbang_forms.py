"""Forms of the Musrenbang pages. They check the input's shape; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import CommunityProposal
from ..selectors import musrenbang as selectors
from ..services.musrenbang import MAX_SCORE, MIN_SCORE, PROPOSAL_FIELDS


class ProposalForm(forms.ModelForm):
    """Record a proposal (with its region and year) or correct one (without)."""

    class Meta:
        model = CommunityProposal
        fields = ["region", "fiscal_year", *PROPOSAL_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        region_ids = selectors.recorder_region_ids(user)
        if self.instance.pk:
            del self.fields["region"], self.fields["fiscal_year"]
            region_ids = frozenset({self.instance.region_id})
        else:
            self.fields["region"].queryset = selectors.regions_for_recording(user)
            self.fields["fiscal_year"].queryset = selectors.open_fiscal_years()
        self.fields["target_agency"].queryset = selectors.agencies_for_region_ids(region_ids)
        self.fields["estimated_cost"].min_value = 0
        self.fields["estimated_cost"].widget.attrs["min"] = "0"

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region") or (self.instance.region if self.instance.region_id else None)
        agency = cleaned.get("target_agency")
        if region is not None and agency is not None and agency.region_id != region.pk:
            self.add_error("target_agency", _("The agency asked to carry it out must be of the proposal's region."))
        return cleaned

    def _post_clean(self):
        # The service validates the model and saves it; the form stops at the input.
        pass

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in PROPOSAL_FIELDS}


class ForwardForm(forms.Form):
    score = forms.DecimalField(label=_("score (0–100)"), min_value=MIN_SCORE, max_value=MAX_SCORE, decimal_places=2)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason for rejection"), widget=forms.Textarea(attrs={"rows": 2}))


class AcceptForm(forms.Form):
    plan_item = forms.ModelChoiceField(label=_("plan item it becomes"), queryset=None)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = selectors.plan_item_choices(user, proposal)
