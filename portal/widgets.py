"""Form pieces the apps share."""

from django import forms


class CodeLookupInput(forms.TextInput):
    """A text box for a code from a long official list (thousands of account or
    nomenclature codes): as the person types, the portal suggests matching codes in a
    datalist, so the page never carries the whole list over a slow connection.

    ``suggest_url`` answers ``?q=…`` with ``<option>`` elements (see
    ``templates/partials/code_options.html``).
    """

    template_name = "partials/code_lookup_input.html"

    def __init__(self, suggest_url, attrs=None):
        super().__init__({"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.suggest_url = suggest_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["suggest_url"] = str(self.suggest_url)
        return context

    def format_value(self, value):
        # A model instance (the form's initial value) shows as its code.
        return super().format_value(getattr(value, "code", value))


SUGGESTIONS = 20


def suggestion_query(request) -> str:
    """What the person typed: ``?q=``, or the one field a lookup input sends."""
    return (request.GET.get("q") or next(iter(request.GET.values()), "")).strip()[:100]
