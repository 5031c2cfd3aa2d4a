"""Offline offensive-language classifier used by the policy engine.

The model is a linear classifier over TF-IDF word n-grams and character n-grams (within word
boundaries). Inference is plain Python over dictionaries loaded from a small gzipped JSON
artefact: no sklearn objects are unpickled, nothing is downloaded, and one short comment scores
in well under a millisecond. ``training.py`` builds the artefact with scikit-learn, using the
analyzers defined here, so training and inference tokenise identically.

Pure code: no Django, no settings, no clock. The artefact ships as package data.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
import pathlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

ARTEFACT_NAME = "offensive_model.json.gz"
FORMAT_VERSION = 1

_WORD = re.compile(r"(?u)\b\w\w+\b")


def preprocess(text: str) -> str:
    """Lower-case only: squeezing repeated letters did not help in cross-validation."""
    return text.lower()


def word_ngrams(text: str, max_n: int = 2) -> list[str]:
    """Word 1..max_n-grams of preprocessed text, as sklearn's "word" analyzer builds them."""
    tokens = _WORD.findall(preprocess(text))
    grams = list(tokens)
    for n in range(2, max_n + 1):
        grams.extend(" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1))
    return grams


def _char_wb_of_word(word: str, min_n: int, max_n: int) -> list[str]:
    # Same n-grams as sklearn's "char_wb" analyzer: the word padded with one space each side.
    padded = f" {word} "
    size = len(padded)
    grams: list[str] = []
    for n in range(min_n, max_n + 1):
        if n >= size:
            grams.append(padded)  # a word no longer than n counts once, whole
            break
        grams.extend(padded[i : i + n] for i in range(size - n + 1))
    return grams


def char_ngrams(text: str, min_n: int = 2, max_n: int = 5) -> list[str]:
    """Character n-grams inside word boundaries, as sklearn's "char_wb" analyzer builds them."""
    grams: list[str] = []
    for word in preprocess(text).split():
        grams.extend(_char_wb_of_word(word, min_n, max_n))
    return grams


_WORD_CACHE_LIMIT = 200_000
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class _Block:
    """One TF-IDF block (l2-normalised on its own), with the classifier weights for its terms."""

    kind: str  # "word" or "char"
    min_n: int
    max_n: int
    terms: tuple[str, ...]
    index: dict[str, int]
    idf: FloatArray
    coef: FloatArray
    # word -> ids of its known char n-grams. Comment vocabularies repeat heavily, so caching the
    # per-word n-grams (already mapped to the model's vocabulary) is the main speed-up.
    _per_word: dict[str, tuple[int, ...]] = field(default_factory=dict, repr=False, compare=False)

    def analyzer(self) -> Callable[[str], list[str]]:
        if self.kind == "word":
            return functools.partial(word_ngrams, max_n=self.max_n)
        return functools.partial(char_ngrams, min_n=self.min_n, max_n=self.max_n)

    def known_ids(self, text: str) -> list[int]:
        """Vocabulary ids of the analyzer's output for ``text`` (unknown terms dropped)."""
        index = self.index
        if self.kind == "word":
            return [index[g] for g in word_ngrams(text, self.max_n) if g in index]
        cache = self._per_word
        out: list[int] = []
        for word in preprocess(text).split():
            ids = cache.get(word)
            if ids is None:
                if len(cache) >= _WORD_CACHE_LIMIT:
                    cache.clear()
                grams = _char_wb_of_word(word, self.min_n, self.max_n)
                ids = tuple(index[g] for g in grams if g in index)
                cache[word] = ids
            out.extend(ids)
        return out

    def _weights(self, text: str) -> tuple[npt.NDArray[np.int64], FloatArray]:
        counts = Counter(self.known_ids(text))
        n = len(counts)
        ids = np.fromiter(counts.keys(), dtype=np.int64, count=n)
        tf = np.fromiter(counts.values(), dtype=np.float64, count=n)
        # sklearn's sublinear_tf: 1 + log(count), times idf; l2 normalisation happens later.
        return ids, (1.0 + np.log(tf)) * self.idf[ids]

    def contributions(self, text: str) -> dict[str, float]:
        """Each known term's share of the decision value (sublinear tf * idf * coef / norm)."""
        ids, w = self._weights(text)
        norm = float(np.sqrt(w @ w))
        if norm == 0.0:
            return {}
        shares = w * self.coef[ids] / norm
        return {self.terms[i]: float(v) for i, v in zip(ids.tolist(), shares.tolist(), strict=True)}

    def decision(self, text: str) -> float:
        ids, w = self._weights(text)
        sq = float(w @ w)
        return float(w @ self.coef[ids]) / math.sqrt(sq) if sq else 0.0


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


class OffensiveModel:
    """P(offensive) for a comment, with the terms that pushed the score up as evidence."""

    name: str
    version: str

    def __init__(
        self,
        *,
        name: str,
        version: str,
        intercept: float,
        decision_threshold: float,
        blocks: Sequence[_Block],
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.name = name
        self.version = version
        self._intercept = intercept
        self._threshold = decision_threshold
        self._blocks = tuple(blocks)
        self.meta: dict[str, Any] = dict(meta or {})

    # -- loading -------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: pathlib.Path | None = None) -> OffensiveModel:
        """Load an artefact written by ``training.save_artefact``; None loads the shipped one."""
        if path is None:
            # One joinpath() argument at a time: Python 3.11's namespace-package paths take one.
            raw = (
                resources.files(__package__ or "moderation.policy")
                .joinpath("data")
                .joinpath(ARTEFACT_NAME)
                .read_bytes()
            )
        else:
            raw = pathlib.Path(path).read_bytes()
        return cls.from_dict(json.loads(gzip.decompress(raw)))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OffensiveModel:
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(
                f"Offensive-model artefact has format {data.get('format')!r}, expected {FORMAT_VERSION}. "
                "Retrain it with `python manage.py train_classifier`."
            )
        blocks = []
        for b in data["blocks"]:
            terms = tuple(b["terms"])
            idf = np.asarray(b["idf"], dtype=np.float64)
            coef = np.asarray(b["coef"], dtype=np.float64)
            if not (len(terms) == len(idf) == len(coef)):
                raise ValueError(f"Offensive-model artefact block {b['kind']!r} has mismatched lengths.")
            blocks.append(
                _Block(
                    kind=b["kind"],
                    min_n=int(b["min_n"]),
                    max_n=int(b["max_n"]),
                    terms=terms,
                    index={t: i for i, t in enumerate(terms)},
                    idf=idf,
                    coef=coef,
                )
            )
        return cls(
            name=str(data["name"]),
            version=str(data["version"]),
            intercept=float(data["intercept"]),
            decision_threshold=float(data["threshold"]),
            blocks=blocks,
            meta=dict(data.get("meta", {})),
        )

    # -- scoring -------------------------------------------------------------------------------

    def decision(self, text: str) -> float:
        """The raw linear decision value (log-odds)."""
        return self._intercept + sum(block.decision(text) for block in self._blocks)

    def score(self, text: str) -> float:
        """P(offensive) in [0, 1]."""
        return _sigmoid(self.decision(text))

    def score_many(self, texts: Sequence[str]) -> list[float]:
        return [self.score(t) for t in texts]

    def threshold(self) -> float:
        """Decision threshold on ``score`` tuned on the validation split (see MODEL_CARD.md)."""
        return self._threshold

    def is_offensive(self, text: str) -> bool:
        return self.score(text) >= self._threshold

    def top_terms(self, text: str, k: int = 3, min_weight: float = 0.5) -> list[tuple[str, float]]:
        """Words of ``text`` that pushed the score up, strongest first, with their log-odds share.

        Character n-grams are credited to the word they come from and word bigrams are split
        evenly between their two words, so the evidence is always a word the author wrote
        (lower-cased). Words adding less than ``min_weight`` log-odds ("a", "is") are left out:
        they are not evidence an officer could quote.
        """
        credit: dict[str, float] = defaultdict(float)
        for block in self._blocks:
            contrib = block.contributions(text)
            if not contrib:
                continue
            if block.kind == "word":
                for term, value in contrib.items():
                    parts = term.split(" ")
                    for part in parts:
                        credit[part] += value / len(parts)
            else:
                # Spread each word's n-gram credit over the word tokens it contains.
                grams = Counter(block.analyzer()(text))
                for word in preprocess(text).split():
                    inner = _char_wb_of_word(word, block.min_n, block.max_n)
                    total = sum(contrib.get(g, 0.0) / grams[g] for g in inner)
                    tokens = _WORD.findall(word) or [word]
                    for tok in tokens:
                        credit[tok] += total / len(tokens)
        ranked = sorted(
            ((t, v) for t, v in credit.items() if v >= min_weight), key=lambda tv: (-tv[1], tv[0])
        )
        return [(t, round(v, 4)) for t, v in ranked[:k]]


@functools.cache
def default_model() -> OffensiveModel:
    """The shipped model, loaded once per process."""
    return OffensiveModel.load()
