"""LinkedIn (Community Management API): comments on the organisation's posts. docs/channels.md, "LinkedIn"."""

from moderation.channels.linkedin.adapter import LinkedInAdapter

__all__ = ["LinkedInAdapter"]
