"""The semantic layer's lexical view: one TF-IDF vocabulary (word 1-2-grams and character
3-5-grams within words) with a linear head per category, trained on the same labelled comments
as the encoder's heads (``policy_lab.semantic_train``).

Why both: the sentence encoder's mean vector is mostly about the topic (an officer, a repair), so on
its own it mixes up a threat to an officer with a complaint about one; word and character n-grams see
the wording ("torch", "watch your back", "fucking", "parasites") in any inflection or typo. Their
probabilities are averaged per category, which out-of-fold (folds by template) beat either alone.

Pure Python and numpy over a small gzipped JSON artefact (``data/lexical_heads.json.gz``); the
analyzers are the offensive word model's, so training and inference tokenise identically.
"""

from __future__ import annotations

import functools
import gzip
import json
from collections import Counter
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from moderation.policy.model import _char_wb_of_word, preprocess, word_ngrams

ARTEFACT = "lexical_heads.json.gz"
WORD_MAX_N = 2
CHAR_MIN_N, CHAR_MAX_N = 3, 5
_CACHE_LIMIT = 100_000
FloatArray = npt.NDArray[np.float64]


def analyse(text: str) -> tuple[list[str], list[str]]:
    """(word n-grams, char n-grams) of a comment, as sklearn's word and char_wb analyzers build them."""
    chars: list[str] = []
    for word in preprocess(text).split():
        chars.extend(_char_wb_of_word(word, CHAR_MIN_N, CHAR_MAX_N))
    return word_ngrams(text, WORD_MAX_N), chars


class LexicalHeads:
    def __init__(self, data: dict[str, Any]) -> None:
        self.labels: tuple[str, ...] = tuple(data["labels"])
        self.blocks: list[tuple[dict[str, int], FloatArray, FloatArray]] = []
        for block in data["blocks"]:
            terms = block["terms"]
            idf = np.asarray(block["idf"], dtype=np.float64)
            coef = np.asarray(block["coef"], dtype=np.float64).reshape(len(terms), len(self.labels))
            self.blocks.append(({t: i for i, t in enumerate(terms)}, idf, coef))
        self.intercept = np.asarray(data["intercept"], dtype=np.float64)
        self._char_cache: dict[str, tuple[int, ...]] = {}

    @classmethod
    def load(cls) -> LexicalHeads:
        raw = resources.files("moderation.policy").joinpath("data").joinpath(ARTEFACT).read_bytes()
        return cls(json.loads(gzip.decompress(raw)))

    def _ids(self, text: str) -> tuple[list[int], list[int]]:
        words, chars = self.blocks[0][0], self.blocks[1][0]  # blocks: word n-grams, then char n-grams
        word_ids = [words[g] for g in word_ngrams(text, WORD_MAX_N) if g in words]
        cache = self._char_cache
        char_ids: list[int] = []
        for word in preprocess(text).split():
            ids = cache.get(word)
            if ids is None:
                if len(cache) >= _CACHE_LIMIT:
                    cache.clear()
                ids = tuple(chars[g] for g in _char_wb_of_word(word, CHAR_MIN_N, CHAR_MAX_N) if g in chars)
                cache[word] = ids
            char_ids.extend(ids)
        return word_ids, char_ids

    def logits(self, text: str) -> FloatArray:
        out = self.intercept.copy()
        for (_, idf, coef), ids in zip(self.blocks, self._ids(text), strict=True):
            if not ids:
                continue
            counts = Counter(ids)
            idx = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
            w = (1.0 + np.log(tf)) * idf[idx]  # sublinear tf * idf, then l2 per block
            out += (w @ coef[idx]) / float(np.sqrt(w @ w))
        return out

    def probabilities(self, text: str) -> dict[str, float]:
        probs = 1.0 / (1.0 + np.exp(-self.logits(text)))
        return dict(zip(self.labels, (float(p) for p in probs), strict=True))


def to_artefact(
    labels: Sequence[str],
    blocks: Sequence[tuple[Sequence[str], Sequence[float], FloatArray]],
    intercept: Sequence[float],
    meta: dict[str, Any],
) -> bytes:
    """The gzipped JSON the engine loads; ``blocks`` are (terms, idf, coef[terms x labels])."""
    data = {
        "labels": list(labels),
        "blocks": [
            {
                "terms": list(terms),
                "idf": [round(float(v), 4) for v in idf],
                "coef": [round(float(v), 4) for v in np.asarray(coef).ravel()],
            }
            for terms, idf, coef in blocks
        ],
        "intercept": [round(float(v), 5) for v in intercept],
        "meta": meta,
    }
    return gzip.compress(json.dumps(data, separators=(",", ":")).encode(), mtime=0)


@functools.cache
def default_lexical() -> LexicalHeads | None:
    try:
        return LexicalHeads.load()
    except FileNotFoundError:
        return None
