"""YouTube (Data API v3): comment threads across the channel's videos. docs/channel-apis.md §4."""

from moderation.channels.youtube.adapter import YouTubeAdapter

__all__ = ["YouTubeAdapter"]
