"""OAuth 2.0 authorization-code connect for the X, YouTube and LinkedIn connectors.

The browser goes to the platform's consent page; the callback's code is exchanged
for tokens at the token endpoint (with the PKCE verifier where the platform wants
one: X requires it); the subclass then asks the API which account the token
manages. Token errors come back as ChannelAuthError, transport errors as
ChannelUnavailable, so the callback view reports them plainly.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from collections.abc import Mapping
from typing import Any, ClassVar
from urllib.parse import urlencode

import requests

from moderation.channels.base import (
    AuthorizationRequest,
    ChannelAuthError,
    ChannelNotConfigured,
    ChannelUnavailable,
    ConnectedAccount,
)
from moderation.channels.rest import DEFAULT_TIMEOUT, Json


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge) per RFC 7636."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).decode().rstrip("=")


class OAuth2Connector:
    platform: ClassVar[str]
    login_group: ClassVar[str]
    label: ClassVar[str]
    settings_hint: ClassVar[str]  # which settings to set when the app credentials are missing
    pkce: ClassVar[bool] = False
    basic_auth: ClassVar[bool] = False  # client credentials in an Authorization header, not the form
    scope_separator: ClassVar[str] = " "
    extra_authorize_params: ClassVar[Mapping[str, str]] = {}
    default_scopes: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        *,
        base_url: str,
        client_id: str = "",
        client_secret: str = "",
        authorize_url: str,
        token_url: str,
        revoke_url: str = "",
        scopes: list[str] | tuple[str, ...] = (),
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        **_: Any,
    ) -> None:
        if not client_id or (not client_secret and not self.pkce):
            raise ChannelNotConfigured(
                f"{self.label} sign-in is not configured: set {self.settings_hint} (docs/channels.md).",
                code="not_configured",
            )
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self.client_secret = client_secret
        self.authorize_endpoint = authorize_url
        self.token_url = token_url
        self.revoke_url = revoke_url
        self.scopes = list(scopes or self.default_scopes)
        self.timeout = timeout
        self.session = requests.Session()

    # -- the Connector protocol ------------------------------------------------------------
    def authorization_url(self, *, redirect_uri: str, state: str) -> AuthorizationRequest:
        query = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "scope": self.scope_separator.join(self.scopes),
            "state": state,
            **self.extra_authorize_params,
        }
        verifier = ""
        if self.pkce:
            verifier, challenge = pkce_pair()
            query |= {"code_challenge": challenge, "code_challenge_method": "S256"}
        return AuthorizationRequest(
            url=f"{self.authorize_endpoint}?{urlencode(query)}", code_verifier=verifier
        )

    def connect(
        self,
        *,
        code: str,
        redirect_uri: str,
        code_verifier: str = "",
        want_account_id: str = "",
        want_name: str = "",
    ) -> ConnectedAccount:
        if not code:
            raise ChannelAuthError(f"{self.label} sent no authorization code; start the connect again.")
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        if code_verifier:
            form["code_verifier"] = code_verifier
        grant = self._token(form)
        account_id, name, user_id, extra = self.account(
            str(grant["access_token"]), want_account_id=want_account_id, want_name=want_name
        )
        credentials: Json = {"access_token": str(grant["access_token"]), **extra}
        if grant.get("refresh_token"):
            credentials["refresh_token"] = str(grant["refresh_token"])
        expires = grant.get("expires_in")
        return ConnectedAccount(
            account_id=account_id,
            name=name,
            credentials=credentials,
            token_expires_in=int(expires) if expires else None,
            platform_user_id=user_id,
        )

    def refresh(self, *, credentials: Mapping[str, Any]) -> tuple[dict[str, Any], int | None]:
        """New credentials from the refresh token: (credentials, seconds until the access token expires)."""
        refresh_token = str(credentials.get("refresh_token", ""))
        if not refresh_token:
            raise ChannelAuthError(f"{self.label} gave no refresh token; reconnect the channel.")
        grant = self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})
        renewed = {**credentials, "access_token": str(grant["access_token"])}
        if grant.get("refresh_token"):
            renewed["refresh_token"] = str(grant["refresh_token"])  # X rotates refresh tokens
        expires = grant.get("expires_in")
        return renewed, int(expires) if expires else None

    def revoke(self, *, credentials: Mapping[str, Any]) -> None:
        if not self.revoke_url:
            return
        for key in ("refresh_token", "access_token"):
            token = str(credentials.get(key, ""))
            if token:
                form = {"token": token, "client_id": self.client_id}
                if self.client_secret and not self.basic_auth:
                    form["client_secret"] = self.client_secret
                self._post(self.revoke_url, form)

    # -- subclass hook --------------------------------------------------------------------------
    def account(self, token: str, *, want_account_id: str, want_name: str) -> tuple[str, str, str, Json]:
        """(account id, display name, platform user id, extra credentials) for a fresh token."""
        raise NotImplementedError

    # -- HTTP -------------------------------------------------------------------------------------
    def _post(self, url: str, form: Mapping[str, str]) -> requests.Response:
        auth = (self.client_id, self.client_secret) if self.basic_auth and self.client_secret else None
        try:
            return self.session.post(url, data=form, auth=auth, timeout=self.timeout)
        except requests.RequestException as exc:
            raise ChannelUnavailable(
                f"{self.label} sign-in could not be reached: {exc.__class__.__name__}."
            ) from exc

    def _token(self, form: Mapping[str, str]) -> Json:
        body = dict(form)
        if not self.basic_auth or not self.client_secret:
            body["client_id"] = self.client_id
            if self.client_secret:
                body["client_secret"] = self.client_secret
        response = self._post(self.token_url, body)
        try:
            grant = response.json()
        except ValueError:
            grant = None
        if response.status_code >= 500 or not isinstance(grant, dict):
            raise ChannelUnavailable(
                f"{self.label} token endpoint answered HTTP {response.status_code}; try again."
            )
        if response.status_code >= 400 or not grant.get("access_token"):
            reason = grant.get("error_description") or grant.get("error") or f"HTTP {response.status_code}"
            raise ChannelAuthError(
                f"{self.label} refused the sign-in: {reason}. Connect again.", code=grant.get("error")
            )
        return grant

    def _get(
        self,
        token: str,
        path: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Json:
        try:
            response = self.session.get(
                f"{self.base_url}/{path.lstrip('/')}",
                params=params,
                headers={"Authorization": f"Bearer {token}", **(headers or {})},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise ChannelUnavailable(f"{self.label} could not be reached: {exc.__class__.__name__}.") from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 400 or not isinstance(body, dict):
            raise ChannelAuthError(
                f"{self.label} did not say which account this sign-in manages (HTTP {response.status_code})."
            )
        return body
