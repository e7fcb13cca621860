"""The few choices a group page asks for: which practice to start with, which case to join with, whom to appoint."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from groups.models import MAX_REPRESENTATIVES, ComplaintGroup

PRACTICE_LABELS = {
    ComplaintGroup.Practice.AGENT: _("The agent: %(text)s"),
    ComplaintGroup.Practice.PROMISE: _("The promise: %(text)s"),
    ComplaintGroup.Practice.FEE: _("The fee: %(text)s"),
}


class StartForm(forms.Form):
    """Start a group from a case: about one practice the case records."""

    practice = forms.TypedChoiceField(
        label=_("What did the others go through too?"), widget=forms.RadioSelect, coerce=int
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = ComplaintGroup.practice_options(case)
        self.fields["practice"].choices = [
            (index, PRACTICE_LABELS[practice] % {"text": text}) for index, (practice, text) in enumerate(self.options)
        ]
        if not self.options:
            self.fields["practice"].help_text = _(
                "Your case records no agent, promise or fee yet: add them on the page “Parties and money” first."
            )

    def chosen(self):
        return self.options[self.cleaned_data["practice"]]


class JoinForm(forms.Form):
    """Join with one of the merchant's own open cases against the group's provider."""

    case = forms.TypedChoiceField(label=_("Join with this case"), coerce=str)
    confirm = forms.BooleanField(
        label=_("The same thing happened to me."),
        error_messages={"required": _("Tick this box if the same thing happened to you.")},
    )

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = {str(case.pk): case for case in cases}
        self.fields["case"].choices = [
            (str(case.pk), f"{case.provider_name} · {case.amount or ''} · {case.created_at:%Y-%m-%d}") for case in cases
        ]
        if len(cases) == 1:
            self.fields["case"].widget = forms.HiddenInput()
            self.fields["case"].initial = str(cases[0].pk)

    def chosen_case(self):
        return self.cases[self.cleaned_data["case"]]


class AppointForm(forms.Form):
    """A volunteer names the representatives (at most two members who agreed to the joint filing)."""

    members = forms.MultipleChoiceField(label=_("Representatives"), widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, group, labels, **kwargs):
        super().__init__(*args, **kwargs)
        self.by_id = {str(member.pk): member for member in group.filing_members}
        self.fields["members"].choices = [(pk, labels[member.pk]) for pk, member in self.by_id.items()]
        self.fields["members"].initial = [str(member.pk) for member in group.representatives]

    def clean_members(self):
        chosen = self.cleaned_data["members"]
        if len(chosen) > MAX_REPRESENTATIVES:
            raise ValidationError(_("A group has at most two representatives."), code="too_many")
        return [self.by_id[pk] for pk in chosen]
