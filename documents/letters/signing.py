"""Signing issued letters with a volunteer organisation's certificate (pyHanko), keeping them PDF/A.

Off unless ``LETTER_SIGNING_KEY`` and ``LETTER_SIGNING_CERT`` are set (config/settings.py). Then every
issued letter carries one PAdES baseline signature (``ETSI.CAdES.detached``) of the organisation:

- added as an incremental update, so the rendered file stays byte for byte at the start of the signed
  one, and the signature covers the whole file except its own value;
- invisible: a zero-size widget with the print flag and no appearance, which PDF/A-2 and -3 allow, so the
  letter looks as it did;
- without touching the document's metadata: pyHanko would rewrite the XMP packet and the Info
  dictionary (its producer, the modification date), and a PDF/A file must keep the two alike; the
  packet the renderer wrote, with its PDF/A identification, stays as it is.

The private key is decrypted here with ``cryptography``, never by pyHanko, and the passphrase
(``LETTER_SIGNING_PASSPHRASE``) goes into no message, log line or exception. Previews and drafts are
never signed: only ``documents.letters.issue`` calls ``sign_if_configured``.

A timestamp from a timestamp authority (``LETTER_SIGNING_TIMESTAMP_URL``, RFC 3161) is off by default;
without it nothing here touches the network.
"""

from __future__ import annotations

import datetime
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.x509.oid import NameOID
from django.conf import settings

from lib import chinatime

logger = logging.getLogger(__name__)

FIELD_NAME = "OrganisationSignature"
# A certificate this close to its end gets a warning from the system check.
EXPIRY_WARNING = datetime.timedelta(days=30)


class SigningError(Exception):
    """The configured key or certificate cannot sign. The message names settings and paths, never the passphrase."""


@dataclass(frozen=True)
class Signer:
    """Who signs: what the timeline and the documents list say about a signature."""

    name: str  # the organisation, shown as the signer (LETTER_SIGNING_NAME, else the certificate's)
    subject: str  # the certificate subject's common name
    fingerprint: str  # SHA-256 of the certificate (DER), lowercase hexadecimal
    not_before: datetime.datetime
    not_after: datetime.datetime

    def event_data(self) -> dict[str, str]:
        """What the timeline keeps of the signature (cases.models.Event data)."""
        return {"signed_by": self.name, "certificate": self.subject, "certificate_sha256": self.fingerprint}


@dataclass(frozen=True)
class Credentials:
    """The loaded, checked key and certificates."""

    key: PrivateKeyTypes
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]
    signer: Signer


def configured() -> bool:
    """Signing is on once either half of the key pair is configured (the other missing is an error)."""
    return bool(settings.LETTER_SIGNING_KEY or settings.LETTER_SIGNING_CERT)


def _read(setting: str) -> bytes:
    path = getattr(settings, setting)
    if not path:
        raise SigningError(
            f"{setting} is not set: LETTER_SIGNING_KEY and LETTER_SIGNING_CERT are set together, or neither."
        )
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise SigningError(f"{setting}: cannot read {path} ({error.strerror or type(error).__name__}).") from None


def _load_key(data: bytes) -> PrivateKeyTypes:
    path = settings.LETTER_SIGNING_KEY
    passphrase = settings.LETTER_SIGNING_PASSPHRASE
    encrypted = b"ENCRYPTED" in data.split(b"-----END", 1)[0]  # PKCS#8 and OpenSSL's own PEM both say so
    if encrypted and not passphrase:
        raise SigningError(f"LETTER_SIGNING_KEY: {path} is encrypted, and LETTER_SIGNING_PASSPHRASE is not set.")
    if passphrase and not encrypted and b"PRIVATE KEY-----" in data:
        raise SigningError(
            f"LETTER_SIGNING_KEY: {path} is not encrypted, but LETTER_SIGNING_PASSPHRASE is set: "
            "encrypt the key with that passphrase, or unset it."
        )
    try:
        return serialization.load_pem_private_key(data, password=passphrase.encode() if encrypted else None)
    # The library's own words are not passed on: they could one day quote what they were given.
    except UnsupportedAlgorithm:
        raise SigningError(f"LETTER_SIGNING_KEY: {path} is a kind of private key this site cannot use.") from None
    except (ValueError, TypeError):
        if encrypted:
            raise SigningError(
                f"LETTER_SIGNING_KEY: {path} cannot be decrypted: LETTER_SIGNING_PASSPHRASE is wrong."
            ) from None
        raise SigningError(f"LETTER_SIGNING_KEY: {path} holds no PEM private key.") from None


def _load_certificates(setting: str) -> list[x509.Certificate]:
    path = getattr(settings, setting)
    try:
        certificates = x509.load_pem_x509_certificates(_read(setting))
    except ValueError:
        certificates = []
    if not certificates:
        raise SigningError(f"{setting}: {path} holds no PEM certificate.")
    return certificates


def common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def organisation_name(certificate: x509.Certificate) -> str:
    """LETTER_SIGNING_NAME, else the certificate's organisation, else its common name."""
    if settings.LETTER_SIGNING_NAME:
        return str(settings.LETTER_SIGNING_NAME)
    names = certificate.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
    return str(names[0].value) if names else common_name(certificate)


def _public_der(key: Any) -> bytes:
    return bytes(key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo))


def load(at: datetime.datetime | None = None) -> Credentials:
    """The configured key and certificate, checked: readable, matching, valid ``at`` (now). SigningError if not."""
    key = _load_key(_read("LETTER_SIGNING_KEY"))
    certificate, *rest = _load_certificates("LETTER_SIGNING_CERT")
    chain = rest + (_load_certificates("LETTER_SIGNING_CHAIN") if settings.LETTER_SIGNING_CHAIN else [])
    subject = common_name(certificate)
    if _public_der(key.public_key()) != _public_der(certificate.public_key()):
        raise SigningError(
            f"The key in LETTER_SIGNING_KEY does not belong to the certificate in LETTER_SIGNING_CERT ({subject})."
        )
    at = at or chinatime.now()
    if certificate.not_valid_after_utc < at:
        raise SigningError(
            f"The certificate in LETTER_SIGNING_CERT ({subject}) expired on "
            f"{certificate.not_valid_after_utc:%Y-%m-%d %H:%M} UTC."
        )
    if certificate.not_valid_before_utc > at:
        raise SigningError(
            f"The certificate in LETTER_SIGNING_CERT ({subject}) is valid only from "
            f"{certificate.not_valid_before_utc:%Y-%m-%d %H:%M} UTC."
        )
    signer = Signer(
        name=organisation_name(certificate),
        subject=subject,
        fingerprint=certificate.fingerprint(hashes.SHA256()).hex(),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
    )
    return Credentials(key=key, certificate=certificate, chain=tuple(chain), signer=signer)


def _pyhanko_signer(credentials: Credentials) -> Any:
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key_der = credentials.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    certificate = asn1_x509.Certificate.load(credentials.certificate.public_bytes(serialization.Encoding.DER))
    chain = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in credentials.chain]
    return signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=asn1_keys.PrivateKeyInfo.load(key_der),
        cert_registry=SimpleCertificateStore.from_certs([certificate, *chain]),
    )


def _writer(pdf: bytes) -> Any:
    """An incremental writer that leaves the document's Info dictionary and XMP metadata as they are."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    class MetadataKeepingWriter(IncrementalPdfFileWriter):
        def _update_meta(self) -> None:
            # pyHanko would set its producer and the modification date in the Info dictionary and the
            # XMP packet, differently in each (PDF/A wants them alike) and reserialising the packet.
            return None

    return MetadataKeepingWriter(io.BytesIO(pdf))


def _timestamper() -> Any:
    url = settings.LETTER_SIGNING_TIMESTAMP_URL
    if not url:
        return None
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    return RequestsHTTPTimeStamper(url, timeout=settings.LETTER_SIGNING_TIMESTAMP_TIMEOUT)


def sign_pdf(pdf: bytes, credentials: Credentials | None = None, timestamp: bool = True) -> bytes:
    """``pdf`` signed with the configured key and certificate, as an incremental update. SigningError if it cannot.

    With ``LETTER_SIGNING_TIMESTAMP_URL`` set (and ``timestamp``), the signature gets a timestamp from it.
    """
    from pyhanko.sign import fields, signers

    credentials = credentials or load()
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        name=credentials.signer.name,
        reason=settings.LETTER_SIGNING_REASON or None,
        location=settings.LETTER_SIGNING_LOCATION or None,
    )
    pdf_signer = signers.PdfSigner(
        metadata,
        signer=_pyhanko_signer(credentials),
        timestamper=_timestamper() if timestamp else None,
        # No box: a zero-size widget with the print flag and no appearance (PDF/A-2/3 allow it).
        new_field_spec=fields.SigFieldSpec(sig_field_name=FIELD_NAME),
    )
    try:
        output = pdf_signer.sign_pdf(_writer(pdf), output=io.BytesIO())
    # A broken input, a timestamp authority that does not answer: pyHanko and its HTTP client raise many
    # kinds. pyHanko never holds the passphrase (the key reaches it decrypted), so its words may be told.
    except Exception as error:  # noqa: BLE001
        raise SigningError(f"The letter could not be signed: {type(error).__name__}: {error}") from None
    return bytes(output.getvalue())


def trial(credentials: Credentials) -> None:
    """Sign a blank page with ``credentials``, without a timestamp: SigningError if pyHanko cannot use them."""
    from pypdf import PdfWriter

    blank = PdfWriter()
    blank.add_blank_page(width=72, height=72)
    buffer = io.BytesIO()
    blank.write(buffer)
    sign_pdf(buffer.getvalue(), credentials, timestamp=False)


def sign_if_configured(pdf: bytes) -> tuple[bytes, Signer | None]:
    """(signed pdf, its signer) when signing is configured, else (pdf, None) unchanged. SigningError if it fails."""
    if not configured():
        return pdf, None
    try:
        credentials = load()
        signed = sign_pdf(pdf, credentials)
    except SigningError as error:
        logger.error("letter signing failed: %s", error)
        raise
    logger.info(
        "letter signed by %s (certificate %s, SHA-256 %s), %s bytes",
        credentials.signer.name,
        credentials.signer.subject,
        credentials.signer.fingerprint,
        len(signed),
    )
    return signed, credentials.signer
