"""Reading the item-analysis inputs: per decision point and reply, aggregated in the database.

One pass over the answers of finished attempts, written once for SQLite and PostgreSQL:
for every (scenario, version, node, reply) the number of attempts that gave that
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


# One pass: the first visit of each finished attempt to each node (a node met again round a
# loop is not a second response to the same question), materialised once (a CTE used twice)
# and grouped twice: per reply (kind 0) and per node with its distinct trainees (kind 1).
_SQL = """WITH f AS (
    SELECT a.scenario_id AS scenario, a.scenario_sha256 AS version, n.node AS node,
           n.choice AS choice, n.timed_out AS timed_out, a.trainee_id AS trainee,
           CAST(a.total AS {{real}}) - n.total AS rest
    FROM answers n JOIN attempts a ON a.id = n.attempt_id
    JOIN trainees t ON t.id = a.trainee_id
    WHERE {where} AND NOT EXISTS (SELECT 1 FROM answers m WHERE m.attempt_id = n.attempt_id
                                  AND m.node = n.node AND m.turn < n.turn))
SELECT 0, scenario, version, node, choice, timed_out, COUNT(*), SUM(rest), SUM(rest * rest)
FROM f GROUP BY scenario, version, node, choice, timed_out
UNION ALL
SELECT 1, scenario, version, node, '', 0, COUNT(DISTINCT trainee), 0, 0
FROM f GROUP BY scenario, version, node"""


def item_data(store: Store, flt: Filter | None = None) -> ItemData:
    """Read the item-analysis sums in one snapshot (finished attempts only)."""
    where, params = (flt or Filter()).where()
    finished = f"a.status = 'finished' AND a.total IS NOT NULL AND {where}"
    replies: list[ReplyTally] = []
    reach: list[NodeReach] = []
    with store.read() as cur:
        store.execute(cur, _SQL.format(where=finished), params)
        for r in cur.fetchall():
            if int(r[0]):
                reach.append(NodeReach(r[1], r[2], r[3], int(r[6])))
            else:
                replies.append(ReplyTally(r[1], r[2], r[3], r[4], bool(r[5]), int(r[6]),
                                          float(r[7]), float(r[8])))
        store.execute(cur, "SELECT a.scenario_id, a.scenario_sha256, MAX(a.scenario_path), "
                           "MAX(a.scenario_title), COUNT(*) FROM attempts a "
                           f"JOIN trainees t ON t.id = a.trainee_id WHERE {finished} "
                           "GROUP BY a.scenario_id, a.scenario_sha256", params)
        versions = [VersionInfo(r[0], r[1], r[2], r[3], int(r[4])) for r in cur.fetchall()]
    return ItemData(replies, reach, versions)
