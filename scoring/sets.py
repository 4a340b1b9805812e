"""Approved certification sets: the scenarios a trainer certifies on, each pinned to the
exact file approved (its bytes and SHA-256) with the rubric version, signed; a set may be
typed (every call answered in the trainee's own words). And the checks ``verify`` makes of
every certification taken from a set (each attempt played the pinned file, its result is
what its signed answers give on that file, and a typed set's attempts were typed)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scoring.rubric import RUBRIC_VERSION
from scoring.seal import Checker, Keyring, Signer, check, seal
from scoring.store import Store, StoreError
from scoring.store.sealed import attempt_content
from simulator.engine.model import Scenario
from simulator.engine.problems import ScenarioError

KIND = "set"
NAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")


@dataclass(frozen=True, slots=True)
class Pinned:
    """One scenario of a set as approved."""

    scenario_id: str
    title: str
    sha256: str
    source: bytes


@dataclass(frozen=True, slots=True)
class ApprovedSet:
    """An approved certification set, read back from the store."""

    id: int
    name: str
    min_mean: float
    rubric_version: str
    created_at: str
    retired_at: str | None
    key_id: str
    signature: str
    scenarios: tuple[Pinned, ...]
    typed: bool = False
    """Every call of the set is answered in the trainee's own words (typed replies)."""

    def content(self) -> dict[str, Any]:
        """What the set's signature covers (``typed`` only when set, so the signatures of
        sets approved before typed sets existed stay valid)."""
        out: dict[str, Any] = {
            "name": self.name, "min_mean": self.min_mean, "rubric": self.rubric_version,
            "created_at": self.created_at,
            "scenarios": [{"id": p.scenario_id, "title": p.title, "sha256": p.sha256}
                          for p in self.scenarios]}
        if self.typed:
            out["typed"] = True
        return out

    def load(self) -> list[Scenario]:
        """The pinned scenarios, loaded from the approved bytes (never from the library,
        which may have changed since)."""
        from simulator.engine.loader import loads

        out = []
        for p in self.scenarios:
            if hashlib.sha256(p.source).hexdigest() != p.sha256:
                raise StoreError(f"set {self.name}: the stored file of {p.scenario_id} does "
                                 "not match its pinned SHA-256 (altered)")
            out.append(loads(p.source.decode("utf-8-sig"), f"{self.name}/{p.scenario_id}.yaml",
                             p.sha256))
        return out


def check_name(name: str) -> str:
    """A set name as stored; StoreError when unusable."""
    if not NAME.fullmatch(name):
        raise StoreError(f"{name[:70]!r} is not a set name (lower-case letters, digits, '.', "
                         "'_' and '-', 64 at most, e.g. onboarding-2027)")
    return name


def add(store: Store, key: Signer, name: str, files: Sequence[tuple[Scenario, bytes]],
        min_mean: float, typed: bool = False) -> ApprovedSet:
    """Approve a set: pin each scenario's bytes and SHA-256 and the rubric version now,
    signed with ``key``; ``typed``: every call is answered in the trainee's own words.
    StoreError when the name is taken or the set is unusable."""
    check_name(name)
    if not files:
        raise StoreError("a set needs at least one scenario")
    if not 0 <= min_mean <= 100:
        raise StoreError("the minimum mean is a percentage between 0 and 100")
    ids = [s.id for s, _ in files]
    if len(set(ids)) != len(ids):
        raise StoreError("a scenario is named twice; each is played once per certification")
    now = store.now()
    pins = tuple(Pinned(s.id, s.title, hashlib.sha256(data).hexdigest(), data)
                 for s, data in files)
    draft = ApprovedSet(0, name, float(min_mean), RUBRIC_VERSION, now, None, key.id, "", pins,
                        typed)
    signature = seal(key, KIND, draft.content())
    with store.write() as cur:
        store.execute(cur, "SELECT id FROM cert_sets WHERE name = ?", (name,))
        if cur.fetchone() is not None:
            raise StoreError(f"a set named {name} already exists (sets are never changed: "
                             "approve a new one under another name)")
        store.execute(cur, "INSERT INTO cert_sets (name, min_mean, rubric_version, created_at, "
                           "key_id, signature, typed) VALUES (?, ?, ?, ?, ?, ?, ?) "
                           "RETURNING id",
                      (name, float(min_mean), RUBRIC_VERSION, now, key.id, signature,
                       int(typed)))
        set_id = int(cur.fetchone()[0])
        for i, p in enumerate(pins, 1):
            store.execute(cur, "INSERT INTO cert_set_scenarios (set_id, position, scenario_id, "
                               "title, sha256, source) VALUES (?, ?, ?, ?, ?, ?)",
                          (set_id, i, p.scenario_id, p.title, p.sha256,
                           base64.b64encode(p.source).decode("ascii")))
    return get(store, name)


def _read(store: Store, cur: Any, row: Sequence[Any]) -> ApprovedSet:
    store.execute(cur, "SELECT scenario_id, title, sha256, source FROM cert_set_scenarios "
                       "WHERE set_id = ? ORDER BY position", (row[0],))
    pins = []
    for r in cur.fetchall():
        try:
            source = base64.b64decode(r[3], validate=True)
        except ValueError:
            source = b""
        pins.append(Pinned(r[0], r[1], r[2], source))
    return ApprovedSet(int(row[0]), row[1], float(row[2]), row[3], row[4], row[5], row[6],
                       row[7], tuple(pins), bool(row[8]))


_COLUMNS = ("id, name, min_mean, rubric_version, created_at, retired_at, key_id, signature, "
            "typed")


def get(store: Store, name: str) -> ApprovedSet:
    """The set named ``name``; StoreError when there is none."""
    with store.read() as cur:
        store.execute(cur, f"SELECT {_COLUMNS} FROM cert_sets WHERE name = ?", (name,))
        row = cur.fetchone()
        if row is None:
            raise StoreError(f"no approved set named {name!r} in {store.describe()} (see "
                             "'calmline sets list')")
        return _read(store, cur, row)


def all_sets(store: Store, include_retired: bool = False) -> list[ApprovedSet]:
    """Every approved set, oldest first."""
    where = "" if include_retired else " WHERE retired_at IS NULL"
    with store.read() as cur:
        store.execute(cur, f"SELECT {_COLUMNS} FROM cert_sets{where} ORDER BY id")
        rows = cur.fetchall()
        return [_read(store, cur, r) for r in rows]


def retire(store: Store, name: str) -> None:
    """Stop offering a set (its certifications keep verifying)."""
    with store.write() as cur:
        store.execute(cur, "UPDATE cert_sets SET retired_at = ? WHERE name = ? AND "
                           "retired_at IS NULL", (store.now(), name))
        if cur.rowcount != 1:
            raise StoreError(f"no approved set named {name!r} that is still offered")


def _ids(approved: ApprovedSet) -> str:
    import json

    return json.dumps([p.scenario_id for p in approved.scenarios], sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False)


def replay_problems(scenario: Scenario, attempt: Mapping[str, Any]) -> list[str]:
    """What does not hold when an attempt's signed answers are played again on the pinned
    ``scenario`` with the attempt's own seed and rules (empty: the result is the one
    recorded)."""
    from scoring.scorer import score
    from simulator.engine.session import Session, SessionError, answer_as

    try:
        session = Session(scenario, seed=int(attempt["seed"]), shuffle=bool(attempt["shuffle"]),
                          stop_on_critical=bool(attempt["stop_on_critical"]))
        for answer in attempt["answers"]:
            turn = answer["turn"]
            if session.finished:
                return [f"turn {turn}: answered after the pinned scenario's call had ended"]
            if session.state != answer["node"]:
                return [f"turn {turn}: at node {answer['node']!r}, where the pinned scenario "
                        f"is at {session.state!r}"]
            step = answer_as(session, answer)
            if step.say != answer["say"] or dict(step.scores) != dict(answer["scores"]):
                return [f"turn {turn}: reply {answer['choice']!r} is not the pinned scenario's "
                        "(its words or scores differ)"]
    except (SessionError, KeyError, TypeError, ValueError) as exc:
        return [f"its answers cannot be played on the pinned scenario ({exc})"]
    if attempt["status"] != "finished":
        return []
    if not session.finished:
        return ["recorded as finished, but its answers do not end the pinned scenario's call"]
    card = score(scenario, session.log, session.ending)
    recorded = (attempt["total"], round(float(attempt["percent"] or 0), 1),
                bool(attempt["passed"]), attempt["ending"])
    again = (card.total, round(card.percent, 1), card.passed, card.ending)
    if recorded != again:
        return [f"recorded {recorded[1]:.1f}% ({'passed' if recorded[2] else 'not passed'}), "
                f"but its answers on the pinned scenario give {again[1]:.1f}% "
                f"({'passed' if again[2] else 'not passed'})"]
    return []


def set_problems(store: Store, ring: Checker | Keyring) -> list[tuple[str, int | None, str]]:
    """Every problem with approved sets and the certifications taken from them:
    (kind, record, message). A set whose signature fails; an attempt of a set's
    certification whose scenario or SHA-256 is not the one pinned at its place, or whose
    rubric version differs; an attempt whose result its answers on the pinned scenario do
    not give; an attempt of a typed set that was not typed."""
    ring = ring if isinstance(ring, Keyring) else Keyring(ring)
    problems: list[tuple[str, int | None, str]] = []
    sets = {s.id: s for s in all_sets(store, include_retired=True)}
    loaded: dict[int, list[Scenario] | None] = {}
    for s in sets.values():
        checker = ring.find(s.key_id)
        if checker is None or not check(checker, KIND, s.content(), "", s.signature):
            problems.append(("altered", None, f"set {s.name}: does not match its signature "
                                              "(altered, or signed with another key)"))
            loaded[s.id] = None
            continue
        try:
            loaded[s.id] = s.load()
        except (StoreError, ScenarioError, UnicodeDecodeError) as exc:
            problems.append(("altered", None, f"set {s.name}: {exc}"))
            loaded[s.id] = None
    with store.read() as cur:
        store.execute(cur, "SELECT id, set_id, scenarios, min_mean FROM certifications "
                           "WHERE set_id IS NOT NULL ORDER BY id")
        for cert_id, set_id, names, min_mean in cur.fetchall():
            approved = sets.get(int(set_id))
            if approved is not None and (
                    names != _ids(approved) or float(min_mean) != approved.min_mean):
                problems.append(("unpinned", int(cert_id), f"certification {cert_id}: its "
                                 "scenarios or minimum mean are not those of set "
                                 f"{approved.name}"))
        store.execute(cur, "SELECT c.id, c.set_id, a.id, a.position FROM certifications c "
                           "JOIN attempts a ON a.certification_id = c.id "
                           "WHERE c.set_id IS NOT NULL AND a.status <> 'in_progress' "
                           "ORDER BY c.id, a.position, a.id")
        rows = cur.fetchall()
        contents = {int(r[2]): attempt_content(store, cur, int(r[2])) for r in rows}
    for cert_id, set_id, attempt_id, position in rows:
        approved, scenarios = sets.get(int(set_id)), loaded.get(int(set_id))
        where = f"certification {cert_id}, attempt {attempt_id}"
        if approved is None:
            problems.append(("altered", int(cert_id), f"{where}: its set ({set_id}) is missing"))
            continue
        a = contents[int(attempt_id)]
        index = int(position) - 1
        if not 0 <= index < len(approved.scenarios):
            problems.append(("altered", int(cert_id), f"{where}: place {position} is not in "
                                                      f"set {approved.name}"))
            continue
        pin = approved.scenarios[index]
        if a["scenario_id"] != pin.scenario_id or a["scenario_sha256"] != pin.sha256:
            problems.append(("unpinned", int(cert_id), f"{where}: played {a['scenario_id']} "
                             f"with SHA-256 {str(a['scenario_sha256'])[:16]}…, not the file set "
                             f"{approved.name} pinned ({pin.scenario_id}, "
                             f"{pin.sha256[:16]}…)"))
            continue
        if a["rubric_version"] != approved.rubric_version:
            problems.append(("unpinned", int(cert_id), f"{where}: scored with rubric "
                             f"{a['rubric_version']}, not {approved.rubric_version} as set "
                             f"{approved.name} pinned"))
        if approved.typed:
            problems += [("downgraded", int(cert_id), f"{where}: {why}")
                         for why in typed_problems(approved, a)]
        if scenarios is not None:
            problems += [("altered", int(cert_id), f"{where}: {why}")
                         for why in replay_problems(scenarios[index], a)]
    return problems


def typed_problems(approved: ApprovedSet, attempt: Mapping[str, Any]) -> list[str]:
    """What shows that an attempt of a typed set was not answered in the trainee's own words
    (a downgrade to the reply list): the attempt is not marked typed, or a reply that was
    given (not timed out) carries no typed words."""
    if not attempt.get("typed"):
        return [f"answered from the reply list, but set {approved.name} is typed (every call "
                "answered in the trainee's own words)"]
    picked = [int(ans["turn"]) for ans in attempt["answers"]
              if not ans["timed_out"] and not ans.get("typed")]
    if picked:
        turns = ", ".join(str(t) for t in picked[:5]) + (", ..." if len(picked) > 5 else "")
        return [f"turn{'s' if len(picked) > 1 else ''} {turns} answered without typed words, "
                f"but set {approved.name} is typed"]
    return []
