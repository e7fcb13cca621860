"""Personal data and secret links never reach the logs: every formatted line is masked."""

import logging
import re

ID_NUMBER = re.compile(r"(?<![0-9])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9])")
MOBILE = re.compile(r"(?<![0-9])(1[3-9]\d)\d{4}(\d{4})(?![0-9])")
EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")
# Links whose path is itself the key (the apps' urls.py): a password reset, the calendar feed, unsubscribe
# and snooze. Whoever reads one in a log can use it, so the key is masked; the line still shows which
# link it was. Django's own placeholder after a reset link is opened ("set-password") is no secret.
SECRET_LINK = re.compile(
    r"(?P<keep>/accounts/reset/[^/\s]+/|/reminders/(?:snooze|unsubscribe)/|/calendar/)"
    r"(?!set-password/)[^/\s?#\"']+?(?P<tail>\.ics)?(?=[/\s?#\"']|$)"
)


def redact(text: str) -> str:
    text = SECRET_LINK.sub(r"\g<keep>***\g<tail>", text)
    text = ID_NUMBER.sub(r"\1**********\2", text)
    text = MOBILE.sub(r"\1****\2", text)
    return EMAIL.sub(r"\1***@\2", text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


class Redacting(logging.Formatter):
    """Masks what another formatter wrote: for handlers that are not ours (gunicorn's, config/gunicorn.py)."""

    def __init__(self, inner: logging.Formatter | None = None) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()

    def format(self, record: logging.LogRecord) -> str:
        return redact(self.inner.format(record))
