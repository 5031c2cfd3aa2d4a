"""X (API v2): mentions and replies in the account's own conversations. docs/channel-apis.md §3."""

from moderation.channels.x.adapter import XAdapter

__all__ = ["XAdapter"]
