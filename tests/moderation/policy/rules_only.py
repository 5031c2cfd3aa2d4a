"""Helpers for the rule-by-kind tests: the rules alone (no word model, no semantic layer), so each
test pins a rule and not a score."""

from moderation.policy import check
from moderation.policy.result import Flag, Result


def rules(text: str) -> Result:
    return check(text, use_model=False, use_semantic=False)


def categories(text: str) -> set[str]:
    return {f.category for f in rules(text).flags}


def flag_of(text: str, category: str) -> Flag | None:
    return next((f for f in rules(text).flags if f.category == category), None)
