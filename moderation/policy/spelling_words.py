"""The speller's word lists: English words it leaves alone and the key terms it corrects to.

Known words: the English frequency dictionary shipped inside symspellpy (MIT; read as a file from the
pinned package, none of its code runs) and the encoder's whole-word vocabulary. Key terms: every word
of the engine's word lists, their plurals, the English words a wildcard entry begins, and the English
words in the rules' own patterns.
"""

from __future__ import annotations

import bisect
import functools
import importlib
import importlib.util
import re
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

from moderation.policy.spelling import Speller

DICTIONARY = "frequency_dictionary_en_82_765.txt"


@functools.cache
def english_words() -> dict[str, int] | None:
    """Known words with their counts, or None when symspellpy (which ships the list) is missing."""
    spec = importlib.util.find_spec("symspellpy")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / DICTIONARY
    if not path.is_file():
        return None
    counts: dict[str, int] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        word, _, count = line.partition(" ")
        counts[word] = int(count) if count.isdigit() else 1
        if "'" in word:
            counts.setdefault(word.replace("'", ""), counts[word])  # "thats", "theyre", "doesnt"
    vocab = resources.files("moderation.policy").joinpath("data", "minilm_vocab.txt")
    for word in vocab.read_text(encoding="utf-8").splitlines():
        if word.isascii() and word.isalpha() and word.islower():
            counts.setdefault(word, 1)
    return counts


def forms(term: str, *, plural: bool, known: Mapping[str, int], ordered: list[str]) -> set[str]:
    """The single words a list entry matches: its words, their plurals (where the list allows one,
    or where English has it) and, for a wildcard ("disgrace*"), the English words it begins."""
    term = term.split("\t")[0].strip().lower()
    wildcard = term.endswith("*")
    words = [w for w in re.split(r"[\s\-]+", term.rstrip("*").strip()) if w.isalpha()]
    out: set[str] = set()
    for word in words:
        out.add(word)
        plural_form = word + ("es" if word.endswith(("s", "x", "z", "ch", "sh")) else "s")
        if plural or plural_form in known:
            out.add(plural_form)
    if wildcard and len(words) == 1 and len(words[0]) >= 4:
        stem = words[0]
        out.add(stem + "s")
        i = bisect.bisect_left(ordered, stem)
        while i < len(ordered) and ordered[i].startswith(stem):
            out.add(ordered[i])
            i += 1
    return {w for w in out if len(w) >= 3}


@functools.cache
def _sorted_words() -> list[str]:
    return sorted(english_words() or ())


def rule_words() -> set[str]:
    """English words of 5+ letters in the rules' own patterns ("careful", "suffer", "machete")."""
    import pkgutil  # the rules import the config, which builds the speller: import them late

    from moderation.policy import rules, semantic_flags

    modules = [rules, semantic_flags]
    modules += [
        importlib.import_module(f"{rules.__name__}.{m.name}") for m in pkgutil.iter_modules(rules.__path__)
    ]
    known = english_words() or {}
    out: set[str] = set()
    for module in modules:
        for value in vars(module).values():
            if isinstance(value, re.Pattern):
                source = re.sub(r"\\[a-zA-Z]", " ", value.pattern)
                out |= {w for w in re.findall(r"(?<![a-zA-Z])[a-z]{5,}(?![a-zA-Z])", source) if w in known}
    return out


# Lists whose words are matched in comments (link_bad_words is matched in domains only).
SKIP_LISTS = frozenset({"link_bad_words"})


def build(
    lists: Mapping[str, Iterable[str]], names: Iterable[str], plural_lists: Iterable[str] = ()
) -> Speller | None:
    """A speller for a config's word lists, or None without the dictionary (nothing is corrected)."""
    known = english_words()
    if known is None:
        return None
    plural_lists = frozenset(plural_lists)
    terms = rule_words()
    ordered = _sorted_words()
    for name, entries in lists.items():
        if name not in SKIP_LISTS:
            plural = name in plural_lists
            for entry in entries:
                terms |= forms(entry, plural=plural, known=known, ordered=ordered)
    never = {w for name in names for w in re.findall(r"[a-z]+", name.lower())}
    stems = {
        e.strip().rstrip("*")
        for name, entries in lists.items()
        if name not in SKIP_LISTS
        for e in (x.split("\t")[0].lower() for x in entries)
        if e.strip().endswith("*") and " " not in e.strip() and len(e.strip()) > 4
    }
    return Speller(terms - never, known, never, stems)
