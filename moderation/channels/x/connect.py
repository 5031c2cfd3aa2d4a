"""Connect an X account: OAuth 2.0 authorization code with PKCE (docs/channels.md, "X (API v2)").

The code must be exchanged within 30 seconds; the access token lasts 2 hours and
`offline.access` brings a refresh token (X rotates it on every refresh).
"""

from __future__ import annotations

from typing import ClassVar

from moderation.channels.oauth2 import OAuth2Connector
from moderation.channels.rest import Json

SCOPES = (
    "tweet.read",
    "users.read",
    "tweet.write",
    "tweet.moderate.write",
    "mute.read",
    "mute.write",
    "offline.access",
)


class XConnector(OAuth2Connector):
    platform: ClassVar[str] = "x"
    login_group: ClassVar[str] = "x"
    default_scopes: ClassVar[tuple[str, ...]] = SCOPES
    label: ClassVar[str] = "X"
    settings_hint: ClassVar[str] = "X_CLIENT_ID (and X_CLIENT_SECRET for a confidential app)"
    pkce: ClassVar[bool] = True
    basic_auth: ClassVar[bool] = True

    def account(self, token: str, *, want_account_id: str, want_name: str) -> tuple[str, str, str, Json]:
        me = self._get(token, "2/users/me").get("data") or {}
        user_id, username = str(me.get("id", "")), str(me.get("username", ""))
        if not user_id:
            raise self._wrong("X did not name the signed-in account.")
        if want_account_id and want_account_id != user_id:
            raise self._wrong(f"This channel is X account {want_account_id}, but @{username} signed in.")
        return user_id, f"@{username}", user_id, {"username": username}

    def _wrong(self, message: str) -> Exception:
        from moderation.channels.base import ChannelPermissionError

        return ChannelPermissionError(message + " Sign in to X as the organisation's account.")
