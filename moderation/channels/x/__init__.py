"""X (API v2): mentions and replies in the account's own conversations. docs/channels.md, "X (API v2)"."""

from moderation.channels.x.adapter import XAdapter

__all__ = ["XAdapter"]
