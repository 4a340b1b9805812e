"""Ed25519 signatures: the classroom's private signing key, public keys and fingerprints.

Records and certificates are signed with a private key that only the trainer's server holds
(``signing.key`` in the config folder, owner-only); anyone holding the public key, or checking
a key against its published fingerprint, can verify them without being able to sign.
``cryptography`` is imported only when a key is loaded, so commands that never sign or verify
do not pay for it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scoring.seal import SealError, config_dir
from scoring.secretfile import write_once

KEY_FILE = "signing.key"
PREFIX = "ed25519:"
"""Every signature's text starts with this (HMAC seals are bare hex)."""
_PEM_PUBLIC = b"-----BEGIN PUBLIC KEY-----"
_PEM_PRIVATE = b"-----BEGIN PRIVATE KEY-----"


def key_path() -> Path:
    """Where the private signing key lives."""
    return config_dir() / KEY_FILE


def fingerprint_of(raw: bytes) -> str:
    """The fingerprint of a raw 32-byte public key: SHA-256, first 128 bits, in groups of 4."""
    digest = hashlib.sha256(b"calmline ed25519 public key:" + raw).hexdigest()[:32]
    return "-".join(digest[i:i + 4] for i in range(0, 32, 4))


def normal_fingerprint(text: str) -> str:
    """A fingerprint as typed (any case, with or without dashes or spaces), normalised;
    SealError when it is not one."""
    digits = "".join(ch for ch in str(text).lower() if ch not in "-: ")
    if len(digits) != 32 or any(ch not in "0123456789abcdef" for ch in digits):
        raise SealError(f"{str(text)[:60]!r} is not a key fingerprint (32 hex digits, as "
                        "'calmline key --public' prints it)")
    return "-".join(digits[i:i + 4] for i in range(0, 32, 4))


@dataclass(frozen=True, slots=True)
class PublicKey:
    """An Ed25519 public key: verifies signatures, cannot make them."""

    raw: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.raw)

    @property
    def id(self) -> str:
        """The id records name their key by."""
        return "ed25519-" + self.fingerprint.replace("-", "")[:16]

    @property
    def text(self) -> str:
        """The key as one line of base64 (what ``calmline key --public`` prints)."""
        return base64.b64encode(self.raw).decode("ascii")

    def pem(self) -> str:
        """The key as a PEM SubjectPublicKeyInfo block (OpenSSL reads it)."""
        from cryptography.hazmat.primitives import serialization

        data: bytes = self._key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo)
        return data.decode("ascii")

    def _key(self) -> Any:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        return Ed25519PublicKey.from_public_bytes(self.raw)

    def check_message(self, message: bytes, sealed: str) -> bool:
        """True when ``sealed`` is this key's signature of ``message``."""
        if not isinstance(sealed, str) or not sealed.startswith(PREFIX):
            return False
        try:
            signature = base64.urlsafe_b64decode(sealed[len(PREFIX):].encode("ascii"))
        except (ValueError, binascii.Error, UnicodeEncodeError):
            return False
        if len(signature) != 64:
            return False
        from cryptography.exceptions import InvalidSignature

        try:
            self._key().verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True, slots=True)
class SigningKey:
    """The private key that signs records and certificates (the server's alone)."""

    private: Any
    public: PublicKey
    path: Path

    @property
    def id(self) -> str:
        return self.public.id

    def sign_message(self, message: bytes) -> str:
        """The signature of ``message``, as text."""
        return PREFIX + base64.urlsafe_b64encode(self.private.sign(message)).decode("ascii")

    def check_message(self, message: bytes, sealed: str) -> bool:
        return self.public.check_message(message, sealed)


def _write_new(path: Path) -> None:
    """Write a fresh private key atomically with 0600 permissions; keep an existing one."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    write_once(path, pem)


def load_signing_key(create: bool = True, path: Path | None = None) -> SigningKey:
    """The private signing key; created on first use (0600) when ``create``."""
    path = path or key_path()
    if not path.exists():
        if not create:
            raise SealError(f"{path}: no signing key here (it is created by the first "
                            "certification recorded on this machine)")
        try:
            _write_new(path)
        except OSError as exc:
            raise SealError(f"{path}: cannot create the signing key ({exc.strerror})") from None
    try:
        mode = path.stat().st_mode
        if path.stat().st_size > 10_000:
            raise SealError(f"{path}: not a calmline signing key (too large)")
        data = path.read_bytes()
    except OSError as exc:
        raise SealError(f"{path}: cannot read the signing key ({exc.strerror})") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SealError(f"{path}: the signing key is readable by others (mode "
                        f"{stat.S_IMODE(mode):o}); run 'chmod 600 {path}'")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        private = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        private = None
    if not isinstance(private, Ed25519PrivateKey):
        raise SealError(f"{path}: not a calmline signing key (expected an unencrypted "
                        "Ed25519 private key in PEM)")
    raw = private.public_key().public_bytes(serialization.Encoding.Raw,
                                            serialization.PublicFormat.Raw)
    return SigningKey(private, PublicKey(raw), path)


def parse_public_key(data: bytes, where: str = "the public key") -> PublicKey:
    """A public key from PEM, or from one line of base64 or hex; SealError otherwise."""
    text = data.strip()
    if text.startswith(_PEM_PRIVATE):
        raise SealError(f"{where}: this is a private key; give the public key "
                        "('calmline key --public --out FILE' writes it)")
    if text.startswith(_PEM_PUBLIC):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            key = serialization.load_pem_public_key(text)
        except (ValueError, TypeError):
            key = None
        if not isinstance(key, Ed25519PublicKey):
            raise SealError(f"{where}: not an Ed25519 public key")
        return PublicKey(key.public_bytes(serialization.Encoding.Raw,
                                          serialization.PublicFormat.Raw))
    raw = b""
    try:
        line = text.decode("ascii").strip()
        raw = bytes.fromhex(line) if len(line) == 64 else base64.b64decode(line, validate=True)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raw = b""
    if len(raw) != 32:
        raise SealError(f"{where}: not a public key (PEM, or the base64 line "
                        "'calmline key --public' prints)")
    return PublicKey(raw)


def read_public_key(path: str) -> PublicKey:
    """The public key in the file at ``path``; SealError for anything else."""
    try:
        file = Path(path)
        if file.is_file() and file.stat().st_size > 10_000:
            raise SealError(f"{path}: too large to be a public key")
        data = file.read_bytes()
    except OSError as exc:
        raise SealError(f"{path}: cannot read ({exc.strerror})") from None
    return parse_public_key(data, path)


def local_keyring(public_key: str | None = None, fingerprint: str | None = None) -> Any:
    """The keys a check on this machine trusts: the public key in the file ``public_key``
    when given (nothing else: no secret is needed); else this machine's signing key and, for
    records sealed by older versions, its HMAC seal key. ``fingerprint`` must then be the
    fingerprint of the trusted signing key. SealError when there is nothing to trust."""
    from scoring.seal import Keyring, load_key

    if public_key is not None:
        key = read_public_key(public_key)
        if fingerprint is not None and key.fingerprint != normal_fingerprint(fingerprint):
            raise SealError(f"{public_key}: its fingerprint is {key.fingerprint}, not "
                            f"{normal_fingerprint(fingerprint)}")
        return Keyring(key)
    keys: list[Any] = []
    if key_path().exists():
        keys.append(load_signing_key(create=False).public)
    if fingerprint is not None:
        want = normal_fingerprint(fingerprint)
        if not keys or keys[0].fingerprint != want:
            raise SealError(f"no public key with fingerprint {want} here: give the key "
                            "itself with --public-key FILE")
    from scoring.seal import key_path as hmac_path

    if hmac_path().exists():
        keys.append(load_key(create=False))
    if not keys:
        raise SealError(f"{key_path()}: no signing key here; give the trainer's public key "
                        "with --public-key FILE")
    return Keyring(*keys)
