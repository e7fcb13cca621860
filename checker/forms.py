from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from lib.forms import FormDefaults

# Long enough for a text message or a few chat bubbles, short enough to read on a phone.
MAX_MESSAGE_LENGTH = 2000


class CheckForm(FormDefaults, forms.Form):
    """The message a merchant pastes to check: read, answered and forgotten (never stored unless asked)."""

    text = forms.CharField(
        label=_("The message you received"),
        help_text=_("Paste the whole text message or chat message, with any link or number in it."),
        widget=forms.Textarea(
            attrs={"rows": 6, "maxlength": MAX_MESSAGE_LENGTH, "autocomplete": "off", "spellcheck": "false"}
        ),
        error_messages={"required": _("Paste the message you want to check.")},
    )

    def clean_text(self):
        """The message with one kind of line break, however the browser sent it, and not too long.

        Counted after the line breaks are made one character each, as the browser counts them.
        """
        text = self.cleaned_data["text"].replace("\r\n", "\n").replace("\r", "\n")
        if len(text) > MAX_MESSAGE_LENGTH:
            raise ValidationError(
                _(
                    "The message is %(length)d characters long; paste at most %(limit)d. "
                    "The part about the refund is enough."
                ),
                code="max_length",
                params={"length": len(text), "limit": MAX_MESSAGE_LENGTH},
            )
        return text
