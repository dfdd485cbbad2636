from django import forms

from .models import Agency
from .services import AGENCY_EDITABLE_FIELDS


class AgencyContactForm(forms.ModelForm):
    """The details of an agency its Kominfo admin keeps current; code and region stay."""

    class Meta:
        model = Agency
        fields = AGENCY_EDITABLE_FIELDS
