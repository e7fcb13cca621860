"""Tencent Cloud SMS, through its official Python SDK (tencentcloud-sdk-python-sms).

Mainland SMS must use a signature and templates approved in the Tencent Cloud
console. Settings (README, "Text messages"):

- ``SMS_TENCENT_SECRET_ID`` / ``SMS_TENCENT_SECRET_KEY``: an API key (a sub-account with SMS rights only);
- ``SMS_TENCENT_APP_ID``: the SMS application's SdkAppId; ``SMS_TENCENT_REGION`` (default ap-guangzhou);
- ``SMS_SIGN_NAME``: the approved signature, e.g. POS维权阶梯;
- ``SMS_TENCENT_TEMPLATES``: JSON, template name -> language -> approved template id, e.g.
  ``{"login_code": {"zh-hans": "1234567", "en": "1234568"}, "reminder": {"zh-hans": "1234569"}}``.
  A language without its own template uses the Chinese one.

The template's {1}, {2}… are ``lib.sms.TEMPLATE_PARAMS`` in order.
"""

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lib.sms.backends import BaseBackend

if TYPE_CHECKING:
    from lib.sms import Message


class SmsRefused(Exception):
    """The provider did not accept the message; the caller retries or reports."""


class TencentBackend(BaseBackend):
    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        missing = [
            name
            for name in ("SMS_TENCENT_SECRET_ID", "SMS_TENCENT_SECRET_KEY", "SMS_TENCENT_APP_ID", "SMS_SIGN_NAME")
            if not getattr(settings, name, "")
        ]
        if missing:
            raise ImproperlyConfigured(f"Tencent Cloud SMS needs {', '.join(missing)}")
        self.templates = json.loads(settings.SMS_TENCENT_TEMPLATES or "{}")

    def template_id(self, message: "Message") -> str:
        ids = self.templates.get(message.template, {})
        template_id = ids.get(message.language) or ids.get("zh-hans")
        if not template_id:
            raise ImproperlyConfigured(f"SMS_TENCENT_TEMPLATES has no template for {message.template!r}")
        return template_id

    def client(self) -> Any:
        from tencentcloud.common import credential
        from tencentcloud.sms.v20210111 import sms_client

        return sms_client.SmsClient(
            credential.Credential(settings.SMS_TENCENT_SECRET_ID, settings.SMS_TENCENT_SECRET_KEY),
            settings.SMS_TENCENT_REGION,
        )

    def request(self, message: "Message") -> Any:
        from tencentcloud.sms.v20210111 import models

        request = models.SendSmsRequest()
        request.SmsSdkAppId = settings.SMS_TENCENT_APP_ID
        request.SignName = settings.SMS_SIGN_NAME
        request.TemplateId = self.template_id(message)
        request.TemplateParamSet = message.ordered_params()
        request.PhoneNumberSet = [f"+86{message.to}"]
        return request

    def send(self, message: "Message") -> None:
        response = self.client().SendSms(self.request(message))
        statuses = response.SendStatusSet or []
        if not statuses or statuses[0].Code != "Ok":
            code = statuses[0].Code if statuses else "no status"
            # The provider's code only: never the number or the text.
            raise SmsRefused(f"Tencent Cloud SMS refused the message: {code}")
