"""Certificates: a printable HTML page for a passed certification that carries its own seal.

The page embeds its content as JSON together with its signature (Ed25519, with the public key
and its fingerprint; HMAC on pages from older versions). :func:`verify` checks the signature
against a trusted public key (or the fingerprint the trainer published), re-renders the page
from the JSON and compares byte for byte, so an edit anywhere in the file shows.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from scoring.rubric import BY_ID
from scoring.seal import Checker, Issue, Keyring, SealKey, Signer, check, is_signature, seal
from scoring.store import Store, StoreError
from scoring.store.queries import (
    attempt_detail,
    certification_of,
    unsealed_certifications,
    verify_store,
)
from scoring.store.rules import first_at_each_position
from simulator.engine.moments import day

FORMAT = 2
SELF = "self-administered"
"""How a certification run on the trainee's own machine is described: its signing key is
whoever ran calmline, so only a classroom certificate vouches for the trainee."""
KIND = "certificate"
_SCRIPT = re.compile(r'<script type="application/json" id="calmline-seal">(.*?)</script>',
                     re.DOTALL)


def payload(store: Store, key: Signer, attempt_id: int, issued_at: str,
            ring: Keyring | None = None) -> dict[str, Any]:
    """The content of the certificate for the certification ``attempt_id`` belongs to.

    Raises StoreError unless the certification passed, its recorded verdict is the one its
    sealed attempts give, its own row carries an intact seal (a certification closed
    before certifications were sealed gets none), and the whole store passes
    verification (checked with ``ring``, default: ``key``)."""
    ring = ring or Keyring(key)  # type: ignore[arg-type]
    detail = attempt_detail(store, attempt_id)
    cert_uid = detail.get("certification")
    if not cert_uid or detail["certification_id"] is None:
        raise StoreError(f"attempt {attempt_id} was not part of a certification")
    cert = certification_of(store, int(detail["certification_id"]))
    cid = cert["id"]
    if cert["status"] != "finished" or not cert["passed"]:
        state = "not passed" if cert["status"] == "finished" else cert["status"]
        raise StoreError(f"certification {cid} ({cert['trainee']}) is {state}; "
                         "certificates are issued for passed certifications only")
    stripped, legacy = unsealed_certifications(store, cid)
    if legacy:
        raise StoreError(f"certification {cid} was closed before certifications were sealed, "
                         "so its row carries no seal; no certificate is issued for an unsealed "
                         "certification (certify again to get one)")
    if stripped:
        raise StoreError(f"certification {cid}: closed but carries no seal; run 'calmline "
                         "verify' (no certificate was written)")
    issues = verify_store(store, ring).issues
    if issues:
        # Name the problem closest to this certification: an altered attempt of it, its
        # verdict, its own seal, then anything missing from the chain, then the rest.
        mine = set(cert["attempts"])

        def own(i: Issue) -> bool:
            return i.subject == "certification" and i.record == cid

        ranked = sorted(issues, key=lambda i: (
            0 if i.subject == "attempt" and i.record in mine else
            1 if own(i) and i.check != "content" else
            2 if own(i) else
            3 if i.kind == "missing" else 4))
        first = ranked[0].message
        if len(issues) == 1 or own(ranked[0]):
            raise StoreError(f"{first}; run 'calmline verify' (no certificate was written)")
        raise StoreError(f"the store fails verification ({len(issues)} problem"
                         f"{'s' if len(issues) != 1 else ''}, first: {first}); "
                         "run 'calmline verify' (no certificate was written)")
    details = [attempt_detail(store, aid) for aid in cert["attempts"]]
    counted = first_at_each_position((int(a["position"]), a) for a in details)
    attempts = []
    for a in sorted(counted, key=lambda a: int(a["position"])):
        s = a.pop("seal")
        content = {k: v for k, v in a.items() if k != "heartbeat_at"}
        checker = ring.find(s.get("key_id") or "")
        if not s["seal"] or checker is None or not check(checker, "attempt", content,
                                                         s["prev"] or "", s["seal"]):
            raise StoreError(f"attempt {a['id']} does not match its seal; run 'calmline "
                             "verify' (no certificate was written)")
        attempts.append({
            "id": a["id"], "uid": a["uid"], "scenario": a["scenario_id"],
            "title": a["scenario_title"], "sha256": a["scenario_sha256"],
            "percent": a["percent"], "pass_mark": a["pass_mark"], "passed": bool(a["passed"]),
            "outcome": a["outcome"], "finished_at": a["finished_at"],
            "rubric_version": a["rubric_version"], "calmline_version": a["calmline_version"],
            "principles": {p["principle"]: p["percent"] for p in a["principles"]},
            "seal": s["seal"],
            **_typed_summary(a),
        })
    out: dict[str, Any] = {
        "format": FORMAT if hasattr(key, "public") else 1,
        "certification": {k: cert[k] for k in ("id", "uid", "trainee", "scenarios", "min_mean",
                                                "started_at", "finished_at", "passed", "mean",
                                                "seal")},
        "attempts": attempts,
        "key_id": key.id,
        "issued_at": issued_at,
    }
    public = getattr(key, "public", None)
    if public is not None:
        out["public_key"] = public.text
        out["fingerprint"] = public.fingerprint
        out["administered"] = cert.get("administered") or SELF
        out["set"] = cert.get("set")
    return out


def _typed_summary(a: Mapping[str, Any]) -> dict[str, Any]:
    """For an attempt answered in the trainee's own words: how many replies were typed, how
    many were taken only after "did you mean", and how many were not recognised (nothing
    for an attempt answered from a list, so those certificates read as before)."""
    if not a.get("typed"):
        return {}
    matches = [ans.get("match", "") for ans in a["answers"]]
    return {"typed": {"replies": sum(1 for m in matches if m),
                      "prompted": matches.count("prompted"),
                      "unmatched": matches.count("unmatched")}}


def _typed_note(attempts: Sequence[Mapping[str, Any]]) -> str:
    """The paragraph saying which scenarios were answered in the trainee's own words."""
    typed = [a for a in attempts if isinstance(a.get("typed"), Mapping)]
    if not typed:
        return ""
    parts = []
    for a in typed:
        t = a["typed"]
        parts.append(f"{_e(a['scenario'])}: {int(t['replies'])} typed, {int(t['prompted'])} "
                     f"taken after &ldquo;did you mean&rdquo;, {int(t['unmatched'])} not "
                     "recognised (scored as silence)")
    every = "Every scenario was" if len(typed) == len(attempts) else "Some scenarios were"
    return (f"<p class=\"meta\">{every} answered in the trainee's own words, typed and "
            "matched offline to the authored replies, with no list of replies to read: "
            f"{'; '.join(parts)}.</p>\n")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


_STYLE = """
@page { size: A4; margin: 18mm; }
body { font-family: Georgia, 'Times New Roman', serif; color: #111; max-width: 46em;
       margin: 2em auto; line-height: 1.4; }
h1 { font-size: 1.9em; text-align: center; margin-bottom: 0.1em; }
.sub { text-align: center; color: #444; margin-top: 0; }
.name { font-size: 1.6em; text-align: center; margin: 1.2em 0 0.2em; }
table { border-collapse: collapse; width: 100%; margin: 1em 0; page-break-inside: avoid; }
th, td { border-bottom: 1px solid #999; padding: 0.3em 0.5em; text-align: left; }
td.n, th.n { text-align: right; }
.meta { font-size: 0.8em; color: #333; }
.seal { font-family: 'DejaVu Sans Mono', monospace; font-size: 0.75em; word-break: break-all; }
@media print { body { margin: 0; max-width: none; } }
""".strip()


def _signature_block(content: Mapping[str, Any], sealed: str) -> str:
    """The paragraphs naming how the page is signed and how to check it."""
    cert = content["certification"]
    if "public_key" not in content:
        return (f"<p class=\"meta\">Certification {_e(cert['uid'])}. Seal (HMAC-SHA256, key\n"
                f"{_e(content['key_id'])}): <span class=\"seal\">{_e(sealed)}</span>. Check "
                "this file with\n<code>calmline verify FILE</code>.</p>")
    administered = str(content.get("administered") or SELF)
    where = ("Self-administered: taken on the trainee's own machine and signed with its own "
             "key, so it vouches for nothing unless that key is the trainer's."
             if administered == SELF else f"Administered: {_e(administered)}.")
    sets = content.get("set")
    pinned = ""
    if isinstance(sets, Mapping) and sets.get("name"):
        pinned = (f"<p class=\"meta\">Approved certification set "
                  f"<strong>{_e(sets['name'])}</strong> (rubric {_e(sets.get('rubric', ''))}), "
                  "every scenario's SHA-256 pinned when the set was approved"
                  + ("; a typed set: every call is answered in the trainee's own words"
                     if sets.get("typed") is True else "") + ".</p>\n")
    return (f"{pinned}<p class=\"meta\">{where}</p>\n"
            f"<p class=\"meta\">Certification {_e(cert['uid'])}. Signed (Ed25519) by the key "
            f"with fingerprint <strong class=\"seal\">{_e(content['fingerprint'])}</strong>; "
            f"public key <span class=\"seal\">{_e(content['public_key'])}</span>; signature "
            f"<span class=\"seal\">{_e(sealed)}</span>. Check this file with\n"
            "<code>calmline verify FILE --fingerprint FINGERPRINT</code>, giving the fingerprint "
            "the trainer published (not the one printed here).</p>")


def render(content: Mapping[str, Any], sealed: str) -> str:
    """The certificate page for ``content`` with its seal (deterministic)."""
    cert = content["certification"]
    attempts = content["attempts"]
    scenario_rows = "\n".join(
        f"<tr><td>{_e(a['title'])} <span class=\"meta\">({_e(a['scenario'])})</span></td>"
        f"<td class=\"n\">{a['percent']:.1f}%</td><td class=\"n\">{a['pass_mark']}%</td>"
        f"<td>{'passed' if a['passed'] else 'not passed'}</td>"
        f"<td class=\"meta\">{a['id']}</td></tr>" for a in attempts)
    by_principle: dict[str, list[float]] = defaultdict(list)
    for a in attempts:
        for pid, percent in a["principles"].items():
            by_principle[pid].append(float(percent))
    principle_rows = "\n".join(
        f"<tr><td>{_e(BY_ID[pid].name if pid in BY_ID else pid)}</td>"
        f"<td class=\"n\">{sum(v) / len(v):.1f}%</td><td class=\"n\">{len(v)}</td></tr>"
        for pid, v in sorted(by_principle.items()))
    versions = sorted({(a["rubric_version"], a["calmline_version"]) for a in attempts})
    provenance = "\n".join(
        f"<li>{_e(a['scenario'])}: scenario file SHA-256 <span class=\"seal\">"
        f"{_e(a['sha256'])}</span>; attempt {_e(a['uid'])}, sealed "
        f"<span class=\"seal\">{_e(a['seal'][:16])}&hellip;</span></li>" for a in attempts)
    data = json.dumps({"content": content, "seal": sealed}, sort_keys=True,
                      ensure_ascii=True).replace("<", "\\u003c")
    min_mean = f"; a mean of at least {cert['min_mean']:g}%" if cert["min_mean"] else ""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>calmline certificate: {_e(cert['trainee'])}</title>
<style>
{_STYLE}
</style>
</head>
<body>
<h1>Certificate of de-escalation training</h1>
<p class="sub">calmline certification {cert['id']}</p>
<p class="name">{_e(cert['trainee'])}</p>
<p class="sub">passed on {_e(day(cert['finished_at']))} with a mean score of
{cert['mean']:.1f}% across {len(attempts)} scenario{'s' if len(attempts) != 1 else ''}</p>
<h2>Scenarios</h2>
<table>
<tr><th>Scenario</th><th class="n">Score</th><th class="n">Pass mark</th><th>Result</th>
<th>Attempt</th></tr>
{scenario_rows}
</table>
<h2>Principles</h2>
<table>
<tr><th>Principle</th><th class="n">Mean score</th><th class="n">Scenarios</th></tr>
{principle_rows}
</table>
<p class="meta">Pass rule: every scenario passed{_e(min_mean)}. Started
{_e(cert['started_at'])}, finished {_e(cert['finished_at'])} (UTC). Rubric version(s)
{_e(', '.join(v[0] for v in versions))}; calmline {_e(', '.join(v[1] for v in versions))}.
Issued {_e(content['issued_at'])}.</p>
<ul class="meta">
{provenance}
</ul>
{_typed_note(attempts)}{_signature_block(content, sealed)}
<script type="application/json" id="calmline-seal">{data}</script>
</body>
</html>
"""


def issue(store: Store, key: Signer, attempt_id: int, issued_at: str,
          ring: Keyring | None = None) -> str:
    """The signed certificate page for the certification of ``attempt_id``."""
    content = payload(store, key, attempt_id, issued_at, ring)
    return render(content, seal(key, KIND, content))


def _signed_by(content: Mapping[str, Any], sealed: str, trusted: Keyring,
               fingerprint: str | None) -> tuple[Checker | None, str]:
    """The key to check the certificate with, or None and why none can be trusted."""
    from scoring.seal import SealError
    from scoring.signing import parse_public_key

    key_id = str(content.get("key_id"))[:40]
    if not is_signature(sealed):
        if key_id.startswith("ed25519-"):
            return None, "the certificate's signature is damaged (altered)"
        found = trusted.find(key_id)
        if not isinstance(found, SealKey):
            return None, (f"sealed with key {key_id} (HMAC, from an older calmline), not this "
                          f"trainer's seal key ({trusted.id})")
        return found, ""
    try:
        embedded = parse_public_key(str(content.get("public_key", "")).encode("ascii"),
                                    "the embedded public key")
    except (SealError, UnicodeEncodeError):
        return None, "the embedded seal data is damaged"
    if embedded.id != key_id or embedded.fingerprint != content.get("fingerprint"):
        return None, "the embedded public key does not match its id or fingerprint (altered)"
    if fingerprint is not None:
        if embedded.fingerprint != fingerprint:
            return None, (f"signed by the key with fingerprint {embedded.fingerprint}, not "
                          f"the published {fingerprint}")
        return embedded, ""
    found = trusted.find(key_id)
    if found is None or getattr(found, "raw", getattr(getattr(found, "public", None), "raw",
                                                         None)) != embedded.raw:
        return None, (f"signed by the key with fingerprint {embedded.fingerprint}, not the "
                      f"public key given ({trusted.id})")
    return found, ""


def verify(text: str, key: Checker | Keyring, fingerprint: str | None = None
           ) -> tuple[bool, str]:
    """Check a certificate page against its signature; return (genuine, one-line verdict).
    ``key`` is the trusted key (or keys); with ``fingerprint``, an Ed25519 page is checked
    with its embedded public key once that key's fingerprint is the one given."""
    trusted = key if isinstance(key, Keyring) else Keyring(key)
    found = _SCRIPT.findall(text)
    if len(found) != 1:
        return False, "not a calmline certificate (no embedded seal)"
    try:
        data = json.loads(found[0])
        content, sealed = data["content"], data["seal"]
        cert = content["certification"]
    except (ValueError, KeyError, TypeError, RecursionError):
        return False, "the embedded seal data is damaged"
    if not isinstance(content, dict) or not isinstance(cert, dict) or not isinstance(sealed,
                                                                                     str):
        return False, "the embedded seal data is damaged"
    checker, why = _signed_by(content, sealed, trusted, fingerprint)
    if checker is None:
        return False, why
    if not check(checker, KIND, content, "", sealed):
        return False, "the certificate's content does not match its signature (altered)"
    try:
        expected = render(content, sealed)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError):
        return False, "the embedded seal data is damaged"
    if expected != text:
        return False, "the page was edited after it was issued (its text differs from the " \
                      "sealed content)"
    how = ("legacy HMAC seal" if isinstance(checker, SealKey) else
           f"signed by {content['fingerprint']}, {content.get('administered') or SELF}")
    return True, (f"genuine: certification {cert['id']} of {cert['trainee']}, passed "
                  f"{day(cert['finished_at'])}, mean {cert['mean']:.1f}% ({how})")
