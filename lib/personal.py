"""Personal data: validation of Chinese ID-card and mobile numbers, and masking for display.

ID numbers and phones are shown masked everywhere except in the documents that
legally need them, and are never written to logs.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as ValidationError_

from lib import chinatime


def keyed_hash(text: str) -> str:
    """A keyed hash (HMAC-SHA256 with the site's secret) naming personal data without holding it."""
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")


def normalize_id_number(value: str | None) -> str:
    """Half-width, no spaces, capital X: full-width digits typed with a Chinese keyboard are fine."""
    return unicodedata.normalize("NFKC", value or "").strip().replace(" ", "").upper()


def validate_id_number(value: str | None) -> None:
    """Check an 18-digit resident ID number (GB 11643): format, birth date and check digit."""
    number = normalize_id_number(value)
    if not re.fullmatch(r"[0-9]{17}[0-9X]", number):
        raise ValidationError(
            _("An ID card number has 18 characters: 17 digits and a final digit or X."), code="id_format"
        )
    # python-stdnum reads the birth date and computes the check digit; its ric.validate() is not
    # used, as it also refuses real numbers whose region code its table lacks (510104, 430104...).
    try:
        born = ric.get_birth_date(number)
    except ValidationError_ as error:
        raise ValidationError(
            _("The birth date inside this ID card number is not a real date."), code="id_birth"
        ) from error
    if not datetime.date(1900, 1, 1) <= born <= chinatime.today():
        raise ValidationError(_("The birth date inside this ID card number is not a real date."), code="id_birth")
    if ric.calc_check_digit(number) != number[17]:
        raise ValidationError(
            _("This ID card number's last character does not match: please check it digit by digit."), code="id_check"
        )


def normalize_mobile(value: str | None) -> str:
    digits = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", value or ""))
    return digits.removeprefix("+86").removeprefix("0086")


def validate_mobile(value: str | None) -> None:
    if not MOBILE_RE.match(normalize_mobile(value)):
        raise ValidationError(_("Enter an 11-digit mainland mobile number, such as 13812345678."), code="mobile")


def mask_id_number(value: str | None) -> str:
    """'110101199003078515' -> '1101**********8515'."""
    number = normalize_id_number(value)
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_mobile(value: str | None) -> str:
    """'13812345678' -> '138****5678'."""
    number = normalize_mobile(value)
    if len(number) < 7:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_email(value: str | None) -> str:
    """'xiaoming@example.com' -> 'x*******@example.com'."""
    local, _at, domain = (value or "").partition("@")
    return (local[:1] + "*" * max(len(local) - 1, 1)) + (f"@{domain}" if domain else "")


def mask_name(name: str | None) -> str:
    """Keep the first and last character: '王小明' -> '王*明', '张三' -> '张*'."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_address(value: str | None) -> str:
    """Keep the start (province and city), hide the rest: '四川省成都市武侯区人民南路' -> '四川省成都市*******'."""
    address = (value or "").strip()
    keep = min(6, len(address) // 2)
    return address[:keep] + "*" * (len(address) - keep)


# Numbers typed anywhere in a letter (the story, the witnesses): mobiles, also written 138 1234 5678, and ID numbers.
MOBILE_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9A-Za-z])")
ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")


def mask_html(html: str, known: Iterable[tuple[str, str]] = ()) -> str:
    """``html`` with personal data masked: each ``(value, masked)`` of ``known``, then any mobile or ID number.

    The known values (an address, say) are matched as the template printed them, HTML-escaped;
    the longest first, so a value inside another is not masked twice.
    """
    for value, masked in sorted(known, key=lambda pair: -len(pair[0])):
        if value and value.strip():
            html = html.replace(escape(value), escape(masked))
    html = ID_IN_TEXT.sub(lambda match: mask_id_number(match.group()), html)
    return MOBILE_IN_TEXT.sub(lambda match: mask_mobile(match.group()), html)
