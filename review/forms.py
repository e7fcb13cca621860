"""The volunteers' forms: the queue's filter, a comment, a decision on a letter."""

from django import forms
from django.utils.translation import gettext_lazy

from escalation.models import Provider, Rung
from lib.forms import FormDefaults
from review.models import Comment


class QueueFilter(FormDefaults, forms.Form):
    rung = forms.ModelChoiceField(
        label=gettext_lazy("Rung"), queryset=Rung.objects.all(), required=False, to_field_name="position"
    )
    provider = forms.ModelChoiceField(label=gettext_lazy("Provider"), queryset=Provider.objects.all(), required=False)
    overdue = forms.BooleanField(label=gettext_lazy("Overdue"), required=False)
    unassigned = forms.BooleanField(label=gettext_lazy("Unassigned"), required=False)
    mine = forms.BooleanField(label=gettext_lazy("Mine"), required=False)


class CommentForm(FormDefaults, forms.Form):
    body = forms.CharField(label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    visibility = forms.ChoiceField(
        label=gettext_lazy("Visible to"), choices=Comment.Visibility.choices, widget=forms.RadioSelect
    )


class ReviewDecisionForm(FormDefaults, forms.Form):
    note = forms.CharField(
        label=gettext_lazy("What should change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
