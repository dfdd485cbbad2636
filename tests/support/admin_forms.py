"""Posting Django admin forms the way a browser does."""


def unchanged_post_data(response) -> dict:
    """What a browser posts back from an admin add or change page when nothing is
    touched: every editable field's current value, and the inlines' management forms.
    Tests change one value in it and post."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        data.update({f"{formset.prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        forms += formset.forms
    for form in forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if field.disabled or value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data
