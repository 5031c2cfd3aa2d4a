"""LinkedIn (Community Management API): comments on the organisation's posts. docs/channel-apis.md §5."""

from moderation.channels.linkedin.adapter import LinkedInAdapter

__all__ = ["LinkedInAdapter"]
