from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import checks

if TYPE_CHECKING:
    from django.apps import AppConfig


@checks.register(checks.Tags.security, deploy=True)
def test_clock_not_in_production(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The test clock moves deadlines; it must never be set on a real site."""
    if settings.TEST_CLOCK_FILE:
        return [
            checks.Error(
                "TEST_CLOCK_FILE is set: it moves the app's clock and is for end-to-end tests only.",
                hint="Unset TEST_CLOCK_FILE in production.",
                id="ladder.E001",
            )
        ]
    return []


@checks.register(deploy=True)
def sms_configured(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Without SMS settings, merchants cannot log in by code and get no text reminders: say so at deploy."""
    from lib import sms

    if sms.available():
        return []
    return [
        checks.Warning(
            "Text messages are off: SMS_BACKEND cannot send (login codes and SMS reminders are skipped).",
            hint="Set the SMS_TENCENT_* settings and SMS_SIGN_NAME (README, 'Text messages').",
            id="ladder.W001",
        )
    ]
