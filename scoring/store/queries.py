"""Reading the results store: attempt lists, one attempt in full, the seal chain, and the
aggregates the cohort report is built from. Plain dataclasses out; no UI here."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from scoring.seal import Checker, Issue, Keyring, Sealed, is_signature, verify_chain
from scoring.store.core import Store
from scoring.store.dialect import StoreError
from scoring.store.sealed import attempt_content, certification_content, legacy_digest, set_pins


@dataclass(frozen=True, slots=True)
class Filter:
    """Which attempts to read: by trainee name, scenario id, and start time (ISO, UTC)."""

    trainee: str | None = None
    scenario: str | None = None
    since: str | None = None

    def where(self, alias: str = "a") -> tuple[str, list[Any]]:
        """A SQL condition (over ``attempts`` as ``alias`` joined to ``trainees t``)."""
        parts, params = ["1 = 1"], []
        if self.trainee:
            parts.append("LOWER(t.name) = LOWER(?)")
            params.append(" ".join(self.trainee.split()))
        if self.scenario:
            parts.append(f"{alias}.scenario_id = ?")
            params.append(self.scenario)
        if self.since:
            parts.append(f"{alias}.started_at >= ?")
            params.append(self.since)
        return " AND ".join(parts), params


@dataclass(frozen=True, slots=True)
class AttemptRow:
    """One attempt as listed."""

    id: int
    uid: str
    trainee: str
    scenario: str
    title: str
    started_at: str
    finished_at: str | None
    status: str
    percent: float | None
    passed: bool
    pass_mark: int
    answered: int
    certification: int | None
    sha256: str
    outcome: str | None
    critical: int
    sealed: bool


_ROW_SQL = ("SELECT a.id, a.uid, t.name, a.scenario_id, a.scenario_title, a.started_at, "
            "a.finished_at, a.status, a.percent, a.passed, a.pass_mark, a.answered, "
            "a.certification_id, a.scenario_sha256, a.outcome, a.critical, a.seal "
            "FROM attempts a JOIN trainees t ON t.id = a.trainee_id")


def _attempt_row(r: Sequence[Any]) -> AttemptRow:
    return AttemptRow(int(r[0]), r[1], r[2], r[3], r[4], r[5], r[6], r[7],
                      None if r[8] is None else float(r[8]), bool(r[9]), int(r[10]),
                      int(r[11]), None if r[12] is None else int(r[12]), r[13], r[14],
                      int(r[15] or 0), bool(r[16]))


def attempts(store: Store, flt: Filter = Filter()) -> list[AttemptRow]:
    """The attempts matching ``flt``, oldest first."""
    where, params = flt.where()
    with store.read() as cur:
        store.execute(cur, f"{_ROW_SQL} WHERE {where} ORDER BY a.started_at, a.id", params)
        return [_attempt_row(r) for r in cur.fetchall()]


def no_match_reason(store: Store, flt: Filter = Filter()) -> str:
    """Why no attempt matches ``flt``, in one line: an empty store, a trainee or scenario id
    the store has never seen (with the scenario ids it holds), or just no match."""
    where = store.describe()
    with store.read() as cur:
        store.execute(cur, "SELECT COUNT(*) FROM attempts")
        total = int(cur.fetchone()[0])
        if total == 0:
            return f"no attempts recorded yet in {where}"
        if flt.trainee:
            store.execute(cur, "SELECT COUNT(*) FROM trainees WHERE LOWER(name) = LOWER(?)",
                          (" ".join(flt.trainee.split()),))
            if not int(cur.fetchone()[0]):
                return f"no trainee {flt.trainee!r} in {where}"
        if flt.scenario:
            store.execute(cur, "SELECT COUNT(*) FROM attempts WHERE scenario_id = ?",
                          (flt.scenario,))
            if not int(cur.fetchone()[0]):
                store.execute(cur, "SELECT DISTINCT scenario_id FROM attempts "
                                   "ORDER BY scenario_id")
                known = [r[0] for r in cur.fetchall()]
                shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
                return f"no attempts of scenario {flt.scenario!r} in {where} (it holds: {shown})"
    return f"no attempts match (of {total} in {where})"


def find_attempt(store: Store, ref: str) -> int:
    """The id of the attempt named by ``ref``: its number, or its uid (or a unique prefix
    of at least 6 characters)."""
    ref = ref.strip()
    number = ref.isascii() and ref.isdigit()
    uid_like = 6 <= len(ref) <= 36 and all(c in "0123456789abcdef-" for c in ref.lower())
    if not (number or uid_like):
        raise StoreError(f"{ref!r} is not an attempt number or id")
    rows: list[Any] = []
    with store.read() as cur:
        if number and len(ref) <= 18:
            store.execute(cur, "SELECT id FROM attempts WHERE id = ?", (int(ref),))
            rows = cur.fetchall()
        # An id prefix can be all digits too ('69751627'): no such number, so try it as one.
        if not rows and uid_like:
            store.execute(cur, "SELECT id FROM attempts WHERE uid LIKE ?",
                          (ref.lower() + "%",))
            rows = cur.fetchall()
    if not rows:
        raise StoreError(f"no attempt {ref} in {store.describe()}")
    if len(rows) > 1:
        raise StoreError(f"{ref!r} names {len(rows)} attempts; give more of the id")
    return int(rows[0][0])


def attempt_detail(store: Store, attempt_id: int) -> dict[str, Any]:
    """One attempt in full: its sealed content plus seal fields and trainee."""
    with store.read() as cur:
        data = attempt_content(store, cur, attempt_id)
        store.execute(cur, "SELECT seq, prev_seal, seal, key_id, sealed_at, heartbeat_at "
                           "FROM attempts WHERE id = ?", (attempt_id,))
        row = cur.fetchone()
    data["seal"] = {"seq": row[0], "prev": row[1], "seal": row[2], "key_id": row[3],
                    "sealed_at": row[4]}
    data["heartbeat_at"] = row[5]
    return data


def certification_of(store: Store, cert_id: int) -> dict[str, Any]:
    """A certification row with the ids of its attempts in order."""
    with store.read() as cur:
        store.execute(cur, "SELECT c.id, c.uid, t.name, c.scenarios, c.min_mean, c.status, "
                           "c.started_at, c.finished_at, c.passed, c.mean, c.seal, "
                           "c.set_id, c.administered FROM certifications c "
                           "JOIN trainees t ON t.id = c.trainee_id WHERE c.id = ?", (cert_id,))
        r = cur.fetchone()
        if r is None:
            raise StoreError(f"no certification {cert_id} in {store.describe()}")
        pins = None if r[11] is None else set_pins(store, cur, int(r[11]))
        store.execute(cur, "SELECT id FROM attempts WHERE certification_id = ? "
                           "ORDER BY position, id", (cert_id,))
        ids = [int(x[0]) for x in cur.fetchall()]
    return {"id": int(r[0]), "uid": r[1], "trainee": r[2], "scenarios": json.loads(r[3]),
            "min_mean": float(r[4]), "status": r[5], "started_at": r[6], "finished_at": r[7],
            "passed": None if r[8] is None else bool(r[8]),
            "mean": None if r[9] is None else float(r[9]), "seal": r[10], "attempts": ids,
            "set": pins, "administered": r[12]}


def chain(store: Store) -> tuple[list[Sealed], int, str, list[int]]:
    """The sealed records (attempts and certifications, each with its ``kind``) in chain
    order, the chain head (seq, seal), and the ids of closed attempts that carry no seal
    (closed certifications without one are in :func:`unsealed_certifications`)."""
    with store.read() as cur:
        store.execute(cur, "SELECT id, seq, prev_seal, seal, key_id FROM attempts "
                           "WHERE seq IS NOT NULL ORDER BY seq")
        heads = cur.fetchall()
        records = [Sealed(int(r[0]), int(r[1]), r[2] or "", r[3] or "", r[4] or "",
                          attempt_content(store, cur, int(r[0])), "attempt") for r in heads]
        store.execute(cur, "SELECT id, seq, prev_seal, seal, key_id FROM certifications "
                           "WHERE seq IS NOT NULL ORDER BY seq")
        heads = cur.fetchall()
        if heads:
            legacy = legacy_digest(store, cur)
            records += [Sealed(int(r[0]), int(r[1]), r[2] or "", r[3] or "", r[4] or "",
                               certification_content(store, cur, int(r[0]), legacy),
                               "certification") for r in heads]
            records.sort(key=lambda r: (r.seq, r.kind))
        store.execute(cur, "SELECT seq, seal FROM chain WHERE id = 1")
        head = cur.fetchone() or (0, "")
        store.execute(cur, "SELECT id FROM attempts WHERE status <> 'in_progress' "
                           "AND (seal IS NULL OR seq IS NULL) ORDER BY id")
        unsealed = [int(r[0]) for r in cur.fetchall()]
    return records, int(head[0]), head[1] or "", unsealed


def unsealed_certifications(store: Store, cert_id: int | None = None
                            ) -> tuple[list[int], list[int]]:
    """Closed certifications (or just ``cert_id``) that carry no seal: (those that should
    have one, i.e. whose seal was removed or that were closed by hand, and the legacy ones,
    closed before certifications were sealed)."""
    only = "" if cert_id is None else " AND c.id = ?"
    params: tuple[Any, ...] = () if cert_id is None else (cert_id,)
    with store.read() as cur:
        store.execute(cur, "SELECT c.id, l.certification_id FROM certifications c "
                           "LEFT JOIN legacy_certifications l ON l.certification_id = c.id "
                           "WHERE c.status <> 'in_progress' AND (c.seal IS NULL OR c.seq IS "
                           f"NULL){only} ORDER BY c.id", params)
        rows = cur.fetchall()
    stripped = [int(r[0]) for r in rows if r[1] is None]
    legacy = [int(r[0]) for r in rows if r[1] is not None]
    return stripped, legacy


@dataclass(frozen=True, slots=True)
class Verification:
    """What ``calmline verify`` found in a store."""

    issues: list[Issue]
    attempts: int
    """Sealed attempts checked."""
    certifications: int
    """Sealed certifications checked."""
    legacy: list[int]
    """Certifications closed before certification seals (unsealed, not tampered)."""
    hmac: int = 0
    """Records sealed with the HMAC key of older versions (legacy: only the holder of that
    secret can check them), the rest being signed with Ed25519."""


def verify_store(store: Store, key: Checker | Keyring) -> Verification:
    """Check the whole store: the seal chain over attempts and certifications (altered,
    reordered, missing or unsealed records), and each closed certification's verdict
    against its sealed attempts."""
    records, head_seq, head_seal, unsealed = chain(store)
    issues = verify_chain(key, "attempt", records, head_seq, head_seal, unsealed)
    stripped, legacy = unsealed_certifications(store)
    issues += [Issue("unsealed", cid, f"certification {cid}: closed but carries no seal (its "
                     "seal was removed, or it was closed by hand)", "certification", "unsealed")
               for cid in stripped]
    issues += [Issue("altered", cid, f"certification {cid}: {why}", "certification", "verdict")
               for cid, why in certification_problems(store)]
    kinds = [r.kind for r in records]
    from scoring.sets import set_problems

    issues += [Issue(kind, record, message, "certification" if record else "set", "set")
               for kind, record, message in set_problems(store, key)]
    hmac = sum(1 for r in records if not is_signature(r.seal))
    return Verification(issues, kinds.count("attempt"), kinds.count("certification"), legacy,
                        hmac)


def certification_problems(store: Store, cert_id: int | None = None) -> list[tuple[int, str]]:
    """Closed certifications (or just ``cert_id``) whose recorded verdict is not the one
    their attempts give: (certification id, what is wrong). This holds for legacy rows
    (closed before certifications were sealed) too, and names the problem in plain words
    where a sealed row's seal only says that something changed."""
    from scoring.store.rules import certification_verdict, first_at_each_position

    only = "" if cert_id is None else " AND id = ?"
    params: tuple[Any, ...] = () if cert_id is None else (cert_id,)
    with store.read() as cur:
        store.execute(cur, "SELECT id, scenarios, min_mean, status, passed, mean FROM "
                           f"certifications WHERE status <> 'in_progress'{only} ORDER BY id",
                      params)
        certs = cur.fetchall()
        store.execute(cur, "SELECT certification_id, position, status, passed, percent, "
                           "scenario_id FROM attempts WHERE certification_id IS NOT NULL"
                           f"{only.replace('id', 'certification_id')} "
                           "ORDER BY certification_id, position, id", params)
        by_cert: dict[int, list[Sequence[Any]]] = {}
        for r in cur.fetchall():
            by_cert.setdefault(int(r[0]), []).append(r)
    problems: list[tuple[int, str]] = []
    for cid, scenarios_text, min_mean, status, rec_passed, rec_mean in certs:
        cid = int(cid)
        try:
            scenarios = json.loads(scenarios_text)
            if not isinstance(scenarios, list) or not scenarios:
                raise ValueError
        except (TypeError, ValueError):
            problems.append((cid, "its list of scenarios is damaged"))
            continue
        rows = by_cert.get(cid, [])
        if any(not 1 <= int(r[1]) <= len(scenarios) or scenarios[int(r[1]) - 1] != r[5]
               for r in rows):
            problems.append((cid, "its list of scenarios does not match its attempts"))
            continue
        counted = first_at_each_position(
            (int(r[1]), (r[2], int(r[3] or 0), float(r[4] or 0.0))) for r in rows)
        passed, mean = certification_verdict(counted, len(scenarios), float(min_mean))
        said = bool(rec_passed)
        if status == "abandoned" and said:
            problems.append((cid, "recorded as passed, but it was abandoned"))
        elif status == "finished" and (said != passed or rec_mean is None
                                       or abs(float(rec_mean) - mean) > 0.05):
            shown = "-" if rec_mean is None else f"{float(rec_mean):.1f}%"
            problems.append((cid, f"recorded as {'passed' if said else 'not passed'} "
                                  f"(mean {shown}), but its sealed attempts give "
                                  f"{'passed' if passed else 'not passed'} "
                                  f"(mean {mean:.1f}%)"))
        elif status not in ("finished", "abandoned"):
            problems.append((cid, f"has an unknown status {status!r}"))
    return problems


@dataclass(frozen=True, slots=True)
class PrincipleTally:
    """One principle over the cohort's finished attempts."""

    principle: str
    attempts: int
    mean: float
    below_pass: int


@dataclass(frozen=True, slots=True)
class ChoiceTally:
    """How often a choice was taken at a node, and how often that answer lost points."""

    scenario: str
    node: str
    choice: str
    say: str
    count: int
    wrong: int


@dataclass(frozen=True, slots=True)
class ReportData:
    """Everything the cohort report is computed from."""

    attempts: list[AttemptRow]
    principles: list[PrincipleTally]
    choices: list[ChoiceTally]


def report_data(store: Store, flt: Filter = Filter()) -> ReportData:
    """Read the cohort report's inputs in one snapshot (aggregated in the database)."""
    where, params = flt.where()
    with store.read() as cur:
        store.execute(cur, f"{_ROW_SQL} WHERE {where} ORDER BY a.started_at, a.id", params)
        rows = [_attempt_row(r) for r in cur.fetchall()]
        store.execute(cur, "SELECT p.principle, COUNT(*), AVG(p.percent), "
                           "SUM(CASE WHEN p.percent < a.pass_mark THEN 1 ELSE 0 END) "
                           "FROM attempt_principles p JOIN attempts a ON a.id = p.attempt_id "
                           "JOIN trainees t ON t.id = a.trainee_id "
                           f"WHERE a.status = 'finished' AND p.best > 0 AND {where} "
                           "GROUP BY p.principle",
                      params)
        principles = [PrincipleTally(r[0], int(r[1]), round(float(r[2]), 1), int(r[3]))
                      for r in cur.fetchall()]
        store.execute(cur, "SELECT a.scenario_id, n.node, n.choice, MIN(n.say), COUNT(*), "
                           "SUM(CASE WHEN n.total < 0 OR n.critical = 1 THEN 1 ELSE 0 END) "
                           "FROM answers n JOIN attempts a ON a.id = n.attempt_id "
                           f"JOIN trainees t ON t.id = a.trainee_id WHERE {where} "
                           "GROUP BY a.scenario_id, n.node, n.choice", params)
        choices = [ChoiceTally(r[0], r[1], r[2], r[3], int(r[4]), int(r[5]))
                   for r in cur.fetchall()]
    return ReportData(rows, principles, choices)


def export_rows(store: Store, flt: Filter = Filter()) -> list[dict[str, Any]]:
    """Every matching attempt in full (content and seal), oldest first."""
    ids = [a.id for a in attempts(store, flt)]
    return [attempt_detail(store, i) for i in ids]
