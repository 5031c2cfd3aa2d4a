"""The Graph API client the Meta adapters share: one session, errors mapped, usage back-off.

The token travels in the `Authorization: Bearer` header, never in the URL, so no
token can reach a logged URL or a `requests` exception (issue 13). Error bodies
are mapped to the channel errors of moderation.channels.base; wire formats are in
docs/channels.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests

from moderation.channels.base import (
    ChannelAuthError,
    ChannelError,
    ChannelNotFound,
    ChannelPermanentError,
    ChannelPermissionError,
    ChannelRateLimited,
    ChannelUnavailable,
)

log = logging.getLogger(__name__)

THROTTLE_CODES = frozenset({4, 17, 32, 613, 80001, 80002})
TRANSIENT_CODES = frozenset({1, 2})
PERMISSION_CODES = frozenset({10, *range(200, 300)})
DEFAULT_TIMEOUT = (5.0, 20.0)
# Meta sends no Retry-After; when the usage header gives no estimate we wait this long.
DEFAULT_THROTTLE_SECONDS = 300.0
Json = dict[str, Any]


# Unix seconds we accept from a platform: 2004 (Facebook's birth) to 2100. Anything else
# (1e20, -1e12, 1e308, NaN, Infinity in a hostile webhook) is no time at all.
_EARLIEST, _LATEST = 1_072_915_200.0, 4_102_444_800.0
# Error #100 texts. Naming a permission ("requires the 'pages_read_engagement' permission",
# "Missing Permission") is a missing grant; otherwise "does not exist" is a missing object.
# Meta's generic "... due to missing permissions, or ..." names none, so it stays not-found.
_NAMED_PERMISSION = re.compile(
    r"\bmissing permission\b(?!s)|requires? (?:the )?['\w ]*permission|\b(?:pages|instagram|manage)_\w+", re.I
)
_MISSING_OBJECT = re.compile(r"does not exist|unknown path components", re.I)


def parse_time(value: Any) -> datetime | None:
    """Graph reads give '2026-11-20T09:15:02+0000'; webhooks give Unix seconds (int, float or digits)."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if isinstance(value, int | float):
        seconds = float(value)
        if not math.isfinite(seconds) or not _EARLIEST <= seconds <= _LATEST:
            return None
        return datetime.fromtimestamp(seconds, tz=UTC)
    text = str(value)
    try:
        if len(text) == 24 and text[10] == "T" and text[19] in "+-":
            # The exact Graph shape: fromisoformat reads it many times faster than strptime,
            # which consults the locale on every call (a page of comments is a few hundred).
            return datetime.fromisoformat(text)
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


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
        url = _without_token(url)  # a `paging.next` URL may carry one; the header has it
        query: dict[str, Any] = dict(params or {})
        if self.app_secret:
            # The proof is an HMAC of the token: useless without it, so it may sit in the query.
            query["appsecret_proof"] = hmac.new(
                self.app_secret.encode(), self.token.encode(), hashlib.sha256
            ).hexdigest()
        headers = {"Authorization": f"Bearer {self.token}"}
        self.api_calls += 1
        try:
            if method == "GET" or method == "DELETE":
                response = self.session.request(
                    method, url, params=query, headers=headers, timeout=self.timeout
                )
            else:
                response = self.session.request(
                    method, url, data=query, headers=headers, timeout=self.timeout
                )
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
        # The platform's own verdict wins over a guess from the code (code 1 is usually transient).
        transient = error.get("is_transient")
        if transient is True or (transient is None and (code in TRANSIENT_CODES or status >= 500)):
            return ChannelUnavailable(text, code=code, payload=error)
        if code in PERMISSION_CODES or (code == 100 and _NAMED_PERMISSION.search(message)):
            return ChannelPermissionError(
                text + " Check the app's permissions and the user's Page role.", code=code, payload=error
            )
        if code == 100 and (subcode == 33 or (not subcode and _MISSING_OBJECT.search(message))):
            return ChannelNotFound(text, code=code, payload=error)
        return ChannelPermanentError(text, code=code, payload=error)

    def pages(self, path: str, params: Mapping[str, Any]) -> tuple[list[Json], str | None, Json]:
        """One page of an edge: (data, next cursor or None, raw body)."""
        body = self.request("GET", path, params=params)
        data = body.get("data")
        if not isinstance(data, list):
            raise ChannelUnavailable(f"{self.label} returned a list without 'data'; will retry.")
        return [d for d in data if isinstance(d, dict)], next_cursor(body.get("paging")), body


def next_cursor(paging: Any) -> str | None:
    """Where the next page starts, or None on the last page.

    Cursor paging gives `cursors.after`; time-based paging (some edges) gives only a
    `next` URL with `until`/`since`/`__paging_token`, which is kept whole as "url:...".
    """
    if not isinstance(paging, dict) or not paging.get("next"):
        return None
    cursors = paging.get("cursors")
    if isinstance(cursors, dict) and cursors.get("after"):
        return str(cursors["after"])
    return "url:" + _without_token(str(paging["next"]))


def cursor_params(after: str | None) -> dict[str, Any]:
    """Query parameters that continue a listing from `next_cursor`'s value."""
    if not after:
        return {}
    if not after.startswith("url:"):
        return {"after": after}
    query = parse_qs(urlsplit(after[4:]).query)
    keep = ("after", "until", "since", "__paging_token", "__previous", "offset")
    return {k: v[-1] for k, v in query.items() if k in keep}


def _without_token(url: str) -> str:
    """Drop access_token from a URL (a paging link echoes it) so it is never sent or stored."""
    parts = urlsplit(url)
    if "access_token" not in parts.query:
        return url
    query = [(k, v) for k, vs in parse_qs(parts.query).items() for v in vs if k != "access_token"]
    return parts._replace(query=urlencode(query)).geturl()
