"""Connect a YouTube channel: Google OAuth 2.0 web-server flow (docs/channels.md, "YouTube").

`access_type=offline&prompt=consent` brings a refresh token; the access token
lasts about an hour. For a Brand channel the owner picks it on Google's consent page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from moderation.channels.base import ChannelPermissionError
from moderation.channels.oauth2 import OAuth2Connector
from moderation.channels.rest import Json

SCOPES = ("https://www.googleapis.com/auth/youtube.force-ssl",)


class YouTubeConnector(OAuth2Connector):
    platform: ClassVar[str] = "youtube"
    login_group: ClassVar[str] = "google"
    default_scopes: ClassVar[tuple[str, ...]] = SCOPES
    label: ClassVar[str] = "YouTube"
    settings_hint: ClassVar[str] = "GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET"
    extra_authorize_params: ClassVar[Mapping[str, str]] = {"access_type": "offline", "prompt": "consent"}

    def account(self, token: str, *, want_account_id: str, want_name: str) -> tuple[str, str, str, Json]:
        body = self._get(token, "youtube/v3/channels", {"part": "id,snippet", "mine": "true"})
        channels = [c for c in body.get("items") or [] if isinstance(c, dict) and c.get("id")]
        if not channels:
            raise ChannelPermissionError("This Google account has no YouTube channel; sign in as its owner.")
        chosen = next((c for c in channels if c["id"] == want_account_id), channels[0])
        if want_account_id and chosen["id"] != want_account_id:
            raise ChannelPermissionError(f"This sign-in does not manage YouTube channel {want_account_id}.")
        title = str((chosen.get("snippet") or {}).get("title", ""))
        return str(chosen["id"]), title, str(chosen["id"]), {}
