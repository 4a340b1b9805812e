"""Item analysis of recorded cohorts: per decision point, difficulty, discrimination, flags.

Classical test theory applied to each node of a scenario version. A node's *respondents* are
the finished attempts that reached it (the first visit of each); its *keyed* reply is the
one the best play takes from there (computed from the state graph). For each reply: its
share, and the corrected point-biserial correlation between choosing it and the attempt's
score without that turn. Every figure comes from the sums the store aggregates
(:mod:`scoring.store.item_tallies`); nothing here reads an answer row.

Figures settle only with enough respondents (assessment guidance: 30 to 60 trainees
reaching a point, 10 picks of a reply), so below :data:`MIN_TRAINEES` a node shows how many
reached it and says so, and a reply's correlation needs :data:`MIN_PICKS` picks on each side.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from scoring.store.item_tallies import ItemData, ReplyTally, VersionInfo
from simulator.engine.analysis import UNREACHABLE, Analysis, AnalysisError, analyze
from simulator.engine.model import Scenario

#: Distinct trainees who must reach a node before its figures are shown.
MIN_TRAINEES = 30
#: Picks a reply needs (and the other replies together need) before its correlation is shown.
MIN_PICKS = 10
#: A wrong reply picked by less than this share (percent) does no work.
DEAD_SHARE = 5.0
#: A keyed reply whose discrimination is below this needs review.
LOW_DISCRIMINATION = 0.15

DEAD = "dead-distractor"
SUSPECT_KEY = "suspect-key"
LOW = "low-discrimination"


@dataclass(frozen=True, slots=True)
class ReplyLine:
    """One reply at a decision point."""

    choice: str
    say: str
    keyed: bool
    picks: int
    share: float | None
    """Percent of the node's respondents (None below the trainee threshold)."""
    discrimination: float | None
    """Corrected point-biserial of choosing this reply (None with too few picks)."""
    mean_rest: float | None
    """Mean score without this turn of the attempts that chose it (None likewise)."""


@dataclass(frozen=True, slots=True)
class Flag:
    """Something about a decision point a trainer should look at."""

    code: str
    choice: str
    message: str


@dataclass(frozen=True, slots=True)
class ItemLine:
    """One decision point of one scenario version."""

    node: str
    reached: int
    """Finished attempts that reached it."""
    trainees: int
    """Distinct trainees among them."""
    timed_out: int
    keyed: tuple[str, ...]
    """The reply (or tied replies) the best play takes; empty when it depends on the state."""
    replies: tuple[ReplyLine, ...]
    difficulty: float | None
    """Percent of respondents choosing the keyed reply."""
    discrimination: float | None
    """Corrected point-biserial of choosing the keyed reply."""
    enough: bool
    note: str
    flags: tuple[Flag, ...]


@dataclass(frozen=True, slots=True)
class ScenarioItems:
    """The item analysis of one recorded version of a scenario."""

    scenario: str
    title: str
    sha256: str
    attempts: int
    found: bool
    """Whether the scenario file of this version was at hand (no keys without it)."""
    note: str
    items: tuple[ItemLine, ...]


@dataclass(frozen=True, slots=True)
class ItemReport:
    """Item analysis of every recorded scenario version that matched."""

    scenarios: tuple[ScenarioItems, ...]

    def flags(self) -> list[tuple[str, str, Flag]]:
        """Every flag as (scenario id, node, flag), in report order."""
        return [(s.scenario, i.node, f) for s in self.scenarios for i in s.items
                for f in i.flags]


# -- keys from the state graph ----------------------------------------------------------------
def _depths(analysis: Analysis) -> list[int]:
    """The fewest turns from the start to each state (breadth first)."""
    depth = [-1] * len(analysis.states)
    depth[0] = 0
    queue = [0]
    for s in queue:
        for e in analysis.edges[s]:
            if e.next >= 0 and depth[e.next] < 0:
                depth[e.next] = depth[s] + 1
                queue.append(e.next)
    return depth


def keyed_replies(analysis: Analysis) -> dict[str, tuple[str, ...] | None]:
    """For each node: the reply (or tied replies) the best play takes from it, the same in
    every state the node is reached in; None when it depends on the state; () when no
    passing play goes on from it."""
    max_turns = analysis.scenario.max_turns
    per_node: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for s, d in enumerate(_depths(analysis)):
        if d < 0 or d >= max_turns:
            continue
        node = analysis.states[s][0]
        k = max_turns - d
        values = [(e.choice, analysis.edge_value(e, k)) for e in analysis.edges[s]
                  if not e.critical]
        best = max((v for _, v in values), default=UNREACHABLE)
        if best == UNREACHABLE:
            continue
        per_node[node].add(tuple(sorted(c for c, v in values if v == best)))
    return {node: (next(iter(keys)) if len(keys) == 1 else None)
            for node, keys in per_node.items()}


def _keys_in_every_situation(scenario: Scenario) -> dict[str, tuple[str, ...] | None]:
    """Keyed replies per node over every situation of the scenario (see
    :mod:`simulator.engine.situations`): None where they differ between situations."""
    from simulator.engine.situations import situations

    merged: dict[str, tuple[str, ...] | None] = {}
    for situation in situations(scenario):
        for node, keys in keyed_replies(analyze(scenario, situation)).items():
            merged[node] = keys if merged.get(node, keys) == keys else None
    return merged


# -- the statistics -----------------------------------------------------------------------------
def point_biserial(n: int, picks: int, picked_sum: float, total_sum: float,
                   total_squares: float) -> float | None:
    """Pearson's r between a 0/1 variable (``picks`` ones out of ``n``) and a score, from
    sums: the score's sum over the ones, over everyone, and its sum of squares. None when
    either variable does not vary."""
    spread_x = picks * (n - picks)
    spread_y = n * total_squares - total_sum * total_sum
    if spread_x <= 0 or spread_y <= 1e-9:
        return None
    return (n * picked_sum - picks * total_sum) / math.sqrt(spread_x * spread_y)


def _share(part: int, whole: int) -> float:
    return round(100.0 * part / whole, 1) if whole else 0.0


def _measured(n: int, picks: int) -> bool:
    return picks >= MIN_PICKS and n - picks >= MIN_PICKS


def _flags(keyed: Sequence[str], replies: Sequence[ReplyLine], key_r: float | None,
           key_rest: float | None, n: int) -> list[Flag]:
    out: list[Flag] = []
    key_name = " / ".join(keyed)
    for r in replies:
        if r.keyed:
            continue
        if r.share is not None and r.share < DEAD_SHARE:
            out.append(Flag(DEAD, r.choice, f"{r.choice}: chosen by {r.share:.1f}% ({r.picks} "
                            f"of {n}): it does no work; make it a reply a well-meaning new "
                            "hire would give"))
        if (r.discrimination is not None and r.discrimination >= LOW_DISCRIMINATION
                and (key_r is None or r.discrimination > key_r)
                and r.mean_rest is not None and (key_rest is None or r.mean_rest > key_rest)):
            against = "" if key_r is None else f" against {key_r:+.2f}"
            out.append(Flag(SUSPECT_KEY, r.choice, f"{r.choice}: stronger trainees choose it "
                            f"over the keyed {key_name} (discrimination "
                            f"{r.discrimination:+.2f}{against}): check the key and its "
                            "scores"))
    if key_r is not None and key_r < LOW_DISCRIMINATION:
        who = ("weaker trainees choose it more often than stronger ones" if key_r < 0
               else "strong and weak trainees choose it alike")
        out.append(Flag(LOW, key_name, f"keyed {key_name}: discrimination {key_r:+.2f} (under "
                        f"{LOW_DISCRIMINATION:.2f}): {who}; review this point"))
    return out


def item_line(scenario: Scenario, node_id: str, keyed: tuple[str, ...] | None,
              tallies: Sequence[ReplyTally], trainees: int) -> ItemLine:
    """The analysis of one node from its reply tallies."""
    node = scenario.nodes[node_id]
    n = sum(t.picks for t in tallies)
    total_sum = sum(t.rest_sum for t in tallies)
    total_sq = sum(t.rest_squares for t in tallies)
    replies_ids = {c.id for c in node.choices}
    answered = {t.choice: t for t in tallies if not t.timed_out and t.choice in replies_ids}
    # No reply: the time ran out, or (typed certification) what was typed matched nothing and
    # was scored as silence.
    timed_out = sum(t.picks for t in tallies if t.timed_out or t.choice not in replies_ids)
    enough = trainees >= MIN_TRAINEES
    keys = keyed or ()
    replies = []
    for choice in node.choices:
        t = answered.get(choice.id)
        picks = t.picks if t else 0
        picked_sum = t.rest_sum if t else 0.0
        measured = enough and _measured(n, picks)
        r = point_biserial(n, picks, picked_sum, total_sum, total_sq) if measured else None
        replies.append(ReplyLine(choice.id, choice.say, choice.id in keys, picks,
                                 _share(picks, n) if enough else None,
                                 None if r is None else round(r, 3),
                                 round(picked_sum / picks, 2) if measured else None))
    key_picks = sum(r.picks for r in replies if r.keyed)
    key_sum = sum(answered[c].rest_sum for c in keys if c in answered)
    key_r = None
    if enough and keys and _measured(n, key_picks):
        key_r = point_biserial(n, key_picks, key_sum, total_sum, total_sq)
    key_rest = key_sum / key_picks if key_picks else None
    if not n:
        note = "no trainee has reached it yet"
    elif not enough:
        note = (f"{trainees} trainee{'s' if trainees != 1 else ''} so far: figures from "
                f"{MIN_TRAINEES}")
    elif keyed is None:
        note = "the best reply depends on the call so far: shares only"
    elif not keys:
        note = "no passing play goes on from here: shares only"
    elif key_r is None:
        which = "the keyed reply" if key_picks < MIN_PICKS else "another reply"
        note = f"fewer than {MIN_PICKS} chose {which}: discrimination not measured"
    else:
        note = ""
    flags = _flags(keys, replies, key_r, key_rest, n) if enough and keys else []
    return ItemLine(node_id, n, trainees, timed_out, tuple(keys), tuple(replies),
                    _share(key_picks, n) if enough and keys else None,
                    None if key_r is None else round(key_r, 3), enough, note, tuple(flags))


# -- the report ---------------------------------------------------------------------------------
def _scenario_for(version: VersionInfo, known: dict[str, Scenario]) -> Scenario | None:
    """The scenario file of a recorded version: one given, else the path it was played from
    (if it still holds that version)."""
    if version.sha256 in known:
        return known[version.sha256]
    if any(s.path == version.path for s in known.values()):
        return None  # that file is at hand, and holds another version now
    from simulator.engine.loader import load
    from simulator.engine.problems import ScenarioError

    try:
        scenario = load(version.path)
    except (ScenarioError, OSError, ValueError):
        return None
    return scenario if scenario.sha256 == version.sha256 else None


def build_items(data: ItemData, scenarios: Iterable[Scenario] = ()) -> ItemReport:
    """The item analysis of every recorded version in ``data``; ``scenarios`` are the files
    at hand (a version is matched to its file by SHA-256)."""
    known = {s.sha256: s for s in scenarios}
    tallies: dict[tuple[str, str], dict[str, list[ReplyTally]]] = defaultdict(
        lambda: defaultdict(list))
    for t in data.replies:
        tallies[(t.scenario, t.sha256)][t.node].append(t)
    reach = {(r.scenario, r.sha256, r.node): r.trainees for r in data.reach}
    out = []
    for version in sorted(data.versions, key=lambda v: (v.scenario, -v.attempts, v.sha256)):
        scenario = _scenario_for(version, known)
        if scenario is None:
            out.append(ScenarioItems(version.scenario, version.title, version.sha256,
                                     version.attempts, False, "the scenario file of this "
                                     "version is not at hand (it has changed since, or was "
                                     "played from elsewhere): give it with --scenario PATH",
                                     ()))
            continue
        try:
            keys = _keys_in_every_situation(scenario)
            note = ""
        except AnalysisError as exc:
            keys, note = {}, f"no keys: {exc}"
        nodes = tallies[(version.scenario, version.sha256)]
        items = tuple(item_line(scenario, node_id, keys.get(node_id), nodes.get(node_id, ()),
                                reach.get((version.scenario, version.sha256, node_id), 0))
                      for node_id in scenario.nodes)
        out.append(ScenarioItems(scenario.id, scenario.title, version.sha256,
                                 version.attempts, True, note, items))
    return ItemReport(tuple(out))
