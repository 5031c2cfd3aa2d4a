"""Shared Meta Graph API plumbing for the Facebook and Instagram adapters.

Error mapping, usage-header back-off, cursor paging, webhook signatures and the
Facebook Login (OAuth 2.0 code) flow; wire formats per docs/channel-apis.md §1-2.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from oauthlib.oauth2 import OAuth2Error  # type: ignore[import-untyped]
from requests_oauthlib import OAuth2Session

from moderation.channels.base import (
    ChannelAuthError,
    ChannelError,
    ChannelNotFound,
    ChannelPermanentError,
    ChannelPermissionError,
    ChannelRateLimited,
    ChannelUnavailable,
    ConnectedAccount,
    TokenGrant,
    WebhookChange,
)

log = logging.getLogger(__name__)

THROTTLE_CODES = frozenset({4, 17, 32, 613, 80001, 80002})
TRANSIENT_CODES = frozenset({1, 2})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
DEFAULT_TIMEOUT = (5.0, 20.0)
# Meta sends no Retry-After; when the usage header gives no estimate we wait this long.
DEFAULT_THROTTLE_SECONDS = 300.0
Json = dict[str, Any]


def parse_time(value: Any) -> datetime | None:
    """Graph reads give '2026-11-20T09:15:02+0000'; webhooks give a Unix integer."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        from datetime import UTC

        return datetime.fromtimestamp(value, tz=UTC)
    try:
        return datetime.strptime(str(value), "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


def webhook_signature(body: bytes, secret: str) -> str:
    """The X-Hub-Signature-256 header value for a raw body."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def webhook_signature_valid(body: bytes, header: str | None, secret: str) -> bool:
    if not header or not secret:
        return False
    return hmac.compare_digest(webhook_signature(body, secret), header.strip())


def usage_percent(headers: Mapping[str, str]) -> tuple[float, float, Json]:
    """(highest usage %, seconds until access returns, parsed headers) from Meta's usage headers."""
    seen: Json = {}
    highest = 0.0
    regain_minutes = 0.0
    for name in ("X-App-Usage", "X-Page-Usage", "X-Business-Use-Case-Usage"):
        raw = headers.get(name)
        if not raw:
            continue
        try:
            parsed = json.loads(raw)
        except ValueError:
            continue
        seen[name] = parsed
        buckets: list[Any] = []
        if name == "X-Business-Use-Case-Usage" and isinstance(parsed, dict):
            for entries in parsed.values():
                if isinstance(entries, list):
                    buckets.extend(entries)
        else:
            buckets.append(parsed)
        for bucket in buckets:
            if not isinstance(bucket, dict):
                continue
            for key in ("call_count", "total_time", "total_cputime"):
                value = bucket.get(key)
                if isinstance(value, int | float):
                    highest = max(highest, float(value))
            regain = bucket.get("estimated_time_to_regain_access")
            if isinstance(regain, int | float):
                regain_minutes = max(regain_minutes, float(regain))
    return highest, regain_minutes * 60, seen


class GraphClient:
    """One requests.Session, explicit timeouts, Graph errors mapped to channel errors."""

    def __init__(
        self,
        *,
        base_url: str,
        version: str,
        token: str,
        app_secret: str = "",
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        backoff_percent: float = 90.0,
        label: str = "Facebook",
        clock: Callable[[], float] = time.time,
        session: requests.Session | None = None,
    ) -> None:
        self.root = base_url.rstrip("/") + "/" + version.strip("/") + "/"
        self.token = token
        self.app_secret = app_secret
        self.timeout = timeout
        self.backoff_percent = backoff_percent
        self.label = label
        self.clock = clock
        self.session = session or requests.Session()
        self.usage: Json = {}
        self.api_calls = 0
        self._blocked_until = 0.0

    def url(self, path: str) -> str:
        return urljoin(self.root, path.lstrip("/"))

    def request(self, method: str, path_or_url: str, *, params: Mapping[str, Any] | None = None) -> Json:
        now = self.clock()
        if now < self._blocked_until:
            # Back off before hitting the limit: the last response said usage is near 100%.
            raise ChannelRateLimited(
                f"{self.label} usage is at {self.usage.get('percent', 0):.0f}% of the limit; "
                "pausing calls until it drops.",
                retry_after=self._blocked_until - now,
                code="usage",
            )
        url = path_or_url if path_or_url.startswith("http") else self.url(path_or_url)
        query: dict[str, Any] = dict(params or {})
        if "access_token=" not in url:
            query["access_token"] = self.token
            if self.app_secret:
                query["appsecret_proof"] = hmac.new(
                    self.app_secret.encode(), self.token.encode(), hashlib.sha256
                ).hexdigest()
        self.api_calls += 1
        try:
            if method == "GET" or method == "DELETE":
                response = self.session.request(method, url, params=query, timeout=self.timeout)
            else:
                response = self.session.request(method, url, data=query, timeout=self.timeout)
        except requests.Timeout as exc:
            raise ChannelUnavailable(f"{self.label} timed out: {exc.__class__.__name__}.") from exc
        except requests.ConnectionError as exc:
            raise ChannelUnavailable(f"{self.label} could not be reached: {exc.__class__.__name__}.") from exc
        self._note_usage(response.headers)
        return self._decode(response)

    def _note_usage(self, headers: Mapping[str, str]) -> None:
        percent, regain_seconds, seen = usage_percent(headers)
        if not seen:
            return
        self.usage = {"percent": percent, "regain_seconds": regain_seconds, "headers": seen}
        if percent >= self.backoff_percent:
            wait = regain_seconds or DEFAULT_THROTTLE_SECONDS
            self._blocked_until = self.clock() + wait

    def _decode(self, response: requests.Response) -> Json:
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 500 and not isinstance(body, dict):
            raise ChannelUnavailable(f"{self.label} answered HTTP {response.status_code}; will retry.")
        if not isinstance(body, dict):
            # A 200 with a truncated or non-JSON body: a proxy or the platform hiccupped.
            raise ChannelUnavailable(
                f"{self.label} returned a malformed body (HTTP {response.status_code}); will retry."
            )
        error = body.get("error")
        if response.status_code < 400 and not isinstance(error, dict):
            return body
        if not isinstance(error, dict):
            raise ChannelUnavailable(
                f"{self.label} answered HTTP {response.status_code} without an error body."
            )
        raise self._error(response.status_code, error)

    def _error(self, status: int, error: Json) -> ChannelError:
        code = error.get("code")
        subcode = error.get("error_subcode")
        message = str(error.get("message", "unknown error"))
        text = f"{self.label} error {code}" + (f"/{subcode}" if subcode else "") + f": {message}"
        if code == 190 or code == 102:
            return ChannelAuthError(
                text + " Reconnect the account on the Channels page.", code=code, payload=error
            )
        if code in THROTTLE_CODES:
            regain = float(self.usage.get("regain_seconds") or 0) or DEFAULT_THROTTLE_SECONDS
            self._blocked_until = self.clock() + regain
            return ChannelRateLimited(text, retry_after=regain, code=code, payload=error)
        if code in TRANSIENT_CODES or error.get("is_transient") is True or status >= 500:
            return ChannelUnavailable(text, code=code, payload=error)
        if code in PERMISSION_CODES:
            return ChannelPermissionError(
                text + " Check the app's permissions and the user's Page role.", code=code, payload=error
            )
        if code == 100 and subcode == 33:
            return ChannelNotFound(text, code=code, payload=error)
        return ChannelPermanentError(text, code=code, payload=error)

    def pages(self, path: str, params: Mapping[str, Any]) -> tuple[list[Json], str | None, Json]:
        """One page of an edge: (data, next cursor or None, raw body)."""
        body = self.request("GET", path, params=params)
        data = body.get("data")
        if not isinstance(data, list):
            raise ChannelUnavailable(f"{self.label} returned a list without 'data'; will retry.")
        paging = body.get("paging") if isinstance(body.get("paging"), dict) else {}
        after = None
        if isinstance(paging, dict) and paging.get("next"):
            cursors = paging.get("cursors")
            if isinstance(cursors, dict) and cursors.get("after"):
                after = str(cursors["after"])
        return [d for d in data if isinstance(d, dict)], after, body


class FacebookLogin:
    """Facebook Login for Business: consent URL, code exchange, long-lived token, Page tokens.

    Instagram professional accounts are connected through the same login (§2, "With Facebook Login").
    """

    def __init__(
        self,
        *,
        graph_url: str,
        dialog_url: str,
        version: str,
        app_id: str,
        app_secret: str,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    ) -> None:
        self.graph = graph_url.rstrip("/")
        self.dialog = dialog_url.rstrip("/")
        self.version = version.strip("/")
        self.app_id = app_id
        self.app_secret = app_secret
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

    def authorization_url(self, *, redirect_uri: str, state: str, scopes: list[str]) -> str:
        oauth = OAuth2Session(self.app_id, redirect_uri=redirect_uri, scope=scopes, state=state)
        url, _ = oauth.authorization_url(f"{self.dialog}/{self.version}/dialog/oauth")
        return str(url)

    def exchange_code(self, *, code: str, redirect_uri: str) -> TokenGrant:
        oauth = OAuth2Session(self.app_id, redirect_uri=redirect_uri)
        try:
            token = oauth.fetch_token(
                f"{self.graph}/{self.version}/oauth/access_token",
                code=code,
                client_secret=self.app_secret,
                include_client_id=True,
                method="GET",
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
        body = self._client(user_token).request(
            "GET",
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

    def instagram_account(self, *, page_id: str, page_token: str) -> Json | None:
        body = self._client(page_token).request(
            "GET", page_id, params={"fields": "instagram_business_account{id,username}"}
        )
        account = body.get("instagram_business_account")
        return account if isinstance(account, dict) else None

    def revoke(self, *, user_token: str) -> None:
        with contextlib.suppress(ChannelAuthError):  # already revoked or expired: nothing left to revoke
            self._client(user_token).request("DELETE", "me/permissions")

    def connect(
        self, *, code: str, redirect_uri: str, platform: str, want_account_id: str = "", want_name: str = ""
    ) -> ConnectedAccount:
        """Code → long-lived user token → the Page (and its Instagram account) for one channel."""
        short = self.exchange_code(code=code, redirect_uri=redirect_uri)
        user = self.long_lived(user_token=short.access_token)
        pages = self.pages(user_token=user.access_token)
        page = _choose_page(pages, want_account_id=want_account_id, want_name=want_name, platform=platform)
        page_id, page_token = str(page["id"]), str(page.get("access_token", ""))
        if not page_token:
            raise ChannelPermissionError(f"Facebook listed Page {page_id} without a Page token.")
        credentials: Json = {
            "access_token": page_token,
            "user_access_token": user.access_token,
            "page_id": page_id,
        }
        account_id, name = page_id, str(page.get("name", ""))
        if platform == "instagram":
            ig = self.instagram_account(page_id=page_id, page_token=page_token)
            if not ig or not ig.get("id"):
                raise ChannelPermissionError(
                    f"Facebook Page {page_id} has no Instagram professional account linked. "
                    "Link one in the Page settings and connect again."
                )
            account_id, name = str(ig["id"]), str(ig.get("username", name))
            credentials["ig_user_id"] = account_id
        return ConnectedAccount(
            account_id=account_id, name=name, credentials=credentials, token_expires_in=user.expires_in
        )


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


def webhook_changes(payload: Json) -> Iterator[tuple[str, str, Json]]:
    """(account id, field, value) for each well-formed change in a Meta webhook payload."""
    for entry in payload.get("entry") or []:
        if not isinstance(entry, dict):
            continue
        account_id = str(entry.get("id", ""))
        for change in entry.get("changes") or []:
            if isinstance(change, dict) and isinstance(change.get("value"), dict):
                yield account_id, str(change.get("field", "")), change["value"]


def parse_meta_webhook(payload: Json) -> tuple[str, list[WebhookChange]]:
    """(platform, changes) for a Meta webhook body; platform is "" for objects we do not handle."""
    from moderation.channels import facebook, instagram

    obj = payload.get("object")
    if obj == "page":
        return "facebook", facebook.parse_webhook(payload)
    if obj == "instagram":
        return "instagram", instagram.parse_webhook(payload)
    return "", []
