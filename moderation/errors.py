"""Domain errors (docs/architecture.md): each says what happened, to what, and what to do next."""

from __future__ import annotations


class ModerationError(Exception):
    code = "moderation_error"
    status = 409

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InvalidTransition(ModerationError):
    code = "invalid_transition"


class NotPermitted(ModerationError):
    code = "not_permitted"
    status = 403


class ActionNotAvailable(ModerationError):
    code = "action_not_available"
    status = 422


class ItemClaimed(ModerationError):
    """Someone else holds a live claim on the item."""

    code = "item_claimed"


class ClauseRequired(ModerationError):
    """A destructive action must say which GP014 clause it rests on."""

    code = "clause_required"
    status = 422
