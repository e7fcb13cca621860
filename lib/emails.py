"""Email building: subject, text and HTML templates per message, in the recipient's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.db.models import Model

# The salts keep the name of the app these links began in: a new name would void every link already mailed.
SNOOZE_SALT = "disputes.snooze"
UNSUBSCRIBE_SALT = "disputes.unsubscribe"
SNOOZE_MAX_AGE = 60 * 24 * 3600


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def snooze_url(step: Model) -> str:
    token = signing.dumps({"step": str(step.pk)}, salt=SNOOZE_SALT, compress=True)
    return absolute(reverse("reminders:snooze", args=[token]))


def unsubscribe_url(user: AbstractBaseUser) -> str:
    token = signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)
    return absolute(reverse("reminders:unsubscribe", args=[token]))


def render_message(template: str, context: Mapping[str, Any], language: str) -> tuple[str, str, str]:
    """(subject, text, html) of ``emails/<template>*`` in ``language``."""
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return " ".join(subject.split()), text, html


def build(
    template: str, to: str, context: Mapping[str, Any], language: str, headers: dict[str, str] | None = None
) -> EmailMultiAlternatives:
    """The email ``template`` in ``language`` to ``to``: text with an HTML alternative."""
    subject, text, html = render_message(template, context, language)
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    return message


def send(
    template: str, to: str, context: Mapping[str, Any], language: str, headers: dict[str, str] | None = None
) -> None:
    build(template, to, context, language, headers).send()
