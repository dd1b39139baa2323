"""A standard PDF signature on every report (pyHanko, PAdES), and checking one on an uploaded copy.

Key and certificate come from configuration (PEM files). Without them the portal generates a
self-signed pair once into instance/report_signing/: readers then show who signed and that the file
is unaltered, and say the signer is not in their trust list; a certificate from a recognised CA,
configured in production, removes that warning.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import SignatureCoverageLevel, async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

FIELD_NAME = "PortalReportSignature"
# Room for the CMS signature (certificate included); measured need with a 2048-bit RSA key: ~2 KB.
BYTES_RESERVED = 16384
SELF_SIGNED_YEARS = 10


@dataclass(frozen=True)
class Identity:
    key: Path
    cert: Path
    password: bytes | None = None


def identity(config) -> Identity:
    """The configured key pair, or the generated self-signed one."""
    key, cert = config["PORTAL_REPORT_SIGNING_KEY"], config["PORTAL_REPORT_SIGNING_CERT"]
    if key or cert:
        if not (key and cert):
            raise RuntimeError("PORTAL_REPORT_SIGNING_KEY and PORTAL_REPORT_SIGNING_CERT must be set together")
        return Identity(Path(key), Path(cert), config["PORTAL_REPORT_SIGNING_KEY_PASSWORD"].encode() or None)
    folder = Path(config["PORTAL_REPORT_SIGNING_DIR"])
    if not (folder / "cert.pem").exists():
        generate_self_signed(folder, config["PORTAL_REPORT_SIGNER_NAME"])
    return Identity(folder / "key.pem", folder / "cert.pem")


def generate_self_signed(folder: Path, organisation: str) -> None:
    """Key and certificate written to a fresh folder, then moved into place: a concurrent first use keeps one."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{organisation} 信用报告签章（自签名）"),
        ]
    )
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * SELF_SIGNED_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=folder.parent, prefix=".report-signing-"))
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(staging / "key.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key_pem)
    (staging / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    try:
        os.rename(staging, folder)
    except OSError:  # another process got there first: use its pair
        shutil.rmtree(staging, ignore_errors=True)


@cache
def _signer(ident: Identity) -> signers.SimpleSigner:
    signer = signers.SimpleSigner.load(str(ident.key), str(ident.cert), key_passphrase=ident.password)
    if signer is None:
        raise RuntimeError(f"cannot load the report signing key {ident.key} with certificate {ident.cert}")
    return signer


def sign(pdf: bytes, ident: Identity, *, reason: str, location: str, name: str) -> bytes:
    """The PDF with an invisible signature over the whole file (an incremental update)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason,
        location=location,
        name=name,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    signer = signers.PdfSigner(meta, _signer(ident))
    return _run(lambda: signer.async_sign_pdf(writer, bytes_reserved=BYTES_RESERVED)).getvalue()


def _run(make_coroutine):
    """pyHanko works in asyncio. Its own sync wrappers call asyncio.run(), which fails in a thread that
    already runs an event loop (an async server, Playwright's sync API in tests): run apart there."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coroutine())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make_coroutine())).result()


@dataclass(frozen=True)
class SignatureCheck:
    present: bool
    intact: bool = False  # the signed bytes are unchanged
    whole_file: bool = False  # nothing was added after signing
    trusted: bool = False  # signed with this portal's certificate
    signer: str = ""
    signed_at: dt.datetime | None = None

    @property
    def valid(self) -> bool:
        return self.present and self.intact and self.whole_file and self.trusted


def check(pdf: bytes, ident: Identity) -> SignatureCheck:
    """The last signature of an uploaded file, judged against this portal's certificate only."""
    try:
        signatures = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    except Exception:  # not a PDF, or one too broken to read: nothing to check
        return SignatureCheck(present=False)
    if not signatures:
        return SignatureCheck(present=False)
    context = ValidationContext(trust_roots=[load_cert_from_pemder(str(ident.cert))], allow_fetching=False)
    try:
        status = _run(lambda: async_validate_pdf_signature(signatures[-1], context))
    except Exception:  # a signature dictionary that cannot even be parsed proves nothing
        return SignatureCheck(present=True)
    return SignatureCheck(
        present=True,
        intact=bool(status.intact),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        trusted=bool(status.trusted),
        signer=status.signing_cert.subject.human_friendly,
        signed_at=status.signer_reported_dt,
    )
