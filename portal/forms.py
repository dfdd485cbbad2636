from django import forms
from django.contrib.auth.forms import AdminUserCreationForm
from django.utils.translation import gettext_lazy as _

from . import selectors
from .choices import Role, Scope
from .models import Agency, Membership, User
from .scoping import reach_of
from .services import AGENCY_EDITABLE_FIELDS


class AgencyContactForm(forms.ModelForm):
    """The details of an agency its Kominfo admin keeps current; code and region stay."""

    class Meta:
        model = Agency
        fields = AGENCY_EDITABLE_FIELDS


class EditorFormMixin:
    """A form that knows who fills it in, to check what that person may do.

    The admin makes a subclass per request with ``editor`` set (see portal.admin); it
    also limits the choices of the form's foreign keys to what the editor may change.
    """

    editor = None


class AgencyAdminForm(EditorFormMixin, forms.ModelForm):
    class Meta:
        model = Agency
        fields = ["region", "code", "name", "short_name", "parent", "is_active"]
        fields += ["head_name", "address", "phone", "email"]

    def clean(self):
        cleaned = super().clean()
        region = cleaned.get("region") or (self.instance.region if self.instance.region_id else None)
        parent = cleaned.get("parent")
        if region is None:
            return cleaned
        if parent is not None and parent.region_id != region.pk:
            self.add_error("parent", _("A unit belongs to the region of the agency it is part of."))
        reach = reach_of(self.editor, selectors.ADMIN_ROLES)
        # Someone who runs one agency (not a whole region) adds units inside it only.
        if not self.instance.pk and not reach.everything and region.pk not in reach.region_ids and parent is None:
            self.add_error("parent", _("You may add only units of the agencies you administer."))
        return cleaned


class MembershipAdminForm(forms.ModelForm):
    """Grants a role. A granted role is never edited: it is revoked and another granted,
    each with its own audit entry."""

    scope = forms.ChoiceField(
        label=_("reach"),
        choices=[("", _("The role's usual reach")), *Scope.choices],
        required=False,
        help_text=_("Region-wide roles (Bappeda, UKPBJ, Kominfo, ...) reach the whole region."),
    )

    class Meta:
        model = Membership
        fields = ["user", "agency", "role", "scope"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for field in self.fields.values():
                field.disabled = True

    def clean_scope(self):
        return self.cleaned_data["scope"] or Membership.default_scope(self.cleaned_data.get("role", ""))


class StaffUserCreationForm(EditorFormMixin, AdminUserCreationForm):
    """A new account, with the first role its holder gets.

    A Kominfo admin sees only people who hold a role in their reach, so the role is
    required of them: an account without one would vanish from their list at once.
    """

    agency = forms.ModelChoiceField(label=_("agency"), queryset=Agency.objects.none(), required=False)
    role = forms.ChoiceField(label=_("role"), choices=[("", "---------"), *Role.choices], required=False)

    class Meta:
        model = User
        fields = ("email", "full_name")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = selectors.agencies_editable(self.editor)
        if not reach_of(self.editor).everything:
            self.fields["agency"].required = self.fields["role"].required = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("An account with this e-mail address already exists."))
        return email

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("agency")) != bool(cleaned.get("role")):
            self.add_error("role", _("Choose both an agency and a role, or neither."))
        return cleaned
