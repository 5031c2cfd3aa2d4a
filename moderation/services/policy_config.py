"""The engine's PolicyConfig: shipped defaults plus the Leads' rows, cached so classifying an
item never queries the policy tables.

The rows are cached in Django's cache under a version number that every save or delete of a
policy row bumps (signals only invalidate caches, docs/architecture.md §3). Each process also
keeps the compiled config for the current version, so its regexes compile once per change.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import post_delete, post_save

from moderation.models import AllowlistedDomain, CategoryAction, PolicyTerm, PolicyThreshold, ProtectedPerson
from moderation.policy.config import PolicyConfig
from moderation.policy.config import ProtectedPerson as PolicyPerson

VERSION_KEY = "policy_config:version"
ROWS_KEY = "policy_config:rows:{version}"
_compiled: dict[int, PolicyConfig] = {}


def policy_config_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def policy_config_bump() -> None:
    """Invalidate every process's config."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)
    _compiled.clear()


def _on_policy_row_change(**_: Any) -> None:
    # After commit, so no other process can cache the old rows under the new version.
    transaction.on_commit(policy_config_bump)


def _read_rows() -> dict[str, Any]:
    return {
        "terms": list(PolicyTerm.objects.values_list("list_name", "term", "exclude")),
        "people": list(ProtectedPerson.objects.filter(active=True).values_list("name", "role", "aliases")),
        "domains": list(AllowlistedDomain.objects.values_list("domain", flat=True)),
        "thresholds": dict(PolicyThreshold.objects.values_list("key", "value")),
        "actions": dict(CategoryAction.objects.values_list("category", "action")),
    }


def policy_config_build(rows: dict[str, Any], *, version: str) -> PolicyConfig:
    """Shipped defaults with the database rows merged on top (pure; no queries)."""
    base = PolicyConfig.default()
    terms = {name: list(values) for name, values in base.terms.items()}
    for list_name, term, exclude in rows.get("terms", ()):
        current = terms.setdefault(list_name, [])
        if exclude:
            terms[list_name] = [t for t in current if t.strip().lower() != term.strip().lower()]
        elif term not in current:
            current.append(term)
    people = {p.name.lower(): p for p in base.protected_people}
    for name, role, aliases in rows.get("people", ()):
        people[name.lower()] = PolicyPerson(name=name, role=role, aliases=tuple(aliases or ()))
    domains = tuple(dict.fromkeys([*base.allowlisted_domains, *(d.lower() for d in rows.get("domains", ()))]))
    return dataclasses.replace(
        base,
        terms={name: tuple(values) for name, values in terms.items()},
        protected_people=tuple(people.values()),
        allowlisted_domains=domains,
        thresholds={**base.thresholds, **rows.get("thresholds", {})},
        category_actions={**base.category_actions, **rows.get("actions", {})},
        version=version,
    )


def policy_config_get() -> PolicyConfig:
    """The current config. Falls back to the shipped defaults when the tables do not exist yet
    (e.g. `manage.py classify` on a laptop without a migrated database)."""
    try:
        version = policy_config_version()
        if version in _compiled:
            return _compiled[version]
        key = ROWS_KEY.format(version=version)
        rows = cache.get(key)
        if rows is None:
            rows = _read_rows()
            cache.set(key, rows, timeout=None)
    except DatabaseError:
        return PolicyConfig.default()
    config = policy_config_build(rows, version=f"db-{version}")
    _compiled.clear()
    _compiled[version] = config
    return config


for _model in (PolicyTerm, ProtectedPerson, AllowlistedDomain, PolicyThreshold, CategoryAction):
    post_save.connect(
        _on_policy_row_change, sender=_model, dispatch_uid=f"policy_config_bump_save_{_model.__name__}"
    )
    post_delete.connect(
        _on_policy_row_change, sender=_model, dispatch_uid=f"policy_config_bump_delete_{_model.__name__}"
    )
