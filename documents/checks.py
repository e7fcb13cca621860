"""System check: a configured signing key and certificate can sign (documents/letters/signing.py).

Runs with every management command (``runserver``, ``migrate``, ``check``), so a wrong path, a wrong
passphrase, a key that is not the certificate's or an expired certificate stops start-up with the
reason, instead of the first merchant who issues a letter finding out. The passphrase is never shown.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks


@checks.register()
def letter_signing_usable(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from documents.letters import signing
    from lib import chinatime

    if not signing.configured():
        return []
    try:
        credentials = signing.load()
        signing.trial(credentials)
    except signing.SigningError as error:
        return [
            checks.Error(
                f"Letters cannot be signed: {error}",
                hint="Fix the LETTER_SIGNING_* settings, or unset LETTER_SIGNING_KEY and LETTER_SIGNING_CERT "
                "to issue letters unsigned (README, 'Signed letters').",
                id="documents.E001",
            )
        ]
    found: list[checks.CheckMessage] = []
    signer = credentials.signer
    if signer.not_after - chinatime.now() < signing.EXPIRY_WARNING:
        found.append(
            checks.Warning(
                f"The certificate that signs letters ({signer.subject}) expires on "
                f"{signer.not_after:%Y-%m-%d %H:%M} UTC; letters cannot be issued after that.",
                hint="Renew it and point LETTER_SIGNING_KEY and LETTER_SIGNING_CERT at the new files.",
                id="documents.W001",
            )
        )
    key = Path(settings.LETTER_SIGNING_KEY)
    if key.stat().st_mode & stat.S_IROTH:
        found.append(
            checks.Warning(
                f"LETTER_SIGNING_KEY: {key} can be read by every user of this machine.",
                hint=f"chmod 600 {key} (readable by the app's user only).",
                id="documents.W002",
            )
        )
    return found
