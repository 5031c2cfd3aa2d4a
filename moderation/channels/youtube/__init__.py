"""YouTube (Data API v3): comment threads across the channel's videos. docs/channels.md, "YouTube"."""

from moderation.channels.youtube.adapter import YouTubeAdapter

__all__ = ["YouTubeAdapter"]
