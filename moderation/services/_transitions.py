"""The item queue state machine: the only code that assigns Item.state (docs/architecture.md)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from accounts.models import User
from moderation.errors import InvalidTransition
from moderation.models import Item, ItemState
from moderation.services.audit import audit_record

ALLOWED: dict[str, frozenset[str]] = {
    ItemState.NEW: frozenset({ItemState.IN_REVIEW, ItemState.ESCALATED, ItemState.RESOLVED}),
    ItemState.IN_REVIEW: frozenset({ItemState.NEW, ItemState.ESCALATED, ItemState.RESOLVED}),
    ItemState.ESCALATED: frozenset({ItemState.IN_REVIEW, ItemState.RESOLVED, ItemState.NEW}),
    ItemState.RESOLVED: frozenset({ItemState.NEW}),  # reopened, e.g. edited on the platform
}

_NEXT_STEP = {
    ItemState.RESOLVED: "Reopen it first if it needs another look.",
    ItemState.IN_REVIEW: "Release it or resolve it.",
}


def transition(
    item: Item,
    *,
    to: str,
    actor: User | None,
    outcome: str = "",
    clause: str = "",
    detail: dict[str, Any] | None = None,
) -> Item:
    """Move an item to state `to`, keeping claim/outcome fields consistent, and audit it.

    The caller holds the transaction (and the row lock where races matter).
    """
    before = item.state
    if to not in ALLOWED[before]:
        raise InvalidTransition(
            f"Item {item.pk} cannot go from {before} to {to}.",
            hint=_NEXT_STEP.get(ItemState(before), "Refresh the queue; someone may have acted on it."),
        )
    now = timezone.now()
    item.state = to
    if to == ItemState.IN_REVIEW:
        if actor is None:
            raise InvalidTransition(
                f"Item {item.pk} can only be claimed by an officer.", hint="Pass the officer."
            )
        item.claimed_by, item.claimed_at = actor, now
    elif to in (ItemState.NEW, ItemState.ESCALATED):
        item.claimed_by, item.claimed_at = None, None
    if to == ItemState.RESOLVED:
        if not outcome:
            raise InvalidTransition(f"Item {item.pk} needs an outcome to be resolved.", hint="Pass outcome=.")
        item.outcome, item.resolved_at = outcome, now
        item.claimed_by, item.claimed_at = None, None
    else:
        item.outcome, item.resolved_at = "", None
    item.save(update_fields=["state", "outcome", "resolved_at", "claimed_by", "claimed_at", "updated_at"])
    audit_record(
        actor=actor,
        verb="item.transition",
        target=item,
        before={"state": before},
        after={"state": to, "outcome": item.outcome},
        clause=clause,
        policy_version=item.policy_version,
        detail=detail,
    )
    return item
