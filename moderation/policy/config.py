"""PolicyConfig: every list, name, domain, threshold and action the engine uses, as data.

Shipped defaults live in ``moderation/policy/data`` (one ``.txt`` word list per name and
``defaults.json``); Django merges the Leads' database rows on top
(``moderation.services.policy_config``). The engine compiles a config once and reuses it.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from moderation.policy.lexicon import compile_terms
from moderation.policy.spelling import Speller
from moderation.policy.spelling_words import build as build_speller

# Word lists shipped as data/<name>.txt. Fuzzy lists also match masked and stretched spellings.
TERM_LISTS: dict[str, str] = {
    "profanity": "Strong swear words (GP014 2.3 foul language). Mild words such as 'bloody' are not listed.",
    "insults_strong": "Insults that are abusive wherever they appear.",
    "insults": "Insults for people; abusive when aimed at someone ('you ...', 'is a ...').",
    "insult_adjectives": "Adjectives that make an insult when aimed at someone.",
    "hate_slurs": "Slurs about protected characteristics (race, religion, nationality, sexuality, disability).",
    "misogyny_slurs": "Misogynistic slurs.",
    "hate_groups": "Protected groups, one per line as 'term<TAB>characteristic'.",
    "hate_predicates": "Dehumanising, expulsion or violent words that make a group mention hateful.",
    "defamation_accusations": "Accusations of crime, fraud or corruption.",
    "defamation_targets": "Organisations and roles an accusation can be aimed at.",
    "staff_roles": "Roles protected by GP014 2.3 (employees, board directors, panel members...).",
    "staff_criticism": "Words that criticise a person.",
    "health_terms": "Health details that are sensitive when tied to a named person.",
    "repair_defects": "Parts of a home that need repairs.",
    "repair_problems": "Words that say something is wrong with a part of a home.",
    "repair_conditions": "Conditions that are a repair by themselves (damp, mould, leaks).",
    "complaint_cues": "Dissatisfaction with a service (GP014 2.4 complaints).",
    "personal_issue": "In-depth personal circumstances (arrears, benefits, health, bereavement).",
    "safeguarding": "Domestic abuse, self-harm and safeguarding cues (urgent).",
    "link_bad_words": "Words in a link's domain or path that suggest phishing, scams, adult content or malware.",
}
FUZZY_LISTS = frozenset({"profanity", "insults_strong", "insults", "hate_slurs", "misogyny_slurs"})
PLURAL_LISTS = frozenset({"insults", "insults_strong", "hate_slurs", "misogyny_slurs", "staff_roles"})


@dataclass(frozen=True, slots=True)
class ProtectedPerson:
    name: str
    role: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)
class PolicyConfig:
    """Immutable; build a new one to change anything (``with_terms`` or ``dataclasses.replace``).

    Compared and hashed by identity, so compiled patterns can be cached per config object.
    """

    terms: Mapping[str, tuple[str, ...]]
    protected_people: tuple[ProtectedPerson, ...] = ()
    allowlisted_domains: tuple[str, ...] = ()
    shortener_domains: tuple[str, ...] = ()
    suspicious_tlds: tuple[str, ...] = ()
    thresholds: Mapping[str, float] = field(default_factory=dict)
    category_actions: Mapping[str, str] = field(default_factory=dict)
    version: str = "default"
    spelling: bool = True  # misspelt key words are read as the lists' words (``spelling.py``)
    spelling_semantic: bool = True  # ... by the semantic layer too (needs ``spelling``)

    @classmethod
    def default(cls) -> PolicyConfig:
        return _default_config()

    def threshold(self, key: str) -> float:
        return float(self.thresholds[key])

    def action_for(self, category: str) -> str:
        return self.category_actions.get(category, "review")

    def with_terms(self, name: str, add: tuple[str, ...] = (), remove: tuple[str, ...] = ()) -> PolicyConfig:
        drop = {t.strip().lower() for t in remove}
        kept = tuple(t for t in self.terms.get(name, ()) if t.strip().lower() not in drop)
        merged = {**self.terms, name: kept + tuple(t for t in add if t.strip().lower() not in drop)}
        return replace(self, terms=merged)

    @functools.cached_property
    def compiled(self) -> dict[str, re.Pattern[str]]:
        """Each word list as one precompiled pattern; built once per config object."""
        out = {}
        for name in TERM_LISTS:
            terms = self.terms.get(name, ())
            if name == "hate_groups":
                terms = tuple(t.split("\t")[0] for t in terms)
            out[name] = compile_terms(terms, fuzzy=name in FUZZY_LISTS, plural=name in PLURAL_LISTS)
        return out

    @functools.cached_property
    def speller(self) -> Speller | None:
        """Misspelt key words to the lists' own words (None without the dictionary); built once."""
        if not self.spelling:
            return None
        names = [n for p in self.protected_people for n in (p.name, *p.aliases)]
        return build_speller(self.terms, names, PLURAL_LISTS)

    @functools.cached_property
    def group_characteristics(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for line in self.terms.get("hate_groups", ()):
            term, _, characteristic = line.partition("\t")
            out[term.strip().rstrip("*").lower()] = characteristic.strip() or "a protected characteristic"
        return out


def _read_list(name: str) -> tuple[str, ...]:
    text = resources.files("moderation.policy").joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    lines = (line.split(" #", 1)[0].rstrip() for line in text.splitlines())
    return tuple(line for line in lines if line.strip() and not line.lstrip().startswith("#"))


def config_from_dict(
    data: Mapping[str, Any], terms: Mapping[str, tuple[str, ...]], version: str
) -> PolicyConfig:
    people = tuple(
        ProtectedPerson(name=p["name"], role=p.get("role", ""), aliases=tuple(p.get("aliases", ())))
        for p in data.get("protected_people", ())
    )
    return PolicyConfig(
        terms=dict(terms),
        protected_people=people,
        allowlisted_domains=tuple(d.lower() for d in data.get("allowlisted_domains", ())),
        shortener_domains=tuple(d.lower() for d in data.get("shortener_domains", ())),
        suspicious_tlds=tuple(d.lower().lstrip(".") for d in data.get("suspicious_tlds", ())),
        thresholds={k: float(v) for k, v in data.get("thresholds", {}).items()},
        category_actions=dict(data.get("category_actions", {})),
        version=version,
    )


@functools.cache
def _default_config() -> PolicyConfig:
    raw = resources.files("moderation.policy").joinpath("data", "defaults.json").read_text(encoding="utf-8")
    data = json.loads(raw)
    return config_from_dict(data, {name: _read_list(name) for name in TERM_LISTS}, version="default")
