"""Facebook Login for Business: the connector for Facebook Pages and Instagram professional accounts.

Consent URL → code → short-lived user token → long-lived user token → the Page
(and, for Instagram, the professional account linked to it) with its own token.
Both platforms share one login (`login_group = "meta"`): revoking it
(`DELETE /me/permissions`) cuts off every channel the same Facebook user connected.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import urlsplit

import requests
from oauthlib.oauth2 import OAuth2Error  # type: ignore[import-untyped]
from requests_oauthlib import OAuth2Session

from moderation.channels.base import (
    AuthorizationRequest,
    ChannelAuthError,
    ChannelNotConfigured,
    ChannelPermissionError,
    ChannelUnavailable,
    ConnectedAccount,
    TokenGrant,
)
from moderation.channels.meta.client import DEFAULT_TIMEOUT, GraphClient, Json


class MetaConnector:
    platform: ClassVar[str]
    login_group: ClassVar[str] = "meta"

    def __init__(
        self,
        *,
        base_url: str,
        dialog_url: str,
        version: str,
        app_id: str,
        app_secret: str,
        scopes: list[str] | tuple[str, ...] = (),
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        **_: Any,
    ) -> None:
        if not app_id or not app_secret:
            raise ChannelNotConfigured(
                "Facebook Login is not configured: set FACEBOOK_APP_ID and FACEBOOK_APP_SECRET "
                "(docs/channels.md).",
                code="not_configured",
            )
        self.graph = base_url.rstrip("/")
        self.dialog = dialog_url.rstrip("/")
        self.version = version.strip("/")
        self.app_id = app_id
        self.app_secret = app_secret
        self.scopes = list(scopes)
        self.timeout = timeout
        self.session = requests.Session()
        if _loopback(self.graph) and _loopback(self.dialog):
            # oauthlib insists on https; the fake platforms on 127.0.0.1 speak plain http.
            # Only ever switched on for loopback URLs (the demo and the tests).
            os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")

    def _client(self, token: str) -> GraphClient:
        return GraphClient(
            base_url=self.graph, version=self.version, token=token, timeout=self.timeout, session=self.session
        )

    # -- the Connector protocol ---------------------------------------------------------
    def authorization_url(self, *, redirect_uri: str, state: str) -> AuthorizationRequest:
        oauth = OAuth2Session(self.app_id, redirect_uri=redirect_uri, scope=self.scopes, state=state)
        url, _ = oauth.authorization_url(f"{self.dialog}/{self.version}/dialog/oauth")
        return AuthorizationRequest(url=str(url))

    def connect(
        self,
        *,
        code: str,
        redirect_uri: str,
        code_verifier: str = "",
        want_account_id: str = "",
        want_name: str = "",
    ) -> ConnectedAccount:
        """Code → long-lived user token → the Page (and its Instagram account) for one channel."""
        if not code.strip():
            raise ChannelAuthError("Facebook sent no login code. Press Connect and sign in again.")
        short = self.exchange_code(code=code, redirect_uri=redirect_uri)
        user = self.long_lived(user_token=short.access_token)
        me = self._client(user.access_token).request("GET", "me", params={"fields": "id,name"})
        pages = self.pages(user_token=user.access_token)
        page = _choose_page(
            pages, want_account_id=want_account_id, want_name=want_name, platform=self.platform
        )
        page_id, page_token = str(page["id"]), str(page.get("access_token", ""))
        if not page_token:
            raise ChannelPermissionError(f"Facebook listed Page {page_id} without a Page token.")
        credentials: Json = {
            "access_token": page_token,
            "user_access_token": user.access_token,
            "page_id": page_id,
        }
        account_id, name = self.account(page, page_token, credentials)
        return ConnectedAccount(
            account_id=account_id,
            name=name,
            credentials=credentials,
            token_expires_in=user.expires_in,
            platform_user_id=str(me.get("id", "")),
        )

    def revoke(self, *, credentials: Mapping[str, Any]) -> None:
        user_token = str(credentials.get("user_access_token", ""))
        if not user_token:
            return
        with contextlib.suppress(ChannelAuthError):  # already revoked or expired: nothing left to revoke
            self._client(user_token).request("DELETE", "me/permissions")

    # -- steps ----------------------------------------------------------------------------
    def account(self, page: Json, page_token: str, credentials: Json) -> tuple[str, str]:
        """(account id, name) of the channel's account; the Page itself for Facebook."""
        return str(page["id"]), str(page.get("name", ""))

    def exchange_code(self, *, code: str, redirect_uri: str) -> TokenGrant:
        # The code and the app secret go in a POST form body, never in a URL that a proxy,
        # an access log or a `requests` exception could repeat (docs/security.md, "Logs").
        oauth = OAuth2Session(self.app_id, redirect_uri=redirect_uri)
        try:
            token = oauth.fetch_token(
                f"{self.graph}/{self.version}/oauth/access_token",
                code=code,
                client_secret=self.app_secret,
                include_client_id=True,
                method="POST",
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise ChannelUnavailable(f"Facebook token exchange failed: {exc.__class__.__name__}.") from exc
        except OAuth2Error as exc:
            raise ChannelAuthError(f"Facebook rejected the login code: {exc}.") from exc
        expires = token.get("expires_in")
        return TokenGrant(
            access_token=str(token["access_token"]), expires_in=int(expires) if expires else None
        )

    def long_lived(self, *, user_token: str) -> TokenGrant:
        # POST: the secret and the token travel in the form body, as in exchange_code.
        body = self._client(user_token).request(
            "POST",
            "oauth/access_token",
            params={
                "grant_type": "fb_exchange_token",
                "client_id": self.app_id,
                "client_secret": self.app_secret,
                "fb_exchange_token": user_token,
            },
        )
        expires = body.get("expires_in")
        return TokenGrant(
            access_token=str(body["access_token"]), expires_in=int(expires) if expires else None
        )

    def pages(self, *, user_token: str) -> list[Json]:
        data, _, _ = self._client(user_token).pages(
            "me/accounts", {"fields": "id,name,access_token,tasks", "limit": 100}
        )
        return data


class FacebookConnector(MetaConnector):
    platform: ClassVar[str] = "facebook"


class InstagramConnector(MetaConnector):
    """An Instagram professional account is reached through the Facebook Page it is linked to."""

    platform: ClassVar[str] = "instagram"

    def account(self, page: Json, page_token: str, credentials: Json) -> tuple[str, str]:
        page_id = str(page["id"])
        body = self._client(page_token).request(
            "GET", page_id, params={"fields": "instagram_business_account{id,username}"}
        )
        ig = body.get("instagram_business_account")
        if not isinstance(ig, dict) or not ig.get("id"):
            raise ChannelPermissionError(
                f"Facebook Page {page_id} has no Instagram professional account linked. "
                "Link one in the Page settings and connect again."
            )
        credentials["ig_user_id"] = str(ig["id"])
        return str(ig["id"]), str(ig.get("username", page.get("name", "")))


def _loopback(url: str) -> bool:
    return urlsplit(url).hostname in ("127.0.0.1", "localhost", "::1")


def _choose_page(pages: list[Json], *, want_account_id: str, want_name: str, platform: str) -> Json:
    if not pages:
        raise ChannelPermissionError(
            "Facebook listed no Pages for this login. Log in as a user with a role on the Page."
        )
    if want_account_id and platform == "facebook":  # an Instagram channel's account id is not a Page id
        for page in pages:
            if str(page.get("id")) == want_account_id:
                return page
        raise ChannelPermissionError(f"This login cannot manage Page {want_account_id}.")
    wanted = want_name.lstrip("@").lower()
    for page in pages:
        if wanted and str(page.get("name", "")).lower().replace(" ", "") == wanted.replace(" ", ""):
            return page
    if len(pages) == 1:
        return pages[0]
    names = ", ".join(str(p.get("name")) for p in pages)
    raise ChannelPermissionError(
        f"This login manages several Pages ({names}); set the channel's display name to the Page name."
    )
