"""Ed25519 signatures: records and certificates are signed with the trainer's private key and
verify with the public key alone; forgeries made without that key fail."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.seal import Keyring, SealKey, canonical
from scoring.signing import fingerprint_of, load_signing_key, parse_public_key
from scoring.store import open_store
from scoring.store.queries import verify_store
from simulator.cli import main
from tests.store.helpers import GOOD, POOR, TINY, certify, scenario


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def signed(tmp_path: Path, config_dir: Path, capsys: pytest.CaptureFixture[str]
           ) -> tuple[str, Path, Path]:
    """A store signed with this config folder's key, a passed certification's certificate,
    and the public key as PEM; the private key is then moved away (verifiers never have it)."""
    url = str(tmp_path / "results.sqlite3")
    key = load_signing_key(create=True)
    with open_store(url) as store:
        certify(store, key, "Ann", [(scenario(), GOOD), (scenario(TINY), ["sorry", "replace"])])
        certify(store, key, "Bob", [(scenario(), POOR)])
    cert = tmp_path / "ann.html"
    assert run(capsys, "certificate", "1", "--out", str(cert), "--db", url)[0] == 0
    public = tmp_path / "trainer.pem"
    assert run(capsys, "key", "--public", "--out", str(public))[0] == 0
    shutil.move(str(key.path), str(tmp_path / "kept-by-the-server.key"))
    return url, cert, public


def test_key_public_prints_the_key_and_its_fingerprint_and_never_the_private_key(
        config_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "key", "--public", "--out", str(tmp_path / "k.pem"))
    key = load_signing_key(create=False)
    assert code == 0 and key.public.text in out and key.public.fingerprint in out
    assert "PRIVATE" not in out and (key.path.stat().st_mode & 0o077) == 0
    pem = (tmp_path / "k.pem").read_text()
    assert pem.startswith("-----BEGIN PUBLIC KEY-----")
    assert parse_public_key(pem.encode()).raw == key.public.raw
    assert fingerprint_of(key.public.raw) == key.public.fingerprint
    code, _, err = run(capsys, "key", "--public", "--out", str(tmp_path / "k.pem"))
    assert code == 1 and "already exists" in err and err.count("\n") == 1


def test_a_signature_verifies_with_openssl_given_only_the_public_key(
        config_dir: Path, tmp_path: Path) -> None:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    key = load_signing_key(create=True)
    message = canonical({"kind": "attempt", "content": {"total": 3}, "prev": ""})
    import base64

    sig = base64.urlsafe_b64decode(key.sign_message(message)[len("ed25519:"):])
    (tmp_path / "m").write_bytes(message)
    (tmp_path / "s").write_bytes(sig)
    (tmp_path / "p.pem").write_text(key.public.pem())
    done = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                           str(tmp_path / "p.pem"), "-rawin", "-in", str(tmp_path / "m"),
                           "-sigfile", str(tmp_path / "s")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_store_and_certificate_verify_with_the_public_key_and_no_secret(
        signed: tuple[str, Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    url, cert, public = signed
    code, out, _ = run(capsys, "verify", "--db", url, "--public-key", str(public))
    assert code == 0 and "all intact" in out and "legacy" not in out
    code, out, _ = run(capsys, "verify", str(cert), "--public-key", str(public))
    assert code == 0 and "genuine" in out and "self-administered" in out
    fingerprint = parse_public_key(public.read_bytes()).fingerprint
    code, out, _ = run(capsys, "verify", str(cert), "--fingerprint", fingerprint.upper())
    assert code == 0 and "genuine" in out
    text = cert.read_text()
    assert "Self-administered" in text and fingerprint in text


def test_a_certificate_checked_against_the_wrong_public_key_fails(
        signed: tuple[str, Path, Path], tmp_path: Path, config_dir: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    _, cert, public = signed
    other = load_signing_key(create=True)  # a new key in the (now empty) config folder
    (tmp_path / "other.pem").write_text(other.public.pem())
    code, out, _ = run(capsys, "verify", str(cert), "--public-key", str(tmp_path / "other.pem"))
    assert code == 1 and "not the public key given" in out
    code, out, _ = run(capsys, "verify", str(cert), "--fingerprint", other.public.fingerprint)
    assert code == 1 and "not the published" in out
    code, _, err = run(capsys, "verify", str(cert), "--fingerprint", "12ab")
    assert code == 1 and "not a key fingerprint" in err


def test_a_store_re_sealed_without_the_private_key_fails(
        signed: tuple[str, Path, Path], config_dir: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A dishonest trainee flips Bob's failed attempt to passed and re-signs the whole
    chain with a key of their own: with the trainer's public key, every record shows."""
    url, _, public = signed
    forger = load_signing_key(create=True)
    with open_store(url) as store:
        with store.write() as cur:
            store.execute(cur, "UPDATE attempts SET passed = 1, percent = 100 WHERE id = 3")
            store.execute(cur, "UPDATE certifications SET passed = 1, mean = 100 WHERE id = 2")
        from tests.certify.forgery import reseal

        reseal(store, forger)
        assert verify_store(store, Keyring(forger.public)).issues == []
        issues = verify_store(store, Keyring(parse_public_key(public.read_bytes()))).issues
    assert issues and all("another key" in i.message for i in issues)
    code, out, _ = run(capsys, "verify", "--db", url, "--public-key", str(public))
    assert code == 1 and "sealed with another key" in out


def test_an_edited_signed_certificate_fails(signed: tuple[str, Path, Path],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    _, cert, public = signed
    text = cert.read_text()
    cert.write_text(text.replace("Ann", "Eve"))
    code, out, _ = run(capsys, "verify", str(cert), "--public-key", str(public))
    assert code == 1 and ("altered" in out or "edited" in out)
    # swapping in the forger's own public key and fingerprint does not help either
    data = json.loads(re.search(r'id="calmline-seal">(.*?)</script>', text, re.S)[1])
    data["content"]["certification"]["mean"] = 99.0
    cert.write_text(text.replace(re.search(r'id="calmline-seal">(.*?)</script>', text, re.S)[1],
                                 json.dumps(data)))
    code, out, _ = run(capsys, "verify", str(cert), "--public-key", str(public))
    assert code == 1


def test_an_hmac_sealed_store_still_verifies_and_is_reported_as_legacy(
        tmp_path: Path, seal_key: SealKey, capsys: pytest.CaptureFixture[str]) -> None:
    url = str(tmp_path / "old.sqlite3")
    with open_store(url) as store:
        certify(store, seal_key, "Ann", [(scenario(), GOOD)])
    load_signing_key(create=True)
    code, out, _ = run(capsys, "verify", "--db", url)
    assert code == 0 and "all intact" in out and "legacy: 2 records sealed with the HMAC" in out
    with open_store(url) as store:  # new records are signed, in the same chain
        certify(store, load_signing_key(), "Bob", [(scenario(), GOOD)])
    code, out, _ = run(capsys, "verify", "--db", url)
    assert code == 0 and "legacy: 2 records" in out and "4 sealed attempts" not in out


def test_commands_that_never_sign_do_not_import_cryptography() -> None:
    code = ("import sys; from simulator.cli import main; main(['list']); "
            "sys.exit(1 if 'cryptography' in sys.modules else 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
