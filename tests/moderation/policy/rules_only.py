"""Helpers for the rule-by-kind tests: the rules alone (no word model, no semantic layer), so each
test pins a rule and not a score."""

from moderation.policy import check


def rules(text):
    return check(text, use_model=False, use_semantic=False)


def categories(text):
    return {f.category for f in rules(text).flags}


def flag_of(text, category):
    return next((f for f in rules(text).flags if f.category == category), None)
