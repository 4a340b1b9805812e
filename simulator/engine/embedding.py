"""The embedding matcher: typed replies ranked by meaning as well as by shared words.

Used only when a trainer names a model folder (``--model PATH``, see
:mod:`simulator.engine.wordvectors`); importing :mod:`simulator.engine.matching` never
imports this module.

Each text becomes a sentence vector: the mean of its content words' vectors, the words read
as the lexical matcher reads them (lower case, contractions opened, the lexicon's phrasings
joined, stop words dropped), each weighed by smooth inverse frequency, a negated word counting
against its meaning. A reply's similarity to the typed text is the cosine between their
vectors, taking the reply's closest text (its ``say`` or one example; ``pooling: max``) or the
mean of its texts (``pooling: centroid``). The blended score of a reply is its BM25 score plus
``weight * max(0, similarity - floor) / (1 - floor)``: a bonus on the BM25 scale, so the
:class:`~simulator.engine.matching.Matcher` turns scores into shares, margin and a verdict
exactly as before, and its rules (abuse to the critical reply, negation marks, spelling
tolerance) still apply.
"""

from __future__ import annotations

import math
from array import array
from collections import OrderedDict
from collections.abc import Sequence
from itertools import repeat
from operator import mul, sub, truediv
from pathlib import Path

from simulator.engine.matching import LexicalRanker, Matcher, content_words
from simulator.engine.model import Choice, Node
from simulator.engine.wordvectors import POOLINGS, Model, WordVectors, load_model

Vector = Sequence[float]


def _dot(a: Vector, b: Vector) -> float:
    return float(sum(map(mul, a, b)))


def _normalised(acc: list[float]) -> array[float] | None:
    norm = math.hypot(*acc)
    return array("d", map(truediv, acc, repeat(norm))) if norm > 1e-9 else None


class _ReplyVectors:
    """The sentence vectors of one node's replies: each text's, and each reply's centroid."""

    def __init__(self, ranker: EmbeddingRanker, choices: Sequence[Choice]) -> None:
        self.texts: dict[str, list[array[float]]] = {}
        self.centroids: dict[str, array[float]] = {}
        for choice in choices:
            found = [v for t in (choice.say, *choice.examples)
                     if (v := ranker.sentence(t)) is not None]
            if not found:
                continue
            self.texts[choice.id] = found
            centroid = _normalised([math.fsum(col) for col in zip(*found, strict=True)])
            if centroid is not None:
                self.centroids[choice.id] = centroid


class EmbeddingRanker:
    """A :class:`~simulator.engine.matching.Ranker`: BM25 plus a bonus for meaning."""

    #: Nodes whose reply vectors are kept at once (as the lexical ranker's indexes).
    CACHE_SIZE = 512
    #: Word vectors kept once weighed (the words of the replies and of recent typed replies).
    CACHED_WORDS = 5_000

    def __init__(self, vectors: WordVectors, *, weight: float = 4.0, floor: float = 0.3,
                 pooling: str = "max", lexical: LexicalRanker | None = None) -> None:
        if pooling not in POOLINGS:
            raise ValueError(f"pooling must be one of {', '.join(POOLINGS)}")
        if not (weight >= 0.0 and -1.0 <= floor < 1.0):  # nan fails too
            raise ValueError("weight must be 0 or more and floor from -1 to below 1")
        self.vectors = vectors
        self.weight, self.floor, self.pooling = weight, floor, pooling
        self.lexical = lexical or LexicalRanker()
        self._nodes: OrderedDict[int, tuple[Node, _ReplyVectors]] = OrderedDict()
        self._weights: dict[str, array[float] | None] = {}

    def sentence(self, text: str) -> array[float] | None:
        """The sentence vector of ``text`` (length 1), or None when the model knows none of
        its content words."""
        plain: list[Vector] = []
        negated: list[Vector] = []
        for word, negative in content_words(text):
            vector = self._weighted(word)
            if vector is not None:
                (negated if negative else plain).append(vector)
        if not plain and not negated:
            return None
        total: list[float] = [0.0] * self.vectors.dim
        if plain:
            total = [float(sum(col)) for col in zip(*plain, strict=True)]
        if negated:
            total = list(map(sub, total, map(sum, zip(*negated, strict=True))))
        return _normalised(total)

    def _weighted(self, word: str) -> array[float] | None:
        """``word``'s unit vector times its weight (kept once computed)."""
        if word in self._weights:
            return self._weights[word]
        out = self.vectors.unit(word, self.vectors.weight(word))
        if len(self._weights) < self.CACHED_WORDS:
            self._weights[word] = out
        return out

    def _replies(self, node: Node) -> _ReplyVectors:
        # Keyed by identity, holding the node itself so its id cannot be reused while cached.
        entry = self._nodes.get(id(node))
        if entry is not None and entry[0] is node:
            self._nodes.move_to_end(id(node))
            return entry[1]
        replies = _ReplyVectors(self, node.choices)
        self._nodes[id(node)] = (node, replies)
        if len(self._nodes) > self.CACHE_SIZE:
            self._nodes.popitem(last=False)
        return replies

    def similarities(self, node: Node, text: str) -> dict[str, float]:
        """The cosine (-1 to 1) between ``text`` and each reply of ``node``; 0 for a reply
        (or a text) the model knows no word of."""
        query = self.sentence(text)
        replies = self._replies(node)
        out = dict.fromkeys((c.id for c in node.choices), 0.0)
        if query is None:
            return out
        for cid in out:
            if self.pooling == "centroid":
                centroid = replies.centroids.get(cid)
                out[cid] = _dot(query, centroid) if centroid is not None else 0.0
            else:
                out[cid] = max((_dot(query, v) for v in replies.texts.get(cid, ())),
                               default=0.0)
        return out

    def bonus(self, similarity: float) -> float:
        """What a similarity adds to a reply's BM25 score."""
        return self.weight * max(0.0, similarity - self.floor) / (1.0 - self.floor)

    def scores(self, node: Node, text: str) -> dict[str, float]:
        """Each reply's BM25 score plus its bonus for meaning."""
        lexical = self.lexical.scores(node, text)
        if self.weight == 0.0:
            return lexical
        sims = self.similarities(node, text)
        return {cid: score + self.bonus(sims.get(cid, 0.0)) for cid, score in lexical.items()}

    def known(self, node: Node, text: str) -> float:
        """The share of the text's words the node's replies use (as the lexical ranker: the
        model adds to the score, so a reply close in meaning is recognised by its score)."""
        return self.lexical.known(node, text)


def ranker_for(model: Model) -> EmbeddingRanker:
    """The ranker a loaded model folder's settings ask for."""
    s = model.settings
    return EmbeddingRanker(model.vectors, weight=s.weight, floor=s.floor, pooling=s.pooling)


def load_matcher(folder: str | Path) -> tuple[Matcher, Model]:
    """A matcher that blends the model in ``folder`` with the lexical ranking, and the model
    (:class:`~simulator.engine.wordvectors.ModelError` if the folder cannot be used)."""
    model = load_model(folder)
    return Matcher(ranker_for(model)), model
