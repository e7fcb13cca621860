"""Django messages whose Chinese translation is missing upstream.

Django 5.2 changed the password-length message to a ``%d`` placeholder and its
zh_Hans catalogue still has only the old ``%(min_length)d`` wording, so Chinese
users would read English. Marking the new text here puts it in our own
catalogue, which Django consults before its own.
"""

from django.utils.translation import ngettext_lazy

MISSING_UPSTREAM = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
]
