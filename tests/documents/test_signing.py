"""Signed letters: one PAdES signature of the organisation, intact, over the whole file, added incrementally.

The certificates are made here with ``cryptography`` (a root CA, an intermediate, the organisation's
signing certificate and some broken ones) and written to a temporary folder; the settings point at them.
Nothing touches the network: validation trusts the test root and fetches nothing.
"""

import datetime as dt
import hashlib
import io
import logging
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from PIL import Image, ImageChops

from cases.models import Case, Event
from documents import letters
from documents.checks import letter_signing_usable
from documents.letters import signing
from documents.letters.render import ASSET_BASE, _letter_fetcher_class
from documents.models import Document
from tests.factories import merchant, open_case
from wizard.templatetags.ladder import describe_event

NOW = dt.datetime(2026, 12, 3, 10, tzinfo=dt.UTC)
PASSPHRASE = "Tr0ub4dor&3-印章-not-in-any-log"
ORGANISATION = "Merchants' Mutual Aid Volunteers"
DAY = dt.timedelta(days=1)


def name(common_name, organisation=None):
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    return x509.Name(attributes)


def certificate(subject, key, issuer=None, issuer_key=None, *, ca=False, not_before=None, not_after=None):
    """A certificate for ``key``; self-signed without an issuer. Valid a year around NOW unless told."""
    issuer_name = issuer.subject if issuer is not None else subject
    usage = dict.fromkeys(
        [
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ],
        False,
    )
    usage.update(key_cert_sign=ca, crl_sign=ca, digital_signature=True, content_commitment=not ca)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or NOW - 180 * DAY)
        .not_valid_after(not_after or NOW + 180 * DAY)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    return builder.sign(issuer_key or key, hashes.SHA256())


def pem(cert):
    return cert.public_bytes(serialization.Encoding.PEM)


def key_pem(key, passphrase=None):
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


@dataclass
class Pki:
    """The test root, an intermediate, the organisation's key and certificate, and broken variants, as files."""

    folder: Path
    root: x509.Certificate
    certificate: x509.Certificate

    def __getitem__(self, file):
        return str(self.folder / file)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pki")
    root_key = ec.generate_private_key(ec.SECP256R1())
    root = certificate(name("Test Root CA"), root_key, ca=True, not_after=NOW + 3650 * DAY)
    intermediate_key = ec.generate_private_key(ec.SECP256R1())
    intermediate = certificate(name("Test Intermediate CA"), intermediate_key, root, root_key, ca=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    organisation = name("Letters of " + ORGANISATION, ORGANISATION)
    signer = certificate(organisation, key, intermediate, intermediate_key)
    other_key = ec.generate_private_key(ec.SECP256R1())
    files = {
        "root.pem": pem(root),
        "chain.pem": pem(intermediate),
        "cert.pem": pem(signer),
        "key.pem": key_pem(key, PASSPHRASE),
        "plain-key.pem": key_pem(key),
        "other-key.pem": key_pem(other_key, PASSPHRASE),
        "expired.pem": pem(
            certificate(
                organisation, key, intermediate, intermediate_key, not_before=NOW - 400 * DAY, not_after=NOW - DAY
            )
        ),
        "future.pem": pem(certificate(organisation, key, intermediate, intermediate_key, not_before=NOW + DAY)),
        "ending.pem": pem(certificate(organisation, key, intermediate, intermediate_key, not_after=NOW + 10 * DAY)),
        "garbage.pem": b"-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n",
    }
    files["readable-key.pem"] = files["key.pem"]
    for file, data in files.items():
        (folder / file).write_bytes(data)
        (folder / file).chmod(0o644 if file == "readable-key.pem" else 0o600)
    return Pki(folder, root, signer)


@pytest.fixture
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def signing_on(settings, pki, frozen):
    settings.LETTER_SIGNING_KEY = pki["key.pem"]
    settings.LETTER_SIGNING_CERT = pki["cert.pem"]
    settings.LETTER_SIGNING_CHAIN = pki["chain.pem"]
    settings.LETTER_SIGNING_PASSPHRASE = PASSPHRASE
    settings.LETTER_SIGNING_NAME = ORGANISATION
    settings.LETTER_SIGNING_REASON = "Issued through the dispute ladder"
    settings.LETTER_SIGNING_LOCATION = "Chengdu"
    settings.LETTER_SIGNING_TIMESTAMP_URL = ""
    return settings


@pytest.fixture
def case(ladder, media):
    owner = merchant("owner@example.com", full_name="王小红")
    return open_case(owner)


def refund_application(case):
    return letters.find_letter(case, "refund_application")


def pdfa_letter(case, language="zh-hans"):
    """The refund application as PDF/A-3a, whatever documents.letters.render writes today."""
    import weasyprint

    html, _pdf = letters.render_pdf(case, refund_application(case), language)
    return weasyprint.HTML(string=html, base_url=ASSET_BASE, url_fetcher=_letter_fetcher_class()()).write_pdf(
        pdf_variant="pdf/a-3a"
    )


def validate(pdf, pki):
    """pyHanko's verdict on the one signature of ``pdf``, trusting the test root only and fetching nothing."""
    from asn1crypto import x509 as asn1_x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(pdf))
    [embedded] = reader.embedded_signatures
    root = asn1_x509.Certificate.load(pki.root.public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    return embedded, validate_pdf_signature(embedded, context)


def fingerprint(cert):
    return cert.fingerprint(hashes.SHA256()).hex()


pytestmark = pytest.mark.django_db


# ----- the signature itself ------------------------------------------------------------------------------


def test_a_signed_letter_has_one_intact_trusted_signature_over_the_whole_file(case, pki, signing_on):
    original = pdfa_letter(case)
    signed = signing.sign_pdf(original)

    embedded, status = validate(signed, pki)
    assert status.intact and status.valid and status.trusted  # the chain came from LETTER_SIGNING_CHAIN
    assert status.bottom_line
    assert status.coverage.name == "ENTIRE_FILE"
    assert fingerprint(pki.certificate) == status.signing_cert.sha256_fingerprint.replace(" ", "").lower()
    # The signed ranges are the whole file but the signature's own value, a hex string.
    start, first, second, rest = embedded.sig_object["/ByteRange"]
    assert start == 0 and second + rest == len(signed)
    assert re.fullmatch(rb"<[0-9a-fA-F]+>", signed[first:second])
    # PAdES baseline, with the organisation named as the signer.
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert embedded.sig_object["/Name"] == ORGANISATION
    assert embedded.sig_object["/Reason"] == "Issued through the dispute ladder"
    assert embedded.sig_object["/Location"] == "Chengdu"


def test_signing_is_an_incremental_update_that_keeps_the_pdfa_identification(case, signing_on):
    original = pdfa_letter(case)
    signed = signing.sign_pdf(original)
    assert signed.startswith(original)  # every byte of the rendered letter is still there, first

    with pikepdf.open(io.BytesIO(original)) as before, pikepdf.open(io.BytesIO(signed)) as after:
        # The metadata is the renderer's, untouched: the XMP packet and the Info dictionary still agree.
        assert after.Root.Metadata.read_bytes() == before.Root.Metadata.read_bytes()
        assert dict(after.docinfo.items()) == dict(before.docinfo.items())
        xmp = after.open_metadata()  # read only: not used as a context manager, which would write it back
        assert xmp["pdfaid:part"] == "3"
        assert xmp["pdfaid:conformance"] == "A"
        # Still tagged, with its output intent and language.
        assert "/StructTreeRoot" in after.Root
        assert after.Root.MarkInfo.Marked
        assert after.Root.OutputIntents[0].S == "/GTS_PDFA1"
        assert after.Root.Lang == before.Root.Lang
        # The signature's widget is invisible the way PDF/A allows: zero size, printable, never hidden.
        form = after.Root.AcroForm
        assert "/NeedAppearances" not in form
        [field] = form.Fields
        assert field.FT == "/Sig" and field.Subtype == "/Widget"
        left, bottom, right, top = (float(value) for value in field.Rect)
        assert left == right and bottom == top
        flags = int(field.F)
        assert flags & 4  # print
        assert not flags & (1 | 2 | 32)  # invisible, hidden, no view
        assert len(after.pages) == len(before.pages)


def test_the_signed_letter_looks_exactly_like_the_unsigned_one(case, signing_on, tmp_path):
    original = pdfa_letter(case)
    (tmp_path / "unsigned.pdf").write_bytes(original)
    (tmp_path / "signed.pdf").write_bytes(signing.sign_pdf(original))
    for stem in ("unsigned", "signed"):
        subprocess.run(
            ["pdftoppm", "-r", "70", "-png", str(tmp_path / f"{stem}.pdf"), str(tmp_path / stem)],
            check=True,
            timeout=60,
        )
    unsigned_pages = sorted(tmp_path.glob("unsigned-*.png"))
    signed_pages = sorted(tmp_path.glob("signed-*.png"))
    assert len(unsigned_pages) == len(signed_pages) >= 1
    for before, after in zip(unsigned_pages, signed_pages, strict=True):
        with Image.open(before) as old, Image.open(after) as new:
            assert ImageChops.difference(old.convert("RGB"), new.convert("RGB")).getbbox() is None


# ----- issuing ---------------------------------------------------------------------------------------------


@pytest.fixture
def rendered(monkeypatch):
    """The PDFs documents.letters.issue renders, as rendered (before any signature)."""
    pdfs = []
    render = letters.render_pdf

    def spy(*args, **kwargs):
        html, pdf = render(*args, **kwargs)
        pdfs.append(pdf)
        return html, pdf

    monkeypatch.setattr(letters, "render_pdf", spy)
    return pdfs


def test_issuing_signs_the_letter_before_it_is_frozen(case, pki, signing_on, rendered):
    document = letters.issue(case, refund_application(case), "zh-hans", case.owner)

    with document.pdf.open("rb") as handle:
        stored = handle.read()
    assert stored.startswith(rendered[0]) and len(stored) > len(rendered[0])
    assert document.sha256 == hashlib.sha256(stored).hexdigest() and document.size == len(stored)
    _embedded, status = validate(stored, pki)
    assert status.bottom_line
    assert document.signed_by == ORGANISATION
    assert document.signer_certificate == fingerprint(pki.certificate)

    event = case.events.get(kind=Event.Kind.DOCUMENT_ISSUED)
    assert event.data["signed_by"] == ORGANISATION
    assert event.data["certificate"] == "Letters of " + ORGANISATION
    assert event.data["certificate_sha256"] == fingerprint(pki.certificate)
    assert event.data["sha256"] == document.sha256


def test_the_timeline_and_the_documents_list_say_who_signed(client, case, pki, signing_on):
    client.force_login(case.owner)
    response = client.post(reverse("documents:letter_issue", args=[case.pk, "refund_application"]), {"language": "en"})
    assert response.status_code == 302

    from django.utils import translation

    event = case.events.get(kind=Event.Kind.DOCUMENT_ISSUED)
    with translation.override("en"):
        line = describe_event(event)
    assert f"signed by {ORGANISATION}" in line
    assert "Letters of " + ORGANISATION in line and fingerprint(pki.certificate) in line

    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "由Merchants&#x27; Mutual Aid Volunteers签名" in page  # in the merchant's language
    timeline = client.get(reverse("cases:timeline", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert fingerprint(pki.certificate) in timeline


def test_unconfigured_signing_leaves_the_letter_as_rendered(case, settings, frozen, rendered):
    settings.LETTER_SIGNING_KEY = settings.LETTER_SIGNING_CERT = ""
    pdf = b"%PDF-1.7 not even parsed"
    assert signing.sign_if_configured(pdf) == (pdf, None)
    assert letter_signing_usable() == []

    document = letters.issue(case, refund_application(case), "zh-hans", case.owner)
    with document.pdf.open("rb") as handle:
        assert handle.read() == rendered[0]
    assert document.signed_by == "" and not document.is_signed
    assert "signed_by" not in case.events.get(kind=Event.Kind.DOCUMENT_ISSUED).data


def test_previews_and_drafts_are_never_signed(client, case, signing_on):
    _html, draft = letters.render_pdf(case, refund_application(case), "zh-hans")
    assert b"/ByteRange" not in draft and b"/Sig" not in draft
    client.force_login(case.owner)
    preview = client.get(reverse("documents:letter_preview", args=[case.pk, "refund_application"]))
    assert preview["Content-Type"].startswith("text/html")


def test_a_letter_signed_now_is_a_new_version_of_one_issued_unsigned(case, pki, settings, signing_on):
    letter = refund_application(case)
    settings.LETTER_SIGNING_KEY = settings.LETTER_SIGNING_CERT = ""
    unsigned = letters.issue(case, letter, "zh-hans", case.owner)
    settings.LETTER_SIGNING_KEY, settings.LETTER_SIGNING_CERT = pki["key.pem"], pki["cert.pem"]
    signed = letters.issue(case, letter, "zh-hans", case.owner)
    again = letters.issue(case, letter, "zh-hans", case.owner)  # a double click
    assert (unsigned.version, signed.version, again.version) == (1, 2, 2)
    assert signed.is_signed and not again.created
    assert Document.objects.count() == 2


def test_a_letter_that_cannot_be_signed_is_not_issued_and_the_merchant_is_told(client, case, pki, signing_on, caplog):
    signing_on.LETTER_SIGNING_PASSPHRASE = "wrong " + PASSPHRASE
    caplog.set_level(logging.DEBUG)
    client.force_login(case.owner)
    response = client.post(
        reverse("documents:letter_issue", args=[case.pk, "refund_application"]),
        {"language": "en"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert response.status_code == 200
    assert "无法用机构证书为文书签名，因此未出具" in response.content.decode()  # in the merchant's language
    assert not Document.objects.exists()
    assert not case.events.filter(kind=Event.Kind.DOCUMENT_ISSUED).exists()
    assert "LETTER_SIGNING_PASSPHRASE is wrong" in caplog.text  # the administrators learn why
    assert PASSPHRASE not in caplog.text
    Case.objects.get(pk=case.pk)  # nothing else was touched


# ----- the system check ----------------------------------------------------------------------------------


def check_messages():
    return [(message.id, f"{message.msg} {message.hint or ''}") for message in letter_signing_usable()]


def test_a_good_configuration_passes_the_check_and_leaves_no_passphrase_in_the_logs(signing_on, case, caplog):
    caplog.set_level(logging.DEBUG)
    assert check_messages() == []
    letters.issue(case, refund_application(case), "zh-hans", case.owner)
    assert "letter signed by" in caplog.text
    assert PASSPHRASE not in caplog.text


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"LETTER_SIGNING_KEY": "/nonexistent/key.pem"}, "LETTER_SIGNING_KEY: cannot read /nonexistent/key.pem"),
        ({"LETTER_SIGNING_CERT": "/nonexistent/cert.pem"}, "LETTER_SIGNING_CERT: cannot read /nonexistent/cert.pem"),
        ({"LETTER_SIGNING_CHAIN": "/nonexistent/chain.pem"}, "LETTER_SIGNING_CHAIN: cannot read"),
        ({"LETTER_SIGNING_PASSPHRASE": "not " + PASSPHRASE}, "LETTER_SIGNING_PASSPHRASE is wrong"),
        ({"LETTER_SIGNING_PASSPHRASE": ""}, "is encrypted, and LETTER_SIGNING_PASSPHRASE is not set"),
        ({"LETTER_SIGNING_KEY": "plain-key.pem"}, "is not encrypted, but LETTER_SIGNING_PASSPHRASE is set"),
        ({"LETTER_SIGNING_KEY": "other-key.pem"}, "does not belong to the certificate"),
        ({"LETTER_SIGNING_KEY": "cert.pem"}, "holds no PEM private key"),
        ({"LETTER_SIGNING_CERT": "expired.pem"}, "expired on 2026-12-02"),
        ({"LETTER_SIGNING_CERT": "future.pem"}, "is valid only from 2026-12-04"),
        ({"LETTER_SIGNING_CERT": "garbage.pem"}, "holds no PEM certificate"),
        ({"LETTER_SIGNING_CERT": ""}, "LETTER_SIGNING_CERT is not set"),
        ({"LETTER_SIGNING_KEY": ""}, "LETTER_SIGNING_KEY is not set"),
    ],
)
def test_the_check_says_why_the_key_or_certificate_cannot_sign(signing_on, pki, changes, reason, caplog):
    caplog.set_level(logging.DEBUG)
    for setting, value in changes.items():
        setattr(signing_on, setting, pki[value] if value.endswith(".pem") and "/" not in value else value)
    [(check_id, text)] = check_messages()
    assert check_id == "documents.E001"
    assert reason in text
    assert PASSPHRASE not in text and PASSPHRASE not in caplog.text
    # An issue now fails the same way instead of issuing an unsigned letter.
    with pytest.raises(signing.SigningError, match=re.escape(reason)):
        signing.sign_if_configured(b"%PDF-1.7")


def test_the_check_stops_start_up_and_warns_before_the_certificate_ends(signing_on, pki):
    signing_on.LETTER_SIGNING_PASSPHRASE = "not " + PASSPHRASE
    with pytest.raises(SystemCheckError) as stopped:
        call_command("check")
    assert "documents.E001" in str(stopped.value) and PASSPHRASE not in str(stopped.value)

    signing_on.LETTER_SIGNING_PASSPHRASE = PASSPHRASE
    signing_on.LETTER_SIGNING_CERT = pki["ending.pem"]
    [(check_id, text)] = check_messages()
    assert check_id == "documents.W001"
    assert "expires on 2026-12-13" in text

    signing_on.LETTER_SIGNING_CERT = pki["cert.pem"]
    signing_on.LETTER_SIGNING_KEY = pki["readable-key.pem"]
    [(check_id, text)] = check_messages()
    assert check_id == "documents.W002"
    assert "can be read by every user" in text and "chmod 600" in text


def test_no_timestamp_authority_unless_one_is_configured(signing_on):
    assert signing._timestamper() is None
    signing_on.LETTER_SIGNING_TIMESTAMP_URL = "https://tsa.example.invalid/tsr"
    timestamper = signing._timestamper()
    assert timestamper.url == "https://tsa.example.invalid/tsr"
    assert timestamper.timeout == signing_on.LETTER_SIGNING_TIMESTAMP_TIMEOUT


def test_the_passphrase_is_hidden_on_error_pages(signing_on):
    from django.views.debug import SafeExceptionReporterFilter

    shown = SafeExceptionReporterFilter().get_safe_settings()
    assert shown["LETTER_SIGNING_PASSPHRASE"] != PASSPHRASE
