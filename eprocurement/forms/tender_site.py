"""Forms of the public tender site: a question, an answer, a subscription. They only read
input; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.models import Region

from ..choices import ProcurementKind
from ..models.tender_site import ANSWER_MAX_LENGTH, QUESTION_MAX_LENGTH


class QuestionForm(forms.Form):
    vendor = forms.TypedChoiceField(label=_("Ask as"), coerce=int)
    text = forms.CharField(
        label=_("Your question"), max_length=QUESTION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, vendors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.vendors = {v.pk: v for v in vendors}
        self.fields["vendor"].choices = [(v.pk, v.name) for v in vendors]

    def clean_vendor(self):
        return self.vendors[self.cleaned_data["vendor"]]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))


class SubscriptionForm(forms.Form):
    kinds = forms.MultipleChoiceField(
        label=_("Kinds"),
        choices=ProcurementKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every kind."),
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regions"),
        queryset=Region.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every region. A province covers its regencies and cities."),
    )
