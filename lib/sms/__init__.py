"""Text messages through a pluggable backend, the way Django sends email.

``SMS_BACKEND`` names the backend class: the console and file backends for
development and tests (``lib.sms.backends``), Tencent Cloud SMS in production
(``lib.sms.tencent``). A message is a template name, its parameters and the
text rendered from ``templates/sms/<template>.txt`` in the recipient's
language; a provider whose messages are pre-approved templates (Tencent) sends
the template id and the parameters, the others the text.

Neither the number nor the text is ever logged here: a message may hold a login code.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from lib.sms.backends import BaseBackend

# Each template's parameters, in the order a provider's approved template numbers them ({1}, {2}…).
TEMPLATE_PARAMS = {
    "login_code": ["code", "minutes"],
    "reminder": ["provider", "date", "url"],
}


@dataclass
class Message:
    to: str
    template: str
    params: dict[str, Any] = field(default_factory=dict)
    language: str = "zh-hans"
    text: str = ""

    def ordered_params(self) -> list[str]:
        return [str(self.params[name]) for name in TEMPLATE_PARAMS[self.template]]


def get_backend(path: str | None = None, **options: Any) -> "BaseBackend":
    return import_string(path or settings.SMS_BACKEND)(**options)


def available() -> bool:
    """Whether this site can send text messages: a production backend without its settings cannot."""
    try:
        get_backend()
    except ImproperlyConfigured:
        return False
    return True


def send(
    to: str, template: str, params: dict[str, Any], language: str = "zh-hans", backend: "BaseBackend | None" = None
) -> Message:
    """Render and send one text message; the backend raises when the provider refuses it.

    ``backend`` reuses one already made (several messages through one provider client).
    """
    if template not in TEMPLATE_PARAMS:
        raise ValueError(f"unknown SMS template {template!r}")
    missing = set(TEMPLATE_PARAMS[template]) - set(params)
    if missing:
        raise ValueError(f"SMS template {template!r} needs {sorted(missing)}")
    with translation.override(language):
        text = " ".join(render_to_string(f"sms/{template}.txt", {**params, "site": settings.SMS_SIGN_NAME}).split())
    message = Message(to=to, template=template, params=params, language=language, text=text)
    (backend or get_backend()).send(message)
    return message
