"""Personal data never reaches the logs: every formatted line is masked."""

import logging
import re

ID_NUMBER = re.compile(r"(?<![0-9])(\d{4})\d{10}(\d{3}[\dXx])(?![0-9])")
MOBILE = re.compile(r"(?<![0-9])(1[3-9]\d)\d{4}(\d{4})(?![0-9])")
EMAIL = re.compile(r"([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


def redact(text):
    text = ID_NUMBER.sub(r"\1**********\2", text)
    text = MOBILE.sub(r"\1****\2", text)
    return EMAIL.sub(r"\1***@\2", text)


class RedactingFormatter(logging.Formatter):
    def format(self, record):
        return redact(super().format(record))
