"""xAPI 1.0.3 statements for recorded attempts, and posting them to a learning record store.

Per attempt: ``attempted`` when it started, ``answered`` for each reply, then ``completed``
plus ``passed`` or ``failed`` (or the ADL ``abandoned`` verb when it was left). Statement ids
are UUIDv5 derived from the attempt's uid, so exporting twice yields the same statements.
Principle scores travel as result extensions under :data:`EXT`. Posting them to a learning
record store is :mod:`scoring.lrs`.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from simulator.engine.moments import parse_iso

SITE = "https://calmline.dev"
EXT = f"{SITE}/xapi/ext/"
NAMESPACE = uuid.UUID("5b0f4c52-8a7e-4d0c-9a43-6b1c7f6e2d19")
XAPI_VERSION = "1.0.3"

VERBS: dict[str, str] = {
    "attempted": "http://adlnet.gov/expapi/verbs/attempted",
    "answered": "http://adlnet.gov/expapi/verbs/answered",
    "completed": "http://adlnet.gov/expapi/verbs/completed",
    "passed": "http://adlnet.gov/expapi/verbs/passed",
    "failed": "http://adlnet.gov/expapi/verbs/failed",
    "abandoned": "https://w3id.org/xapi/adl/verbs/abandoned",
}
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
ASSESSMENT = "http://adlnet.gov/expapi/activities/assessment"


def duration(seconds: float) -> str:
    """An ISO 8601 duration such as ``PT1M5.25S``."""
    seconds = max(0.0, round(seconds, 2))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    text = "PT"
    if hours:
        text += f"{int(hours)}H"
    if minutes:
        text += f"{int(minutes)}M"
    if secs or text == "PT":
        text += f"{secs:.2f}".rstrip("0").rstrip(".") + "S"
    return text


def _between(start: str, end: str) -> float:
    return max((parse_iso(end) - parse_iso(start)) / timedelta(seconds=1), 0.0)


def actor(trainee: str) -> dict[str, Any]:
    """The trainee as an xAPI Agent identified by an account on calmline."""
    return {"objectType": "Agent", "name": trainee,
            "account": {"homePage": SITE, "name": trainee}}


def verb(name: str) -> dict[str, Any]:
    """An xAPI verb by its short name."""
    return {"id": VERBS[name], "display": {"en-US": name}}


def scenario_activity(a: Mapping[str, Any]) -> dict[str, Any]:
    """The scenario an attempt played, as an Activity."""
    return {"objectType": "Activity",
            "id": f"{SITE}/xapi/scenarios/{quote(a['scenario_id'], safe='')}",
            "definition": {"name": {"en-US": a["scenario_title"]},
                           "description": {"en-US": f"calmline scenario {a['scenario_id']}"},
                           "type": SIMULATION}}


def node_activity(a: Mapping[str, Any], node: str, typed: bool = False) -> dict[str, Any]:
    """One point of the call (a node) as a choice interaction; answered in the trainee's own
    words, a free-text (``long-fill-in``) interaction of its own id, as xAPI wants the
    response of a choice interaction to be one of its choices."""
    sid = quote(a["scenario_id"], safe="")
    kind = "long-fill-in" if typed else "choice"
    return {"objectType": "Activity",
            "id": f"{SITE}/xapi/scenarios/{sid}/nodes/{quote(node, safe='')}"
                  + ("/typed" if typed else ""),
            "definition": {"name": {"en-US": f"{a['scenario_title']}: {node}"
                                    + (" (typed)" if typed else "")},
                           "type": INTERACTION, "interactionType": kind}}


def _context(a: Mapping[str, Any], parent: bool) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "registration": a["uid"],
        "platform": "calmline",
        "language": "en",
        "extensions": {
            EXT + "attempt": a["id"],
            EXT + "scenario-sha256": a["scenario_sha256"],
            EXT + "rubric-version": a["rubric_version"],
            EXT + "calmline-version": a["calmline_version"],
            EXT + "seed": a["seed"],
            EXT + "mode": a["mode"],
            **({EXT + "typed": True} if a.get("typed") else {}),
        },
    }
    activities: dict[str, Any] = {}
    if parent:
        activities["parent"] = [scenario_activity(a)]
    if a.get("certification"):
        activities["grouping"] = [{
            "objectType": "Activity",
            "id": f"{SITE}/xapi/certifications/{a['certification']}",
            "definition": {"name": {"en-US": f"calmline certification of {a['trainee']}"},
                           "type": ASSESSMENT}}]
    if activities:
        ctx["contextActivities"] = activities
    return ctx


def _statement(a: Mapping[str, Any], kind: str, n: int, verb_name: str, obj: dict[str, Any],
               at: str, result: dict[str, Any] | None, parent: bool) -> dict[str, Any]:
    st: dict[str, Any] = {
        "id": str(uuid.uuid5(NAMESPACE, f"{a['uid']}/{kind}/{n}")),
        "actor": actor(a["trainee"]),
        "verb": verb(verb_name),
        "object": obj,
        "context": _context(a, parent),
        "timestamp": at,
    }
    if result is not None:
        st["result"] = result
    return st


def attempt_result(a: Mapping[str, Any]) -> dict[str, Any]:
    """The xAPI result of a finished attempt: score, success, completion, duration and
    one extension per principle."""
    total, low, high = int(a["total"]), int(a["min_score"]), int(a["max_score"])
    low, high = min(low, total), max(high, total)
    scaled = max(-1.0, min(1.0, float(a["percent"]) / 100.0))
    return {
        "score": {"scaled": round(scaled, 4), "raw": total, "min": low, "max": high},
        "success": bool(a["passed"]),
        "completion": True,
        "duration": duration(_between(a["started_at"], a["finished_at"])),
        "extensions": {
            **{EXT + "principle/" + p["principle"]: {"earned": p["earned"], "best": p["best"],
                                                      "percent": p["percent"]}
               for p in a["principles"]},
            EXT + "outcome": a["outcome"],
            EXT + "ending": a["ending"],
            EXT + "critical": a["critical"],
        },
    }


def _response(ans: Mapping[str, Any]) -> str:
    """What the trainee answered: the words they typed (the reply they were taken for is
    in the ``reply`` extension), or the id of the reply they picked."""
    return str(ans["typed"]) if ans.get("typed") else str(ans["choice"])


def statements(a: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every statement of one attempt (as returned by the store's ``attempt_detail``)."""
    out = [_statement(a, "attempted", 0, "attempted", scenario_activity(a), a["started_at"],
                      None, False)]
    previous = a["started_at"]
    for ans in a["answers"]:
        result: dict[str, Any] = {
            "response": _response(ans),
            "score": {"raw": int(ans["total"])},
            "success": int(ans["total"]) >= 0 and not ans["critical"],
            "duration": duration(_between(previous, ans["at"])),
            "extensions": {EXT + "scores": ans["scores"], EXT + "timed-out":
                           bool(ans["timed_out"]), EXT + "critical": bool(ans["critical"]),
                           EXT + "turn": ans["turn"]},
        }
        if ans.get("typed") or ans.get("match"):
            result["extensions"].update({EXT + "reply": ans["choice"],
                                         EXT + "typed-match": ans.get("match", "")})
        out.append(_statement(a, "answered", int(ans["turn"]), "answered",
                              node_activity(a, ans["node"], bool(a.get("typed"))), ans["at"],
                              result, True))
        previous = ans["at"]
    if a["status"] == "finished":
        result = attempt_result(a)
        out.append(_statement(a, "completed", 0, "completed", scenario_activity(a),
                              a["finished_at"], result, False))
        final = "passed" if a["passed"] else "failed"
        out.append(_statement(a, final, 0, final, scenario_activity(a), a["finished_at"],
                              result, False))
    elif a["status"] == "abandoned":
        result = {"completion": False, "success": False,
                  "duration": duration(_between(a["started_at"], a["finished_at"]))}
        out.append(_statement(a, "abandoned", 0, "abandoned", scenario_activity(a),
                              a["finished_at"], result, False))
    return out


def all_statements(attempts: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The statements of many attempts, in order."""
    return [s for a in attempts for s in statements(a)]
