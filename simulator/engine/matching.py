"""Typed replies matched to a node's authored replies: an offline lexical ranker with rules.

A trainee who types what they would say is mapped to the authored reply they most likely meant,
ranked over each reply's ``say`` and ``examples`` with BM25 (words weighed by how well they tell
this node's replies apart), a negation mark (``not_refund`` is another word than ``refund``),
and spelling tolerance for words the node's replies use. Rules catch what words alone miss: abuse
maps to the node's critical reply. The verdict says how sure the match is.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from difflib import get_close_matches
from enum import StrEnum
from typing import Protocol

from simulator.engine import lexicon
from simulator.engine.model import Choice, Node
from simulator.engine.typedtext import MAX_TYPED_CHARS as MAX_TYPED_CHARS
from simulator.engine.typedtext import clean as clean

_CONTRACTIONS = (
    (re.compile(r"\bcan['’]?t\b"), "can not"), (re.compile(r"\bwon['’]t\b"), "will not"),
    (re.compile(r"\bshan['’]t\b"), "shall not"), (re.compile(r"n['’]t\b"), " not"),
    (re.compile(r"['’]m\b"), " am"), (re.compile(r"['’]re\b"), " are"),
    (re.compile(r"['’]ll\b"), " will"), (re.compile(r"['’]ve\b"), " have"),
    (re.compile(r"['’]d\b"), " would"), (re.compile(r"['’]s\b"), ""),
)


def _word_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(words.split())


_CLAUSE = re.compile(r"[.,;:!?()\n]+|\b(?:but|however|although|though)\b")
_WORD = re.compile(r"[a-z0-9]+")
_NEGATORS = frozenset({"not", "no", "never", "cannot", "nothing", "nobody", "without", "nor"})
_STOP = _word_set(
    "a an the and or of to in on at for with by from as is are was were be been being am it its "
    "this that these those there here i me my mine we us our you your yours he him his she her "
    "they them their do does did doing so just really very also then than too up out about into "
    "over again would could should will shall may might must can have has had having what which "
    "who whom whose when where why how all any some such only own same other both each few more "
    "most if else")
#: Words that make a reply abusive whatever else it says, unless negated ("no question is
#: stupid"). Kept short and unambiguous.
_ABUSE = _word_set(
    "fuck fucking fucked fucker shit shitty bullshit bitch bastard asshole arsehole idiot idiots "
    "moron morons stupid dumb dickhead prick wanker twat cunt loser pathetic")


def _stem(word: str) -> str:
    """A light suffix stripper: 'refunds', 'refunded', 'refunding' all become 'refund'."""
    if len(word) <= 4 or word.isdigit():
        return word
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("edly", ""), ("ed", ""),
                         ("ly", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "es" and not word.endswith(("ches", "shes", "sses", "xes", "zes")):
                return word[:-1]
            return word[: -len(suffix)] + repl
    return word


def _words(text: str) -> Iterator[tuple[str, bool]]:
    """Each word of ``text`` lower-cased with contractions opened, and whether it is negated.

    A word within three words after a negator, in the same clause, is negated; the negator
    itself is yielded as ``("not", False)``.
    """
    low = unicodedata.normalize("NFKC", text).lower()
    for pattern, repl in _CONTRACTIONS:
        low = pattern.sub(repl, low)
    low = lexicon.join_phrases(low)
    for clause in _CLAUSE.split(low):
        scope = 0
        for word in _WORD.findall(clause):
            if word in _NEGATORS:
                scope = 3
                yield "not", False
            elif word not in _STOP:
                yield lexicon.WORDS.get(word, word), scope > 0
                scope = max(0, scope - 1)


def tokens(text: str) -> list[str]:
    """The content words of ``text``, stemmed; a negated word also gives ``not_word``.

    Keeping the word itself lets "no need for bad language" match a reply about language;
    the ``not_`` word tells "I can't refund" from "I'll refund".
    """
    out: list[str] = []
    for word, negated in _words(text):
        stem = _stem(word)
        out.append(stem)
        if negated:
            out.append("not_" + stem)
    return out


def content_words(text: str) -> list[tuple[str, bool]]:
    """The content words of ``text`` as the matcher reads them (lower case, contractions
    opened, a lexicon phrasing as its canonical word, not stemmed), each with whether it is
    negated. The negators themselves are left out."""
    return [(word, negated) for word, negated in _words(text) if word != "not"]


def is_abusive(text: str) -> bool:
    """True when ``text`` swears or insults (a negated insult, "not stupid", does not count)."""
    if re.search(r"\bshut\s+(?:up|it)\b", text, re.IGNORECASE):
        return True
    return any(word in _ABUSE and not negated for word, negated in _words(text))


class Verdict(StrEnum):
    """How sure a match is."""

    CONFIDENT = "confident"
    UNSURE = "unsure"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One authored reply with its share of the match (0 to 1; the shares sum to 1)."""

    choice_id: str
    share: float
    score: float


@dataclass(frozen=True, slots=True)
class Match:
    """What a typed reply was understood as."""

    text: str
    verdict: Verdict
    ranking: tuple[Candidate, ...]
    reason: str = ""

    @property
    def best(self) -> Candidate | None:
        """The top-ranked reply, or None when nothing could be ranked."""
        return self.ranking[0] if self.ranking else None

    @property
    def margin(self) -> float:
        """How far the best reply's share is ahead of the second's."""
        if not self.ranking:
            return 0.0
        second = self.ranking[1].share if len(self.ranking) > 1 else 0.0
        return self.ranking[0].share - second


class Ranker(Protocol):
    """Anything that scores a node's replies against typed text (higher is closer)."""

    def scores(self, node: Node, text: str) -> dict[str, float]:
        """A raw closeness score per choice id of ``node`` (its ``choices``, not silence)."""
        ...

    def known(self, node: Node, text: str) -> float:
        """The share (0 to 1) of the text's content words that the node's replies use."""
        ...


class _NodeIndex:
    """BM25 statistics over one node's replies, each reply one document made of its ``say``
    and every example (the standard parameters, k1 = 1.2 and b = 0.75)."""

    K1 = 1.2
    B = 0.75

    def __init__(self, choices: Sequence[Choice]) -> None:
        self.docs: list[tuple[str, Counter[str], int]] = []
        for choice in choices:
            words = [w for text in (choice.say, *choice.examples) for w in tokens(text)]
            if words:
                self.docs.append((choice.id, Counter(words), len(words)))
        self.vocabulary = sorted({w for _, counts, _ in self.docs for w in counts})
        n = len(self.docs)
        df: Counter[str] = Counter(w for _, counts, _ in self.docs for w in counts)
        # Words every reply of the node uses are worth little; the +1 keeps them positive.
        self.idf = {w: math.log(1 + (n - d + 0.5) / (d + 0.5)) for w, d in df.items()}
        self.avg = (sum(length for *_, length in self.docs) / n) if n else 1.0

    def spell(self, words: Iterable[str]) -> list[str]:
        """Words the node never uses replaced by a close spelling it does use, if any."""
        fixed = []
        for w in words:
            if w in self.idf or len(w) < 5:
                fixed.append(w)
                continue
            close = get_close_matches(w, self.vocabulary, n=1, cutoff=0.84)
            fixed.append(close[0] if close else w)
        return fixed

    def scores(self, words: list[str]) -> dict[str, float]:
        """The BM25 score of each reply for the query ``words``."""
        query = Counter(words)
        out: dict[str, float] = {}
        for choice_id, counts, length in self.docs:
            total = 0.0
            for w, q in query.items():
                f = counts.get(w)
                if f:
                    norm = self.K1 * (1 - self.B + self.B * length / self.avg)
                    total += self.idf[w] * f * (self.K1 + 1) / (f + norm) * (1 + math.log(q))
            out[choice_id] = total
        return out


class LexicalRanker:
    """BM25 over each reply's texts, with negation marks and spelling tolerance."""

    #: Indexes kept at once (a scenario's nodes, and a few reloads' worth).
    CACHE_SIZE = 512

    def __init__(self) -> None:
        self._indexes: OrderedDict[int, tuple[Node, _NodeIndex]] = OrderedDict()

    def _index(self, node: Node) -> _NodeIndex:
        # Keyed by identity, holding the node itself so its id cannot be reused while cached.
        entry = self._indexes.get(id(node))
        if entry is not None and entry[0] is node:
            self._indexes.move_to_end(id(node))
            return entry[1]
        index = _NodeIndex(node.choices)
        self._indexes[id(node)] = (node, index)
        if len(self._indexes) > self.CACHE_SIZE:
            self._indexes.popitem(last=False)
        return index

    def scores(self, node: Node, text: str) -> dict[str, float]:
        """A BM25 score per choice id (0 where no word is shared)."""
        index = self._index(node)
        found = index.scores(index.spell(tokens(text)))
        return {c.id: found.get(c.id, 0.0) for c in node.choices}

    def known(self, node: Node, text: str) -> float:
        """The share of the text's content words that the node's replies use."""
        index = self._index(node)
        words = [w for w in index.spell(tokens(text)) if w != "not"]
        return sum(w in index.idf for w in words) / len(words) if words else 0.0


@dataclass(frozen=True, slots=True)
class Thresholds:
    """When a match is confident, unsure, or none at all."""

    min_score: float = 1.0
    """Below this raw score for the best reply, and with few of the text's words known to
    the node, nothing was recognised."""
    min_known: float = 0.5
    """The share of the text's words the node must know for a low score to be "unsure"
    rather than nothing: "a full refund" where every reply offers a refund is ambiguous,
    not unrecognised."""
    confident_share: float = 0.55
    confident_margin: float = 0.2
    temperature: float = 1.5
    """Softmax temperature turning raw scores into shares."""


class Matcher:
    """Matches typed text to a node's replies: ranking, rules and a verdict."""

    def __init__(self, ranker: Ranker | None = None,
                 thresholds: Thresholds | None = None) -> None:
        self.ranker: Ranker = ranker or LexicalRanker()
        self.thresholds = thresholds or Thresholds()

    def match(self, node: Node, typed: str) -> Match:
        """Rank ``node``'s replies for ``typed`` and say how sure the top one is."""
        text = clean(typed)
        if not node.choices:
            return Match(text, Verdict.NONE, ())
        raw = self.ranker.scores(node, text)
        ranking = self._shares(raw)
        critical = [c for c in node.choices if c.critical]
        if critical and is_abusive(text):
            target = max(critical, key=lambda c: raw.get(c.id, 0.0))
            ranked = [next(c for c in ranking if c.choice_id == target.id)]
            ranked += [c for c in ranking if c.choice_id != target.id]
            return Match(text, Verdict.CONFIDENT, tuple(ranked), "abusive words")
        t = self.thresholds
        top = ranking[0]
        if top.score <= 0.0 or (top.score < t.min_score
                                and self.ranker.known(node, text) < t.min_known):
            return Match(text, Verdict.NONE, tuple(ranking), "no reply's words recognised")
        margin = top.share - (ranking[1].share if len(ranking) > 1 else 0.0)
        if top.share >= t.confident_share and margin >= t.confident_margin:
            return Match(text, Verdict.CONFIDENT, tuple(ranking))
        return Match(text, Verdict.UNSURE, tuple(ranking), "two replies are close")

    def _shares(self, raw: dict[str, float]) -> list[Candidate]:
        temp = self.thresholds.temperature
        top = max(raw.values(), default=0.0)
        weights = {cid: math.exp((s - top) / temp) for cid, s in raw.items()}
        total = sum(weights.values()) or 1.0
        ranked = [Candidate(cid, weights[cid] / total, raw[cid]) for cid in raw]
        ranked.sort(key=lambda c: -c.score)  # stable: equal scores keep the node's order
        return ranked
