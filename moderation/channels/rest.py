"""A JSON-over-HTTPS client shared by the X, YouTube and LinkedIn adapters.

One requests.Session, explicit timeouts, the token in the Authorization header
(never in a URL), a count of requests made, and transport failures turned into
ChannelUnavailable. Each platform reads its own error bodies with `classify`, and
`http_error` turns what it read into a channel error in one order for all three.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any

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

DEFAULT_TIMEOUT = (5.0, 20.0)
Json = dict[str, Any]
# (HTTP status, decoded body or None, response headers) -> the error to raise, or None when fine.
Classify = Callable[[int, Any, Mapping[str, str]], ChannelError | None]


class RestClient:
    def __init__(
        self,
        *,
        base_url: str,
        token: str,
        label: str,
        classify: Classify,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        headers: Mapping[str, str] | None = None,
        clock: Callable[[], float] = time.time,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.label = label
        self.classify = classify
        self.timeout = timeout
        self.headers = {"Authorization": f"Bearer {token}", **(headers or {})}
        self.clock = clock
        self.session = session or requests.Session()
        self.api_calls = 0
        self.last_headers: Mapping[str, str] = {}

    def url(self, path: str) -> str:
        return path if path.startswith("http") else f"{self.base_url}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | list[tuple[str, Any]] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> tuple[int, Any, Mapping[str, str]]:
        """(status, decoded JSON body or None for an empty one, headers); raises a ChannelError."""
        self.api_calls += 1
        try:
            response = self.session.request(
                method,
                self.url(path),
                params=params,
                json=json_body,
                headers={**self.headers, **(headers or {})},
                timeout=self.timeout,
            )
        except requests.Timeout as exc:
            raise ChannelUnavailable(f"{self.label} timed out: {exc.__class__.__name__}.") from exc
        except requests.ConnectionError as exc:
            raise ChannelUnavailable(f"{self.label} could not be reached: {exc.__class__.__name__}.") from exc
        self.last_headers = response.headers
        body: Any = None
        if response.content:
            try:
                body = response.json()
            except ValueError:
                body = _MALFORMED
        error = self.classify(response.status_code, None if body is _MALFORMED else body, response.headers)
        if error is not None:
            raise error
        if response.status_code >= 500:
            raise ChannelUnavailable(f"{self.label} answered HTTP {response.status_code}; will retry.")
        if body is _MALFORMED or (
            response.status_code != 204 and body is not None and not isinstance(body, dict)
        ):
            # A 2xx with a truncated or non-JSON body: a proxy or the platform hiccupped.
            raise ChannelUnavailable(
                f"{self.label} returned a malformed body (HTTP {response.status_code}); will retry."
            )
        return response.status_code, body, response.headers


_MALFORMED = object()


def http_error(
    status: int,
    text: str,
    *,
    payload: Any,
    code: str | int,
    reconnect: str,
    retry_after: float,
    forbidden_hint: str = "",
    auth: bool = False,
    rate_limited: bool = False,
    not_found: bool = False,
    forbidden: bool | None = None,
    codes: Mapping[type[ChannelError], str | int] | None = None,
) -> ChannelError:
    """A failed answer (status >= 400) as a channel error, in one order for every platform:
    a bad token (401), a rate limit (429), the platform down (5xx), gone (404), not allowed
    (403), else permanent. `auth`, `rate_limited` and `not_found` add a platform's own signs
    (an error reason or problem type) to the status; `forbidden` replaces "status is 403".
    `code` goes on every error but those `codes` names (X calls a 429 "rate-limit").
    A platform's special answers (X's monthly cap, YouTube's quota, LinkedIn's sunset
    version) are the caller's, checked before this."""

    def error(cls: type[ChannelError], message: str = text, **extra: Any) -> ChannelError:
        return cls(message, code=(codes or {}).get(cls, code), payload=payload, **extra)

    if status == 401 or auth:
        return error(ChannelAuthError, f"{text} {reconnect}")
    if status == 429 or rate_limited:
        return error(ChannelRateLimited, retry_after=retry_after)
    if status >= 500:
        return error(ChannelUnavailable)
    if status == 404 or not_found:
        return error(ChannelNotFound)
    if (status == 403) if forbidden is None else forbidden:
        return error(ChannelPermissionError, f"{text} {forbidden_hint}")
    return error(ChannelPermanentError)
