"""Email building: subject, text and HTML templates per message, in the recipient's language."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

SNOOZE_SALT = "disputes.snooze"
UNSUBSCRIBE_SALT = "disputes.unsubscribe"
SNOOZE_MAX_AGE = 60 * 24 * 3600


def absolute(path):
    return f"{settings.SITE_URL}{path}"


def snooze_url(step):
    token = signing.dumps({"step": str(step.pk)}, salt=SNOOZE_SALT, compress=True)
    return absolute(reverse("disputes:snooze", args=[token]))


def unsubscribe_url(user):
    token = signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)
    return absolute(reverse("disputes:unsubscribe", args=[token]))


def render_message(template, context, language):
    """(subject, text, html) of ``emails/<template>*`` in ``language``."""
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return " ".join(subject.split()), text, html


def send(template, to, context, language, headers=None):
    subject, text, html = render_message(template, context, language)
    message = EmailMultiAlternatives(subject, text, to=[to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    message.send()
