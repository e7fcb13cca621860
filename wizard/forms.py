"""A volunteer's upload of a case file."""

from django import forms
from django.utils.translation import gettext_lazy

from lib.forms import FormDefaults


class ImportForm(FormDefaults, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Case file"),
        help_text=gettext_lazy("The JSON document, or a zip holding case.json and the evidence files it names."),
    )
