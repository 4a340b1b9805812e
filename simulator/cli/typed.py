"""Typed-reply commands: ``match`` shows how a typed reply ranks against a node's replies, and
``run --say`` plays typed replies headless."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from simulator.engine.matching import clean

if TYPE_CHECKING:
    from simulator.engine.matching import Matcher
    from simulator.training.attempt import Attempt

MODEL_HELP = ("a word-vector model folder: typed replies are matched by meaning as well as by "
              "words (see docs/authoring.md)")


def add_model_option(p: argparse.ArgumentParser) -> None:
    """``--model PATH``: the embedding matcher, from a model folder the trainer installed."""
    p.add_argument("--model", metavar="PATH", default=None, help=MODEL_HELP)


def model_matcher(path: str | None) -> Matcher | None:
    """The blended matcher of the model folder ``path`` (None without one). The embedding
    code is imported only here; a folder that cannot be used is a one-line CommandError."""
    if path is None:
        return None
    from simulator.cli import CommandError
    from simulator.engine.embedding import load_matcher
    from simulator.engine.wordvectors import ModelError

    try:
        return load_matcher(path)[0]
    except ModelError as exc:
        raise CommandError(f"--model: {exc}") from None


def register(sub: Any) -> None:
    """Add the typed-reply commands to the ``calmline`` parser."""
    p = sub.add_parser("match", help="rank a node's replies against a typed reply "
                                     "(for authors tuning examples)")
    p.add_argument("scenario", metavar="SCENARIO", help="a library id or a YAML path")
    p.add_argument("node", metavar="NODE", help="the node whose replies are ranked")
    p.add_argument("text", metavar="TEXT", help="what the trainee typed")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    add_model_option(p)
    p.set_defaults(func=cmd_match)

    p = sub.add_parser("model", help="check a word-vector model folder for typed replies "
                                     "(for trainers installing one)")
    p.add_argument("folder", metavar="PATH", help="the model folder (it holds vectors.vec)")
    p.add_argument("--compile", action="store_true",
                   help="also write vectors.bin into the folder: the same vectors, read in a "
                        "fraction of the time")
    p.set_defaults(func=cmd_model)


def cmd_match(args: argparse.Namespace) -> int:
    from simulator import library
    from simulator.cli import CommandError
    from simulator.engine.matching import Matcher

    scenario = library.resolve(args.scenario)
    node = scenario.nodes.get(args.node)
    if node is None:
        known = ", ".join(scenario.nodes)
        raise CommandError(f"no node {args.node!r} in {scenario.id} (its nodes: {known})")
    found = (model_matcher(args.model) or Matcher()).match(node, args.text)
    says = {c.id: c.say for c in node.choices}
    if args.json:
        print(json.dumps({
            "scenario": scenario.id, "node": node.id, "text": found.text,
            "verdict": found.verdict.value, "reason": found.reason,
            "margin": round(found.margin, 3),
            "ranking": [{"id": c.choice_id, "share": round(c.share, 3),
                         "score": round(c.score, 3)} for c in found.ranking],
        }, indent=2))
        return 0
    verdict = found.verdict.value + (f" ({found.reason})" if found.reason else "")
    print(f"{scenario.id} / {node.id}: {verdict}, margin {found.margin:.2f}")
    for rank, c in enumerate(found.ranking, 1):
        print(f"{rank}. {c.choice_id:<24} share {c.share:4.0%}  score {c.score:5.2f}  "
              f"{says[c.choice_id][:60]}")
    return 0


def cmd_model(args: argparse.Namespace) -> int:
    import time

    from simulator.cli import CommandError
    from simulator.engine.compiledvectors import write_compiled
    from simulator.engine.wordvectors import ModelError, load_model

    try:
        start = time.perf_counter()
        model = load_model(args.folder, compiled=not args.compile)
        took = time.perf_counter() - start
        written = write_compiled(model) if args.compile else None
    except ModelError as exc:
        raise CommandError(str(exc)) from None
    v, s = model.vectors, model.settings
    print(f"model {model.name!r} in {model.path}")
    print(f"{v.rows} rows read, {len(v)} words kept, {v.dim} dimensions; read from "
          f"{model.source.name} in {took:.2f} s")
    print(f"settings: max_words {s.max_words}, weight {s.weight:g}, floor {s.floor:g}, "
          f"pooling {s.pooling}")
    if s.licence:
        print(f"licence: {s.licence}")
    if written is not None:
        print(f"wrote {written} ({written.stat().st_size / 1e6:.1f} MB): it is read instead "
              "of vectors.vec from now on, until either changes")
    elif model.source.name != "vectors.bin":
        print("tip: --compile writes vectors.bin, which starts much faster")
    return 0


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "..."


def play_typed(attempt: Attempt, texts: list[str],
               matcher: Matcher | None = None) -> list[dict[str, Any]]:
    """Answer ``attempt`` with typed ``texts`` in order (matched by ``matcher``, the lexical
    one by default); return each turn's report (the matched reply, the verdict, its confidence
    and the alternatives). A text that is not understood well enough to be answered is a
    :class:`CommandError` naming what it could have meant."""
    from simulator.cli import CommandError
    from simulator.training.typed import Outcome, TypedReplies

    typed = TypedReplies(attempt, matcher)
    turns: list[dict[str, Any]] = []
    for i, raw in enumerate(texts, 1):
        text = clean(raw)
        where = f"--say {i} ({_short(text)!r})"
        if attempt.finished:
            ending = attempt.session.ending
            raise CommandError(f"{where}: the call already ended at "
                               f"{ending.id if ending else 'its end'!r}")
        node = attempt.session.state
        reading = typed.say(text)
        ranking = reading.match.ranking
        if reading.outcome is Outcome.DID_YOU_MEAN:
            a, b = (f"{c.choice_id} ({c.share:.0%})" for c in ranking[:2])
            raise CommandError(f"{where} is unsure at node {node!r}: did you mean {a} or {b}? "
                               "Say it more plainly, or use --choices")
        if reading.outcome is Outcome.REPHRASE or reading.understood is None:
            ids = ", ".join(c.id for c in attempt.scenario.nodes[node].choices)
            raise CommandError(f"{where} was not understood at node {node!r}: say it another "
                               f"way (its replies: {ids})")
        chosen = reading.understood.id
        share = next(c.share for c in ranking if c.choice_id == chosen)
        turns.append({
            "say": i, "node": node, "text": reading.text, "choice": chosen,
            "verdict": reading.match.verdict.value, "reason": reading.match.reason,
            "confidence": round(share, 3), "margin": round(reading.match.margin, 3),
            "alternatives": [{"id": c.choice_id, "share": round(c.share, 3)}
                             for c in ranking if c.choice_id != chosen],
        })
    return turns


def typed_lines(turns: list[dict[str, Any]]) -> list[str]:
    """One line per typed turn for the terminal: what was typed and what it was taken as."""
    out = []
    for t in turns:
        others = ", ".join(f"{a['id']} {a['share']:.0%}" for a in t["alternatives"])
        reason = f", {t['reason']}" if t["reason"] else ""
        out.append(f"say {t['say']} at {t['node']}: {_short(t['text'])!r} -> {t['choice']} "
                   f"({t['verdict']}{reason}, {t['confidence']:.0%}; others: {others or '-'})")
    return out
