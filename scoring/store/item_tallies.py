"""Reading the item-analysis inputs: per decision point and reply, aggregated in the database.

Grouped statements over the answers of finished attempts, written once for SQLite and
PostgreSQL: for every (scenario, version, node, reply) the number of attempts that gave that
reply on their first visit to the node, with the sum and the sum of squares of each attempt's
score without that turn; and for every node how many distinct trainees reached it. Everything
item analysis computes (shares, difficulty, point-biserial correlations) follows from these
sums, so no answer row leaves the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from scoring.store.core import Store
from scoring.store.queries import Filter


@dataclass(frozen=True, slots=True)
class ReplyTally:
    """One reply at one node of one scenario version, over first visits of finished attempts."""

    scenario: str
    sha256: str
    node: str
    choice: str
    timed_out: bool
    picks: int
    rest_sum: float
    """Sum over those attempts of (attempt total - this turn's total)."""
    rest_squares: float
    """Sum of the squares of the same."""


@dataclass(frozen=True, slots=True)
class NodeReach:
    """How many finished attempts, and distinct trainees, reached a node of a version."""

    scenario: str
    sha256: str
    node: str
    trainees: int


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One recorded version of a scenario: where it was played from, and how often."""

    scenario: str
    sha256: str
    path: str
    title: str
    attempts: int


@dataclass(frozen=True, slots=True)
class ItemData:
    """Everything item analysis is computed from."""

    replies: list[ReplyTally]
    reach: list[NodeReach]
    versions: list[VersionInfo]


# The first visit of each finished attempt to each node (a node met again round a loop is
# not a second response to the same question), read through the covering index
# answers_items; the trainees table is joined only to filter by name. Grouped by version
# alone (its SHA-256 names one scenario). Two grouped statements over it (per reply, and per
# node with its distinct trainees) are faster on SQLite than one CTE grouped twice.
_FIRST_VISITS = """SELECT a.scenario_sha256 AS version, n.node AS node, n.choice AS choice,
           n.timed_out AS timed_out, a.trainee_id AS trainee,
           CAST(a.total AS {{real}}) - n.total AS rest
    FROM answers n JOIN attempts a ON a.id = n.attempt_id {trainees}
    WHERE {where} AND NOT EXISTS (SELECT 1 FROM answers m WHERE m.attempt_id = n.attempt_id
                                  AND m.node = n.node AND m.turn < n.turn)"""
_REPLIES = """SELECT version, node, choice, timed_out, COUNT(*), SUM(rest), SUM(rest * rest)
FROM ({visits}) f GROUP BY version, node, choice, timed_out"""
_REACH = """SELECT version, node, COUNT(DISTINCT trainee) FROM ({visits}) f
GROUP BY version, node"""


def item_data(store: Store, flt: Filter | None = None) -> ItemData:
    """Read the item-analysis sums in one snapshot (finished attempts only)."""
    flt = flt or Filter()
    where, params = flt.where()
    finished = f"a.status = 'finished' AND a.total IS NOT NULL AND {where}"
    trainees = "JOIN trainees t ON t.id = a.trainee_id" if flt.trainee else ""
    with store.read() as cur:
        store.execute(cur, "SELECT a.scenario_id, a.scenario_sha256, MAX(a.scenario_path), "
                           f"MAX(a.scenario_title), COUNT(*) FROM attempts a {trainees} "
                           f"WHERE {finished} GROUP BY a.scenario_id, a.scenario_sha256",
                      params)
        versions = [VersionInfo(r[0], r[1], r[2], r[3], int(r[4])) for r in cur.fetchall()]
        scenario = {v.sha256: v.scenario for v in versions}
        visits = _FIRST_VISITS.format(where=finished, trainees=trainees)
        store.execute(cur, _REPLIES.format(visits=visits), params)
        replies = [ReplyTally(scenario.get(r[0], ""), r[0], r[1], r[2], bool(r[3]), int(r[4]),
                              float(r[5]), float(r[6])) for r in cur.fetchall()]
        store.execute(cur, _REACH.format(visits=visits), params)
        reach = [NodeReach(scenario.get(r[0], ""), r[0], r[1], int(r[2]))
                 for r in cur.fetchall()]
    return ItemData(replies, reach, versions)
